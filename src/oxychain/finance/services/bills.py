"""Bills: a supplier (or finance, for a bill received on paper) enters one against an order
and a milestone; it is computed from the records, submitted, checked by another officer
(passed or rejected with a reason), and paid, in part or in full. Every change is audited.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from oxychain.core import clock
from oxychain.core.access import require
from oxychain.core.config import CoreSettings
from oxychain.core.errors import Conflict, InvalidInput
from oxychain.core.people import ObjectScope
from oxychain.core.uow import UnitOfWork
from oxychain.distribution.domain.certificate import MILESTONE, PaymentMilestone
from oxychain.finance.domain import bill as rules
from oxychain.finance.domain.bill import BILL, BillStatus, Computation, DeviceRecord
from oxychain.finance.domain.terms import Event
from oxychain.finance.services.computation import (
    compute_bill,
    live_earlier,
    rates_of,
)
from oxychain.finance.services.orders import Order, device_records, load_order
from oxychain.finance.services.terms import frozen_terms
from oxychain.finance.tables import Bill, BillDevice, BillLine, Deduction, Payment


def scope(bill: Bill) -> ObjectScope:
    return ObjectScope(supplier_id=bill.supplier_id)


def authorize(uow: UnitOfWork, number: str, permission: str) -> None:
    """The bill's scope for a permission, before a route reads its body (guards.py)."""
    require(uow.principal, permission)
    with uow:
        require(uow.principal, permission, scope(uow.finance.bill(number)))


@dataclass(frozen=True)
class DraftBill:
    purchase_order_id: int
    milestone: str
    serials: list[str]
    supplier_reference: str
    submit: bool = False


def create_bill(
    uow: UnitOfWork, settings: CoreSettings, cmd: DraftBill, now: datetime | None = None
) -> Bill:
    """A bill for the devices named, computed now; submitted at once when asked."""
    require(uow.principal, "bill.write")
    serials = rules.clean_serials(cmd.serials)
    reference = rules.check_supplier_reference(cmd.supplier_reference)
    event = Event(cmd.milestone) if cmd.milestone in set(Event) else None
    if event is None:
        raise InvalidInput("Unknown payment milestone {event}.", event=cmd.milestone[:20])
    now = now or clock.now()
    with uow:
        order = load_order(uow, cmd.purchase_order_id)
        require(uow.principal, "bill.write", ObjectScope(supplier_id=order.supplier.id))
        terms = frozen_terms(uow, order.tender, settings, now)
        terms.share(event)
        claimed = _claimable(uow, order, event, serials)
        bill = Bill(
            number=f"NEW-{uuid.uuid4().hex[:20]}",  # numbered from its id below
            supplier_id=order.supplier.id,
            purchase_order_id=order.root.id,
            tender_id=order.tender.id,
            milestone=event.value,
            share_bp=terms.share(event),
            supplier_reference=reference,
            status=BillStatus.DRAFT.value,
            entered_by_id=uow.principal.user_id,
            entered_by=uow.principal.username[:64],
            created_at=now,
            paid_paise=0,
        )
        result = _compute(uow, settings, order, bill, claimed, now)
        uow.finance.add(bill)
        bill.number = rules.bill_number(clock.in_india(now).year, bill.id)
        uow.finance.add(bill)
        _store(uow, bill, claimed, result)
        uow.record("bill.enter", "bill", bill.number, None, _summary(bill, len(claimed)))
        if cmd.submit:
            _submit(uow, settings, order, bill, now)
        uow.commit()
        return bill


def _claimable(
    uow: UnitOfWork, order: Order, event: Event, serials: list[str], own: str = ""
) -> list[DeviceRecord]:
    """The devices, each checked: accepted, not missing, at the event, held by no other bill."""
    found = device_records(uow, order, serials)
    holders = uow.finance.holders([r.device_id for r in found.values()], event.value)
    out = []
    for serial in serials:
        record = found.get(serial)
        holder = holders.get(record.device_id) if record else None
        rules.check_claim(record, serial, event, holder if holder != own else None)
        out.append(record)
    return out


