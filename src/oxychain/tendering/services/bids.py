"""Bid use cases: what a supplier seals to, submit (or substitute), withdraw, receipts.

The server never sees a bid in clear before the opening: it receives two sealed envelopes
(``adapters/sealing.py`` format), checks that they are sound and sealed to this tender, this
bidder and this committee, and keeps them with their hashes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from oxychain.core import clock
from oxychain.core.access import require
from oxychain.core.errors import Conflict, InvalidInput, NotFound
from oxychain.core.people import ObjectScope
from oxychain.core.uow import UnitOfWork
from oxychain.tendering.domain import bid as rules
from oxychain.tendering.domain.tender import TenderStatus
from oxychain.tendering.sealing import envelope as sealing
from oxychain.tendering.services.tenders import require_tender
from oxychain.tendering.tables import Bid, BidCover, Tender, TenderCriterion

OPENED_STATUSES = {
    TenderStatus.TECHNICAL_OPENING,
    TenderStatus.TECHNICAL_EVALUATION,
    TenderStatus.FINANCIAL_OPENING,
    TenderStatus.AWARDED,
}


def _own(uow: UnitOfWork) -> ObjectScope:
    return ObjectScope(supplier_id=uow.principal.supplier_id)


@dataclass(frozen=True)
class SealingContext:
    """What the supplier's browser (or `oxychain bid seal`) needs to seal a bid."""

    tender: Tender
    bidder: str
    k: int
    openers: list[dict[str, str]]
    criteria: list[TenderCriterion]
    corrigenda: int
    bids: list[Bid]


def sealing_context(uow: UnitOfWork, reference: str) -> SealingContext:
    require(uow.principal, "bid.submit", _own(uow))
    with uow:
        tender = require_tender(uow, reference)
        if tender.status == TenderStatus.DRAFT.value:
            raise NotFound("No tender with reference {ref}.", ref=reference)
        supplier = uow.tenders.supplier(uow.principal.supplier_id)
        committee = uow.tenders.committee(tender.id)
        return SealingContext(
            tender=tender,
            bidder=supplier.code,
            k=tender.openers_required,
            openers=[{"id": m.opener_id, "publicKey": m.public_key} for m in committee],
            criteria=list(uow.tenders.criteria(tender.id)),
            corrigenda=len(uow.tenders.corrigenda(tender.id)),
            bids=list(uow.tenders.bids_of(tender.id, supplier.id)),
        )


def _check(envelope: Any, cover: str, tender: Tender, bidder: str, openers: list[str]) -> str:
    try:
        return sealing.check_envelope(
            envelope,
            tender=tender.reference,
            bidder=bidder,
            cover=cover,
            openers=openers,
            k=tender.openers_required,
        )
    except sealing.SealError as exc:
        raise InvalidInput(
            "The {cover} envelope is refused: {reason}", cover=cover, reason=exc.message
        ) from None


def submit_bid(
    uow: UnitOfWork,
    reference: str,
    technical: dict[str, Any],
    financial: dict[str, Any],
    now: datetime | None = None,
) -> tuple[Bid, bool]:
    """Accept a sealed bid before the deadline; a live earlier bid is substituted.

    Returns (bid, created): the same envelopes sent again return the bid already stored.
    """
    require(uow.principal, "bid.submit", _own(uow))
    with uow:
        tender = uow.tenders.tender(reference, lock="share")
        now = now or clock.now()  # read after the lock: the clock at acceptance rules
        rules.check_submission(tender.status, tender.deadline, now)
        supplier = uow.tenders.supplier(uow.principal.supplier_id)
        openers = [m.opener_id for m in uow.tenders.committee(tender.id)]
        tech_sha = _check(technical, rules.TECHNICAL, tender, supplier.code, openers)
        fin_sha = _check(financial, rules.FINANCIAL, tender, supplier.code, openers)
        live = uow.tenders.live_bid(tender.id, supplier.id)
        if live is not None:
            covers = uow.tenders.covers([live.id])
            if (covers[(live.id, "technical")].sha256, covers[(live.id, "financial")].sha256) == (
                tech_sha,
                fin_sha,
            ):
                return live, False
            live.status = rules.BidStatus.SUBSTITUTED.value
            uow.tenders.add(live)
        exempt = supplier.is_mse or supplier.is_startup
        bid = Bid(
            tender_id=tender.id,
            supplier_id=supplier.id,
            bidder=supplier.code,
            status=rules.BidStatus.SUBMITTED.value,
            previous_id=live.id if live else None,
            receipt_sha256=rules.receipt_hash(reference, supplier.code, tech_sha, fin_sha, now),
            received_at=now,
            corrigenda_seen=len(uow.tenders.corrigenda(tender.id)),
            emd_paise=0 if exempt else tender.emd_paise,
            emd_status="exempt" if exempt else "held",
        )
        uow.tenders.add(bid)
        for cover, envelope, sha in (
            (rules.TECHNICAL, technical, tech_sha),
            (rules.FINANCIAL, financial, fin_sha),
        ):
            uow.tenders.add(BidCover(bid_id=bid.id, cover=cover, envelope=envelope, sha256=sha))
        uow.record(
            "bid.substitute" if live else "bid.submit",
            "bid",
            bid.id,
            {"replaces": live.id} if live else None,
            _receipt(bid, tender, tech_sha, fin_sha),
        )
        uow.commit()
        return bid, True


