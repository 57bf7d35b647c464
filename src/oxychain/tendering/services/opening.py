"""The opening: k openers release their key shares; the server combines them and opens covers.

An opener decrypts their own share on their device (seal.js ``decryptShare`` or
``oxychain bid open-share``) and posts only the released share. Each release is checked
against its commitment and recorded in the audit trail. When k distinct members have
released theirs, the server opens the cover; a cover that fails (tampered envelope, hash
that differs from the receipt published at close, ciphertext refused by AES-GCM) is marked
failed with its reason, audited, and shown on every page of the tender.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from oxychain.core import clock
from oxychain.core.access import require
from oxychain.core.errors import DomainError, InvalidInput
from oxychain.core.people import ObjectScope
from oxychain.core.uow import UnitOfWork
from oxychain.tendering import sealing
from oxychain.tendering.domain import bid as rules
from oxychain.tendering.domain.bid import COVER, CoverStatus
from oxychain.tendering.domain.tender import TENDER, TenderStatus, effective_status
from oxychain.tendering.services import award as results
from oxychain.tendering.services.tenders import close_due
from oxychain.tendering.tables import Bid, BidCover, CommitteeMember, ShareRelease, Tender


def _seat(uow: UnitOfWork, tender: Tender) -> CommitteeMember:
    """The principal's own seat on this tender's committee, or Forbidden."""
    me = uow.principal
    seat = uow.tenders.member(tender.id, me.user_id)
    require(me, "share.release", ObjectScope(user_id=seat.user_id if seat else None))
    return seat


@dataclass(frozen=True)
class PendingCover:
    cover_id: int
    bid_id: int
    bidder: str
    cover: str
    envelope: dict[str, Any]


@dataclass(frozen=True)
class OpeningState:
    tender: Tender
    seat: CommitteeMember
    due: bool  # the opening time has come
    pending: list[PendingCover]  # covers waiting for this opener's share
    released: int  # covers this opener has released a share for
    failures: list[tuple[str, str, str]]  # (bidder, cover, reason)


def opening_state(uow: UnitOfWork, reference: str, now: datetime | None = None) -> OpeningState:
    require(uow.principal, "share.release")
    now = now or clock.now()
    with uow:
        tender = uow.tenders.tender(reference)
        seat = _seat(uow, tender)
        due = rules.opening_due(tender.status, tender.opening_at, now)
        mine = uow.tenders.released_by(seat.id)
        pending, failures = [], []
        bids = uow.tenders.bids(tender.id, live_only=True)
        covers = uow.tenders.covers([b.id for b in bids])
        status = effective_status(tender.status, tender.deadline, now)
        for bid in bids:
            for name in (rules.TECHNICAL, rules.FINANCIAL):
                cover = covers[(bid.id, name)]
                if CoverStatus(cover.status) is CoverStatus.FAILED:
                    failures.append((bid.bidder, name, cover.failure or ""))
                elif (
                    due
                    and rules.is_sealed(cover.status)
                    and cover.id not in mine
                    and rules.openable(status, name, bid.status, bid.responsive) is None
                ):
                    pending.append(PendingCover(cover.id, bid.id, bid.bidder, name, cover.envelope))
        return OpeningState(tender, seat, due, pending, len(mine), failures)


def check_seat(uow: UnitOfWork, reference: str, permission: str) -> None:
    """Forbidden unless the principal holds the permission for their own seat on this
    tender's committee (the officer holds tender.evaluate for every tender)."""
    require(uow.principal, permission)
    with uow:
        tender = uow.tenders.tender(reference)
        seat = uow.tenders.member(tender.id, uow.principal.user_id)
        require(uow.principal, permission, ObjectScope(user_id=seat.user_id if seat else None))


@dataclass(frozen=True)
class ReleaseResult:
    cover_id: int
    accepted: bool
    reason: str = ""
    opened: bool = False


def release_shares(
    uow: UnitOfWork, reference: str, releases: list[tuple[int, Any]], now: datetime | None = None
) -> list[ReleaseResult]:
    """Record this opener's released shares; open every cover that now has k of them."""
    require(uow.principal, "share.release")
    with uow:
        tender = uow.tenders.tender(reference, lock="update")
        seat = _seat(uow, tender)
        if not releases:
            raise InvalidInput("No share was released.")
        now = now or clock.now()
        rules.check_opening_time(now, tender.opening_at)
        close_due(uow, tender, now)
        if TENDER.can(tender.status, "open_technical"):
            _start_opening(uow, tender, now)
        out = [_release(uow, tender, seat, cover_id, share, now) for cover_id, share in releases]
        _advance(uow, tender, now)
        uow.commit()
        return out


def _start_opening(uow: UnitOfWork, tender: Tender, now: datetime) -> None:
    """Move to the technical opening, after checking every live envelope against its receipt."""
    before, tender.status = tender.status, TENDER.move(tender.status, "open_technical")
    uow.record("tender.open", "tender", tender.reference, {"status": before}, {"at": str(now)})
    openers = [m.opener_id for m in uow.tenders.committee(tender.id)]
    bids = uow.tenders.bids(tender.id, live_only=True)
    covers = uow.tenders.covers([b.id for b in bids])
    for bid in bids:
        pair = (covers[(bid.id, rules.TECHNICAL)], covers[(bid.id, rules.FINANCIAL)])
        for cover in pair:
            reason = _integrity(tender, bid, cover, pair, openers)
            if reason:
                _fail(uow, tender, bid, cover, reason)


