"""The securities register: bid securities (EMD or a bid security declaration) per bid, and
performance securities (bank guarantees) per award.

Tendering keeps each bid's EMD status (held, refunded after the award or once the winner's
performance security is in, forfeited when an awardee declines: GFR 2017 rule 170, in
``tendering.domain.securities``); finance records the money: the refund paid back (date
and UTR) and a forfeiture with its reason, moving tendering's status through tendering's
own lifecycle. A bid security declaration (GFR 170 as the OM of 12-11-2020 allows) holds no
money; forfeiting it means invoking it (the bidder's suspension).

A performance security is recorded by the procurement officer on the order (its number,
receipt and validity); finance verifies it with the issuing bank (bank, amount, validity),
checks it against the amount fixed at the award and the validity tendering's rule requires
(GFR 2017 rule 171: 60 days past all obligations, warranty included), lists those to act on,
and releases it once the warranty obligations have ended and no warranty fault is open.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from oxychain.core.errors import Conflict, InvalidInput
from oxychain.core.i18n import N_
from oxychain.finance.domain.money import RUPEE, day
from oxychain.tendering.domain.contract import SecurityState, security_state
from oxychain.tendering.domain.securities import (
    EMD,
    PS_DAYS_PAST_WARRANTY,
    EmdStatus,
    days_short,
)

# --- bid securities ---------------------------------------------------------------------------


class BidSecurityForm(StrEnum):
    EMD = "emd"
    DECLARATION = "declaration"
    EXEMPT = "exempt"


class DepositState(StrEnum):
    HELD = "held"
    REFUND_DUE = "refund_due"  # released by the award, not yet paid back
    REFUNDED = "refunded"
    FORFEITED = "forfeited"
    EXEMPT = "exempt"
    DECLARED = "declared"  # a declaration, not invoked
    INVOKED = "invoked"  # a declaration invoked: the bidder is suspended


DEPOSIT_LABELS = {
    DepositState.HELD: N_("held"),
    DepositState.REFUND_DUE: N_("refund due"),
    DepositState.REFUNDED: N_("refunded"),
    DepositState.FORFEITED: N_("forfeited"),
    DepositState.EXEMPT: N_("exempt (MSE or startup)"),
    DepositState.DECLARED: N_("bid security declaration"),
    DepositState.INVOKED: N_("declaration invoked"),
}


def form_of(emd_paise: int, emd_status: str) -> BidSecurityForm:
    """A bid's security: exempt, money (EMD), or a declaration when it holds none."""
    if EmdStatus(emd_status) is EmdStatus.EXEMPT:
        return BidSecurityForm.EXEMPT
    return BidSecurityForm.EMD if emd_paise > 0 else BidSecurityForm.DECLARATION


def deposit_state(form: BidSecurityForm, emd_status: str, refund_paid: bool) -> DepositState:
    status = EmdStatus(emd_status)
    if form is BidSecurityForm.EXEMPT:
        return DepositState.EXEMPT
    if form is BidSecurityForm.DECLARATION:
        return DepositState.INVOKED if status is EmdStatus.FORFEITED else DepositState.DECLARED
    if status is EmdStatus.REFUNDED:
        return DepositState.REFUNDED if refund_paid else DepositState.REFUND_DUE
    return DepositState.FORFEITED if status is EmdStatus.FORFEITED else DepositState.HELD


def check_refund(form: BidSecurityForm, emd_status: str, refund_paid: bool) -> None:
    """An EMD is paid back once tendering has released it, and once only."""
    if form is not BidSecurityForm.EMD:
        raise Conflict("This bid holds no money to refund.")
    if refund_paid:
        raise Conflict("This EMD's refund is already recorded.")
    if EmdStatus(emd_status) is not EmdStatus.REFUNDED:
        raise Conflict("This EMD is not released yet: it is refunded after the award.")


def forfeit(emd_status: str, reason: str) -> tuple[EmdStatus, str]:
    """A held bid security forfeited (an EMD) or invoked (a declaration), with its reason."""
    why = reason.strip()
    if not why:
        raise InvalidInput("Say why the bid security is forfeited.")
    return EMD.move(emd_status, "forfeit"), why[:500]


