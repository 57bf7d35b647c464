"""Scenarios and allocation plans (ALLOCATION.md's JSON), explanations and loads over the API."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Path, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from oxychain.core import clock
from oxychain.core.people import Principal
from oxychain.core.web.bodylimit import large_body
from oxychain.core.web.deps import app_of, guarded, reader, writer
from oxychain.core.web.openapi import documented
from oxychain.core.web.params import Day
from oxychain.core.web.timestamps import Timestamp, iso
from oxychain.planning.api.schemas import PlanDocument, ScenarioDocument
from oxychain.planning.domain.plan import Band, Demand, ExtraArrival, ScenarioChoice, WhatIf
from oxychain.planning.services import dispatch as plan_dispatch
from oxychain.planning.services import plans as planning
from oxychain.planning.services import views as planning_views
from oxychain.planning.services.parameters import default_demand

router = APIRouter(tags=["planning"])


PlanJson = Annotated[dict[str, Any], documented(PlanDocument)]
ScenarioJson = Annotated[dict[str, Any], documented(ScenarioDocument)]


class AllocationPlanOut(BaseModel):
    reference: str
    scenario: str
    status: str
    previous: str | None = None
    replay_ok: bool
    replay_problems: list[str]
    plan: PlanJson = Field(description="the plan JSON of ALLOCATION.md")
    prorata: PlanJson = Field(description="the pro-rata baseline on the same scenario")


class DemandIn(BaseModel):
    severe_share: float | None = None
    on_concentrator_share: float | None = None
    flow_lpm: float | None = None
    device_lpm: float | None = None
    uptime: float | None = None
    home_share: float | None = None


class WhatIfIn(BaseModel):
    doubling_days: float | None = None
    arrivals_pct: int = 100
    lot_failure_pct: int = 0
    late_days: int = 0
    extra_arrivals: list[tuple[str, int, int]] = Field(default_factory=list, max_length=20)


class ChoiceIn(BaseModel):
    name: str = Field(max_length=120)
    forecast_as_of: Day
    horizon_days: int = 14
    band: Literal["central", "high", "low"] = "central"
    demand: DemandIn = Field(default_factory=DemandIn)
    what_if: WhatIfIn = Field(default_factory=WhatIfIn)
    min_fill_pct: int | None = Field(None, ge=0, le=100)  # the fill floor (version 2)
    home_fill_pct: int | None = Field(None, ge=0, le=100)


def _plan_out(kept: planning.KeptPlan) -> AllocationPlanOut:
    plan, scenario = kept.plan, kept.scenario
    return AllocationPlanOut(
        reference=plan.reference,
        scenario=scenario.reference,
        status=plan.status,
        replay_ok=plan.replay_ok,
        replay_problems=plan.replay_problems,
        plan=kept.result,
        prorata=kept.prorata,
    )


@router.post("/plans", status_code=201, response_model=AllocationPlanOut)
@large_body
def plan_scenario(
    request: Request, principal: guarded("plan.write"), document: Annotated[ScenarioJson, Body()]
) -> AllocationPlanOut:
    """Solve and keep a scenario given as ALLOCATION.md's JSON."""
    plan = planning.plan_from_file(writer(request, principal), document)
    return _plan_out(planning.get_plan(reader(request, principal), plan.reference))


@router.post("/plans/from-database", status_code=201, response_model=AllocationPlanOut)
def plan_from_database(
    request: Request, principal: guarded("plan.write"), choice: ChoiceIn
) -> AllocationPlanOut:
    """Build a scenario from the data (forecast, stock, pipeline, routes) and solve it."""
    settings = app_of(request).settings
    base = default_demand(settings)
    demand = Demand(**{**vars(base), **choice.demand.model_dump(exclude_none=True)})
    w = choice.what_if
    built = ScenarioChoice(
        choice.name,
        choice.forecast_as_of,
        clock.today(),
        choice.horizon_days,
        Band(choice.band),
        demand,
        WhatIf(
            w.doubling_days,
            w.arrivals_pct,
            w.lot_failure_pct,
            w.late_days,
            tuple(ExtraArrival(*e) for e in w.extra_arrivals),
        ),
        choice.min_fill_pct,
        choice.home_fill_pct,
    )
    plan = planning.plan_from_database(writer(request, principal), settings, built)
    return _plan_out(planning.get_plan(reader(request, principal), plan.reference))


