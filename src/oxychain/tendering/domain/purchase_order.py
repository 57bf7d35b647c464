"""Purchase orders: the award's quantities split over the tender's consignee lines, versions
that amend an order, deliveries against its tranches and the liquidated damages they bring.

Liquidated damages (common clause, exact Manual wording unverified: settings): 0.5 % of the
value of the delayed goods per week or part of a week, capped at 10 %.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any, TypeVar

from oxychain.core.errors import Conflict, InvalidInput
from oxychain.core.i18n import N_
from oxychain.core.states import Lifecycle
from oxychain.tendering.domain.securities import share_of
from oxychain.tendering.domain.tender import TenderStatus

T = TypeVar("T")


class PoStatus(StrEnum):
    ISSUED = "issued"
    SUPERSEDED = "superseded"


#: A purchase order is never edited: an amendment is a new version that supersedes it.
PURCHASE_ORDER = Lifecycle(
    "purchase order",
    PoStatus,
    {"amend": ([PoStatus.ISSUED], PoStatus.SUPERSEDED)},
    message=N_("Only the newest version of an order can be amended."),
)


# --- purchase orders --------------------------------------------------------------------------


def split_lines(rows: Sequence[int], shares: Sequence[int]) -> list[list[int]]:
    """Split consignee rows among suppliers in proportion to their shares, in whole units.

    Every row's parts add up to the row and every supplier's parts to its share (controlled
    rounding: floors first, then the largest remainders where both still fall short).
    """
    total = sum(rows)
    if total != sum(shares):
        raise InvalidInput("The award quantities must add up to the tender quantity.")
    exact = [[r * s / total for s in shares] for r in rows]
    cells = [[math.floor(x) for x in row] for row in exact]
    row_short = [r - sum(c) for r, c in zip(rows, cells, strict=True)]
    col_short = [s - sum(c[j] for c in cells) for j, s in enumerate(shares)]
    order = sorted(
        ((i, j) for i in range(len(rows)) for j in range(len(shares))),
        key=lambda ij: (-(exact[ij[0]][ij[1]] - cells[ij[0]][ij[1]]), ij),
    )
    for _ in range(2):  # second pass: any cell where both still fall short
        for i, j in order:
            if row_short[i] > 0 and col_short[j] > 0:
                cells[i][j] += 1
                row_short[i] -= 1
                col_short[j] -= 1
    return cells


def due_date(issued_on: date, due_days: int) -> date:
    return issued_on + timedelta(days=due_days)


def check_issue(tender_status: str, orders_issued: bool) -> None:
    if TenderStatus(tender_status) is not TenderStatus.AWARDED:
        raise Conflict("Purchase orders follow the award.")
    if orders_issued:
        raise Conflict("The purchase orders of this tender are already issued.")


def order_shares(tender_quantity: int, standing: Sequence[int]) -> list[int]:
    """Each standing award's quantity, and last what declined awards leave without a supplier
    (kept out of every order)."""
    return [*standing, tender_quantity - sum(standing)]


def order_number(tender: str, number: int) -> str:
    return f"PO/{tender}/{number}"


def is_current(po_status: str) -> bool:
    """The newest version of an order, the one that binds."""
    return PoStatus(po_status) is PoStatus.ISSUED


def current(orders: Iterable[T]) -> list[T]:
    return [o for o in orders if is_current(o.status)]  # type: ignore[attr-defined]


def order_steps(po_status: str) -> frozenset[str]:
    """What may be done with an order version: on the newest, amend it and record deliveries
    and the performance security."""
    steps = PURCHASE_ORDER.allowed_actions(po_status)
    return steps | {"record_delivery", "record_security"} if steps else steps


def check_amendment(reason: str, changes: Sequence[Any]) -> str:
    if not reason.strip():
        raise InvalidInput("Say why the purchase order is amended.")
    if not changes:
        raise InvalidInput("The amendment changes nothing.")
    return reason.strip()[:500]


def check_amended_lines(changed: set[tuple[int, int]], existing: set[tuple[int, int]]) -> None:
    """An amendment changes existing (tranche, consignee) lines; it adds none."""
    if changed - existing:
        raise InvalidInput("An amendment changes existing tranche lines only.")


def amendment_number(original: str, version: int) -> str:
    """The number of the version that amends ``version`` of the order ``original``."""
    return f"{original}/A{version}"


def amended_line(
    number: int,
    quantity: int,
    due: date,
    delivered: int,
    new_quantity: int | None,
    new_due: date | None,
) -> tuple[int, date]:
    """A tranche line's quantity and due date in the new version; never below what it has
    delivered already."""
    quantity = new_quantity if new_quantity is not None else quantity
    if quantity < delivered or quantity <= 0:
        raise InvalidInput(
            "Tranche {number} cannot go below the {delivered} units already delivered.",
            number=number,
            delivered=delivered,
        )
    return quantity, new_due if new_due is not None else due


def check_challan(quantity: int, reference: str) -> str:
    if quantity <= 0 or not reference.strip():
        raise InvalidInput("A delivery has a quantity above zero and a challan reference.")
    return reference.strip()[:80]


def check_delivery(ordered: int, delivered: int, quantity: int, on: date, today: date) -> None:
    """A delivery fits what remains of its tranche and is not dated after today."""
    if delivered + quantity > ordered:
        raise InvalidInput(
            "Only {left} units remain to deliver in this tranche.", left=ordered - delivered
        )
    if on > today:
        raise InvalidInput("A delivery cannot be dated in the future.")


# --- liquidated damages -----------------------------------------------------------------------


@dataclass(frozen=True)
class Delivery:
    quantity: int
    delivered_on: date


@dataclass(frozen=True)
class DamagesLine:
    quantity: int
    delivered_on: date | None  # None: not delivered by the as-of date
    weeks_late: int
    value_paise: int
    damages_paise: int


@dataclass(frozen=True)
class Damages:
    lines: tuple[DamagesLine, ...]

    @property
    def total_paise(self) -> int:
        return sum(line.damages_paise for line in self.lines)


def weeks_late(due: date, on: date) -> int:
    """Weeks of delay, a part of a week counting as a whole one; 0 when on time."""
    days = (on - due).days
    return math.ceil(days / 7) if days > 0 else 0


def liquidated_damages(
    *,
    quantity: int,
    unit_price_paise: int,
    due: date,
    deliveries: Sequence[Delivery],
    as_of: date,
    rate_bp_per_week: int,
    cap_bp: int,
) -> Damages:
    """LD of one tranche: per late delivery, and on what is still undelivered past due.

    Each late quantity pays rate × weeks (or part) of its value, at most cap of its value.
    """
    lines = []
    for delivery in sorted(deliveries, key=lambda d: d.delivered_on):
        weeks = weeks_late(due, delivery.delivered_on)
        if weeks:
            lines.append(
                _line(
                    delivery.quantity,
                    delivery.delivered_on,
                    weeks,
                    unit_price_paise,
                    rate_bp_per_week,
                    cap_bp,
                )
            )
    pending = quantity - sum(d.quantity for d in deliveries)
    weeks = weeks_late(due, as_of)
    if pending > 0 and weeks:
        lines.append(_line(pending, None, weeks, unit_price_paise, rate_bp_per_week, cap_bp))
    return Damages(tuple(lines))


def _line(qty: int, on: date | None, weeks: int, price: int, rate: int, cap: int) -> DamagesLine:
    value = qty * price
    return DamagesLine(qty, on, weeks, value, share_of(value, min(rate * weeks, cap)))
