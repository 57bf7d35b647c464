"""The planner's data pages: case counts (import), the forecast per district, the gap
(table and map), and the truck loads of approved plans for the people who dispatch."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from oxychain.core import clock
from oxychain.core.errors import DomainError, FileRejected, InvalidInput
from oxychain.core.web.deps import app_of, guarded, reader, writer
from oxychain.core.web.errors import refusal
from oxychain.core.web.params import Id, parse_day
from oxychain.core.web.templating import render, translate
from oxychain.core.web.uploads import import_bounds, read_upload, while_connected
from oxychain.planning.domain.regions import BASIS_LABELS
from oxychain.planning.pages.charts import band_chart
from oxychain.planning.pages.maps import fill_map, points
from oxychain.planning.services import cases as case_data
from oxychain.planning.services import dashboard as planning_dashboard
from oxychain.planning.services import dispatch as planning_dispatch
from oxychain.planning.services import district_series
from oxychain.planning.services import views as planning_views

router = APIRouter()
DAY = Annotated[str, Query(max_length=10)]


def _refused(
    request: Request,
    exc: DomainError,
    page: Callable[..., Response],
    *args: object,
    **extra: object,
) -> Response:
    """The page again, with the domain's refusal (and a file's bad rows) and its status."""
    message, status = refusal(request, exc)
    if isinstance(exc, FileRejected):
        extra["rows"] = [(row, column, translate(request, text)) for row, column, text in exc.rows]
    return page(request, *args, status=status, error=message, **extra)


def _day(text: str) -> date | None:
    if not text:
        return None
    try:
        return parse_day(text)
    except ValueError:
        raise InvalidInput("{field} must be a date (YYYY-MM-DD).", field="as_of") from None


def _cases(request: Request, principal, status: int = 200, **extra) -> Response:  # noqa: ANN001
    view = case_data.overview(reader(request, principal))
    state_name = app_of(request).settings.case_import_state
    return render(
        request,
        "planning/cases.html",
        status_code=status,
        view=view,
        state_name=state_name,
        **extra,
    )


@router.get("/planning/cases")
def cases_page(request: Request, principal: guarded("case.read")) -> Response:
    return _cases(request, principal)


@router.post("/planning/cases")
async def import_cases(
    request: Request, principal: guarded("case.import"), file: Annotated[UploadFile, File()]
) -> Response:
    bounds = import_bounds(request)
    try:
        data = await read_upload(file, bounds["max_bytes"])
        uow, name = writer(request, principal), file.filename or ""
        record = await while_connected(
            request,
            partial(case_data.import_cases, uow, data, name, **bounds),
        )
    except DomainError as exc:
        return await run_in_threadpool(_refused, request, exc, _cases, principal)
    return await run_in_threadpool(_cases, request, principal, imported=record)


@router.post("/planning/cases/districts")
async def import_district_series(
    request: Request, principal: guarded("case.import"), file: Annotated[UploadFile, File()]
) -> Response:
    limit = app_of(request).settings.max_upload_bytes
    try:
        data = await read_upload(file, limit)
    except DomainError as exc:
        return _refused(request, exc, _cases, principal)
    return await run_in_threadpool(_import_districts, request, principal, data, file.filename or "")


def _import_districts(request: Request, principal, data: bytes, filename: str) -> Response:  # noqa: ANN001
    settings = app_of(request).settings
    cmd = district_series.ImportDistrictSeries(
        data,
        filename,
        settings.max_upload_bytes,
        settings.case_import_max_rows,
        settings.case_import_state,
    )
    try:
        done = district_series.import_district_series(writer(request, principal), cmd)
    except DomainError as exc:
        return _refused(request, exc, _cases, principal)
    return _cases(request, principal, imported=done.record, districts=done)


@router.get("/planning/forecast")
def forecast_page(
    request: Request,
    principal: guarded("plan.read"),
    as_of: DAY = "",
    weeks: Annotated[int, Query(ge=1, le=6)] = 6,
) -> Response:
    settings = app_of(request).settings
    day, lines = planning_views.forecast_view(
        reader(request, principal), settings, _day(as_of), weeks
    )
    state = planning_views.state_forecast(reader(request, principal), settings, day, 7 * weeks)
    chart = state and band_chart(state.as_of, state.history, state.central, state.low, state.high)
    return render(
        request,
        "planning/forecast.html",
        as_of=day,
        lines=lines,
        weeks=weeks,
        basis_labels=BASIS_LABELS,
        model=settings.forecast_model,
        chart=chart,
        names_hi={p.name: p.name_hi for p in points(request, principal)},
    )


def _gap(request: Request, principal, as_of: str, horizon: int | None):  # noqa: ANN001, ANN202
    return planning_views.gap_view(
        reader(request, principal), app_of(request).settings, _day(as_of), horizon
    )


@router.get("/planning/gap")
def gap_page(
    request: Request,
    principal: guarded("plan.read"),
    as_of: DAY = "",
    horizon: Annotated[int | None, Query(ge=1, le=42)] = None,
) -> Response:
    built = _gap(request, principal, as_of, horizon)
    met = {d.row.name: d.met for d in built.districts}
    return render(
        request,
        "planning/gap.html",
        built=built,
        choice=built.choice,
        basis_labels=BASIS_LABELS,
        map=fill_map(request, principal, met),
    )


@router.get("/planning/gap/{district_code}")
def gap_district_page(
    request: Request,
    district_code: str,
    principal: guarded("dashboard.read"),  # HQ every district; a CMO their own
    as_of: DAY = "",
    horizon: Annotated[int | None, Query(ge=1, le=42)] = None,
) -> Response:
    built, need = planning_dashboard.district_need(
        reader(request, principal),
        app_of(request).settings,
        district_code[:16],
        _day(as_of),
        horizon,
    )
    return render(
        request,
        "planning/gap_district.html",
        built=built,
        choice=built.choice,
        need=need,
        basis_labels=BASIS_LABELS,
    )


def _loads(request: Request, principal, status: int = 200, **extra) -> Response:  # noqa: ANN001
    pending = planning_dispatch.pending_loads(reader(request, principal))
    return render(request, "planning/loads.html", status_code=status, pending=pending, **extra)


@router.get("/dispatch/plans")
def loads_page(request: Request, principal: guarded("challan.write")) -> Response:
    return _loads(request, principal)


@router.post("/dispatch/plans/{load_id}")
def dispatch_load(
    request: Request,
    load_id: Id,
    principal: guarded("challan.write"),
    vehicle: Annotated[str, Form(max_length=20)] = "",
    driver: Annotated[str, Form(max_length=80)] = "",
) -> Response:
    try:
        challan = planning_dispatch.dispatch_load(
            writer(request, principal), load_id, vehicle, driver, clock.now()
        )
    except DomainError as exc:
        return _refused(request, exc, _loads, principal, failed=load_id)
    return RedirectResponse(f"/challans/{challan.number}", status_code=303)
