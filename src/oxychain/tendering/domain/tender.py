"""Tenders: the lifecycle, the rules frozen at publication, EMD, performance security, criteria.

Sources (../shared/DOMAIN.md, "Public procurement in India"):

* GFR 2017 rule 159/160: tenders are published; e-procurement is mandatory.
* GFR 2017 rule 163 (two-bid system): technical and financial covers, the financial ones
  opened only for technically responsive bidders.
* GFR 2017 rule 170 (bid security, EMD): 2-5 % of the estimated value; micro and small
  enterprises and registered startups are exempt.
* GFR 2017 rule 171 (performance security): valid 60 days past all obligations including
  warranty, at the rate in force on the date (see ``PERFORMANCE_SECURITY_RATES``).
* The rules of a tender are frozen once it is published; change comes only as a corrigendum
  published before the deadline (DOMAIN.md: a state corporation changed its rules after the
  opening to favour the second-lowest bidder).
"""

from __future__ import annotations

import hashlib
import json
import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from oxychain.core.errors import Conflict, InvalidInput
from oxychain.masterdata.domain.catalogue import Item

BP = 10_000  # basis points in a whole
MIN_OPENERS = 2  # a committee of one is no committee (Manual 5.2.7: authorised persons)
REFERENCE = re.compile(r"^[A-Z0-9][A-Z0-9-]{3,39}$")


class TenderStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CLOSED = "closed"
    TECHNICAL_OPENING = "technical_opening"
    TECHNICAL_EVALUATION = "technical_evaluation"
    FINANCIAL_OPENING = "financial_opening"
    AWARDED = "awarded"
    CANCELLED = "cancelled"


S = TenderStatus
#: The only moves a tender makes (GFR 163's order: technical before financial).
TRANSITIONS: dict[TenderStatus, frozenset[TenderStatus]] = {
    S.DRAFT: frozenset({S.PUBLISHED, S.CANCELLED}),
    S.PUBLISHED: frozenset({S.CLOSED, S.CANCELLED}),
    S.CLOSED: frozenset({S.TECHNICAL_OPENING, S.CANCELLED}),
    S.TECHNICAL_OPENING: frozenset({S.TECHNICAL_EVALUATION, S.CANCELLED}),
    S.TECHNICAL_EVALUATION: frozenset({S.FINANCIAL_OPENING, S.CANCELLED}),
    S.FINANCIAL_OPENING: frozenset({S.AWARDED, S.CANCELLED}),
    S.AWARDED: frozenset(),
    S.CANCELLED: frozenset(),
}


def move(current: str, target: TenderStatus) -> TenderStatus:
    """The new status; Conflict naming the current one when the move is not allowed."""
    status = TenderStatus(current)
    if target not in TRANSITIONS[status]:
        raise Conflict(
            "A tender that is {current} cannot become {target}.",
            current=status.value,
            target=target.value,
        )
    return target


# --- money and rates --------------------------------------------------------------------------


def share_of(amount_paise: int, rate_bp: int) -> int:
    """rate_bp basis points of an amount, rounded half up to the paisa."""
    value = Decimal(amount_paise) * Decimal(rate_bp) / BP
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


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


#: GFR 2017 rule 171 and the Finance Ministry's OMs, as DOMAIN.md lists them. The day on
#: which the April 2023 amendment took effect is not verified; 01-04-2023 is assumed.
PERFORMANCE_SECURITY_RATES = (
    PerformanceSecurityRate(
        None, date(2020, 11, 11), 500, 1000, "GFR 2017 rule 171: 5-10 % of the contract value"
    ),
    PerformanceSecurityRate(
        date(2020, 11, 12),
        date(2021, 12, 31),
        300,
        300,
        "MoF OM of 12-11-2020: 3 % for contracts concluded up to 31-12-2021",
    ),
    PerformanceSecurityRate(
        date(2022, 1, 1), date(2023, 3, 31), 500, 1000, "GFR 2017 rule 171: 5-10 % again"
    ),
    PerformanceSecurityRate(
        date(2023, 4, 1),
        date(2023, 12, 28),
        300,
        1000,
        "GFR rule 171 as amended in April 2023: 3-10 % (start day unverified)",
    ),
    PerformanceSecurityRate(
        date(2023, 12, 29), None, 300, 500, "MoF OM of 29-12-2023: 3-5 % for goods"
    ),
)


def performance_security_rate(on: date) -> PerformanceSecurityRate:
    """The rate range in force on a date (the tender's date)."""
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


def performance_security_valid_until(last_delivery: date, warranty_months: int) -> date:
    """Valid 60 days past all obligations including warranty (GFR 2017 rule 171)."""
    return add_months(last_delivery, warranty_months) + timedelta(days=PS_DAYS_PAST_WARRANTY)


# --- criteria ---------------------------------------------------------------------------------

SRC_GFR_151 = "GFR 2017 rule 151 (debarment)"
SRC_ELIGIBILITY = "Manual for Procurement of Goods 2017, eligibility and qualification criteria"


@dataclass(frozen=True)
class Criterion:
    key: str
    kind: str  # eligibility | technical
    label: str
    label_hi: str
    requirement: str
    source: str


