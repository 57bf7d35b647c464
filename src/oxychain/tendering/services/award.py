"""Financial results and award: the comparative statement, L1 and the split, letters of award,
EMD refunded or forfeited, performance security."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from oxychain.core import clock
from oxychain.core.access import require
from oxychain.core.errors import Conflict, InvalidInput, NotFound
from oxychain.core.uow import UnitOfWork
from oxychain.tendering.domain import bid as rules
from oxychain.tendering.domain import contract as contracts
from oxychain.tendering.domain import tender as tendering
from oxychain.tendering.domain.tender import Policy, TenderStatus
from oxychain.tendering.services.tenders import require_tender
from oxychain.tendering.tables import Award, Bid, BidCover, FinancialResult, Tender


def _policy(tender: Tender) -> Policy:
    return Policy(
        tender.mii_preference,
        tender.mii_l1_share_bp,
        tender.mii_margin_bp,
        tender.mse_preference,
        tender.mse_share_bp,
        tender.mse_margin_bp,
    )


def _offers(uow: UnitOfWork, tender: Tender) -> list[contracts.Offer]:
    rows = uow.tenders.results(tender.id)
    bids = {r.bid_id: uow.tenders.bid(r.bid_id) for r in rows}
    suppliers = uow.tenders.suppliers([b.supplier_id for b in bids.values()])
    out = []
    for r in rows:
        supplier = suppliers[bids[r.bid_id].supplier_id]
        out.append(
            contracts.Offer(
                r.bid_id,
                supplier.code,
                r.evaluated_unit_paise,
                bids[r.bid_id].received_at,
                is_mse=supplier.is_mse,
                is_class_i=supplier.local_content_class == "class-i",
            )
        )
    return contracts.rank(out)


def rank_financial(
    uow: UnitOfWork, tender: Tender, responsive: list[Bid], covers: dict[tuple[int, str], BidCover]
) -> None:
    """Inside the opening's unit of work: price every opened financial cover and rank them."""
    if uow.tenders.results(tender.id):
        return
    for bid in responsive:
        cover = covers[(bid.id, rules.FINANCIAL)]
        if cover.status != rules.CoverStatus.OPENED.value:
            continue
        offer = rules.parse_financial(cover.content, tender.reference, bid.bidder)
        unit = rules.evaluated_unit(offer.unit_price_paise, offer.gst_bp)
        uow.tenders.add(
            FinancialResult(
                tender_id=tender.id,
                bid_id=bid.id,
                unit_price_paise=offer.unit_price_paise,
                gst_bp=offer.gst_bp,
                evaluated_unit_paise=unit,
                evaluated_total_paise=unit * tender.quantity,
                delivery_days=offer.delivery_days,
                rank=0,
            )
        )
    ranked = _offers(uow, tender)
    by_bid = {r.bid_id: r for r in uow.tenders.results(tender.id)}
    for position, offer in enumerate(ranked, start=1):
        by_bid[offer.bid_id].rank = position
        uow.tenders.add(by_bid[offer.bid_id])
    uow.record(
        "tender.financial_opened",
        "tender",
        tender.reference,
        None,
        {"ranked": [o.supplier for o in ranked]},
    )


@dataclass(frozen=True)
class StatementRow:
    rank: int
    bid_id: int
    supplier_code: str
    supplier_name: str
    is_mse: bool
    local_content_class: str
    result: FinancialResult
    invitation: str | None  # mse_match | mii_match | None


@dataclass(frozen=True)
class Statement:
    tender: Tender
    rows: list[StatementRow]
    awards: list[Award]


def comparative_statement(uow: UnitOfWork, reference: str) -> Statement:
    """The comparative statement in rupees, L1 first, once the financial covers are open."""
    require(uow.principal, "tender.read")
    with uow:
        tender = require_tender(uow, reference)
        results = uow.tenders.results(tender.id)
        if not results:
            raise Conflict("The financial covers are not all opened yet.")
        invited = {
            i.bid_id: i.basis for i in contracts.invitations(_offers(uow, tender), _policy(tender))
        }
        bids = {r.bid_id: uow.tenders.bid(r.bid_id) for r in results}
        suppliers = uow.tenders.suppliers([b.supplier_id for b in bids.values()])
        rows = []
        for r in results:
            s = suppliers[bids[r.bid_id].supplier_id]
            rows.append(
                StatementRow(
                    r.rank,
                    r.bid_id,
                    s.code,
                    s.name,
                    s.is_mse,
                    s.local_content_class,
                    r,
                    invited.get(r.bid_id),
                )
            )
        return Statement(tender, rows, list(uow.contracts.awards(tender.id)))