def _integrity(
    tender: Tender, bid: Bid, cover: BidCover, pair: tuple[BidCover, BidCover], openers: list[str]
) -> str | None:
    try:
        digest = sealing.check_envelope(
            cover.envelope,
            tender=tender.reference,
            bidder=bid.bidder,
            cover=cover.cover,
            openers=openers,
            k=tender.openers_required,
        )
    except sealing.SealError as exc:
        return exc.message
    receipt = rules.receipt_hash(
        tender.reference, bid.bidder, pair[0].sha256, pair[1].sha256, bid.received_at
    )
    if digest != cover.sha256 or receipt != bid.receipt_sha256:
        return "the envelope does not match the receipt given to the bidder"
    if bid.receipt_sha256 not in (tender.closing_receipts or []):
        return "the bid's receipt is not among those published at close"
    return None


def _fail(uow: UnitOfWork, tender: Tender, bid: Bid, cover: BidCover, reason: str) -> None:
    cover.status = COVER.move(cover.status, "fail")
    cover.failure = reason[:300]
    uow.tenders.add(cover)
    uow.record(
        "bid.cover_failed",
        "bid",
        bid.id,
        None,
        {"tender": tender.reference, "bidder": bid.bidder, "cover": cover.cover, "reason": reason},
    )


def _release(
    uow: UnitOfWork,
    tender: Tender,
    seat: CommitteeMember,
    cover_id: int,
    share: Any,
    now: datetime,
) -> ReleaseResult:
    cover = uow.tenders.cover(cover_id)
    bid = uow.tenders.bid(cover.bid_id) if cover else None
    if cover is None or bid.tender_id != tender.id:
        return ReleaseResult(cover_id, False, "not a cover of this tender")
    why = rules.openable(tender.status, cover.cover, bid.status, bid.responsive)
    if why is None and not rules.is_sealed(cover.status):
        why = f"the cover is already {cover.status}"
    if why is None and cover.id in uow.tenders.released_by(seat.id):
        why = "this opener has already released a share for it"
    if why is None:
        why = _check_share(cover.envelope, share, seat.opener_id)
    if why:
        return ReleaseResult(cover_id, False, why)
    uow.tenders.add(
        ShareRelease(bid_cover_id=cover.id, member_id=seat.id, share=share, released_at=now)
    )
    uow.record(
        "bid.share_release",
        "bid",
        bid.id,
        None,
        {"tender": tender.reference, "cover": cover.cover, "opener": seat.opener_id},
    )
    released = uow.tenders.releases(cover.id)
    if len(released) >= tender.openers_required:
        _open(uow, tender, bid, cover, [r.share for r in released], now)
    return ReleaseResult(cover_id, True, opened=not rules.is_sealed(cover.status))


def _check_share(envelope: dict[str, Any], share: Any, opener_id: str) -> str | None:
    """None when the share is this opener's and matches its commitment; else why not."""
    try:
        parsed = sealing.Share.from_json(share)
        if parsed.opener != opener_id:
            return "a share may be released only by its own opener"
        # With one share of k >= 2, open_cover checks the commitment and stops short.
        sealing.open_cover(envelope, [parsed])
    except sealing.NotEnoughSharesError:
        return None
    except sealing.SealError as exc:
        return exc.message
    return "the cover opened with a single share"


def _open(
    uow: UnitOfWork, tender: Tender, bid: Bid, cover: BidCover, shares: list, now: datetime
) -> None:
    try:
        plain = sealing.open_cover(cover.envelope, shares, expected_hash=cover.sha256)
        parse = rules.parse_technical if cover.cover == rules.TECHNICAL else rules.parse_financial
        parse(plain, tender.reference, bid.bidder)
    except DomainError as exc:  # SealError: tampered; InvalidInput: unreadable content
        _fail(uow, tender, bid, cover, exc.message)
        return
    cover.status = COVER.move(cover.status, "open")
    cover.content = plain.decode("utf-8")
    cover.opened_at = now
    uow.tenders.add(cover)
    uow.record(
        "bid.cover_open",
        "bid",
        bid.id,
        None,
        {"cover": cover.cover, "content_sha256": hashlib.sha256(plain).hexdigest()},
    )


def _advance(uow: UnitOfWork, tender: Tender, now: datetime) -> None:
    bids = uow.tenders.bids(tender.id, live_only=True)
    covers = uow.tenders.covers([b.id for b in bids])
    technical = (covers[(b.id, rules.TECHNICAL)].status for b in bids)
    if TENDER.can(tender.status, "begin_evaluation") and rules.settled(technical):
        tender.status = TENDER.move(tender.status, "begin_evaluation")
        uow.record("tender.technical_opened", "tender", tender.reference, None, {"bids": len(bids)})
    elif TenderStatus(tender.status) is TenderStatus.FINANCIAL_OPENING:
        responsive = [b for b in bids if b.responsive]
        if rules.settled(covers[(b.id, rules.FINANCIAL)].status for b in responsive):
            results.rank_financial(uow, tender, responsive, covers)
