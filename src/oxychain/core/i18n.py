"""Hindi and English: message catalogues read from the shipped .po files.

The .po files are the source; they are compiled in memory at start-up, so there is no
build step that a fresh clone could miss. English is the source language.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from oxychain.core import areas

LANGUAGES = ("hi", "en")


def po_paths(lang: str) -> list[Path]:
    """Core's catalogue, then each installed area's own (``<area>/translations``)."""
    found = [
        folder / lang / "LC_MESSAGES" / "messages.po" for folder in areas.folders("translations")
    ]
    return [path for path in found if path.is_file()]


def catalog(lang: str) -> Catalog:
    """Every catalogue of ``lang`` in one; an area's entry never replaces an earlier one."""
    merged: Catalog | None = None
    for path in po_paths(lang):
        with path.open("rb") as fh:
            part = read_po(fh, locale=lang)
        if merged is None:
            merged = part
            continue
        for message in part:
            if message.id and not (merged.get(message.id) and merged.get(message.id).string):
                merged[message.id] = message
    return merged or Catalog(locale=lang)


@cache
def translations(lang: str) -> NullTranslations:
    if lang == "en":
        return NullTranslations()
    buf = io.BytesIO()
    write_mo(buf, catalog(lang))
    buf.seek(0)
    return Translations(fp=buf)


def gettext(lang: str, message: str) -> str:
    return translations(lang).gettext(message)


def N_(message: str) -> str:  # noqa: N802 - the conventional name for "mark for translation"
    """Marks a string for extraction without translating it here."""
    return message
