"""Explain: the price of one device more is checked against an independent MILP."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp

from oxychain.planning.domain import explain
from oxychain.planning.domain.allocation import solve
from oxychain.planning.domain.scenario import Scenario, parse_scenario
from oxychain.planning.domain.scenario_gen import generate


def least_weighted_shortfall(sc: Scenario, force: tuple[str, int, int] | None = None) -> int:
    """Weighted shortfall of the best plan, by a plain MILP over (route, day) dispatches;
    ``force`` = (facility, day, devices) demands that many delivered to it by that day."""
    days = sc.horizon_days
    arcs = [(r, d) for r in sc.routes for d in range(days) if d + r.lead_days < days]
    facs = list(sc.facilities)
    n_x, n_y = len(arcs), len(facs) * days
    rows, lo, hi = [], [], []

    def add(coeffs: dict[int, float], low: float, high: float) -> None:
        row = np.zeros(n_x + n_y)
        for i, c in coeffs.items():
            row[i] += c
        rows.append(row), lo.append(low), hi.append(high)

    for w in sc.warehouses:  # stock and daily capacity
        arriving = np.zeros(days)
        arriving[0] += w.on_hand
        for a in w.arrivals:
            arriving[a.day] += a.quantity
        for t in range(days):
            add(
                {i: 1 for i, (r, d) in enumerate(arcs) if r.warehouse == w.id and d <= t},
                -np.inf,
                arriving[: t + 1].sum(),
            )
            if w.dispatch_capacity is not None:
                add(
                    {i: 1 for i, (r, d) in enumerate(arcs) if r.warehouse == w.id and d == t},
                    -np.inf,
                    w.dispatch_capacity,
                )
    for k, f in enumerate(facs):  # covered <= delivered by t
        for t in range(days):
            coeffs = {
                i: -1
                for i, (r, d) in enumerate(arcs)
                if r.facility == f.id and d + r.lead_days <= t
            }
            coeffs[n_x + k * days + t] = 1
            add(coeffs, -np.inf, 0)
    if force:
        fid, day, units = force
        add(
            {i: 1 for i, (r, d) in enumerate(arcs) if r.facility == fid and d + r.lead_days <= day},
            units,
            np.inf,
        )
    need = np.array([[max(0, f.requirement[t] - f.installed) for t in range(days)] for f in facs])
    weight = np.repeat([f.priority for f in facs], days)
    upper = np.concatenate((np.full(n_x, np.inf), need.ravel()))
    result = milp(
        np.concatenate((np.zeros(n_x), -weight)),
        integrality=np.ones(n_x + n_y),
        bounds=Bounds(0, upper),
        constraints=[LinearConstraint(np.array(rows), lo, hi)],
    )
    assert result.status == 0
    return int(round((need.ravel() * weight).sum() + result.fun))


@pytest.mark.parametrize("seed", [3, 5, 8])
def test_the_price_of_one_device_more_matches_an_independent_solve(seed: int) -> None:
    sc = parse_scenario(generate(3, 10, 6, seed=seed))
    plan = solve(sc).as_dict()
    assert least_weighted_shortfall(sc) == plan["weighted_shortfall"]
    priced = 0
    for f in sorted({row["facility"] for row in plan["shortfall"]}):
        unit = explain.next_unit(sc, plan, f)
        if unit.outcome != "priced":
            assert unit.outcome == "unreachable"
            continue
        lead = {(r.warehouse, r.facility): r.lead_days for r in sc.routes}
        got = sum(
            s["quantity"]
            for s in plan["shipments"]
            if s["to"] == f and s["day"] + lead[(s["from"], f)] <= unit.day
        )
        forced = least_weighted_shortfall(sc, (f, unit.day, got + 1))
        assert unit.loss - unit.gain == forced - plan["weighted_shortfall"]
        assert unit.gain >= 0 and unit.loss >= unit.gain  # the plan was optimal
        assert sum(d for _, d in unit.losers) >= unit.loss
        priced += 1
    assert priced >= 2


def test_a_tiny_story_reads_as_a_planner_would_tell_it() -> None:
    doc = {
        "horizon_days": 3,
        "warehouses": [{"id": "W", "district": "D", "on_hand": 1}],
        "facilities": [
            {"id": "DH", "district": "D", "priority": 10, "requirement": 1},
            {"id": "PHC", "district": "D", "priority": 3, "requirement": 1},
        ],
        "routes": [
            {"from": "W", "to": "DH", "lead_days": 0, "cost_per_unit": 5},
            {"from": "W", "to": "PHC", "lead_days": 0, "cost_per_unit": 1},
        ],
    }
    sc = parse_scenario(doc)
    plan = solve(sc).as_dict()
    story = explain.story(sc, plan, "PHC")
    assert story.short == (1, 1, 1) and story.weighted_shortfall == 9
    assert story.routes[0].stock_left == (0, 0, 0)  # the one device went to the hospital
    unit = explain.next_unit(sc, plan, "PHC")
    assert (unit.outcome, unit.day, unit.gain, unit.loss) == ("priced", 0, 9, 30)
    assert unit.losers == (("DH", 30),) and unit.transport_paise == -400
    assert explain.next_unit(sc, plan, "DH").outcome == "covered"


def test_a_facility_no_route_reaches_in_time_is_unreachable() -> None:
    doc = {
        "horizon_days": 2,
        "warehouses": [{"id": "W", "district": "D", "on_hand": 5}],
        "facilities": [{"id": "F", "district": "D", "priority": 3, "requirement": 2}],
        "routes": [{"from": "W", "to": "F", "lead_days": 2, "cost_per_unit": 1}],
    }
    sc = parse_scenario(doc)
    plan = solve(sc).as_dict()
    assert explain.next_unit(sc, plan, "F").outcome == "unreachable"


def test_the_next_device_comes_on_the_first_day_one_more_can_arrive() -> None:
    """F's first short days are out of reach (it already gets all W1 has); by day 3 W2 could
    send it the device that the plan gives the hospital G."""
    doc = {
        "horizon_days": 5,
        "warehouses": [
            {"id": "W1", "district": "D", "on_hand": 1},
            {"id": "W2", "district": "D", "on_hand": 0, "arrivals": [{"day": 3, "quantity": 2}]},
        ],
        "facilities": [
            {"id": "F", "district": "D", "priority": 3, "requirement": 3},
            {"id": "G", "district": "D", "priority": 10, "requirement": [0, 0, 0, 1, 1]},
        ],
        "routes": [
            {"from": "W1", "to": "F", "lead_days": 1, "cost_per_unit": 1},
            {"from": "W2", "to": "F", "lead_days": 0, "cost_per_unit": 1},
            {"from": "W2", "to": "G", "lead_days": 0, "cost_per_unit": 1},
        ],
    }
    sc = parse_scenario(doc)
    plan = solve(sc).as_dict()
    unit = explain.next_unit(sc, plan, "F")
    assert (unit.outcome, unit.day, unit.gain, unit.loss) == ("priced", 3, 6, 20)
    assert unit.losers == (("G", 20),)