def award_tender(
    uow: UnitOfWork, reference: str, matched: set[int], now: datetime | None = None
) -> list[Award]:
    """Award to L1, with the split the tender's policy gives to bidders who matched L1."""
    require(uow.principal, "tender.award")
    now = now or clock.now()
    with uow:
        tender = uow.tenders.tender(reference, lock="update")
        new = tendering.move(tender.status, TenderStatus.AWARDED)
        ranked = _offers(uow, tender)
        if not ranked:
            raise Conflict("No responsive bid was priced: the tender cannot be awarded.")
        lines = contracts.plan_award(ranked, tender.quantity, _policy(tender), set(matched))
        awards = []
        for number, line in enumerate(lines, start=1):
            bid = uow.tenders.bid(line.bid_id)
            value = line.quantity * line.unit_price_paise
            award = Award(
                tender_id=tender.id,
                bid_id=bid.id,
                supplier_id=bid.supplier_id,
                quantity=line.quantity,
                unit_price_paise=line.unit_price_paise,
                basis=line.basis,
                letter_number=f"LOA/{tender.reference}/{number}",
                awarded_at=now,
                performance_security_bp=tender.performance_security_bp,
                performance_security_paise=tendering.share_of(
                    value, tender.performance_security_bp
                ),
            )
            uow.contracts.add(award)
            awards.append(award)
        winners = {a.bid_id for a in awards}
        for bid in uow.tenders.bids(tender.id):
            if bid.id not in winners and bid.emd_status == "held":
                bid.emd_status = "refunded"
                uow.tenders.add(bid)
        tender.status, tender.awarded_at = new.value, now
        uow.record(
            "tender.award",
            "tender",
            reference,
            {"status": "financial_opening"},
            {"awards": [[a.letter_number, a.bid_id, a.quantity, a.basis] for a in awards]},
        )
        uow.commit()
        return awards


def record_performance_security(
    uow: UnitOfWork, po_id: int, reference: str, received_on: date, valid_until: date
) -> Award:
    """The awardee furnished its performance security: its EMD is refunded (GFR 170/171)."""
    require(uow.principal, "po.write")
    if not reference.strip():
        raise InvalidInput("Give the security's reference (bank guarantee number).")
    if valid_until <= received_on:
        raise InvalidInput("The security must be valid after the day it is received.")
    with uow:
        award = uow.contracts.award(uow.contracts.purchase_order(po_id).award_id)
        if award.status != "awarded":
            raise Conflict("This award was declined.")
        award.ps_reference = reference.strip()[:120]
        award.ps_received_on, award.ps_valid_until = received_on, valid_until
        bid = uow.tenders.bid(award.bid_id)
        if bid.emd_status == "held":
            bid.emd_status = "refunded"
        uow.contracts.add(award, bid)
        uow.record(
            "award.performance_security",
            "award",
            award.letter_number,
            None,
            {"reference": award.ps_reference, "valid_until": valid_until.isoformat()},
        )
        uow.commit()
        return award


def decline_award(uow: UnitOfWork, reference: str, award_id: int, reason: str) -> Award:
    """The awardee declined (or did not furnish security): its EMD is forfeited (GFR 170)."""
    require(uow.principal, "tender.award")
    if not reason.strip():
        raise InvalidInput("Say why the award is declined.")
    with uow:
        award = uow.contracts.award(award_id)
        if award.tender_id != uow.tenders.tender(reference).id:
            raise NotFound("No award {id} in tender {ref}.", id=award_id, ref=reference)
        if award.status != "awarded" or uow.contracts.purchase_orders(tender_id=award.tender_id):
            raise Conflict("Only an award without a purchase order can be declined.")
        award.status = "declined"
        bid = uow.tenders.bid(award.bid_id)
        if bid.emd_status == "held":
            bid.emd_status = "forfeited"
        uow.contracts.add(award, bid)
        uow.record(
            "award.decline", "award", award.letter_number, None, {"reason": reason.strip()[:300]}
        )
        uow.commit()
        return award
