"""Home loans of concentrators: a district's concentrator bank.

DOMAIN.md, "Home loans of concentrators": districts ran concentrator banks in 2021; a
device is issued to a home patient on a prescription, returned after recovery, sanitised,
re-tested and re-issued. Store the least personal data that serves: a patient reference,
not a name.

So a loan holds a prescription reference, a patient reference (the district's own number
for the case, never a name), and a keyed hash of the patient's mobile number: HMAC-SHA256
under a secret pepper that lives in the settings, not in the database. A phone number has
only about 10^10 values, so a plain or per-row-salted hash could be reversed by trying
them all; with the pepper kept apart, a stolen database reveals no number, yet the same
number always gives the same hash, which lets the district find a holder's loans and
refuse a second device to the same household while one is out.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from oxychain.core.errors import Conflict, InvalidInput
from oxychain.core.i18n import N_
from oxychain.core.states import Lifecycle
from oxychain.distribution.domain.lifecycle import Place, PlaceKind

#: Indian mobile numbers: 10 digits beginning 6-9 (TRAI numbering plan).
MOBILE = re.compile(r"^[6-9][0-9]{9}$")
REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ./_-]{1,39}$")
MAX_LOAN_DAYS = 180


class LoanStatus(StrEnum):
    OPEN = "open"
    RETURNED = "returned"


LOAN: Lifecycle[LoanStatus] = Lifecycle(
    "loan",
    LoanStatus,
    {"return": ([LoanStatus.OPEN], LoanStatus.RETURNED)},
    message=N_("Loan {number} was already returned."),
)
STATUS_LABELS = {LoanStatus.OPEN: N_("on loan"), LoanStatus.RETURNED: N_("returned")}


def normalise_mobile(text: str) -> str:
    """A 10-digit Indian mobile number from what a person typed (+91, 0, spaces, dashes)."""
    digits = re.sub(r"[\s()-]", "", text or "")
    if digits.startswith("+91"):
        digits = digits[3:]
    elif digits.startswith("0091"):
        digits = digits[4:]
    elif len(digits) == 11 and digits.startswith("0"):
        digits = digits[1:]
    if not MOBILE.match(digits):
        raise InvalidInput(
            "Mobile number must have 10 digits and begin with 6, 7, 8 or 9.", field="phone"
        )
    return digits


def phone_hash(text: str, pepper: str) -> str:
    """HMAC-SHA256 of the normalised mobile number under the settings' pepper (hex)."""
    if not pepper:
        raise ValueError("the phone-hash pepper is not set")
    number = normalise_mobile(text)
    return hmac.new(pepper.encode(), number.encode(), hashlib.sha256).hexdigest()


def check_reference(text: str, what: str) -> str:
    ref = " ".join((text or "").split())
    if not REFERENCE.match(ref):
        raise InvalidInput(
            "The {what} must be 2-40 letters, digits, spaces or . / _ -.", what=what, field=what
        )
    return ref


@dataclass(frozen=True)
class LoanTerms:
    prescription_ref: str
    patient_ref: str
    phone_hash: str
    issued_on: date
    due_on: date
    deposit_paise: int


def loan_terms(
    prescription_ref: str,
    patient_ref: str,
    phone: str,
    issued_on: date,
    due_on: date,
    deposit_rupees: int,
    pepper: str,
) -> LoanTerms:
    """Checked terms of a new loan; InvalidInput naming the first field that is wrong."""
    prescription = check_reference(prescription_ref, "prescription reference")
    patient = check_reference(patient_ref, "patient reference")
    digest = phone_hash(phone, pepper)
    if due_on <= issued_on:
        raise InvalidInput("The due date must be after the day of issue.", field="due_on")
    if due_on > issued_on + timedelta(days=MAX_LOAN_DAYS):
        raise InvalidInput(
            "A loan lasts at most {days} days; renew it instead.", days=MAX_LOAN_DAYS
        )
    if not 0 <= deposit_rupees <= 1_00_000:
        raise InvalidInput("The deposit must be between ₹0 and ₹1,00,000.", field="deposit")
    return LoanTerms(prescription, patient, digest, issued_on, due_on, deposit_rupees * 100)


def days_overdue(due_on: date, today: date, status: str = LoanStatus.OPEN) -> int:
    """Days past the due date (0 while not yet due, and once returned)."""
    if status != LoanStatus.OPEN:
        return 0
    return max(0, (today - due_on).days)


def check_status(status: str) -> LoanStatus | None:
    """A status to list loans by, as typed ('' for every loan)."""
    if not status:
        return None
    try:
        return LoanStatus(status)
    except ValueError:
        raise InvalidInput("Unknown loan status {status}.", status=status[:20]) from None


def loan_number(district_code: str, seq: int) -> str:
    return f"LN-{district_code.replace('LGD:', '')}-{seq:05d}"


@dataclass(frozen=True)
class NewLoan:
    """A loan as issued: its checked terms, the device and the bank it leaves."""

    terms: LoanTerms
    device_id: int
    bank: Place  # the district warehouse the device is lent from
    district_code: str
    by: str
    at: datetime
    status: LoanStatus = LoanStatus.OPEN

    def number(self, seq: int) -> str:
        return loan_number(self.district_code, seq)


def check_bank(serial: str, bank: Place) -> Place:
    """A device is lent from a warehouse's stock (the district's concentrator bank)."""
    if bank.kind is not PlaceKind.WAREHOUSE:
        raise Conflict("Device {serial} is not in a warehouse's stock.", serial=serial)
    return bank


def lend(
    terms: LoanTerms,
    device_id: int,
    bank: Place,
    held: list[str],
    district_code: str,
    by: str,
    at: datetime,
) -> NewLoan:
    """A loan of a device from the bank, to a household that holds none (``held``: the open
    loans of the same mobile number)."""
    if held:
        raise Conflict(
            "This mobile number already holds loan {number}; one device per household.",
            number=held[0],
        )
    return NewLoan(terms, device_id, bank, district_code, by, at)
