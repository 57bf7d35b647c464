"""Pages for the district and the facility: home loans, fault tickets and acceptance
certificates (stock and uptime: pages/stock.py)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from oxychain.core import clock
from oxychain.core.errors import InvalidInput
from oxychain.core.web.deps import app_of, guarded, reader, writer
from oxychain.core.web.templating import render
from oxychain.distribution.domain.challan import split_serials
from oxychain.distribution.pages.forms import attempt, terms
from oxychain.distribution.services import acceptance, loans, tickets
from oxychain.distribution.text import labels

router = APIRouter()


# --- loans ----------------------------------------------------------------------------------


def _loans_page(request: Request, principal, status: int = 200, **extra) -> Response:  # noqa: ANN001
    overdue = request.query_params.get("overdue") == "1"
    rows = loans.list_loans(reader(request, principal), clock.today(), overdue=overdue)
    settings = app_of(request).settings
    defaults = {
        "due_on": (clock.today() + timedelta(days=settings.loan_days)).isoformat(),
        "deposit": str(settings.loan_deposit_rupees),
    }
    return render(
        request,
        "distribution/loans.html",
        status_code=status,
        rows=rows,
        overdue=overdue,
        defaults=defaults,
        words=labels(request),
        **extra,
    )


@router.get("/loans")
def loans_page(request: Request, principal: guarded("loan.read")) -> Response:
    # "?serial=": the device page's link to lend that device (the form starts with its serial)
    serial = request.query_params.get("serial", "")[:64]
    return _loans_page(request, principal, **({"form": {"serial": serial}} if serial else {}))


@router.post("/loans")
def issue_loan(
    request: Request,
    principal: guarded("loan.write"),
    serial: Annotated[str, Form(max_length=64)] = "",
    prescription_ref: Annotated[str, Form(max_length=40)] = "",
    patient_ref: Annotated[str, Form(max_length=40)] = "",
    phone: Annotated[str, Form(max_length=20)] = "",
    due_on: Annotated[str, Form(max_length=10)] = "",
    deposit: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    form = {
        "serial": serial,
        "prescription_ref": prescription_ref,
        "patient_ref": patient_ref,
        "due_on": due_on,
        "deposit": deposit,
    }

    def issue() -> loans.Loan:
        due, money = _due_and_deposit(due_on, deposit)
        cmd = loans.IssueLoan(serial, prescription_ref, patient_ref, phone, due, money)
        pepper = app_of(request).settings.loan_pepper
        return loans.issue_loan(writer(request, principal), cmd, pepper, clock.now())

    return attempt(
        request,
        issue,
        lambda loan: f"/loans/{loan.number}",
        lambda error, status: _loans_page(request, principal, status, error=error, form=form),
    )


def _due_and_deposit(due_on: str, deposit: str) -> tuple[date, int]:
    try:
        return date.fromisoformat(due_on), int(deposit or 0)
    except ValueError:
        raise InvalidInput(
            "Give the due date (day-month-year) and the deposit in rupees."
        ) from None


def _loan_page(request: Request, principal, number: str, status: int = 200, **extra) -> Response:  # noqa: ANN001
    row = loans.get_loan(reader(request, principal), number, clock.today())
    words = labels(request)
    return render(
        request,
        "distribution/loan.html",
        status,
        row=row,
        actions=row.actions,
        words=words,
        **extra,
    )


@router.get("/loans/{number}")
def loan_page(request: Request, number: str, principal: guarded("loan.read")) -> Response:
    return _loan_page(request, principal, number)


@router.post("/loans/{number}/return")
def return_loan(
    request: Request,
    number: str,
    principal: guarded("loan.return"),
    warehouse: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    return attempt(
        request,
        lambda: loans.return_loan(writer(request, principal), number, clock.now(), warehouse),
        lambda _loan: f"/loans/{number}",
        lambda error, status: _loan_page(request, principal, number, status, error=error),
    )


# --- fault tickets --------------------------------------------------------------------------


def _tickets_page(request: Request, principal, status: int = 200, **extra) -> Response:  # noqa: ANN001
    open_only = request.query_params.get("open") == "1"
    rows = tickets.list_tickets(reader(request, principal), clock.now(), open_only)
    return render(
        request,
        "distribution/tickets.html",
        status_code=status,
        rows=rows,
        open_only=open_only,
        words=labels(request),
        **extra,
    )


@router.get("/tickets")
def tickets_page(request: Request, principal: guarded("ticket.read")) -> Response:
    return _tickets_page(request, principal)


@router.post("/tickets")
def report_fault(
    request: Request,
    principal: guarded("ticket.write"),
    serial: Annotated[str, Form(max_length=64)] = "",
    description: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    form = {"serial": serial, "description": description}
    return attempt(
        request,
        lambda: tickets.report_fault(
            writer(request, principal), serial, description, terms(request), clock.now()
        ),
        lambda ticket: f"/tickets/{ticket.number}",
        lambda error, status: _tickets_page(request, principal, status, error=error, form=form),
    )


def _ticket_page(request: Request, principal, number: str, status: int = 200, **extra) -> Response:  # noqa: ANN001
    row = tickets.get_ticket(reader(request, principal), number, clock.now())
    words = labels(request)
    return render(
        request,
        "distribution/ticket.html",
        status,
        row=row,
        actions=row.actions,
        words=words,
        **extra,
    )


@router.get("/tickets/{number}")
def ticket_page(request: Request, number: str, principal: guarded("ticket.read")) -> Response:
    return _ticket_page(request, principal, number)


def _ticket_action(request: Request, principal, number: str, act) -> Response:  # noqa: ANN001
    """A move of the ticket from its page; its page again, with the reason, when refused."""
    return attempt(
        request,
        act,
        lambda _ticket: f"/tickets/{number}",
        lambda error, status: _ticket_page(request, principal, number, status, error=error),
    )


@router.post("/tickets/{number}/repair")
def start_repair(request: Request, number: str, principal: guarded("ticket.service")) -> Response:
    return _ticket_action(
        request,
        principal,
        number,
        lambda: tickets.start_repair(writer(request, principal), number, clock.now()),
    )


@router.post("/tickets/{number}/resolve")
def resolve(
    request: Request,
    number: str,
    principal: guarded("ticket.service"),
    note: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    return _ticket_action(
        request,
        principal,
        number,
        lambda: tickets.resolve(writer(request, principal), number, note, clock.now()),
    )


@router.post("/tickets/{number}/condemn")
def condemn(
    request: Request,
    number: str,
    principal: guarded("ticket.condemn"),
    note: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    return _ticket_action(
        request,
        principal,
        number,
        lambda: tickets.condemn(writer(request, principal), number, note, clock.now()),
    )


# --- acceptance certificates ----------------------------------------------------------------


def _certificates_page(request: Request, principal, status: int = 200, **extra) -> Response:  # noqa: ANN001
    rows = acceptance.list_certificates(reader(request, principal))
    return render(
        request,
        "distribution/certificates.html",
        status_code=status,
        rows=rows,
        facility_code=acceptance.own_facility_code(reader(request, principal)),
        words=labels(request),
        **extra,
    )


@router.get("/certificates")
def certificates_page(request: Request, principal: guarded("acceptance.read")) -> Response:
    return _certificates_page(request, principal)


@router.post("/certificates")
def issue_certificate(
    request: Request,
    principal: guarded("acceptance.write"),
    facility: Annotated[str, Form(max_length=40)] = "",
    serials: Annotated[str, Form(max_length=200_000)] = "",
) -> Response:
    form = {"facility": facility, "serials": serials}
    return attempt(
        request,
        lambda: acceptance.issue_certificate(
            writer(request, principal),
            facility,
            split_serials(serials),
            terms(request),
            clock.now(),
        ),
        lambda made: f"/certificates/{made.number}",
        lambda error, status: _certificates_page(
            request, principal, status, error=error, form=form
        ),
    )


@router.get("/certificates/{number}")
def certificate_page(
    request: Request, number: str, principal: guarded("acceptance.read")
) -> Response:
    view = acceptance.get_certificate(reader(request, principal), number)
    return render(request, "distribution/certificate.html", view=view, words=labels(request))


@router.get("/certificates/{number}/pdf")
def certificate_pdf(
    request: Request, number: str, principal: guarded("acceptance.read")
) -> Response:
    view = acceptance.get_certificate(reader(request, principal), number)
    pdf = acceptance.certificate_pdf(view, app_of(request).settings.buyer_name)
    headers = {"Content-Disposition": f'inline; filename="{view.certificate.number}.pdf"'}
    return Response(pdf, media_type="application/pdf", headers=headers)