# --- performance securities ---------------------------------------------------------------------


class GuaranteeState(StrEnum):
    PENDING = "pending"  # none recorded on the order
    UNVERIFIED = "unverified"  # recorded, not yet confirmed with the bank
    SHORT_AMOUNT = "short_amount"
    SHORT = "short"  # ends before it must
    EXPIRED = "expired"
    EXPIRING = "expiring"
    VALID = "valid"
    RELEASED = "released"


GUARANTEE_LABELS = {
    GuaranteeState.PENDING: N_("not yet received"),
    GuaranteeState.UNVERIFIED: N_("not yet verified with the bank"),
    GuaranteeState.SHORT_AMOUNT: N_("amount short"),
    GuaranteeState.SHORT: N_("expires too early"),
    GuaranteeState.EXPIRED: N_("expired"),
    GuaranteeState.EXPIRING: N_("expires soon"),
    GuaranteeState.VALID: N_("valid"),
    GuaranteeState.RELEASED: N_("released"),
}
#: States someone must act on: listed as alerts.
ALERTS = frozenset(GuaranteeState) - {GuaranteeState.VALID, GuaranteeState.RELEASED}


@dataclass(frozen=True)
class Verified:
    bank: str
    amount_paise: int
    valid_until: date


@dataclass(frozen=True)
class GuaranteeCheck:
    state: GuaranteeState
    amount_short_paise: int = 0
    days_short: int = 0


def check_guarantee(
    required_paise: int,
    required_until: date,
    received_on: date | None,
    valid_until: date | None,
    verified: Verified | None,
    released_on: date | None,
    today: date,
) -> GuaranteeCheck:
    """Where a performance security stands: tendering's validity states on the validity the
    bank confirmed (or, before that, the one recorded), then the amount."""
    if released_on is not None:
        return GuaranteeCheck(GuaranteeState.RELEASED)
    until = verified.valid_until if verified else valid_until
    state = security_state(required_until, received_on, until, today)
    if state is SecurityState.PENDING:
        return GuaranteeCheck(GuaranteeState.PENDING)
    short_days = days_short(required_until, until)
    if state is SecurityState.EXPIRED:
        return GuaranteeCheck(GuaranteeState.EXPIRED, days_short=short_days)
    if verified is None:
        return GuaranteeCheck(GuaranteeState.UNVERIFIED, days_short=short_days)
    if verified.amount_paise < required_paise:
        return GuaranteeCheck(
            GuaranteeState.SHORT_AMOUNT, required_paise - verified.amount_paise, short_days
        )
    return GuaranteeCheck(GuaranteeState(state.value), days_short=short_days)


def check_verification(
    bank: str, amount_paise: int, valid_until: date, received_on: date
) -> Verified:
    name = bank.strip()
    if not 2 <= len(name) <= 120:
        raise InvalidInput("Give the issuing bank and branch (2 to 120 characters).")
    if not 0 < amount_paise <= 10**15 or amount_paise % RUPEE:
        raise InvalidInput("Give the guarantee's amount in whole rupees.")
    if valid_until <= received_on:
        raise InvalidInput("The security must be valid after the day it is received.")
    return Verified(name, amount_paise, valid_until)


def obligations_end(required_until: date) -> date:
    """The end of the warranty obligations: the required validity less its 60-day margin."""
    return required_until - timedelta(days=PS_DAYS_PAST_WARRANTY)


def check_release(check: GuaranteeCheck, ends: date, open_faults: int, today: date) -> None:
    """A performance security is released once the warranty obligations have ended and no
    warranty fault is left open (GFR 2017 rule 171)."""
    if check.state is GuaranteeState.RELEASED:
        raise Conflict("This security is already released.")
    if check.state is GuaranteeState.PENDING:
        raise Conflict("No performance security is recorded on this order.")
    if today <= ends:
        raise Conflict(
            "The warranty obligations run until {day}: release after that.", day=day(ends)
        )
    if open_faults:
        raise Conflict("{count} warranty faults are still open.", count=open_faults)
