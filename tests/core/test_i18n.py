"""Every string a person can read has its Hindi translation; Indian number and date forms."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from babel.messages.extract import extract_from_dir

from oxychain.core import areas, formatting, i18n

SRC = Path(__file__).resolve().parents[2] / "src" / "oxychain"
# The same keywords as scripts/translate.py: gettext, N_ and the domain errors' messages.
KEYWORDS = {
    name: None
    for name in (
        "_",
        "gettext",
        "N_",
        "DomainError",
        "InvalidInput",
        "NotFound",
        "Conflict",
        "Forbidden",
        "FileRejected",
        "TooLarge",
        "LoginRefused",
        "TooManyAttempts",
    )
}
METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
OPTIONS = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}}


def _extracted() -> dict[str, str]:
    """msgid -> where it is used, over every installed area's code and templates."""
    found = {}
    for area in areas.installed():
        folder = SRC / area.name
        for filename, _lineno, message, _comments, _context in extract_from_dir(
            str(folder), METHODS, options_map=OPTIONS, keywords=KEYWORDS
        ):
            text = message if isinstance(message, str) else message[0]
            if text and "{" not in text[:1]:
                found.setdefault(text, f"{area.name}/{filename}")
    return found


def test_every_template_and_error_string_has_a_hindi_translation() -> None:
    catalog = i18n.catalog("hi")
    missing = [
        f"{where}: {text!r}"
        for text, where in sorted(_extracted().items())
        if not (catalog.get(text) and catalog.get(text).string)
    ]
    assert not missing, "untranslated (run `make i18n` and translate):\n" + "\n".join(missing)


def test_extraction_finds_template_strings() -> None:
    assert "Districts of Uttar Pradesh" in _extracted()


def test_indian_grouping_of_numbers_and_rupees() -> None:
    assert formatting.number(12345678) == "1,23,45,678"
    assert formatting.number(199812341, "hi") == "19,98,12,341"
    assert formatting.rupees(12345678) == "₹1,23,45,678"
    assert formatting.rupees(1234.5, paise=True) == "₹1,234.50"
    assert formatting.number(None) == "—"


def test_lakh_and_crore_in_summaries() -> None:
    assert formatting.rupees_short(70_000_000) == "₹7.00 crore"
    assert formatting.rupees_short(70_000_000, "hi") == "₹7.00 करोड़"
    assert formatting.rupees_short(1_250_000) == "₹12.50 lakh"
    assert formatting.rupees_short(99_999) == "₹99,999"


def test_indian_dates() -> None:
    assert formatting.indian_date(date(2026, 11, 27)) == "27-11-2026"
    # a moment without a zone is UTC (as SQLite gives it back); people read it in IST
    assert formatting.indian_date(datetime(2026, 11, 27, 14, 5)) == "27-11-2026 19:35 IST"
