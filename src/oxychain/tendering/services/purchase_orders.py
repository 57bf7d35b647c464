"""Purchase orders: issued from the award with consignee-wise tranches, amended as new
versions, deliveries recorded, liquidated damages and performance security tracked."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from oxychain.core import clock
from oxychain.core.access import Scope, require
from oxychain.core.errors import Conflict, InvalidInput, NotFound
from oxychain.core.people import ObjectScope
from oxychain.core.uow import UnitOfWork
from oxychain.masterdata.tables import Item, Supplier, Warehouse
from oxychain.tendering.domain import contract as contracts
from oxychain.tendering.domain import tender as tendering
from oxychain.tendering.domain.tender import TenderStatus
from oxychain.tendering.services.tenders import today_in_india
from oxychain.tendering.tables import Award, PoDelivery, PoTranche, PurchaseOrder, Tender


def issue_purchase_orders(
    uow: UnitOfWork, reference: str, now: datetime | None = None
) -> list[PurchaseOrder]:
    """One order per award, the tender's consignee lines split among them in proportion."""
    require(uow.principal, "po.write")
    now = now or clock.now()
    issued_on = today_in_india(now)
    with uow:
        tender = uow.tenders.tender(reference, lock="update")
        if tender.status != TenderStatus.AWARDED.value:
            raise Conflict("Purchase orders follow the award.")
        if uow.contracts.purchase_orders(tender_id=tender.id):
            raise Conflict("The purchase orders of this tender are already issued.")
        awards = [a for a in uow.contracts.awards(tender.id) if a.status == "awarded"]
        rows = list(uow.tenders.consignees(tender.id))
        cells = contracts.split_lines(
            [r.quantity for r in rows], [a.quantity for a in awards] + [_declined(tender, awards)]
        )
        orders = []
        for j, award in enumerate(awards):
            po = PurchaseOrder(
                number=f"PO/{tender.reference}/{j + 1}",
                version=1,
                tender_id=tender.id,
                award_id=award.id,
                supplier_id=award.supplier_id,
                item_id=tender.item_id,
                quantity=award.quantity,
                unit_price_paise=award.unit_price_paise,
                issued_at=now,
                status="issued",
            )
            uow.contracts.add(po)
            for i, row in enumerate(rows):
                if cells[i][j]:
                    uow.contracts.add(
                        PoTranche(
                            purchase_order_id=po.id,
                            number=row.tranche,
                            consignee_warehouse_id=row.warehouse_id,
                            quantity=cells[i][j],
                            due_date=contracts.due_date(issued_on, row.due_days),
                        )
                    )
            uow.record("po.issue", "purchase_order", po.number, None, _summary(uow, po))
            orders.append(po)
        uow.commit()
        return orders


def _declined(tender: Tender, awards: list[Award]) -> int:
    """Quantity left without a supplier by a declined award (kept out of every order)."""
    return tender.quantity - sum(a.quantity for a in awards)


def _summary(uow: UnitOfWork, po: PurchaseOrder) -> dict:
    return {
        "version": po.version,
        "supplier_id": po.supplier_id,
        "quantity": po.quantity,
        "unit_price_paise": po.unit_price_paise,
        "tranches": [
            [t.number, t.consignee_warehouse_id, t.quantity, t.due_date.isoformat()]
            for t in uow.contracts.tranches(po.id)
        ],
    }


@dataclass(frozen=True)
class TrancheChange:
    number: int
    warehouse_id: int
    quantity: int | None = None
    due_date: date | None = None


def amend_purchase_order(
    uow: UnitOfWork,
    po_id: int,
    changes: list[TrancheChange],
    reason: str,
    now: datetime | None = None,
) -> PurchaseOrder:
    """A new version linked to the old, which is superseded; deliveries carry over."""
    require(uow.principal, "po.write")
    if not reason.strip():
        raise InvalidInput("Say why the purchase order is amended.")
    if not changes:
        raise InvalidInput("The amendment changes nothing.")
    now = now or clock.now()
    with uow:
        old = uow.contracts.purchase_order(po_id)
        if old.status != "issued":
            raise Conflict("Only the newest version of an order can be amended.")
        lines = {(t.number, t.consignee_warehouse_id): t for t in uow.contracts.tranches(old.id)}
        wanted = {(c.number, c.warehouse_id): c for c in changes}
        if set(wanted) - set(lines):
            raise InvalidInput("An amendment changes existing tranche lines only.")
        root = uow.contracts.versions(old)[0]
        new = PurchaseOrder(
            number=f"{root.number}/A{old.version}",
            version=old.version + 1,
            previous_id=old.id,
            **{k: getattr(old, k) for k in _COPIED},
            issued_at=now,
            status="issued",
            amendment_reason=reason.strip()[:500],
        )
        old.status = "superseded"
        uow.contracts.add(old, new)
        delivered = uow.contracts.deliveries([t.id for t in lines.values()])
        for key, line in lines.items():
            _copy_line(uow, new, line, wanted.get(key), delivered[line.id])
        new.quantity = sum(t.quantity for t in uow.contracts.tranches(new.id))
        uow.contracts.add(new)
        uow.record(
            "po.amend", "purchase_order", new.number, {"number": old.number}, _summary(uow, new)
        )
        uow.commit()
        return new


_COPIED = ("tender_id", "award_id", "supplier_id", "item_id", "unit_price_paise", "quantity")


