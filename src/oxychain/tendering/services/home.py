"""Tendering's items on a person's home page: what waits for the procurement officer, the
bid opener and the supplier."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from oxychain.core import clock
from oxychain.core.i18n import N_
from oxychain.core.people import Role
from oxychain.core.uow import UnitOfWork
from oxychain.core.work import WorkItem
from oxychain.tendering.domain.bid import CoverStatus
from oxychain.tendering.domain.tender import TenderStatus as S
from oxychain.tendering.domain.tender import effective_status

CLOSING_DAYS = 7  # "closing soon": the week a bidder still has to seal and upload
SECURITY_DAYS = 60  # a bank guarantee is renewed about two months before it lapses
EVALUATING = (S.TECHNICAL_OPENING, S.TECHNICAL_EVALUATION, S.FINANCIAL_OPENING)


def _link(refs: list[str], one: str, many: str) -> str:
    return one.format(refs[0]) if len(refs) == 1 else many


def home_queue(uow: UnitOfWork, settings: object, now: datetime) -> list[WorkItem]:
    role = uow.principal.role
    with uow:
        if role is Role.PROCUREMENT_OFFICER:
            return _officer(uow, now)
        if role is Role.BID_OPENER:
            return _opener(uow, now)
        if role is Role.SUPPLIER:
            return _supplier(uow, now)
    return []


def _officer(uow: UnitOfWork, now: datetime) -> list[WorkItem]:
    tenders = uow.tenders.tenders()
    closing = [
        t.reference
        for t in tenders
        if t.status == S.PUBLISHED and now <= _aware(t.deadline) <= now + timedelta(CLOSING_DAYS)
    ]
    evaluating = [t for t in tenders if S(t.status) in EVALUATING]
    today = clock.in_india(now)
    late = {po.id: po for _tranche, po in uow.contracts.late_tranches(today)}
    expiring = uow.contracts.expiring_securities(today, today + timedelta(SECURITY_DAYS))
    late_ids = sorted(late)
    return [
        WorkItem(
            N_("tenders closing for bids within 7 days"),
            len(closing),
            _link(closing, "/tenders/{}", "/tenders"),
        ),
        WorkItem(
            N_("tenders being opened or evaluated"),
            len(evaluating),
            _next_step(evaluating[0]) if len(evaluating) == 1 else "/tenders",
        ),
        WorkItem(
            N_("purchase orders with a tranche overdue"),
            len(late),
            _link([str(i) for i in late_ids], "/purchase-orders/{}", "/purchase-orders"),
            urgent=True,
        ),
        WorkItem(
            N_("performance securities expiring within 60 days"), len(expiring), "/securities"
        ),
    ]


def _next_step(tender) -> str:  # noqa: ANN001
    """Where an opened tender's next step is: its evaluation while the technical covers are
    judged, else its page (the opening's progress, the comparative statement and the award)."""
    if tender.status == S.TECHNICAL_EVALUATION:
        return f"/tenders/{tender.reference}/evaluation"
    return f"/tenders/{tender.reference}"


def _opener(uow: UnitOfWork, now: datetime) -> list[WorkItem]:
    seats = uow.tenders.memberships(uow.principal.user_id)
    due, coming = [], []
    for tender_id in sorted(seats):
        tender = uow.tenders.tender_by_id(tender_id)
        status = effective_status(tender.status, tender.deadline, now)
        if status in (S.CLOSED, S.TECHNICAL_OPENING, S.TECHNICAL_EVALUATION, S.FINANCIAL_OPENING):
            member = uow.tenders.member(tender_id, uow.principal.user_id)
            bids = uow.tenders.bids(tender_id, live_only=True)
            covers = uow.tenders.covers([b.id for b in bids])
            mine = uow.tenders.released_by(member.id)
            sealed = [
                c for c in covers.values() if c.status == CoverStatus.SEALED and c.id not in mine
            ]
            if sealed and _aware(tender.opening_at) <= now:
                due.append(tender.reference)
            elif sealed:
                coming.append(tender.reference)
        elif status == S.PUBLISHED:
            coming.append(tender.reference)
    return [
        WorkItem(
            N_("openings waiting for your key share"),
            len(due),
            _link(due, "/tenders/{}/opening", "/tenders"),
            urgent=True,
        ),
        WorkItem(
            N_("tenders on your committee still to be opened"),
            len(coming),
            _link(coming, "/tenders/{}", "/tenders"),
        ),
    ]


def _supplier(uow: UnitOfWork, now: datetime) -> list[WorkItem]:
    mine = uow.principal.supplier_id or -1
    unopened = (S.PUBLISHED, S.CLOSED, S.TECHNICAL_OPENING)
    waiting, sealed = [], []
    for t in uow.tenders.tenders([s.value for s in unopened]):
        bid = uow.tenders.live_bid(t.id, mine)
        if _aware(t.deadline) > now and t.status == S.PUBLISHED and bid is None:
            waiting.append(t.reference)
        elif bid is not None:
            sealed.append(t.reference)
    return [
        WorkItem(
            N_("tenders open for bids that you have not bid on"),
            len(waiting),
            _link(waiting, "/tenders/{}/bid", "/tenders"),
        ),
        WorkItem(
            N_("your sealed bids waiting for the opening"),
            len(sealed),
            _link(sealed, "/tenders/{}", "/tenders"),
        ),
    ]


def _aware(moment: datetime) -> datetime:
    """A moment read back from SQLite has no zone: it is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
