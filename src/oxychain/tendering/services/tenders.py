"""Tender use cases: create, publish, corrigendum, close, cancel (the committee: committee.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from oxychain.core import clock
from oxychain.core.access import require
from oxychain.core.errors import Conflict, InvalidInput, NotFound
from oxychain.core.people import Role
from oxychain.core.uow import UnitOfWork
from oxychain.masterdata.domain import catalogue
from oxychain.tendering.domain import bid as bid_rules
from oxychain.tendering.domain import corrigendum, published_rules
from oxychain.tendering.domain import tender as rules
from oxychain.tendering.domain.criteria import criteria_for
from oxychain.tendering.domain.securities import settle_emd
from oxychain.tendering.domain.tender import TENDER, ConsigneeLine, CreateTender
from oxychain.tendering.tables import Corrigendum, Tender, TenderConsignee, TenderCriterion

#: The worker's job that closes a published tender at its deadline (``tendering.jobs``),
#: scheduled at publication, moved by a corrigendum, cancelled with the tender.
CLOSE_JOB = "tendering.close"


def create_tender(uow: UnitOfWork, cmd: CreateTender, now: datetime | None = None) -> Tender:
    require(uow.principal, "tender.write")
    now = now or clock.now()
    terms = rules.draft(cmd, now)
    item = catalogue.item_by_code(cmd.item_code)
    with uow:
        if uow.tenders.exists(terms["reference"]):
            raise Conflict("Tender {ref} already exists.", ref=terms["reference"])
        item_id = uow.masterdata.item(item.code).id
        lines = [_line(uow, *spec) for spec in cmd.consignees]
        rules.check_consignees(lines, cmd.quantity)
        tender = Tender(**terms, item_id=item_id, created_by_id=uow.principal.user_id or None)
        uow.tenders.add(tender)
        for line in lines:
            uow.tenders.add(TenderConsignee(tender_id=tender.id, **vars(line)))
        for position, c in enumerate(criteria_for(item), start=1):
            uow.tenders.add(TenderCriterion(tender_id=tender.id, position=position, **vars(c)))
        uow.record("tender.create", "tender", tender.reference, None, frozen_rules(uow, tender))
        uow.commit()
        return tender


def _line(uow: UnitOfWork, tranche: int, code: str, quantity: int, due_days: int) -> ConsigneeLine:
    warehouse = next((w for w in uow.masterdata.warehouses() if w.code == code), None)
    if warehouse is None:
        raise InvalidInput("No warehouse with code {value}.", value=code)
    return ConsigneeLine(tranche, warehouse.id, quantity, due_days)


def frozen_rules(uow: UnitOfWork, tender: Tender) -> dict[str, Any]:
    """Inside a unit of work: the rules a bidder relies on, as ``domain.tender.frozen``."""
    return published_rules.frozen(
        tender,
        uow.tenders.criteria(tender.id),
        uow.tenders.consignees(tender.id),
        uow.tenders.committee(tender.id),
    )


# --- publish, corrigendum, close, cancel ------------------------------------------------------


def publish_tender(uow: UnitOfWork, reference: str, now: datetime | None = None) -> Tender:
    require(uow.principal, "tender.write")
    now = now or clock.now()
    with uow:
        tender = uow.tenders.tender(reference, lock="update")
        seats = len(uow.tenders.committee(tender.id))
        before, tender.status = tender.status, rules.publish(tender, seats, now)
        tender.published_at, tender.tender_date = now, clock.in_india(now)
        tender.rules_sha256 = published_rules.rules_hash(frozen_rules(uow, tender))
        after = {"rules": tender.rules_sha256}
        uow.record("tender.publish", "tender", reference, {"status": before}, after)
        uow.jobs.schedule(CLOSE_JOB, reference, tender.deadline, now=now)
        uow.commit()
        return tender


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
        diff = corrigendum.changes(tender, changes, text, now)
        for name, (_, value) in diff.items():
            setattr(tender, name, value)
        number, stored = len(uow.tenders.corrigenda(tender.id)) + 1, corrigendum.as_record(diff)
        row = Corrigendum(
            tender_id=tender.id, number=number, published_at=now, text=text.strip(), changes=stored
        )
        uow.tenders.add(row)
        tender.rules_sha256 = published_rules.rules_hash(frozen_rules(uow, tender))
        uow.record("tender.corrigendum", "tender", reference, None, {"number": number, **stored})
        if "deadline" in diff:
            uow.jobs.schedule(CLOSE_JOB, reference, tender.deadline, now=now)
        uow.commit()
        return row


def close_due(uow: UnitOfWork, tender: Tender, now: datetime) -> bool:
    """Inside a writing unit of work: close a published tender whose deadline has passed,
    publishing the count of live bids and one hash over their receipts."""
    if not rules.due_to_close(tender.status, tender.deadline, now):
        return False
    receipts = sorted(b.receipt_sha256 for b in uow.tenders.bids(tender.id, live_only=True))
    before, tender.status = tender.status, rules.close(tender.status, tender.deadline, now)
    tender.closed_at, tender.bid_count, tender.closing_receipts = now, len(receipts), receipts
    tender.bids_sha256 = bid_rules.closing_hash(tender.reference, receipts)
    after = {"bids": tender.bid_count, "sha256": tender.bids_sha256}
    uow.record("tender.close", "tender", tender.reference, {"status": before}, after)
    return True


def close_tender(uow: UnitOfWork, reference: str, now: datetime | None = None) -> Tender:
    require(uow.principal, "tender.write")
    now = now or clock.now()
    with uow:
        tender = uow.tenders.tender(reference, lock="update")
        rules.close(tender.status, tender.deadline, now)  # refuses what close_due would skip
        close_due(uow, tender, now)
        uow.commit()
        return tender


def cancel_tender(
    uow: UnitOfWork, reference: str, reason: str, now: datetime | None = None
) -> Tender:
    require(uow.principal, "tender.write")
    why = rules.cancel_reason(reason)
    now = now or clock.now()
    with uow:
        tender = uow.tenders.tender(reference, lock="update")
        before, tender.status = tender.status, TENDER.move(tender.status, "cancel")
        tender.cancelled_at, tender.cancel_reason = now, why
        for bid in uow.tenders.bids(tender.id):
            bid.emd_status = settle_emd(bid.emd_status, "refund")
        uow.record("tender.cancel", "tender", reference, {"status": before}, {"reason": why})
        uow.jobs.cancel(CLOSE_JOB, reference)
        uow.commit()
        return tender


def require_tender(uow: UnitOfWork, reference: str) -> Tender:
    """Inside a unit of work: the tender, if the principal may see it (drafts: HQ only)."""
    tender = uow.tenders.tender(reference)
    if not rules.is_public(tender.status) and not can_see_drafts(uow.principal.role):
        raise NotFound("No tender with reference {ref}.", ref=reference)
    return tender


def can_see_drafts(role: str) -> bool:
    return role in (Role.PROCUREMENT_OFFICER, Role.AUDITOR, Role.ADMIN)
