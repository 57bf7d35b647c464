"""Tenders: the lifecycle, the terms of a draft, the rules frozen at publication.

Sources (../shared/DOMAIN.md, "Public procurement in India"):

* GFR 2017 rule 159/160: tenders are published; e-procurement is mandatory.
* GFR 2017 rule 163 (two-bid system): technical and financial covers, the financial ones
  opened only for technically responsive bidders.
* The rules of a tender are frozen once it is published; change comes only as a corrigendum
  published before the deadline (DOMAIN.md: a state corporation changed its rules after the
  opening to favour the second-lowest bidder).

EMD and performance security: ``securities``; the criteria: ``criteria``; corrigenda:
``corrigendum``.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from oxychain.core.clock import in_india
from oxychain.core.errors import Conflict, InvalidInput
from oxychain.core.i18n import N_
from oxychain.core.states import Lifecycle
from oxychain.masterdata.domain import sampling
from oxychain.tendering.domain.local_content import CLASS_I_PCT, CLASS_II_PCT, Thresholds
from oxychain.tendering.domain.securities import (
    BP,
    bid_security_mode,
    check_performance_security,
    tender_emd_paise,
)

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

#: The only moves a tender makes (GFR 163's order: technical before financial); a tender
#: may be cancelled until it is awarded.
TENDER = Lifecycle(
    "tender",
    TenderStatus,
    {
        "publish": ([S.DRAFT], S.PUBLISHED),
        "close": ([S.PUBLISHED], S.CLOSED),
        "open_technical": ([S.CLOSED], S.TECHNICAL_OPENING),
        "begin_evaluation": ([S.TECHNICAL_OPENING], S.TECHNICAL_EVALUATION),
        "conclude_technical": ([S.TECHNICAL_EVALUATION], S.FINANCIAL_OPENING),
        "award": ([S.FINANCIAL_OPENING], S.AWARDED),
        "cancel": ([s for s in S if s not in (S.AWARDED, S.CANCELLED)], S.CANCELLED),
    },
    message=N_("A tender that is {status} cannot become {target}."),
)

#: Steps that leave the status as it is, by the statuses they are open in.
STEPS: dict[str, frozenset[TenderStatus]] = {
    "seat_opener": frozenset({S.DRAFT}),  # the committee freezes with the rules
    "bid": frozenset({S.PUBLISHED}),
    "corrigendum": frozenset({S.PUBLISHED}),
    "release_shares": frozenset(S) - {S.DRAFT, S.CANCELLED},  # an opener's opening page
    "record_findings": frozenset({S.TECHNICAL_EVALUATION}),
    "compare": frozenset({S.FINANCIAL_OPENING, S.AWARDED}),
    "issue_orders": frozenset({S.AWARDED}),
}
BEFORE_DEADLINE = frozenset({"bid", "corrigendum"})
AFTER_DEADLINE = frozenset({"close"})
#: Anyone may read a tender but a draft; the bids show from the technical opening on.
PUBLIC = frozenset(S) - {S.DRAFT}
OPENED = frozenset({S.TECHNICAL_OPENING, S.TECHNICAL_EVALUATION, S.FINANCIAL_OPENING, S.AWARDED})


def is_public(status: str) -> bool:
    return TenderStatus(status) in PUBLIC


def is_opened(status: str) -> bool:
    return TenderStatus(status) in OPENED


def next_steps(
    status: str, deadline: datetime, now: datetime, orders_issued: bool = False
) -> frozenset[str]:
    """What may be done with a tender now: its lifecycle's moves and the steps above, the
    clock deciding between bids and corrigenda (before the deadline) and the close (after)."""
    current = TenderStatus(status)
    steps = TENDER.allowed_actions(current) | {s for s, at in STEPS.items() if current in at}
    steps -= BEFORE_DEADLINE if now >= deadline else AFTER_DEADLINE
    return steps - {"issue_orders"} if orders_issued else steps


def due_to_close(status: str, deadline: datetime, now: datetime) -> bool:
    """A published tender closes at its deadline, recorded by the first to act after it."""
    return TENDER.can(status, "close") and now >= deadline


def effective_status(status: str, deadline: datetime, now: datetime) -> TenderStatus:
    """The status as the rules read it: past its deadline a published tender takes no bid and
    takes technical shares, as if closed, even before anyone records the close."""
    return S.CLOSED if due_to_close(status, deadline, now) else TenderStatus(status)


def publish(tender: Any, seats: int, now: datetime) -> TenderStatus:
    """Publication freezes the rules: it needs a committee that can open the bids (``seats``
    openers with keys), a deadline still ahead and a performance security rate in force on
    the day."""
    target = TENDER.move(tender.status, "publish")
    check_committee(tender.openers_required, seats)
    if tender.deadline <= now:
        raise Conflict("The deadline has passed; set a new one before publishing.")
    check_performance_security(tender.performance_security_bp, in_india(now))
    bid_security_mode(
        tender.bid_security_mode,
        tender.emd_bp,
        tender.declaration_suspension_months,
        in_india(now),
    )
    return target


def close(status: str, deadline: datetime, now: datetime) -> TenderStatus:
    target = TENDER.move(status, "close")
    if now < deadline:
        raise Conflict("Only a published tender past its deadline can be closed.")
    return target


#: Why a tender is flagged for cancellation (GFR 2017 rule 173 leaves the decision to the
#: buyer; the worker only raises the flag and tells the officers).
NO_BID = N_("No bid was received by the deadline.")
NO_RESPONSIVE_BID = N_("No bid was found technically responsive.")


def unanswered(status: str, bids: int | None, responsive: int) -> str | None:
    """Why a tender has nothing to award (a reason above), or None while it may still."""
    current = TenderStatus(status)
    if current is S.CLOSED and not bids:
        return NO_BID
    if current is S.FINANCIAL_OPENING and responsive == 0:
        return NO_RESPONSIVE_BID
    return None


def cancel_reason(reason: str) -> str:
    text = reason.strip()
    if not text:
        raise InvalidInput("Say why the tender is cancelled.")
    return text[:500]


def check_seating(status: str) -> None:
    """Openers are seated on a draft only: bids are sealed to exactly the committee's keys."""
    if TenderStatus(status) not in STEPS["seat_opener"]:
        raise Conflict("The tender is published: its rules change only by corrigendum.")


