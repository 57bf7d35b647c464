"""Planning through its services on SQLite and PostgreSQL: case import, a plan built from
the data, approval into truck loads and dispatch challans, re-plans and what-ifs; every
plan replays against its scenario."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from oxychain.core.bootstrap import Oxychain
from oxychain.core.errors import Conflict, FileRejected, Forbidden, InvalidInput
from oxychain.core.people import SYSTEM, Role
from oxychain.core.tables import AuditEvent
from oxychain.distribution.tables import Challan
from oxychain.inspection.tables import Lot, Verdict
from oxychain.planning.domain.plan import ExtraArrival, WhatIf
from oxychain.planning.domain.replay import check
from oxychain.planning.domain.scenario import ScenarioError, parse_scenario
from oxychain.planning.domain.scenario_gen import generate
from oxychain.planning.services import cases as case_data
from oxychain.planning.services import dispatch as planning_dispatch
from oxychain.planning.services import plans as planning
from oxychain.planning.services import views as planning_views
from oxychain.planning.tables import CaseCount, Plan
from tests.distribution.support import person
from tests.planning.support import choice, import_national, planner, stocked_world


def now() -> datetime:
    return datetime.now(UTC)


def count(app: Oxychain, table) -> int:  # noqa: ANN001
    with app.uow(SYSTEM) as uow:
        return uow.session.scalar(select(func.count()).select_from(table))


def actions(app: Oxychain) -> list[str]:
    with app.uow(SYSTEM) as uow:
        return list(uow.session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))


def test_a_case_file_is_imported_whole_or_not_at_all(app: Oxychain) -> None:
    who = planner(app)
    bad = (
        b"date,district,confirmed\n2021-05-01,Lucknow,100\n2021-05-02,Lucknow,12x\n"
        b"2021-05-01,Atlantis,5\n2021-05-02,Bara Banki,7\n"
    )
    before = len(actions(app))
    with pytest.raises(FileRejected) as err:
        case_data.import_cases(app.uow(who, write=True), bad, "bad.csv", 10_000)
    assert [(r, c) for r, c, _ in err.value.rows] == [(3, "confirmed")]
    bad = bad.replace(b"12x", b"120")
    with pytest.raises(FileRejected) as err:
        case_data.import_cases(app.uow(who, write=True), bad, "bad.csv", 10_000)
    assert [(r, c) for r, c, _ in err.value.rows] == [(4, "district")]
    assert count(app, CaseCount) == 0 and len(actions(app)) == before
    good = bad.replace(b"Atlantis", b"Lucknow").replace(
        b"2021-05-01,Lucknow,5", b"2021-05-03,Lucknow,150"
    )
    row = case_data.import_cases(app.uow(who, write=True), good, "good.csv", 10_000)
    assert (row.level, row.rows, row.regions, row.replaced) == ("district", 4, 2, 0)
    again = case_data.import_cases(app.uow(who, write=True), good, "good.csv", 10_000)
    assert again.replaced == 4 and count(app, CaseCount) == 4
    view = case_data.overview(app.uow(who))
    assert [s[:2] for s in view.series] == [("district", "Barabanki"), ("district", "Lucknow")]
    assert actions(app)[-2:] == ["cases.import", "cases.import"]
    with pytest.raises(Forbidden):
        case_data.import_cases(
            app.uow(person(app, Role.AUDITOR, None), write=True), good, "x", 10_000
        )


def test_a_plan_from_the_data_replays_is_approved_and_dispatched(app: Oxychain) -> None:
    world = stocked_world(app, count=12)
    who = planner(app)
    import_national(app, who)
    plan = planning.plan_from_database(app.uow(who, write=True), app.settings, choice())
    assert (plan.status, plan.solver_status, plan.replay_ok) == ("proposed", "optimal", True)
    scenario = planning.get_plan(app.uow(who), plan.reference)
    replayed = check(parse_scenario(scenario.document), scenario.result)
    assert replayed.weighted_shortfall == plan.weighted_shortfall
    assert replayed.transport_cost_paise == plan.transport_paise
    assert plan.prorata_weighted_shortfall >= plan.weighted_shortfall
    stock = {w["id"]: w["on_hand"] for w in scenario.document["warehouses"]}
    assert stock[world.warehouse_code] == 12
    sent = [s for s in scenario.result["shipments"] if s["day"] == 0]
    assert sum(s["quantity"] for s in sent) == 12  # the need dwarfs the stock: all of it goes
    assert {s["to"] for s in sent} == {world.facility_code}  # to the district hospital first

    planning.approve(app.uow(who, write=True), plan.reference, truck_capacity=5)
    with pytest.raises(Conflict):
        planning.approve(app.uow(who, write=True), plan.reference, truck_capacity=5)
    keeper = world.people["warehouse_keeper"]
    pending = planning_dispatch.pending_loads(app.uow(keeper))
    assert [(p.load.quantity, p.load.truck) for p in pending] == [(5, 1), (5, 2), (2, 3)]
    stranger = person(app, Role.WAREHOUSE_KEEPER, _other_warehouse_id(app, world))
    assert planning_dispatch.pending_loads(app.uow(stranger)) == []
    first = pending[0].load
    with pytest.raises(Forbidden):
        planning_dispatch.dispatch_load(
            app.uow(stranger, write=True), first.id, "UP32AB1", "Ravi", now()
        )
    with pytest.raises(InvalidInput):
        planning_dispatch.dispatch_load(app.uow(keeper, write=True), first.id, "??", "Ravi", now())
    challan = planning_dispatch.dispatch_load(
        app.uow(keeper, write=True), first.id, "UP 32 AB 9", "Ravi", now()
    )
    again = planning_dispatch.dispatch_load(
        app.uow(keeper, write=True), first.id, "UP 32 AB 9", "Ravi", now()
    )
    assert again.number == challan.number and count(app, Challan) == 2  # tranche's + this one
    assert (challan.plan_ref, challan.source, challan.status) == (
        plan.reference,
        "allocation",
        "in_transit",
    )
    assert len(planning_dispatch.pending_loads(app.uow(keeper))) == 2
    assert {
        "scenario.create",
        "plan.create",
        "plan.approve",
        "plan.load.dispatch",
        "challan.dispatch",
    } <= set(actions(app))

    # A re-plan supersedes it; its loads can no longer be dispatched.
    new = planning.replan(app.uow(who, write=True), app.settings, plan.reference, "truck left")
    assert new.previous_id == plan.id and new.reason == "truck left"
    kept = planning.get_plan(app.uow(who), plan.reference)
    old, loads = kept.plan, kept.loads
    assert old.status == "superseded"
    with pytest.raises(Conflict, match="approved"):
        planning_dispatch.dispatch_load(
            app.uow(keeper, write=True), loads[1].id, "UP32AB9", "Ravi", now()
        )
    with pytest.raises(Conflict):
        planning.replan(app.uow(who, write=True), app.settings, plan.reference, "")


def _other_warehouse_id(app: Oxychain, world) -> int:  # noqa: ANN001
    with app.uow(SYSTEM) as uow:
        return uow.dispatch.warehouse_by_code(world.other_warehouse_code).id


def test_a_failed_lot_is_a_reason_to_replan_and_arrives_later(app: Oxychain) -> None:
    world = stocked_world(app, count=4)
    who = planner(app)
    import_national(app, who)
    lot_id = _offered_lot(app, world, quantity=6)
    plan = planning.plan_from_database(app.uow(who, write=True), app.settings, choice(horizon=21))
    page = planning_views.changes_since(
        app.uow(who), app.settings, planning_views.plan_page(app.uow(who), plan.reference)
    )
    assert page.changes == []
    _fail(app, lot_id)
    page = planning_views.changes_since(
        app.uow(who), app.settings, planning_views.plan_page(app.uow(who), plan.reference)
    )
    assert [kind for kind, _label, _when in page.changes] == ["lot"]
    new = planning.replan(app.uow(who, write=True), app.settings, plan.reference, "lot failed")
    before = {s["kind"]: s for s in _inputs(app, who, plan)["supplies"]}
    after = {s["kind"]: s for s in _inputs(app, who, new)["supplies"]}
    assert before["offered"]["quantity"] == after["rejected"]["quantity"] == 6
    assert after["rejected"]["expected"] > before["offered"]["expected"]


def _inputs(app: Oxychain, who, plan: Plan) -> dict:  # noqa: ANN001
    return planning.get_plan(app.uow(who), plan.reference).docs.inputs


def _offered_lot(app: Oxychain, world, quantity: int) -> int:  # noqa: ANN001
    with app.uow(SYSTEM, write=True) as uow:
        po = uow.contracts.purchase_order(world.po_id)
        lot = Lot(
            number="LOT-PLAN-1",
            purchase_order_id=po.id,
            tranche_id=world.tranche_id,
            supplier_id=world.supplier_id,
            item_id=po.item_id,
            quantity=quantity,
            place="Works (synthetic)",
            ready_on=date.today(),
            offered_at=now(),
            status="sampled",
            aql="2.5",
            inspection_level="II",
        )
        uow.session.add(lot)
        uow.commit()
        return lot.id


def _fail(app: Oxychain, lot_id: int) -> None:
    with app.uow(SYSTEM, write=True) as uow:
        lot = uow.session.get(Lot, lot_id)
        lot.status = "rejected"
        uow.session.add(
            Verdict(
                lot_id=lot_id,
                accepted=False,
                severity="normal",
                sample_size=8,
                accept_number=0,
                reject_number=1,
                tested=8,
                failures=1,
                decided_at=now() + timedelta(seconds=1),
            )
        )
        uow.commit()


def test_every_plan_the_service_returns_replays(app: Oxychain) -> None:
    """Stock, capacity, shortfall, both objectives and the fill of every kept plan and its
    pro-rata baseline, recomputed by planning/replay.py from the kept scenario."""
    world = stocked_world(app, count=6)
    who = planner(app)
    import_national(app, who)
    base = planning.plan_from_database(app.uow(who, write=True), app.settings, choice())
    levers = WhatIf(
        doubling_days=5,
        arrivals_pct=200,
        lot_failure_pct=20,
        late_days=2,
        extra_arrivals=(ExtraArrival(world.warehouse_code, 2, 30),),
    )
    planning.plan_from_database(
        app.uow(who, write=True),
        app.settings,
        choice("What-if", what_if=levers),
        base_ref=base.reference,
    )
    planning.plan_from_file(app.uow(who, write=True), generate(4, 40, 7, seed=21))
    plans = planning.list_plans(app.uow(who))
    assert [s.source for _p, s in plans] == ["file", "whatif", "database"]
    for plan, _scenario in plans:
        kept = planning.get_plan(app.uow(who), plan.reference)
        parsed = parse_scenario(json.loads(json.dumps(kept.document)))
        for result in (kept.result, kept.prorata):
            replayed = check(parsed, result)
            assert replayed.violations == ()
        assert check(parsed, kept.result).weighted_shortfall == plan.weighted_shortfall
        assert check(parsed, kept.prorata).weighted_shortfall == plan.prorata_weighted_shortfall
        assert plan.weighted_shortfall <= plan.prorata_weighted_shortfall


def test_bad_requests_change_nothing(app: Oxychain) -> None:
    who = planner(app)
    officer = person(app, Role.PROCUREMENT_OFFICER, None)
    import_national(app, who)
    before = (count(app, Plan), len(actions(app)))
    doc = generate(2, 5, 3, seed=1)
    doc["routes"][0]["to"] = "F-9"
    with pytest.raises(ScenarioError, match=r"routes\[0\]\.to"):
        planning.plan_from_file(app.uow(who, write=True), doc)
    odd = choice(what_if=WhatIf(extra_arrivals=(ExtraArrival("WH-NOWHERE", 1, 5),)))
    with pytest.raises(InvalidInput):
        planning.plan_from_database(app.uow(who, write=True), app.settings, odd)
    with pytest.raises(InvalidInput, match="No case counts"):
        early = choice()
        planning.plan_from_database(
            app.uow(who, write=True),
            app.settings,
            early.__class__(**{**vars(early), "forecast_as_of": date(2019, 1, 1)}),
        )
    with pytest.raises(Forbidden):
        planning.plan_from_database(app.uow(officer, write=True), app.settings, choice())
    with pytest.raises(Forbidden):
        planning.approve(app.uow(officer, write=True), "PLAN-000001", 50)
    assert (count(app, Plan), len(actions(app))) == before


def test_a_version_2_plan_prices_its_floor_and_makes_transfer_challans(app: Oxychain) -> None:
    """From the data: every warehouse and the transfer links between them, the fill floor
    the planner chose and its price; approving makes warehouse-to-warehouse loads and a
    keeper's challan from one of them."""
    world = stocked_world(app, count=12)
    who = planner(app)
    import_national(app, who)
    plan = planning.plan_from_database(
        app.uow(who, write=True), app.settings, choice(min_fill_pct=60, home_fill_pct=30)
    )
    kept = planning.get_plan(app.uow(who), plan.reference)
    doc = kept.document
    codes = {w["id"] for w in doc["warehouses"]}
    assert {world.warehouse_code, world.other_warehouse_code} <= codes
    links = {(t["from"], t["to"]) for t in doc["transfers"]}
    assert (world.warehouse_code, world.other_warehouse_code) in links  # same headquarters
    assert all(t["lead_days"] >= 1 for t in doc["transfers"])
    assert doc["policy"]["fairness"]["min_fill"] == 0.6
    parsed = parse_scenario(json.loads(json.dumps(doc)))
    assert check(parsed, kept.result).floor_shortfall == kept.result["floor_shortfall"]
    assert set(plan.floor_price) == {"with", "without"}
    assert plan.floor_price["with"]["weighted_shortfall"] == kept.result["weighted_shortfall"]
    assert (
        plan.floor_price["without"]["weighted_shortfall"]
        <= plan.floor_price["with"]["weighted_shortfall"]
    )

    # An uploaded version 2 scenario on the same warehouses: stock moved, then shipped.
    upload = {
        "horizon_days": 4,
        "warehouses": [
            {"id": world.warehouse_code, "district": "D", "on_hand": 3},
            {"id": world.other_warehouse_code, "district": "D", "on_hand": 0},
        ],
        "facilities": [
            {
                "id": world.facility_code,
                "district": "D",
                "priority": 10,
                "requirement": [0, 0, 3, 3],
            }
        ],
        "routes": [
            {
                "from": world.other_warehouse_code,
                "to": world.facility_code,
                "lead_days": 1,
                "cost_per_unit": 5,
            }
        ],
        "transfers": [
            {
                "from": world.warehouse_code,
                "to": world.other_warehouse_code,
                "lead_days": 1,
                "cost_per_unit": 2,
            }
        ],
    }
    moved = planning.plan_from_file(app.uow(who, write=True), upload, "moved")
    assert moved.replay_ok and moved.floor_price is None
    planning.approve(app.uow(who, write=True), moved.reference, truck_capacity=50)
    loads = planning.get_plan(app.uow(who), moved.reference).loads
    transfer = [x for x in loads if x.from_warehouse == world.warehouse_code]
    assert [(x.to_kind, x.to_code, x.quantity, x.day) for x in transfer] == [
        ("warehouse", world.other_warehouse_code, 3, 0)
    ]
    officer = person(app, Role.PROCUREMENT_OFFICER, None)
    challan = planning_dispatch.dispatch_load(
        app.uow(officer, write=True), transfer[0].id, "UP 32 AB 7", "Ravi", now()
    )
    assert (challan.plan_ref, challan.source) == (moved.reference, "allocation")
