"""Purchase orders: issued from the award with consignee-wise tranches, amended as new
versions, deliveries recorded, liquidated damages and performance security tracked."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from oxychain.core import clock
from oxychain.core.access import Scope, require
from oxychain.core.errors import Conflict, NotFound
from oxychain.core.people import ObjectScope
from oxychain.core.uow import UnitOfWork
from oxychain.masterdata.tables import Item, Supplier, Warehouse
from oxychain.tendering.domain import contract as contracts
from oxychain.tendering.domain import purchase_order as orders
from oxychain.tendering.domain.purchase_order import PURCHASE_ORDER, PoStatus
from oxychain.tendering.domain.securities import (
    days_short,
    performance_security_required_until,
)
from oxychain.tendering.domain.tender import Policy
from oxychain.tendering.tables import (
    Award,
    PoDelivery,
    PoTranche,
    PurchaseOrder,
    Tender,
    TenderConsignee,
)


def issue_purchase_orders(
    uow: UnitOfWork, reference: str, now: datetime | None = None
) -> list[PurchaseOrder]:
    """One order per award, the tender's consignee lines split among them in proportion."""
    require(uow.principal, "po.write")
    now = now or clock.now()
    with uow:
        tender = uow.tenders.tender(reference, lock="update")
        issued = bool(uow.contracts.purchase_orders(tender_id=tender.id))
        orders.check_issue(tender.status, issued)
        awards = [a for a in uow.contracts.awards(tender.id) if contracts.is_standing(a.status)]
        rows = list(uow.tenders.consignees(tender.id))
        shares = orders.order_shares(tender.quantity, [a.quantity for a in awards])
        cells = orders.split_lines([r.quantity for r in rows], shares)
        out = []
        for j, award in enumerate(awards):
            parts = [(row, cells[i][j]) for i, row in enumerate(rows)]
            out.append(_issue(uow, tender, award, j + 1, parts, now))
        uow.commit()
        return out


def _issue(
    uow: UnitOfWork,
    tender: Tender,
    award: Award,
    number: int,
    parts: list[tuple[TenderConsignee, int]],
    now: datetime,
) -> PurchaseOrder:
    po = PurchaseOrder(
        number=orders.order_number(tender.reference, number),
        version=1,
        tender_id=tender.id,
        award_id=award.id,
        supplier_id=award.supplier_id,
        item_id=tender.item_id,
        quantity=award.quantity,
        unit_price_paise=award.unit_price_paise,
        issued_at=now,
        status=PoStatus.ISSUED,
    )
    uow.contracts.add(po)
    for row, quantity in parts:
        if quantity:
            due = orders.due_date(clock.in_india(now), row.due_days)
            uow.contracts.add(
                PoTranche(
                    purchase_order_id=po.id,
                    number=row.tranche,
                    consignee_warehouse_id=row.warehouse_id,
                    quantity=quantity,
                    due_date=due,
                )
            )
    uow.record("po.issue", "purchase_order", po.number, None, _summary(uow, po))
    return po


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
    why = orders.check_amendment(reason, changes)
    now = now or clock.now()
    with uow:
        old = uow.contracts.purchase_order(po_id)
        old.status = PURCHASE_ORDER.move(old.status, "amend")
        lines = {(t.number, t.consignee_warehouse_id): t for t in uow.contracts.tranches(old.id)}
        wanted = {(c.number, c.warehouse_id): c for c in changes}
        orders.check_amended_lines(set(wanted), set(lines))
        new = PurchaseOrder(
            number=orders.amendment_number(uow.contracts.versions(old)[0].number, old.version),
            version=old.version + 1,
            previous_id=old.id,
            **{k: getattr(old, k) for k in _COPIED},
            issued_at=now,
            status=PoStatus.ISSUED,
            amendment_reason=why,
        )
        uow.contracts.add(old, new)
        delivered = uow.contracts.deliveries([t.id for t in lines.values()])
        for key, line in lines.items():
            _copy_line(uow, new, line, wanted.get(key), delivered[line.id])
        new.quantity = sum(t.quantity for t in uow.contracts.tranches(new.id))
        uow.contracts.add(new)
        before = {"number": old.number}
        uow.record("po.amend", "purchase_order", new.number, before, _summary(uow, new))
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
    quantity, due = orders.amended_line(
        line.number,
        line.quantity,
        line.due_date,
        line.delivered_quantity,
        change.quantity if change else None,
        change.due_date if change else None,
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
    challan = orders.check_challan(cmd.quantity, cmd.reference)
    now = now or clock.now()
    with uow:
        tranche = uow.contracts.current_tranche(cmd.tranche_id)
        tranche = uow.contracts.tranche(tranche.id, lock=True)
        if po_id is not None:
            chain = uow.contracts.versions(uow.contracts.purchase_order(po_id))
            if tranche.purchase_order_id not in {v.id for v in chain}:
                raise NotFound("No tranche {id} in this purchase order.", id=cmd.tranche_id)
        if uow.contracts.has_delivery(tranche.id, challan):
            raise Conflict("Challan {ref} is already recorded.", ref=challan)
        orders.check_delivery(
            tranche.quantity,
            tranche.delivered_quantity,
            cmd.quantity,
            cmd.delivered_on,
            clock.in_india(now),
        )
        row = uow.contracts.add_delivery(tranche, cmd.quantity, cmd.delivered_on, challan, now)
        after = {"quantity": cmd.quantity, "on": cmd.delivered_on.isoformat(), "ref": challan}
        uow.record("po.delivery", "po_tranche", tranche.id, None, after)
        uow.commit()
        return row


# --- reading ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrancheView:
    tranche: PoTranche
    warehouse: Warehouse
    deliveries: list[PoDelivery]
    damages: orders.Damages


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
    security_state: contracts.SecurityState
    as_of: date
    preference: contracts.Preference  # which purchase preference gave the award, and why
    actions: frozenset[str]  # amend, record_delivery, record_security on the newest version
    value_paise: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "value_paise", self.po.quantity * self.po.unit_price_paise)

    @property
    def damages_paise(self) -> int:
        return sum(t.damages.total_paise for t in self.tranches)

    @property
    def security_days_short(self) -> int:
        """Days the recorded guarantee ends before it must (0 when it runs long enough)."""
        return days_short(self.security_required_until, self.award.ps_valid_until)


