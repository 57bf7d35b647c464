"""What leaves finance for other systems: the ledger and the bills as an Excel workbook,
bills and payments as Tally vouchers (XML import), and each contract's payments and
deductions as OCDS implementation transactions (for the open-contracting export)."""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from oxychain.core import clock
from oxychain.core.access import require
from oxychain.core.config import CoreSettings
from oxychain.core.uow import UnitOfWork
from oxychain.finance.domain import ocds, tally
from oxychain.finance.domain.bill import CLAIMING, PAYABLE, BillStatus
from oxychain.finance.domain.money import RUPEE
from oxychain.finance.services.ledger import ledger

# --- Excel ---------------------------------------------------------------------------------------


def _rupees(paise: int) -> Decimal:
    return Decimal(paise) / RUPEE


def ledger_workbook(uow: UnitOfWork, settings: CoreSettings) -> bytes:
    """The ledger per order and per supplier, and every bill with its deductions and
    payments, in rupees (numbers formatted with Indian grouping in Excel)."""
    import openpyxl  # only the export needs it

    require(uow.principal, "finance.export")
    book = ledger(uow, settings)
    with uow:
        bills = uow.finance.bills(limit=100_000)
        deductions = defaultdict(list)
        for d in uow.finance.deductions([b.id for b in bills]):
            deductions[d.bill_id].append(d)
        payments = defaultdict(list)
        for p in uow.finance.payments([b.id for b in bills]):
            payments[p.bill_id].append(p)
        orders = {o.order.id: o for o in book.orders}
    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.title = "Ledger"
    heads = [
        "Order",
        "Supplier",
        "Delivered (₹)",
        "Billed (₹)",
        "Deducted (₹)",
        "Paid (₹)",
        "Outstanding (₹)",
        "0-30 days (₹)",
        "31-60 days (₹)",
        "61-90 days (₹)",
        "over 90 days (₹)",
    ]
    sheet.append(heads)
    for o in book.orders:
        a = o.account
        sheet.append(
            [
                o.order.number,
                o.supplier.name,
                *map(_rupees, (a.delivered, a.billed, a.deducted, a.paid, a.outstanding)),
                *map(_rupees, a.ageing.values()),
            ]
        )
    _money(sheet, 3)
    bills_sheet = wb.create_sheet("Bills")
    bills_sheet.append(
        [
            "Bill",
            "Order",
            "Supplier",
            "Milestone",
            "Status",
            "Bill date",
            "Gross (₹)",
            "Deducted (₹)",
            "Net (₹)",
            "Paid (₹)",
            "Deductions",
            "Payments",
        ]
    )
    for b in bills:
        o = orders.get(b.purchase_order_id)
        bills_sheet.append(
            [
                b.number,
                o.order.number if o else b.purchase_order_id,
                o.supplier.name if o else "",
                b.milestone,
                b.status,
                b.bill_date,
                *map(
                    _rupees,
                    (b.taxable_paise + b.gst_paise, b.deducted_paise, b.net_paise, b.paid_paise),
                ),
                "; ".join(f"{d.kind} {_rupees(d.amount_paise)}" for d in deductions[b.id]),
                "; ".join(
                    f"{p.paid_on.isoformat()} {p.reference} {_rupees(p.amount_paise)}"
                    for p in payments[b.id]
                ),
            ]
        )
    _money(bills_sheet, 7, 10)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _money(sheet, first: int, last: int | None = None) -> None:  # noqa: ANN001
    for row in sheet.iter_rows(min_row=2, min_col=first, max_col=last or sheet.max_column):
        for cell in row:
            if isinstance(cell.value, Decimal):
                cell.number_format = "#,##,##0.00"


# --- Tally ---------------------------------------------------------------------------------------


