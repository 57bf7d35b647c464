"""The scenario contract: what parses, and the message for each kind of bad input."""

from __future__ import annotations

import copy

import pytest

from oxychain.core.errors import InvalidInput
from oxychain.planning.domain.scenario import ScenarioError, parse_scenario


def base() -> dict:
    return {
        "name": "tiny",
        "horizon_days": 3,
        "warehouses": [
            {
                "id": "W-1",
                "district": "Lucknow",
                "on_hand": 5,
                "arrivals": [{"day": 1, "quantity": 2}],
                "dispatch_capacity": 4,
            },
            {"id": "W-2", "district": "Kanpur", "on_hand": 0},
        ],
        "facilities": [
            {
                "id": "F-1",
                "district": "Lucknow",
                "kind": "district_hospital",
                "priority": 10,
                "installed": 1,
                "requirement": [2, 3, 3],
            },
            {"id": "F-2", "district": "Kanpur", "kind": "home", "priority": 1, "requirement": 4},
        ],
        "routes": [
            {"from": "W-1", "to": "F-1", "lead_days": 1, "cost_per_unit": 35.07},
            {"from": "W-2", "to": "F-2", "lead_days": 0, "cost_per_unit": 12},
        ],
    }


def test_a_valid_scenario_parses_into_plain_values() -> None:
    scenario = parse_scenario(base())
    assert scenario.horizon_days == 3
    assert scenario.warehouses[0].arrivals[0].quantity == 2
    assert scenario.warehouses[1].dispatch_capacity is None
    assert scenario.facilities[1].requirement == (4, 4, 4)  # one number for every day
    assert scenario.facilities[1].installed == 0 and scenario.facilities[1].kind == "home"
    assert scenario.routes[0].cost_paise == 3507  # exact, not 3506.9999
    assert scenario.routes[1].cost_paise == 1200


def test_whole_numbers_may_be_written_as_floats() -> None:
    doc = base()
    doc["warehouses"][0]["on_hand"] = 5.0
    doc["facilities"][0]["requirement"] = [2.0, 3, 3]
    scenario = parse_scenario(doc)
    assert scenario.warehouses[0].on_hand == 5
    assert scenario.facilities[0].requirement == (2, 3, 3)


def _set(path: str, value: object):
    def change(doc: dict) -> None:
        *keys, last = path.split("/")
        target = doc
        for key in keys:
            target = target[int(key)] if key.isdigit() else target[key]
        if value is _DELETE:
            del target[last]
        else:
            target[int(last) if last.isdigit() else last] = value

    return change


_DELETE = object()

BAD = [
    ("unknown facility", _set("routes/1/to", "F-9"), 'routes[1].to: unknown facility "F-9"'),
    ("unknown warehouse", _set("routes/0/from", "W-9"), 'routes[0].from: unknown warehouse "W-9"'),
    ("negative stock", _set("warehouses/0/on_hand", -1), "warehouses[0].on_hand: must not be"),
    (
        "fractional arrival",
        _set("warehouses/0/arrivals/0/quantity", 1.5),
        "warehouses[0].arrivals[0].quantity: must be a whole number",
    ),
    (
        "fractional requirement",
        _set("facilities/0/requirement/2", 2.5),
        "facilities[0].requirement[2]: must be a whole number",
    ),
    (
        "negative requirement",
        _set("facilities/0/requirement/1", -3),
        "facilities[0].requirement[1]: must not be negative",
    ),
    (
        "short requirement",
        _set("facilities/0/requirement", [1, 2]),
        "facilities[0].requirement: has 2 entries, expected horizon_days = 3",
    ),
    (
        "duplicate warehouse",
        _set("warehouses/1/id", "W-1"),
        'warehouses[1].id: duplicate id "W-1" (also warehouses[0])',
    ),
    ("duplicate facility", _set("facilities/1/id", "F-1"), 'facilities[1].id: duplicate id "F-1"'),
    ("zero horizon", _set("horizon_days", 0), "horizon_days: must be at least 1"),
    (
        "arrival after horizon",
        _set("warehouses/0/arrivals/0/day", 3),
        "warehouses[0].arrivals[0].day: day 3 is outside the horizon 0..2",
    ),
    (
        "three decimals",
        _set("routes/0/cost_per_unit", 1.005),
        "routes[0].cost_per_unit: must have at most two decimals",
    ),
    ("negative cost", _set("routes/0/cost_per_unit", -1), "routes[0].cost_per_unit: must not be"),
    (
        "zero priority",
        _set("facilities/1/priority", 0),
        "facilities[1].priority: must be a positive",
    ),
    ("fractional priority", _set("facilities/1/priority", 2.5), "facilities[1].priority"),
    (
        "text number",
        _set("warehouses/0/on_hand", "5"),
        "warehouses[0].on_hand: must be a whole number, got a string",
    ),
    ("boolean number", _set("facilities/0/installed", True), "facilities[0].installed"),
    ("negative lead", _set("routes/0/lead_days", -1), "routes[0].lead_days: must not be"),
    ("list expected", _set("routes", {}), "routes: must be a list, got an object"),
    ("object expected", _set("facilities/0", 7), "facilities[0]: must be an object"),
    (
        "missing field",
        _set("warehouses/0/district", _DELETE),
        'warehouses[0]: missing field "district"',
    ),
    (
        "misspelt field",
        _set("warehouses/0/dispatch_capacty", 3),
        'warehouses[0]: unknown field "dispatch_capacty"',
    ),
    ("empty id", _set("facilities/0/id", " "), "facilities[0].id: must not be empty"),
    (
        "duplicate route",
        lambda d: d["routes"].append(dict(d["routes"][0])),
        'routes[2]: duplicate route "W-1" -> "F-1" (also routes[0])',
    ),
    ("not an object", lambda d: d.clear() or d.update({"x": 1}), "scenario: missing field"),
]


@pytest.mark.parametrize(
    ("change", "message"), [(c, m) for _, c, m in BAD], ids=[name for name, _, _ in BAD]
)
def test_bad_input_names_the_field_and_row(change, message: str) -> None:
    doc = copy.deepcopy(base())
    change(doc)
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(doc)
    assert message in str(caught.value)


def test_scenario_error_is_invalid_input_with_a_stable_code() -> None:
    doc = base()
    doc["routes"][1]["to"] = "F-9"
    with pytest.raises(InvalidInput) as caught:
        parse_scenario(doc)
    assert caught.value.code == "invalid_scenario"
    assert caught.value.params["field"] == "routes[1].to"


def test_a_document_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(ScenarioError, match="scenario: must be an object, got a list"):
        parse_scenario([])