def _compute(
    uow: UnitOfWork,
    settings: CoreSettings,
    order: Order,
    bill: Bill,
    claimed: list[DeviceRecord],
    now: datetime,
) -> Computation:
    terms = frozen_terms(uow, order.tender, settings, now)
    day = clock.in_india(now)
    earlier = live_earlier(uow, order, now, day)
    event = Event(bill.milestone)
    result = compute_bill(uow, order, terms, rates_of(settings), event, claimed, now, day, earlier)
    bill.computed_at, bill.bill_date = now, day
    bill.taxable_paise, bill.gst_paise = result.taxable_paise, result.gst_paise
    bill.deducted_paise, bill.net_paise = result.deducted_paise, result.net_paise
    bill.inputs = earlier.as_json()
    return result


def _store(uow: UnitOfWork, bill: Bill, claimed: list[DeviceRecord], result: Computation) -> None:
    rows: list[object] = [
        BillDevice(
            bill_id=bill.id,
            device_id=r.device_id,
            milestone=bill.milestone,
            tranche_id=r.tranche_id,
            holding=True,
        )
        for r in claimed
    ]
    uow.finance.add(*rows)
    _store_amounts(uow, bill, result)


def _store_amounts(uow: UnitOfWork, bill: Bill, result: Computation) -> None:
    uow.finance.replace_amounts(bill.id)
    rows: list[object] = [
        BillLine(
            bill_id=bill.id,
            tranche_id=line.tranche_id,
            tranche_number=line.tranche_number,
            warehouse_id=line.warehouse_id,
            quantity=line.quantity,
            unit_before_gst_paise=line.unit_before_gst_paise,
            share_bp=line.share_bp,
            gst_bp=line.gst_bp,
            taxable_paise=line.taxable_paise,
            gst_paise=line.gst_paise,
        )
        for line in result.lines
    ]
    rows += [
        Deduction(
            bill_id=bill.id,
            position=n,
            kind=str(d.kind),
            amount_paise=d.amount_paise,
            reason=d.reason,
            params=d.params,
            basis=d.basis,
        )
        for n, d in enumerate(result.deductions, start=1)
    ]
    uow.finance.add(*rows)


def _summary(bill: Bill, devices: int) -> dict:
    return {
        "status": bill.status,
        "milestone": bill.milestone,
        "devices": devices,
        "gross_paise": bill.taxable_paise + bill.gst_paise,
        "deducted_paise": bill.deducted_paise,
        "net_paise": bill.net_paise,
    }


def _submit(
    uow: UnitOfWork, settings: CoreSettings, order: Order, bill: Bill, now: datetime
) -> None:
    """Submitting recomputes the bill from the records as they stand, and freezes it."""
    before = bill.status
    bill.status = BILL.move(bill.status, "submit").value
    serials = [s for s, _ in uow.finance.claimed(bill.id)]
    claimed = _claimable(uow, order, Event(bill.milestone), serials, own=bill.number)
    result = _compute(uow, settings, order, bill, claimed, now)
    bill.submitted_by_id, bill.submitted_by = uow.principal.user_id, uow.principal.username[:64]
    bill.submitted_at = now
    uow.finance.add(bill)
    _store_amounts(uow, bill, result)
    uow.record("bill.submit", "bill", bill.number, {"status": before}, _summary(bill, len(serials)))


def submit_bill(
    uow: UnitOfWork, settings: CoreSettings, number: str, now: datetime | None = None
) -> Bill:
    require(uow.principal, "bill.write")
    now = now or clock.now()
    with uow:
        bill = uow.finance.bill(number, lock=True)
        require(uow.principal, "bill.write", scope(bill))
        _submit(uow, settings, load_order(uow, bill.purchase_order_id), bill, now)
        uow.commit()
        return bill


def discard_bill(uow: UnitOfWork, number: str) -> Bill:
    """A draft discarded lets its devices be claimed again."""
    require(uow.principal, "bill.write")
    with uow:
        bill = uow.finance.bill(number, lock=True)
        require(uow.principal, "bill.write", scope(bill))
        before, bill.status = bill.status, BILL.move(bill.status, "discard").value
        uow.finance.let_go(bill.id)
        uow.finance.add(bill)
        uow.record("bill.discard", "bill", number, {"status": before}, {"status": bill.status})
        uow.commit()
        return bill