def tally_vouchers(
    uow: UnitOfWork, settings: CoreSettings, start: date | None = None, end: date | None = None
) -> bytes:
    """Journals booking the bills passed and Payment vouchers for the payments made between
    two days (both included; all when not given), as one Tally import file."""
    require(uow.principal, "finance.export")
    ledgers = settings.finance_tally_ledgers
    vouchers = []
    with uow:
        bills = [
            b
            for b in uow.finance.bills(limit=100_000)
            if b.checked_at and b.status in {s.value for s in PAYABLE | {BillStatus.PAID}}
        ]
        suppliers = uow.tenders.suppliers(list({b.supplier_id for b in bills}))
        deductions = defaultdict(list)
        for d in uow.finance.deductions([b.id for b in bills]):
            deductions[d.bill_id].append((d.kind, d.amount_paise))
        for b in sorted(bills, key=lambda b: b.checked_at):
            passed = clock.in_india(b.checked_at)
            if _within(passed, start, end):
                narration = (
                    f"Bill {b.number} (supplier's invoice {b.supplier_reference}), "
                    f"{b.milestone} milestone, passed by {b.checked_by}"
                )
                vouchers.append(
                    tally.booking(
                        b.number,
                        passed,
                        suppliers[b.supplier_id].name,
                        b.taxable_paise + b.gst_paise,
                        b.net_paise,
                        deductions[b.id],
                        ledgers,
                        narration,
                    )
                )
        for p in uow.finance.payments([b.id for b in bills]):
            if _within(p.paid_on, start, end):
                b = next(b for b in bills if b.id == p.bill_id)
                narration = f"Payment of bill {b.number} by UTR {p.reference}"
                vouchers.append(
                    tally.payment(
                        p.reference,
                        b.number,
                        p.paid_on,
                        suppliers[b.supplier_id].name,
                        p.amount_paise,
                        ledgers,
                        narration,
                    )
                )
    return tally.vouchers_xml(
        sorted(vouchers, key=lambda v: (v.on, v.kind != "Journal", v.number)),
        settings.finance_tally_company,
    )


def tally_masters(uow: UnitOfWork, settings: CoreSettings) -> bytes:
    """The ledgers the vouchers name: one per supplier billed, and the corporation's own."""
    require(uow.principal, "finance.export")
    with uow:
        bills = uow.finance.bills(limit=100_000)
        suppliers = uow.tenders.suppliers(list({b.supplier_id for b in bills}))
    rows = [(s.name, "supplier") for s in sorted(suppliers.values(), key=lambda s: s.name)]
    rows += [(name, kind) for kind, name in settings.finance_tally_ledgers.items()]
    return tally.masters_xml(rows, settings.finance_tally_company)


def _within(day: date, start: date | None, end: date | None) -> bool:
    return (start is None or start <= day) and (end is None or day <= end)


# --- open contracting ----------------------------------------------------------------------------


def contract_movements(uow: UnitOfWork) -> dict[str, list[ocds.Movement]]:
    """Each contract's payments and deductions (passed and paid bills), by the number of the
    purchase order's first version (the contract's number in the OCDS export). Read
    without a permission check: what it returns is published open data."""
    out: dict[str, list[ocds.Movement]] = defaultdict(list)
    with uow:
        bills = [
            b
            for b in uow.finance.bills(limit=100_000)
            if b.status in {s.value for s in CLAIMING} and b.checked_at
        ]
        numbers = {
            b.purchase_order_id: uow.contracts.purchase_order(b.purchase_order_id).number
            for b in bills
        }
        by_id = {b.id: b for b in bills}
        for d in uow.finance.deductions(list(by_id)):
            b = by_id[d.bill_id]
            out[numbers[b.purchase_order_id]].append(
                ocds.Movement(
                    f"{b.number}-{d.kind}-{d.position}",
                    b.number,
                    d.kind,
                    clock.in_india(b.checked_at),
                    d.amount_paise,
                )
            )
        for p in uow.finance.payments(list(by_id)):
            b = by_id[p.bill_id]
            out[numbers[b.purchase_order_id]].append(
                ocds.Movement(
                    f"{b.number}-payment-{p.id}", b.number, "payment", p.paid_on, p.amount_paise
                )
            )
    return dict(out)


def ocds_transactions(
    uow: UnitOfWork, buyer: dict[str, Any], suppliers: dict[str, dict[str, Any]], source: str
) -> dict[str, list[dict[str, Any]]]:
    """For the OCDS export: contract number → implementation.transactions. ``suppliers``
    maps a contract number to its supplier's organization reference."""
    return {
        number: ocds.transactions(moves, buyer, suppliers[number], source)
        for number, moves in contract_movements(uow).items()
        if number in suppliers
    }
