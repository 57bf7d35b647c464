"""Planning's use cases on in-memory repositories (tests/planning/fakes.py): a refused
command changes and records nothing; approval makes one truck load per truck; a re-plan
supersedes the plan it replaces. The integration tests run the same on both databases."""

from __future__ import annotations

import pytest

from oxychain.core.errors import Conflict, FileRejected
from oxychain.core.people import Principal, Role
from oxychain.core.states import IllegalTransition
from oxychain.planning.domain.plan import PlanStatus, ScenarioChoice
from oxychain.planning.domain.scenario_gen import generate
from oxychain.planning.services import cases as case_data
from oxychain.planning.services import plans as planning
from oxychain.planning.settings import PlanningSettings
from tests.fakes import FakeUnitOfWork
from tests.planning.fakes import small_state
from tests.planning.support import OMICRON

PLANNER = Principal(7, "planner.one", Role.PLANNER)
SETTINGS = PlanningSettings(forecast_model="naive", planning_truck_capacity=5)


@pytest.fixture
def state():  # noqa: ANN201
    planning_rows, masterdata = small_state(stock=12, as_of=OMICRON)
    return lambda: FakeUnitOfWork(PLANNER, planning=planning_rows, masterdata=masterdata)


def proposed(uow: FakeUnitOfWork, name: str = "Wave") -> str:
    choice = ScenarioChoice(name, OMICRON, OMICRON, 7)
    return planning.plan_from_database(uow, SETTINGS, choice).reference


def test_a_plan_from_the_data_is_kept_proposed_with_its_scenario(state) -> None:  # noqa: ANN001
    uow = state()
    reference = proposed(uow)
    plan = uow.planning.plan(reference)
    assert (plan.status, plan.solver_status, plan.replay_ok) == ("proposed", "optimal", True)
    assert uow.actions == ["scenario.create", "plan.create"] and uow.commits == 1
    document = uow.planning.documents(plan).document
    assert [w["on_hand"] for w in document["warehouses"]] == [12]


def test_approval_makes_truck_loads_once(state) -> None:  # noqa: ANN001
    uow = state()
    reference = proposed(uow)
    planning.approve(uow, reference, truck_capacity=5)
    assert uow.planning.plan(reference).status == PlanStatus.APPROVED
    assert [(r["quantity"], r["truck"]) for r in uow.planning.truck_loads] == [
        (5, 1),
        (5, 2),
        (2, 3),
    ]
    assert uow.events[-1]["before"] == {"status": "proposed"}
    events, loads = len(uow.events), list(uow.planning.truck_loads)
    with pytest.raises(IllegalTransition, match="cannot become approved"):
        planning.approve(uow, reference, truck_capacity=5)
    assert (len(uow.events), uow.planning.truck_loads) == (events, loads)  # nothing recorded


def test_a_plan_that_did_not_replay_is_not_approved(state) -> None:  # noqa: ANN001
    uow = state()
    reference = proposed(uow)
    uow.planning.plan(reference).replay_ok = False
    commits = uow.commits
    with pytest.raises(Conflict, match="replay"):
        planning.approve(uow, reference, truck_capacity=5)
    assert uow.planning.plan(reference).status == "proposed"
    assert (uow.commits, uow.planning.truck_loads) == (commits, [])


def test_a_replan_supersedes_the_plan_it_replaces(state) -> None:  # noqa: ANN001
    uow = state()
    old = proposed(uow)
    planning.approve(uow, old, truck_capacity=5)
    new = planning.replan(uow, SETTINGS, old, "  lot   failed ")
    replaced, made = uow.planning.plan(old), new
    assert (replaced.status, replaced.superseded_at is not None) == ("superseded", True)
    assert (made.status, made.previous_id, made.reason) == ("proposed", replaced.id, "lot failed")
    assert uow.actions[-3:] == ["scenario.create", "plan.create", "plan.supersede"]
    assert uow.events[-1]["after"] == {"status": "superseded", "by": made.reference}
    events = len(uow.events)
    with pytest.raises(IllegalTransition):
        planning.replan(uow, SETTINGS, old, "again")
    with pytest.raises(IllegalTransition):
        planning.approve(uow, old, truck_capacity=5)
    assert len(uow.events) == events and len(uow.planning.plans) == 2


def test_a_plan_of_an_uploaded_scenario_is_not_rebuilt(state) -> None:  # noqa: ANN001
    uow = state()
    reference = planning.plan_from_file(uow, generate(2, 6, 3, seed=5)).reference
    events = len(uow.events)
    with pytest.raises(Conflict, match="uploaded scenario"):
        planning.replan(uow, SETTINGS, reference, "")
    with pytest.raises(Conflict, match="uploaded scenario"):
        planning.scenario_choice(uow, reference)
    assert len(uow.events) == events and uow.planning.plan(reference).status == "proposed"


def test_a_bad_case_file_stores_and_records_nothing(state) -> None:  # noqa: ANN001
    uow = state()
    counts = list(uow.planning.case_counts)
    bad = b"date,district,confirmed\n2021-05-01,Lucknow,10\n2021-05-02,Atlantis,12\n"
    with pytest.raises(FileRejected) as refused:
        case_data.import_cases(uow, bad, "bad.csv", 10_000)
    assert [(r, c) for r, c, _ in refused.value.rows] == [(3, "district")]
    assert (uow.events, uow.planning.case_imports, uow.planning.case_counts) == ([], [], counts)
    good = bad.replace(b"Atlantis", b"Lucknow")
    row = case_data.import_cases(uow, good, "good.csv", 10_000)
    assert (row.level, row.rows, row.regions) == ("district", 2, 1) and uow.actions == [
        "cases.import"
    ]
