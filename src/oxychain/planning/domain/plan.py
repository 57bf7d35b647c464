"""Plans and the choices behind them: statuses and their moves (``PLAN``), what may be
done next with a plan, the demand parameters of a scenario and the what-if levers a
planner may pull.

A plan is never edited (STYLE.md): it is proposed, then approved or superseded by a
re-plan, which is a new plan linked to the old one. Only an approved plan becomes
truck loads and dispatch challans.

The demand parameters come from DOMAIN.md ("Demand in a surge"); their defaults are
settings (``OXYCHAIN_PLANNING_*``) and each scenario may set its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

from oxychain.core.errors import Conflict, InvalidInput
from oxychain.core.i18n import N_
from oxychain.core.states import Lifecycle
from oxychain.planning.domain.status import SolverStatus  # noqa: F401 - part of the rules

MAX_HORIZON_DAYS = 42  # the forecast's six weeks
MAX_EXTRA_ARRIVALS = 20


class PlanStatus(StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    SUPERSEDED = "superseded"


# A plan is approved once; a re-plan supersedes it, approved or not.
PLAN = Lifecycle(
    "plan",
    PlanStatus,
    {
        "approve": ([PlanStatus.PROPOSED], PlanStatus.APPROVED),
        "replan": ([PlanStatus.PROPOSED, PlanStatus.APPROVED], PlanStatus.SUPERSEDED),
    },
    message=N_("The plan is {status}: it cannot become {target}."),
)

STATUS_LABELS = {
    PlanStatus.PROPOSED: N_("proposed"),
    PlanStatus.APPROVED: N_("approved"),
    PlanStatus.SUPERSEDED: N_("superseded"),
}


class ScenarioSource(StrEnum):
    """Where a scenario came from: built from the data, uploaded, or a what-if of a plan."""

    DATABASE = "database"
    FILE = "file"
    WHATIF = "whatif"


def plan_actions(status: PlanStatus | str, source: ScenarioSource | str) -> frozenset[str]:
    """What may be done next with a plan: its lifecycle's moves, and what follows from them.

    A plan of an uploaded scenario cannot be rebuilt from the data, so it has no re-plan
    and no what-if; a what-if varies a plan that could still be re-planned; an approved
    plan's truck loads may be dispatched."""
    actions = set(PLAN.allowed_actions(status))
    if ScenarioSource(source) is ScenarioSource.FILE:
        actions.discard("replan")
    if "replan" in actions:
        actions.add("whatif")
    if PlanStatus(status) is PlanStatus.APPROVED:
        actions.add("dispatch")
    return frozenset(actions)


def check_rebuildable(source: ScenarioSource | str) -> None:
    """Only a scenario built from the data can be built again (a re-plan, a what-if)."""
    if ScenarioSource(source) is ScenarioSource.FILE:
        raise Conflict("A plan of an uploaded scenario cannot be rebuilt from the data.")


def check_dispatch(status: PlanStatus | str, reference: str) -> None:
    """Only an approved plan's truck loads leave its warehouses."""
    if PlanStatus(status) is not PlanStatus.APPROVED:
        raise Conflict(
            "Only an approved plan's loads are dispatched; {ref} is {status}.",
            ref=reference,
            status=PlanStatus(status).value,
        )


def check_approvable(replay_ok: bool) -> None:
    """A plan whose replay against its scenario failed is not approved: re-plan it."""
    if not replay_ok:
        raise Conflict("The plan did not replay cleanly against its scenario; re-plan it.")


class Band(StrEnum):
    """Which edge of the forecast's 80 % band a scenario plans for."""

    CENTRAL = "central"
    HIGH = "high"
    LOW = "low"