def pass_bill(uow: UnitOfWork, number: str, now: datetime | None = None) -> Bill:
    """Checked and passed for payment, by someone other than its maker."""
    require(uow.principal, "bill.check")
    now = now or clock.now()
    with uow:
        bill = uow.finance.bill(number, lock=True)
        status = BILL.move(bill.status, "pass")
        rules.check_checker(bill.entered_by_id, bill.submitted_by_id, uow.principal.user_id)
        before, bill.status = bill.status, status.value
        _checked(uow, bill, now)
        uow.record("bill.pass", "bill", number, {"status": before}, {"net_paise": bill.net_paise})
        uow.commit()
        return bill


def reject_bill(uow: UnitOfWork, number: str, reason: str, now: datetime | None = None) -> Bill:
    """Returned to the supplier with the reason; its devices may be claimed again."""
    require(uow.principal, "bill.check")
    why = rules.check_reason(reason)
    now = now or clock.now()
    with uow:
        bill = uow.finance.bill(number, lock=True)
        status = BILL.move(bill.status, "reject")
        rules.check_checker(bill.entered_by_id, bill.submitted_by_id, uow.principal.user_id)
        before, bill.status, bill.reject_reason = bill.status, status.value, why
        uow.finance.let_go(bill.id)
        _checked(uow, bill, now)
        uow.record("bill.reject", "bill", number, {"status": before}, {"reason": why})
        uow.commit()
        return bill


def _checked(uow: UnitOfWork, bill: Bill, now: datetime) -> None:
    bill.checked_by_id, bill.checked_by = uow.principal.user_id, uow.principal.username[:64]
    bill.checked_at = now
    uow.finance.add(bill)


@dataclass(frozen=True)
class RecordPayment:
    paid_on: date
    reference: str  # UTR
    amount_paise: int


def record_payment(
    uow: UnitOfWork, number: str, cmd: RecordPayment, now: datetime | None = None
) -> Payment:
    """A payment on a passed bill. The same payment sent again (same bill, UTR, day and
    amount) is the one already recorded; a UTR is never recorded twice."""
    require(uow.principal, "payment.write")
    reference = rules.check_reference(cmd.reference)
    now = now or clock.now()
    with uow:
        bill = uow.finance.bill(number, lock=True)
        existing = uow.finance.payment(reference)
        if existing is not None:
            same = (existing.bill_id, existing.paid_on, existing.amount_paise)
            if same == (bill.id, cmd.paid_on, cmd.amount_paise):
                return existing
            raise Conflict("Payment {ref} is already recorded.", ref=reference)
        passed_on = clock.in_india(bill.checked_at)
        action = rules.check_payment(
            bill.status,
            bill.net_paise,
            bill.paid_paise,
            cmd.amount_paise,
            cmd.paid_on,
            passed_on,
            clock.in_india(now),
        )
        payment = Payment(
            bill_id=bill.id,
            paid_on=cmd.paid_on,
            reference=reference,
            amount_paise=cmd.amount_paise,
            recorded_by=uow.principal.username[:64],
            recorded_at=now,
        )
        before = {"status": bill.status, "paid_paise": bill.paid_paise}
        bill.status = BILL.move(bill.status, action).value
        bill.paid_paise += cmd.amount_paise
        uow.finance.add(payment, bill)
        if bill.status == BillStatus.PAID and bill.milestone == Event.INSTALLATION:
            _certificates_paid(uow, bill)
        after = {"status": bill.status, "paid_paise": bill.paid_paise, "utr": reference}
        uow.record("bill.payment", "bill", number, before, after)
        uow.commit()
        return payment


def _certificates_paid(uow: UnitOfWork, bill: Bill) -> None:
    """An acceptance certificate's payment milestone is paid once every device on it is paid
    for at installation (distribution's milestone, moved by its own lifecycle)."""
    devices = uow.finance.bill_device_ids(bill.id)
    for certificate in uow.finance.certificates_of(devices):
        if not MILESTONE.can(certificate.payment_milestone, "pay"):
            continue
        on_it = uow.finance.certificate_devices(certificate.id)
        if len(uow.finance.paid_claims(on_it, Event.INSTALLATION.value)) == len(on_it):
            certificate.payment_milestone = MILESTONE.move(
                certificate.payment_milestone, "pay"
            ).value
            uow.finance.add(certificate)
            uow.record(
                "certificate.paid",
                "acceptance_certificate",
                certificate.number,
                {"payment_milestone": PaymentMilestone.DUE.value},
                {"payment_milestone": certificate.payment_milestone, "bill": bill.number},
            )
