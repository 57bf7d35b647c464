"""Purchase orders: issue from the award, read with tranches and liquidated damages, amend,
record deliveries and the performance security."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from oxychain.core.web.deps import app_of, guarded, reader, writer
from oxychain.core.web.openapi import file_download
from oxychain.core.web.params import Day, Id
from oxychain.core.web.timestamps import iso
from oxychain.tendering.api.schemas import (
    DeliveryOut,
    OrderListedOut,
    OrderOut,
    OrderShortOut,
    OrdersIssuedOut,
    SecurityRecordedOut,
)
from oxychain.tendering.services import award as results
from oxychain.tendering.services import purchase_orders as contracts
from oxychain.tendering.services.documents import (
    buyer_party,
    letter_of_award_document,
    letter_of_award_pdf,
    purchase_order_document,
    purchase_order_pdf,
)

router = APIRouter(tags=["purchase orders"])
Ref = Annotated[str, Path(max_length=40)]
PoId = Annotated[int, Path(ge=1, le=2**31 - 1)]
BidId = Annotated[int, Path(ge=1, le=2**31 - 1)]
PDF = "application/pdf"


def _short(po: Any) -> dict[str, Any]:
    return {
        "id": po.id,
        "number": po.number,
        "version": po.version,
        "previous_id": po.previous_id,
        "status": po.status,
        "quantity": po.quantity,
        "unit_price_paise": po.unit_price_paise,
        "issued_at": iso(po.issued_at),
    }


@router.post("/tenders/{ref}/purchase-orders", status_code=201, response_model=OrdersIssuedOut)
def issue(request: Request, ref: Ref, principal: guarded("po.write")) -> Any:
    orders = contracts.issue_purchase_orders(writer(request, principal), ref)
    return {"purchase_orders": [_short(o) for o in orders]}


@router.get("/purchase-orders", response_model=list[OrderListedOut])
def list_orders(request: Request, principal: guarded("po.read")) -> Any:
    return [
        {**_short(po), "supplier": s.code, "tender": t.reference}
        for po, s, t in contracts.list_purchase_orders(reader(request, principal))
    ]


def order_out(view: contracts.PurchaseOrderView) -> dict[str, Any]:
    return {
        **_short(view.po),
        "tender": view.tender.reference,
        "supplier": view.supplier.code,
        "item": view.item.code,
        "value_paise": view.value_paise,
        "versions": [_short(v) for v in view.versions],
        "as_of": view.as_of.isoformat(),
        "liquidated_damages_paise": view.damages_paise,
        "preference": {"basis": view.preference.basis, "reason": view.preference.english()},
        "performance_security": {
            "paise": view.award.performance_security_paise,
            "rate_bp": view.award.performance_security_bp,
            "required_until": view.security_required_until.isoformat(),
            "reference": view.award.ps_reference,
            "valid_until": view.award.ps_valid_until and view.award.ps_valid_until.isoformat(),
            "state": view.security_state,
            "days_short": view.security_days_short,
        },
        "tranches": [
            {
                "id": t.tranche.id,
                "number": t.tranche.number,
                "consignee": t.warehouse.code,
                "quantity": t.tranche.quantity,
                "due_date": t.tranche.due_date.isoformat(),
                "delivered_quantity": t.tranche.delivered_quantity,
                "delivered_on": t.tranche.delivered_on and t.tranche.delivered_on.isoformat(),
                "liquidated_damages_paise": t.damages.total_paise,
            }
            for t in view.tranches
        ],
    }


@router.get("/purchase-orders/{po_id}", response_model=OrderOut)
def get_order(
    request: Request,
    po_id: PoId,
    principal: guarded("po.read"),
    as_of: Annotated[Day | None, Query()] = None,
) -> Any:
    return order_out(contracts.purchase_order_view(reader(request, principal), po_id, as_of))


class TrancheChangeIn(BaseModel):
    number: int = Field(ge=1)
    warehouse_id: Id
    quantity: int | None = Field(None, ge=1, le=10_000_000)
    due_date: Day | None = None


class AmendIn(BaseModel):
    reason: str = Field(min_length=1, max_length=500)
    changes: list[TrancheChangeIn] = Field(min_length=1, max_length=500)


@router.post("/purchase-orders/{po_id}/amendments", status_code=201, response_model=OrderShortOut)
def amend(request: Request, po_id: PoId, body: AmendIn, principal: guarded("po.write")) -> Any:
    changes = [contracts.TrancheChange(**c.model_dump()) for c in body.changes]
    new = contracts.amend_purchase_order(writer(request, principal), po_id, changes, body.reason)
    return _short(new)


class DeliveryIn(BaseModel):
    tranche_id: Id
    quantity: int = Field(ge=1, le=10_000_000)
    delivered_on: Day
    reference: str = Field(min_length=1, max_length=80)


@router.post("/purchase-orders/{po_id}/deliveries", status_code=201, response_model=DeliveryOut)
def delivery(
    request: Request, po_id: PoId, body: DeliveryIn, principal: guarded("po.write")
) -> Any:
    row = contracts.record_delivery(
        writer(request, principal), contracts.RecordDelivery(**body.model_dump()), po_id=po_id
    )
    return {"id": row.id, "tranche_id": row.tranche_id, "quantity": row.quantity}


class SecurityIn(BaseModel):
    reference: str = Field(min_length=1, max_length=120)
    received_on: Day
    valid_until: Day


@router.post("/purchase-orders/{po_id}/security", response_model=SecurityRecordedOut)
def security(
    request: Request, po_id: PoId, body: SecurityIn, principal: guarded("po.write")
) -> Any:
    award = results.record_performance_security(
        writer(request, principal), po_id, body.reference, body.received_on, body.valid_until
    )
    return {"letter": award.letter_number, "reference": award.ps_reference}


def _pdf(data: bytes, number: str) -> Response:
    name = number.replace("/", "-")
    return Response(
        data,
        media_type=PDF,
        headers={"Content-Disposition": f'attachment; filename="{name}.pdf"'},
    )


@router.get("/purchase-orders/{po_id}/pdf", **file_download(PDF, "The purchase order (PDF)."))
def order_pdf(request: Request, po_id: PoId, principal: guarded("po.read")) -> Response:
    buyer = buyer_party(app_of(request).settings)
    document = purchase_order_document(reader(request, principal), po_id, buyer)
    return _pdf(purchase_order_pdf(document), document.number)


@router.get(
    "/bids/{bid_id}/letter-of-award.pdf",
    **file_download(PDF, "The letter of award of the bid's award (PDF)."),
)
def letter_of_award(request: Request, bid_id: BidId, principal: guarded("po.read")) -> Response:
    """Guarded like the purchase order it leads to."""
    buyer = buyer_party(app_of(request).settings)
    document = letter_of_award_document(reader(request, principal), bid_id, buyer)
    return _pdf(letter_of_award_pdf(document), document.number)