def check_bid_scope(uow: UnitOfWork, bid_id: int, permission: str) -> None:
    """Forbidden unless the bid is within the principal's scope for the permission."""
    require(uow.principal, permission)
    with uow:
        bid = uow.tenders.bid(bid_id)
        require(uow.principal, permission, ObjectScope(supplier_id=bid.supplier_id))


def withdraw_bid(uow: UnitOfWork, bid_id: int, now: datetime | None = None) -> Bid:
    """Before the deadline only; a withdrawn bid is never opened."""
    require(uow.principal, "bid.submit", _own(uow))
    with uow:
        bid = uow.tenders.bid(bid_id)
        require(uow.principal, "bid.submit", ObjectScope(supplier_id=bid.supplier_id))
        tender = uow.tenders.tender_by_id(bid.tender_id, lock="share")
        now = now or clock.now()
        rules.check_withdrawal(bid.status, tender.status, tender.deadline, now)
        bid.status = rules.BidStatus.WITHDRAWN.value
        bid.withdrawn_at = now
        if bid.emd_status == "held":
            bid.emd_status = "refunded"
        uow.tenders.add(bid)
        uow.record("bid.withdraw", "bid", bid.id, {"status": "submitted"}, {"status": "withdrawn"})
        uow.commit()
        return bid


@dataclass(frozen=True)
class BidView:
    bid: Bid
    tender: Tender
    supplier_name: str
    covers: dict[str, BidCover]
    receipt: dict[str, Any]
    own: bool


def get_bid(uow: UnitOfWork, bid_id: int) -> BidView:
    """A bid's receipt and covers: the bidder's own always; others' only once opened."""
    require(uow.principal, "bid.read")
    with uow:
        bid = uow.tenders.bid(bid_id)
        require(uow.principal, "bid.read", ObjectScope(supplier_id=bid.supplier_id))
        tender = uow.tenders.tender_by_id(bid.tender_id)
        own = uow.principal.supplier_id == bid.supplier_id
        if not own and TenderStatus(tender.status) not in OPENED_STATUSES:
            raise Conflict("Bids stay sealed until the opening.", code="bid_sealed")
        covers = {c.cover: c for c in uow.tenders.covers([bid.id]).values()}
        supplier = uow.tenders.supplier(bid.supplier_id)
        receipt = _receipt(bid, tender, covers["technical"].sha256, covers["financial"].sha256)
        return BidView(bid, tender, supplier.name, covers, receipt, own)


def _receipt(bid: Bid, tender: Tender, tech_sha: str, fin_sha: str) -> dict[str, Any]:
    """The system-generated receipt (Manual 5.2.7): time and the hashes of the covers."""
    return {
        "tender": tender.reference,
        "bidder": bid.bidder,
        "bid": bid.id,
        "status": bid.status,
        "received_at": bid.received_at.isoformat(timespec="microseconds"),
        "receipt_sha256": bid.receipt_sha256,
        "technical_sha256": tech_sha,
        "financial_sha256": fin_sha,
        "replaces": bid.previous_id,
    }
