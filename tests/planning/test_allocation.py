"""The allocation optimiser: known optima, the contract's rules, and an independent MILP.

Every plan a test gets back is replayed (stock, capacity, shortfall, both objectives,
district fill) before anything else is asserted.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array

from oxychain.planning.domain import allocation
from oxychain.planning.domain.allocation import Plan, solve
from oxychain.planning.domain.prorata import prorata
from oxychain.planning.domain.replay import check, replay
from oxychain.planning.domain.scenario import Scenario, parse_scenario
from oxychain.planning.domain.scenario_gen import generate


def scenario(horizon: int, warehouses: list, facilities: list, routes: list) -> Scenario:
    return parse_scenario(
        {
            "horizon_days": horizon,
            "warehouses": warehouses,
            "facilities": facilities,
            "routes": routes,
        }
    )


def wh(id_: str, on_hand: int, **extra) -> dict:
    return {"id": id_, "district": extra.pop("district", "D"), "on_hand": on_hand, **extra}


def fac(id_: str, priority: int, requirement, **extra) -> dict:
    return {
        "id": id_,
        "district": extra.pop("district", "D"),
        "priority": priority,
        "requirement": requirement,
        **extra,
    }


def route(source: str, target: str, lead: int = 0, cost: float = 1) -> dict:
    return {"from": source, "to": target, "lead_days": lead, "cost_per_unit": cost}


def planned(sc: Scenario, **kwargs) -> dict:
    """Solve, replay, and hand back the plan JSON."""
    plan = solve(sc, **kwargs)
    doc = plan.as_dict()
    check(sc, doc)
    return doc


def shipped(doc: dict) -> set[tuple[str, str, int, int]]:
    return {(s["from"], s["to"], s["day"], s["quantity"]) for s in doc["shipments"]}


def test_the_scarce_device_goes_to_the_higher_priority() -> None:
    sc = scenario(
        3,
        [wh("W", 1)],
        [fac("ICU", 10, 1), fac("HOME", 1, 1)],
        [route("W", "ICU"), route("W", "HOME")],
    )
    doc = planned(sc)
    assert doc["status"] == "optimal"
    assert shipped(doc) == {("W", "ICU", 0, 1)}
    assert doc["weighted_shortfall"] == 3.0  # HOME short one device on each of 3 days
    assert doc["shortfall"] == [{"facility": "HOME", "day": d, "quantity": 1} for d in range(3)]


def test_durable_coverage_weighs_days_covered() -> None:
    # one device: 5 days at priority 1 beat 1 day at priority 3
    sc = scenario(
        5,
        [wh("W", 1)],
        [fac("A", 1, 1), fac("B", 3, [0, 0, 0, 0, 1])],
        [route("W", "A"), route("W", "B")],
    )
    doc = planned(sc)
    assert shipped(doc) == {("W", "A", 0, 1)}
    assert doc["weighted_shortfall"] == 3.0


def test_equal_shortfall_is_broken_by_the_cheaper_route() -> None:
    sc = scenario(
        2,
        [wh("W-A", 1), wh("W-B", 1)],
        [fac("F", 5, 1)],
        [route("W-A", "F", cost=5.25), route("W-B", "F", cost=3.10)],
    )
    doc = planned(sc)
    assert shipped(doc) == {("W-B", "F", 0, 1)}
    assert doc["weighted_shortfall"] == 0.0 and doc["transport_cost"] == 3.10


def test_shortfall_comes_before_cost() -> None:
    # the dear route is the only one in time for day 0
    sc = scenario(
        3,
        [wh("W-A", 1), wh("W-B", 1)],
        [fac("F", 1, 1)],
        [route("W-A", "F", lead=0, cost=900), route("W-B", "F", lead=1, cost=1)],
    )
    doc = planned(sc)
    assert shipped(doc) == {("W-A", "F", 0, 1)}
    assert doc["transport_cost"] == 900.0


def test_lead_days_and_the_horizon_cut_off_dispatches() -> None:
    sc = scenario(
        3,
        [wh("W", 5)],
        [fac("NEAR", 1, 1), fac("FAR", 10, 1)],
        [route("W", "NEAR", lead=2), route("W", "FAR", lead=3)],
    )
    doc = planned(sc)
    assert shipped(doc) == {("W", "NEAR", 0, 1)}  # FAR cannot be reached in 3 days
    assert doc["weighted_shortfall"] == 2 * 1 + 3 * 10


def test_dispatch_capacity_spreads_shipments_over_days() -> None:
    sc = scenario(3, [wh("W", 4, dispatch_capacity=2)], [fac("F", 2, 4)], [route("W", "F")])
    doc = planned(sc)
    assert shipped(doc) == {("W", "F", 0, 2), ("W", "F", 1, 2)}
    assert doc["weighted_shortfall"] == 2 * 2  # two devices short on day 0


def test_arrivals_are_sent_on_the_day_they_come() -> None:
    sc = scenario(
        4,
        [wh("W", 0, arrivals=[{"day": 1, "quantity": 2}])],
        [fac("F", 1, 2, installed=1)],
        [route("W", "F", lead=1)],
    )
    doc = planned(sc)
    assert shipped(doc) == {("W", "F", 1, 1)}  # one device is installed already
    assert doc["weighted_shortfall"] == 2.0  # days 0 and 1, before it is in service


def test_free_routes_carry_no_useless_devices() -> None:
    sc = scenario(3, [wh("W", 50)], [fac("F", 1, [1, 2, 1])], [route("W", "F", cost=0)])
    doc = planned(sc)
    assert sum(s["quantity"] for s in doc["shipments"]) == 2
    assert doc["weighted_shortfall"] == 0.0


def test_district_fill_and_the_exact_plan_shape() -> None:
    sc = scenario(
        2,
        [wh("W", 1, district="A")],
        [fac("F", 4, 2, district="A"), fac("G", 1, 0, district="B")],
        [route("W", "F"), route("W", "G")],
    )
    doc = planned(sc)
    assert list(doc) == [
        "status",
        "weighted_shortfall",
        "transport_cost",
        "shipments",
        "shortfall",
        "district_fill",
        "solve_seconds",
    ]
    assert doc["district_fill"] == {"A": 0.5, "B": 1.0}  # B needs nothing


def test_nothing_reachable_is_an_empty_optimal_plan() -> None:
    sc = scenario(2, [wh("W", 3)], [fac("F", 1, 1)], [route("W", "F", lead=5)])
    doc = planned(sc)
    assert doc["status"] == "optimal" and doc["shipments"] == []
    assert doc["weighted_shortfall"] == 2.0


def test_replay_catches_a_plan_that_oversends() -> None:
    sc = scenario(2, [wh("W", 1, dispatch_capacity=1)], [fac("F", 1, 3)], [route("W", "F")])
    doc = planned(sc)
    doc["shipments"] = [{"from": "W", "to": "F", "day": 0, "quantity": 2}]
    problems = replay(sc, doc).violations
    assert any("over its capacity 1" in p for p in problems)
    assert any("stock goes to -1" in p for p in problems)
    assert any(p.startswith("weighted_shortfall") for p in problems)


# --- an independent model, straight from ALLOCATION.md, for random cross-checks --------


def milp_optimum(sc: Scenario) -> tuple[int, int]:
    """(weighted shortfall, transport paise) by a textbook MILP in two stages."""
    horizon = sc.horizon_days
    moves = [(r, d) for r in sc.routes for d in range(horizon) if d + r.lead_days < horizon]
    n_x, facilities = len(moves), sc.facilities
    n = n_x + len(facilities) * horizon  # dispatches, then shortfall per facility-day
    entries: list[tuple[int, int]] = []
    low: list[float] = []
    high: list[float] = []

    def add_row(columns: list[int], lo: float, hi: float) -> None:
        entries.extend((len(low), j) for j in columns)
        low.append(lo)
        high.append(hi)

    for i, f in enumerate(facilities):  # shortfall + delivered by day t >= net need
        for t in range(horizon):
            add_row(
                [n_x + i * horizon + t]
                + [
                    j
                    for j, (r, d) in enumerate(moves)
                    if r.facility == f.id and d + r.lead_days <= t
                ],
                max(0, f.requirement[t] - f.installed),
                np.inf,
            )
    for w in sc.warehouses:
        for t in range(horizon):
            stock = w.on_hand + sum(a.quantity for a in w.arrivals if a.day <= t)
            add_row(
                [j for j, (r, d) in enumerate(moves) if r.warehouse == w.id and d <= t],
                -np.inf,
                stock,
            )
            if w.dispatch_capacity is not None:
                add_row(
                    [j for j, (r, d) in enumerate(moves) if r.warehouse == w.id and d == t],
                    -np.inf,
                    w.dispatch_capacity,
                )
    r_idx, c_idx = zip(*entries, strict=True)
    matrix = coo_array((np.ones(len(entries)), (r_idx, c_idx)), shape=(len(low), n)).tocsr()
    weights = np.zeros(n)
    for i, f in enumerate(facilities):
        weights[n_x + i * horizon : n_x + (i + 1) * horizon] = f.priority
    costs = np.zeros(n)
    costs[:n_x] = [r.cost_paise for r, _ in moves]
    whole = np.r_[np.ones(n_x), np.zeros(n - n_x)]
    options = {"mip_rel_gap": 0.0}
    constraints = [LinearConstraint(matrix, low, high)]
    first = milp(
        weights,
        constraints=constraints,
        integrality=whole,
        bounds=Bounds(0, np.inf),
        options=options,
    )
    best = round(first.fun)
    constraints.append(LinearConstraint(weights[None, :], -np.inf, best + 0.5))
    second = milp(
        costs, constraints=constraints, integrality=whole, bounds=Bounds(0, np.inf), options=options
    )
    return best, round(second.fun)


@pytest.mark.parametrize("seed", range(8))
def test_random_scenarios_match_an_independent_milp(seed: int) -> None:
    rng = np.random.default_rng(seed)
    sc = parse_scenario(
        generate(
            int(rng.integers(2, 4)),
            int(rng.integers(4, 9)),
            int(rng.integers(3, 7)),
            seed=seed,
            routes_per_facility=2,
        )
    )
    doc = planned(sc)
    assert doc["status"] == "optimal"
    assert (round(doc["weighted_shortfall"]), round(doc["transport_cost"] * 100)) == milp_optimum(
        sc
    )


@pytest.mark.parametrize("seed", range(3))
def test_medium_scenarios_replay_and_beat_pro_rata(seed: int) -> None:
    sc = parse_scenario(generate(12, 300, 14, seed=seed))
    doc = planned(sc)
    baseline = prorata(sc).as_dict()
    check(sc, baseline)
    assert doc["weighted_shortfall"] <= baseline["weighted_shortfall"]


def test_the_milp_fallback_agrees_with_the_flow(monkeypatch) -> None:
    sc = parse_scenario(generate(3, 20, 6, seed=5))
    flow_plan = planned(sc)
    monkeypatch.setattr(allocation, "_fits_int64", lambda network, weight: False)
    milp_plan = planned(sc)
    assert milp_plan["status"] == "optimal"
    assert (milp_plan["weighted_shortfall"], milp_plan["transport_cost"]) == (
        flow_plan["weighted_shortfall"],
        flow_plan["transport_cost"],
    )


def test_a_time_limit_that_runs_out_returns_a_sound_plan() -> None:
    sc = parse_scenario(generate(6, 120, 10, seed=3))
    doc = planned(sc, time_limit_s=1e-6)
    assert doc["status"] == "time_limit"
    assert doc["weighted_shortfall"] == prorata(sc).as_dict()["weighted_shortfall"]


def test_a_generous_time_limit_still_proves_the_optimum() -> None:
    sc = parse_scenario(generate(6, 120, 10, seed=3))
    limited, free = planned(sc, time_limit_s=60), planned(sc)
    assert limited["status"] == "optimal"
    assert (limited["weighted_shortfall"], limited["transport_cost"]) == (
        free["weighted_shortfall"],
        free["transport_cost"],
    )


def test_plans_are_replayable_and_repeatable() -> None:
    sc = parse_scenario(generate(5, 80, 12, seed=11))
    first, second = solve(sc), solve(sc)
    assert isinstance(first, Plan)
    assert first.shipments == second.shipments  # same input, same plan
