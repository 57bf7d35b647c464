"""Queries of the tendering area: tenders and bids (``Tenders``), awards and orders (``Contracts``).

Writers lock what they decide on: a submission takes the tender row FOR SHARE (many bids
at once), closing takes it FOR UPDATE (waits for every submission in flight), so that no
bid commits after the count and hash published at close. SQLite's BEGIN IMMEDIATE already
serialises writers; the locking clauses are ignored there.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from oxychain.core.errors import Conflict, NotFound
from oxychain.core.tables import User
from oxychain.masterdata.tables import Item, Supplier, Warehouse
from oxychain.tendering.domain.bid import BidStatus
from oxychain.tendering.domain.contract import AwardStatus
from oxychain.tendering.domain.purchase_order import PoStatus
from oxychain.tendering.tables import (
    Award,
    Bid,
    BidCover,
    CommitteeMember,
    Corrigendum,
    FinancialResult,
    OpenerKey,
    PoDelivery,
    PoTranche,
    PurchaseOrder,
    ShareRelease,
    TechnicalEvaluation,
    Tender,
    TenderConsignee,
    TenderCriterion,
)


class _Repository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, *rows: object) -> None:
        """Add and flush; a clash with a row committed at the same moment is a Conflict."""
        self.session.add_all(rows)
        try:
            self.session.flush()
        except IntegrityError:
            raise Conflict(
                "This clashes with a record saved at the same moment; reload and try again."
            ) from None


class Tenders(_Repository):
    def tender(self, reference: str, *, lock: str | None = None) -> Tender:
        query = select(Tender).where(Tender.reference == reference)
        if lock == "share":
            query = query.with_for_update(read=True)
        elif lock == "update":
            query = query.with_for_update()
        row = self.session.scalar(query)
        if row is None:
            raise NotFound("No tender with reference {ref}.", ref=reference)
        return row

    def tender_by_id(self, tender_id: int, *, lock: str | None = None) -> Tender:
        row = self.session.get(Tender, tender_id)
        if row is None:
            raise NotFound("No tender {id}.", id=tender_id)
        return self.tender(row.reference, lock=lock) if lock else row

    def exists(self, reference: str) -> bool:
        return (
            self.session.scalar(select(Tender.id).where(Tender.reference == reference)) is not None
        )

    def tenders(self, statuses: Sequence[str] | None = None) -> Sequence[Tender]:
        query = select(Tender).order_by(Tender.created_at.desc(), Tender.id.desc())
        if statuses is not None:
            query = query.where(Tender.status.in_(statuses))
        return self.session.scalars(query).all()

    def item(self, item_id: int) -> Item:
        return self.session.get(Item, item_id)

    def warehouse(self, warehouse_id: int) -> Warehouse | None:
        return self.session.get(Warehouse, warehouse_id)

    def supplier(self, supplier_id: int) -> Supplier | None:
        return self.session.get(Supplier, supplier_id)

    def user(self, user_id: int) -> User | None:
        return self.session.get(User, user_id)

    def user_by_username(self, username: str) -> User | None:
        return self.session.scalar(select(User).where(User.username == username))

    def consignees(self, tender_id: int) -> Sequence[TenderConsignee]:
        return self.session.scalars(
            select(TenderConsignee)
            .where(TenderConsignee.tender_id == tender_id)
            .order_by(TenderConsignee.tranche, TenderConsignee.id)
        ).all()

    def criteria(self, tender_id: int) -> Sequence[TenderCriterion]:
        return self.session.scalars(
            select(TenderCriterion)
            .where(TenderCriterion.tender_id == tender_id)
            .order_by(TenderCriterion.position)
        ).all()

    def corrigenda(self, tender_id: int) -> Sequence[Corrigendum]:
        return self.session.scalars(
            select(Corrigendum)
            .where(Corrigendum.tender_id == tender_id)
            .order_by(Corrigendum.number)
        ).all()

    def committee(self, tender_id: int) -> Sequence[CommitteeMember]:
        return self.session.scalars(
            select(CommitteeMember)
            .where(CommitteeMember.tender_id == tender_id)
            .order_by(CommitteeMember.position)
        ).all()

    def member(self, tender_id: int, user_id: int) -> CommitteeMember | None:
        return self.session.scalar(
            select(CommitteeMember).where(
                CommitteeMember.tender_id == tender_id, CommitteeMember.user_id == user_id
            )
        )

    def memberships(self, user_id: int) -> set[int]:
        """Tender ids on whose committee the user sits."""
        return set(
            self.session.scalars(
                select(CommitteeMember.tender_id).where(CommitteeMember.user_id == user_id)
            )
        )

    def opener_key(self, user_id: int) -> OpenerKey | None:
        return self.session.scalar(
            select(OpenerKey)
            .where(OpenerKey.user_id == user_id, OpenerKey.retired_at.is_(None))
            .order_by(OpenerKey.id.desc())
        )

    # --- bids ---

    def bid(self, bid_id: int) -> Bid:
        row = self.session.get(Bid, bid_id)
        if row is None:
            raise NotFound("No bid {id}.", id=bid_id)
        return row

    def bids(self, tender_id: int, *, live_only: bool = False) -> Sequence[Bid]:
        query = select(Bid).where(Bid.tender_id == tender_id).order_by(Bid.received_at, Bid.id)
        if live_only:
            query = query.where(Bid.status == BidStatus.SUBMITTED)
        return self.session.scalars(query).all()

    def bids_of(self, tender_id: int, supplier_id: int) -> Sequence[Bid]:
        return self.session.scalars(
            select(Bid)
            .where(Bid.tender_id == tender_id, Bid.supplier_id == supplier_id)
            .order_by(Bid.received_at.desc(), Bid.id.desc())
        ).all()

    def live_bid(self, tender_id: int, supplier_id: int) -> Bid | None:
        return self.session.scalar(
            select(Bid).where(
                Bid.tender_id == tender_id,
                Bid.supplier_id == supplier_id,
                Bid.status == BidStatus.SUBMITTED,
            )
        )

    def count_live_bids(self, tender_id: int) -> int:
        return (
            self.session.scalar(
                select(func.count())
                .select_from(Bid)
                .where(Bid.tender_id == tender_id, Bid.status == BidStatus.SUBMITTED)
            )
            or 0
        )

    def covers(self, bid_ids: Sequence[int]) -> dict[tuple[int, str], BidCover]:
        if not bid_ids:
            return {}
        rows = self.session.scalars(select(BidCover).where(BidCover.bid_id.in_(list(bid_ids))))
        return {(c.bid_id, c.cover): c for c in rows}

    def cover(self, cover_id: int) -> BidCover | None:
        return self.session.get(BidCover, cover_id)

    def releases(self, cover_id: int) -> Sequence[ShareRelease]:
        return self.session.scalars(
            select(ShareRelease)
            .where(ShareRelease.bid_cover_id == cover_id)
            .order_by(ShareRelease.id)
        ).all()

    def released_by(self, member_id: int) -> set[int]:
        """Cover ids for which this committee seat has released its share."""
        return set(
            self.session.scalars(
                select(ShareRelease.bid_cover_id).where(ShareRelease.member_id == member_id)
            )
        )

    def release_counts(self, cover_ids: Sequence[int]) -> dict[int, int]:
        if not cover_ids:
            return {}
        rows = self.session.execute(
            select(ShareRelease.bid_cover_id, func.count())
            .where(ShareRelease.bid_cover_id.in_(list(cover_ids)))
            .group_by(ShareRelease.bid_cover_id)
        )
        return {cover_id: n for cover_id, n in rows}

    def findings(self, bid_ids: Sequence[int]) -> Sequence[TechnicalEvaluation]:
        if not bid_ids:
            return []
        return self.session.scalars(
            select(TechnicalEvaluation).where(TechnicalEvaluation.bid_id.in_(list(bid_ids)))
        ).all()

    def results(self, tender_id: int) -> Sequence[FinancialResult]:
        return self.session.scalars(
            select(FinancialResult)
            .where(FinancialResult.tender_id == tender_id)
            .order_by(FinancialResult.rank)
        ).all()

    def suppliers(self, ids: Sequence[int]) -> dict[int, Supplier]:
        if not ids:
            return {}
        return {s.id: s for s in self.session.scalars(select(Supplier).where(Supplier.id.in_(ids)))}


class Contracts(_Repository):
    def late_tranches(self, today: date) -> Sequence[tuple[PoTranche, PurchaseOrder]]:
        """Lines of the newest order versions past their due date and not fully delivered."""
        query = (
            select(PoTranche, PurchaseOrder)
            .join(PurchaseOrder, PurchaseOrder.id == PoTranche.purchase_order_id)
            .where(PurchaseOrder.status == PoStatus.ISSUED.value, PoTranche.due_date < today)
            .where(PoTranche.delivered_quantity < PoTranche.quantity)
        )
        return self.session.execute(query.order_by(PoTranche.id)).all()  # type: ignore[return-value]

    def expiring_securities(self, first: date, last: date) -> Sequence[Award]:
        """Awards whose performance security, not yet released, expires between two days."""
        return self.session.scalars(
            select(Award)
            .where(Award.status == AwardStatus.AWARDED.value, Award.ps_released_on.is_(None))
            .where(Award.ps_valid_until >= first, Award.ps_valid_until <= last)
            .order_by(Award.id)
        ).all()

    def awards(self, tender_id: int) -> Sequence[Award]:
        return self.session.scalars(
            select(Award).where(Award.tender_id == tender_id).order_by(Award.id)
        ).all()

    def award(self, award_id: int) -> Award:
        row = self.session.get(Award, award_id)
        if row is None:
            raise NotFound("No award {id}.", id=award_id)
        return row

    def purchase_order(self, po_id: int) -> PurchaseOrder:
        row = self.session.get(PurchaseOrder, po_id)
        if row is None:
            raise NotFound("No purchase order {id}.", id=po_id)
        return row

    def purchase_orders(
        self, *, supplier_id: int | None = None, tender_id: int | None = None
    ) -> Sequence[PurchaseOrder]:
        query = select(PurchaseOrder).order_by(PurchaseOrder.issued_at.desc(), PurchaseOrder.id)
        if supplier_id is not None:
            query = query.where(PurchaseOrder.supplier_id == supplier_id)
        if tender_id is not None:
            query = query.where(PurchaseOrder.tender_id == tender_id)
        return self.session.scalars(query).all()

    def versions(self, po: PurchaseOrder) -> list[PurchaseOrder]:
        """The order's versions, the original first."""
        chain = [po]
        while chain[0].previous_id is not None:
            chain.insert(0, self.session.get(PurchaseOrder, chain[0].previous_id))
        later = self.session.scalar(
            select(PurchaseOrder).where(PurchaseOrder.previous_id == chain[-1].id)
        )
        while later is not None:
            chain.append(later)
            later = self.session.scalar(
                select(PurchaseOrder).where(PurchaseOrder.previous_id == later.id)
            )
        return chain

    def tranches(self, po_id: int) -> Sequence[PoTranche]:
        return self.session.scalars(
            select(PoTranche)
            .where(PoTranche.purchase_order_id == po_id)
            .order_by(PoTranche.number, PoTranche.id)
        ).all()

    def tranche(self, tranche_id: int, *, lock: bool = False) -> PoTranche:
        query = select(PoTranche).where(PoTranche.id == tranche_id)
        row = self.session.scalar(query.with_for_update() if lock else query)
        if row is None:
            raise NotFound("No tranche {id}.", id=tranche_id)
        return row

    def current_tranche(self, tranche_id: int) -> PoTranche:
        """The same consignee line in the newest version of the tranche's purchase order."""
        old = self.tranche(tranche_id)
        newest = self.versions(self.purchase_order(old.purchase_order_id))[-1]
        return (
            self.session.scalar(
                select(PoTranche).where(
                    PoTranche.purchase_order_id == newest.id,
                    PoTranche.number == old.number,
                    PoTranche.consignee_warehouse_id == old.consignee_warehouse_id,
                )
            )
            or old
        )

    def deliveries(self, tranche_ids: Sequence[int]) -> dict[int, list[PoDelivery]]:
        out: dict[int, list[PoDelivery]] = {t: [] for t in tranche_ids}
        if tranche_ids:
            rows = self.session.scalars(
                select(PoDelivery)
                .where(PoDelivery.tranche_id.in_(list(tranche_ids)))
                .order_by(PoDelivery.delivered_on, PoDelivery.id)
            )
            for row in rows:
                out[row.tranche_id].append(row)
        return out

    def add_delivery(
        self, tranche: PoTranche, quantity: int, delivered_on: date, reference: str, at: datetime
    ) -> PoDelivery:
        """Record a delivery and keep the tranche's totals (for use inside another area's
        transaction; the caller checks the quantity and audits)."""
        row = PoDelivery(
            tranche_id=tranche.id,
            quantity=quantity,
            delivered_on=delivered_on,
            reference=reference,
            recorded_at=at,
        )
        tranche.delivered_quantity += quantity
        if tranche.delivered_on is None or delivered_on > tranche.delivered_on:
            tranche.delivered_on = delivered_on
        self.add(row)
        return row

    def has_delivery(self, tranche_id: int, reference: str) -> bool:
        return (
            self.session.scalar(
                select(PoDelivery.id).where(
                    PoDelivery.tranche_id == tranche_id, PoDelivery.reference == reference
                )
            )
            is not None
        )

    def warehouses(self, ids: Sequence[int]) -> dict[int, Warehouse]:
        if not ids:
            return {}
        return {
            w.id: w for w in self.session.scalars(select(Warehouse).where(Warehouse.id.in_(ids)))
        }