@dataclass(frozen=True)
class Demand:
    """From active cases to concentrators (DOMAIN.md, "Demand in a surge").

    severe_share 0.15 (early WHO figures, Ismail and Bansal); flow 10 LPM per severe
    patient (WHO); device 5 LPM (MoHFW advisory, May 2021); uptime 0.9 (NHM BMMP target
    at CHCs); home_share: the share of patients on concentrators cared for at home
    (unverified setting); infectious_days 14 (WHO release criteria, forecasting.py).
    """

    severe_share: float = 0.15
    on_concentrator_share: float = 1.0
    flow_lpm: float = 10.0
    device_lpm: float = 5.0
    uptime: float = 0.9
    home_share: float = 0.3
    infectious_days: int = 14

    def check(self) -> Demand:
        if not 0 <= self.severe_share <= 1:
            raise InvalidInput(
                "The severe share of active cases must be 0 to 100 %.", field="severe_share"
            )
        if not 0 <= self.on_concentrator_share <= 1:
            raise InvalidInput(
                "The share of severe patients on a concentrator must be 0 to 100 %.",
                field="on_concentrator_share",
            )
        if not 0 <= self.home_share <= 1:
            raise InvalidInput(
                "The share cared for at home must be 0 to 100 %.", field="home_share"
            )
        if not 0 < self.uptime <= 1:
            raise InvalidInput("Uptime must be above 0 and at most 100 %.", field="uptime")
        if not 0 < self.flow_lpm <= 60 or not 0 < self.device_lpm <= 20:
            raise InvalidInput(
                "Flow per patient is 1-60 LPM and a device's rated flow 1-20 LPM.",
                field="flow_lpm",
            )
        if not 1 <= self.infectious_days <= 42:
            raise InvalidInput("Days a case stays active must be 1 to 42.", field="infectious_days")
        return self


@dataclass(frozen=True)
class ExtraArrival:
    warehouse: str  # warehouse code
    day: int
    quantity: int


@dataclass(frozen=True)
class WhatIf:
    """The levers of a what-if: each changes the scenario, never the data it is built from.

    doubling_days: replace the forecast by growth (or, negative, decline) from the last
    week's level that doubles (halves) every so many days. arrivals_pct scales supplies not
    yet dispatched by suppliers; lot_failure_pct is the share of not-yet-accepted supplies
    that fail inspection; late_days delays every truck on the road; extra arrivals add
    stock at a warehouse on a day.
    """

    doubling_days: float | None = None
    arrivals_pct: int = 100
    lot_failure_pct: int = 0
    late_days: int = 0
    extra_arrivals: tuple[ExtraArrival, ...] = ()

    def check(self, horizon: int) -> WhatIf:
        if self.doubling_days is not None and not 2 <= abs(self.doubling_days) <= 120:
            raise InvalidInput(
                "Doubling time must be 2 to 120 days (negative: halving time).",
                field="doubling_days",
            )
        if not 0 <= self.arrivals_pct <= 500:
            raise InvalidInput("Arrivals must be 0 to 500 % of those expected.", field="arrivals")
        if not 0 <= self.lot_failure_pct <= 100:
            raise InvalidInput("Lot failures must be 0 to 100 %.", field="lot_failure_pct")
        if not 0 <= self.late_days <= 30:
            raise InvalidInput("Trucks can be 0 to 30 days late.", field="late_days")
        if len(self.extra_arrivals) > MAX_EXTRA_ARRIVALS:
            raise InvalidInput("At most {n} extra arrivals.", n=MAX_EXTRA_ARRIVALS)
        for extra in self.extra_arrivals:
            if not 0 <= extra.day < horizon or not 1 <= extra.quantity <= 1_000_000:
                raise InvalidInput(
                    "An extra arrival needs a day of the horizon (0 to {last}) and 1 to "
                    "10,00,000 devices.",
                    last=horizon - 1,
                    field="extra_arrivals",
                )
        return self

    @property
    def is_base(self) -> bool:
        return self == WhatIf()


