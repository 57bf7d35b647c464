"""Forecast daily new cases, then active cases and the concentrators they need.

Plain data in and out: a region's daily series (``cases.RegionSeries``) and a date in,
``ForecastPoint`` rows out. The models (domain/forecast_models.py) are chosen by name so
the choice is a setting; ``blend``, damped trends on log incidence from the 7-day average
and (robustly) from daily counts, had the lowest error in the backtest
(``bench/backtest_forecast.py``). Every band is an 80 % interval from the
model's own past errors at that lead and region size (domain/bands.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from oxychain.core.errors import InvalidInput
from oxychain.planning.domain import bands
from oxychain.planning.domain.cases import RegionSeries
from oxychain.planning.domain.forecast_models import PATHS

DEFAULT_MODEL = "blend"  # best in the backtest; the setting and the CLI's --model override it
MODELS = tuple(PATHS)
LEVELS = ("national", "state", "district")  # case_file.Level's values
MAX_HORIZON_DAYS = 42  # six weeks: beyond that a wave has turned and no curve fit means much
MAX_REPORTING_LAG_DAYS = 14  # older data than this says nothing about the days after as_of


@dataclass(frozen=True)
class ForecastPoint:
    """Daily new confirmed cases expected on ``date``, with an 80 % band."""

    date: date
    new_cases: float
    low: float
    high: float


def forecast(
    series: RegionSeries,
    as_of: date,
    horizon: int,
    model: str = DEFAULT_MODEL,
    level: str = "state",
) -> list[ForecastPoint]:
    """New cases for each of the ``horizon`` days after ``as_of``, from counts up to it;
    the band is calibrated for a region of ``level`` (national, state or district).

    Counts after ``as_of`` are cut off here, whatever the caller passes. Where the last
    count is a few days old the model forecasts across the gap and returns only the days
    after ``as_of``.
    """
    y, lag = _history(series, as_of, horizon, model, level)
    point = PATHS[model](y, lag + horizon)
    low, high = bands.band(model, level, y, point)
    return [
        ForecastPoint(as_of + timedelta(days=k + 1), float(p), float(lo), float(hi))
        for k, (p, lo, hi) in enumerate(zip(point[lag:], low[lag:], high[lag:], strict=True))
    ]


def point_path(series: RegionSeries, as_of: date, horizon: int, model: str) -> np.ndarray:
    """The model's expected new cases for the ``horizon`` days after the last count up to
    ``as_of`` (no band: what the band's calibration compares with the outcome)."""
    y, _lag = _history(series, as_of, horizon, model, "state")
    return PATHS[model](y, horizon)


def _history(
    series: RegionSeries, as_of: date, horizon: int, model: str, level: str
) -> tuple[np.ndarray, int]:
    if model not in PATHS:
        raise InvalidInput(f"unknown model '{model}'; choose one of {', '.join(PATHS)}")
    if level not in LEVELS:
        raise InvalidInput(f"unknown level '{level}'; choose one of {', '.join(LEVELS)}")
    if not 1 <= horizon <= MAX_HORIZON_DAYS:
        raise InvalidInput(f"horizon must be 1 to {MAX_HORIZON_DAYS} days, not {horizon}")
    known = series.until(as_of)
    if len(known.new_cases) == 0:
        raise InvalidInput(f"{series.region}: no counts on or before {as_of}")
    lag = (as_of - known.end).days
    if lag > MAX_REPORTING_LAG_DAYS:
        raise InvalidInput(
            f"{series.region}: last count is {known.end}, {lag} days before {as_of}; "
            f"a forecast needs counts from the last {MAX_REPORTING_LAG_DAYS} days"
        )
    return known.new_cases.astype(float), lag


# --- from cases to concentrators ---


def active_cases(new_cases: np.ndarray, infectious_days: int = 14) -> np.ndarray:
    """Active cases each day: the confirmed cases of the last ``infectious_days`` days.

    Default 14 days: WHO's criteria for release from isolation (27 May 2020) are 10 days
    after symptom onset plus at least 3 days without symptoms, so a case needs about two
    weeks of care. Pass enough history before the forecast: the first
    ``infectious_days - 1`` values count only the days given.
    """
    if infectious_days < 1:
        raise InvalidInput(f"infectious_days must be at least 1, not {infectious_days}")
    daily = np.asarray(new_cases, dtype=float)
    return np.convolve(daily, np.ones(infectious_days))[: len(daily)]


def requirement(
    active: np.ndarray | float,
    severe_share: float = 0.15,
    on_concentrator_share: float = 1.0,
    flow_lpm: float = 10.0,
    device_lpm: float = 5.0,
    uptime: float = 0.9,
) -> np.ndarray | float:
    """Concentrators needed for ``active`` cases (not rounded: round up per site).

    devices = active x severe share x share of severe patients on a concentrator
              x flow per patient / rated flow of a device / uptime.

    Defaults, from DOMAIN.md ("Demand in a surge"):
    - severe_share 0.15: early WHO figures (Ismail and Bansal, Indian J Pediatr); the 5 %
      critical need 30 LPM, beyond a concentrator, and are not counted here.
    - on_concentrator_share 1.0: every severe patient on a concentrator (worst case); lower
      it where piped or cylinder oxygen carries part of the load.
    - flow_lpm 10: WHO, severe patient (observed means are 3-5.6 LPM; DRDO plans 5).
    - device_lpm 5: India's May 2021 MoHFW advisory, at least 5 LPM continuous.
    - uptime 0.9: NHM Biomedical Equipment Maintenance Programme target at CHCs.
    """
    for name, share in (
        ("severe_share", severe_share),
        ("on_concentrator_share", on_concentrator_share),
    ):
        if not 0 <= share <= 1:
            raise InvalidInput(f"{name} must be between 0 and 1, not {share}")
    if not 0 < uptime <= 1:
        raise InvalidInput(f"uptime must be above 0 and at most 1, not {uptime}")
    if flow_lpm < 0 or device_lpm <= 0:
        raise InvalidInput("flow_lpm must be >= 0 and device_lpm > 0")
    patients = np.asarray(active, dtype=float) * severe_share * on_concentrator_share
    devices = patients * flow_lpm / device_lpm / uptime
    return float(devices) if np.ndim(devices) == 0 else devices
