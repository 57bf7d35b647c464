"""The planner's forms as the domain's choices: a scenario, a what-if. Shares are typed
in per cent; a bad figure is refused naming its field, and nothing is built."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from oxychain.core.errors import InvalidInput
from oxychain.core.web.params import parse_day
from oxychain.planning.domain.plan import Band, Demand, ExtraArrival, ScenarioChoice, WhatIf

DEMAND_FIELDS = (  # form field, Demand attribute, per cent?
    ("severe_pct", "severe_share", True),
    ("on_concentrator_pct", "on_concentrator_share", True),
    ("flow_lpm", "flow_lpm", False),
    ("device_lpm", "device_lpm", False),
    ("uptime_pct", "uptime", True),
    ("home_pct", "home_share", True),
)


def number(form: dict, name: str, *, default: float | None = None) -> float | None:
    text = str(form.get(name, "") or "").strip().replace(",", "")
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        raise InvalidInput("{field} must be a number.", field=name) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise InvalidInput("{field} must be a number.", field=name)
    return value


def whole(form: dict, name: str, *, default: int | None = None) -> int | None:
    value = number(form, name, default=None)
    if value is None:
        return default
    if value != int(value):
        raise InvalidInput("{field} must be a whole number.", field=name)
    return int(value)


def day(form: dict, name: str) -> date:
    text = str(form.get(name, "") or "").strip()
    try:
        return parse_day(text)
    except ValueError:
        raise InvalidInput("{field} must be a date (YYYY-MM-DD).", field=name) from None


def demand_form(demand: Demand) -> dict:
    """A Demand as the form shows it (shares in per cent)."""
    out = {}
    for name, attr, pct in DEMAND_FIELDS:
        value = getattr(demand, attr)
        out[name] = round(value * 100, 2) if pct else value
    return out


def demand_of(form: dict, base: Demand) -> Demand:
    changes = {}
    for name, attr, pct in DEMAND_FIELDS:
        value = number(form, name)
        if value is not None:
            changes[attr] = value / 100 if pct else value
    return replace(base, **changes)


def scenario_choice(form: dict, base: Demand, start: date) -> ScenarioChoice:
    """The build form: name, forecast date, horizon, band and the demand parameters."""
    band = str(form.get("band") or Band.CENTRAL)
    if band not in {b.value for b in Band}:
        raise InvalidInput("Choose the forecast, or an edge of its band.", field="band")
    return ScenarioChoice(
        name=str(form.get("name", "")),
        forecast_as_of=day(form, "forecast_as_of"),
        start=start,
        horizon_days=whole(form, "horizon_days", default=14),
        band=Band(band),
        demand=demand_of(form, base),
        min_fill_pct=whole(form, "min_fill_pct"),
        home_fill_pct=whole(form, "home_fill_pct"),
    ).check()


def what_if_choice(form: dict, base: ScenarioChoice) -> ScenarioChoice:
    """The what-if form over a base scenario: growth, severity, arrivals, lot failures,
    late trucks and an extra arrival."""
    extras = ()
    warehouse = str(form.get("extra_warehouse", "") or "").strip()
    if warehouse:
        extras = (
            ExtraArrival(
                warehouse,
                whole(form, "extra_day", default=0),
                whole(form, "extra_quantity", default=0),
            ),
        )
    doubling = number(form, "doubling_days")
    what_if = WhatIf(
        doubling_days=doubling if doubling else None,
        arrivals_pct=whole(form, "arrivals_pct", default=100),
        lot_failure_pct=whole(form, "lot_failure_pct", default=0),
        late_days=whole(form, "late_days", default=0),
        extra_arrivals=extras,
    )
    name = str(form.get("name", "") or "").strip() or base.name
    return replace(base, name=name, demand=demand_of(form, base.demand), what_if=what_if).check()
