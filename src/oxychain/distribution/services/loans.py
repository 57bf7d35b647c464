"""Home loans from a district's concentrator bank (rules and sources in domain/loans.py).

Issuing moves the device from the district's warehouse to a home (``issue``) and lends it
(``lend``) in one transaction; a return brings it back to a warehouse of the district,
from where it is sanitised, re-tested and made available again by scans.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from oxychain.core.access import Scope, require
from oxychain.core.errors import Conflict, InvalidInput, NotFound
from oxychain.core.people import ObjectScope
from oxychain.core.uow import UnitOfWork
from oxychain.distribution.domain import loan as loans
from oxychain.distribution.domain.lifecycle import EventKind, PlaceKind
from oxychain.distribution.domain.loan import LoanStatus
from oxychain.distribution.services.moves import Links, Moves
from oxychain.distribution.services.places import Places
from oxychain.distribution.tables import Loan
from oxychain.inspection.domain.device import normal_serial


@dataclass(frozen=True)
class IssueLoan:
    serial: str
    prescription_ref: str
    patient_ref: str
    phone: str
    due_on: date
    deposit_rupees: int


def loan_scope(loan: Loan) -> ObjectScope:
    return ObjectScope(district_id=loan.district_id, warehouse_id=loan.warehouse_id)


def issue_loan(uow: UnitOfWork, cmd: IssueLoan, pepper: str, now: datetime) -> Loan:
    """Lend a device from the district's stock to a home patient on a prescription."""
    require(uow.principal, "loan.write")
    terms = loans.loan_terms(
        cmd.prescription_ref,
        cmd.patient_ref,
        cmd.phone,
        now.date(),
        cmd.due_on,
        cmd.deposit_rupees,
        pepper,
    )
    serial = normal_serial(cmd.serial)
    with uow:
        device = uow.ledger.locate([serial]).get(serial)
        if device is None:
            raise NotFound("No device with serial {serial}.", serial=serial[:40])
        bank = device.position.place
        if bank.kind is not PlaceKind.WAREHOUSE:
            raise Conflict("Device {serial} is not in a warehouse's stock.", serial=serial)
        require(uow.principal, "loan.write", bank.scope())
        if held := uow.dispatch.open_loans_of_phone(terms.phone_hash):
            raise Conflict(
                "This mobile number already holds loan {number}; one device per household.",
                number=held[0].number,
            )
        loan = _new_loan(uow, terms, device.device_id, bank, now)
        moves = Moves(uow, now)
        moves.apply(device, EventKind.ISSUE, now, Places.home(bank.district_id))
        moves.apply(device, EventKind.LEND, now, links=Links(loan_id=loan.id))
        moves.flush()
        uow.record(
            "loan.issue",
            "loan",
            loan.number,
            None,
            {
                "serial": serial,
                "due_on": loan.due_on.isoformat(),
                "deposit_paise": loan.deposit_paise,
            },
        )
        uow.commit()
        return loan


def _new_loan(uow: UnitOfWork, terms: loans.LoanTerms, device_id: int, bank, now: datetime) -> Loan:  # noqa: ANN001
    district = uow.masterdata.district_by_id(bank.district_id)
    loan = Loan(
        number=f"TMP-{uuid.uuid4().hex[:16]}",
        device_id=device_id,
        district_id=bank.district_id,
        warehouse_id=bank.id,
        prescription_ref=terms.prescription_ref,
        patient_ref=terms.patient_ref,
        phone_hash=terms.phone_hash,
        issued_on=terms.issued_on,
        due_on=terms.due_on,
        deposit_paise=terms.deposit_paise,
        status=LoanStatus.OPEN.value,
        issued_by=uow.principal.username,
        created_at=now,
    )
    uow.dispatch.add(loan)
    uow.dispatch.flush()
    loan.number = loans.loan_number(district.code, loan.id)
    return loan


def return_loan(uow: UnitOfWork, number: str, now: datetime, warehouse_code: str = "") -> Loan:
    """The device comes back to a warehouse of the district (the bank it left by default)."""
    require(uow.principal, "loan.write")
    with uow:
        loan = _loan(uow, number, "loan.write", lock=True)
        if loan.status != LoanStatus.OPEN:
            raise Conflict("Loan {number} was already returned.", number=loan.number)
        places = Places(uow)
        if warehouse_code.strip():
            bank = places.by_code(PlaceKind.WAREHOUSE, warehouse_code)
        else:
            bank = Places.warehouse(uow.inspection.warehouse(loan.warehouse_id))
        serial = uow.dispatch.serials([loan.device_id])[loan.device_id]
        device = uow.ledger.locate([serial])[serial]
        moves = Moves(uow, now)
        moves.apply(device, EventKind.RETURN, now, bank, links=Links(loan_id=loan.id))
        moves.flush()
        loan.status, loan.returned_on = LoanStatus.RETURNED.value, now.date()
        uow.record(
            "loan.return",
            "loan",
            loan.number,
            {"status": "open"},
            {"status": "returned", "returned_on": loan.returned_on.isoformat(), "to": bank.id},
        )
        uow.commit()
        return loan


def _loan(uow: UnitOfWork, number: str, permission: str, lock: bool = False) -> Loan:
    loan = uow.dispatch.loan(number.strip(), lock=lock)
    if loan is None:
        raise NotFound("No loan {number}.", number=number[:40])
    require(uow.principal, permission, loan_scope(loan))
    return loan


@dataclass(frozen=True)
class LoanRow:
    loan: Loan
    serial: str
    days_overdue: int


def list_loans(
    uow: UnitOfWork, today: date, *, overdue: bool = False, status: str = ""
) -> list[LoanRow]:
    """Loans in the person's scope; overdue ones (open past their due date) when asked."""
    scope = require(uow.principal, "loan.read")
    district = uow.principal.district_id if scope is Scope.OWN_DISTRICT else None
    warehouse = uow.principal.warehouse_id if scope is Scope.OWN_WAREHOUSE else None
    if status and status not in {s.value for s in LoanStatus}:
        raise InvalidInput("Unknown loan status {status}.", status=status[:20])
    with uow:
        rows = uow.dispatch.loans(
            district if scope is Scope.OWN_DISTRICT else None,
            warehouse,
            status or None,
            today if overdue else None,
        )
        serials = uow.dispatch.serials([r.device_id for r in rows])
        return [
            LoanRow(
                r,
                serials[r.device_id],
                loans.days_overdue(r.due_on, today) if r.status == "open" else 0,
            )
            for r in rows
        ]


def get_loan(uow: UnitOfWork, number: str, today: date) -> LoanRow:
    require(uow.principal, "loan.read")
    with uow:
        loan = _loan(uow, number, "loan.read")
        serial = uow.dispatch.serials([loan.device_id])[loan.device_id]
        overdue = loans.days_overdue(loan.due_on, today) if loan.status == "open" else 0
        return LoanRow(loan, serial, overdue)
