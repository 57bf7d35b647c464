"""Award: L1 ranking, the split award, letters of award, the performance security's state.

Sources (../shared/DOMAIN.md, "Public procurement in India"):

* Award to the lowest evaluated bid (L1).
* Make in India (Public Procurement (Preference to Make in India) Order 2017): where L1 is
  not a Class-I local supplier, L1 gets 50 % and the lowest Class-I supplier within the
  margin of purchase preference that matches the L1 price gets the rest. The margin (20 %)
  is not in DOMAIN.md: a setting (``mii_margin_bp``).
* Micro and small enterprises (Public Procurement Policy for MSEs Order 2012): MSEs within
  L1 + 15 % that match L1 share a part of the quantity: 20 % in older text, 25 % unverified,
  so a setting (``mse_share_bp``, default 25 %).

How the two preferences combine is this system's reading, stated so it can be checked: the
MSE share is set aside first, for the matching MSEs (in rank order, equal parts); the Make
in India split applies to the rest. A bidder matches on one basis only.

Purchase orders, tranches and liquidated damages: ``purchase_order``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from oxychain.core.errors import Conflict, InvalidInput
from oxychain.core.i18n import N_
from oxychain.core.states import Lifecycle
from oxychain.tendering.domain.securities import BP, share_of
from oxychain.tendering.domain.tender import Policy


class AwardStatus(StrEnum):
    AWARDED = "awarded"
    DECLINED = "declined"


#: An awardee may decline (or fail to furnish its security) until its order is issued.
AWARD = Lifecycle(
    "award",
    AwardStatus,
    {"decline": ([AwardStatus.AWARDED], AwardStatus.DECLINED)},
    message=N_("Only an award without a purchase order can be declined."),
)


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

    def security(self, rate_bp: int) -> int:
        """The performance security it needs: the tender's rate on its value (GFR 171)."""
        return share_of(self.quantity * self.unit_price_paise, rate_bp)


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


def letter_number(tender: str, number: int) -> str:
    return f"LOA/{tender}/{number}"


def is_standing(award_status: str) -> bool:
    return AwardStatus(award_status) is AwardStatus.AWARDED


def decline_reason(reason: str) -> str:
    if not reason.strip():
        raise InvalidInput("Say why the award is declined.")
    return reason.strip()[:300]


def decline(award_status: str, orders_issued: bool) -> AwardStatus:
    """Declining forfeits the awardee's EMD (GFR 170); once its order is out, it is too late."""
    if orders_issued:
        raise Conflict(AWARD.message)
    return AWARD.move(award_status, "decline")


def check_security(award_status: str, reference: str, received_on: date, valid_until: date) -> str:
    """The performance security of a standing award, by its bank guarantee number."""
    if not reference.strip():
        raise InvalidInput("Give the security's reference (bank guarantee number).")
    if valid_until <= received_on:
        raise InvalidInput("The security must be valid after the day it is received.")
    if not is_standing(award_status):
        raise Conflict("This award was declined.")
    return reference.strip()[:120]


# --- performance security ---------------------------------------------------------------------

EXPIRY_WARNING_DAYS = 30


class SecurityState(StrEnum):
    """Where an award's performance security stands today (derived, never stored)."""

    PENDING = "pending"
    SHORT = "short"  # expires before it must
    EXPIRING = "expiring"  # within 30 days
    VALID = "valid"
    EXPIRED = "expired"


def security_state(
    required_until: date, received_on: date | None, valid_until: date | None, today: date
) -> SecurityState:
    if received_on is None or valid_until is None:
        return SecurityState.PENDING
    if valid_until < today:
        return SecurityState.EXPIRED
    if valid_until < required_until:
        return SecurityState.SHORT
    if (valid_until - today).days <= EXPIRY_WARNING_DAYS:
        return SecurityState.EXPIRING
    return SecurityState.VALID
