"""What the planner's pages show: a plan against pro-rata per district and facility, two
plans side by side, why a facility got what it got, and what changed since a plan."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from oxychain.core import clock
from oxychain.core.access import require
from oxychain.core.errors import InvalidInput, NotFound
from oxychain.core.uow import UnitOfWork
from oxychain.planning.domain.glance import Glance, glance, top_shortfalls
from oxychain.planning.domain.network import Places
from oxychain.planning.domain.pipeline import Supply
from oxychain.planning.domain.plan import (
    ScenarioChoice,
    ScenarioSource,
    SolverStatus,
    plan_actions,
)
from oxychain.planning.domain.versus import DistrictLine, FacilityLine, versus, worst_first
from oxychain.planning.services import cases as case_data
from oxychain.planning.services.parameters import default_demand, transport_of
from oxychain.planning.services.plans import get_plan
from oxychain.planning.services.supply import holdings
from oxychain.planning.settings import PlanningSettings as Settings
from oxychain.planning.tables import Plan, PlanLoad, PlanScenario

if TYPE_CHECKING:  # the engines (numpy, the solver) load when a view needs them
    from oxychain.planning.domain import explain as explaining
    from oxychain.planning.domain.needs import Built

FACILITY_ROWS = 25  # facilities listed on a plan's page at a time (paged)
SHIPMENT_ROWS = 50  # shipments listed; the rest are in the plan's JSON
HISTORY_DAYS = 42  # reported days drawn before a forecast


@dataclass
class PlanPage:
    """A plan's page: the plan against pro-rata by district and facility."""

    plan: Plan
    scenario: PlanScenario
    loads: list[PlanLoad]
    districts: list[DistrictLine]
    facilities: list[FacilityLine]
    facility_total: int
    shipments: list[dict]
    previous: Plan | None = None
    replaced_by: Plan | None = None
    glance: Glance | None = None
    top: list[FacilityLine] = field(default_factory=list)  # shortest facilities first
    facility_page: int = 1
    shipment_total: int = 0
    transfers: list[dict] = field(default_factory=list)  # warehouse to warehouse, summed
    floor: float | None = None  # the fill floor of a version 2 scenario, if set
    floor_shortfall: float | None = None

    changes: list[tuple[str, str, date]] = field(default_factory=list)  # (kind, label, when)

    def day(self, key: str) -> date | None:
        """A date of the scenario's choice (forecast_as_of, start), None for a file's."""
        value = self.scenario.choice.get(key)
        return date.fromisoformat(value) if value else None

    @property
    def actions(self) -> frozenset[str]:
        """What may be done next with the plan (domain/plan.py, `plan_actions`)."""
        return plan_actions(self.plan.status, self.scenario.source)


