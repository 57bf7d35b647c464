"""Award and contract: L1 ranking, the split award, purchase-order tranches, liquidated damages.

Sources (../shared/DOMAIN.md, "Public procurement in India"):

* Award to the lowest evaluated bid (L1).
* Make in India (Public Procurement (Preference to Make in India) Order 2017): where L1 is
  not a Class-I local supplier, L1 gets 50 % and the lowest Class-I supplier within the
  margin of purchase preference that matches the L1 price gets the rest. The margin (20 %)
  is not in DOMAIN.md: a setting (``mii_margin_bp``).
* Micro and small enterprises (Public Procurement Policy for MSEs Order 2012): MSEs within
  L1 + 15 % that match L1 share a part of the quantity: 20 % in older text, 25 % unverified,
  so a setting (``mse_share_bp``, default 25 %).
* Liquidated damages (common clause, exact Manual wording unverified: settings): 0.5 % of
  the value of the delayed goods per week or part of a week, capped at 10 %.

How the two preferences combine is this system's reading, stated so it can be checked: the
MSE share is set aside first, for the matching MSEs (in rank order, equal parts); the Make
in India split applies to the rest. A bidder matches on one basis only.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from oxychain.core.errors import Conflict, InvalidInput
from oxychain.tendering.domain.tender import BP, Policy, share_of


@dataclass(frozen=True)
class Offer:
    """A responsive bid's opened price, as the award compares it."""

    bid_id: int
    supplier: str
    evaluated_unit_paise: int
    received_at: datetime
    is_mse: bool = False
    is_class_i: bool = False


def rank(offers: Sequence[Offer]) -> list[Offer]:
    """L1 first: by evaluated unit price, then by the earlier receipt (this system's tie rule)."""
    return sorted(offers, key=lambda o: (o.evaluated_unit_paise, o.received_at, o.supplier))


def within(price: int, l1: int, margin_bp: int) -> bool:
    return price * BP <= l1 * (BP + margin_bp)


@dataclass(frozen=True)
class Invitation:
    """A bidder the award may invite to match L1's price."""

    bid_id: int
    basis: str  # mse_match | mii_match


def invitations(ranked: Sequence[Offer], policy: Policy) -> list[Invitation]:
    """Who may be invited to match L1, by basis, in rank order."""
    if not ranked:
        return []
    l1, out = ranked[0], []
    for offer in ranked[1:]:
        price = offer.evaluated_unit_paise
        if (
            policy.mse_preference
            and not l1.is_mse
            and offer.is_mse
            and within(price, l1.evaluated_unit_paise, policy.mse_margin_bp)
        ):
            out.append(Invitation(offer.bid_id, "mse_match"))
        elif (
            policy.mii_preference
            and not l1.is_class_i
            and offer.is_class_i
            and within(price, l1.evaluated_unit_paise, policy.mii_margin_bp)
        ):
            out.append(Invitation(offer.bid_id, "mii_match"))
    return out


@dataclass(frozen=True)
class AwardLine:
    bid_id: int
    quantity: int
    unit_price_paise: int
    basis: str  # l1 | mse_match | mii_match


def plan_award(
    ranked: Sequence[Offer], quantity: int, policy: Policy, matched: set[int]
) -> list[AwardLine]:
    """Award lines: L1's, then the matching bidders' at L1's price.

    ``matched`` holds the bid ids of invited bidders who agreed (in writing) to match L1.
    """
    if not ranked:
        raise Conflict("No responsive bid: the tender cannot be awarded.")
    if quantity <= 0:
        raise InvalidInput("The quantity to award must be above zero.")
    l1 = ranked[0]
    invited = invitations(ranked, policy)
    unknown = matched - {i.bid_id for i in invited}
    if unknown:
        raise InvalidInput("Only invited bidders can match L1.")
    price = l1.evaluated_unit_paise
    mse = [i.bid_id for i in invited if i.basis == "mse_match" and i.bid_id in matched]
    mii = [i.bid_id for i in invited if i.basis == "mii_match" and i.bid_id in matched]
    lines: list[AwardLine] = []
    rest = quantity
    if mse:
        pool = quantity * policy.mse_share_bp // BP
        parts = _equal_parts(pool, len(mse))
        lines += [AwardLine(b, q, price, "mse_match") for b, q in zip(mse, parts, strict=True) if q]
        rest -= sum(parts)
    if mii:
        to_l1 = math.ceil(rest * policy.mii_l1_share_bp / BP)
        if rest - to_l1 > 0:
            lines.append(AwardLine(mii[0], rest - to_l1, price, "mii_match"))
        rest = to_l1
    return [AwardLine(l1.bid_id, rest, price, "l1"), *lines]


def _equal_parts(total: int, count: int) -> list[int]:
    base, extra = divmod(total, count)
    return [base + (1 if i < extra else 0) for i in range(count)]


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


# --- performance security ---------------------------------------------------------------------

EXPIRY_WARNING_DAYS = 30


def security_state(
    required_until: date, received_on: date | None, valid_until: date | None, today: date
) -> str:
    """pending | short (expires before it must) | expiring (within 30 days) | valid | expired."""
    if received_on is None or valid_until is None:
        return "pending"
    if valid_until < today:
        return "expired"
    if valid_until < required_until:
        return "short"
    if (valid_until - today).days <= EXPIRY_WARNING_DAYS:
        return "expiring"
    return "valid"
