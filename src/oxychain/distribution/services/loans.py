"""Home loans from a district's concentrator bank (rules and sources in domain/loan.py).

Issuing moves the device from the district's warehouse to a home (``issue``) and lends it
(``lend``) in one transaction; a return brings it back to a warehouse of the district,
from where it is sanitised, re-tested and made available again by scans.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from oxychain.core.access import require
from oxychain.core.errors import NotFound
from oxychain.core.people import ObjectScope
from oxychain.core.uow import UnitOfWork
from oxychain.distribution.domain import loan as loans
from oxychain.distribution.domain.device import Links
from oxychain.distribution.domain.lifecycle import EventKind, PlaceKind
from oxychain.distribution.services import devices
from oxychain.distribution.services.moves import Moves
from oxychain.distribution.services.places import Places, narrowing
from oxychain.distribution.tables import Loan


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
    with uow:
        device = devices.by_serial(uow, cmd.serial)
        bank = loans.check_bank(device.serial, device.position.place)
        require(uow.principal, "loan.write", bank.scope())
        held = [loan.number for loan in uow.dispatch.open_loans_of_phone(terms.phone_hash)]
        code = uow.masterdata.district_by_id(bank.district_id).code
        new = loans.lend(terms, device.device_id, bank, held, code, uow.principal.username, now)
        loan = uow.dispatch.add_loan(new)
        moves = Moves(uow, now)
        # Both steps are the lender's one act, authorised on the bank (the CMO or its keeper).
        moves.apply(device, EventKind.ISSUE, now, Places.home(bank.district_id), scope=bank.scope())
        moves.apply(device, EventKind.LEND, now, links=Links(loan_id=loan.id), scope=bank.scope())
        moves.flush()
        after = {"serial": device.serial, "due_on": loan.due_on.isoformat()}
        uow.record(
            "loan.issue", "loan", loan.number, None, after | {"deposit_paise": loan.deposit_paise}
        )
        uow.commit()
        return loan


def return_loan(uow: UnitOfWork, number: str, now: datetime, warehouse_code: str = "") -> Loan:
    """The device comes back to a warehouse of the district (the bank it left by default)."""
    require(uow.principal, "loan.return")
    with uow:
        loan = _loan(uow, number, "loan.return", lock=True)
        before = loan.status
        status = loans.LOAN.move(loan.status, "return", number=loan.number)
        bank = _bank(uow, loan, warehouse_code)
        moves = Moves(uow, now)
        moves.apply(
            devices.of_record(uow, loan.device_id),
            EventKind.RETURN,
            now,
            bank,
            links=Links(loan_id=loan.id),
        )
        moves.flush()
        loan.status, loan.returned_on = status.value, now.date()
        after = {"status": loan.status, "returned_on": loan.returned_on.isoformat(), "to": bank.id}
        uow.record("loan.return", "loan", loan.number, {"status": before}, after)
        uow.commit()
        return loan


def _bank(uow: UnitOfWork, loan: Loan, warehouse_code: str):  # noqa: ANN202 - a Place
    if warehouse_code.strip():
        return Places(uow).by_code(PlaceKind.WAREHOUSE, warehouse_code)
    return Places.warehouse(uow.masterdata.warehouse_by_id(loan.warehouse_id))


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
    actions: frozenset[str] = frozenset()  # what may be done next (domain/loan.py LOAN)


def _row(loan: Loan, serial: str, today: date) -> LoanRow:
    overdue = loans.days_overdue(loan.due_on, today, loan.status)
    return LoanRow(loan, serial, overdue, loans.LOAN.allowed_actions(loan.status))


def list_loans(
    uow: UnitOfWork, today: date, *, overdue: bool = False, status: str = ""
) -> list[LoanRow]:
    """Loans in the person's scope; overdue ones (open past their due date) when asked."""
    require(uow.principal, "loan.read")
    wanted = loans.check_status(status)
    with uow:
        rows = uow.dispatch.loans(
            **narrowing(uow.principal, "loan.read"),
            status=wanted,
            overdue_on=today if overdue else None,
        )
        serials = uow.dispatch.serials([r.device_id for r in rows])
        return [_row(r, serials[r.device_id], today) for r in rows]


def get_loan(uow: UnitOfWork, number: str, today: date) -> LoanRow:
    require(uow.principal, "loan.read")
    with uow:
        loan = _loan(uow, number, "loan.read")
        return _row(loan, uow.dispatch.serials([loan.device_id])[loan.device_id], today)
