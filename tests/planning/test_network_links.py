"""Transfer links of a scenario from the data (planning/domain/network.py): the central
warehouse to every district, districts to neighbours within reach, links set by hand."""

from __future__ import annotations

import pytest

from oxychain.core.errors import InvalidInput
from oxychain.planning.domain import network
from oxychain.planning.domain.loads import Destination, loads

ROADS = network.Transport(rupees_per_km=1.0, km_per_day=300.0, road_factor=1.3)
LUCKNOW = network.Depot("W-C", "Lucknow", "central", 26.85, 80.95)
BARABANKI = network.Depot("W-BBK", "Barabanki", "district", 26.93, 81.19)
VARANASI = network.Depot("W-VNS", "Varanasi", "district", 25.32, 82.97)


def test_central_reaches_every_district_and_neighbours_each_other() -> None:
    links = network.transfers([LUCKNOW, BARABANKI, VARANASI], ROADS, network.Links(150))
    pairs = {(t["from"], t["to"]): t for t in links}
    # nothing goes back to the centre; Barabanki and Varanasi are too far apart
    assert set(pairs) == {("W-C", "W-BBK"), ("W-C", "W-VNS")}
    near = network.transfers([LUCKNOW, BARABANKI, VARANASI], ROADS, network.Links(400))
    assert ("W-BBK", "W-VNS") in {(t["from"], t["to"]) for t in near}
    far = pairs[("W-C", "W-VNS")]
    km = network.haversine_km(26.85, 80.95, 25.32, 82.97) * 1.3
    assert far["cost_per_unit"] == round(km, 2) and far["lead_days"] == 2  # ~345 road km


def test_links_set_by_hand_replace_or_drop_the_rule() -> None:
    own = network.Links(
        400, {"W-BBK>W-VNS": {"lead_days": 3, "cost_per_unit": 12.345}, "W-C>W-VNS": None}
    )
    links = {
        (t["from"], t["to"]): t
        for t in network.transfers([LUCKNOW, BARABANKI, VARANASI], ROADS, own)
    }
    assert ("W-C", "W-VNS") not in links
    assert (links[("W-BBK", "W-VNS")]["lead_days"], links[("W-BBK", "W-VNS")]["cost_per_unit"]) == (
        3,
        12.35,
    )
    with pytest.raises(InvalidInput):
        network.transfers([LUCKNOW], ROADS, network.Links(0, {"W-C>W-X": None}))


def test_transfers_become_warehouse_loads_numbered_with_home_pool_loads() -> None:
    made = loads(
        [("W-C", "HOME-BBK", 0, 3)],
        {"HOME-BBK": "W-BBK"},
        2,
        transfers=[("W-C", "W-BBK", 0, 3)],
    )
    assert [(x.to_kind, x.to_code, x.serves, x.quantity, x.truck) for x in made] == [
        (Destination.WAREHOUSE, "W-BBK", "HOME-BBK", 2, 1),
        (Destination.WAREHOUSE, "W-BBK", "HOME-BBK", 1, 2),
        (Destination.WAREHOUSE, "W-BBK", "W-BBK", 2, 3),
        (Destination.WAREHOUSE, "W-BBK", "W-BBK", 1, 4),
    ]
    assert len({x.key("PLAN-1") for x in made}) == 4  # one challan key per truck