ELIGIBILITY = (
    Criterion(
        "registered_firm",
        "eligibility",
        "Registered firm with a valid GST registration",
        "वैध जीएसटी पंजीकरण वाली पंजीकृत फर्म",
        "required",
        SRC_ELIGIBILITY,
    ),
    Criterion(
        "manufacturer_or_authorised",
        "eligibility",
        "Manufacturer, or dealer authorised by the manufacturer",
        "निर्माता, या निर्माता द्वारा अधिकृत डीलर",
        "required",
        SRC_ELIGIBILITY,
    ),
    Criterion(
        "not_debarred",
        "eligibility",
        "Not debarred by any government buyer",
        "किसी सरकारी क्रेता द्वारा प्रतिबंधित नहीं",
        "required",
        SRC_GFR_151,
    ),
)


def criteria_for(item: Item) -> tuple[Criterion, ...]:
    """Eligibility criteria, then one technical criterion per limit of the item's spec."""
    technical = tuple(
        Criterion(
            limit.key, "technical", limit.label, limit.label_hi, limit.describe(), limit.source
        )
        for limit in item.limits
    )
    return ELIGIBILITY + technical


# --- the tender's rules -----------------------------------------------------------------------


@dataclass(frozen=True)
class ConsigneeLine:
    tranche: int
    warehouse_id: int
    quantity: int
    due_days: int


@dataclass(frozen=True)
class Policy:
    """Purchase preferences the tender applies at award (DOMAIN.md, "Award")."""

    mii_preference: bool = False
    mii_l1_share_bp: int = 5000
    mii_margin_bp: int = 2000
    mse_preference: bool = False
    mse_share_bp: int = 2500
    mse_margin_bp: int = 1500


def check_reference(reference: str) -> str:
    ref = reference.strip().upper()
    if not REFERENCE.match(ref):
        raise InvalidInput("A tender reference has 4-40 capital letters, digits and hyphens.")
    return ref


def check_dates(deadline: datetime, opening_at: datetime, now: datetime) -> None:
    if deadline.tzinfo is None or opening_at.tzinfo is None:
        raise InvalidInput("Times must say their time zone.")
    if deadline <= now:
        raise InvalidInput("The deadline must be in the future.")
    if opening_at < deadline:
        raise InvalidInput("The opening time must be at or after the deadline.")


def check_consignees(lines: list[ConsigneeLine], quantity: int) -> None:
    if not lines:
        raise InvalidInput("A tender needs at least one consignee line.")
    seen = set()
    for line in lines:
        if line.quantity <= 0 or line.due_days <= 0 or line.tranche <= 0:
            raise InvalidInput("Consignee quantities, tranches and due days must be above zero.")
        if (line.tranche, line.warehouse_id) in seen:
            raise InvalidInput(
                "A warehouse appears twice in tranche {tranche}.", tranche=line.tranche
            )
        seen.add((line.tranche, line.warehouse_id))
    total = sum(line.quantity for line in lines)
    if total != quantity:
        raise InvalidInput(
            "Consignee quantities add up to {total}, not the tender quantity {quantity}.",
            total=total,
            quantity=quantity,
        )


def check_policy(policy: Policy) -> None:
    for bp in (policy.mii_l1_share_bp, policy.mse_share_bp):
        if not 0 < bp < BP:
            raise InvalidInput("Preference shares must be between 0 and 100 %.")
    if policy.mii_margin_bp < 0 or policy.mse_margin_bp < 0:
        raise InvalidInput("Preference margins cannot be negative.")


def check_threshold(k: int) -> None:
    """k openers are needed to open a bid: at least MIN_OPENERS, at most 255 (GF(256))."""
    if not MIN_OPENERS <= k <= 255:
        raise InvalidInput("At least {m} openers must be needed to open bids.", m=MIN_OPENERS)


def check_committee(k: int, n: int) -> None:
    """k of n openers open the bids; at least MIN_OPENERS, and never more than sit."""
    check_threshold(k)
    if n < k:
        raise Conflict(
            "The committee has {n} openers with keys; {k} are needed to open bids.", n=n, k=k
        )


def rules_hash(rules: dict[str, Any]) -> str:
    """SHA-256 over the canonical JSON of the frozen rules; published with the tender."""
    text = json.dumps(rules, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


# --- corrigenda -------------------------------------------------------------------------------

#: What a corrigendum may change; consignees, criteria and the committee are fixed (bids
#: are sealed to the committee's keys).
AMENDABLE = (
    "deadline",
    "opening_at",
    "estimated_value_paise",
    "emd_bp",
    "bid_validity_days",
    "warranty_months",
)


def check_corrigendum(
    status: str,
    deadline: datetime,
    opening_at: datetime,
    now: datetime,
    changes: dict[str, tuple[Any, Any]],
    text: str,
) -> None:
    """Only a published tender, before its deadline, with a stated reason (DOMAIN.md)."""
    if TenderStatus(status) is not S.PUBLISHED:
        raise Conflict("Only a published tender takes a corrigendum.")
    if now >= deadline:
        raise Conflict("The deadline has passed: the tender's rules are final.")
    if not text.strip():
        raise InvalidInput("A corrigendum says what changes and why.")
    unknown = set(changes) - set(AMENDABLE)
    if unknown:
        raise InvalidInput(
            "A corrigendum cannot change {fields}.", fields=", ".join(sorted(unknown))
        )
    new_deadline = changes.get("deadline", (None, deadline))[1]
    new_opening = changes.get("opening_at", (None, opening_at))[1]
    if new_deadline <= now:
        raise InvalidInput("The new deadline must be in the future.")
    if new_opening < new_deadline:
        raise InvalidInput("The opening time must be at or after the deadline.")
