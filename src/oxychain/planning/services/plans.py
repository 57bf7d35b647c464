"""Allocation plans: solve a scenario, keep it with its plan, approve, re-plan, dispatch.

`solve_document` is what ``oxychain plan allocate`` and every page use: the scenario
JSON of ALLOCATION.md in, the optimal plan out. A kept plan carries its pro-rata
baseline and the result of replaying both against the scenario (planning/replay.py);
its figures are never edited. A re-plan is a new plan whose ``previous_id`` names the
old one, which becomes superseded. Only an approved plan becomes truck loads, and a
load becomes a dispatch challan through distribution's service, by whoever may
dispatch from that warehouse.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from oxychain.core import clock
from oxychain.core.access import require
from oxychain.core.errors import Conflict, NotFound
from oxychain.planning.domain import plan as rules
from oxychain.planning.domain import replay
from oxychain.planning.domain.allocation import Shipment, solve
from oxychain.planning.domain.loads import loads as truck_loads
from oxychain.planning.domain.plan import PlanStatus, ScenarioChoice
from oxychain.planning.domain.prorata import prorata
from oxychain.planning.domain.scenario import Scenario, parse_scenario

if TYPE_CHECKING:  # the CLI imports this module for `solve_document` alone: keep it light
    from oxychain.core.uow import UnitOfWork
    from oxychain.planning.repository import PlanDocuments
    from oxychain.planning.settings import PlanningSettings as Settings
    from oxychain.planning.tables import Plan, PlanLoad, PlanScenario

LOAD_NAMESPACE = uuid.UUID("6f1c1d54-3b0e-4f7a-9a55-0c8d2a6e7b10")  # truck keys of plans
INDIA = ZoneInfo("Asia/Kolkata")


def today_in_india(moment: datetime) -> date:
    """The date in India at a moment (a moment read back from SQLite has no zone: UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(INDIA).date()


def solve_document(document: object, time_limit_s: float | None = None):  # noqa: ANN201
    """(scenario, plan) of a scenario document; ScenarioError names a bad field and row."""
    scenario = parse_scenario(document)
    return scenario, solve(scenario, time_limit_s=time_limit_s)


@dataclass(frozen=True)
class Solved:
    """A plan and its baseline, each replayed against the scenario."""

    plan: dict
    prorata: dict
    problems: tuple[str, ...]


def solve_and_check(scenario: Scenario) -> Solved:
    plan, base = solve(scenario).as_dict(), prorata(scenario).as_dict()
    problems = replay.replay(scenario, plan).violations
    problems += tuple(f"pro-rata: {p}" for p in replay.replay(scenario, base).violations)
    return Solved(plan, base, problems)


def plan_from_database(
    uow: UnitOfWork, settings: Settings, choice: ScenarioChoice, base_ref: str | None = None
) -> Plan:
    """Build the chosen scenario from the data, solve it and keep both (a what-if when
    ``base_ref`` names the plan it varies)."""
    require(uow.principal, "plan.write")
    from oxychain.planning.services import inputs as planning_inputs

    built = planning_inputs.build(uow, settings, choice)
    scenario = parse_scenario(built.document)
    solved = solve_and_check(scenario)
    with uow:
        base = _plan_or_404(uow, base_ref) if base_ref else None
        source = "whatif" if base_ref else "database"
        row = _keep_scenario(
            uow,
            built.document,
            rules.choice_to_json(built.choice),
            built.inputs(),
            source,
            base.scenario_id if base else None,
        )
        plan = _keep_plan(uow, row, solved, None, None)
        uow.commit()
        return plan


def plan_from_file(uow: UnitOfWork, document: object, name: str = "") -> Plan:
    """Keep and solve a scenario given as its JSON document (ALLOCATION.md)."""
    require(uow.principal, "plan.write")
    scenario = parse_scenario(document)
    solved = solve_and_check(scenario)
    with uow:
        choice = {"name": (name or scenario.name or "scenario")[:120]}
        row = _keep_scenario(uow, document, choice, {}, "file", None)
        plan = _keep_plan(uow, row, solved, None, None)
        uow.commit()
        return plan


def replan(uow: UnitOfWork, settings: Settings, reference: str, reason: str) -> Plan:
    """The same choices on today's data (stock, lots, trucks): a new plan replacing the old."""
    require(uow.principal, "plan.write")
    with uow:
        old = _plan_or_404(uow, reference)
        rules.check_transition(old.status, PlanStatus.SUPERSEDED)
        scenario = uow.planning.scenario_by_id(old.scenario_id)
        if scenario.source == "file":
            raise Conflict("A plan of an uploaded scenario cannot be rebuilt from the data.")
        choice = rules.choice_from_json(scenario.choice)
    today = today_in_india(clock.now())
    choice = ScenarioChoice(
        choice.name,
        choice.forecast_as_of,
        max(today, choice.start),
        choice.horizon_days,
        choice.band,
        choice.demand,
        choice.what_if,
    )
    from oxychain.planning.services import inputs as planning_inputs

    built = planning_inputs.build(uow, settings, choice)
    solved = solve_and_check(parse_scenario(built.document))
    with uow:
        old = uow.planning.plan(reference, lock=True)
        rules.check_transition(old.status, PlanStatus.SUPERSEDED)  # not replaced meanwhile
        row = _keep_scenario(
            uow,
            built.document,
            rules.choice_to_json(built.choice),
            built.inputs(),
            scenario.source,
            scenario.base_id,
        )
        new = _keep_plan(uow, row, solved, old.id, " ".join(reason.split())[:200] or None)
        before = old.status
        old.status, old.superseded_at = PlanStatus.SUPERSEDED.value, clock.now()
        uow.record(
            "plan.supersede",
            "plan",
            old.reference,
            {"status": before},
            {"status": old.status, "by": new.reference},
        )
        uow.commit()
        return new


def approve(uow: UnitOfWork, reference: str, truck_capacity: int) -> Plan:
    """Approve a proposed plan: its shipments become truck loads, one challan each."""
    require(uow.principal, "plan.approve")
    with uow:
        plan = uow.planning.plan(reference, lock=True)
        if plan is None:
            raise NotFound("No plan {ref}.", ref=reference[:20])
        rules.check_transition(plan.status, PlanStatus.APPROVED)
        if not plan.replay_ok:
            raise Conflict("The plan did not replay cleanly against its scenario; re-plan it.")
        docs = uow.planning.documents(plan)
        home_of = _home_pools(docs.document)
        shipments = [
            Shipment(s["from"], s["to"], s["day"], s["quantity"]) for s in docs.result["shipments"]
        ]
        rows = [
            {
                **vars(load),
                "plan_id": plan.id,
                "key": uuid.uuid5(
                    LOAD_NAMESPACE,
                    f"{plan.reference}/{load.day}/"
                    f"{load.from_warehouse}/{load.to_code}/{load.truck}",
                ),
            }
            for load in truck_loads(shipments, home_of, truck_capacity)
        ]
        uow.planning.add_loads(rows)
        plan.status, plan.approved_by = PlanStatus.APPROVED.value, uow.principal.username
        plan.approved_at = clock.now()
        uow.record(
            "plan.approve",
            "plan",
            plan.reference,
            {"status": "proposed"},
            {
                "status": plan.status,
                "loads": len(rows),
                "devices": sum(r["quantity"] for r in rows),
            },
        )
        uow.commit()
        return plan


def _home_pools(document: dict) -> dict[str, str]:
    """Home pool → its district warehouse: the route from it with lead 0 and cost 0."""
    homes = {f["id"] for f in document["facilities"] if f.get("kind") == "home"}
    return {
        r["to"]: r["from"]
        for r in document["routes"]
        if r["to"] in homes and r["lead_days"] == 0 and r["cost_per_unit"] == 0
    }


@dataclass(frozen=True)
class KeptPlan:
    """A kept plan: its row, its scenario's row, its truck loads and their JSON."""

    plan: Plan
    scenario: PlanScenario
    loads: list[PlanLoad]
    docs: PlanDocuments

    @property
    def result(self) -> dict:
        return self.docs.result

    @property
    def prorata(self) -> dict:
        return self.docs.prorata

    @property
    def document(self) -> dict:
        return self.docs.document


def get_plan(uow: UnitOfWork, reference: str) -> KeptPlan:
    """A plan with its scenario, truck loads and documents."""
    require(uow.principal, "plan.read")
    with uow:
        plan = _plan_or_404(uow, reference)
        return KeptPlan(
            plan,
            uow.planning.scenario_by_id(plan.scenario_id),
            list(uow.planning.loads(plan.id)),
            uow.planning.documents(plan),
        )


def scenario_choice(uow: UnitOfWork, reference: str) -> tuple[str, dict]:
    """(scenario source, the planner's choices) of a plan, without its documents."""
    require(uow.principal, "plan.read")
    with uow:
        plan = uow.planning.plan(reference)
        if plan is None:
            raise NotFound("No plan {ref}.", ref=reference[:20])
        return uow.planning.scenario_source(plan.scenario_id), uow.planning.scenario_choice(
            plan.scenario_id
        )


def list_plans(uow: UnitOfWork) -> list[tuple[Plan, PlanScenario]]:
    require(uow.principal, "plan.read")
    with uow:
        return uow.planning.plan_list()


def _plan_or_404(uow: UnitOfWork, reference: str) -> Plan:
    plan = uow.planning.plan(reference)
    if plan is None:
        raise NotFound("No plan {ref}.", ref=reference[:20])
    return plan


def _keep_scenario(
    uow: UnitOfWork, document: dict, choice: dict, inputs: dict, source: str, base_id: int | None
) -> PlanScenario:
    row = uow.planning.new_scenario(
        reference=f"SCN-TMP-{uuid.uuid4().hex[:7]}",
        name=choice["name"][:120],
        source=source,
        base_id=base_id,
        choice=choice,
        inputs=inputs,
        document=document,
        horizon_days=document["horizon_days"],
        warehouses=len(document["warehouses"]),
        facilities=len(document["facilities"]),
        routes=len(document["routes"]),
        created_by=uow.principal.username,
        created_at=clock.now(),
    )
    row.reference = rules.scenario_reference(row.id)
    uow.record(
        "scenario.create",
        "scenario",
        row.reference,
        None,
        {
            "name": row.name,
            "source": source,
            "warehouses": row.warehouses,
            "facilities": row.facilities,
            "routes": row.routes,
        },
    )
    return row


def _keep_plan(
    uow: UnitOfWork,
    scenario: PlanScenario,
    solved: Solved,
    previous_id: int | None,
    reason: str | None,
) -> Plan:
    plan, base = solved.plan, solved.prorata
    row = uow.planning.new_plan(
        reference=f"PLAN-TMP-{uuid.uuid4().hex[:7]}",
        scenario_id=scenario.id,
        previous_id=previous_id,
        status=PlanStatus.PROPOSED.value,
        solver_status=plan["status"],
        weighted_shortfall=round(plan["weighted_shortfall"]),
        transport_paise=round(plan["transport_cost"] * 100),
        prorata_weighted_shortfall=round(base["weighted_shortfall"]),
        prorata_transport_paise=round(base["transport_cost"] * 100),
        solve_seconds=plan["solve_seconds"],
        result=plan,
        prorata=base,
        replay_ok=not solved.problems,
        replay_problems=list(solved.problems[:50]),
        reason=reason,
        created_by=uow.principal.username,
        created_at=clock.now(),
    )
    row.reference = rules.plan_reference(row.id)
    uow.record(
        "plan.create",
        "plan",
        row.reference,
        None,
        {
            "scenario": scenario.reference,
            "status": row.solver_status,
            "weighted_shortfall": row.weighted_shortfall,
            "transport_paise": row.transport_paise,
            "prorata_weighted_shortfall": row.prorata_weighted_shortfall,
            "replay_ok": row.replay_ok,
            "previous": previous_id,
            "reason": reason,
        },
    )
    return row
