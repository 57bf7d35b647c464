"""Securities: the bid security (EMD) a bid carries and the performance security an award
needs, with the money rules both share.

Sources (../shared/DOMAIN.md, "Public procurement in India"):

* GFR 2017 rule 170 (bid security, EMD): 2-5 % of the estimated value; micro and small
  enterprises and registered startups are exempt. It is refunded to the bidders who do not
  win (and to the winner once its performance security is in), forfeited when an awardee
  declines.
* GFR 2017 rule 171 (performance security): valid 60 days past all obligations including
  warranty, at the rate in force on the date (see ``PERFORMANCE_SECURITY_RATES``).
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from oxychain.core.errors import InvalidInput
from oxychain.core.states import Lifecycle

BP = 10_000  # basis points in a whole


def share_of(amount_paise: int, rate_bp: int) -> int:
    """rate_bp basis points of an amount, rounded half up to the paisa."""
    value = Decimal(amount_paise) * Decimal(rate_bp) / BP
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


# --- bid security (EMD) -----------------------------------------------------------------------

EMD_MIN_BP, EMD_MAX_BP = 200, 500


def emd_amount(estimated_value_paise: int, emd_bp: int) -> int:
    """Bid security: 2-5 % of the estimated value (GFR 2017 rule 170), in whole rupees."""
    if not EMD_MIN_BP <= emd_bp <= EMD_MAX_BP:
        raise InvalidInput("EMD must be 2-5 % of the estimated value (GFR rule 170).")
    rupees = Decimal(share_of(estimated_value_paise, emd_bp)) / 100
    return int(rupees.quantize(Decimal(1), rounding=ROUND_HALF_UP)) * 100


def emd_exempt(is_mse: bool, is_startup: bool) -> bool:
    """Micro and small enterprises and registered startups pay no EMD (GFR 2017 rule 170)."""
    return bool(is_mse or is_startup)


class EmdStatus(StrEnum):
    HELD = "held"
    EXEMPT = "exempt"
    REFUNDED = "refunded"
    FORFEITED = "forfeited"


#: Only a security still held is refunded or forfeited; an exempt bidder paid none.
EMD = Lifecycle(
    "bid security",
    EmdStatus,
    {
        "refund": ([EmdStatus.HELD], EmdStatus.REFUNDED),
        "forfeit": ([EmdStatus.HELD], EmdStatus.FORFEITED),
    },
)


def bid_security(tender_emd_paise: int, is_mse: bool, is_startup: bool) -> tuple[int, EmdStatus]:
    """What a new bid deposits: the tender's EMD, held; nothing for an exempt bidder."""
    if emd_exempt(is_mse, is_startup):
        return 0, EmdStatus.EXEMPT
    return tender_emd_paise, EmdStatus.HELD


def settle_emd(current: str, action: str) -> EmdStatus:
    """The EMD after ``refund`` or ``forfeit``: it moves only while it is held."""
    return EMD.move(current, action) if EMD.can(current, action) else EmdStatus(current)


# --- bid security: EMD or a declaration --------------------------------------------------------


class BidSecurityMode(StrEnum):
    """How a tender secures its bids (GFR 2017 rule 170; DOMAIN.md)."""

    EMD = "emd"  # money, 2-5 % of the estimated value
    DECLARATION = "declaration"  # no money; a bidder who withdraws or breaches is suspended


#: DoE OM F.9/4/2020-PPD of 12-11-2020: the Bid Security Declaration was the only form of
#: bid security for tenders issued from 12-11-2020 up to 31-12-2021 (DOMAIN.md, rule 170).
DECLARATION_ONLY_FROM, DECLARATION_ONLY_UNTIL = date(2020, 11, 12), date(2021, 12, 31)
DECLARATION_SOURCE = "DoE OM F.9/4/2020-PPD of 12-11-2020"
#: A declaration states the suspension for a breach; debarment runs up to 3 years (rule 151).
SUSPENSION_MONTHS = (1, 36)


def declaration_only(issued_on: date) -> bool:
    return DECLARATION_ONLY_FROM <= issued_on <= DECLARATION_ONLY_UNTIL


def bid_security_mode(
    asked: str | None, emd_bp: int, suspension_months: int | None, issued_on: date
) -> tuple[BidSecurityMode, int, int | None]:
    """The tender's bid security as (mode, EMD rate in bp, suspension in months): a
    declaration by default, and the only form, for tenders issued 12-11-2020 to 31-12-2021
    (DoE OM F.9/4/2020-PPD); EMD by default otherwise. A declaration holds no money and
    names its suspension period; an EMD names none."""
    only = declaration_only(issued_on)
    try:
        mode = BidSecurityMode(asked) if asked else None
    except ValueError:
        raise InvalidInput("Bid security is either EMD or a bid security declaration.") from None
    mode = mode or (BidSecurityMode.DECLARATION if only else BidSecurityMode.EMD)
    if mode is BidSecurityMode.EMD:
        if only:
            raise InvalidInput(
                "Tenders issued from 12-11-2020 to 31-12-2021 take a bid security "
                "declaration, not EMD ({source}).",
                source=DECLARATION_SOURCE,
            )
        if not EMD_MIN_BP <= emd_bp <= EMD_MAX_BP:
            raise InvalidInput("EMD must be 2-5 % of the estimated value (GFR rule 170).")
        return mode, emd_bp, None
    low, high = SUSPENSION_MONTHS
    if suspension_months is None or not low <= suspension_months <= high:
        raise InvalidInput(
            "A bid security declaration states the suspension for a breach: {low}-{high} months.",
            low=low,
            high=high,
        )
    return mode, 0, suspension_months


