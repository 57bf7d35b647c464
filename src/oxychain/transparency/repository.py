"""The tendering tables as contracting records (``domain.transparency``), for the
open-contracting export and the red flags.

What is sealed stays sealed: a bid's price is read only from ``financial_results``, which
exist only after the financial opening, and only for tenders at that stage or later.
Superseded bids (replaced by a substitute) are left out; withdrawn ones are kept, as
withdrawn. Each table is read once (no query per tender).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from oxychain.core import clock
from oxychain.masterdata.tables import District, Item, Supplier, Warehouse
from oxychain.tendering.domain.bid import BidStatus
from oxychain.tendering.domain.tender import TenderStatus
from oxychain.tendering.tables import (
    Award,
    Bid,
    BidCover,
    Corrigendum,
    FinancialResult,
    PoTranche,
    PurchaseOrder,
    TechnicalEvaluation,
    Tender,
    TenderConsignee,
    TenderCriterion,
)
from oxychain.transparency.domain.mse_report import OrderValue
from oxychain.transparency.domain.records import (
    BIDS_OPENED,
    AwardRecord,
    Bidder,
    BidRecord,
    BidStanding,
    ContractingRecords,
    ContractRecord,
    CorrigendumRecord,
    TenderRecord,
    TrancheRecord,
)

_PRICED = {TenderStatus.FINANCIAL_OPENING, TenderStatus.AWARDED}
_AWARD_STATUS = {"awarded": "active", "declined": "cancelled"}


def _rupees(paise: int | None) -> Decimal | None:
    return None if paise is None else Decimal(paise) / 100


class Transparency:
    def __init__(self, session: Session) -> None:
        self.session = session

    def records(self) -> ContractingRecords:
        """Every tender past its draft, with its bids, awards, purchase orders and bidders."""
        tenders = self.session.execute(
            select(Tender, Item)
            .join(Item, Item.id == Tender.item_id)
            .where(Tender.status != TenderStatus.DRAFT.value)
            .order_by(Tender.published_at, Tender.reference)
        ).all()
        suppliers = {s.id: s for s in self.session.scalars(select(Supplier))}
        bids = self._bids()
        awards = self._by_tender(select(Award).order_by(Award.awarded_at, Award.id))
        contracts = self._contracts(suppliers)
        corrigenda = self._by_tender(select(Corrigendum).order_by(Corrigendum.number))
        districts = self._districts()
        last_rates = self._purchase_history()
        opened = self._openings()
        records = []
        for tender, item in tenders:
            status = TenderStatus(tender.status)
            records.append(
                TenderRecord(
                    reference=tender.reference,
                    title=tender.title,
                    title_hi=tender.title_hi or "",
                    item_name_hi=item.name_hi or "",
                    created_at=tender.created_at,
                    **_steps(tender, status, opened),
                    awarded_at=tender.awarded_at,
                    item_code=item.code,
                    item_name=item.name,
                    quantity=tender.quantity,
                    status=status,
                    deadline=tender.deadline,
                    published_at=tender.published_at,
                    cancelled_at=tender.cancelled_at,
                    estimated_value=_rupees(tender.estimated_value_paise),
                    last_purchase_rate=_last_rate(last_rates[item.id], tender.published_at),
                    districts=tuple(districts[tender.id]),
                    bids=tuple(self._bid(b, suppliers, status) for b in bids[tender.id]),
                    awards=tuple(_award(a, suppliers) for a in awards[tender.id]),
                    contracts=tuple(contracts[tender.id]),
                    corrigenda=tuple(_corrigendum(c) for c in corrigenda[tender.id]),
                )
            )
        bidders = {s.code: _bidder(s) for s in suppliers.values()}
        return ContractingRecords(tenders=tuple(records), bidders=bidders)

    # --- reading each table once ----------------------------------------------------------

    def _by_tender(self, query) -> dict[int, list]:  # noqa: ANN001
        grouped: dict[int, list] = defaultdict(list)
        for row in self.session.scalars(query):
            grouped[row.tender_id].append(row)
        return grouped

    def _bids(self) -> dict[int, list[Bid]]:
        self._prices = {
            r.bid_id: r.evaluated_unit_paise for r in self.session.scalars(select(FinancialResult))
        }
        self._failures: dict[int, list[str]] = defaultdict(list)
        failed = self.session.execute(
            select(TechnicalEvaluation.bid_id, TenderCriterion.label, TechnicalEvaluation.reason)
            .join(TenderCriterion, TenderCriterion.id == TechnicalEvaluation.criterion_id)
            .where(TechnicalEvaluation.complies.is_(False))
            .order_by(TenderCriterion.position)
        )
        for bid_id, label, reason in failed:
            self._failures[bid_id].append(f"{label}: {reason}" if reason else label)
        query = (
            select(Bid)
            .where(Bid.status.in_((BidStatus.SUBMITTED.value, BidStatus.WITHDRAWN.value)))
            .order_by(Bid.received_at, Bid.id)
        )
        return self._by_tender(query)

    def _bid(self, bid: Bid, suppliers: dict, tender_status: TenderStatus) -> BidRecord:
        if bid.status == BidStatus.WITHDRAWN:
            status = BidStanding.WITHDRAWN
        elif bid.responsive is None:
            status = BidStanding.PENDING
        else:
            status = BidStanding.VALID if bid.responsive else BidStanding.DISQUALIFIED
        priced = tender_status in _PRICED and status is not BidStanding.WITHDRAWN
        return BidRecord(
            id=f"BID-{bid.id}",
            bidder=suppliers[bid.supplier_id].code,
            submitted_at=bid.received_at,
            status=status,
            unit_price=_rupees(self._prices.get(bid.id)) if priced else None,
            reason="; ".join(self._failures.get(bid.id, ())),
        )

    def _contracts(self, suppliers: dict) -> dict[int, list[ContractRecord]]:
        orders = self.session.scalars(select(PurchaseOrder).order_by(PurchaseOrder.id)).all()
        by_id = {po.id: po for po in orders}
        tranches: dict[int, list[TrancheRecord]] = defaultdict(list)
        rows = self.session.execute(
            select(PoTranche, Warehouse)
            .join(Warehouse, Warehouse.id == PoTranche.consignee_warehouse_id)
            .order_by(PoTranche.number, Warehouse.code)
        )
        for tranche, warehouse in rows:
            tranches[tranche.purchase_order_id].append(
                TrancheRecord(
                    number=tranche.number,
                    consignee=warehouse.name,
                    quantity=tranche.quantity,
                    due_date=tranche.due_date,
                    delivered_quantity=tranche.delivered_quantity,
                    delivered_on=tranche.delivered_on,
                    id=f"{tranche.number}-{warehouse.code}",
                )
            )
        out: dict[int, list[ContractRecord]] = defaultdict(list)
        for po in orders:
            root = po
            while root.previous_id is not None:
                root = by_id[root.previous_id]
            out[po.tender_id].append(
                ContractRecord(
                    number=root.number,
                    version=po.version,
                    award_id=f"AW-{po.award_id}",
                    supplier=suppliers[po.supplier_id].code,
                    quantity=po.quantity,
                    unit_price=_rupees(po.unit_price_paise),
                    issued_at=po.issued_at,
                    amendment_reason=po.amendment_reason or "",
                    tranches=tuple(tranches[po.id]),
                    order_id=po.id,
                    version_number=po.number,
                )
            )
        return out

    def order_values(self) -> list[OrderValue]:
        """Each purchase order once: its first version's day in India, its newest version's
        value, and its supplier's MSE attributes (for the yearly MSE report)."""
        rows = self.session.execute(
            select(PurchaseOrder, Supplier)
            .join(Supplier, Supplier.id == PurchaseOrder.supplier_id)
            .order_by(PurchaseOrder.id)
        ).all()
        by_id = {po.id: po for po, _ in rows}
        newest: dict[int, tuple[PurchaseOrder, Supplier]] = {}
        for po, supplier in rows:
            root = po
            while root.previous_id is not None:
                root = by_id[root.previous_id]
            if root.id not in newest or newest[root.id][0].version < po.version:
                newest[root.id] = (po, supplier)
        return [
            OrderValue(
                number=by_id[root_id].number,
                issued_on=clock.in_india(by_id[root_id].issued_at),
                value=Decimal(po.unit_price_paise * po.quantity) / 100,
                is_mse=bool(supplier.is_mse),
                sc_st_owned=bool(supplier.sc_st_owned),
                women_owned=bool(supplier.women_owned),
            )
            for root_id, (po, supplier) in newest.items()
        ]

    def _openings(self) -> dict[tuple[int, str], datetime]:
        """(tender id, cover) → when the first cover of that kind was opened."""
        rows = self.session.execute(
            select(Bid.tender_id, BidCover.cover, func.min(BidCover.opened_at))
            .join(BidCover, BidCover.bid_id == Bid.id)
            .where(BidCover.opened_at.is_not(None))
            .group_by(Bid.tender_id, BidCover.cover)
        )
        return {(tender_id, cover): at for tender_id, cover, at in rows if at is not None}

    def _districts(self) -> dict[int, list[str]]:
        rows = self.session.execute(
            select(TenderConsignee.tender_id, District.name)
            .join(Warehouse, Warehouse.id == TenderConsignee.warehouse_id)
            .join(District, District.id == Warehouse.district_id)
            .distinct()
            .order_by(TenderConsignee.tender_id, District.name)
        )
        grouped: dict[int, list[str]] = defaultdict(list)
        for tender_id, name in rows:
            grouped[tender_id].append(name)
        return grouped

    def _purchase_history(self) -> dict[int, list[tuple[datetime, int]]]:
        """item id → (issued at, unit price in paise) of every original purchase order."""
        rows = self.session.execute(
            select(PurchaseOrder.item_id, PurchaseOrder.issued_at, PurchaseOrder.unit_price_paise)
            .where(PurchaseOrder.previous_id.is_(None))
            .order_by(PurchaseOrder.issued_at)
        )
        history: dict[int, list[tuple[datetime, int]]] = defaultdict(list)
        for item_id, issued_at, paise in rows:
            history[item_id].append((issued_at, paise))
        return history


