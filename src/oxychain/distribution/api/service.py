"""Home loans, fault tickets and acceptance certificates (stock and uptime: api/stock.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from oxychain.core import clock
from oxychain.core.web.deps import app_of, guarded, reader, writer
from oxychain.core.web.openapi import file_download
from oxychain.core.web.params import Day
from oxychain.core.web.timestamps import Timestamp
from oxychain.distribution.domain.maintenance import ServiceTerms
from oxychain.distribution.services import acceptance, loans, tickets

router = APIRouter(tags=["service"])


def _terms(request: Request) -> ServiceTerms:
    return ServiceTerms.of(app_of(request).settings)


class LoanIn(BaseModel):
    serial: str = Field(max_length=64)
    prescription_ref: str = Field(max_length=40)
    patient_ref: str = Field(max_length=40, description="The district's case number; never a name.")
    phone: str = Field(max_length=20, description="Kept only as a keyed hash.")
    due_on: Day | None = None
    deposit_rupees: int | None = Field(None, ge=0)


class LoanOut(BaseModel):
    number: str
    serial: str
    status: str
    prescription_ref: str
    patient_ref: str
    issued_on: Day
    due_on: Day
    deposit_paise: int
    returned_on: Day | None
    days_overdue: int


def _loan_out(row: loans.LoanRow) -> LoanOut:
    loan = row.loan
    return LoanOut(
        number=loan.number,
        serial=row.serial,
        status=loan.status,
        prescription_ref=loan.prescription_ref,
        patient_ref=loan.patient_ref,
        issued_on=loan.issued_on,
        due_on=loan.due_on,
        deposit_paise=loan.deposit_paise,
        returned_on=loan.returned_on,
        days_overdue=row.days_overdue,
    )


@router.post("/loans", response_model=LoanOut, status_code=201)
def issue_loan(request: Request, body: LoanIn, principal: guarded("loan.write")) -> LoanOut:
    settings = app_of(request).settings
    today = clock.today()
    cmd = loans.IssueLoan(
        body.serial,
        body.prescription_ref,
        body.patient_ref,
        body.phone,
        body.due_on or today + timedelta(days=settings.loan_days),
        settings.loan_deposit_rupees if body.deposit_rupees is None else body.deposit_rupees,
    )
    loan = loans.issue_loan(writer(request, principal), cmd, settings.loan_pepper, clock.now())
    return _loan_out(loans.get_loan(reader(request, principal), loan.number, today))


@router.get("/loans", response_model=list[LoanOut])
def list_loans(
    request: Request,
    principal: guarded("loan.read"),
    overdue: bool = False,
    status: Annotated[str, Query(max_length=12)] = "",
) -> list[LoanOut]:
    rows = loans.list_loans(
        reader(request, principal), clock.today(), overdue=overdue, status=status
    )
    return [_loan_out(r) for r in rows]


@router.get("/loans/{number}", response_model=LoanOut)
def get_loan(request: Request, number: str, principal: guarded("loan.read")) -> LoanOut:
    return _loan_out(loans.get_loan(reader(request, principal), number, clock.today()))


class ReturnIn(BaseModel):
    warehouse: str = Field("", max_length=40, description="Returned to (default: its bank).")


@router.post("/loans/{number}/return", response_model=LoanOut)
def return_loan(
    request: Request, number: str, principal: guarded("loan.return"), body: ReturnIn | None = None
) -> LoanOut:
    loans.return_loan(
        writer(request, principal), number, clock.now(), (body or ReturnIn()).warehouse
    )
    return _loan_out(loans.get_loan(reader(request, principal), number, clock.today()))


class TicketIn(BaseModel):
    serial: str = Field(max_length=64)
    description: str = Field(max_length=500)


class TicketOut(BaseModel):
    number: str
    serial: str
    status: str
    coverage: str
    covered_until: Day | None
    description: str
    opened_at: Timestamp
    due_at: Timestamp
    sla_hours: int
    sla_breached: bool
    hours_left: float
    resolved_at: Timestamp | None
    resolution: str | None


def _ticket_out(row: tickets.TicketRow) -> TicketOut:
    t = row.ticket
    return TicketOut(
        number=t.number,
        serial=row.serial,
        status=t.status,
        coverage=t.coverage,
        covered_until=t.covered_until,
        description=t.description,
        opened_at=t.opened_at,
        due_at=row.clock.due_at,
        sla_hours=t.sla_hours,
        sla_breached=row.clock.breached,
        hours_left=row.clock.hours_left,
        resolved_at=t.resolved_at,
        resolution=t.resolution,
    )


@router.post("/tickets", response_model=TicketOut, status_code=201)
def report_fault(request: Request, body: TicketIn, principal: guarded("ticket.write")) -> TicketOut:
    ticket = tickets.report_fault(
        writer(request, principal), body.serial, body.description, _terms(request), clock.now()
    )
    return _ticket_out(tickets.get_ticket(reader(request, principal), ticket.number, clock.now()))


@router.get("/tickets", response_model=list[TicketOut])
def list_tickets(
    request: Request, principal: guarded("ticket.read"), open_only: bool = False
) -> list[TicketOut]:
    return [
        _ticket_out(r)
        for r in tickets.list_tickets(reader(request, principal), clock.now(), open_only)
    ]


@router.get("/tickets/{number}", response_model=TicketOut)
def get_ticket(request: Request, number: str, principal: guarded("ticket.read")) -> TicketOut:
    return _ticket_out(tickets.get_ticket(reader(request, principal), number, clock.now()))


class NoteIn(BaseModel):
    note: str = Field("", max_length=500)


@router.post("/tickets/{number}/repair", response_model=TicketOut)
def start_repair(request: Request, number: str, principal: guarded("ticket.service")) -> TicketOut:
    tickets.start_repair(writer(request, principal), number, clock.now())
    return _ticket_out(tickets.get_ticket(reader(request, principal), number, clock.now()))


@router.post("/tickets/{number}/resolve", response_model=TicketOut)
def resolve(
    request: Request, number: str, principal: guarded("ticket.service"), body: NoteIn | None = None
) -> TicketOut:
    tickets.resolve(writer(request, principal), number, (body or NoteIn()).note, clock.now())
    return _ticket_out(tickets.get_ticket(reader(request, principal), number, clock.now()))


@router.post("/tickets/{number}/condemn", response_model=TicketOut)
def condemn(
    request: Request, number: str, principal: guarded("ticket.condemn"), body: NoteIn | None = None
) -> TicketOut:
    tickets.condemn(writer(request, principal), number, (body or NoteIn()).note, clock.now())
    return _ticket_out(tickets.get_ticket(reader(request, principal), number, clock.now()))


class CertificateIn(BaseModel):
    facility: str = Field(max_length=40)
    serials: list[str] = Field(min_length=1, max_length=5000)


class CertificateOut(BaseModel):
    number: str
    facility: str
    issued_on: Day
    warranty_months: int
    cmc_months: int
    warranty_until: Day
    cmc_until: Day
    value_paise: int
    payment_milestone: str
    serials: list[str]


def _certificate_out(view: acceptance.CertificateView) -> CertificateOut:
    c = view.certificate
    return CertificateOut(
        number=c.number,
        facility=view.facility.code,
        issued_on=c.issued_on,
        warranty_months=c.warranty_months,
        cmc_months=c.cmc_months,
        warranty_until=view.warranty_end,
        cmc_until=view.cmc_end,
        value_paise=c.value_paise,
        payment_milestone=c.payment_milestone,
        serials=[s for s, _make, _model in view.devices],
    )


@router.post("/certificates", response_model=CertificateOut, status_code=201)
def issue_certificate(
    request: Request, body: CertificateIn, principal: guarded("acceptance.write")
) -> CertificateOut:
    made = acceptance.issue_certificate(
        writer(request, principal), body.facility, body.serials, _terms(request), clock.now()
    )
    return _certificate_out(acceptance.get_certificate(reader(request, principal), made.number))


@router.get("/certificates/{number}", response_model=CertificateOut)
def get_certificate(
    request: Request, number: str, principal: guarded("acceptance.read")
) -> CertificateOut:
    return _certificate_out(acceptance.get_certificate(reader(request, principal), number))


@router.get(
    "/certificates/{number}/pdf",
    **file_download("application/pdf", "The certificate of installation (PDF)."),
)
def certificate_pdf(
    request: Request, number: str, principal: guarded("acceptance.read")
) -> Response:
    view = acceptance.get_certificate(reader(request, principal), number)
    pdf = acceptance.certificate_pdf(view, app_of(request).settings.buyer_name)
    return Response(pdf, media_type="application/pdf")
