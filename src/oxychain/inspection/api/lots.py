"""Lots, their inspection and the device registry, under /api/v1."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from oxychain.core.errors import FileRejected
from oxychain.core.web.deps import app_of, guarded, reader, writer
from oxychain.core.web.params import Day, Id, Position
from oxychain.core.web.templating import translate
from oxychain.core.web.uploads import import_bounds, read_upload, while_connected
from oxychain.inspection.domain.reading import acceptance_test
from oxychain.inspection.guards import lot_guarded
from oxychain.inspection.services import lots as svc
from oxychain.inspection.services import units, views
from oxychain.inspection.services.serials import SerialFile

router = APIRouter(tags=["inspection"])


class LotPlanOut(BaseModel):
    """The lot's sampling plan (drawn, or the one that would apply now)."""

    severity: str | None
    code_letter: str
    plan_letter: str
    sample_size: int
    accept: int
    reject: int


class LotOut(BaseModel):
    id: int
    number: str
    version: int
    previous_id: Id | None
    purchase_order: str
    tranche_id: Id
    supplier: str
    item: str
    quantity: int
    place: str
    ready_on: Day
    status: str
    agency: str | None
    aql: str
    inspection_level: str
    plan: LotPlanOut | None = None
    seed: str | None = None
    tested: int | None = None
    failed: int | None = None
    qa_counts: dict[str, int] | None = None


class UnitOut(BaseModel):
    position: Position
    serial: str
    tested: bool
    passed: bool | None
    version: int | None


class SwitchingRecordOut(BaseModel):
    seq: int
    lot_id: int | None
    severity: str = Field(description="normal, tightened or reduced (ISO 2859-1 clause 9).")
    reason: str | None


class TestPointOut(BaseModel):
    key: str = Field(description="The key of ReadingsIn.values for this point.")
    parameter: str
    kind: str = Field(description="number, flow, alarm, hour_meter or check.")
    set_flow_lpm: int | None = Field(description="The set flow, LPM, for purity and flow.")
    unit: str = Field(description="The unit the value is read in ('' for true/false).")


class LotDetail(LotOut):
    agency_id: int | None = Field(None, description="The assigned inspection agency's id.")
    inspector: str | None = Field(None, description="The assigned inspector's username.")
    inspector_id: int | None = Field(None, description="The assigned inspector's user id.")
    sample: list[UnitOut] = []
    switching: list[SwitchingRecordOut] = []
    test_points: list[TestPointOut] = Field(
        [], description="The acceptance test of one unit: the readings a unit's record takes."
    )


def _summary_out(s: views.LotSummary) -> LotOut:
    lot = s.lot
    return LotOut(
        id=lot.id,
        number=lot.number,
        version=lot.version,
        previous_id=lot.previous_id,
        purchase_order=s.po_number,
        tranche_id=lot.tranche_id,
        supplier=s.supplier.code,
        item=s.item.code,
        quantity=lot.quantity,
        place=lot.place,
        ready_on=lot.ready_on,
        status=lot.status,
        agency=s.agency.code if s.agency else None,
        aql=lot.aql,
        inspection_level=lot.inspection_level,
    )


@router.get("/lots", response_model=list[LotOut])
def list_lots(
    request: Request,
    principal: guarded("lot.read"),
    status: Annotated[str | None, Query(max_length=16)] = None,
) -> list[LotOut]:
    return [_summary_out(s) for s in views.list_lots(reader(request, principal), status)]


