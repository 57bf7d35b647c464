"""The planner's pages: build a scenario from the data and solve it, a plan against
pro-rata, approve, re-plan, what-if side by side, and why a facility got what it got."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from oxychain.core import clock
from oxychain.core.errors import DomainError
from oxychain.core.web.deps import app_of, guarded, reader, writer
from oxychain.core.web.errors import refusal
from oxychain.core.web.templating import render
from oxychain.masterdata import services as masterdata
from oxychain.planning.domain.plan import Band, ScenarioChoice, ScenarioSource
from oxychain.planning.pages.charts import band_chart
from oxychain.planning.pages.forms import demand_form, scenario_choice, what_if_choice
from oxychain.planning.pages.maps import legend, points, relative_edges, shade
from oxychain.planning.services import cases as case_data
from oxychain.planning.services import plans as planning
from oxychain.planning.services import views as planning_views
from oxychain.planning.services.parameters import default_demand

router = APIRouter()
REF = Annotated[str, Query(max_length=16)]


def _refused(
    request: Request,
    exc: DomainError,
    page: Callable[..., Response],
    *args: object,
    **extra: object,
) -> Response:
    """The page again, with the domain's refusal beside the form and its status."""
    message, status = refusal(request, exc)
    return page(request, *args, status=status, error=message, **extra)


def _index(request: Request, principal, status: int = 200, **extra) -> Response:  # noqa: ANN001
    settings = app_of(request).settings
    plans = planning.list_plans(reader(request, principal))
    form = extra.pop("form", None) or _default_form(request, principal, plans)
    return render(
        request,
        "planning/plans.html",
        status_code=status,
        plans=plans,
        form=form,
        bands=list(Band),
        today=clock.today(),
        horizon=settings.planning_horizon_days,
        **extra,
    )


def _default_form(request: Request, principal, plans) -> dict:  # noqa: ANN001
    settings = app_of(request).settings
    as_of = next(
        (s.choice.get("forecast_as_of") for _p, s in plans if s.source == ScenarioSource.DATABASE),
        None,
    )
    if as_of is None:
        last = case_data.last_count_day(reader(request, principal))
        as_of = last.isoformat() if last else ""
    return {
        "name": "",
        "forecast_as_of": as_of,
        "horizon_days": settings.planning_horizon_days,
        "band": Band.CENTRAL.value,
        **demand_form(default_demand(settings)),
    }


@router.get("/plans")
def plans_page(request: Request, principal: guarded("plan.read")) -> Response:
    return _index(request, principal)


@router.post("/plans")
async def build_plan(request: Request, principal: guarded("plan.write")) -> Response:
    """Build a scenario from the data as it stands, solve it, and show the plan."""
    form = dict(await request.form())
    return await run_in_threadpool(_build, request, principal, form)  # a second or two of work


def _build(request: Request, principal, form: dict) -> Response:  # noqa: ANN001
    settings = app_of(request).settings
    try:
        choice = scenario_choice(form, default_demand(settings), clock.today())
        plan = planning.plan_from_database(writer(request, principal), settings, choice)
    except DomainError as exc:
        return _refused(request, exc, _index, principal, form=form)
    return RedirectResponse(f"/plans/{plan.reference}", status_code=303)


@router.get("/plans/compare")
def compare_page(
    request: Request, principal: guarded("plan.read"), left: REF = "", right: REF = ""
) -> Response:
    view = planning_views.compare(reader(request, principal), left, right)
    return render(
        request,
        "planning/compare.html",
        view=view,
        left_choice=view.left.scenario.choice,
        right_choice=view.right.scenario.choice,
    )


