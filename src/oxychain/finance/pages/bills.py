"""Bill pages: the list, a new bill (an order, a milestone, the devices that reached it),
one bill with its lines, deductions and their reasons, payments and the next steps; its
PDF; a tender's payment terms."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import Response

from oxychain.core.errors import InvalidInput
from oxychain.core.web.deps import app_of, guarded, reader, writer
from oxychain.finance.domain.bill import STATUS_LABELS
from oxychain.finance.domain.deductions import KIND_LABELS
from oxychain.finance.domain.terms import EVENT_LABELS, Event
from oxychain.finance.guards import BillNumber, bill_guarded
from oxychain.finance.pages.common import attempt, day, page, paise
from oxychain.finance.services import bills, documents, terms, views

router = APIRouter()
Ref = Annotated[str, Path(max_length=40)]
LABELS = {"statuses": STATUS_LABELS, "events": EVENT_LABELS, "kinds": KIND_LABELS}


@router.get("/bills")
def bills_page(
    request: Request,
    principal: guarded("bill.read"),
    status: Annotated[str | None, Query(max_length=16)] = None,
) -> Response:
    wanted = status if status in STATUS_LABELS else None
    rows = views.list_bills(reader(request, principal), wanted)
    return page(request, "finance/bills.html", rows=rows, status=wanted, **LABELS)


def _new_page(
    request: Request,
    principal,
    po_id: int | None,
    milestone: str,
    form: dict,
    error: str = "",
    status: int = 200,
):  # noqa: ANN001, ANN202, PLR0913
    orders = views.orders_to_bill(reader(request, principal))
    found = None
    if po_id is None and orders:
        po_id = orders[0][0].id
    if po_id is not None:
        found = views.billable(
            reader(request, principal), app_of(request).settings, po_id, milestone
        )
    return page(
        request,
        "finance/bill_new.html",
        status,
        orders=orders,
        po_id=po_id,
        milestone=milestone,
        found=found,
        form=form,
        error=error,
        **LABELS,
    )


@router.get("/bills/new")
def new_bill_page(
    request: Request,
    principal: guarded("bill.write"),
    po_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    milestone: Annotated[str, Query(pattern="^(receipt|installation)$")] = "receipt",
) -> Response:
    return _new_page(request, principal, po_id, milestone, {})


@router.post("/bills")
def enter_bill(
    request: Request,
    principal: guarded("bill.write"),
    po_id: Annotated[int, Form(ge=1, le=2**31 - 1)],
    milestone: Annotated[str, Form(pattern="^(receipt|installation)$")],
    serials: Annotated[list[str], Form(max_length=5000)] = [],  # noqa: B006 - FastAPI's form default
    supplier_reference: Annotated[str, Form(max_length=40)] = "",
    action: Annotated[str, Form(max_length=10)] = "draft",
) -> Response:
    cmd = bills.DraftBill(po_id, milestone, serials, supplier_reference, action == "submit")

    def run() -> str:
        bill = bills.create_bill(writer(request, principal), app_of(request).settings, cmd)
        return f"/bills/{bill.number}"

    form = {"serials": set(serials), "supplier_reference": supplier_reference}
    return attempt(
        request, run, lambda e, s: _new_page(request, principal, po_id, milestone, form, e, s)
    )


def _bill_page(request: Request, principal, number: str, error: str = "", status: int = 200):  # noqa: ANN001, ANN202
    view = views.bill_view(reader(request, principal), app_of(request).settings, number)
    return page(request, "finance/bill.html", status, view=view, error=error, **LABELS)


@router.get("/bills/{bill_number}")
def bill_page(
    request: Request, bill_number: BillNumber, principal: bill_guarded("bill.read")
) -> Response:
    return _bill_page(request, principal, bill_number)


@router.get("/bills/{bill_number}/pdf")
def bill_pdf(
    request: Request, bill_number: BillNumber, principal: bill_guarded("bill.read")
) -> Response:
    body = documents.bill_pdf(reader(request, principal), app_of(request).settings, bill_number)
    disposition = f'inline; filename="{documents.filename(bill_number)}"'
    return Response(
        body, media_type="application/pdf", headers={"Content-Disposition": disposition}
    )


def _act(request: Request, principal, number: str, action) -> Response:  # noqa: ANN001
    def run() -> str:
        action()
        return f"/bills/{number}"

    return attempt(request, run, lambda e, s: _bill_page(request, principal, number, e, s))


@router.post("/bills/{bill_number}/submit")
def submit(
    request: Request, bill_number: BillNumber, principal: bill_guarded("bill.write")
) -> Response:
    settings = app_of(request).settings
    return _act(
        request,
        principal,
        bill_number,
        lambda: bills.submit_bill(writer(request, principal), settings, bill_number),
    )


@router.post("/bills/{bill_number}/discard")
def discard(
    request: Request, bill_number: BillNumber, principal: bill_guarded("bill.write")
) -> Response:
    return _act(
        request,
        principal,
        bill_number,
        lambda: bills.discard_bill(writer(request, principal), bill_number),
    )


@router.post("/bills/{bill_number}/pass")
def pass_bill(
    request: Request, bill_number: BillNumber, principal: bill_guarded("bill.check")
) -> Response:
    return _act(
        request,
        principal,
        bill_number,
        lambda: bills.pass_bill(writer(request, principal), bill_number),
    )


@router.post("/bills/{bill_number}/reject")
def reject(
    request: Request,
    bill_number: BillNumber,
    principal: bill_guarded("bill.check"),
    reason: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    return _act(
        request,
        principal,
        bill_number,
        lambda: bills.reject_bill(writer(request, principal), bill_number, reason),
    )


@router.post("/bills/{bill_number}/payments")
def pay(
    request: Request,
    bill_number: BillNumber,
    principal: bill_guarded("payment.write"),
    paid_on: Annotated[str, Form(max_length=10)] = "",
    reference: Annotated[str, Form(max_length=40)] = "",
    amount: Annotated[str, Form(max_length=24)] = "",
) -> Response:
    def run() -> None:
        cmd = bills.RecordPayment(day(paid_on), reference, paise(amount))
        bills.record_payment(writer(request, principal), bill_number, cmd)

    return _act(request, principal, bill_number, run)


# --- payment terms -------------------------------------------------------------------------------


def _terms_page(request: Request, principal, ref: str, error: str = "", status: int = 200):  # noqa: ANN001, ANN202
    view = terms.terms_view(reader(request, principal), ref, app_of(request).settings)
    return page(request, "finance/terms.html", status, view=view, error=error, **LABELS)


@router.get("/tenders/{ref}/payment-terms")
def terms_page(request: Request, ref: Ref, principal: guarded("terms.read")) -> Response:
    return _terms_page(request, principal, ref)


@router.post("/tenders/{ref}/payment-terms")
def set_terms(
    request: Request,
    ref: Ref,
    principal: guarded("terms.write"),
    receipt_pct: Annotated[str, Form(max_length=6)] = "",
    installation_pct: Annotated[str, Form(max_length=6)] = "",
    pay_within_days: Annotated[str, Form(max_length=4)] = "",
    recovery_rupees: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    def run() -> str:
        shares = [(Event.RECEIPT.value, receipt_pct), (Event.INSTALLATION.value, installation_pct)]
        milestones = [(e, _bp(p)) for e, p in shares if p.strip() and _bp(p)]
        cmd = terms.SetTerms(milestones, _int(pay_within_days), _int(recovery_rupees) * 100)
        terms.set_terms(writer(request, principal), ref, cmd)
        return f"/tenders/{ref}/payment-terms"

    return attempt(request, run, lambda e, s: _terms_page(request, principal, ref, e, s))


def _bp(text: str) -> int:
    """A percentage as typed ("80", "2.5"), in basis points."""
    try:
        value = Decimal(text.strip())
    except ArithmeticError:
        raise InvalidInput("{value} is not a percentage.", value=text[:12]) from None
    if not value.is_finite() or not 0 <= value <= 100 or value.as_tuple().exponent < -2:
        raise InvalidInput("{value} is not a percentage.", value=text[:12])
    return int(value * 100)


def _int(text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise InvalidInput("{value} is not a whole number.", value=text[:12]) from None