class PlanListedOut(BaseModel):
    reference: str
    scenario: str
    name: str
    status: str
    solver_status: str
    weighted_shortfall: int = Field(description="Priority × device-days short.")
    transport_cost: float = Field(description="Rupees.")
    prorata_weighted_shortfall: int
    replay_ok: bool
    created_at: Timestamp


@router.get("/plans", response_model=list[PlanListedOut])
def list_plans(request: Request, principal: guarded("plan.read")) -> list[dict]:
    return [
        {
            "reference": p.reference,
            "scenario": s.reference,
            "name": s.name,
            "status": p.status,
            "solver_status": p.solver_status,
            "weighted_shortfall": p.weighted_shortfall,
            "transport_cost": p.transport_paise / 100,
            "prorata_weighted_shortfall": p.prorata_weighted_shortfall,
            "replay_ok": p.replay_ok,
            "created_at": iso(p.created_at),
        }
        for p, s in planning.list_plans(reader(request, principal))
    ]


@router.get("/plans/{plan_ref}", response_model=AllocationPlanOut)
def get_plan(request: Request, plan_ref: str, principal: guarded("plan.read")) -> AllocationPlanOut:
    return _plan_out(planning.get_plan(reader(request, principal), plan_ref))


@router.get("/plans/{plan_ref}/scenario", response_model=ScenarioJson)
def get_scenario(request: Request, plan_ref: str, principal: guarded("plan.read")) -> dict:
    """The scenario document the plan was solved on, for an independent check."""
    return planning.get_plan(reader(request, principal), plan_ref).document


@router.post("/plans/{plan_ref}/approve", response_model=AllocationPlanOut)
def approve(
    request: Request, plan_ref: str, principal: guarded("plan.approve")
) -> AllocationPlanOut:
    planning.approve(
        writer(request, principal), plan_ref, app_of(request).settings.planning_truck_capacity
    )
    return _plan_out(planning.get_plan(reader(request, principal), plan_ref))


class ShipmentOut(BaseModel):
    warehouse: str
    facility: str
    day: int
    quantity: int = Field(description="Devices.")


class RouteStockOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    from_: str = Field(alias="from", description="Warehouse code.")
    lead_days: int
    cost_per_unit: float = Field(description="Rupees.")
    stock_left: list[int] = Field(description="Devices left at the warehouse each day.")


class LoserOut(BaseModel):
    facility: str
    weighted_shortfall: int


class NextUnitOut(BaseModel):
    outcome: str = Field(description="covered, unreachable, priced or too_large.")
    day: int | None
    gain: int = Field(description="Priority-device-days saved here.")
    loss: int = Field(description="Priority-device-days lost elsewhere, net.")
    transport_cost_change: float = Field(description="Rupees.")
    shipment: ShipmentOut | None
    losers: list[LoserOut]


class ExplainOut(BaseModel):
    facility: str
    district: str
    kind: str
    priority: int
    installed: int
    requirement: list[int] = Field(description="Devices needed in service, each day.")
    in_service: list[int]
    short: list[int]
    shipments: list[ShipmentOut]
    routes: list[RouteStockOut]
    next_unit: NextUnitOut