# --- the terms of a draft ---------------------------------------------------------------------


@dataclass(frozen=True)
class ConsigneeLine:
    tranche: int
    warehouse_id: int
    quantity: int
    due_days: int


#: The order in which the MSE and Make in India preferences apply when both do; neither
#: Order settles it (DOMAIN.md, "Award"), so it is a setting frozen with each tender.
MSE_FIRST, MII_FIRST = "mse_first", "mii_first"
PREFERENCE_ORDERS = (MSE_FIRST, MII_FIRST)


@dataclass(frozen=True)
class Policy:
    """Purchase preferences the tender applies at award (DOMAIN.md, "Award")."""

    mii_preference: bool = False
    mii_l1_share_bp: int = 5000
    mii_margin_bp: int = 2000
    mse_preference: bool = False
    mse_share_bp: int = 2500
    mse_margin_bp: int = 1500
    preference_order: str = MSE_FIRST
    # Make in India Order 2017 (rev. 16-09-2020): class thresholds for the item, whether the
    # item is on the Department of Pharmaceuticals' list (only Class-I may bid), and whether
    # the tender is a global tender enquiry (open to non-local bids)
    mii_class_i_pct: int = CLASS_I_PCT
    mii_class_ii_pct: int = CLASS_II_PCT
    mii_class_i_only: bool = False
    global_tender: bool = False

    @property
    def thresholds(self) -> Thresholds:
        return Thresholds(self.mii_class_i_pct, self.mii_class_ii_pct)

    @classmethod
    def of(cls, terms: Any) -> Policy:
        """The policy a stored tender carries (its columns bear the same names)."""
        return cls(**{f.name: getattr(terms, f.name) for f in fields(cls)})


