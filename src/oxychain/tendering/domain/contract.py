"""Award: L1 ranking, the split award, letters of award, the performance security's state.

Sources (../shared/DOMAIN.md, "Public procurement in India"):

* Award to the lowest evaluated bid (L1).
* Public Procurement (Preference to Make in India) Order 2017, revised 16-09-2020: for
  divisible quantities where L1 is not Class-I, L1 gets 50 % and the lowest Class-I bidder
  within the margin of purchase preference (20 %, a setting: ``mii_margin_bp``) that matches
  L1's price gets the rest.
* Public Procurement Policy for Micro and Small Enterprises Order 2012 (amended 2018): an MSE
  within L1 + 15 % that matches L1 may get up to 25 % of the quantity when L1 is not an MSE
  (a setting: ``mse_share_bp``); traders are excluded, so only a bid offered as manufacturer
  takes the MSE preference.

How the two combine in one tender is settled by neither Order, so the order of application
is a setting frozen with the tender (``Policy.preference_order``). L1's 50 % under Make in
India is of the whole quantity (issue 11: L1 ended with 38 of 100 units when the 50 % was
taken of what the MSE share left). The preference applied first takes its whole share; the
second takes its share of what is left above L1's 50 %. A bidder matches on one basis only.

Purchase orders, tranches and liquidated damages: ``purchase_order``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from oxychain.core.errors import Conflict, InvalidInput
from oxychain.core.i18n import N_
from oxychain.core.states import Lifecycle
from oxychain.tendering.domain.securities import BP, share_of
from oxychain.tendering.domain.tender import MII_FIRST, MSE_FIRST, Policy


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
    is_trader: bool = False  # offered as trader: no MSE preference (MSE Order 2012)


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
            and not offer.is_trader
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
    ranked: Sequence[Offer],
    quantity: int,
    policy: Policy,
    matched: set[int],
    taken: Mapping[int, int] | None = None,
) -> list[AwardLine]:
    """Award lines: L1's, then the matching bidders' at L1's price.

    ``matched`` holds the bid ids of invited bidders who agreed (in writing) to match L1;
    ``taken`` the quantity a matching Class-I bidder takes when it takes less than offered:
    the rest is offered to the next matching Class-I, and what no one takes goes to L1
    (Make in India Order 2017, revised 16-09-2020).
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
    taken = dict(taken or {})
    if set(taken) - set(mii):
        raise InvalidInput("Only a matching Class-I bidder can take less than offered.")
    if any(q < 0 for q in taken.values()):
        raise InvalidInput("A quantity taken cannot be negative.")
    mse_q, mii_q = shares(quantity, policy, bool(mse), bool(mii))
    lines: list[AwardLine] = []
    if mse_q:
        parts = _equal_parts(mse_q, len(mse))
        lines += [AwardLine(b, q, price, "mse_match") for b, q in zip(mse, parts, strict=True) if q]
    left = mii_q
    for bid_id in mii:  # in rank order: the lowest Class-I first, then the next
        share = min(left, taken.get(bid_id, left))
        if share:
            lines.append(AwardLine(bid_id, share, price, "mii_match"))
        left -= share
    return [AwardLine(l1.bid_id, quantity - mse_q - mii_q + left, price, "l1"), *lines]


def shares(quantity: int, policy: Policy, mse: bool, mii: bool) -> tuple[int, int]:
    """(MSE units, Class-I units) of a divisible quantity; L1 takes the rest.

    Make in India keeps L1 at least ``mii_l1_share_bp`` of the whole quantity (50 %); the MSE
    share is ``mse_share_bp`` of the whole (25 %). The preference applied first (the tender's
    ``preference_order``) takes its whole share, the second what is left above L1's 50 %.
    """
    l1_floor = math.ceil(quantity * policy.mii_l1_share_bp / BP) if mii else 0
    above_floor = quantity - l1_floor
    mse_want = quantity * policy.mse_share_bp // BP if mse else 0
    if policy.preference_order == MII_FIRST:
        mii_q = above_floor if mii else 0
        return min(mse_want, quantity - l1_floor - mii_q), mii_q
    mse_q = min(mse_want, above_floor) if mii else mse_want
    return mse_q, (above_floor - mse_q) if mii else 0


#: Why an award line has its basis, as the award page, the API and the PO say it.
_REASONS = {
    "l1": N_("Lowest evaluated bid (L1)."),
    "l1_kept": N_(
        "Lowest evaluated bid (L1), not Class-I: it keeps {l1_share} % of the quantity (Public "
        "Procurement (Preference to Make in India) Order 2017, revised 16-09-2020)."
    ),
    "mse_match": N_(
        "MSE purchase preference: an MSE manufacturer within L1 + {mse_margin} % matched L1's "
        "price and gets up to {mse_share} % of the quantity; L1 is not an MSE (Public "
        "Procurement Policy for MSEs Order 2012, as amended 2018; traders excluded)."
    ),
    "mii_match": N_(
        "Make in India purchase preference: L1 is not Class-I; a Class-I local supplier within "
        "L1 + {mii_margin} % matched L1's price and gets the quantity above L1's {l1_share} % "
        "(Public Procurement (Preference to Make in India) Order 2017, revised 16-09-2020)."
    ),
}
_ORDER_NOTES = {
    MSE_FIRST: N_(
        "Both preferences applied: the MSE share first, then Make in India (the order of "
        "application is a setting; neither Order settles it)."
    ),
    MII_FIRST: N_(
        "Both preferences applied: Make in India first, then the MSE share (the order of "
        "application is a setting; neither Order settles it)."
    ),
}


@dataclass(frozen=True)
class Preference:
    """Which preference gave an award line its quantity and why (messages to translate)."""

    basis: str
    reason: str
    order_note: str | None
    params: dict[str, str]

    def english(self) -> str:
        text = self.reason.format(**self.params)
        return f"{text} {self.order_note}" if self.order_note else text


def preference(basis: str, policy: Policy, bases: set[str]) -> Preference:
    """The preference behind one line of an award whose lines have ``bases``."""
    key = "l1_kept" if basis == "l1" and "mii_match" in bases else basis
    both = {"mse_match", "mii_match"} <= bases and basis != "l1"
    params = {
        "l1_share": _pct(policy.mii_l1_share_bp),
        "mse_share": _pct(policy.mse_share_bp),
        "mse_margin": _pct(policy.mse_margin_bp),
        "mii_margin": _pct(policy.mii_margin_bp),
    }
    note = _ORDER_NOTES.get(policy.preference_order) if both else None
    return Preference(basis, _REASONS.get(key, _REASONS["l1"]), note, params)


def _pct(bp: int) -> str:
    return f"{bp / 100:g}"


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
