"""Case counts under /api/v1: the state's and districts' series, imported and listed."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import Annotated

from fastapi import APIRouter, File, Request, UploadFile
from pydantic import BaseModel, Field

from oxychain.core.web.deps import app_of, guarded, reader, writer
from oxychain.core.web.params import Day
from oxychain.core.web.uploads import import_bounds, read_upload, while_connected
from oxychain.planning.services import cases as case_data
from oxychain.planning.services import district_series

router = APIRouter(tags=["planning"])


class CaseImportOut(BaseModel):
    id: int
    level: str
    rows: int
    regions: int
    first_date: Day
    last_date: Day
    replaced: int


class DistrictSeriesOut(CaseImportOut):
    rows_read: int = Field(description="Rows in the file, of every state")
    other_state_rows: int = Field(description="Rows of other states, skipped")
    not_districts: dict[str, int] = Field(
        description="Entries that name no district (e.g. Unknown), skipped: rows each"
    )


@router.post("/cases", status_code=201, response_model=CaseImportOut)
async def import_cases(
    request: Request, principal: guarded("case.import"), file: Annotated[UploadFile, File()]
) -> CaseImportOut:
    bounds = import_bounds(request)
    data = await read_upload(file, bounds["max_bytes"])
    uow, name = writer(request, principal), file.filename or ""
    row = await while_connected(
        request,
        partial(case_data.import_cases, uow, data, name, **bounds),
    )
    return CaseImportOut(
        id=row.id,
        level=row.level,
        rows=row.rows,
        regions=row.regions,
        first_date=row.first_date,
        last_date=row.last_date,
        replaced=row.replaced,
    )


@router.post("/cases/districts", status_code=201, response_model=DistrictSeriesOut)
async def import_district_series(
    request: Request, principal: guarded("case.import"), file: Annotated[UploadFile, File()]
) -> DistrictSeriesOut:
    """A tracker's district series (covid19india's districts.csv format): the districts of
    the OXYCHAIN_CASE_IMPORT_STATE setting's state are stored, all rows or none."""
    settings = app_of(request).settings
    data = await read_upload(file, settings.max_upload_bytes)
    cmd = district_series.ImportDistrictSeries(
        data,
        file.filename or "",
        settings.max_upload_bytes,
        settings.case_import_max_rows,
        settings.case_import_state,
    )
    uow = writer(request, principal)
    done = await while_connected(
        request,
        lambda cancelled: district_series.import_district_series(
            uow, replace(cmd, cancelled=cancelled)
        ),
    )
    row = done.record
    return DistrictSeriesOut(
        id=row.id,
        level=row.level,
        rows=row.rows,
        regions=row.regions,
        first_date=row.first_date,
        last_date=row.last_date,
        replaced=row.replaced,
        rows_read=done.rows_read,
        other_state_rows=done.other_state_rows,
        not_districts=done.not_districts,
    )


class CaseSeriesOut(BaseModel):
    level: str = Field(description="state or district")
    region: str
    first: Day
    last: Day
    counts: int = Field(description="Days with a count.")


@router.get("/cases", response_model=list[CaseSeriesOut])
def case_series(request: Request, principal: guarded("case.read")) -> list[dict]:
    view = case_data.overview(reader(request, principal))
    return [
        {"level": lv, "region": r, "first": a, "last": b, "counts": n}
        for lv, r, a, b, n in view.series
    ]
