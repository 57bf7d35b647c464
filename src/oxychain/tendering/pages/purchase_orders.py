"""Purchase-order pages: the list, one order with its tranches, deliveries, liquidated
damages and performance security; issue, amend, record; the PDF in Hindi and English, and
the letter of award before it (also a PDF)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import RedirectResponse, Response

from oxychain.core.errors import DomainError
from oxychain.core.services.auditing import record_history
from oxychain.core.web.deps import app_of, guarded, reader, writer
from oxychain.core.web.errors import refusal
from oxychain.core.web.templating import render, translate
from oxychain.tendering.pages.format import helpers
from oxychain.tendering.services import award as results
from oxychain.tendering.services import purchase_orders as contracts
from oxychain.tendering.services.documents import (
    buyer_party,
    letter_of_award_document,
    letter_of_award_pdf,
    purchase_order_document,
    purchase_order_pdf,
)

router = APIRouter()
Ref = Annotated[str, Path(max_length=40)]
PoId = Annotated[int, Path(ge=1, le=2**31 - 1)]
BidId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.get("/purchase-orders")
def orders_page(request: Request, principal: guarded("po.read")) -> Response:
    rows = contracts.list_purchase_orders(reader(request, principal))
    return render(request, "tendering/purchase_orders.html", rows=rows, **helpers(request))


def _order_page(request: Request, principal, po_id: int, error: str = "", status: int = 200):  # noqa: ANN001, ANN202
    view = contracts.purchase_order_view(reader(request, principal), po_id)
    history = record_history(
        reader(request, principal),
        ("purchase_order", view.po.number),
        *(("po_tranche", t.tranche.id) for t in view.tranches),
    )
    return render(
        request,
        "tendering/purchase_order.html",
        status_code=status,
        view=view,
        history=history,
        actions=view.actions,
        error=error,
        **helpers(request),
    )


@router.get("/purchase-orders/{po_id}")
def order_page(request: Request, po_id: PoId, principal: guarded("po.read")) -> Response:
    return _order_page(request, principal, po_id)


@router.get("/purchase-orders/{po_id}/pdf")
def order_pdf(request: Request, po_id: PoId, principal: guarded("po.read")) -> Response:
    document = purchase_order_document(
        reader(request, principal), po_id, buyer_party(app_of(request).settings)
    )
    name = document.number.replace("/", "-")
    return Response(
        purchase_order_pdf(document),
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}.pdf"'},
    )


@router.get("/bids/{bid_id}/letter-of-award")
def letter_of_award(request: Request, bid_id: BidId, principal: guarded("po.read")) -> Response:
    """The letter of award of the bid's award, guarded like its purchase order."""
    document = letter_of_award_document(
        reader(request, principal), bid_id, buyer_party(app_of(request).settings)
    )
    name = document.number.replace("/", "-")
    return Response(
        letter_of_award_pdf(document),
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}.pdf"'},
    )


def _act(request: Request, principal, po_id: int, action) -> Response:  # noqa: ANN001
    """Run an action on an order and show the order it leaves (a new version, or this one);
    on a refusal show this order again with the reason."""
    try:
        target = action()
    except ValueError:  # a form field that is not a number or a date
        message = translate(request, "Some of the input is not valid.")
        return _order_page(request, principal, po_id, message, 422)
    except DomainError as exc:
        if exc.code in ("not_found", "forbidden"):
            raise
        return _order_page(request, principal, po_id, *refusal(request, exc))
    return RedirectResponse(f"/purchase-orders/{target or po_id}", status_code=303)


@router.post("/tenders/{ref}/purchase-orders")
def issue(request: Request, ref: Ref, principal: guarded("po.write")) -> Response:
    contracts.issue_purchase_orders(writer(request, principal), ref)
    return RedirectResponse(f"/tenders/{ref}", status_code=303)


@router.post("/purchase-orders/{po_id}/amend")
def amend(
    request: Request,
    po_id: PoId,
    principal: guarded("po.write"),
    line: Annotated[str, Form(max_length=40)] = "",
    quantity: Annotated[str, Form(max_length=10)] = "",
    due_date: Annotated[str, Form(max_length=10)] = "",
    reason: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    def run() -> int:
        number, warehouse = (int(x) for x in line.split(":"))
        change = contracts.TrancheChange(
            number,
            warehouse,
            int(quantity) if quantity.strip() else None,
            date.fromisoformat(due_date) if due_date.strip() else None,
        )
        new = contracts.amend_purchase_order(writer(request, principal), po_id, [change], reason)
        return new.id

    return _act(request, principal, po_id, run)


@router.post("/purchase-orders/{po_id}/deliveries")
def delivery(
    request: Request,
    po_id: PoId,
    principal: guarded("po.write"),
    tranche_id: Annotated[str, Form(max_length=12)] = "",
    quantity: Annotated[str, Form(max_length=10)] = "",
    delivered_on: Annotated[str, Form(max_length=10)] = "",
    reference: Annotated[str, Form(max_length=80)] = "",
) -> Response:
    def run() -> None:
        cmd = contracts.RecordDelivery(
            int(tranche_id), int(quantity), date.fromisoformat(delivered_on), reference
        )
        contracts.record_delivery(writer(request, principal), cmd, po_id=po_id)

    return _act(request, principal, po_id, run)


@router.post("/purchase-orders/{po_id}/security")
def security(
    request: Request,
    po_id: PoId,
    principal: guarded("po.write"),
    reference: Annotated[str, Form(max_length=120)] = "",
    received_on: Annotated[str, Form(max_length=10)] = "",
    valid_until: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    def run() -> None:
        results.record_performance_security(
            writer(request, principal),
            po_id,
            reference,
            date.fromisoformat(received_on),
            date.fromisoformat(valid_until),
        )

    return _act(request, principal, po_id, run)
