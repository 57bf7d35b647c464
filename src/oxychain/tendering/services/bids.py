"""Bid use cases: what a supplier seals to, submit (or substitute), withdraw, receipts.

The server never sees a bid in clear before the opening: it receives two sealed envelopes
(the ``tendering.sealing`` format), checks that they are sound and sealed to this tender, this
bidder and this committee, and keeps them with their hashes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from oxychain.core import clock
from oxychain.core.access import require
from oxychain.core.errors import Conflict, InvalidInput, NotFound
from oxychain.core.people import ObjectScope
from oxychain.core.uow import UnitOfWork
from oxychain.tendering import sealing
from oxychain.tendering.domain import bid as rules
from oxychain.tendering.domain.bid import BID, BidStatus, CoverStatus
from oxychain.tendering.domain.securities import bid_security, settle_emd
from oxychain.tendering.domain.tender import is_opened, is_public
from oxychain.tendering.services.tenders import require_tender
from oxychain.tendering.tables import Bid, BidCover, Tender, TenderCriterion


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

    @property
    def live(self) -> Bid | None:
        """The bidder's bid that a new submission would substitute."""
        return next((b for b in self.bids if BID.can(b.status, "substitute")), None)


def sealing_context(uow: UnitOfWork, reference: str) -> SealingContext:
    require(uow.principal, "bid.submit", _own(uow))
    with uow:
        tender = require_tender(uow, reference)
        if not is_public(tender.status):
            raise NotFound("No tender with reference {ref}.", ref=reference)
        supplier = uow.tenders.supplier(uow.principal.supplier_id)
        committee = uow.tenders.committee(tender.id)
        return SealingContext(
            tender=tender,
            bidder=supplier.code,
            k=tender.openers_required,
            # ``public_key`` as `oxychain bid seal --openers` reads it; ``publicKey``, the
            # first name, kept for clients written against it.
            openers=[
                {"id": m.opener_id, "public_key": m.public_key, "publicKey": m.public_key}
                for m in committee
            ],
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
        envelopes = {rules.TECHNICAL: technical, rules.FINANCIAL: financial}
        shas = {c: _check(e, c, tender, supplier.code, openers) for c, e in envelopes.items()}
        live = uow.tenders.live_bid(tender.id, supplier.id)
        if live is not None:
            covers = uow.tenders.covers([live.id])
            if all(covers[(live.id, cover)].sha256 == sha for cover, sha in shas.items()):
                return live, False
            live.status = BID.move(live.status, "substitute")
            uow.tenders.add(live)
        bid = _new_bid(uow, tender, supplier, live, envelopes, shas, now)
        uow.record(
            "bid.substitute" if live else "bid.submit",
            "bid",
            bid.id,
            {"replaces": live.id} if live else None,
            _receipt(bid, tender, shas[rules.TECHNICAL], shas[rules.FINANCIAL]),
        )
        uow.commit()
        return bid, True


def _new_bid(
    uow: UnitOfWork,
    tender: Tender,
    supplier: Any,
    live: Bid | None,
    envelopes: dict[str, dict[str, Any]],
    shas: dict[str, str],
    now: datetime,
) -> Bid:
    """The bid and its two sealed covers, with the EMD it deposits (none when exempt)."""
    emd_paise, emd_status = bid_security(tender.emd_paise, supplier.is_mse, supplier.is_startup)
    receipt = rules.receipt_hash(
        tender.reference, supplier.code, shas[rules.TECHNICAL], shas[rules.FINANCIAL], now
    )
    bid = Bid(
        tender_id=tender.id,
        supplier_id=supplier.id,
        bidder=supplier.code,
        status=BidStatus.SUBMITTED,
        previous_id=live.id if live else None,
        receipt_sha256=receipt,
        received_at=now,
        corrigenda_seen=len(uow.tenders.corrigenda(tender.id)),
        emd_paise=emd_paise,
        emd_status=emd_status,
    )
    uow.tenders.add(bid)
    for cover, envelope in envelopes.items():
        sealed = CoverStatus.SEALED
        uow.tenders.add(
            BidCover(
                bid_id=bid.id, cover=cover, envelope=envelope, sha256=shas[cover], status=sealed
            )
        )
    return bid


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
        before = bid.status
        bid.status = rules.withdraw(bid.status, tender.status, tender.deadline, now)
        bid.withdrawn_at = now
        bid.emd_status = settle_emd(bid.emd_status, "refund")
        uow.tenders.add(bid)
        uow.record("bid.withdraw", "bid", bid.id, {"status": before}, {"status": bid.status})
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
    actions: frozenset[str]  # what the bidder may do with it now


def get_bid(uow: UnitOfWork, bid_id: int) -> BidView:
    """A bid's receipt and covers: the bidder's own always; others' only once opened."""
    require(uow.principal, "bid.read")
    with uow:
        bid = uow.tenders.bid(bid_id)
        require(uow.principal, "bid.read", ObjectScope(supplier_id=bid.supplier_id))
        tender = uow.tenders.tender_by_id(bid.tender_id)
        own = uow.principal.supplier_id == bid.supplier_id
        if not own and not is_opened(tender.status):
            raise Conflict("Bids stay sealed until the opening.", code="bid_sealed")
        covers = {c.cover: c for c in uow.tenders.covers([bid.id]).values()}
        supplier = uow.tenders.supplier(bid.supplier_id)
        receipt = _receipt(
            bid, tender, covers[rules.TECHNICAL].sha256, covers[rules.FINANCIAL].sha256
        )
        steps = rules.bid_steps(bid.status, tender.status, tender.deadline, clock.now())
        return BidView(bid, tender, supplier.name, covers, receipt, own, steps)


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _receipt(bid: Bid, tender: Tender, tech_sha: str, fin_sha: str) -> dict[str, Any]:
    """The system-generated receipt (Manual 5.2.7): time and the hashes of the covers."""
    return {
        "tender": tender.reference,
        "bidder": bid.bidder,
        "bid": bid.id,
        "status": bid.status,
        # with its offset, as hashed (SQLite gives the moment back without its zone: UTC)
        "received_at": _utc(bid.received_at).isoformat(timespec="microseconds"),
        "receipt_sha256": bid.receipt_sha256,
        "technical_sha256": tech_sha,
        "financial_sha256": fin_sha,
        "replaces": bid.previous_id,
    }
