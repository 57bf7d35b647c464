"""Technical evaluation: the committee's finding on each criterion of each opened bid, with
its reason; concluding it fixes which bids are responsive (GFR 2017 rule 163)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from oxychain.core import clock
from oxychain.core.access import require
from oxychain.core.errors import Conflict, InvalidInput
from oxychain.core.people import ObjectScope
from oxychain.core.uow import UnitOfWork
from oxychain.tendering.domain import bid as rules
from oxychain.tendering.domain import tender as tendering
from oxychain.tendering.domain.tender import TenderStatus
from oxychain.tendering.services.tenders import require_tender
from oxychain.tendering.tables import Bid, TechnicalEvaluation, Tender, TenderCriterion


def _evaluator(uow: UnitOfWork, tender: Tender) -> None:
    """The officer, or a member of this tender's committee."""
    me = uow.principal
    seat = uow.tenders.member(tender.id, me.user_id)
    require(me, "tender.evaluate", ObjectScope(user_id=seat.user_id if seat else None))


@dataclass(frozen=True)
class BidUnderEvaluation:
    bid: Bid
    supplier_name: str
    cover_status: str
    failure: str | None
    technical: rules.TechnicalCover | None
    findings: dict[int, TechnicalEvaluation]


@dataclass(frozen=True)
class EvaluationState:
    tender: Tender
    criteria: list[TenderCriterion]
    bids: list[BidUnderEvaluation]
    open: bool  # findings can still be recorded


def evaluation_state(uow: UnitOfWork, reference: str) -> EvaluationState:
    require(uow.principal, "tender.evaluate")
    with uow:
        tender = require_tender(uow, reference)
        _evaluator(uow, tender)
        return _state(uow, tender)


def technical_record(uow: UnitOfWork, reference: str) -> EvaluationState:
    """The concluded evaluation, for anyone who may read the tender."""
    require(uow.principal, "tender.read")
    with uow:
        tender = require_tender(uow, reference)
        if tender.technical_concluded_at is None:
            raise Conflict("The technical evaluation is not concluded yet.")
        return _state(uow, tender)


def _state(uow: UnitOfWork, tender: Tender) -> EvaluationState:
    criteria = list(uow.tenders.criteria(tender.id))
    bids = list(uow.tenders.bids(tender.id, live_only=True))
    covers = uow.tenders.covers([b.id for b in bids])
    suppliers = uow.tenders.suppliers([b.supplier_id for b in bids])
    findings: dict[int, dict[int, TechnicalEvaluation]] = {b.id: {} for b in bids}
    for row in uow.tenders.findings([b.id for b in bids]):
        findings[row.bid_id][row.criterion_id] = row
    rows = []
    for bid in bids:
        cover = covers[(bid.id, rules.TECHNICAL)]
        technical = None
        if cover.status == rules.CoverStatus.OPENED.value:
            technical = rules.parse_technical(cover.content, tender.reference, bid.bidder)
        rows.append(
            BidUnderEvaluation(
                bid,
                suppliers[bid.supplier_id].name,
                cover.status,
                cover.failure,
                technical,
                findings[bid.id],
            )
        )
    is_open = tender.status == TenderStatus.TECHNICAL_EVALUATION.value
    return EvaluationState(tender, criteria, rows, is_open)


def record_findings(
    uow: UnitOfWork,
    reference: str,
    bid_id: int,
    findings: dict[int, tuple[bool, str]],
    now: datetime | None = None,
) -> int:
    """Record (or correct, until the evaluation is concluded) findings on one bid."""
    require(uow.principal, "tender.evaluate")
    now = now or clock.now()
    with uow:
        tender = uow.tenders.tender(reference, lock="update")
        _evaluator(uow, tender)
        if not findings:
            raise InvalidInput("No finding was given.")
        checked = {c: (bool(ok), rules.check_finding(why)) for c, (ok, why) in findings.items()}
        if tender.status != TenderStatus.TECHNICAL_EVALUATION.value:
            raise Conflict("Findings are recorded only during the technical evaluation.")
        bid = uow.tenders.bid(bid_id)
        cover = uow.tenders.covers([bid.id]).get((bid.id, rules.TECHNICAL))
        if bid.tender_id != tender.id or bid.status != rules.BidStatus.SUBMITTED.value:
            raise InvalidInput("Bid {bid} is not a live bid of this tender.", bid=bid_id)
        if cover.status != rules.CoverStatus.OPENED.value:
            raise Conflict("This bid's technical cover did not open; it cannot be evaluated.")
        criteria = {c.id for c in uow.tenders.criteria(tender.id)}
        if set(checked) - criteria:
            raise InvalidInput("Unknown criterion for this tender.")
        existing = {f.criterion_id: f for f in uow.tenders.findings([bid.id])}
        for criterion_id, (complies, reason) in checked.items():
            row = existing.get(criterion_id) or TechnicalEvaluation(
                bid_id=bid.id, criterion_id=criterion_id
            )
            before = {"complies": row.complies, "reason": row.reason} if row.id else None
            row.complies, row.reason = complies, reason
            row.evaluator_id, row.recorded_at = uow.principal.user_id or None, now
            uow.tenders.add(row)
            uow.record(
                "bid.finding",
                "bid",
                bid.id,
                before,
                {"criterion": criterion_id, "complies": complies, "reason": reason},
            )
        uow.commit()
        return len(checked)


def conclude_technical(uow: UnitOfWork, reference: str, now: datetime | None = None) -> Tender:
    """Fix who is responsive; only their financial covers will be opened."""
    require(uow.principal, "tender.evaluate")
    now = now or clock.now()
    with uow:
        tender = uow.tenders.tender(reference, lock="update")
        _evaluator(uow, tender)
        new = tendering.move(tender.status, TenderStatus.FINANCIAL_OPENING)
        bids = uow.tenders.bids(tender.id, live_only=True)
        covers = {b.id: uow.tenders.covers([b.id])[(b.id, rules.TECHNICAL)].status for b in bids}
        found = {
            (f.bid_id, f.criterion_id): rules.Finding(f.complies, f.reason)
            for f in uow.tenders.findings(list(covers))
        }
        criteria = [c.id for c in uow.tenders.criteria(tender.id)]
        verdicts = rules.conclude_technical(criteria, covers, found)
        for bid in bids:
            bid.responsive = verdicts[bid.id]
            uow.tenders.add(bid)
        tender.status, tender.technical_concluded_at = new.value, now
        uow.record(
            "tender.technical_concluded",
            "tender",
            reference,
            {"status": "technical_evaluation"},
            {"responsive": sorted(b.bidder for b in bids if b.responsive)},
        )
        uow.commit()
        return tender
