"""Sealed bids, the opening, the evaluation and the award.

A supplier posts two sealed envelopes (see tendering/sealing); an opener posts released
shares only. Prices are never sent in clear: the server cannot read a bid before k openers
have released their shares at or after the opening time.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from oxychain.core.web.deps import guarded, reader, writer
from oxychain.core.web.params import Id
from oxychain.core.web.timestamps import iso
from oxychain.tendering.api.deps import bid_scoped, seat_scoped
from oxychain.tendering.services import award as results
from oxychain.tendering.services import bids as bidding
from oxychain.tendering.services import evaluation, opening

router = APIRouter(tags=["bids"])
Ref = Annotated[str, Path(max_length=40)]
BidId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.get("/tenders/{ref}/sealing")
def sealing_context(request: Request, ref: Ref, principal: guarded("bid.submit")) -> dict[str, Any]:
    """What to seal to: the tender, the bidder id, the committee's public keys and k.
    ``openers`` is what `oxychain bid seal --openers` reads: ``[{id, public_key}]`` (each
    also carries ``publicKey``, the same key under its first name)."""
    ctx = bidding.sealing_context(reader(request, principal), ref)
    return {
        "tender": ctx.tender.reference,
        "bidder": ctx.bidder,
        "k": ctx.k,
        "openers": ctx.openers,
        "deadline": iso(ctx.tender.deadline),
        "criteria": [c.key for c in ctx.criteria],
        "corrigenda": ctx.corrigenda,
    }


class BidIn(BaseModel):
    technical: dict[str, Any]
    financial: dict[str, Any]


# Two sealed covers: the technical one may carry a document (base64, in the ciphertext).
MAX_BID_BYTES = 16 * 1024 * 1024


@router.post("/tenders/{ref}/bids", status_code=201, max_body_size=MAX_BID_BYTES)
def submit(request: Request, ref: Ref, body: BidIn, principal: guarded("bid.submit")) -> Any:
    bid, created = bidding.submit_bid(
        writer(request, principal), ref, body.technical, body.financial
    )
    view = bidding.get_bid(reader(request, principal), bid.id)
    return JSONResponse(view.receipt, status_code=201 if created else 200)


@router.get("/bids/{bid_id}/receipt")
def receipt(request: Request, bid_id: BidId, principal: guarded("bid.read")) -> dict[str, Any]:
    return bidding.get_bid(reader(request, principal), bid_id).receipt


class WithdrawIn(BaseModel):
    confirm: bool


@router.post("/bids/{bid_id}/withdraw")
def withdraw(
    request: Request, bid_id: BidId, body: WithdrawIn, principal: bid_scoped("bid.submit")
) -> dict[str, Any]:
    if not body.confirm:
        return JSONResponse({"error": "invalid_input", "message": "confirm"}, status_code=422)
    bidding.withdraw_bid(writer(request, principal), bid_id)
    return bidding.get_bid(reader(request, principal), bid_id).receipt


@router.get("/tenders/{ref}/envelopes")
def envelopes(request: Request, ref: Ref, principal: guarded("share.release")) -> dict[str, Any]:
    """The envelopes waiting for this opener's share (once the opening time has come)."""
    state = opening.opening_state(reader(request, principal), ref)
    return {
        "tender": state.tender.reference,
        "opener": state.seat.opener_id,
        "due": state.due,
        "opening_at": iso(state.tender.opening_at),
        "pending": [
            {
                "cover_id": p.cover_id,
                "bid": p.bid_id,
                "bidder": p.bidder,
                "cover": p.cover,
                "envelope": p.envelope,
            }
            for p in state.pending
        ],
        "failures": [{"bidder": b, "cover": c, "reason": r} for b, c, r in state.failures],
    }


class ShareIn(BaseModel):
    cover_id: Id
    share: dict[str, Any]


class SharesIn(BaseModel):
    shares: list[ShareIn] = Field(min_length=1, max_length=2000)


@router.post("/tenders/{ref}/shares")
def release(
    request: Request, ref: Ref, body: SharesIn, principal: seat_scoped("share.release")
) -> dict[str, Any]:
    out = opening.release_shares(
        writer(request, principal), ref, [(s.cover_id, s.share) for s in body.shares]
    )
    return {"results": [r.__dict__ for r in out]}


class FindingIn(BaseModel):
    criterion_id: Id
    complies: bool
    reason: str = Field(min_length=1, max_length=500)


class FindingsIn(BaseModel):
    bid: int = Field(ge=1)
    findings: list[FindingIn] = Field(min_length=1, max_length=200)


@router.post("/tenders/{ref}/findings")
def findings(
    request: Request, ref: Ref, body: FindingsIn, principal: seat_scoped("tender.evaluate")
) -> dict[str, int]:
    count = evaluation.record_findings(
        writer(request, principal),
        ref,
        body.bid,
        {f.criterion_id: (f.complies, f.reason) for f in body.findings},
    )
    return {"recorded": count}


@router.post("/tenders/{ref}/evaluation/conclude")
def conclude(request: Request, ref: Ref, principal: guarded("tender.evaluate")) -> dict[str, Any]:
    tender = evaluation.conclude_technical(writer(request, principal), ref)
    return {"status": tender.status}


@router.get("/tenders/{ref}/comparative")
def comparative(request: Request, ref: Ref, principal: guarded("tender.read")) -> dict[str, Any]:
    statement = results.comparative_statement(reader(request, principal), ref)
    return {
        "tender": ref,
        "quantity": statement.tender.quantity,
        "rows": [
            {
                "rank": r.rank,
                "bid": r.bid_id,
                "supplier": r.supplier_code,
                "mse": r.is_mse,
                "local_content_class": r.local_content_class,  # the bid's own, per the Order
                "local_content_pct": (
                    None if r.local_content_pct is None else str(r.local_content_pct)
                ),
                "offered_as": r.offered_as or None,
                "unit_price_paise": r.result.unit_price_paise,
                "gst_bp": r.result.gst_bp,
                "evaluated_unit_paise": r.result.evaluated_unit_paise,
                "evaluated_total_paise": r.result.evaluated_total_paise,
                "delivery_days": r.result.delivery_days,
                "invitation": r.invitation,
            }
            for r in statement.rows
        ],
    }


class AwardIn(BaseModel):
    matched: list[int] = Field(default_factory=list, max_length=200)
    # Make in India: bid id -> units a matching Class-I bidder takes when it takes less than
    # offered (the rest goes to the next matching Class-I, then to L1)
    taken: dict[int, Annotated[int, Field(ge=0, le=10_000_000)]] = Field(
        default_factory=dict, max_length=200
    )


@router.post("/tenders/{ref}/award", status_code=201)
def award(request: Request, ref: Ref, body: AwardIn, principal: guarded("tender.award")) -> Any:
    awards = results.award_tender(
        writer(request, principal), ref, set(body.matched), taken=body.taken
    )
    return {
        "awards": [
            {
                "id": a.id,
                "letter": a.letter_number,
                "bid": a.bid_id,
                "quantity": a.quantity,
                "unit_price_paise": a.unit_price_paise,
                "basis": a.basis,
                "performance_security_paise": a.performance_security_paise,
            }
            for a in awards
        ]
    }


class DeclineIn(BaseModel):
    award_id: Id
    reason: str = Field(min_length=1, max_length=300)


@router.post("/tenders/{ref}/award/decline")
def decline(
    request: Request, ref: Ref, body: DeclineIn, principal: guarded("tender.award")
) -> dict[str, str]:
    award = results.decline_award(writer(request, principal), ref, body.award_id, body.reason)
    return {"letter": award.letter_number, "status": award.status}