@router.get("/plans/{plan_ref}")
def plan_page(
    request: Request,
    plan_ref: str,
    principal: guarded("plan.read"),
    district: Annotated[str, Query(max_length=80)] = "",
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> Response:
    return _plan(request, principal, plan_ref, district, page=page)


def _plan(
    request: Request,
    principal,  # noqa: ANN001
    plan_ref: str,
    district: str = "",
    status: int = 200,
    page: int = 1,
    **extra,  # noqa: ANN003
) -> Response:
    settings = app_of(request).settings
    view = planning_views.plan_page(reader(request, principal), plan_ref, district, page)
    page = planning_views.changes_since(reader(request, principal), settings, view)
    where = points(request, principal)
    edges = relative_edges(*page.glance.fill_range)
    as_of = page.day("forecast_as_of")
    outlook = (
        planning_views.state_forecast(
            reader(request, principal), settings, as_of, page.scenario.horizon_days
        )
        if as_of
        else None
    )
    return render(
        request,
        "planning/plan.html",
        status_code=status,
        page=page,
        actions=page.actions,
        district=district,
        as_of=as_of,
        start=page.day("start"),
        map=shade(where, {d.district: d.fill for d in page.districts}, edges),
        prorata_map=shade(where, {d.district: d.prorata_fill for d in page.districts}, edges),
        legend=legend(edges),
        names_hi={p.name: p.name_hi for p in where},
        arrows=_arrows(request, principal, where, page.transfers),
        chart=outlook
        and band_chart(outlook.as_of, outlook.history, outlook.central, outlook.low, outlook.high),
        facility_pages=-(-page.facility_total // planning_views.FACILITY_ROWS),
        **extra,
    )


def _arrows(request: Request, principal, where, transfers: list[dict]) -> list[dict]:  # noqa: ANN001
    """Each transfer link as an arrow between its warehouses' districts on the map; links
    with a warehouse the master data does not know (a scenario file's own) are left out."""
    if not transfers:
        return []
    at = {p.name: p for p in where}
    district_of = {
        w.code: d.name for w, d in masterdata.list_warehouses(reader(request, principal)) if d
    }
    arrows = []
    for link in transfers:
        a, b = at.get(district_of.get(link["from"], "")), at.get(district_of.get(link["to"], ""))
        if a and b and a is not b:
            arrows.append({**link, "x1": a.x, "y1": a.y, "x2": b.x, "y2": b.y})
    return arrows


@router.post("/plans/{plan_ref}/approve")
def approve_plan(request: Request, plan_ref: str, principal: guarded("plan.approve")) -> Response:
    try:
        planning.approve(
            writer(request, principal), plan_ref, app_of(request).settings.planning_truck_capacity
        )
    except DomainError as exc:
        return _refused(request, exc, _plan, principal, plan_ref)
    return RedirectResponse(f"/plans/{plan_ref}#loads", status_code=303)


@router.post("/plans/{plan_ref}/replan")
async def replan(request: Request, plan_ref: str, principal: guarded("plan.write")) -> Response:
    form = dict(await request.form())
    return await run_in_threadpool(_replan, request, principal, plan_ref, form)


def _replan(request: Request, principal, plan_ref: str, form: dict) -> Response:  # noqa: ANN001
    try:
        new = planning.replan(
            writer(request, principal),
            app_of(request).settings,
            plan_ref,
            str(form.get("reason", ""))[:200],
        )
    except DomainError as exc:
        return _refused(request, exc, _plan, principal, plan_ref)
    return RedirectResponse(
        f"/plans/compare?left={plan_ref}&right={new.reference}", status_code=303
    )


@router.get("/plans/{plan_ref}/whatif")
def what_if_page(request: Request, plan_ref: str, principal: guarded("plan.read")) -> Response:
    base = planning.scenario_choice(reader(request, principal), plan_ref)
    return _what_if(request, principal, plan_ref, base, _what_if_form(base))


def _what_if_form(base: ScenarioChoice) -> dict:
    w = base.what_if
    return {
        "name": base.name,
        "doubling_days": w.doubling_days or "",
        "arrivals_pct": w.arrivals_pct,
        "lot_failure_pct": w.lot_failure_pct,
        "late_days": w.late_days,
        **demand_form(base.demand),
    }


def _what_if(
    request: Request,
    principal,  # noqa: ANN001
    plan_ref: str,
    base: ScenarioChoice,
    form: dict,
    status: int = 200,
    **extra,  # noqa: ANN003
) -> Response:
    warehouses = [w.code for w, _d in masterdata.list_warehouses(reader(request, principal))]
    return render(
        request,
        "planning/whatif.html",
        status_code=status,
        plan_ref=plan_ref,
        base=base,
        form=form,
        warehouses=warehouses,
        **extra,
    )


@router.post("/plans/{plan_ref}/whatif")
async def what_if(request: Request, plan_ref: str, principal: guarded("plan.write")) -> Response:
    """The base plan's scenario with the levers pulled, solved beside it."""
    form = dict(await request.form())
    return await run_in_threadpool(_solve_what_if, request, principal, plan_ref, form)


def _solve_what_if(request: Request, principal, plan_ref: str, form: dict) -> Response:  # noqa: ANN001
    base = planning.scenario_choice(reader(request, principal), plan_ref)
    try:
        choice = what_if_choice(form, base.rebased(clock.today()))
        plan = planning.plan_from_database(
            writer(request, principal), app_of(request).settings, choice, base_ref=plan_ref
        )
    except DomainError as exc:
        return _refused(request, exc, _what_if, principal, plan_ref, base, form)
    return RedirectResponse(
        f"/plans/compare?left={plan_ref}&right={plan.reference}", status_code=303
    )


@router.get("/plans/{plan_ref}/facilities/{site}")
def explain_page(
    request: Request, plan_ref: str, site: str, principal: guarded("plan.read")
) -> Response:
    view = planning_views.explain(reader(request, principal), plan_ref, site)
    unit = view.next_unit
    on = view.start + timedelta(days=unit.day) if view.start and unit.day is not None else None
    return render(
        request, "planning/explain.html", view=view, story=view.story, unit=unit, unit_date=on
    )
