"""Bills and their payments, and a tender's payment terms, over the API."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from oxychain.core.web.deps import app_of, guarded, reader, writer
from oxychain.core.web.templating import translate
from oxychain.finance.api.schemas import (
    BillableDeviceOut,
    BillableOut,
    BillIn,
    BillOut,
    BillSummaryOut,
    DeductionOut,
    LineOut,
    MilestoneIn,
    PaymentIn,
    PaymentOut,
    RejectIn,
    TermsIn,
    TermsOut,
)
from oxychain.finance.guards import BillNumber, bill_guarded
from oxychain.finance.services import bills, documents, terms, views

router = APIRouter(tags=["bills"])
PoId = Annotated[int, Path(ge=1, le=2**31 - 1)]
Ref = Annotated[str, Path(max_length=40)]
ROUNDING = "Each line's value, its GST and each deduction rounded to the rupee, 50 paise up."


def _summary(row: views.BillRow) -> BillSummaryOut:
    b = row.bill
    return BillSummaryOut(
        number=b.number,
        status=b.status,
        supplier=row.supplier.code,
        purchase_order=row.order.number,
        milestone=b.milestone,
        supplier_reference=b.supplier_reference,
        bill_date=b.bill_date,
        net_paise=b.net_paise,
        paid_paise=b.paid_paise,
    )


def bill_out(request: Request, view: views.BillView) -> BillOut:
    b = view.bill
    return BillOut(
        **_summary(views.BillRow(b, view.supplier, view.order)).model_dump(),
        purchase_order_id=view.order.id,
        current_version=view.current.number,
        tender=view.tender_reference,
        share_bp=b.share_bp,
        taxable_paise=b.taxable_paise,
        gst_paise=b.gst_paise,
        gross_paise=view.gross_paise,
        deducted_paise=b.deducted_paise,
        balance_paise=view.balance_paise,
        computed_at=b.computed_at,
        due_on=view.due_on,
        entered_by=b.entered_by,
        submitted_by=b.submitted_by,
        checked_by=b.checked_by,
        reject_reason=b.reject_reason,
        rounding=ROUNDING,
        lines=[
            LineOut(
                tranche=line.tranche_number,
                consignee=warehouse.code,
                quantity=line.quantity,
                unit_before_gst_paise=line.unit_before_gst_paise,
                share_bp=line.share_bp,
                taxable_paise=line.taxable_paise,
                gst_bp=line.gst_bp,
                gst_paise=line.gst_paise,
            )
            for line, warehouse in view.lines
        ],
        deductions=[
            DeductionOut(
                kind=d.kind,
                amount_paise=d.amount_paise,
                reason=translate(request, d.reason, d.params),
            )
            for d in view.deductions
        ],
        payments=[_payment(b.number, p) for p in view.payments],
        serials=view.serials,
        actions=sorted(view.actions),
    )


def _payment(number: str, p) -> PaymentOut:  # noqa: ANN001
    return PaymentOut(
        bill=number,
        paid_on=p.paid_on,
        reference=p.reference,
        amount_paise=p.amount_paise,
        recorded_at=p.recorded_at,
    )


def _view(request: Request, principal, number: str) -> BillOut:  # noqa: ANN001
    settings = app_of(request).settings
    return bill_out(request, views.bill_view(reader(request, principal), settings, number))


@router.get("/bills", response_model=list[BillSummaryOut])
def list_bills(
    request: Request,
    principal: guarded("bill.read"),
    status: Annotated[
        str | None,
        Query(pattern="^(draft|submitted|passed|partly_paid|paid|rejected|discarded)$"),
    ] = None,
) -> list[BillSummaryOut]:
    return [_summary(r) for r in views.list_bills(reader(request, principal), status)]


@router.post("/bills", status_code=201, response_model=BillOut)
def enter_bill(request: Request, body: BillIn, principal: guarded("bill.write")) -> BillOut:
    cmd = bills.DraftBill(
        body.purchase_order_id, body.milestone, body.serials, body.supplier_reference, body.submit
    )
    bill = bills.create_bill(writer(request, principal), app_of(request).settings, cmd)
    return _view(request, principal, bill.number)


@router.get("/bills/{bill_number}", response_model=BillOut)
def get_bill(
    request: Request, bill_number: BillNumber, principal: bill_guarded("bill.read")
) -> BillOut:
    return _view(request, principal, bill_number)


@router.get(
    "/bills/{bill_number}/pdf",
    response_class=Response,
    responses={
        200: {"content": {"application/pdf": {}}, "description": "The bill, Hindi and English."}
    },
)
def bill_pdf(
    request: Request, bill_number: BillNumber, principal: bill_guarded("bill.read")
) -> Response:
    settings = app_of(request).settings
    body = documents.bill_pdf(reader(request, principal), settings, bill_number)
    disposition = f'inline; filename="{documents.filename(bill_number)}"'
    return Response(
        body, media_type="application/pdf", headers={"Content-Disposition": disposition}
    )


@router.post("/bills/{bill_number}/submit", response_model=BillOut)
def submit(
    request: Request, bill_number: BillNumber, principal: bill_guarded("bill.write")
) -> BillOut:
    bills.submit_bill(writer(request, principal), app_of(request).settings, bill_number)
    return _view(request, principal, bill_number)


@router.post("/bills/{bill_number}/discard", response_model=BillOut)
def discard(
    request: Request, bill_number: BillNumber, principal: bill_guarded("bill.write")
) -> BillOut:
    bills.discard_bill(writer(request, principal), bill_number)
    return _view(request, principal, bill_number)


@router.post("/bills/{bill_number}/pass", response_model=BillOut)
def pass_bill(
    request: Request, bill_number: BillNumber, principal: bill_guarded("bill.check")
) -> BillOut:
    bills.pass_bill(writer(request, principal), bill_number)
    return _view(request, principal, bill_number)


@router.post("/bills/{bill_number}/reject", response_model=BillOut)
def reject(
    request: Request, bill_number: BillNumber, body: RejectIn, principal: bill_guarded("bill.check")
) -> BillOut:
    bills.reject_bill(writer(request, principal), bill_number, body.reason)
    return _view(request, principal, bill_number)


@router.post("/bills/{bill_number}/payments", status_code=201, response_model=PaymentOut)
def pay(
    request: Request,
    bill_number: BillNumber,
    body: PaymentIn,
    principal: bill_guarded("payment.write"),
) -> PaymentOut:
    cmd = bills.RecordPayment(body.paid_on, body.reference, body.amount_paise)
    payment = bills.record_payment(writer(request, principal), bill_number, cmd)
    return _payment(bill_number, payment)


@router.get("/purchase-orders/{po_id}/billable", response_model=BillableOut)
def billable(
    request: Request,
    po_id: PoId,
    principal: guarded("bill.read"),
    milestone: Annotated[str, Query(pattern="^(receipt|installation)$")] = "receipt",
) -> BillableOut:
    found = views.billable(reader(request, principal), app_of(request).settings, po_id, milestone)
    return BillableOut(
        purchase_order=found.order.number,
        supplier=found.supplier.code,
        milestone=found.milestone.value,
        share_bp=found.share_bp,
        devices=[
            BillableDeviceOut(
                serial=r.serial,
                tranche_id=r.tranche_id,
                received_on=r.received_on,
                certified_on=r.certified_on,
            )
            for r in found.devices
        ],
    )


def terms_out(view: terms.TermsView) -> TermsOut:
    return TermsOut(
        tender=view.tender.reference,
        milestones=[
            MilestoneIn(event=m.event.value, share_bp=m.share_bp) for m in view.terms.milestones
        ],
        pay_within_days=view.terms.pay_within_days,
        recovery_paise_per_day=view.terms.recovery_paise_per_day,
        source=view.source,
        editable=view.editable,
    )


@router.get("/tenders/{ref}/payment-terms", response_model=TermsOut)
def get_terms(request: Request, ref: Ref, principal: guarded("terms.read")) -> TermsOut:
    return terms_out(terms.terms_view(reader(request, principal), ref, app_of(request).settings))


@router.put("/tenders/{ref}/payment-terms", response_model=TermsOut)
def put_terms(
    request: Request, ref: Ref, body: TermsIn, principal: guarded("terms.write")
) -> TermsOut:
    cmd = terms.SetTerms(
        [(m.event, m.share_bp) for m in body.milestones],
        body.pay_within_days,
        body.recovery_paise_per_day,
    )
    terms.set_terms(writer(request, principal), ref, cmd)
    return get_terms(request, ref, principal)