def plan_page(uow: UnitOfWork, reference: str, district: str = "", page: int = 1) -> PlanPage:
    """A plan's page: its summary, top shortfalls and page ``page`` of its facilities."""
    kept = get_plan(uow, reference)
    plan, scenario, loads = kept.plan, kept.scenario, kept.loads
    with uow:
        previous = uow.planning.plan_by_id(plan.previous_id) if plan.previous_id else None
        replaced_by = uow.planning.next_plan(plan.id)
    districts, facilities = versus(kept.document, kept.result, kept.prorata)
    chosen = worst_first(facilities, district)
    pages = max(1, -(-len(chosen) // FACILITY_ROWS))
    page = min(max(1, page), pages)
    shipments = kept.result["shipments"]
    return PlanPage(
        plan,
        scenario,
        loads,
        districts,
        chosen[(page - 1) * FACILITY_ROWS : page * FACILITY_ROWS],
        len(chosen),
        shipments[:SHIPMENT_ROWS],
        previous,
        replaced_by,
        glance=glance(districts, facilities),
        top=top_shortfalls(worst_first(facilities)),
        facility_page=page,
        shipment_total=len(shipments),
        transfers=_links(kept.result.get("transfers", [])),
        floor=kept.document.get("policy", {}).get("fairness", {}).get("min_fill"),
        floor_shortfall=kept.result.get("floor_shortfall"),
    )


def _links(transfers: list[dict]) -> list[dict]:
    """Transfers summed per link (from, to), with the first day; most devices first."""
    links: dict[tuple[str, str], dict] = {}
    for t in transfers:
        link = links.setdefault(
            (t["from"], t["to"]), {"from": t["from"], "to": t["to"], "day": t["day"], "quantity": 0}
        )
        link["quantity"] += t["quantity"]
        link["day"] = min(link["day"], t["day"])
    return sorted(links.values(), key=lambda k: (-k["quantity"], k["from"], k["to"]))


@dataclass(frozen=True)
class StateForecast:
    """The state's daily new cases: reported up to ``as_of``, then the forecast with its
    80 % band, each the sum of the districts' (their bands added up: at least as wide
    as the state's own)."""

    as_of: date
    history: list[float]
    central: list[float]
    low: list[float]
    high: list[float]


def state_forecast(
    uow: UnitOfWork, settings: Settings, as_of: date | None, horizon: int
) -> StateForecast | None:
    """The forecast behind a plan or the forecast page, for the whole state; None without
    case counts."""
    require(uow.principal, "plan.read")
    as_of = as_of or default_forecast_day(uow)
    if as_of is None:
        return None
    from oxychain.planning.services.outlooks import outlooks  # the forecast and numpy

    try:
        found = list(outlooks(uow, as_of, horizon, settings.forecast_model).values())
    except InvalidInput:
        return None

    def total(attribute: str, tail: int | None = None) -> list[float]:
        arrays = [getattr(o, attribute)[-tail:] if tail else getattr(o, attribute) for o in found]
        size = min(len(a) for a in arrays)
        return [float(sum(a[len(a) - size + i] for a in arrays)) for i in range(size)]

    return StateForecast(
        as_of, total("history", HISTORY_DAYS), total("path"), total("low"), total("high")
    )


def changes_since(uow: UnitOfWork, settings: Settings, page: PlanPage) -> PlanPage:
    """Lots that failed inspection since the plan was made, and trucks now late: the
    reasons to re-plan it."""
    if "replan" not in plan_actions(page.plan.status, page.scenario.source):
        return page
    transport = transport_of(settings)
    with uow:
        for number, decided in uow.planning.rejected_since(page.plan.created_at):
            page.changes.append(("lot", number, clock.in_india(decided)))
        places = Places(
            {w.id: w for w in uow.masterdata.warehouses()},
            {},
            {d.id: d for d in uow.masterdata.districts()},
        )
        held = holdings(uow, places, transport, settings.planning_supplier_days)
    today = clock.today()
    for item in held.incoming:
        if item.kind is Supply.TRANSIT and item.since < today:
            page.changes.append(("truck", item.label, item.since))
    return page


@dataclass(frozen=True)
class Comparison:
    left: PlanPage
    right: PlanPage
    districts: list[tuple[DistrictLine, DistrictLine]]


def compare(uow: UnitOfWork, left: str, right: str) -> Comparison:
    a, b = plan_page(uow, left), plan_page(uow, right)
    by_name = {d.district: d for d in b.districts}
    pairs = [(d, by_name.get(d.district, DistrictLine(d.district))) for d in a.districts]
    return Comparison(a, b, pairs)


@dataclass(frozen=True)
class Explanation:
    plan: Plan
    scenario: PlanScenario
    story: explaining.Story
    next_unit: explaining.NextUnit
    start: date | None
    facility_row: object | None  # the facilities row, None for a home pool


def explain(uow: UnitOfWork, reference: str, facility_id: str) -> Explanation:
    """Why the facility got what it got, and the price of one device more (exact)."""
    require(uow.principal, "plan.read")
    kept = get_plan(uow, reference)
    plan, scenario = kept.plan, kept.scenario
    if facility_id not in {f["id"] for f in kept.document["facilities"]}:
        raise NotFound("No facility {code} in this plan's scenario.", code=facility_id[:40])
    parsed = kept.docs.scenario
    from oxychain.planning.domain import explain as explaining  # numpy and the solver

    story = explaining.story(parsed, kept.result, facility_id)
    if plan.solver_status == SolverStatus.OPTIMAL:
        unit = explaining.next_unit(parsed, kept.result, facility_id)
    else:
        unit = explaining.NextUnit("not_optimal")
    with uow:
        row = uow.masterdata.facility(facility_id)
    start = scenario.choice.get("start")
    return Explanation(
        plan, scenario, story, unit, date.fromisoformat(start) if start else None, row
    )


def default_forecast_day(uow: UnitOfWork) -> date | None:
    """The forecast date of the latest scenario built from the data, else the last day
    of the stored case counts."""
    with uow:
        for _plan, scenario in uow.planning.plan_list(limit=20):
            if scenario.source == ScenarioSource.DATABASE:
                return date.fromisoformat(scenario.choice["forecast_as_of"])
    return case_data.last_count_day(uow)


def gap_view(uow: UnitOfWork, settings: Settings, as_of: date | None, horizon: int | None) -> Built:
    """Requirement, installed, pipeline and gap per district and facility, per day."""
    require(uow.principal, "plan.read")
    return built_gap(uow, settings, as_of, horizon)


def built_gap(
    uow: UnitOfWork, settings: Settings, as_of: date | None, horizon: int | None
) -> Built:
    """The gap as the planner reads it; the caller has checked who may read it."""
    as_of = as_of or default_forecast_day(uow)
    if as_of is None:
        raise InvalidInput("No case counts yet: import a case series first.")
    choice = ScenarioChoice(
        "gap",
        as_of,
        clock.today(),
        horizon or settings.planning_horizon_days,
        demand=default_demand(settings),
    )
    from oxychain.planning.services import inputs  # the forecast and numpy load here

    return inputs.build(uow, settings, choice, document=False)


@dataclass(frozen=True)
class ForecastLine:
    district: str
    outlook: object
    active: list  # (central, low, high) at the end of each week


def forecast_view(
    uow: UnitOfWork, settings: Settings, as_of: date | None, weeks: int
) -> tuple[date, list[ForecastLine]]:
    """Active cases per district at the end of each of the next ``weeks`` weeks, with the
    80 % band (summed from each day's band of new cases)."""
    require(uow.principal, "plan.read")
    if not 1 <= weeks <= 6:
        raise InvalidInput("Forecast 1 to 6 weeks.", field="weeks")
    as_of = as_of or default_forecast_day(uow)
    if as_of is None:
        raise InvalidInput("No case counts yet: import a case series first.")
    from oxychain.planning.services.outlooks import outlooks  # the forecast and numpy

    found = outlooks(uow, as_of, 7 * weeks, settings.forecast_model)
    lines = []
    for name in sorted(found):
        o = found[name]
        central, low, high = o.active("path"), o.active("low"), o.active("high")
        lines.append(
            ForecastLine(
                name,
                o,
                [
                    (central[7 * w - 1], low[7 * w - 1], high[7 * w - 1])
                    for w in range(1, weeks + 1)
                ],
            )
        )
    return as_of, lines