@router.get("/lots/{lot_id}", response_model=LotDetail)
def get_lot(request: Request, lot_id: Id, principal: lot_guarded("lot.read")) -> LotDetail:
    v = views.lot_view(reader(request, principal), lot_id)
    summary = views.LotSummary(v.lot, v.supplier, v.item, v.po.number, v.agency)
    plan = LotPlanOut(severity=v.lot.severity, **v.plan.as_dict()) if v.plan is not None else None
    return LotDetail(
        **_summary_out(summary).model_dump(
            exclude={"plan", "seed", "tested", "failed", "qa_counts"}
        ),
        plan=plan,
        agency_id=v.agency.id if v.agency else None,
        inspector=v.inspector.username if v.inspector else None,
        inspector_id=v.inspector.id if v.inspector else None,
        test_points=[
            TestPointOut(
                key=p.key,
                parameter=p.parameter,
                kind=p.kind,
                set_flow_lpm=p.set_flow_lpm,
                unit=p.limit.unit,
            )
            for p in acceptance_test(v.item)
        ],
        seed=v.lot.seed,
        tested=v.tested,
        failed=v.failed,
        qa_counts=v.qa_counts,
        sample=[
            UnitOut(
                position=s.sample.position,
                serial=s.device.serial,
                tested=s.test is not None,
                passed=s.test.passed if s.test else None,
                version=s.test.version if s.test else None,
            )
            for s in v.samples
        ],
        switching=[
            {"seq": r.seq, "lot_id": r.lot_id, "severity": r.severity, "reason": r.reason}
            for r in v.switching
        ],
    )


class LotCreated(BaseModel):
    id: int


def _rejected(request: Request, exc: FileRejected) -> JSONResponse:
    rows = getattr(exc, "row_errors", None) or []
    return JSONResponse(
        {
            "error": exc.code,
            "message": translate(request, exc.template, exc.params),
            "details": [
                {
                    "row": e.row,
                    "field": e.column,
                    "message": translate(request, e.template, e.params),
                }
                for e in rows
            ],
        },
        status_code=422,
    )


@router.post("/lots", response_model=LotCreated, status_code=201)
async def offer_lot(
    request: Request,
    principal: guarded("lot.offer"),
    tranche_id: Annotated[Id, Form()],
    place: Annotated[str, Form(max_length=200)],
    ready_on: Annotated[Day, Form()],
    file: Annotated[UploadFile, File()],
):  # noqa: ANN201 - Created or the row errors
    bounds = import_bounds(request)
    data = await read_upload(file, bounds["max_bytes"])
    uow, name = writer(request, principal), file.filename or ""

    serials = SerialFile(name, data, **bounds)
    try:
        return LotCreated(
            id=await while_connected(
                request,
                lambda cancelled: svc.offer_lot(
                    uow, svc.OfferLot(tranche_id, place, ready_on, serials.until(cancelled))
                ),
            )
        )
    except FileRejected as exc:
        return _rejected(request, exc)


@router.post("/lots/{lot_id}/reoffer", response_model=LotCreated, status_code=201)
async def reoffer_lot(
    request: Request,
    lot_id: Id,
    principal: lot_guarded("lot.offer"),
    place: Annotated[str, Form(max_length=200)],
    ready_on: Annotated[Day, Form()],
    file: Annotated[UploadFile, File()],
):  # noqa: ANN201
    bounds = import_bounds(request)
    data = await read_upload(file, bounds["max_bytes"])
    uow, name = writer(request, principal), file.filename or ""

    serials = SerialFile(name, data, **bounds)
    try:
        return LotCreated(
            id=await while_connected(
                request,
                lambda cancelled: svc.reoffer_lot(
                    uow, svc.ReofferLot(lot_id, place, ready_on, serials.until(cancelled))
                ),
            )
        )
    except FileRejected as exc:
        return _rejected(request, exc)


class AssignIn(BaseModel):
    agency_id: Id
    inspector_id: Id


@router.post("/lots/{lot_id}/assignment", status_code=204)
def assign_lot(
    request: Request, lot_id: Id, body: AssignIn, principal: lot_guarded("lot.assign")
) -> None:
    svc.assign_lot(
        writer(request, principal), svc.AssignLot(lot_id, body.agency_id, body.inspector_id)
    )


class SampleOut(BaseModel):
    serials: list[str]


