"""The device registry, a tranche's inspection clock, the suppliers' scorecard, the
inspection dashboard and the agencies, under /api/v1."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from oxychain.core.web.deps import guarded, reader
from oxychain.core.web.params import Day, Id
from oxychain.inspection.services import figures, views

router = APIRouter(tags=["inspection"])


class RegisteredDeviceOut(BaseModel):
    serial: str
    item: str
    make: str
    model: str
    supplier: str
    purchase_order_id: int
    lot: str
    lot_id: Id
    manufactured_on: Day
    qa_status: str
    dispatchable: bool


@router.get("/registry", response_model=RegisteredDeviceOut)
def registry_device(
    request: Request,
    principal: guarded("registry.read"),
    serial: Annotated[str, Query(min_length=1, max_length=60)],
) -> RegisteredDeviceOut:
    v = views.find_device(reader(request, principal), serial)
    d = v.device
    return RegisteredDeviceOut(
        serial=d.serial,
        item=v.item.code,
        make=d.make,
        model=d.model,
        supplier=v.supplier.code,
        purchase_order_id=d.purchase_order_id,
        lot=v.lot.number,
        lot_id=v.lot.id,
        manufactured_on=d.manufactured_on,
        qa_status=d.qa_status,
        dispatchable=v.dispatchable,
    )


class TrancheInspectionOut(BaseModel):
    quantity: int = Field(description="Devices due in the tranche.")
    due_on: str = Field(description="ISO 8601 date.")
    under_inspection: int
    accepted: int
    rejected: int
    delivered: int
    days_late: int = Field(description="Days late of the part not yet delivered (0 on time).")
    running: bool = Field(description="Whether the clock for liquidated damages runs.")


@router.get("/tranches/{tranche_id}/inspection", response_model=TrancheInspectionOut)
def tranche_inspection(request: Request, tranche_id: Id, principal: guarded("lot.read")) -> dict:
    clock = views.tranche_inspection(reader(request, principal), tranche_id)
    return {**clock.__dict__, "due_on": clock.due_on.isoformat(), "running": clock.running}


class ScorecardLineOut(BaseModel):
    item: str
    lots_decided: int
    lots_rejected: int
    rejection_rate_pct: float = Field(description="Percent of decided lots, one decimal.")
    units_tested: int
    units_failed: int
    severity: str


class ScorecardOut(BaseModel):
    supplier: str
    items: list[ScorecardLineOut]


@router.get("/inspection/scorecard", response_model=ScorecardOut)
def scorecard(
    request: Request,
    principal: guarded("supplier.scorecard"),
    supplier: Annotated[str | None, Query(max_length=24)] = None,
) -> dict:
    card = figures.scorecard(reader(request, principal), supplier)
    return {
        "supplier": card.supplier.code,
        "items": [
            {
                "item": line.item_code,
                "lots_decided": line.lots_decided,
                "lots_rejected": line.lots_rejected,
                "rejection_rate_pct": round(line.rejection_rate_pct, 1),
                "units_tested": line.units_tested,
                "units_failed": line.units_failed,
                "severity": line.severity.value,
            }
            for line in card.lines
        ],
    }


class LotCountsOut(BaseModel):
    pending: int
    accepted: int
    rejected: int


class InspectionDashboardOut(BaseModel):
    lots: LotCountsOut
    by_status: dict[str, int] = Field(description="Lots per status.")
    supplier_pass_pct: dict[str, float] = Field(description="Units passed, % per supplier.")
    parameter_pass_pct: dict[str, float] = Field(description="Readings in limit, % per test.")


@router.get("/inspection/dashboard", response_model=InspectionDashboardOut)
def dashboard(request: Request, principal: guarded("inspection.dashboard")) -> dict:
    d = figures.dashboard(reader(request, principal))
    return {
        "lots": {"pending": d.pending, "accepted": d.accepted, "rejected": d.rejected},
        "by_status": d.by_status,
        "supplier_pass_pct": {r.label: round(r.pct, 1) for r in d.supplier_pass},
        "parameter_pass_pct": {r.label: round(r.pct, 1) for r in d.parameter_pass},
    }


class InspectorOut(BaseModel):
    id: int = Field(description="The inspector_id a lot's assignment takes.")
    username: str
    display_name: str


class AgencyOut(BaseModel):
    id: int = Field(description="The agency_id a lot's assignment takes.")
    code: str
    name: str
    inspectors: list[InspectorOut]


@router.get("/inspection/agencies", response_model=list[AgencyOut])
def agencies(request: Request, principal: guarded("lot.assign")) -> list[AgencyOut]:
    """The inspection agencies and their inspectors a lot may be assigned to (ids and codes)."""
    found, inspectors = views.assignment_choices(reader(request, principal))
    return [
        AgencyOut(
            id=a.id,
            code=a.code,
            name=a.name,
            inspectors=[
                InspectorOut(id=u.id, username=u.username, display_name=u.display_name)
                for u in inspectors
                if u.agency_id == a.id
            ],
        )
        for a in found
    ]