@dataclass(frozen=True)
class CreateTender:
    reference: str
    title: str
    title_hi: str
    item_code: str
    quantity: int
    estimated_value_paise: int
    emd_bp: int
    performance_security_bp: int
    deadline: datetime
    opening_at: datetime
    consignees: tuple[tuple[int, str, int, int], ...]  # (tranche, warehouse code, qty, due days)
    openers_required: int = 2
    bid_validity_days: int = 90
    warranty_months: int = 24
    ld_bp_per_week: int = 50
    ld_cap_bp: int = 1000
    policy: Policy = field(default_factory=Policy)
    aql: str = "2.5"
    inspection_level: str = "II"
    bid_security_mode: str | None = None  # "emd" or "declaration"; None: by the issue date
    declaration_suspension_months: int | None = None


def draft(cmd: CreateTender, now: datetime) -> dict[str, Any]:
    """A new tender's stored terms, once every rule of a draft holds (its consignee lines
    are checked with ``check_consignees`` once their warehouses are known)."""
    reference = check_reference(cmd.reference)
    check_terms(cmd)
    check_dates(cmd.deadline, cmd.opening_at, now)
    check_performance_security(cmd.performance_security_bp, in_india(now))
    mode, emd_bp, suspension = bid_security_mode(
        cmd.bid_security_mode, cmd.emd_bp, cmd.declaration_suspension_months, in_india(now)
    )
    copied = ("quantity", "estimated_value_paise", "performance_security_bp")
    copied += ("ld_bp_per_week", "ld_cap_bp", "warranty_months", "bid_validity_days")
    copied += ("openers_required", "aql", "inspection_level", "deadline", "opening_at")
    return {
        "reference": reference,
        "title": cmd.title.strip(),
        "title_hi": cmd.title_hi.strip(),
        **{name: getattr(cmd, name) for name in copied},
        **asdict(cmd.policy),
        "emd_bp": emd_bp,
        "emd_paise": tender_emd_paise(mode, cmd.estimated_value_paise, emd_bp),
        "bid_security_mode": mode.value,
        "declaration_suspension_months": suspension,
        "status": S.DRAFT,
        "created_at": now,
    }


def check_terms(cmd: CreateTender) -> None:
    if not cmd.title.strip() or not cmd.title_hi.strip():
        raise InvalidInput("A tender needs its title in English and in Hindi.")
    if cmd.quantity <= 0 or cmd.estimated_value_paise <= 0:
        raise InvalidInput("Quantity and estimated value must be above zero.")
    if not 30 <= cmd.bid_validity_days <= 365:
        raise InvalidInput("Bid validity is 30-365 days.")
    if not 0 <= cmd.warranty_months <= 120:
        raise InvalidInput("Warranty is 0-120 months.")
    if not 0 < cmd.ld_bp_per_week <= cmd.ld_cap_bp <= BP:
        raise InvalidInput("Liquidated damages need a weekly rate above zero, at most the cap.")
    try:
        aql_ok = Decimal(cmd.aql) in sampling.AQLS
    except InvalidOperation:
        aql_ok = False
    if not aql_ok or cmd.inspection_level not in sampling.LEVELS:
        raise InvalidInput("Unknown AQL or inspection level.")
    check_policy(cmd.policy)
    check_threshold(cmd.openers_required)


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
    if policy.preference_order not in PREFERENCE_ORDERS:
        raise InvalidInput("The order of preferences is mse_first or mii_first.")
    Thresholds(policy.mii_class_i_pct, policy.mii_class_ii_pct)  # refuses them out of order


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
