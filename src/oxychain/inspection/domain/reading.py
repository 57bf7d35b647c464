"""The acceptance test of one concentrator, and the judgement of each reading.

Source: DOMAIN.md, "Acceptance test of one unit" (manufacturers' manuals, WHO-UNICEF
device list): run at least 5 minutes, then at rated flow and at each set flow measure
purity with a calibrated analyser, flow accuracy, output pressure, noise; trigger each
alarm (power loss, low O2, no flow); read the hour meter; electrical safety. A unit fails
if any reading is outside its limit or any alarm does not sound.

Every reading is judged against the item's limits (``domain.catalogue``), as entered.
The warm-up is a precondition, not a reading: a unit read before 5 minutes of running
is not failed, its record is refused (the readings would not mean anything).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Protocol

from oxychain.core.errors import InvalidInput
from oxychain.masterdata.domain.catalogue import SRC_ACCEPTANCE, Item, SpecLimit, flow_deviation_pct

#: Electrical safety is a pass/fail test of the acceptance test (DOMAIN.md); its
#: thresholds (IEC 60601-1 leakage and earth continuity) are the test house's, not ours.
ELECTRICAL_SAFETY = SpecLimit(
    "electrical_safety",
    "Electrical safety test",
    "विद्युत सुरक्षा परीक्षण",
    "",
    SRC_ACCEPTANCE + "; IEC 60601-1 test set",
    required=True,
)

#: The alarms the acceptance test triggers (DOMAIN.md): power loss, low O2, no flow.
TESTED_ALARMS = ("alarm_power_failure", "alarm_low_o2", "alarm_no_flow")

#: What the hour-meter field holds when the meter is missing or does not count.
HOUR_METER_ABSENT = "absent"
_ABSENT_WORDS = {HOUR_METER_ABSENT, "missing", "none", "-", "अनुपस्थित", "नहीं"}

MAX_NUMBER = Decimal("100000")


class PointKind(StrEnum):
    NUMBER = "number"  # a measured value judged against a numeric limit
    FLOW = "flow"  # measured flow (LPM) judged as % deviation from the set flow
    ALARM = "alarm"  # sounded (True) or not (False)
    HOUR_METER = "hour_meter"  # hours shown, or HOUR_METER_ABSENT
    CHECK = "check"  # a pass/fail test (electrical safety)


@dataclass(frozen=True)
class TestPoint:
    """One line of the acceptance test form."""

    key: str  # unique in the test: "o2_purity_pct@5", "noise_dba"
    limit: SpecLimit
    kind: PointKind
    set_flow_lpm: int | None = None

    @property
    def input_unit(self) -> str:
        return {"flow": "LPM", "hour_meter": "h"}.get(self.kind.value, self.limit.unit)

    @property
    def parameter(self) -> str:
        return self.limit.key


@dataclass(frozen=True)
class Reading:
    """A judged reading: the value as entered and whether it is within its limit."""

    point: str
    parameter: str
    set_flow_lpm: int | None
    value: Decimal | None  # numbers (flow: the measured LPM; hour meter: hours)
    observed: bool | None  # alarms and checks; the hour meter: present and counting
    passed: bool

    def as_dict(self) -> dict:
        return {
            "point": self.point,
            "value": None if self.value is None else str(self.value),
            "observed": self.observed,
            "passed": self.passed,
        }


@dataclass(frozen=True)
class UnitTest:
    """All readings of one sampled unit, judged."""

    warm_up_min: Decimal
    readings: tuple[Reading, ...]

    @property
    def passed(self) -> bool:
        return all(r.passed for r in self.readings)

    @property
    def failures(self) -> tuple[str, ...]:
        return tuple(r.point for r in self.readings if not r.passed)


def set_flows(rated_flow_lpm: int) -> tuple[int, ...]:
    """The set flows at which purity and flow are read: 1 LPM, half the rated flow, rated."""
    flows = sorted({1, (rated_flow_lpm + 1) // 2, rated_flow_lpm})
    return tuple(f for f in flows if f >= 1)


def acceptance_test(item: Item) -> tuple[TestPoint, ...]:
    """The points of the acceptance test of one unit of ``item``, in the order of the form."""
    points: list[TestPoint] = []
    for flow in set_flows(item.rated_flow_lpm):
        purity, accuracy = item.limit("o2_purity_pct"), item.limit("flow_deviation_pct")
        points.append(TestPoint(f"o2_purity_pct@{flow}", purity, PointKind.NUMBER, flow))
        points.append(TestPoint(f"flow_lpm@{flow}", accuracy, PointKind.FLOW, flow))
    points += [
        TestPoint("output_pressure_kpa", item.limit("output_pressure_kpa"), PointKind.NUMBER),
        TestPoint("noise_dba", item.limit("noise_dba"), PointKind.NUMBER),
        *(TestPoint(key, item.limit(key), PointKind.ALARM) for key in TESTED_ALARMS),
        TestPoint("hour_meter", item.limit("hour_meter"), PointKind.HOUR_METER),
        TestPoint("electrical_safety", ELECTRICAL_SAFETY, PointKind.CHECK),
    ]
    return tuple(points)


def point_by_key(points: tuple[TestPoint, ...], key: str) -> TestPoint:
    for point in points:
        if point.key == key:
            return point
    raise InvalidInput("Unknown reading {point}.", point=key)


def parse_number(text: object, label: str, label_hi: str = "") -> Decimal:
    """A decimal number as typed ("93.5"; a comma as decimal mark is read too)."""
    raw = str(text if text is not None else "").strip().replace(",", ".")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or abs(value) > MAX_NUMBER:
        raise InvalidInput(
            "{label}: enter a number (got {value}).",
            label=label,
            label_hi=label_hi or label,
            value=raw or "—",
        )
    return value


def parse_observed(text: object, label: str, label_hi: str = "") -> bool:
    """Yes/no as a form sends it: "yes"/"no", "pass"/"fail", "true"/"false", a bool."""
    if isinstance(text, bool):
        return text
    raw = str(text if text is not None else "").strip().casefold()
    if raw in ("yes", "pass", "true", "1", "sounded", "हाँ"):
        return True
    if raw in ("no", "fail", "false", "0", "silent", "नहीं"):
        return False
    raise InvalidInput("{label}: choose yes or no.", label=label, label_hi=label_hi or label)


def judge(point: TestPoint, raw: object) -> Reading:
    """One reading as entered, judged against its limit."""
    label, label_hi = point.limit.label, point.limit.label_hi
    value: Decimal | None = None
    observed: bool | None = None
    if point.kind in (PointKind.ALARM, PointKind.CHECK):
        observed = parse_observed(raw, label, label_hi)
        passed = point.limit.judge(observed)
    elif point.kind is PointKind.HOUR_METER:
        if str(raw).strip().casefold() in _ABSENT_WORDS:
            observed = False
        else:
            value = parse_number(raw, label, label_hi)
            if value < 0:
                raise InvalidInput(
                    "{label}: hours cannot be negative.", label=label, label_hi=label_hi
                )
            observed = True
        passed = point.limit.judge(observed)
    elif point.kind is PointKind.FLOW:
        value = parse_number(raw, label, label_hi)
        if value < 0:
            raise InvalidInput("{label}: flow cannot be negative.", label=label, label_hi=label_hi)
        deviation = flow_deviation_pct(float(value), float(point.set_flow_lpm or 0))
        passed = point.limit.judge(round(deviation, 6))
    else:
        value = parse_number(raw, label, label_hi)
        passed = point.limit.judge(value)
    return Reading(point.key, point.parameter, point.set_flow_lpm, value, observed, passed)


def check_warm_up(item: Item, raw: object) -> Decimal:
    """Minutes the unit ran before the readings; at least the item's warm-up limit (5)."""
    limit = item.limit("warm_up_min")
    minutes = parse_number(raw, limit.label, limit.label_hi)
    if not limit.judge(minutes):
        minimum = format(limit.minimum, "g")
        raise InvalidInput(
            "Run the unit at least {minutes} minutes before reading it (warm-up).",
            minutes=minimum,
        )
    return minutes


