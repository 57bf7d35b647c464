"""Financial results and award: the comparative statement, L1 and the split, letters of award,
EMD refunded or forfeited, performance security."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from oxychain.core import clock
from oxychain.core.access import require
from oxychain.core.errors import Conflict, NotFound
from oxychain.core.uow import UnitOfWork
from oxychain.tendering.domain import bid as rules
from oxychain.tendering.domain import contract as contracts
from oxychain.tendering.domain.bid import CoverStatus, TechnicalCover
from oxychain.tendering.domain.local_content import LocalClass
from oxychain.tendering.domain.securities import settle_emd
from oxychain.tendering.domain.tender import TENDER, Policy, next_steps
from oxychain.tendering.services.tenders import require_tender
from oxychain.tendering.tables import Award, Bid, BidCover, FinancialResult, Tender


def _technical(uow: UnitOfWork, tender: Tender, bids: dict[int, Bid]) -> dict[int, TechnicalCover]:
    """The opened technical covers of these bids: what each self-declared for its offer."""
    covers = uow.tenders.covers(list(bids))
    out = {}
    for bid_id, bid in bids.items():
        cover = covers.get((bid_id, rules.TECHNICAL))
        if cover is not None and CoverStatus(cover.status) is CoverStatus.OPENED:
            out[bid_id] = rules.parse_technical(cover.content, tender.reference, bid.bidder)
    return out


def _offers(uow: UnitOfWork, tender: Tender) -> list[contracts.Offer]:
    rows = uow.tenders.results(tender.id)
    bids = {r.bid_id: uow.tenders.bid(r.bid_id) for r in rows}
    suppliers = uow.tenders.suppliers([b.supplier_id for b in bids.values()])
    technical = _technical(uow, tender, bids)
    thresholds = Policy.of(tender).thresholds
    out = []
    for r in rows:
        supplier = suppliers[bids[r.bid_id].supplier_id]
        cover = technical.get(r.bid_id)
        klass = cover.local_class(thresholds) if cover else LocalClass.NON_LOCAL
        out.append(
            contracts.Offer(
                r.bid_id,
                supplier.code,
                r.evaluated_unit_paise,
                bids[r.bid_id].received_at,
                is_mse=supplier.is_mse,
                # Make in India: the class the bid self-certified for its model (not the
                # supplier's old free-text label, kept readable in masterdata only)
                is_class_i=klass is LocalClass.CLASS_I,
                # MSE Order 2012: traders are excluded; an undeclared bid is not a maker's
                is_trader=cover is None or not cover.offered_by_manufacturer,
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
        if CoverStatus(cover.status) is not CoverStatus.OPENED:
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
    local_content_pct: Decimal | None = None  # self-certified for the model offered
    offered_as: str = ""  # manufacturer | trader | "" (undeclared)


@dataclass(frozen=True)
class Statement:
    tender: Tender
    rows: list[StatementRow]
    awards: list[Award]
    actions: frozenset[str]  # award, while the financial covers are open


def comparative_statement(uow: UnitOfWork, reference: str) -> Statement:
    """The comparative statement in rupees, L1 first, once the financial covers are open."""
    require(uow.principal, "tender.read")
    with uow:
        tender = require_tender(uow, reference)
        results = uow.tenders.results(tender.id)
        if not results:
            raise Conflict("The financial covers are not all opened yet.")
        invited = {
            i.bid_id: i.basis
            for i in contracts.invitations(_offers(uow, tender), Policy.of(tender))
        }
        bids = {r.bid_id: uow.tenders.bid(r.bid_id) for r in results}
        suppliers = uow.tenders.suppliers([b.supplier_id for b in bids.values()])
        technical = _technical(uow, tender, bids)
        thresholds = Policy.of(tender).thresholds
        rows = []
        for r in results:
            s = suppliers[bids[r.bid_id].supplier_id]
            cover = technical.get(r.bid_id)
            klass = cover.local_class(thresholds) if cover else LocalClass.NON_LOCAL
            rows.append(
                StatementRow(
                    r.rank,
                    r.bid_id,
                    s.code,
                    s.name,
                    s.is_mse,
                    klass.value,
                    r,
                    invited.get(r.bid_id),
                    cover.local_content_pct if cover else None,
                    cover.offered_as if cover else "",
                )
            )
        steps = next_steps(tender.status, tender.deadline, clock.now())
        return Statement(tender, rows, list(uow.contracts.awards(tender.id)), steps)


def award_tender(
    uow: UnitOfWork,
    reference: str,
    matched: set[int],
    now: datetime | None = None,
    taken: dict[int, int] | None = None,
) -> list[Award]:
    """Award to L1, with the split the tender's policy gives to bidders who matched L1;
    ``taken``: what a matching Class-I bidder takes when it takes less than offered."""
    require(uow.principal, "tender.award")
    now = now or clock.now()
    with uow:
        tender = uow.tenders.tender(reference, lock="update")
        before, new = tender.status, TENDER.move(tender.status, "award")
        ranked = _offers(uow, tender)
        if not ranked:
            raise Conflict("No responsive bid was priced: the tender cannot be awarded.")
        lines = contracts.plan_award(
            ranked, tender.quantity, Policy.of(tender), set(matched), taken
        )
        awards = [_award(uow, tender, n, line, now) for n, line in enumerate(lines, start=1)]
        winners = {a.bid_id for a in awards}
        for bid in uow.tenders.bids(tender.id):
            if bid.id not in winners:
                bid.emd_status = settle_emd(bid.emd_status, "refund")
                uow.tenders.add(bid)
        tender.status, tender.awarded_at = new, now
        after = {"awards": [[a.letter_number, a.bid_id, a.quantity, a.basis] for a in awards]}
        uow.record("tender.award", "tender", reference, {"status": before}, after)
        uow.commit()
        return awards


def _award(
    uow: UnitOfWork, tender: Tender, number: int, line: contracts.AwardLine, now: datetime
) -> Award:
    bid = uow.tenders.bid(line.bid_id)
    award = Award(
        tender_id=tender.id,
        bid_id=bid.id,
        supplier_id=bid.supplier_id,
        quantity=line.quantity,
        unit_price_paise=line.unit_price_paise,
        basis=line.basis,
        letter_number=contracts.letter_number(tender.reference, number),
        awarded_at=now,
        status=contracts.AwardStatus.AWARDED,
        performance_security_bp=tender.performance_security_bp,
        performance_security_paise=line.security(tender.performance_security_bp),
    )
    uow.contracts.add(award)
    return award


def record_performance_security(
    uow: UnitOfWork, po_id: int, reference: str, received_on: date, valid_until: date
) -> Award:
    """The awardee furnished its performance security: its EMD is refunded (GFR 170/171)."""
    require(uow.principal, "po.write")
    with uow:
        award = uow.contracts.award(uow.contracts.purchase_order(po_id).award_id)
        award.ps_reference = contracts.check_security(
            award.status, reference, received_on, valid_until
        )
        award.ps_received_on, award.ps_valid_until = received_on, valid_until
        bid = uow.tenders.bid(award.bid_id)
        bid.emd_status = settle_emd(bid.emd_status, "refund")
        uow.contracts.add(award, bid)
        after = {"reference": award.ps_reference, "valid_until": valid_until.isoformat()}
        uow.record("award.performance_security", "award", award.letter_number, None, after)
        uow.commit()
        return award


def decline_award(uow: UnitOfWork, reference: str, award_id: int, reason: str) -> Award:
    """The awardee declined (or did not furnish security): its EMD is forfeited (GFR 170)."""
    require(uow.principal, "tender.award")
    why = contracts.decline_reason(reason)
    with uow:
        award = uow.contracts.award(award_id)
        if award.tender_id != uow.tenders.tender(reference).id:
            raise NotFound("No award {id} in tender {ref}.", id=award_id, ref=reference)
        orders = bool(uow.contracts.purchase_orders(tender_id=award.tender_id))
        award.status = contracts.decline(award.status, orders)
        bid = uow.tenders.bid(award.bid_id)
        bid.emd_status = settle_emd(bid.emd_status, "forfeit")
        uow.contracts.add(award, bid)
        uow.record("award.decline", "award", award.letter_number, None, {"reason": why})
        uow.commit()
        return award
