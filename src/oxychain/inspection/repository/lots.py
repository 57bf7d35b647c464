"""Purchase orders and tranches (the tendering area's, read only), lots, and the people and
organisations an inspection names."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from oxychain.core.tables import User
from oxychain.inspection.domain.device import QaStatus
from oxychain.inspection.domain.lot import LotStatus, LotVersion, Offer
from oxychain.inspection.tables import Device, Lot
from oxychain.masterdata.tables import InspectionAgency, Item, Supplier, Warehouse
from oxychain.tendering.tables import PoTranche, PurchaseOrder, Tender

# The tendering area's status of a purchase order in force (a newer version supersedes it).
ORDER_IN_FORCE = "issued"


@dataclass(frozen=True)
class LotFilter:
    supplier_id: int | None = None  # a supplier sees only its own lots
    agency_id: int | None = None  # an inspector only their agency's
    status: str | None = None
    purchase_order_id: int | None = None


class Lots:
    session: Session

    # --- purchase orders (read only) ---------------------------------------------------

    def purchase_order(self, po_id: int) -> PurchaseOrder | None:
        return self.session.get(PurchaseOrder, po_id)

    def tranche(self, tranche_id: int, *, for_update: bool = False) -> PoTranche | None:
        """A tranche; ``for_update`` locks its row (PostgreSQL) against concurrent offers."""
        if not for_update:
            return self.session.get(PoTranche, tranche_id)
        query = select(PoTranche).where(PoTranche.id == tranche_id).with_for_update()
        return self.session.scalar(query)

    def open_tranches(self, supplier_id: int | None) -> list[tuple[PurchaseOrder, PoTranche]]:
        """Tranches of issued purchase orders (a supplier's own, when given)."""
        query = (
            select(PurchaseOrder, PoTranche)
            .join(PoTranche, PoTranche.purchase_order_id == PurchaseOrder.id)
            .where(PurchaseOrder.status == ORDER_IN_FORCE)
            .order_by(PurchaseOrder.number, PoTranche.number, PoTranche.id)
        )
        if supplier_id is not None:
            query = query.where(PurchaseOrder.supplier_id == supplier_id)
        return [(po, t) for po, t in self.session.execute(query)]

    def in_force(self, po: PurchaseOrder) -> bool:
        return po.status == ORDER_IN_FORCE

    def warehouse(self, warehouse_id: int) -> Warehouse | None:
        return self.session.get(Warehouse, warehouse_id)

    def line_tranche_ids(self, tranche: PoTranche) -> list[int]:
        """Ids of the same tranche line in this and every earlier version of its PO."""
        ids, po = [], self.session.get(PurchaseOrder, tranche.purchase_order_id)
        while po is not None:
            ids += self.session.scalars(
                select(PoTranche.id).where(
                    PoTranche.purchase_order_id == po.id,
                    PoTranche.number == tranche.number,
                    PoTranche.consignee_warehouse_id == tranche.consignee_warehouse_id,
                )
            ).all()
            po = self.session.get(PurchaseOrder, po.previous_id) if po.previous_id else None
        return ids

    # --- lots ----------------------------------------------------------------------------

    def add_lot(
        self,
        version: LotVersion,
        po: PurchaseOrder,
        tranche_id: int,
        offer: Offer,
        quantity: int,
        *,
        by: int | None,
        at: datetime,
    ) -> Lot:
        """A lot offered against a tranche of ``po``, inspected on the AQL and inspection
        level of the contract (frozen with its tender)."""
        tender = self.session.get(Tender, po.tender_id)
        lot = Lot(
            number=version.number,
            version=version.version,
            previous_id=version.previous_id,
            purchase_order_id=po.id,
            tranche_id=tranche_id,
            supplier_id=po.supplier_id,
            item_id=po.item_id,
            quantity=quantity,
            place=offer.place,
            ready_on=offer.ready_on,
            offered_at=at,
            offered_by_id=by,
            status=LotStatus.OFFERED.value,
            aql=tender.aql,
            inspection_level=tender.inspection_level,
        )
        self.session.add(lot)
        self.session.flush()
        return lot

    def lot(self, lot_id: int, *, for_update: bool = False) -> Lot | None:
        if not for_update:
            return self.session.get(Lot, lot_id)
        return self.session.scalar(select(Lot).where(Lot.id == lot_id).with_for_update())

    def lots(self, flt: LotFilter, limit: int = 200) -> Sequence[Lot]:
        query = select(Lot).order_by(Lot.offered_at.desc(), Lot.id.desc()).limit(limit)
        if flt.supplier_id is not None:
            query = query.where(Lot.supplier_id == flt.supplier_id)
        if flt.agency_id is not None:
            query = query.where(Lot.agency_id == flt.agency_id)
        if flt.status:
            query = query.where(Lot.status == flt.status)
        if flt.purchase_order_id is not None:
            query = query.where(Lot.purchase_order_id == flt.purchase_order_id)
        return self.session.scalars(query).all()

    def lots_of_tranches(self, tranche_ids: Iterable[int]) -> Sequence[Lot]:
        return self.session.scalars(
            select(Lot).where(Lot.tranche_id.in_(list(tranche_ids))).order_by(Lot.id)
        ).all()

    def next_version_of(self, lot: Lot) -> Lot | None:
        return self.session.scalar(select(Lot).where(Lot.previous_id == lot.id))

    def count_lots_of_po(self, po_id: int) -> int:
        """Lots first offered on this PO (a re-offer keeps its lot's number)."""
        query = (
            select(func.count())
            .select_from(Lot)
            .where(Lot.purchase_order_id == po_id, Lot.version == 1)
        )
        return self.session.scalar(query) or 0

    def accepted_units(self, lot_ids: Iterable[int]) -> dict[int, int]:
        rows = self.session.execute(
            select(Device.lot_id, func.count())
            .where(Device.lot_id.in_(list(lot_ids)), Device.qa_status == QaStatus.ACCEPTED.value)
            .group_by(Device.lot_id)
        )
        return {lot_id: n for lot_id, n in rows}

    # --- people and organisations --------------------------------------------------------

    def supplier(self, supplier_id: int) -> Supplier | None:
        return self.session.get(Supplier, supplier_id)

    def supplier_by_code(self, code: str) -> Supplier | None:
        return self.session.scalar(select(Supplier).where(Supplier.code == code))

    def item(self, item_id: int) -> Item | None:
        return self.session.get(Item, item_id)

    def item_by_code(self, code: str) -> Item | None:
        return self.session.scalar(select(Item).where(Item.code == code))

    def agency(self, agency_id: int) -> InspectionAgency | None:
        return self.session.get(InspectionAgency, agency_id)

    def agencies(self) -> Sequence[InspectionAgency]:
        return self.session.scalars(select(InspectionAgency).order_by(InspectionAgency.code)).all()

    def user(self, user_id: int) -> User | None:
        return self.session.get(User, user_id)

    def inspectors(self) -> Sequence[User]:
        query = select(User).where(User.role == "inspector", User.active.is_(True))
        return self.session.scalars(query.order_by(User.username)).all()