def list_purchase_orders(uow: UnitOfWork) -> list[tuple[PurchaseOrder, Supplier, Tender]]:
    """The newest version of each order the principal may see (a supplier: its own)."""
    scope = require(uow.principal, "po.read")
    own = scope is Scope.OWN_SUPPLIER
    with uow:
        rows = uow.contracts.purchase_orders(
            supplier_id=(uow.principal.supplier_id or -1) if own else None
        )
        suppliers = uow.tenders.suppliers(list({o.supplier_id for o in rows}))
        return [
            (o, suppliers[o.supplier_id], uow.tenders.tender_by_id(o.tender_id))
            for o in orders.current(rows)
        ]


def purchase_order_view(
    uow: UnitOfWork, po_id: int, as_of: date | None = None
) -> PurchaseOrderView:
    require(uow.principal, "po.read")
    as_of = as_of or clock.today()
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
                _damages(t, delivered[t.id], po, tender, as_of),
            )
            for t in rows
        ]
        # Tendering knows the due dates and deliveries; finance's register adds acceptances.
        required = performance_security_required_until(
            [t.due_date for t in rows] or [as_of],
            [d.delivered_on for t in rows for d in delivered[t.id]],
            [],
            tender.warranty_months,
        )
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
            preference=contracts.preference(
                award.basis,
                Policy.of(tender),
                {a.basis for a in uow.contracts.awards(tender.id)},
            ),
            actions=orders.order_steps(po.status),
        )


def _damages(
    tranche: PoTranche,
    deliveries: list[PoDelivery],
    po: PurchaseOrder,
    tender: Tender,
    as_of: date,
) -> orders.Damages:
    """The tranche's liquidated damages as of a day, at the tender's rate and cap."""
    return orders.liquidated_damages(
        quantity=tranche.quantity,
        unit_price_paise=po.unit_price_paise,
        due=tranche.due_date,
        deliveries=[orders.Delivery(d.quantity, d.delivered_on) for d in deliveries],
        as_of=as_of,
        rate_bp_per_week=tender.ld_bp_per_week,
        cap_bp=tender.ld_cap_bp,
    )
