"""How tender pages show moments, money and rates: India Standard Time, ₹ with Indian
grouping from paise, percentages from basis points; and how their forms read them."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from fastapi import Request

from oxychain.core import formatting
from oxychain.core.clock import IST
from oxychain.core.errors import InvalidInput
from oxychain.core.web.templating import language_of


def ist(moment: datetime | str | None) -> str:
    """27-11-2026 15:30 IST (the one date filter, ``indian_date``); a moment stored as ISO
    8601 text (a corrigendum's changes) too."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return formatting.indian_date(moment)


def ist_input(moment: datetime | None) -> str:
    """The value of a datetime-local input, in IST."""
    return "" if moment is None else moment.astimezone(IST).strftime("%Y-%m-%dT%H:%M")


def parse_ist(text: str, what: str) -> datetime:
    """A datetime-local value (read as IST) → an aware moment."""
    try:
        naive = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput("{what} is not a date and time.", what=what) from None
    return naive.replace(tzinfo=IST) if naive.tzinfo is None else naive


def helpers(request: Request) -> dict[str, Any]:
    lang = language_of(request)

    def money(paise: int | None, short: bool = False) -> str:
        if paise is None:
            return "—"
        value = Decimal(paise) / 100
        if short:
            return formatting.rupees_short(value, lang)
        return formatting.rupees(value, lang, paise=bool(paise % 100))

    def pct(bp: int | None) -> str:
        """3 %, 0.5 %, 12.25 %: as many decimals as the rate has."""
        if bp is None:
            return "—"
        digits = 0 if bp % 100 == 0 else 1 if bp % 10 == 0 else 2
        return f"{formatting.number(Decimal(bp) / 100, lang, digits)} %"

    return {"ist": ist, "ist_input": ist_input, "money": money, "pct": pct}