def _steps(tender: Tender, status: TenderStatus, opened: dict) -> dict[str, datetime | None]:
    """When the covers were opened and the evaluation concluded. A tender past a step whose
    time was not kept (covers without an opening time) takes the scheduled opening time,
    so a release never names bidders or prices before the opening."""
    technical = opened.get((tender.id, "technical"))
    if technical is None and status in BIDS_OPENED:
        technical = tender.opening_at
    financial = opened.get((tender.id, "financial"))
    if financial is None and status in _PRICED:
        financial = max(tender.technical_concluded_at or tender.opening_at, tender.opening_at)
    evaluated = tender.technical_concluded_at
    if evaluated is None and status in _PRICED:
        evaluated = financial
    return {"opened_at": technical, "evaluated_at": evaluated, "prices_opened_at": financial}


def _last_rate(history: list[tuple[datetime, int]], before: datetime | None) -> Decimal | None:
    """The unit price of the last purchase of the item before the tender was published."""
    earlier = [paise for issued_at, paise in history if before and issued_at < before]
    return _rupees(earlier[-1]) if earlier else None


def _award(award: Award, suppliers: dict) -> AwardRecord:
    return AwardRecord(
        id=f"AW-{award.id}",
        supplier=suppliers[award.supplier_id].code,
        quantity=award.quantity,
        unit_price=_rupees(award.unit_price_paise),
        date=award.awarded_at,
        status=_AWARD_STATUS.get(award.status, "pending"),
        bid_id=f"BID-{award.bid_id}",
        letter_number=award.letter_number or "",
    )


def _corrigendum(row: Corrigendum) -> CorrigendumRecord:
    before, after = (row.changes or {}).get("deadline", (None, None))
    return CorrigendumRecord(
        id=str(row.number),
        published_at=row.published_at,
        description=row.text,
        new_deadline=_moment(after),
        old_deadline=_moment(before),
    )


def _moment(value: object) -> datetime | None:
    """A time stored in a corrigendum's changes (ISO text), as an aware datetime."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, str) and value:
        parsed = datetime.fromisoformat(value)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return None


def _bidder(supplier: Supplier) -> Bidder:
    return Bidder(
        code=supplier.code,
        name=supplier.name,
        address=supplier.address or "",
        phone=supplier.phone or "",
        email=supplier.email or "",
        # The suppliers table has no bank account yet; the red flag compares it once it has.
        bank_account=getattr(supplier, "bank_account", "") or "",
        is_mse=bool(supplier.is_mse),
        gstin=supplier.gstin or "",
        pan=supplier.pan or "",
        udyam=supplier.udyam or "",
        sc_st_owned=bool(supplier.sc_st_owned),
        women_owned=bool(supplier.women_owned),
    )
