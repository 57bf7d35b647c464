"""Jinja2 environments, one per language, with India's number and date filters."""

from __future__ import annotations

from functools import cache
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from oxychain.core import areas, formatting
from oxychain.core.access import can
from oxychain.core.i18n import gettext, translations


@cache
def environment(lang: str) -> Environment:
    env = Environment(
        # Core's templates, then each area's, each under its own name ("tendering/...").
        loader=FileSystemLoader(areas.folders("templates")),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(translations(lang), newstyle=False)  # type: ignore[attr-defined]
    env.filters.update(
        number=lambda v, digits=0: formatting.number(v, lang, digits),
        rupees=lambda v, paise=False: formatting.rupees(v, lang, paise),
        rupees_short=lambda v: formatting.rupees_short(v, lang),
        indian_date=formatting.indian_date,
    )
    env.globals["lang"] = lang
    for area in areas.installed():
        if area.template_globals:
            env.globals.update(areas.load(area.template_globals)(lang))
    return env


def language_of(request: Request) -> str:
    return getattr(request.state, "lang", "hi")


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    lang = language_of(request)
    principal = getattr(request.state, "principal", None)
    context.setdefault("principal", principal)
    context.setdefault("csrf_token", getattr(request.state, "csrf_token", None) or "")
    context["can"] = lambda permission, obj=None: (
        principal is not None and can(principal, permission, obj)
    )
    context["request"] = request
    html = environment(lang).get_template(template).render(**context)
    return HTMLResponse(html, status_code=status_code)


def translate(request: Request, template: str, params: dict | None = None) -> str:
    text = gettext(language_of(request), template)
    if params:
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return text
    return text
