"""A supplier's bill against one purchase order and one payment milestone, for devices that
reached the milestone's event; its lines, its status and its payments.

A bill claims devices by serial. A device is claimed at most once per milestone on a bill
that holds it (draft, submitted, passed, partly paid, paid; a rejected or discarded bill
lets its devices go); the database refuses a second claim whatever the race. A device
rejected in inspection, missing from its challan's receipt or not yet at the milestone's
event cannot be claimed.

The payable amount is computed line by line (one line per tranche line of the order):
quantity × unit price before GST × the milestone's share, GST at the rate quoted in the bid,
minus the deductions (``domain.deductions``), every amount rounded to the rupee
(``domain.money``). Passing a bill is maker-checker: the one who passes it is neither the
one who entered it nor the one who submitted it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from oxychain.core.errors import Conflict, InvalidInput
from oxychain.core.i18n import N_
from oxychain.core.states import Lifecycle
from oxychain.finance.domain.money import BP, inr, part, to_rupee
from oxychain.finance.domain.terms import Event
from oxychain.inspection.domain.device import QaStatus


class BillStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    PASSED = "passed"
    PARTLY_PAID = "partly_paid"
    PAID = "paid"
    REJECTED = "rejected"
    DISCARDED = "discarded"


B = BillStatus
BILL: Lifecycle[BillStatus] = Lifecycle(
    "bill",
    BillStatus,
    {
        "submit": ([B.DRAFT], B.SUBMITTED),
        "discard": ([B.DRAFT], B.DISCARDED),
        "pass": ([B.SUBMITTED], B.PASSED),
        "reject": ([B.SUBMITTED], B.REJECTED),
        "pay": ([B.PASSED, B.PARTLY_PAID], B.PARTLY_PAID),
        "settle": ([B.PASSED, B.PARTLY_PAID], B.PAID),
    },
)
STATUS_LABELS = {
    B.DRAFT: N_("draft"),
    B.SUBMITTED: N_("submitted"),
    B.PASSED: N_("passed for payment"),
    B.PARTLY_PAID: N_("partly paid"),
    B.PAID: N_("paid"),
    B.REJECTED: N_("rejected"),
    B.DISCARDED: N_("discarded"),
}
#: Bills that claim money: they count in the ledger.
CLAIMING = frozenset({B.SUBMITTED, B.PASSED, B.PARTLY_PAID, B.PAID})
#: Bills that hold their devices against a second claim.
HOLDING = CLAIMING | {B.DRAFT}
#: Bills on which the corporation owes money now.
PAYABLE = frozenset({B.PASSED, B.PARTLY_PAID})


def holds(status: str) -> bool:
    return BillStatus(status) in HOLDING


def claims(status: str) -> bool:
    return BillStatus(status) in CLAIMING


def bill_number(year: int, seq: int) -> str:
    return f"BILL-{year}-{seq:06d}"


# --- what a bill may claim ---------------------------------------------------------------------


@dataclass(frozen=True)
class DeviceRecord:
    """A device as a bill sees it: its verdict and the events that matter for payment."""

    device_id: int
    serial: str
    qa_status: str
    tranche_id: int | None  # the tranche line (newest order version) its lot was offered on
    received_on: date | None  # its challan's receipt closed with it scanned in
    missing: bool  # on a closed challan, never scanned: recorded missing
    certified_on: date | None  # on an acceptance certificate

    def reached(self, event: Event | str) -> bool:
        if QaStatus(self.qa_status) is not QaStatus.ACCEPTED or self.missing:
            return False
        if Event(event) is Event.RECEIPT:
            return self.received_on is not None
        return self.certified_on is not None


def check_claim(
    device: DeviceRecord | None, serial: str, event: Event, held_by: str | None
) -> None:
    """Why a device may not be claimed for the milestone, as a refusal a supplier can act on."""
    if device is None:
        raise InvalidInput("Device {serial} is not one of this order's devices.", serial=serial)
    if QaStatus(device.qa_status) is not QaStatus.ACCEPTED:
        raise Conflict(
            "Device {serial} was not accepted in inspection ({status}).",
            serial=serial,
            status=device.qa_status,
        )
    if device.missing:
        raise Conflict("Device {serial} is missing from its challan's receipt.", serial=serial)
    if not device.reached(event):
        if event is Event.RECEIPT:
            raise Conflict("Device {serial} is not yet received at the consignee.", serial=serial)
        raise Conflict("Device {serial} is not yet on an acceptance certificate.", serial=serial)
    if held_by:
        raise Conflict(
            "Device {serial} is already claimed for this milestone on bill {bill}.",
            serial=serial,
            bill=held_by,
        )


MAX_DEVICES = 5000
_SERIAL = re.compile(r"[A-Z0-9][A-Z0-9._/-]{2,39}")


def clean_serials(serials: Sequence[str]) -> list[str]:
    """The serials as typed or pasted: upper case, each once, in order; bounded."""
    out: list[str] = []
    for raw in serials:
        serial = raw.strip().upper()
        if not serial:
            continue
        if not _SERIAL.fullmatch(serial):
            raise InvalidInput("{serial} is not a serial number.", serial=serial[:40])
        if serial not in out:
            out.append(serial)
    if not out:
        raise InvalidInput("Name at least one device.")
    if len(out) > MAX_DEVICES:
        raise InvalidInput("A bill claims at most {most} devices.", most=MAX_DEVICES)
    return out


def check_supplier_reference(reference: str) -> str:
    """The supplier's own invoice number, as printed on its invoice."""
    text = reference.strip()
    if not text or len(text) > 40:
        raise InvalidInput("Give your invoice number (up to 40 characters).")
    return text


