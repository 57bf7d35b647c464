"""The yearly report of procurement from micro and small enterprises (MSEs).

Public Procurement Policy for Micro and Small Enterprises Order 2012, as amended in 2018
(DOMAIN.md): each buyer sets an annual goal of at least 25 % of its total annual procurement
from MSEs, of which 4 % from MSEs owned by Scheduled Caste or Scheduled Tribe entrepreneurs
and 3 % from MSEs owned by women. Both sub-targets are shares of the total procurement, as
the 25 % is.

A year is the Indian financial year, 1 April to 31 March, counted on the day in India a
purchase order was first issued; an order counts at the value of its newest version (an
amendment changes what was bought, not when). Money is in rupees.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

# MSE Order 2012 para 3 (the annual goal, raised to 25 % by the 2018 amendment); the 4 %
# SC/ST sub-target is the Order's own, the 3 % for women-owned MSEs the 2018 amendment's
# (DOMAIN.md; the amendment's notification number is not checked here).
MSE_TARGET_PCT = Decimal(25)
SC_ST_TARGET_PCT = Decimal(4)
WOMEN_TARGET_PCT = Decimal(3)


@dataclass(frozen=True)
class OrderValue:
    """One purchase order as the report counts it."""

    number: str
    issued_on: date  # the first version's day in India
    value: Decimal  # rupees, the newest version
    is_mse: bool = False
    sc_st_owned: bool = False
    women_owned: bool = False


def financial_year(day: date) -> str:
    """'2025-26' for any day from 1 April 2025 to 31 March 2026."""
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def _pct(part: Decimal, whole: Decimal) -> Decimal:
    return (part * 100 / whole).quantize(Decimal("0.01")) if whole else Decimal(0)


@dataclass(frozen=True)
class YearRow:
    year: str
    orders: int
    total: Decimal
    mse: Decimal
    sc_st: Decimal
    women: Decimal

    @property
    def mse_pct(self) -> Decimal:
        return _pct(self.mse, self.total)

    @property
    def sc_st_pct(self) -> Decimal:
        return _pct(self.sc_st, self.total)

    @property
    def women_pct(self) -> Decimal:
        return _pct(self.women, self.total)

    @property
    def targets_met(self) -> dict[str, bool]:
        """Each goal, met when the share is at least the target (25 % exactly is met)."""
        return {
            "mse": self.mse_pct >= MSE_TARGET_PCT,
            "sc_st": self.sc_st_pct >= SC_ST_TARGET_PCT,
            "women": self.women_pct >= WOMEN_TARGET_PCT,
        }

    def as_dict(self) -> dict:
        return {
            "financial_year": self.year,
            "orders": self.orders,
            "total_rupees": str(self.total),
            "mse_rupees": str(self.mse),
            "mse_pct": str(self.mse_pct),
            "sc_st_rupees": str(self.sc_st),
            "sc_st_pct": str(self.sc_st_pct),
            "women_rupees": str(self.women),
            "women_pct": str(self.women_pct),
            "targets_met": self.targets_met,
        }


def yearly_report(orders: list[OrderValue]) -> list[YearRow]:
    """One row per financial year with orders, newest first. An owner category counts
    only for an MSE (the Order's sub-targets are MSEs owned so)."""
    sums: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0)] * 4)
    counts: dict[str, int] = defaultdict(int)
    for order in orders:
        year = financial_year(order.issued_on)
        row = sums[year]
        counts[year] += 1
        row[0] += order.value
        if order.is_mse:
            row[1] += order.value
            row[2] += order.value if order.sc_st_owned else 0
            row[3] += order.value if order.women_owned else 0
    return [YearRow(year, counts[year], *sums[year]) for year in sorted(sums, reverse=True)]
