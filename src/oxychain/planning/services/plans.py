"""Allocation plans: solve a scenario, keep it with its plan, approve, re-plan.

`solve_document` is what ``oxychain plan allocate`` uses: the scenario JSON of
ALLOCATION.md in, the optimal plan out. A kept plan carries its pro-rata baseline and
the result of replaying both against the scenario (domain/solved.py); its figures are
never edited. A re-plan is a new plan whose ``previous_id`` names the old one, which
becomes superseded. Only an approved plan becomes truck loads (services/dispatch.py).

The solver, the forecast and numpy load only when a plan is solved: the pages import
this module at start-up.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from oxychain.core import clock
from oxychain.core.access import require
from oxychain.core.errors import NotFound
from oxychain.planning.domain import plan as rules
from oxychain.planning.domain.loads import plan_loads
from oxychain.planning.domain.plan import PLAN, ScenarioChoice, ScenarioSource, plan_actions
from oxychain.planning.domain.scenario import parse_scenario
from oxychain.planning.domain.solved import (
    Solved,
    plan_record,
    plan_summary,
    replan_reason,
    scenario_record,
    scenario_summary,
    solve_and_check,
)

if TYPE_CHECKING:  # the CLI imports this module for `solve_document` alone: keep it light
    from oxychain.core.uow import UnitOfWork
    from oxychain.planning.repository import PlanDocuments
    from oxychain.planning.services.inputs import Built
    from oxychain.planning.settings import PlanningSettings as Settings
    from oxychain.planning.tables import Plan, PlanLoad, PlanScenario


def solve_document(document: object, time_limit_s: float | None = None):  # noqa: ANN201
    """(scenario, plan) of a scenario document; ScenarioError names a bad field and row."""
    from oxychain.planning.domain.allocation import solve  # the solver loads when asked for

    scenario = parse_scenario(document)
    return scenario, solve(scenario, time_limit_s=time_limit_s)


def plan_from_database(
    uow: UnitOfWork, settings: Settings, choice: ScenarioChoice, base_ref: str | None = None
) -> Plan:
    """Build the chosen scenario from the data, solve it and keep both (a what-if when
    ``base_ref`` names the plan it varies)."""
    require(uow.principal, "plan.write")
    built = _build(uow, settings, choice)
    solved = solve_and_check(parse_scenario(built.document))
    with uow:
        base = _plan_or_404(uow, base_ref) if base_ref else None
        source = ScenarioSource.WHATIF if base else ScenarioSource.DATABASE
        plan = _keep(uow, _scenario_of(built, source, base.scenario_id if base else None), solved)
        uow.commit()
        return plan


def plan_from_file(uow: UnitOfWork, document: object, name: str = "") -> Plan:
    """Keep and solve a scenario given as its JSON document (ALLOCATION.md)."""
    require(uow.principal, "plan.write")
    scenario = parse_scenario(document)
    solved = solve_and_check(scenario)
    with uow:
        choice = {"name": (name or scenario.name or "scenario")[:120]}
        plan = _keep(uow, scenario_record(document, choice, {}, ScenarioSource.FILE, None), solved)
        uow.commit()
        return plan


def replan(uow: UnitOfWork, settings: Settings, reference: str, reason: str) -> Plan:
    """The same choices on today's data (stock, lots, trucks): a new plan replacing the old."""
    require(uow.principal, "plan.write")
    with uow:
        old = _plan_or_404(uow, reference)
        PLAN.move(old.status, "replan")  # refused before a second of solving
        scenario = uow.planning.scenario_by_id(old.scenario_id)
        rules.check_rebuildable(scenario.source)
        choice = rules.choice_from_json(scenario.choice).rebased(clock.today())
    built = _build(uow, settings, choice)
    solved = solve_and_check(parse_scenario(built.document))
    with uow:
        old = _plan_or_404(uow, reference, lock=True)
        superseded = PLAN.move(old.status, "replan")  # not replaced meanwhile
        kept = _scenario_of(built, scenario.source, scenario.base_id)
        new = _keep(uow, kept, solved, old.id, replan_reason(reason))
        before, old.status, old.superseded_at = old.status, superseded.value, clock.now()
        after = {"status": old.status, "by": new.reference}
        uow.record("plan.supersede", "plan", old.reference, {"status": before}, after)
        uow.commit()
        return new


