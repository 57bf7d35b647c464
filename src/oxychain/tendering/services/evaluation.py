"""Technical evaluation: the committee's finding on each criterion of each opened bid, with
its reason; concluding it fixes which bids are responsive (GFR 2017 rule 163)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from oxychain.core import clock
from oxychain.core.access import require
from oxychain.core.errors import Conflict
from oxychain.core.people import ObjectScope
from oxychain.core.uow import UnitOfWork
from oxychain.tendering.domain import bid as rules
from oxychain.tendering.domain import local_content
from oxychain.tendering.domain.bid import CoverStatus
from oxychain.tendering.domain.tender import TENDER, Policy, next_steps
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
    local_class: str | None = None  # Make in India class of this bid (its own declaration)
    refusal: tuple[str, dict[str, str]] | None = None  # why the Order refuses it, if it does


@dataclass(frozen=True)
class EvaluationState:
    tender: Tender
    criteria: list[TenderCriterion]
    bids: list[BidUnderEvaluation]
    actions: frozenset[str]  # record_findings, conclude_technical while the evaluation runs


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
        technical, klass, refused = None, None, None
        if CoverStatus(cover.status) is CoverStatus.OPENED:
            technical = rules.parse_technical(cover.content, tender.reference, bid.bidder)
            klass, refused = make_in_india(tender, technical)
        rows.append(
            BidUnderEvaluation(
                bid,
                suppliers[bid.supplier_id].name,
                cover.status,
                cover.failure,
                technical,
                findings[bid.id],
                klass,
                refused,
            )
        )
    steps = next_steps(tender.status, tender.deadline, clock.now())
    return EvaluationState(tender, criteria, rows, steps)


def make_in_india(
    tender: Tender, technical: rules.TechnicalCover
) -> tuple[str, tuple[str, dict[str, str]] | None]:
    """The bid's class from its self-certified local content, and why the Make in India
    Order refuses it (non-local outside a global tender enquiry; not Class-I for an item
    on the Department of Pharmaceuticals' list), or None."""
    policy = Policy.of(tender)
    klass = technical.local_class(policy.thresholds)
    why = local_content.refusal(
        klass, technical.local_content_pct, policy.global_tender, policy.mii_class_i_only
    )
    return klass.value, why


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
        checked = rules.checked_findings(findings)
        rules.check_evaluation_open(tender.status)
        bid = uow.tenders.bid(bid_id)
        cover = uow.tenders.covers([bid.id]).get((bid.id, rules.TECHNICAL))
        criteria = [c.id for c in uow.tenders.criteria(tender.id)]
        of_tender = bid.tender_id == tender.id
        rules.check_evaluable(bid_id, of_tender, bid.status, cover.status, checked, criteria)
        existing = {f.criterion_id: f for f in uow.tenders.findings([bid.id])}
        for criterion_id, (complies, reason) in checked.items():
            row = existing.get(criterion_id) or TechnicalEvaluation(
                bid_id=bid.id, criterion_id=criterion_id
            )
            before = {"complies": row.complies, "reason": row.reason} if row.id else None
            row.complies, row.reason = complies, reason
            row.evaluator_id, row.recorded_at = uow.principal.user_id or None, now
            uow.tenders.add(row)
            after = {"criterion": criterion_id, "complies": complies, "reason": reason}
            uow.record("bid.finding", "bid", bid.id, before, after)
        uow.commit()
        return len(checked)


def conclude_technical(uow: UnitOfWork, reference: str, now: datetime | None = None) -> Tender:
    """Fix who is responsive; only their financial covers will be opened."""
    require(uow.principal, "tender.evaluate")
    now = now or clock.now()
    with uow:
        tender = uow.tenders.tender(reference, lock="update")
        _evaluator(uow, tender)
        before, new = tender.status, TENDER.move(tender.status, "conclude_technical")
        bids = uow.tenders.bids(tender.id, live_only=True)
        covers = {b.id: uow.tenders.covers([b.id])[(b.id, rules.TECHNICAL)].status for b in bids}
        found = {
            (f.bid_id, f.criterion_id): rules.Finding(f.complies, f.reason)
            for f in uow.tenders.findings(list(covers))
        }
        criteria = [c.id for c in uow.tenders.criteria(tender.id)]
        verdicts = rules.conclude_technical(criteria, covers, found)
        refused = _refused_by_make_in_india(uow, tender, bids)
        for bid in bids:
            bid.responsive = verdicts[bid.id] and bid.id not in refused
            uow.tenders.add(bid)
        tender.status, tender.technical_concluded_at = new, now
        uow.record(
            "tender.technical_concluded",
            "tender",
            reference,
            {"status": before},
            {
                "responsive": sorted(b.bidder for b in bids if b.responsive),
                "refused_make_in_india": sorted(b.bidder for b in bids if b.id in refused),
            },
        )
        uow.commit()
        return tender


def _refused_by_make_in_india(uow: UnitOfWork, tender: Tender, bids: list[Bid]) -> set[int]:
    """Bids whose opened technical cover the Make in India Order refuses."""
    covers = uow.tenders.covers([b.id for b in bids])
    out = set()
    for bid in bids:
        cover = covers[(bid.id, rules.TECHNICAL)]
        if CoverStatus(cover.status) is CoverStatus.OPENED:
            technical = rules.parse_technical(cover.content, tender.reference, bid.bidder)
            if make_in_india(tender, technical)[1] is not None:
                out.add(bid.id)
    return out
