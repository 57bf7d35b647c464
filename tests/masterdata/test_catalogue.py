"""Item catalogue and spec limits (sources: DOMAIN.md, "The oxygen concentrator")."""

from __future__ import annotations

from decimal import Decimal

import pytest

from oxychain.core.errors import InvalidInput, NotFound
from oxychain.masterdata.domain.catalogue import (
    CATALOGUE,
    SRC_ACCEPTANCE,
    SRC_MOHFW,
    SRC_MOHFW_PURITY,
    SRC_PURITY,
    SRC_WHO_O2_FLOOR,
    SRC_WHO_UNICEF,
    SpecLimit,
    build_catalogue,
    flow_deviation_pct,
    item_by_code,
)

KNOWN_SOURCES = (
    SRC_WHO_UNICEF,
    SRC_PURITY,
    SRC_MOHFW_PURITY,
    SRC_WHO_O2_FLOOR,
    SRC_MOHFW,
    SRC_ACCEPTANCE,
)
FEATURES = {
    "alarm_low_o2",
    "alarm_no_flow",
    "alarm_power_failure",
    "alarm_low_battery",
    "alarm_over_temperature",
    "alarm_pressure",
    "o2_monitor",
    "hour_meter",
}


def test_catalogue_holds_5_and_10_lpm_concentrators():
    assert [(i.code, i.rated_flow_lpm) for i in CATALOGUE] == [("OC-5", 5), ("OC-10", 10)]
    assert item_by_code("oc-10").name == "Oxygen concentrator, 10 LPM"
    assert all(i.name_hi for i in CATALOGUE)


def test_unknown_item_is_not_found():
    with pytest.raises(NotFound) as caught:
        item_by_code("OC-7")
    assert caught.value.code == "item_not_found"
    assert caught.value.params == {"item": "OC-7"}


@pytest.mark.parametrize("item", CATALOGUE, ids=lambda i: i.code)
def test_every_limit_names_a_known_source_and_has_both_labels(item):
    keys = [limit.key for limit in item.limits]
    assert len(keys) == len(set(keys))
    for limit in item.limits:
        assert any(source in limit.source for source in KNOWN_SOURCES), limit.key
        assert limit.label and limit.label_hi, limit.key


def test_required_features_are_all_there():
    item = item_by_code("OC-5")
    assert {limit.key for limit in item.limits if limit.is_feature} == FEATURES
    assert item.limit("o2_monitor").source == SRC_MOHFW
    assert item.limit("hour_meter").source == SRC_MOHFW


def test_flow_accuracy_is_marked_unverified_and_configurable():
    item = item_by_code("OC-5")
    assert "UNVERIFIED" in item.limit("flow_deviation_pct").source
    assert "UNVERIFIED" in item.limit("flow_rated_lpm").source
    strict = build_catalogue(flow_accuracy_pct=5)[0]
    assert strict.limit("flow_rated_lpm").minimum == 4.75
    assert strict.limit("flow_deviation_pct").maximum == 5
    with pytest.raises(InvalidInput):
        build_catalogue(flow_accuracy_pct=0)


@pytest.mark.parametrize(
    ("code", "key", "value", "passes"),
    [
        # at least 90 % at each set flow, no upper cap (MoHFW/CDSCO advisory, May 2021)
        ("OC-5", "o2_purity_pct", 90, True),
        ("OC-5", "o2_purity_pct", 96.5, True),
        ("OC-5", "o2_purity_pct", 89.99, False),
        ("OC-10", "o2_purity_pct", 100, True),
        # alarm must sound below 82 %: a set point of 82 or above
        ("OC-5", "o2_alarm_set_point_pct", 82, True),
        ("OC-5", "o2_alarm_set_point_pct", 81.9, False),
        # 30-135 kPa, inclusive
        ("OC-5", "output_pressure_kpa", 30, True),
        ("OC-5", "output_pressure_kpa", 135, True),
        ("OC-5", "output_pressure_kpa", 29.9, False),
        ("OC-5", "output_pressure_kpa", 135.1, False),
        # ≤ 50 dBA, inclusive
        ("OC-5", "noise_dba", 50, True),
        ("OC-5", "noise_dba", 50.1, False),
        # < 70 W per LPM, strict
        ("OC-5", "power_w", 349.9, True),
        ("OC-5", "power_w", 350, False),
        ("OC-10", "power_w", 699.9, True),
        ("OC-10", "power_w", 700, False),
        # < 27 kg, strict
        ("OC-5", "weight_kg", 26.99, True),
        ("OC-5", "weight_kg", 27, False),
        # flow ± 10 % (unverified default)
        ("OC-5", "flow_rated_lpm", 4.5, True),
        ("OC-5", "flow_rated_lpm", 5.5, True),
        ("OC-5", "flow_rated_lpm", 4.49, False),
        ("OC-10", "flow_rated_lpm", 9, True),
        ("OC-10", "flow_rated_lpm", 11.01, False),
        ("OC-5", "flow_deviation_pct", -10, True),
        ("OC-5", "flow_deviation_pct", 10.01, False),
        # at least 5 minutes of warm-up
        ("OC-5", "warm_up_min", 5, True),
        ("OC-5", "warm_up_min", 4.9, False),
    ],
)
def test_judge_boundaries(code, key, value, passes):
    assert item_by_code(code).limit(key).judge(value) is passes


def test_judge_takes_decimals():
    assert item_by_code("OC-5").limit("noise_dba").judge(Decimal("50.0"))
    assert not item_by_code("OC-5").limit("noise_dba").judge(Decimal("50.01"))


@pytest.mark.parametrize("key", sorted(FEATURES))
def test_features_must_be_present(key):
    limit = item_by_code("OC-10").limit(key)
    assert limit.judge(True)
    assert not limit.judge(False)
    # None: the unit has no such part; passes only where the part is optional.
    assert limit.judge(None) is (key == "alarm_low_battery")


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("noise_dba", True),
        ("noise_dba", "45"),
        ("noise_dba", float("nan")),
        ("noise_dba", None),
        ("alarm_no_flow", 1),
        ("alarm_no_flow", "yes"),
    ],
)
def test_judge_refuses_values_of_the_wrong_type(key, value):
    with pytest.raises(InvalidInput) as caught:
        item_by_code("OC-5").limit(key).judge(value)
    assert caught.value.code == "reading_invalid"


def test_describe_says_strict_or_inclusive():
    item = item_by_code("OC-5")
    assert item.limit("o2_purity_pct").describe() == "≥ 90 %"
    assert item.limit("power_w").describe() == "< 350 W"
    assert item.limit("noise_dba").describe() == "≤ 50 dBA"
    assert item.limit("o2_alarm_set_point_pct").describe() == "≥ 82 %"
    assert item.limit("alarm_low_battery").describe() == "required if battery fitted"


def test_unknown_limit_is_not_found():
    with pytest.raises(NotFound):
        item_by_code("OC-5").limit("colour")


def test_a_limit_without_a_source_is_refused():
    with pytest.raises(ValueError, match="source"):
        SpecLimit("x", "X", "एक्स", "%", " ", minimum=1)
    with pytest.raises(ValueError, match="either"):
        SpecLimit("x", "X", "एक्स", "%", "somewhere", minimum=1, required=True)


def test_flow_deviation():
    assert flow_deviation_pct(5.5, 5) == pytest.approx(10)
    assert flow_deviation_pct(9, 10) == pytest.approx(-10)
    with pytest.raises(InvalidInput):
        flow_deviation_pct(1, 0)