def approve(uow: UnitOfWork, reference: str, truck_capacity: int) -> Plan:
    """Approve a proposed plan: its shipments become truck loads, one challan each."""
    require(uow.principal, "plan.approve")
    with uow:
        plan = _plan_or_404(uow, reference, lock=True)
        approved = PLAN.move(plan.status, "approve")
        rules.check_approvable(plan.replay_ok)
        docs = uow.planning.documents(plan)
        loads = plan_loads(docs.result, docs.document, truck_capacity)
        uow.planning.add_loads(
            [{**vars(load), "plan_id": plan.id, "key": load.key(reference)} for load in loads]
        )
        before, plan.status = plan.status, approved.value
        plan.approved_by, plan.approved_at = uow.principal.username, clock.now()
        devices = sum(load.quantity for load in loads)
        after = {"status": plan.status, "loads": len(loads), "devices": devices}
        uow.record("plan.approve", "plan", plan.reference, {"status": before}, after)
        uow.commit()
        return plan


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

    @property
    def actions(self) -> frozenset[str]:
        """What may be done next with the plan (domain/plan.py, `plan_actions`)."""
        return plan_actions(self.plan.status, self.scenario.source)


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


def scenario_choice(uow: UnitOfWork, reference: str) -> ScenarioChoice:
    """The planner's choices behind a plan, to vary in a what-if; Conflict for a plan of
    an uploaded scenario, which has none."""
    require(uow.principal, "plan.read")
    with uow:
        plan = _plan_or_404(uow, reference)
        rules.check_rebuildable(uow.planning.scenario_source(plan.scenario_id))
        return rules.choice_from_json(uow.planning.scenario_choice(plan.scenario_id))


def list_plans(uow: UnitOfWork) -> list[tuple[Plan, PlanScenario]]:
    require(uow.principal, "plan.read")
    with uow:
        return uow.planning.plan_list()


def _build(uow: UnitOfWork, settings: Settings, choice: ScenarioChoice) -> Built:
    from oxychain.planning.services import inputs  # the forecast and numpy load here

    return inputs.build(uow, settings, choice)


def _scenario_of(built: Built, source: ScenarioSource | str, base_id: int | None) -> dict:
    choice = rules.choice_to_json(built.choice)
    return scenario_record(built.document, choice, built.inputs(), ScenarioSource(source), base_id)


def _plan_or_404(uow: UnitOfWork, reference: str, *, lock: bool = False) -> Plan:
    plan = uow.planning.plan(reference, lock=lock)
    if plan is None:
        raise NotFound("No plan {ref}.", ref=reference[:20])
    return plan


def _keep(
    uow: UnitOfWork,
    scenario_fields: dict,
    solved: Solved,
    previous_id: int | None = None,
    reason: str | None = None,
) -> Plan:
    """Keep a scenario and its plan, each with its audit event; references follow ids."""
    who, now = uow.principal.username, clock.now()
    scenario = uow.planning.new_scenario(
        reference=_provisional("SCN"), created_by=who, created_at=now, **scenario_fields
    )
    scenario.reference = rules.scenario_reference(scenario.id)
    summary = scenario_summary(scenario_fields)
    uow.record("scenario.create", "scenario", scenario.reference, None, summary)
    fields = plan_record(solved, previous_id, reason)
    plan = uow.planning.new_plan(
        reference=_provisional("PLAN"),
        scenario_id=scenario.id,
        created_by=who,
        created_at=now,
        **fields,
    )
    plan.reference = rules.plan_reference(plan.id)
    uow.record(
        "plan.create", "plan", plan.reference, None, plan_summary(fields, scenario.reference)
    )
    return plan


def _provisional(prefix: str) -> str:
    """A unique reference until the row's id gives it its own."""
    return f"{prefix}-TMP-{uuid.uuid4().hex[:7]}"