@dataclass(frozen=True)
class ScenarioChoice:
    """Everything a planner chooses when building a scenario from the database."""

    name: str
    forecast_as_of: date  # the last day of case counts the forecast may use
    start: date  # day 0 of the plan: stock, pipeline and dispatch are counted from it
    horizon_days: int
    band: Band = Band.CENTRAL
    demand: Demand = field(default_factory=Demand)
    what_if: WhatIf = field(default_factory=WhatIf)
    # the fill floor (ALLOCATION.md version 2) as whole percents: None is no floor; homes
    # may have a lower one so the floor does not pull devices from hospitals to them
    min_fill_pct: int | None = None
    home_fill_pct: int | None = None

    def policy(self, kinds: set[str]) -> dict | None:
        """The scenario's `policy` of this choice, for facilities of these kinds."""
        if self.min_fill_pct is None:
            return None
        fairness: dict = {"kind": "fill_floor", "min_fill": self.min_fill_pct / 100}
        if self.home_fill_pct is not None and "home" in kinds:
            fairness["min_fill_by_kind"] = {"home": self.home_fill_pct / 100}
        return {"fairness": fairness}

    def check(self) -> ScenarioChoice:
        name = " ".join(self.name.split())
        if not 2 <= len(name) <= 120:
            raise InvalidInput("Name the scenario (2-120 characters).", field="name")
        if not 1 <= self.horizon_days <= MAX_HORIZON_DAYS:
            raise InvalidInput(
                "The horizon is 1 to {n} days.", n=MAX_HORIZON_DAYS, field="horizon_days"
            )
        self.demand.check()
        self.what_if.check(self.horizon_days)
        for value, name_ in (
            (self.min_fill_pct, "min_fill_pct"),
            (self.home_fill_pct, "home_fill_pct"),
        ):
            if value is not None and not 0 <= value <= 100:
                raise InvalidInput("A fill floor is 0 to 100 %.", field=name_)
        return ScenarioChoice(
            name,
            self.forecast_as_of,
            self.start,
            self.horizon_days,
            Band(self.band),
            self.demand,
            self.what_if,
            self.min_fill_pct,
            self.home_fill_pct if self.min_fill_pct is not None else None,
        )

    def rebased(self, today: date) -> ScenarioChoice:
        """The same choices on the data of ``today``: day 0 moves forward, never back."""
        return replace(self, start=max(today, self.start))


def plan_reference(plan_id: int) -> str:
    return f"PLAN-{plan_id:06d}"


def scenario_reference(scenario_id: int) -> str:
    return f"SCN-{scenario_id:06d}"


def choice_to_json(choice: ScenarioChoice) -> dict:
    """A scenario choice as JSON (kept with the scenario, read back by `choice_from_json`)."""
    w = choice.what_if
    return {
        "name": choice.name,
        "forecast_as_of": choice.forecast_as_of.isoformat(),
        "start": choice.start.isoformat(),
        "horizon_days": choice.horizon_days,
        "band": choice.band.value,
        "demand": dict(vars(choice.demand)),
        "what_if": {
            "doubling_days": w.doubling_days,
            "arrivals_pct": w.arrivals_pct,
            "lot_failure_pct": w.lot_failure_pct,
            "late_days": w.late_days,
            "extra_arrivals": [[e.warehouse, e.day, e.quantity] for e in w.extra_arrivals],
        },
        "min_fill_pct": choice.min_fill_pct,
        "home_fill_pct": choice.home_fill_pct,
    }


def choice_from_json(doc: dict) -> ScenarioChoice:
    w = doc["what_if"]
    return ScenarioChoice(
        name=doc["name"],
        forecast_as_of=date.fromisoformat(doc["forecast_as_of"]),
        start=date.fromisoformat(doc["start"]),
        horizon_days=doc["horizon_days"],
        band=Band(doc["band"]),
        demand=Demand(**doc["demand"]),
        what_if=WhatIf(
            doubling_days=w["doubling_days"],
            arrivals_pct=w["arrivals_pct"],
            lot_failure_pct=w["lot_failure_pct"],
            late_days=w["late_days"],
            extra_arrivals=tuple(ExtraArrival(*e) for e in w["extra_arrivals"]),
        ),
        min_fill_pct=doc.get("min_fill_pct"),  # absent in choices kept before version 2
        home_fill_pct=doc.get("home_fill_pct"),
    )
