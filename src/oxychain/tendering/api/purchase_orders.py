"""Purchase orders: issue from the award, read with tranches and liquidated damages, amend,
record deliveries and the performance security."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, Field

from oxychain.core.web.deps import guarded, reader, writer
from oxychain.core.web.params import Id
from oxychain.core.web.timestamps import iso
from oxychain.tendering.services import award as results
from oxychain.tendering.services import purchase_orders as contracts

router = APIRouter(tags=["purchase orders"])
Ref = Annotated[str, Path(max_length=40)]
PoId = Annotated[int, Path(ge=1, le=2**31 - 1)]


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


@router.post("/tenders/{ref}/purchase-orders", status_code=201)
def issue(request: Request, ref: Ref, principal: guarded("po.write")) -> dict[str, Any]:
    orders = contracts.issue_purchase_orders(writer(request, principal), ref)
    return {"purchase_orders": [_short(o) for o in orders]}


@router.get("/purchase-orders")
def list_orders(request: Request, principal: guarded("po.read")) -> list[dict[str, Any]]:
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


@router.get("/purchase-orders/{po_id}")
def get_order(
    request: Request,
    po_id: PoId,
    principal: guarded("po.read"),
    as_of: Annotated[date | None, Query()] = None,
) -> dict[str, Any]:
    return order_out(contracts.purchase_order_view(reader(request, principal), po_id, as_of))


class TrancheChangeIn(BaseModel):
    number: int = Field(ge=1)
    warehouse_id: Id
    quantity: int | None = Field(None, ge=1, le=10_000_000)
    due_date: date | None = None


class AmendIn(BaseModel):
    reason: str = Field(min_length=1, max_length=500)
    changes: list[TrancheChangeIn] = Field(min_length=1, max_length=500)


@router.post("/purchase-orders/{po_id}/amendments", status_code=201)
def amend(request: Request, po_id: PoId, body: AmendIn, principal: guarded("po.write")) -> Any:
    changes = [contracts.TrancheChange(**c.model_dump()) for c in body.changes]
    new = contracts.amend_purchase_order(writer(request, principal), po_id, changes, body.reason)
    return _short(new)


class DeliveryIn(BaseModel):
    tranche_id: Id
    quantity: int = Field(ge=1, le=10_000_000)
    delivered_on: date
    reference: str = Field(min_length=1, max_length=80)


@router.post("/purchase-orders/{po_id}/deliveries", status_code=201)
def delivery(
    request: Request, po_id: PoId, body: DeliveryIn, principal: guarded("po.write")
) -> Any:
    row = contracts.record_delivery(
        writer(request, principal), contracts.RecordDelivery(**body.model_dump()), po_id=po_id
    )
    return {"id": row.id, "tranche_id": row.tranche_id, "quantity": row.quantity}


class SecurityIn(BaseModel):
    reference: str = Field(min_length=1, max_length=120)
    received_on: date
    valid_until: date


@router.post("/purchase-orders/{po_id}/security")
def security(
    request: Request, po_id: PoId, body: SecurityIn, principal: guarded("po.write")
) -> Any:
    award = results.record_performance_security(
        writer(request, principal), po_id, body.reference, body.received_on, body.valid_until
    )
    return {"letter": award.letter_number, "reference": award.ps_reference}
