"""Reading bills: the list a person may see, one bill with its lines, deductions (each with
its reason), payments and the next steps, and the devices an order still has to bill."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from oxychain.core import clock
from oxychain.core.access import Scope, require
from oxychain.core.config import CoreSettings
from oxychain.core.errors import InvalidInput
from oxychain.core.people import ObjectScope
from oxychain.core.uow import UnitOfWork
from oxychain.finance.domain import bill as rules
from oxychain.finance.domain.bill import BILL, BillStatus, DeviceRecord
from oxychain.finance.domain.terms import Event
from oxychain.finance.services.bills import scope
from oxychain.finance.services.orders import device_records, load_order
from oxychain.finance.services.terms import terms_of
from oxychain.finance.tables import Bill, BillLine, Deduction, Payment
from oxychain.masterdata.tables import Supplier, Warehouse
from oxychain.tendering.tables import PurchaseOrder


@dataclass(frozen=True)
class BillRow:
    bill: Bill
    supplier: Supplier
    order: PurchaseOrder  # the first version: its number names the contract


def list_bills(uow: UnitOfWork, status: str | None = None, limit: int = 500) -> list[BillRow]:
    """The bills the principal may see, newest first (a supplier: its own)."""
    granted = require(uow.principal, "bill.read")
    own = uow.principal.supplier_id or -1 if granted is Scope.OWN_SUPPLIER else None
    statuses = [BillStatus(status).value] if status else None
    with uow:
        bills = uow.finance.bills(supplier_id=own, statuses=statuses, limit=limit)
        suppliers = uow.tenders.suppliers(list({b.supplier_id for b in bills}))
        orders = {b.purchase_order_id for b in bills}
        pos = {i: uow.contracts.purchase_order(i) for i in orders}
        return [BillRow(b, suppliers[b.supplier_id], pos[b.purchase_order_id]) for b in bills]


@dataclass(frozen=True)
class BillView:
    bill: Bill
    supplier: Supplier
    order: PurchaseOrder  # the first version
    current: PurchaseOrder  # the newest version
    tender_reference: str
    lines: list[tuple[BillLine, Warehouse]]
    deductions: list[Deduction]
    payments: list[Payment]
    serials: list[str]
    due_on: date | None
    actions: frozenset[str]

    @property
    def gross_paise(self) -> int:
        return self.bill.taxable_paise + self.bill.gst_paise

    @property
    def balance_paise(self) -> int:
        return self.bill.net_paise - self.bill.paid_paise


def bill_view(uow: UnitOfWork, settings: CoreSettings, number: str) -> BillView:
    require(uow.principal, "bill.read")
    with uow:
        bill = uow.finance.bill(number)
        require(uow.principal, "bill.read", scope(bill))
        lines = list(uow.finance.lines(bill.id))
        warehouses = uow.contracts.warehouses([line.warehouse_id for line in lines])
        order = uow.contracts.purchase_order(bill.purchase_order_id)
        tender = uow.tenders.tender_by_id(bill.tender_id)
        terms, _ = terms_of(uow, tender, settings)
        submitted = bill.submitted_at
        return BillView(
            bill=bill,
            supplier=uow.tenders.supplier(bill.supplier_id),
            order=order,
            current=uow.contracts.versions(order)[-1],
            tender_reference=tender.reference,
            lines=[(line, warehouses[line.warehouse_id]) for line in lines],
            deductions=list(uow.finance.deductions([bill.id])),
            payments=list(uow.finance.payments([bill.id])),
            serials=[s for s, _ in uow.finance.claimed(bill.id)],
            due_on=rules.due_on(clock.in_india(submitted), terms.pay_within_days)
            if submitted
            else None,
            actions=BILL.allowed_actions(bill.status),
        )


@dataclass(frozen=True)
class Billable:
    """An order's devices that have reached a milestone and no bill holds for it."""

    order: PurchaseOrder
    supplier: Supplier
    milestone: Event
    share_bp: int
    devices: list[DeviceRecord]


def billable(uow: UnitOfWork, settings: CoreSettings, po_id: int, milestone: str) -> Billable:
    require(uow.principal, "bill.read")
    event = Event(milestone) if milestone in set(Event) else None
    if event is None:
        raise InvalidInput("Unknown payment milestone {event}.", event=milestone[:20])
    with uow:
        order = load_order(uow, po_id)
        require(uow.principal, "bill.read", ObjectScope(supplier_id=order.supplier.id))
        terms, _ = terms_of(uow, order.tender, settings)
        records = device_records(uow, order)
        held = uow.finance.holders([r.device_id for r in records.values()], event.value)
        free = [r for r in records.values() if r.reached(event) and r.device_id not in held]
        share = terms.share(event) if event in terms.events else 0
        return Billable(order.root, order.supplier, event, share, free)


def orders_to_bill(uow: UnitOfWork) -> list[tuple[PurchaseOrder, Supplier]]:
    """The orders (first versions) a person may bill against: a supplier its own."""
    granted = require(uow.principal, "bill.write")
    with uow:
        own = uow.principal.supplier_id or -1 if granted is Scope.OWN_SUPPLIER else None
        orders = uow.contracts.purchase_orders(supplier_id=own)
        firsts = [o for o in orders if o.previous_id is None]
        suppliers = uow.tenders.suppliers(list({o.supplier_id for o in firsts}))
        return [(o, suppliers[o.supplier_id]) for o in sorted(firsts, key=lambda o: o.number)]
