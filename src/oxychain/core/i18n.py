"""Hindi and English: message catalogues read from the shipped .po files.

The .po files are the source; they are compiled in memory at start-up, so there is no
build step that a fresh clone could miss. English is the source language.
"""

from __future__ import annotations

import io
from functools import cache
from importlib import resources

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LANGUAGES = ("hi", "en")


def po_path(lang: str):  # noqa: ANN201 - importlib Traversable
    return resources.files("oxychain") / "translations" / lang / "LC_MESSAGES" / "messages.po"


@cache
def translations(lang: str) -> NullTranslations:
    if lang == "en":
        return NullTranslations()
    with po_path(lang).open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return Translations(fp=buf)


def gettext(lang: str, message: str) -> str:
    return translations(lang).gettext(message)


def N_(message: str) -> str:  # noqa: N802 - the conventional name for "mark for translation"
    """Marks a string for extraction without translating it here."""
    return message