@router.get("/plans/{plan_ref}/explain/{site}", response_model=ExplainOut)
def explain(request: Request, plan_ref: str, site: str, principal: guarded("plan.read")) -> dict:
    view = planning_views.explain(reader(request, principal), plan_ref, site)
    s, u = view.story, view.next_unit
    return {
        "facility": s.facility,
        "district": s.district,
        "kind": s.kind,
        "priority": s.priority,
        "installed": s.installed,
        "requirement": list(s.requirement),
        "in_service": list(s.in_service),
        "short": list(s.short),
        "shipments": [s_._asdict() for s_ in s.shipments],
        "routes": [
            {
                "from": r.warehouse,
                "lead_days": r.lead_days,
                "cost_per_unit": r.cost_paise / 100,
                "stock_left": list(r.stock_left),
            }
            for r in s.routes
        ],
        "next_unit": {
            "outcome": u.outcome,
            "day": u.day,
            "gain": u.gain,
            "loss": u.loss,
            "transport_cost_change": u.transport_paise / 100,
            "shipment": u.shipment._asdict() if u.shipment else None,
            "losers": [{"facility": f, "weighted_shortfall": d} for f, d in u.losers],
        },
    }


class ReplanIn(BaseModel):
    reason: str = Field("", max_length=200)


@router.post("/plans/{plan_ref}/replan", status_code=201, response_model=AllocationPlanOut)
def replan(
    request: Request, plan_ref: str, body: ReplanIn, principal: guarded("plan.write")
) -> AllocationPlanOut:
    """The plan's choices solved again on today's data: a new plan that replaces it."""
    settings = app_of(request).settings
    new = planning.replan(writer(request, principal), settings, plan_ref, body.reason)
    return _plan_out(planning.get_plan(reader(request, principal), new.reference))


class PlanLoadOut(BaseModel):
    id: int = Field(description="The load_id its dispatch takes.")
    plan: str = Field(description="The approved plan's reference.")
    day: int = Field(description="The plan's day of this truck.")
    leaves_on: Day
    from_warehouse: str = Field(description="Warehouse code.")
    to_kind: str = Field(description="warehouse or facility")
    to_code: str
    serves: str
    quantity: int = Field(description="Devices.")
    truck: int = Field(description="The truck's number on that day and route.")


@router.get("/plan-loads", response_model=list[PlanLoadOut])
def plan_loads(request: Request, principal: guarded("challan.write")) -> list[PlanLoadOut]:
    """Trucks of approved plans not yet dispatched, from the warehouses the caller may
    dispatch from (all at headquarters, their own for a warehouse keeper)."""
    return [
        PlanLoadOut(
            id=p.load.id,
            plan=p.plan.reference,
            day=p.load.day,
            leaves_on=p.leaves_on,
            from_warehouse=p.load.from_warehouse,
            to_kind=p.load.to_kind,
            to_code=p.load.to_code,
            serves=p.load.serves,
            quantity=p.load.quantity,
            truck=p.load.truck,
        )
        for p in plan_dispatch.pending_loads(reader(request, principal))
    ]


class TruckIn(BaseModel):
    vehicle: str = Field(max_length=20, description="The vehicle's registration.")
    driver: str = Field(max_length=80)


class LoadDispatchedOut(BaseModel):
    load_id: int
    challan: str = Field(description="The dispatch challan's number (GET /challans/{number}).")


LoadId = Annotated[int, Path(ge=1, le=2**31 - 1)]


async def _load_in_scope(
    request: Request, load_id: LoadId, principal: guarded("challan.write")
) -> Principal:
    """The guard, then the load's warehouse within the caller's scope: before the body, so
    that a caller out of scope is refused (403) whatever they send."""
    uow = reader(request, principal)
    await run_in_threadpool(plan_dispatch.authorize_load, uow, load_id)
    return principal


@router.post("/plan-loads/{load_id}/dispatch", status_code=201, response_model=LoadDispatchedOut)
def dispatch_plan_load(
    request: Request,
    load_id: LoadId,
    body: TruckIn,
    principal: Annotated[Principal, Depends(_load_in_scope)],
) -> LoadDispatchedOut:
    """Load one truck of an approved plan: its challan, once (a second time, the same)."""
    challan = plan_dispatch.dispatch_load(
        writer(request, principal), load_id, body.vehicle, body.driver, clock.now()
    )
    return LoadDispatchedOut(load_id=load_id, challan=challan.number)
