"""The ledger: per purchase order and per supplier, value delivered at the milestones
reached, billed, deducted, paid and outstanding, with the ageing of unpaid bills; and the
state's summary for the finance officer (domain/ledger.py says what each figure is)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from oxychain.core import clock
from oxychain.core.access import Scope, require
from oxychain.core.config import CoreSettings
from oxychain.core.people import ObjectScope
from oxychain.core.uow import UnitOfWork
from oxychain.finance.domain import bill as bills
from oxychain.finance.domain.bill import BillStatus, Line
from oxychain.finance.domain.ledger import Account, bucket, total
from oxychain.finance.domain.terms import PaymentTerms
from oxychain.finance.services.orders import Order, device_records, load_order
from oxychain.finance.services.terms import terms_of
from oxychain.finance.tables import Bill
from oxychain.masterdata.tables import Supplier
from oxychain.tendering.tables import PurchaseOrder


@dataclass(frozen=True)
class OrderAccount:
    order: PurchaseOrder  # the first version
    current: PurchaseOrder
    supplier: Supplier
    tender_reference: str
    account: Account
    bills: Counter = field(default_factory=Counter)  # status → count
    overdue: int = 0  # claiming bills past the terms' days, with something left to pay


@dataclass(frozen=True)
class Ledger:
    as_of: date
    orders: list[OrderAccount]

    @property
    def total(self) -> Account:
        return total(o.account for o in self.orders)

    def by_supplier(self) -> list[tuple[Supplier, Account]]:
        out: dict[int, tuple[Supplier, Account]] = {}
        for o in self.orders:
            out.setdefault(o.supplier.id, (o.supplier, Account()))[1].add(o.account)
        return sorted(out.values(), key=lambda pair: pair[0].code)

    @property
    def bills(self) -> Counter:
        out: Counter = Counter()
        for o in self.orders:
            out.update(o.bills)
        return out

    @property
    def overdue(self) -> int:
        return sum(o.overdue for o in self.orders)


def ledger(
    uow: UnitOfWork, settings: CoreSettings, po_id: int | None = None, as_of: date | None = None
) -> Ledger:
    """Every order the principal may see (a supplier: its own), or one order."""
    granted = require(uow.principal, "ledger.read")
    own = uow.principal.supplier_id or -1 if granted is Scope.OWN_SUPPLIER else None
    today = as_of or clock.today()
    with uow:
        orders = [
            o for o in uow.contracts.purchase_orders(supplier_id=own) if o.previous_id is None
        ]
        if po_id is not None:
            first = uow.contracts.versions(uow.contracts.purchase_order(po_id))[0]
            orders = [o for o in orders if o.id == first.id]
            if not orders:
                require(uow.principal, "ledger.read", _scope(first))
        return Ledger(today, [_account(uow, settings, o.id, today) for o in orders])


def _scope(po: PurchaseOrder) -> ObjectScope:
    return ObjectScope(supplier_id=po.supplier_id)


def _account(uow: UnitOfWork, settings: CoreSettings, po_id: int, today: date) -> OrderAccount:
    order = load_order(uow, po_id)
    terms, _ = terms_of(uow, order.tender, settings)
    rows = uow.finance.bills(purchase_order_id=order.root.id)
    account, overdue = Account(), 0
    for bill in rows:
        if not bills.claims(bill.status):
            continue
        account.billed += bill.taxable_paise + bill.gst_paise
        account.deducted += bill.deducted_paise
        account.paid += bill.paid_paise
        balance = bill.net_paise - bill.paid_paise
        if bill.status == BillStatus.SUBMITTED:
            account.awaiting_check += balance
        else:
            account.payable += balance
        if balance:
            submitted = clock.in_india(bill.submitted_at)
            account.ageing[bucket((today - submitted).days)] += balance
            overdue += bills.due_on(submitted, terms.pay_within_days) < today
    account.unbilled = unbilled(uow, order, terms)
    return OrderAccount(
        order=order.root,
        current=order.current,
        supplier=order.supplier,
        tender_reference=order.tender.reference,
        account=account,
        bills=Counter(b.status for b in rows),
        overdue=overdue,
    )


def unbilled(uow: UnitOfWork, order: Order, terms: PaymentTerms) -> int:
    """The value of milestones reached that no claiming bill holds, line by line as a bill
    would compute it (at the order's price, each line rounded to the rupee)."""
    records = device_records(uow, order)
    claimed = {(d, m) for d, m, status in uow.finance.claims(order.root.id) if bills.claims(status)}
    value = 0
    for milestone in terms.milestones:
        counts = Counter(
            r.tranche_id
            for r in records.values()
            if r.reached(milestone.event) and (r.device_id, milestone.event.value) not in claimed
        )
        for tranche_id, quantity in counts.items():
            t = order.tranches[tranche_id]
            line = Line(
                t.id,
                t.number,
                t.consignee_warehouse_id,
                quantity,
                order.unit_before_gst_paise,
                milestone.share_bp,
                order.gst_bp,
            )
            value += line.gross_paise
    return value


def summary_bills(uow: UnitOfWork) -> list[Bill]:
    """Claiming bills with something left to pay, oldest first (the finance officer's queue)."""
    require(uow.principal, "finance.summary")
    with uow:
        rows = uow.finance.bills(statuses=[s.value for s in bills.CLAIMING])
        return sorted((b for b in rows if b.net_paise > b.paid_paise), key=lambda b: b.submitted_at)
