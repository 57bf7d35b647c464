"""How numbers, money and dates read in India (Babel's en_IN / hi_IN rules).

Indian grouping: 1,23,45,678. Summaries speak in lakh (1,00,000) and crore (1,00,00,000).
Dates are day-month-year: 27-11-2026.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.numbers import format_currency, format_decimal

LAKH = 100_000
CRORE = 10_000_000
_WORDS = {"en": ("lakh", "crore"), "hi": ("लाख", "करोड़")}


def _locale(lang: str) -> str:
    return "hi_IN" if lang == "hi" else "en_IN"


def number(value: int | float | Decimal | None, lang: str = "en", digits: int = 0) -> str:
    """1,23,45,678 (Indian grouping); '—' for a missing value."""
    if value is None:
        return "—"
    pattern = "#,##,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=_locale(lang))


def rupees(value: int | float | Decimal | None, lang: str = "en", paise: bool = False) -> str:
    """₹1,23,45,678 (or ₹1,23,45,678.50 with paise)."""
    if value is None:
        return "—"
    pattern = "¤#,##,##0.00" if paise else "¤#,##,##0"
    return format_currency(
        value, "INR", format=pattern, locale=_locale(lang), currency_digits=False
    )


def rupees_short(value: int | float | Decimal | None, lang: str = "en") -> str:
    """₹7.00 crore, ₹12.50 lakh, or the full figure below a lakh."""
    if value is None:
        return "—"
    lakh, crore = _WORDS["hi" if lang == "hi" else "en"]
    amount = Decimal(str(value))
    if abs(amount) >= CRORE:
        return f"₹{number(amount / CRORE, lang, 2)} {crore}"
    if abs(amount) >= LAKH:
        return f"₹{number(amount / LAKH, lang, 2)} {lakh}"
    return rupees(amount, lang)


IST = ZoneInfo("Asia/Kolkata")  # India Standard Time: people read every moment in it


def indian_date(value: date | datetime | None) -> str:
    """27-11-2026 for a day; 27-11-2026 19:35 IST for a moment (read in India's time, a
    moment without a zone being UTC as SQLite gives it back)."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return moment.astimezone(IST).strftime("%d-%m-%Y %H:%M IST")
    return value.strftime("%d-%m-%Y")