def _copy_line(
    uow: UnitOfWork,
    po: PurchaseOrder,
    line: PoTranche,
    change: TrancheChange | None,
    deliveries: list[PoDelivery],
) -> None:
    quantity = change.quantity if change and change.quantity is not None else line.quantity
    due = change.due_date if change and change.due_date is not None else line.due_date
    if quantity < line.delivered_quantity or quantity <= 0:
        raise InvalidInput(
            "Tranche {number} cannot go below the {delivered} units already delivered.",
            number=line.number,
            delivered=line.delivered_quantity,
        )
    copy = PoTranche(
        purchase_order_id=po.id,
        number=line.number,
        consignee_warehouse_id=line.consignee_warehouse_id,
        quantity=quantity,
        due_date=due,
        delivered_quantity=0,
    )
    uow.contracts.add(copy)
    for d in deliveries:
        uow.contracts.add_delivery(copy, d.quantity, d.delivered_on, d.reference, d.recorded_at)


@dataclass(frozen=True)
class RecordDelivery:
    tranche_id: int
    quantity: int
    delivered_on: date
    reference: str  # the challan number: the same challan is never counted twice


def record_delivery(
    uow: UnitOfWork, cmd: RecordDelivery, now: datetime | None = None, po_id: int | None = None
) -> PoDelivery:
    """A delivery against a tranche (of the newest order version), for the LD clock."""
    require(uow.principal, "po.write")
    if cmd.quantity <= 0 or not cmd.reference.strip():
        raise InvalidInput("A delivery has a quantity above zero and a challan reference.")
    now = now or clock.now()
    with uow:
        tranche = uow.contracts.current_tranche(cmd.tranche_id)
        tranche = uow.contracts.tranche(tranche.id, lock=True)
        if po_id is not None:
            chain = uow.contracts.versions(uow.contracts.purchase_order(po_id))
            if tranche.purchase_order_id not in {v.id for v in chain}:
                raise NotFound("No tranche {id} in this purchase order.", id=cmd.tranche_id)
        if uow.contracts.has_delivery(tranche.id, cmd.reference.strip()):
            raise Conflict("Challan {ref} is already recorded.", ref=cmd.reference.strip())
        if tranche.delivered_quantity + cmd.quantity > tranche.quantity:
            raise InvalidInput(
                "Only {left} units remain to deliver in this tranche.",
                left=tranche.quantity - tranche.delivered_quantity,
            )
        if cmd.delivered_on > today_in_india(now):
            raise InvalidInput("A delivery cannot be dated in the future.")
        row = uow.contracts.add_delivery(
            tranche, cmd.quantity, cmd.delivered_on, cmd.reference.strip()[:80], now
        )
        uow.record(
            "po.delivery",
            "po_tranche",
            tranche.id,
            None,
            {"quantity": cmd.quantity, "on": cmd.delivered_on.isoformat(), "ref": row.reference},
        )
        uow.commit()
        return row


# --- reading ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrancheView:
    tranche: PoTranche
    warehouse: Warehouse
    deliveries: list[PoDelivery]
    damages: contracts.Damages


@dataclass(frozen=True)
class PurchaseOrderView:
    po: PurchaseOrder
    versions: list[PurchaseOrder]
    tender: Tender
    award: Award
    supplier: Supplier
    item: Item
    tranches: list[TrancheView]
    security_required_until: date
    security_state: str
    as_of: date
    value_paise: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "value_paise", self.po.quantity * self.po.unit_price_paise)

    @property
    def damages_paise(self) -> int:
        return sum(t.damages.total_paise for t in self.tranches)


def list_purchase_orders(uow: UnitOfWork) -> list[tuple[PurchaseOrder, Supplier, Tender]]:
    """The newest version of each order the principal may see (a supplier: its own)."""
    scope = require(uow.principal, "po.read")
    own = scope is Scope.OWN_SUPPLIER
    with uow:
        orders = uow.contracts.purchase_orders(
            supplier_id=(uow.principal.supplier_id or -1) if own else None
        )
        suppliers = uow.tenders.suppliers(list({o.supplier_id for o in orders}))
        return [
            (o, suppliers[o.supplier_id], uow.tenders.tender_by_id(o.tender_id))
            for o in orders
            if o.status == "issued"
        ]


def purchase_order_view(
    uow: UnitOfWork, po_id: int, as_of: date | None = None
) -> PurchaseOrderView:
    require(uow.principal, "po.read")
    as_of = as_of or today_in_india(clock.now())
    with uow:
        po = uow.contracts.purchase_order(po_id)
        require(uow.principal, "po.read", ObjectScope(supplier_id=po.supplier_id))
        tender = uow.tenders.tender_by_id(po.tender_id)
        award = uow.contracts.award(po.award_id)
        rows = list(uow.contracts.tranches(po.id))
        warehouses = uow.contracts.warehouses([t.consignee_warehouse_id for t in rows])
        delivered = uow.contracts.deliveries([t.id for t in rows])
        tranches = [
            TrancheView(
                t,
                warehouses[t.consignee_warehouse_id],
                delivered[t.id],
                contracts.liquidated_damages(
                    quantity=t.quantity,
                    unit_price_paise=po.unit_price_paise,
                    due=t.due_date,
                    deliveries=[
                        contracts.Delivery(d.quantity, d.delivered_on) for d in delivered[t.id]
                    ],
                    as_of=as_of,
                    rate_bp_per_week=tender.ld_bp_per_week,
                    cap_bp=tender.ld_cap_bp,
                ),
            )
            for t in rows
        ]
        last = max((t.due_date for t in rows), default=as_of)
        required = tendering.performance_security_valid_until(last, tender.warranty_months)
        return PurchaseOrderView(
            po=po,
            versions=uow.contracts.versions(po),
            tender=tender,
            award=award,
            supplier=uow.tenders.supplier(po.supplier_id),
            item=uow.tenders.item(po.item_id),
            tranches=tranches,
            security_required_until=required,
            security_state=contracts.security_state(
                required, award.ps_received_on, award.ps_valid_until, as_of
            ),
            as_of=as_of,
        )