WARM_UP = "warm_up_min"  # the form's field for the warm-up, beside the test points


def judge_field(item: Item, key: str, raw: object) -> Reading:
    """One field of the test form judged as it is typed: the warm-up (a precondition,
    shown as a passed reading when it is long enough) or a test point."""
    if key == WARM_UP:
        return Reading(key, key, None, check_warm_up(item, raw), None, True)
    return judge(point_by_key(acceptance_test(item), key), raw)


def judge_unit(item: Item, warm_up: object, raw: Mapping[str, object]) -> UnitTest:
    """Every point of the acceptance test judged; a missing or unknown point is refused."""
    minutes = check_warm_up(item, warm_up)
    points = acceptance_test(item)
    known = {p.key for p in points}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise InvalidInput("Unknown reading {point}.", point=", ".join(unknown))
    missing = [p.key for p in points if str(raw.get(p.key, "")).strip() == ""]
    if missing:
        raise InvalidInput("Readings missing: {points}.", points=", ".join(missing))
    return UnitTest(minutes, tuple(judge(p, raw[p.key]) for p in points))


class Stored(Protocol):
    """A reading as stored (a row of ``readings``)."""

    point: str
    value: Decimal | None
    observed: bool | None


def values_of(stored: Iterable[Stored]) -> dict[str, object]:
    """Stored readings back into the values a person types (to correct a unit's readings,
    or to copy one unit's readings to the next, where each is judged again)."""
    values: dict[str, object] = {}
    for r in stored:
        if r.value is not None:
            values[r.point] = str(r.value)
        elif r.point == "hour_meter":
            values[r.point] = HOUR_METER_ABSENT
        else:
            values[r.point] = "yes" if r.observed else "no"
    return values


def describe(point: TestPoint) -> str:
    """The limit as the inspector reads it, in the unit they type: "0.9–1.1 LPM", "≤ 50 dBA"."""
    if point.kind is PointKind.FLOW and point.set_flow_lpm:
        low, high = point.limit.minimum or 0, point.limit.maximum or 0
        flow = point.set_flow_lpm
        return f"{flow * (100 + low) / 100:g}–{flow * (100 + high) / 100:g} LPM"
    if point.kind is PointKind.ALARM:
        return "must sound"
    if point.kind in (PointKind.HOUR_METER, PointKind.CHECK):
        return "required"
    return point.limit.describe()
