"""Jinja2 environments, one per language, with India's number and date filters."""

from __future__ import annotations

from functools import cache
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from oxychain.core import areas, clock, formatting
from oxychain.core.access import can
from oxychain.core.i18n import N_, gettext, translations


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
        proper=lambda name: proper_name(name, lang),
        local=lambda row: local_name(row, lang),
        who=person,
        cite=lambda source: citation(source, lang),
    )
    env.globals["lang"] = lang
    # a clock run from a set day (OXYCHAIN_TODAY, the demo's calendar): every page says so
    env.globals["demo_day"] = lambda: clock.today() if clock.set_day() else None
    for area in areas.installed():
        if area.template_globals:
            env.globals.update(areas.load(area.template_globals)(lang))
    return env


SYNTHETIC = " (synthetic)"


def proper_name(name: str | None, lang: str, english: bool = True) -> Markup:
    """A firm's, a bank's or a person's name as registered (English): marked ``lang="en"`` so
    that a Hindi page reads it as English, its "(synthetic)" label in the page's language."""
    if not name:
        return Markup("—")
    text, synthetic = (name[: -len(SYNTHETIC)], True) if name.endswith(SYNTHETIC) else (name, False)
    marked = (
        Markup('<span lang="en">{}</span>').format(text)
        if english and lang == "hi"
        else escape(text)
    )
    if synthetic:
        marked += Markup(" ({})").format(gettext(lang, N_("synthetic")))
    return marked


UNVERIFIED = "UNVERIFIED default, a setting"


def citation(source: str | None, lang: str) -> Markup:
    """A rule's public source, cited as published (English, marked so on a Hindi page); an
    unverified default says so in the page's language."""
    if not source:
        return Markup("—")
    prefix = Markup()
    if source.startswith(UNVERIFIED):
        unverified = gettext(lang, N_("Unverified default, a setting"))
        prefix = Markup("<strong>{}</strong>; ").format(unverified)
        source = source[len(UNVERIFIED) :].lstrip(" ;")
    return prefix + Markup('<span lang="en">{}</span>').format(source)


def person(username: str | None) -> Markup:
    """A username (or a system actor's name): an identifier, never translated."""
    if not username:
        return Markup("—")
    return Markup('<span class="who-name" lang="en" translate="no">{}</span>').format(username)


def local_name(row: Any, lang: str) -> Markup:
    """A district's, warehouse's or facility's name in the page's language (its Hindi name
    where it has one; else its registered name, marked as English)."""
    hindi = getattr(row, "name_hi", None) if lang == "hi" else None
    if hindi:
        return proper_name(hindi, lang, english=False)
    return proper_name(getattr(row, "name", None), lang)


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
