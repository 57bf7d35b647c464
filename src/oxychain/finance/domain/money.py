"""Money on a bill: paise as integers, every amount rounded to the whole rupee.

Rounding, stated once: a bill's every amount (a line's value, its GST, each deduction) is
rounded to the nearest rupee, half a rupee (50 paise) and above up, as bills and TDS
certificates are (the Income-tax Act's section 288B rounds tax to the rupee the same
way). Amounts stay integers in paise end to end; on a bill they are whole hundreds.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

RUPEE = 100  # paise
BP = 10_000  # basis points in a whole


def to_rupee(paise: int | Decimal) -> int:
    """The amount rounded to the nearest rupee (50 paise up), in paise."""
    rupees = (Decimal(paise) / RUPEE).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return int(rupees) * RUPEE


def part(amount_paise: int, rate_bp: int) -> Decimal:
    """rate_bp basis points of an amount, exactly (a Decimal of paise, not yet rounded)."""
    return Decimal(amount_paise) * rate_bp / BP


def pct(rate_bp: int) -> str:
    """A rate for a reason a person reads: 2, 0.1, 0.5 (per cent)."""
    text = f"{Decimal(rate_bp) / 100:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def day(value) -> str:  # noqa: ANN001 - a date
    """A date as people in India read it: 27-11-2026."""
    return value.strftime("%d-%m-%Y")


def inr(paise: int) -> str:
    """₹1,23,45,678 (with ".50" when there are paise): Indian grouping, for reasons and
    refusals a person reads; pages format with core's filters."""
    sign = "-" if paise < 0 else ""
    rupees, rest = divmod(abs(paise), RUPEE)
    digits = str(rupees)
    head, tail = digits[:-3], digits[-3:]
    groups = []
    while len(head) > 2:
        groups.insert(0, head[-2:])
        head = head[:-2]
    if head:
        groups.insert(0, head)
    text = ",".join([*groups, tail])
    return f"{sign}₹{text}" + (f".{rest:02d}" if rest else "")