def tender_emd_paise(mode: str, estimated_value_paise: int, emd_bp: int) -> int:
    """The money a bid deposits: the EMD, or nothing under a declaration."""
    if BidSecurityMode(mode) is BidSecurityMode.DECLARATION:
        return 0
    return emd_amount(estimated_value_paise, emd_bp)


# --- performance security ---------------------------------------------------------------------


@dataclass(frozen=True)
class PerformanceSecurityRate:
    """The range of performance security rates in force between two dates (inclusive)."""

    start: date | None
    end: date | None
    min_bp: int
    max_bp: int
    source: str

    def covers(self, on: date) -> bool:
        return (self.start is None or self.start <= on) and (self.end is None or on <= self.end)


#: GFR 2017 rule 171 and the Finance Ministry's OMs, as DOMAIN.md lists them (corrected
#: for issue 11): 3 % from the OM of 12-11-2020, extended to 31-03-2023; 3-10 % from the OM
#: of 03-04-2023; 3-5 % for goods from the OM of 29-12-2023. On 01-04-2023 and 02-04-2023
#: no relaxation was in force, so rule 171's own 5-10 % applied.
PERFORMANCE_SECURITY_RATES = (
    PerformanceSecurityRate(
        None, date(2020, 11, 11), 500, 1000, "GFR 2017 rule 171: 5-10 % of the contract value"
    ),
    PerformanceSecurityRate(
        date(2020, 11, 12),
        date(2023, 3, 31),
        300,
        300,
        "DoE OM F.9/4/2020-PPD of 12-11-2020: 3 %, extended to 31-03-2023",
    ),
    PerformanceSecurityRate(
        date(2023, 4, 1),
        date(2023, 4, 2),
        500,
        1000,
        "GFR 2017 rule 171: 5-10 % (the 3 % relaxation ended on 31-03-2023)",
    ),
    PerformanceSecurityRate(
        date(2023, 4, 3), date(2023, 12, 28), 300, 1000, "DoE OM of 03-04-2023: 3-10 %"
    ),
    PerformanceSecurityRate(
        date(2023, 12, 29), None, 300, 500, "DoE OM of 29-12-2023: 3-5 % for goods"
    ),
)


def performance_security_rate(on: date) -> PerformanceSecurityRate:
    """The rate range in force on a date: the tender's date, on which the contract's rate is
    fixed (GFR 2017 rule 171 and the OMs above)."""
    return next(r for r in PERFORMANCE_SECURITY_RATES if r.covers(on))


def check_performance_security(rate_bp: int, on: date) -> None:
    """A tender's rate must lie in the range in force on its date (GFR 2017 rule 171)."""
    rate = performance_security_rate(on)
    if not rate.min_bp <= rate_bp <= rate.max_bp:
        raise InvalidInput(
            "Performance security on {day} must be {low}-{high} % ({source}).",
            day=on.strftime("%d-%m-%Y"),
            low=_pct(rate.min_bp),
            high=_pct(rate.max_bp),
            source=rate.source,
        )


def _pct(bp: int) -> str:
    return f"{Decimal(bp) / 100:g}"


def add_months(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


PS_DAYS_PAST_WARRANTY = 60


def warranty_end(start: date, warranty_months: int) -> date:
    """The last day of a warranty that starts on ``start`` (24 months from 01-03-2024 end on
    28-02-2026, as distribution counts a device's warranty); no warranty ends on its start."""
    if warranty_months <= 0:
        return start
    return add_months(start, warranty_months) - timedelta(days=1)


def obligations_basis(
    due: Iterable[date], delivered: Iterable[date], accepted: Iterable[date], all_accepted: bool
) -> date:
    """The day the goods' warranty runs from: the latest acceptance once every unit is
    accepted; before that the latest of the due dates, deliveries and acceptances so far, so
    a late delivery or acceptance pushes the security's validity out (DOMAIN.md, rule 171)."""
    accepted = list(accepted)
    if all_accepted and accepted:
        return max(accepted)
    days = [*due, *delivered, *accepted]
    if not days:
        raise InvalidInput("An order needs a due date before its security can be reckoned.")
    return max(days)


def performance_security_valid_until(basis: date, warranty_months: int) -> date:
    """GFR 2017 rule 171: valid until 60 days after the last contractual obligation,
    warranty included: the latest acceptance (``obligations_basis``) plus the warranty plus
    60 days. Due 01-01-2024, accepted 01-03-2024, 24 months: 29-04-2026 (issue 11)."""
    return warranty_end(basis, warranty_months) + timedelta(days=PS_DAYS_PAST_WARRANTY)


def performance_security_required_until(
    due: Iterable[date],
    delivered: Iterable[date],
    accepted: Iterable[date],
    warranty_months: int,
    all_accepted: bool = False,
) -> date:
    """The one rule for the validity an order's performance security needs (rule 171)."""
    basis = obligations_basis(due, delivered, accepted, all_accepted)
    return performance_security_valid_until(basis, warranty_months)


def days_short(required_until: date, valid_until: date | None) -> int:
    """How many days a guarantee ends before it must (0 when it runs long enough)."""
    return 0 if valid_until is None else max(0, (required_until - valid_until).days)
