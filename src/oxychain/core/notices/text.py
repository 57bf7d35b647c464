"""A notice's words in one language: its English template looked up in the catalogues
and filled with its parameters. A parameter named ``x_hi`` is the Hindi form of ``x`` (a
tender's Hindi title): the Hindi template uses it, the English one ``x``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from oxychain.core import formatting
from oxychain.core.i18n import N_, gettext, translations

MAX_SMS_CHARS = 320  # five Unicode (UCS-2) segments; Hindi needs UCS-2

FOOTER = N_(
    "You receive this because of your role in oxychain. Choose your language and "
    "how you are told on your notices page:"
)


def fill(template: str, params: dict[str, Any], lang: str) -> str:
    text = gettext(lang, template)
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        return text


def moment(value: datetime) -> str:
    """A moment as a person in India reads it: 27-11-2026 17:00 IST (the one date format)."""
    return formatting.indian_date(value)


def email(
    subject: str, body: str, params: dict[str, Any], link: str | None, lang: str, base_url: str
) -> tuple[str, str]:
    """(subject, plain-text body) of the notice's email."""
    lines = [fill(body, params, lang)]
    if link:
        lines += ["", base_url.rstrip("/") + link]
    lines += ["", "-- ", fill(FOOTER, {}, lang), base_url.rstrip("/") + "/notices/settings"]
    return fill(subject, params, lang), "\n".join(lines)


def sms(subject: str, body: str, params: dict[str, Any], lang: str) -> str:
    """The notice as one short text: its subject and as much of its body as fits."""
    text = f"{fill(subject, params, lang)}: {fill(body, params, lang)}"
    return text if len(text) <= MAX_SMS_CHARS else text[: MAX_SMS_CHARS - 1] + "…"


def bilingual(name: str, english: str) -> dict[str, str]:
    """A parameter that is itself a sentence to translate: ``name`` in English and
    ``name_hi`` in Hindi, for the templates of each language."""
    return {name: english, f"{name}_hi": translations("hi").gettext(english)}
