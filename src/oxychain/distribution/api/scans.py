"""Scans, devices and delivery challans."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, BeforeValidator, Field

from oxychain.core import clock
from oxychain.core.web.deps import app_of, guarded, reader, writer
from oxychain.core.web.params import Day, Id
from oxychain.core.web.timestamps import Timestamp
from oxychain.distribution.domain.challan import DiscrepancyKind
from oxychain.distribution.domain.maintenance import ServiceTerms
from oxychain.distribution.services import challans, group_commit, scanning, tracking
from oxychain.distribution.text import explain

router = APIRouter(tags=["distribution"])


def _written(value: object) -> object:
    """A moment as ISO 8601 text: a number (seconds since 1970?) is refused, not guessed."""
    if not isinstance(value, str | datetime):
        raise ValueError("a moment is written in ISO 8601, e.g. 2026-12-07T10:30:00+05:30")
    return value


class ScanIn(BaseModel):
    key: uuid.UUID = Field(description="The client's idempotency key (a UUID it generated).")
    serial: str = Field(min_length=1, max_length=64)
    event: str = Field(max_length=20, description="receive, issue, install, return, ...")
    at: Annotated[datetime, BeforeValidator(_written)] = Field(
        description="When the scan happened: ISO 8601 with its time zone."
    )
    to_kind: Literal["facility", "warehouse", "home"] | None = None
    to_code: str | None = Field(None, max_length=40)
    challan: str | None = Field(None, max_length=24, description="Receiving against this challan.")
    lat: float | None = Field(None, ge=-90, le=90, strict=True)  # not true or "1"
    lon: float | None = Field(None, ge=-180, le=180, strict=True)


class ScanBatch(BaseModel):
    scans: list[ScanIn] = Field(min_length=1, max_length=scanning.MAX_BATCH)


class ScanResult(BaseModel):
    key: uuid.UUID
    serial: str
    status: Literal["stored", "duplicate", "extra", "refused"]
    state: str | None = None
    error: str | None = None
    message: str | None = None


class ScanResults(BaseModel):
    results: list[ScanResult]


@router.post("/scans", response_model=ScanResults)
def post_scans(request: Request, body: ScanBatch, principal: guarded("device.scan")) -> Response:
    """Store a batch of scans; each gets its own answer. The same key twice is one event.

    The answer comes once the scans are durably committed (group commit: batches that
    arrive together share one transaction)."""
    batch = [scanning.ScanIn(**s.model_dump()) for s in body.scans]
    results = group_commit.writer_for(app_of(request)).submit(principal, batch)
    return JSONResponse(
        {
            "results": [
                {
                    "key": str(r.key),
                    "serial": r.serial,
                    "status": r.status,
                    "state": r.state,
                    "error": r.error,
                    "message": explain(request, r.message, r.params) if r.message else None,
                }
                for r in results
            ]
        }
    )


class EventOut(BaseModel):
    kind: str
    state_before: str
    state_after: str
    place_kind: str
    place_id: int
    at: Timestamp
    actor: str


class DeviceOut(BaseModel):
    serial: str
    make: str
    model: str
    qa_status: str
    state: str
    place_kind: str
    place: str
    since: Timestamp
    coverage: str
    covered_until: Day | None
    events: list[EventOut]


@router.get("/devices/{serial}", response_model=DeviceOut)
def device(request: Request, serial: str, principal: guarded("device.read")) -> DeviceOut:
    terms = ServiceTerms.of(app_of(request).settings)
    card = tracking.device_card(reader(request, principal), serial, terms, clock.now())
    position = card.located.position
    return DeviceOut(
        serial=card.serial,
        make=card.make,
        model=card.model,
        qa_status=card.qa_status,
        state=position.state.value,
        place_kind=position.place.kind.value,
        place=card.place_name,
        since=position.since,
        coverage=card.cover.kind.value,
        covered_until=card.cover.until,
        events=[
            EventOut(
                kind=e.kind,
                state_before=e.state_before,
                state_after=e.state_after,
                place_kind=e.place_kind,
                place_id=e.place_id,
                at=e.at,
                actor=e.actor,
            )
            for e in card.events
        ],
    )


class ChallanIn(BaseModel):
    key: uuid.UUID | None = Field(None, description="Idempotency key: the same key, one challan.")
    tranche_id: Id | None = Field(None, description="From a purchase-order tranche, or ...")
    plan_ref: str | None = Field(None, max_length=60, description="... from an allocation plan.")
    from_warehouse: str | None = Field(None, max_length=40)
    to_kind: Literal["warehouse", "facility"] | None = None
    to_code: str | None = Field(None, max_length=40)
    serials: list[str] = Field(default_factory=list, max_length=5000)
    count: int = Field(0, ge=0, le=5000)
    vehicle: str = Field(max_length=20)
    driver: str = Field(max_length=80)


class ChallanOut(BaseModel):
    number: str
    source: str
    status: str
    tranche_id: int | None
    plan_ref: str | None
    vehicle: str
    driver: str
    dispatched_at: Timestamp
    received_at: Timestamp | None
    serials: list[str] = []
    received: list[str] = []
    missing: list[str] = []
    extra: list[str] = []


def _challan_out(view: challans.ChallanView) -> ChallanOut:
    c = view.challan
    return ChallanOut(
        number=c.number,
        source=c.source,
        status=c.status,
        tranche_id=c.tranche_id,
        plan_ref=c.plan_ref,
        vehicle=c.vehicle,
        driver=c.driver,
        dispatched_at=c.dispatched_at,
        received_at=c.received_at,
        serials=[s for s, _ in view.lines],
        received=[s for s, at in view.lines if at],
        missing=[d.serial for d in view.discrepancies if d.kind == DiscrepancyKind.MISSING],
        extra=[d.serial for d in view.discrepancies if d.kind == DiscrepancyKind.EXTRA],
    )


@router.post("/challans", response_model=ChallanOut, status_code=201)
def create_challan(
    request: Request, body: ChallanIn, principal: guarded("challan.write")
) -> ChallanOut:
    load = challans.Load(tuple(body.serials), body.count, body.vehicle, body.driver, body.key)
    cmd = (
        challans.TrancheChallan(body.tranche_id, load)
        if body.tranche_id is not None
        else challans.AllocationChallan(
            body.plan_ref or "",
            body.from_warehouse or "",
            body.to_kind or "",
            body.to_code or "",
            load,
        )
    )
    made = challans.dispatch(writer(request, principal), cmd, clock.now())
    return _challan_out(challans.get_challan(reader(request, principal), made.number))


@router.get("/challans", response_model=list[ChallanOut])
def list_challans(
    request: Request,
    principal: guarded("challan.read"),
    status: Annotated[str | None, Query(max_length=28)] = None,
) -> list[ChallanOut]:
    found = challans.list_challans(reader(request, principal), status)
    return [_challan_out(challans.ChallanView(c, [], [])) for c in found.rows]


@router.get("/challans/{number}", response_model=ChallanOut)
def get_challan(request: Request, number: str, principal: guarded("challan.read")) -> ChallanOut:
    return _challan_out(challans.get_challan(reader(request, principal), number))


@router.post("/challans/{number}/receipt", response_model=ChallanOut)
def close_receipt(
    request: Request,
    number: str,
    principal: guarded("challan.receive"),
    confirm_missing: Annotated[
        bool,
        Query(description="Serials never scanned are recorded missing: 409 unless confirmed."),
    ] = False,
) -> ChallanOut:
    """Confirm the receipt: serials never scanned are recorded missing (409 unless
    ``confirm_missing=true``)."""
    writes = writer(request, principal)
    challans.close_receipt(writes, number, clock.now(), missing_confirmed=confirm_missing)
    return _challan_out(challans.get_challan(reader(request, principal), number))
