"""Tender use cases: create, publish, corrigendum, close, cancel (the committee: committee.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from oxychain.core import clock
from oxychain.core.access import require
from oxychain.core.errors import Conflict, InvalidInput, NotFound
from oxychain.core.people import Role
from oxychain.core.uow import UnitOfWork
from oxychain.masterdata.domain import catalogue, sampling
from oxychain.tendering.domain import bid as bid_rules
from oxychain.tendering.domain import tender as rules
from oxychain.tendering.domain.tender import ConsigneeLine, Policy, TenderStatus
from oxychain.tendering.tables import Corrigendum, Tender, TenderConsignee, TenderCriterion

IST = ZoneInfo("Asia/Kolkata")


def today_in_india(moment: datetime) -> date:
    return moment.astimezone(IST).date()


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


def _check_terms(cmd: CreateTender) -> None:
    if not cmd.title.strip() or not cmd.title_hi.strip():
        raise InvalidInput("A tender needs its title in English and in Hindi.")
    if cmd.quantity <= 0 or cmd.estimated_value_paise <= 0:
        raise InvalidInput("Quantity and estimated value must be above zero.")
    if not 30 <= cmd.bid_validity_days <= 365:
        raise InvalidInput("Bid validity is 30-365 days.")
    if not 0 <= cmd.warranty_months <= 120:
        raise InvalidInput("Warranty is 0-120 months.")
    if not 0 < cmd.ld_bp_per_week <= cmd.ld_cap_bp <= rules.BP:
        raise InvalidInput("Liquidated damages need a weekly rate above zero, at most the cap.")
    try:
        aql_ok = Decimal(cmd.aql) in sampling.AQLS
    except InvalidOperation:
        aql_ok = False
    if not aql_ok or cmd.inspection_level not in sampling.LEVELS:
        raise InvalidInput("Unknown AQL or inspection level.")
    rules.check_policy(cmd.policy)
    rules.check_threshold(cmd.openers_required)


def create_tender(uow: UnitOfWork, cmd: CreateTender, now: datetime | None = None) -> Tender:
    require(uow.principal, "tender.write")
    now = now or clock.now()
    reference = rules.check_reference(cmd.reference)
    _check_terms(cmd)
    rules.check_dates(cmd.deadline, cmd.opening_at, now)
    rules.check_performance_security(cmd.performance_security_bp, today_in_india(now))
    emd = rules.emd_amount(cmd.estimated_value_paise, cmd.emd_bp)
    item = catalogue.item_by_code(cmd.item_code)
    with uow:
        if uow.tenders.exists(reference):
            raise Conflict("Tender {ref} already exists.", ref=reference)
        item_row = uow.masterdata.item(item.code)
        lines = [_line(uow, *spec) for spec in cmd.consignees]
        rules.check_consignees(lines, cmd.quantity)
        tender = Tender(
            reference=reference,
            title=cmd.title.strip(),
            title_hi=cmd.title_hi.strip(),
            item_id=item_row.id,
            quantity=cmd.quantity,
            estimated_value_paise=cmd.estimated_value_paise,
            emd_bp=cmd.emd_bp,
            emd_paise=emd,
            performance_security_bp=cmd.performance_security_bp,
            ld_bp_per_week=cmd.ld_bp_per_week,
            ld_cap_bp=cmd.ld_cap_bp,
            warranty_months=cmd.warranty_months,
            bid_validity_days=cmd.bid_validity_days,
            openers_required=cmd.openers_required,
            aql=cmd.aql,
            inspection_level=cmd.inspection_level,
            status=TenderStatus.DRAFT.value,
            created_by_id=uow.principal.user_id or None,
            created_at=now,
            deadline=cmd.deadline,
            opening_at=cmd.opening_at,
            **vars(cmd.policy),
        )
        uow.tenders.add(tender)
        for line in lines:
            uow.tenders.add(TenderConsignee(tender_id=tender.id, **vars(line)))
        for position, c in enumerate(rules.criteria_for(item), start=1):
            uow.tenders.add(TenderCriterion(tender_id=tender.id, position=position, **vars(c)))
        uow.record("tender.create", "tender", reference, None, frozen_rules(uow, tender))
        uow.commit()
        return tender


def _line(uow: UnitOfWork, tranche: int, code: str, quantity: int, due_days: int) -> ConsigneeLine:
    warehouse = next((w for w in uow.masterdata.warehouses() if w.code == code), None)
    if warehouse is None:
        raise InvalidInput("No warehouse with code {value}.", value=code)
    return ConsigneeLine(tranche, warehouse.id, quantity, due_days)


FROZEN_FIELDS = [
    "reference",
    "title",
    "title_hi",
    "item_id",
    "quantity",
    "estimated_value_paise",
    "emd_bp",
    "emd_paise",
    "performance_security_bp",
    "ld_bp_per_week",
    "ld_cap_bp",
    "warranty_months",
    "bid_validity_days",
    "mii_preference",
    "mii_l1_share_bp",
    "mii_margin_bp",
    "mse_preference",
    "mse_share_bp",
    "mse_margin_bp",
    "openers_required",
    "aql",
    "inspection_level",
    "deadline",
    "opening_at",
]


def frozen_rules(uow: UnitOfWork, tender: Tender) -> dict[str, Any]:
    """Everything a bidder relies on: terms, criteria, consignees and the committee's keys."""
    out: dict[str, Any] = {name: getattr(tender, name) for name in FROZEN_FIELDS}
    out["deadline"] = tender.deadline.isoformat()
    out["opening_at"] = tender.opening_at.isoformat()
    out["criteria"] = [[c.key, c.requirement] for c in uow.tenders.criteria(tender.id)]
    out["consignees"] = [
        [c.tranche, c.warehouse_id, c.quantity, c.due_days]
        for c in uow.tenders.consignees(tender.id)
    ]
    out["committee"] = [[m.opener_id, m.public_key] for m in uow.tenders.committee(tender.id)]
    return out


