"""What tendering tells people without anyone asking, run by the worker (``tendering.jobs``):
a tender closes at its deadline; one with nothing to award is flagged for cancellation;
suppliers who have not bid hear that bids are due; late tranches and expiring performance
securities are told to the supplier and the officers. Each notice has a key, so that it
reaches a person once however often the reminder runs."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from oxychain.core.formatting import indian_date
from oxychain.core.i18n import N_
from oxychain.core.notices.text import bilingual, moment
from oxychain.core.people import Role
from oxychain.core.uow import UnitOfWork
from oxychain.tendering.domain import tender as rules
from oxychain.tendering.domain.tender import TenderStatus
from oxychain.tendering.services.tenders import close_due
from oxychain.tendering.tables import Tender

CLOSED = (
    N_("Tender {reference} closed with {bids} bids"),
    N_("Tender {reference} ({title}) closed at its deadline, {deadline}, with {bids} bids."),
)
FLAGGED = (
    N_("Tender {reference} has nothing to award"),
    N_(
        "Tender {reference} ({title}) is flagged for cancellation: {reason} Cancel it, or "
        "publish a new tender."
    ),
)
BIDS_DUE = (
    N_("Bids for tender {reference} close at {deadline}"),
    N_("Tender {reference} ({title}) takes bids until {deadline}. Your firm has not bid yet."),
)
TRANCHE_LATE = (
    N_("Tranche {tranche} of order {order} is late"),
    N_(
        "Tranche {tranche} of purchase order {order} was due at {warehouse} on {due}; {short} "
        "devices are not delivered yet. Liquidated damages run from the due date."
    ),
)
SECURITY_EXPIRING = (
    N_("Performance security of {letter} expires on {until}"),
    N_(
        "The performance security ({reference}) of award {letter} is valid until {until}. "
        "Extend it before then: it must cover the warranty and 60 days more."
    ),
)


def _tender_params(tender: Tender) -> dict[str, object]:
    return {
        "reference": tender.reference,
        "title": tender.title,
        "title_hi": tender.title_hi,
        "deadline": moment(tender.deadline),
    }


def close_at_deadline(uow: UnitOfWork, reference: str, now: datetime) -> bool:
    """Close the tender if its deadline has passed (nothing when it is closed, cancelled
    or its deadline moved); tell the officers, and flag it when no bid came."""
    with uow:
        tender = uow.tenders.tender(reference, lock="update")
        if not close_due(uow, tender, now):
            return False
        subject, body = CLOSED
        uow.notices.notify(
            uow.people.recipients(Role.PROCUREMENT_OFFICER),
            key=f"tender-closed:{reference}",
            kind="tendering.closed",
            subject=subject,
            body=body,
            params={**_tender_params(tender), "bids": tender.bid_count},
            link=f"/tenders/{reference}",
            now=now,
        )
        _flag(uow, tender, now)
        uow.commit()
        return True


def close_overdue(uow: UnitOfWork, now: datetime) -> list[str]:
    """Every published tender past its deadline, closed (the one-off jobs' safety net)."""
    with uow:
        due = [
            t.reference
            for t in uow.tenders.tenders([TenderStatus.PUBLISHED.value])
            if rules.due_to_close(t.status, t.deadline, now)
        ]
    return [ref for ref in due if close_at_deadline(uow, ref, now)]


def flag_unanswered(uow: UnitOfWork, now: datetime) -> int:
    """Flag each tender that can award nothing (no bid, or no responsive bid)."""
    with uow:
        statuses = [TenderStatus.CLOSED.value, TenderStatus.FINANCIAL_OPENING.value]
        flagged = sum(
            _flag(uow, t, now) for t in uow.tenders.tenders(statuses) if t.flagged_at is None
        )
        uow.commit()
        return flagged


def _flag(uow: UnitOfWork, tender: Tender, now: datetime) -> bool:
    responsive = sum(1 for b in uow.tenders.bids(tender.id, live_only=True) if b.responsive)
    reason = rules.unanswered(tender.status, tender.bid_count, responsive)
    if reason is None:
        return False
    tender.flagged_at, tender.flag_reason = now, reason
    uow.record("tender.flag_cancellation", "tender", tender.reference, None, {"reason": reason})
    subject, body = FLAGGED
    uow.notices.notify(
        uow.people.recipients(Role.PROCUREMENT_OFFICER),
        key=f"tender-flagged:{tender.reference}",
        kind="tendering.flagged",
        subject=subject,
        body=body,
        params={**_tender_params(tender), **bilingual("reason", reason)},
        link=f"/tenders/{tender.reference}",
        now=now,
    )
    return True


def bids_due(uow: UnitOfWork, now: datetime, within: timedelta) -> int:
    """Tell each supplier without a live bid that a tender closes within ``within``."""
    made = 0
    with uow:
        suppliers = uow.people.recipients(Role.SUPPLIER)
        for tender in uow.tenders.tenders([TenderStatus.PUBLISHED.value]):
            if not now < tender.deadline <= now + within:
                continue
            bidders = {b.supplier_id for b in uow.tenders.bids(tender.id, live_only=True)}
            subject, body = BIDS_DUE
            made += uow.notices.notify(
                [p for p in suppliers if p.supplier_id not in bidders],
                # A corrigendum that moves the deadline earns a new reminder.
                key=f"bids-due:{tender.reference}:{tender.deadline:%Y%m%d%H%M}",
                kind="tendering.bids_due",
                subject=subject,
                body=body,
                params=_tender_params(tender),
                link=f"/tenders/{tender.reference}/bid",
                now=now,
            )
        uow.commit()
    return made


def tranches_late(uow: UnitOfWork, today: date, now: datetime) -> int:
    made = 0
    with uow:
        officers = uow.people.recipients(Role.PROCUREMENT_OFFICER)
        for tranche, order in uow.contracts.late_tranches(today):
            place = uow.contracts.warehouses([tranche.consignee_warehouse_id])[
                tranche.consignee_warehouse_id
            ]
            people = [*uow.people.recipients(Role.SUPPLIER, supplier_id=order.supplier_id)]
            subject, body = TRANCHE_LATE
            made += uow.notices.notify(
                people + list(officers),
                key=f"tranche-late:{order.number}:{tranche.number}:{place.code}:{tranche.due_date}",
                kind="tendering.tranche_late",
                subject=subject,
                body=body,
                params={
                    "order": order.number,
                    "tranche": tranche.number,
                    "warehouse": place.name,
                    "warehouse_hi": place.name_hi,
                    "due": indian_date(tranche.due_date),
                    "short": tranche.quantity - tranche.delivered_quantity,
                },
                link=f"/purchase-orders/{order.id}",
                now=now,
            )
        uow.commit()
    return made


def securities_expiring(uow: UnitOfWork, today: date, now: datetime, days: int) -> int:
    made = 0
    with uow:
        officers = uow.people.recipients(Role.PROCUREMENT_OFFICER)
        for award in uow.contracts.expiring_securities(today, today + timedelta(days=days)):
            people = [*uow.people.recipients(Role.SUPPLIER, supplier_id=award.supplier_id)]
            subject, body = SECURITY_EXPIRING
            made += uow.notices.notify(
                people + list(officers),
                key=f"security-expiring:{award.letter_number}:{award.ps_valid_until}",
                kind="tendering.security_expiring",
                subject=subject,
                body=body,
                params={
                    "letter": award.letter_number,
                    "reference": award.ps_reference or "—",
                    "until": indian_date(award.ps_valid_until),
                },
                link=f"/bids/{award.bid_id}/letter-of-award",
                now=now,
            )
        uow.commit()
    return made