# --- lines ---------------------------------------------------------------------------------


def price_before_gst(
    landed_paise: int, quoted_unit_paise: int, quoted_landed_paise: int, gst_bp: int
) -> int:
    """The order's unit price before GST: the bid's own where the order is at the bidder's
    price; where the bidder matched L1's landed price, that price less the bidder's GST."""
    if landed_paise == quoted_landed_paise:
        return quoted_unit_paise
    exact = Decimal(landed_paise) * BP / (BP + gst_bp)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Line:
    """One tranche line's devices at one milestone."""

    tranche_id: int
    tranche_number: int
    warehouse_id: int
    quantity: int
    unit_before_gst_paise: int
    share_bp: int
    gst_bp: int
    taxable_paise: int = field(init=False)
    gst_paise: int = field(init=False)

    def __post_init__(self) -> None:
        value = part(self.quantity * self.unit_before_gst_paise, self.share_bp)
        taxable = to_rupee(value)
        object.__setattr__(self, "taxable_paise", taxable)
        object.__setattr__(self, "gst_paise", to_rupee(part(taxable, self.gst_bp)))

    @property
    def gross_paise(self) -> int:
        return self.taxable_paise + self.gst_paise


@dataclass(frozen=True)
class Deduction:
    """An amount held back, with the reason a supplier reads (an English template and its
    params, ready to print) and the basis a replay checks it against."""

    kind: str
    amount_paise: int
    reason: str
    params: dict[str, Any]
    basis: dict[str, Any]


@dataclass(frozen=True)
class Computation:
    lines: tuple[Line, ...]
    deductions: tuple[Deduction, ...]

    @property
    def taxable_paise(self) -> int:
        return sum(line.taxable_paise for line in self.lines)

    @property
    def gst_paise(self) -> int:
        return sum(line.gst_paise for line in self.lines)

    @property
    def gross_paise(self) -> int:
        return self.taxable_paise + self.gst_paise

    @property
    def deducted_paise(self) -> int:
        return sum(d.amount_paise for d in self.deductions)

    @property
    def net_paise(self) -> int:
        return self.gross_paise - self.deducted_paise


def compute(lines: Sequence[Line], deductions: Sequence[Deduction]) -> Computation:
    if not lines:
        raise InvalidInput("Name at least one device.")
    out = Computation(tuple(lines), tuple(d for d in deductions if d.amount_paise > 0))
    if out.net_paise < 0:
        raise Conflict("The deductions exceed the bill; bill more devices or ask finance.")
    return out


# --- approval and payment ----------------------------------------------------------------------


def check_checker(entered_by: int | None, submitted_by: int | None, checker: int) -> None:
    """Maker-checker: whoever entered or submitted a bill does not pass or reject it."""
    if checker in {entered_by, submitted_by}:
        raise Conflict("You entered or submitted this bill: another officer must check it.")


def check_reason(reason: str) -> str:
    text = reason.strip()
    if not text:
        raise InvalidInput("Say why the bill is rejected.")
    return text[:500]


_UTR = re.compile(r"[A-Z0-9][A-Z0-9/-]{5,39}")


def check_reference(reference: str) -> str:
    """A payment's bank reference (UTR of the NEFT/RTGS transfer, or a cheque number)."""
    text = reference.strip().upper()
    if not _UTR.fullmatch(text):
        raise InvalidInput("Give the payment's UTR or reference (6 to 40 letters and digits).")
    return text


def check_payment(
    status: str, net: int, paid: int, amount: int, paid_on: date, passed_on: date, today: date
) -> str:
    """The bill's move for this payment: ``settle`` when it pays the rest, ``pay`` otherwise."""
    action = "settle" if paid + amount == net else "pay"
    BILL.move(status, action)  # refuses a bill that is not passed, or already paid
    if amount <= 0:
        raise InvalidInput("A payment is above zero.")
    if paid + amount > net:
        raise Conflict("Only {left} remains to pay on this bill.", left=inr(net - paid))
    if paid_on > today:
        raise InvalidInput("A payment cannot be dated in the future.")
    if paid_on < passed_on:
        raise InvalidInput("A payment cannot be dated before the bill was passed.")
    return action


def due_on(submitted_on: date, pay_within_days: int) -> date:
    """The day by which the terms say a submitted bill should be paid."""
    return submitted_on + timedelta(days=pay_within_days)