# --- publish, corrigendum, close, cancel ------------------------------------------------------


def publish_tender(uow: UnitOfWork, reference: str, now: datetime | None = None) -> Tender:
    require(uow.principal, "tender.write")
    now = now or clock.now()
    with uow:
        tender = uow.tenders.tender(reference, lock="update")
        tender.status = rules.move(tender.status, TenderStatus.PUBLISHED).value
        rules.check_committee(tender.openers_required, len(uow.tenders.committee(tender.id)))
        if tender.deadline <= now:
            raise Conflict("The deadline has passed; set a new one before publishing.")
        rules.check_performance_security(tender.performance_security_bp, today_in_india(now))
        tender.published_at = now
        tender.tender_date = today_in_india(now)
        frozen = frozen_rules(uow, tender)
        tender.rules_sha256 = rules.rules_hash(frozen)
        uow.record(
            "tender.publish",
            "tender",
            reference,
            {"status": "draft"},
            {"rules": tender.rules_sha256},
        )
        uow.commit()
        return tender


CORRIGIBLE_TYPES = {
    "deadline": datetime,
    "opening_at": datetime,
    "estimated_value_paise": int,
    "emd_bp": int,
    "bid_validity_days": int,
    "warranty_months": int,
}


def publish_corrigendum(
    uow: UnitOfWork,
    reference: str,
    changes: dict[str, Any],
    text: str,
    now: datetime | None = None,
) -> Corrigendum:
    """Change a published tender's rules before its deadline, in public (DOMAIN.md)."""
    require(uow.principal, "tender.write")
    now = now or clock.now()
    with uow:
        tender = uow.tenders.tender(reference, lock="update")
        diff = {
            name: (getattr(tender, name), value)
            for name, value in changes.items()
            if value is not None and getattr(tender, name, None) != value
        }
        rules.check_corrigendum(tender.status, tender.deadline, tender.opening_at, now, diff, text)
        if not diff:
            raise InvalidInput("The corrigendum changes nothing.")
        for name, (_, value) in diff.items():
            setattr(tender, name, value)
        if {"estimated_value_paise", "emd_bp"} & set(diff):
            emd = rules.emd_amount(tender.estimated_value_paise, tender.emd_bp)
            diff["emd_paise"] = (tender.emd_paise, emd)
            tender.emd_paise = emd
        number = len(uow.tenders.corrigenda(tender.id)) + 1
        stored = {k: [_plain(a), _plain(b)] for k, (a, b) in diff.items()}
        row = Corrigendum(
            tender_id=tender.id, number=number, published_at=now, text=text.strip(), changes=stored
        )
        uow.tenders.add(row)
        tender.rules_sha256 = rules.rules_hash(frozen_rules(uow, tender))
        uow.record("tender.corrigendum", "tender", reference, None, {"number": number, **stored})
        uow.commit()
        return row


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def close_due(uow: UnitOfWork, tender: Tender, now: datetime) -> bool:
    """Inside a writing unit of work: close a published tender whose deadline has passed,
    publishing the count of live bids and one hash over their receipts."""
    if tender.status != TenderStatus.PUBLISHED.value or now < tender.deadline:
        return False
    tender.status = rules.move(tender.status, TenderStatus.CLOSED).value
    receipts = sorted(b.receipt_sha256 for b in uow.tenders.bids(tender.id, live_only=True))
    tender.closed_at = now
    tender.bid_count = len(receipts)
    tender.bids_sha256 = bid_rules.closing_hash(tender.reference, receipts)
    tender.closing_receipts = receipts
    uow.record(
        "tender.close",
        "tender",
        tender.reference,
        {"status": "published"},
        {"bids": tender.bid_count, "sha256": tender.bids_sha256},
    )
    return True


def close_tender(uow: UnitOfWork, reference: str, now: datetime | None = None) -> Tender:
    require(uow.principal, "tender.write")
    now = now or clock.now()
    with uow:
        tender = uow.tenders.tender(reference, lock="update")
        if not close_due(uow, tender, now):
            raise Conflict("Only a published tender past its deadline can be closed.")
        uow.commit()
        return tender


def cancel_tender(
    uow: UnitOfWork, reference: str, reason: str, now: datetime | None = None
) -> Tender:
    require(uow.principal, "tender.write")
    if not reason.strip():
        raise InvalidInput("Say why the tender is cancelled.")
    now = now or clock.now()
    with uow:
        tender = uow.tenders.tender(reference, lock="update")
        before = tender.status
        tender.status = rules.move(tender.status, TenderStatus.CANCELLED).value
        tender.cancelled_at, tender.cancel_reason = now, reason.strip()[:500]
        for bid in uow.tenders.bids(tender.id):
            if bid.emd_status == "held":
                bid.emd_status = "refunded"
        uow.record(
            "tender.cancel",
            "tender",
            reference,
            {"status": before},
            {"reason": tender.cancel_reason},
        )
        uow.commit()
        return tender


def require_tender(uow: UnitOfWork, reference: str) -> Tender:
    """Inside a unit of work: the tender, if the principal may see it (drafts: HQ only)."""
    tender = uow.tenders.tender(reference)
    if tender.status == TenderStatus.DRAFT.value and not can_see_drafts(uow.principal.role):
        raise NotFound("No tender with reference {ref}.", ref=reference)
    return tender


def can_see_drafts(role: str) -> bool:
    return role in (Role.PROCUREMENT_OFFICER, Role.AUDITOR, Role.ADMIN)
