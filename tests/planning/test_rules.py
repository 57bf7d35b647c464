"""Planning's rules: demand and its spread, the gap, population shares, the network, the
pipeline of supplies, truck loads and the planner's choices."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from oxychain.core.errors import Conflict, InvalidInput
from oxychain.planning.domain import demand, network, pipeline, regions
from oxychain.planning.domain.allocation import Shipment
from oxychain.planning.domain.forecasting import requirement
from oxychain.planning.domain.loads import loads
from oxychain.planning.domain.pipeline import Incoming, Lags, Supply
from oxychain.planning.domain.plan import (
    PLAN,
    Demand,
    ExtraArrival,
    PlanStatus,
    ScenarioChoice,
    WhatIf,
    choice_from_json,
    choice_to_json,
    plan_actions,
)
from oxychain.planning.domain.scenario import parse_scenario


def test_devices_needed_counts_the_cases_still_active_from_before_day_0() -> None:
    history = np.full(30, 100.0)
    path = np.full(5, 200.0)
    got = demand.devices_needed(history, path, Demand())
    # day 0: 13 days of 100 and one of 200 active
    assert got[0] == pytest.approx(requirement(13 * 100 + 200))
    assert got[4] == pytest.approx(requirement(9 * 100 + 5 * 200))
    # DOMAIN.md: 1,000 active → 150 severe → ×10 LPM ÷ 5 LPM ÷ 0.9 uptime ≈ 333.3 devices
    assert requirement(1000) == pytest.approx(1000 * 0.15 * 10 / 5 / 0.9)


def test_spread_by_beds_caps_at_beds_and_adds_up_to_the_district() -> None:
    beds = np.array([200, 30, 6, 6])
    devices = np.array([10.2, 100.0, 1000.0])
    split = demand.spread(devices, beds, home_share=0.3)
    assert split.total.tolist() == [11, 100, 1000]  # rounded up for the district
    assert (split.facilities <= beds[:, None]).all()
    assert split.facilities[:, 2].tolist() == [200, 30, 6, 6]  # every bed taken
    assert split.home[2] == 1000 - 242  # the rest is cared for at home
    assert split.home[1] == 30  # 30 % at home
    assert split.facilities[0, 1] > split.facilities[1, 1] > split.facilities[2, 1]


def test_a_district_without_beds_sends_everyone_home() -> None:
    split = demand.spread(np.array([3.5]), np.array([], dtype=int), 0.3)
    assert split.facilities.shape == (0, 1) and split.home.tolist() == [4]


def test_gap_is_requirement_less_installed_less_pipeline() -> None:
    got = demand.gap(np.array([[5, 8, 9], [1, 1, 0]]), np.array([2, 0]), np.array([1, 3]))
    assert got.tolist() == [[2, 5, 6], [-2, -2, -3]]


def test_doubling_path_doubles_from_last_weeks_level() -> None:
    path = demand.doubling_path(np.full(10, 70.0), 14, 7)
    assert path[6] == pytest.approx(140) and path[13] == pytest.approx(280)
    assert demand.doubling_path(np.full(7, 80.0), 7, -7)[6] == pytest.approx(40)


def test_population_shares_fill_post_census_districts_with_the_median() -> None:
    shares = regions.district_shares({"A": 100, "B": 300, "C": None})
    assert sum(shares.values()) == pytest.approx(1)
    assert shares["C"] == pytest.approx(200 / 600)
    assert regions.share(regions.Basis.DISTRICT, 0.1) == 1.0
    assert regions.share(regions.Basis.STATE, 0.1) == 0.1
    assert regions.share(regions.Basis.NATIONAL, 0.1) == pytest.approx(
        0.1 * 199_812_341 / 1_210_854_977
    )


TRANSPORT = network.Transport(rupees_per_km=1.0, km_per_day=300, road_factor=1.3)


def test_haversine_lucknow_to_agra() -> None:
    # HQ points of up_districts.csv; about 300 km as the crow flies
    km = network.haversine_km(26.8393, 80.9231, 27.1833, 78.0167)
    assert 285 < km < 300


def _network():  # noqa: ANN202
    depots = [
        network.Depot(
            "C",
            "Lucknow",
            "central",
            26.84,
            80.92,
            on_hand=10,
            arrivals=((2, 5), (99, 7)),
            dispatch_capacity=8,
        ),
        network.Depot("W-A", "Agra", "district", 27.18, 78.02, on_hand=3),
        network.Depot("W-L", "Lucknow", "district", 26.84, 80.92),
    ]
    sites = [
        network.Site("DH-A", "Agra", "district_hospital", 27.19, 78.0, 10, 1, (2, 3, 4)),
        network.Site("HOME-A", "Agra", "home", 27.18, 78.02, 1, 0, (1, 1, 1), "W-A"),
        network.Site("PHC-L", "Lucknow", "phc", 26.9, 80.9, 3, 0, (1, 1, 1)),
    ]
    return depots, sites


def test_routes_follow_the_districts_and_the_central_warehouse() -> None:
    depots, sites = _network()
    doc = network.document("test", 3, depots, sites, TRANSPORT)
    pairs = {(r["from"], r["to"]): r for r in doc["routes"]}
    assert set(pairs) == {
        ("W-A", "DH-A"),
        ("C", "DH-A"),
        ("W-A", "HOME-A"),
        ("C", "HOME-A"),
        ("W-L", "PHC-L"),
        ("C", "PHC-L"),
    }
    assert pairs[("W-A", "HOME-A")] == {
        "from": "W-A",
        "to": "HOME-A",
        "lead_days": 0,
        "cost_per_unit": 0.0,
    }
    assert pairs[("C", "DH-A")]["lead_days"] == 2  # ~375 road km at 300 km a day
    assert pairs[("W-A", "DH-A")]["lead_days"] == 1  # never the same day
    assert doc["warehouses"][0]["arrivals"] == [{"day": 2, "quantity": 5}]  # day 99 dropped
    parse_scenario(doc)  # the contract's own validation


def _lags() -> Lags:
    return Lags(supplier_days=3, inspection_days=7, reoffer_days=14, late_truck_days=2)


def test_supplies_are_expected_by_their_kind() -> None:
    start = date(2022, 1, 11)
    items = [
        Incoming("W", Supply.TRANSIT, 4, date(2022, 1, 12), "DC-1"),
        Incoming("W", Supply.TRANSIT, 2, date(2022, 1, 5), "DC-2"),  # past due: late
        Incoming("W", Supply.READY, 10, date(2022, 3, 1), "PO T1"),
        Incoming("W", Supply.OFFERED, 20, date(2022, 1, 9), "LOT-1"),
        Incoming("W", Supply.REJECTED, 30, date(2022, 1, 10), "LOT-2"),
        Incoming("W", Supply.DUE, 40, date(2022, 1, 12), "PO T2"),
        Incoming("W", Supply.DUE, 50, date(2022, 2, 20), "PO T3"),
    ]
    got = pipeline.schedule(items, start, _lags())
    expected = [
        date(2022, 1, 12),
        date(2022, 1, 13),
        date(2022, 1, 14),
        date(2022, 1, 21),
        date(2022, 2, 3),
        date(2022, 1, 21),
        date(2022, 2, 20),
    ]
    assert [i.expected for i in got] == expected
    assert [i.late for i in got] == [False, True, False, False, False, False, False]
    days = pipeline.by_day(got, start, 14)
    assert days == {"W": [(1, 4), (2, 2), (3, 10), (10, 60)]}


def test_a_what_if_scales_fails_and_delays_supplies() -> None:
    start = date(2022, 1, 11)
    items = pipeline.schedule(
        [
            Incoming("W", Supply.TRANSIT, 4, date(2022, 1, 12), "DC-1"),
            Incoming("W", Supply.READY, 10, start, "PO T1"),
            Incoming("W", Supply.DUE, 40, date(2022, 1, 12), "PO T2"),
        ],
        start,
        _lags(),
    )
    got = pipeline.apply(items, WhatIf(arrivals_pct=50, lot_failure_pct=25, late_days=3))
    assert [(i.kind, i.quantity, i.expected) for i in got] == [
        (Supply.TRANSIT, 4, date(2022, 1, 15)),
        (Supply.READY, 5, date(2022, 1, 14)),
        (Supply.DUE, 15, date(2022, 1, 21)),
    ]


def test_truck_loads_one_challan_per_truck_and_home_pools_stay_in_the_bank() -> None:
    shipments = [
        Shipment("C", "DH-A", 0, 120),
        Shipment("W-A", "HOME-A", 0, 9),
        Shipment("C", "HOME-A", 1, 7),
        Shipment("W-A", "DH-A", 1, 3),
    ]
    got = loads(shipments, {"HOME-A": "W-A"}, capacity=50)
    assert [
        (x.day, x.from_warehouse, x.to_kind, x.to_code, x.serves, x.quantity, x.truck) for x in got
    ] == [
        (0, "C", "facility", "DH-A", "DH-A", 50, 1),
        (0, "C", "facility", "DH-A", "DH-A", 50, 2),
        (0, "C", "facility", "DH-A", "DH-A", 20, 3),
        (1, "C", "warehouse", "W-A", "HOME-A", 7, 1),
        (1, "W-A", "facility", "DH-A", "DH-A", 3, 1),
    ]


def test_plan_status_moves_one_way() -> None:
    assert PLAN.move("proposed", "approve") is PlanStatus.APPROVED
    assert PLAN.move("approved", "replan") is PlanStatus.SUPERSEDED
    for current, action in (("approved", "approve"), ("superseded", "approve")):
        with pytest.raises(Conflict, match="cannot become"):
            PLAN.move(current, action)
    with pytest.raises(Conflict, match="cannot become"):
        PLAN.move("superseded", "replan")


def test_what_may_be_done_next_with_a_plan() -> None:
    assert plan_actions("proposed", "database") == {"approve", "replan", "whatif"}
    assert plan_actions("approved", "whatif") == {"replan", "whatif", "dispatch"}
    assert plan_actions("superseded", "database") == frozenset()
    assert plan_actions("proposed", "file") == {"approve"}  # an upload cannot be rebuilt
    assert plan_actions("approved", "file") == {"dispatch"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": "x"}, "name"),
        ({"horizon_days": 43}, "horizon_days"),
        ({"demand": Demand(severe_share=1.5)}, "severe_share"),
        ({"demand": Demand(uptime=0)}, "uptime"),
        ({"what_if": WhatIf(doubling_days=1)}, "doubling_days"),
        ({"what_if": WhatIf(lot_failure_pct=101)}, "lot_failure_pct"),
        ({"what_if": WhatIf(extra_arrivals=(ExtraArrival("W", 14, 5),))}, "extra_arrivals"),
    ],
)
def test_bad_choices_are_refused_naming_the_field(change: dict, field: str) -> None:
    base = dict(
        name="UP", forecast_as_of=date(2022, 1, 10), start=date(2022, 1, 11), horizon_days=14
    )
    with pytest.raises(InvalidInput) as err:
        ScenarioChoice(**{**base, **change}).check()
    assert err.value.params["field"] == field


def test_a_choice_reads_back_from_json() -> None:
    choice = ScenarioChoice(
        "UP  Omicron ",
        date(2022, 1, 10),
        date(2022, 1, 11),
        21,
        demand=Demand(severe_share=0.05),
        what_if=WhatIf(doubling_days=-10, extra_arrivals=(ExtraArrival("W", 3, 40),)),
    ).check()
    assert choice.name == "UP Omicron"
    assert choice_from_json(choice_to_json(choice)) == choice
