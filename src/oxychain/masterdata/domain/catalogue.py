"""The item catalogue: oxygen concentrators and the limits a unit is judged against.

Every limit carries the public source it comes from (see DOMAIN.md, "The oxygen
concentrator"). The standard behind these specifications is ISO 80601-2-69; its
numeric clauses are not reproduced here because they were not verified.

Where a fact is unverified (flow accuracy ± 10 %), the value is a parameter of
:func:`build_catalogue` with that default, so the settings object can override it; the
limit's ``source`` says it is unverified.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from numbers import Real

from oxychain.core.errors import InvalidInput, NotFound

# Short citations, one per public source (DOMAIN.md's table).
SRC_WHO_UNICEF = "WHO-UNICEF technical specifications via PATH (2020)"
SRC_PURITY = "WHO PSA specification (2020); " + SRC_WHO_UNICEF
SRC_MOHFW_PURITY = "MoHFW/CDSCO advisory on oxygen concentrators (May 2021)"
SRC_PURITY_FLOOR = f"{SRC_MOHFW_PURITY}: at least 90 % at each set flow; {SRC_PURITY}"
SRC_WHO_O2_FLOOR = 'WHO "Oxygen sources and distribution" (2020)'
SRC_MOHFW = "MoHFW advisory on oxygen concentrators (May 2021)"
SRC_ACCEPTANCE = "Manufacturers' manuals; WHO-UNICEF device list (acceptance test)"
SRC_FLOW_ACCURACY = "UNVERIFIED default, a setting (flow accuracy); " + SRC_ACCEPTANCE

#: Flow accuracy: measured flow within ± this % of the set flow. Unverified (DOMAIN.md
#: gives no source); a setting's default, not a rule.
DEFAULT_FLOW_ACCURACY_PCT = 10.0

#: Power budget per LPM of rated flow, strict ("< 70 W per LPM"). PATH / WHO-UNICEF.
POWER_W_PER_LPM = 70

RATED_FLOWS_LPM = (5, 10)


@dataclass(frozen=True, slots=True)
class SpecLimit:
    """One limit of an item's specification.

    A numeric limit has ``minimum`` and/or ``maximum``, each inclusive or strict as the
    source words it ("≤ 50 dBA" inclusive, "< 27 kg" strict, "30-135 kPa" inclusive).
    A feature limit (an alarm, a monitor) has ``required=True`` and no bounds;
    ``only_if`` names the part it depends on ("battery": the low-battery alarm is
    required only where the unit has a battery).
    """

    key: str
    label: str
    label_hi: str
    unit: str
    source: str
    minimum: float | None = None
    maximum: float | None = None
    min_inclusive: bool = True
    max_inclusive: bool = True
    required: bool | None = None
    only_if: str | None = None

    def __post_init__(self) -> None:
        numeric = self.minimum is not None or self.maximum is not None
        if numeric == (self.required is not None):
            raise ValueError(f"{self.key}: a limit is either numeric or a required feature")
        if not self.source.strip():
            raise ValueError(f"{self.key}: every limit names its source")

    @property
    def is_feature(self) -> bool:
        return self.required is not None

    def judge(self, value: float | int | Decimal | bool | None) -> bool:
        """True when ``value`` is within this limit.

        Numeric limits take a number (a bool or NaN is refused as InvalidInput).
        Feature limits take True (present and working) or False; ``None`` means "the
        unit has no such part", which passes only a conditional (``only_if``) limit.
        """
        if self.is_feature:
            if value is None:
                return self.only_if is not None
            if not isinstance(value, bool):
                raise self._bad(value)
            return value or not self.required
        if isinstance(value, bool) or not isinstance(value, Real | Decimal):
            raise self._bad(value)
        if isinstance(value, float) and math.isnan(value):
            raise self._bad(value)
        if self.minimum is not None and (
            value < self.minimum if self.min_inclusive else value <= self.minimum
        ):
            return False
        return not (
            self.maximum is not None
            and (value > self.maximum if self.max_inclusive else value >= self.maximum)
        )

    def describe(self) -> str:
        """The limit as a person reads it: "≥ 90 %", "< 350 W", "required"."""
        if self.is_feature:
            return "required" if self.only_if is None else f"required if {self.only_if} fitted"
        unit = f" {self.unit}" if self.unit else ""
        low, high = _number(self.minimum), _number(self.maximum)
        if self.minimum is not None and self.maximum is not None:
            if self.min_inclusive and self.max_inclusive:
                return f"{low}–{high}{unit}"
            left = "≥" if self.min_inclusive else ">"
            right = "≤" if self.max_inclusive else "<"
            return f"{left} {low} and {right} {high}{unit}"
        if self.minimum is not None:
            return f"{'≥' if self.min_inclusive else '>'} {low}{unit}"
        return f"{'≤' if self.max_inclusive else '<'} {high}{unit}"

    def _bad(self, value: object) -> InvalidInput:
        expected = "true or false" if self.is_feature else "a number"
        return InvalidInput(
            f"{self.label}: expected {expected}, got {value!r}",
            code="reading_invalid",
            parameter=self.key,
        )


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


@dataclass(frozen=True, slots=True)
class Item:
    """A catalogue item (a concentrator model class) with its specification."""

    code: str
    name: str
    name_hi: str
    rated_flow_lpm: int
    limits: tuple[SpecLimit, ...]

    def limit(self, key: str) -> SpecLimit:
        for limit in self.limits:
            if limit.key == key:
                return limit
        raise NotFound(
            f"Item {self.code} has no limit {key!r}",
            code="limit_not_found",
            item=self.code,
            key=key,
        )


def flow_deviation_pct(measured_lpm: float, set_lpm: float) -> float:
    """Deviation of measured from set flow, in % of the set flow (for ``flow_deviation_pct``)."""
    if set_lpm <= 0:
        raise InvalidInput("Set flow must be above zero", code="reading_invalid", set_lpm=set_lpm)
    return (measured_lpm - set_lpm) / set_lpm * 100


def _feature(key: str, label: str, label_hi: str, source: str, only_if: str | None = None):
    return SpecLimit(key, label, label_hi, "", source, required=True, only_if=only_if)


def concentrator_limits(
    rated_flow_lpm: int, *, flow_accuracy_pct: float = DEFAULT_FLOW_ACCURACY_PCT
) -> tuple[SpecLimit, ...]:
    """The limits of a concentrator of this rated flow, each with its source."""
    if flow_accuracy_pct <= 0 or flow_accuracy_pct >= 100:
        raise InvalidInput(
            "Flow accuracy must be between 0 and 100 %",
            code="setting_invalid",
            flow_accuracy_pct=flow_accuracy_pct,
        )
    low_flow = round(rated_flow_lpm * (100 - flow_accuracy_pct) / 100, 6)
    high_flow = round(rated_flow_lpm * (100 + flow_accuracy_pct) / 100, 6)
    return (
        # At least 90 % O2 at each set flow (MoHFW/CDSCO advisory, May 2021). "Oxygen 93"
        # (93 % ± 3) describes typical output, it is no upper limit: 96.5 % passes. An item
        # whose own specification caps purity sets ``maximum`` here.
        SpecLimit("o2_purity_pct", "O2 purity", "ऑक्सीजन शुद्धता", "%", SRC_PURITY_FLOOR, minimum=90),
        # Alarm must sound whenever purity falls below 82 %, WHO's floor for concentrator
        # oxygen: a set point of 82 % or higher passes, a lower one does not.
        SpecLimit(
            "o2_alarm_set_point_pct",
            "Low-O2 alarm set point (sounds below it)",
            "कम ऑक्सीजन अलार्म का सेट पॉइंट (इससे नीचे बजे)",
            "%",
            SRC_WHO_O2_FLOOR,
            minimum=82,
        ),
        # Flow at the rated setting; MoHFW asks at least 5 LPM continuous for home care.
        SpecLimit(
            "flow_rated_lpm",
            "Flow at rated setting",
            "रेटेड सेटिंग पर प्रवाह",
            "LPM",
            f"{SRC_MOHFW} (rated flow); tolerance: {SRC_FLOW_ACCURACY}",
            low_flow,
            high_flow,
        ),
        SpecLimit(
            "flow_deviation_pct",
            "Flow accuracy (deviation from set flow)",
            "प्रवाह की सटीकता (सेट प्रवाह से विचलन)",
            "%",
            SRC_FLOW_ACCURACY,
            -flow_accuracy_pct,
            flow_accuracy_pct,
        ),
        SpecLimit(
            "output_pressure_kpa", "Output pressure", "आउटपुट दबाव", "kPa", SRC_WHO_UNICEF, 30, 135
        ),
        SpecLimit("noise_dba", "Noise", "शोर", "dBA", SRC_WHO_UNICEF, maximum=50),
        SpecLimit(
            "power_w",
            "Power consumption",
            "बिजली की खपत",
            "W",
            f"{SRC_WHO_UNICEF}: < {POWER_W_PER_LPM} W per LPM of rated flow",
            maximum=POWER_W_PER_LPM * rated_flow_lpm,
            max_inclusive=False,
        ),
        SpecLimit(
            "weight_kg", "Weight", "वज़न", "kg", SRC_WHO_UNICEF, maximum=27, max_inclusive=False
        ),
        _feature(
            "alarm_low_o2", "Low O2 alarm (< 82 %)", "कम ऑक्सीजन अलार्म (< 82 %)", SRC_WHO_UNICEF
        ),
        _feature("alarm_no_flow", "No-flow alarm", "प्रवाह न होने का अलार्म", SRC_WHO_UNICEF),
        _feature(
            "alarm_power_failure", "Power failure alarm", "बिजली गुल होने का अलार्म", SRC_WHO_UNICEF
        ),
        _feature(
            "alarm_low_battery",
            "Low battery alarm",
            "कम बैटरी का अलार्म",
            SRC_WHO_UNICEF,
            only_if="battery",
        ),
        _feature(
            "alarm_over_temperature",
            "Over-temperature alarm",
            "अधिक तापमान का अलार्म",
            SRC_WHO_UNICEF,
        ),
        _feature(
            "alarm_pressure", "High/low pressure alarm", "उच्च/निम्न दबाव का अलार्म", SRC_WHO_UNICEF
        ),
        _feature("o2_monitor", "O2 concentration monitor", "ऑक्सीजन सांद्रता मॉनिटर", SRC_MOHFW),
        _feature("hour_meter", "Hour meter", "आवर मीटर (घंटा मीटर)", SRC_MOHFW),
        # The unit must run at least 5 minutes before purity and flow are read.
        SpecLimit(
            "warm_up_min",
            "Warm-up before readings",
            "रीडिंग से पहले वार्म-अप",
            "min",
            SRC_ACCEPTANCE,
            minimum=5,
        ),
    )


def build_item(
    rated_flow_lpm: int, *, flow_accuracy_pct: float = DEFAULT_FLOW_ACCURACY_PCT
) -> Item:
    """The concentrator item "OC-<rated flow>"; 5 and 10 LPM are the models in use (MoHFW)."""
    return Item(
        code=f"OC-{rated_flow_lpm}",
        name=f"Oxygen concentrator, {rated_flow_lpm} LPM",
        name_hi=f"ऑक्सीजन कॉन्सन्ट्रेटर, {rated_flow_lpm} लीटर प्रति मिनट",
        rated_flow_lpm=rated_flow_lpm,
        limits=concentrator_limits(rated_flow_lpm, flow_accuracy_pct=flow_accuracy_pct),
    )


def build_catalogue(*, flow_accuracy_pct: float = DEFAULT_FLOW_ACCURACY_PCT) -> tuple[Item, ...]:
    """The catalogue with a given flow accuracy (the settings object passes its value)."""
    return tuple(build_item(f, flow_accuracy_pct=flow_accuracy_pct) for f in RATED_FLOWS_LPM)


CATALOGUE: tuple[Item, ...] = build_catalogue()


def item_by_code(code: str, catalogue: tuple[Item, ...] = CATALOGUE) -> Item:
    """The item with this code ("OC-5"), case-insensitive; NotFound otherwise."""
    wanted = code.strip().upper()
    for item in catalogue:
        if item.code == wanted:
            return item
    raise NotFound(f"No catalogue item with code {code!r}", code="item_not_found", item=code)