@router.post("/lots/{lot_id}/sample", response_model=SampleOut, status_code=201)
def draw_sample(request: Request, lot_id: Id, principal: lot_guarded("lot.inspect")) -> SampleOut:
    return SampleOut(serials=list(svc.draw_sample(writer(request, principal), lot_id)))


class ReadingsIn(BaseModel):
    warm_up_min: str = Field(max_length=12, description="Minutes the unit ran before reading.")
    values: dict[str, str | bool] = Field(
        max_length=40,
        description="One value per point of the lot's acceptance test (GET /lots/{lot_id}: "
        "test_points): `o2_purity_pct@F` (%) and `flow_lpm@F` (LPM measured) at each set flow "
        "F in LPM (1, half the rated flow rounded up, the rated flow: `o2_purity_pct@1`, "
        "`flow_lpm@5`, ...), `output_pressure_kpa`, `noise_dba`, `alarm_power_failure`, "
        "`alarm_low_o2`, `alarm_no_flow` (true when it sounded), `hour_meter` (hours, or "
        "`absent`), `electrical_safety` (true when passed). Numbers as strings ('93.5').",
        examples=[
            {
                "o2_purity_pct@1": "95.1",
                "flow_lpm@1": "1.0",
                "output_pressure_kpa": "55",
                "noise_dba": "42",
                "alarm_power_failure": True,
                "hour_meter": "3",
                "electrical_safety": True,
            }
        ],
    )
    note: str = Field("", max_length=300)
    sign: bool = Field(
        False,
        description="Sign the unit with these readings: they count towards the verdict and "
        "are closed. Unsigned readings are a draft that may be corrected.",
    )


class RecordOut(BaseModel):
    serial: str
    position: Position
    version: int
    passed: bool
    failures: list[str]
    signed: bool
    lot_status: str
    tested: int
    failed_units: int


@router.post("/lots/{lot_id}/units/{position}/readings", response_model=RecordOut, status_code=201)
def record_readings(
    request: Request,
    lot_id: Id,
    position: Position,
    body: ReadingsIn,
    principal: lot_guarded("lot.inspect"),
) -> RecordOut:
    cmd = units.RecordUnit(
        lot_id,
        position,
        body.warm_up_min,
        dict(body.values),
        body.note,
        app_of(request).settings.inspection_reduced_approved,
        sign=body.sign,
    )
    outcome = units.record_unit(writer(request, principal), cmd)
    return RecordOut(**{**outcome.__dict__, "failures": list(outcome.failures)})


@router.post("/lots/{lot_id}/units/{position}/sign", response_model=RecordOut)
def sign_unit(
    request: Request, lot_id: Id, position: Position, principal: lot_guarded("lot.inspect")
) -> RecordOut:
    """The inspector signs the unit's newest readings; the verdict follows the signed units."""
    reduced = app_of(request).settings.inspection_reduced_approved
    outcome = units.sign_unit(writer(request, principal), lot_id, position, reduced)
    return RecordOut(**{**outcome.__dict__, "failures": list(outcome.failures)})


class ReplaceIn(BaseModel):
    serial: str = Field(max_length=60)
    make: str = Field(max_length=100)
    model: str = Field(max_length=100)
    manufactured_on: Day


class ReplacedOut(BaseModel):
    position: int = Field(description="The sample position now holding the replacement.")


@router.post(
    "/lots/{lot_id}/units/{position}/replacement", status_code=201, response_model=ReplacedOut
)
def replace_unit(
    request: Request,
    lot_id: Id,
    position: Position,
    body: ReplaceIn,
    principal: lot_guarded("lot.offer"),
) -> ReplacedOut:
    cmd = units.ReplaceUnit(
        lot_id, position, body.serial, body.make, body.model, body.manufactured_on
    )
    return ReplacedOut(position=units.replace_unit(writer(request, principal), cmd))
