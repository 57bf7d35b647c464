"""Forecast daily new cases, then active cases and the concentrators they need.

Plain data in and out: a region's daily series (``cases.RegionSeries``) and a date in,
``ForecastPoint`` rows out. Three models, chosen by name so the choice is a setting:

* ``naive``: last week's level carried forward (the baseline every model must beat).
* ``growth``: log-linear fit to the last 14 days of the 7-day average, extrapolated.
* ``holt`` (default): exponential smoothing with a damped trend on the log of the 7-day
  average, times weekday factors. Lowest error in the backtest (``bench/backtest_forecast.py``)
  on every wave, 7 and 14 days ahead (MAE 0.43-0.92 of naive's): a damped trend follows a
  surge without extrapolating it for weeks, as ``growth`` does (2-11 x naive's in Omicron).

Every band is an 80 % interval (10th to 90th percentile).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from oxychain.core.errors import InvalidInput
from oxychain.planning.domain.cases import RegionSeries

DEFAULT_MODEL = "holt"  # best in the backtest; the CLI's --model overrides it
MAX_HORIZON_DAYS = 42  # six weeks: beyond that a wave has turned and no curve fit means much
MAX_REPORTING_LAG_DAYS = 14  # older data than this says nothing about the days after as_of
MIN_HISTORY_DAYS = 28  # shorter series get the naive forecast: too little to fit a trend
MAX_DAILY_CASES = 1e9  # most of India's population: keeps an explosive fit finite

GROWTH_WINDOW_DAYS = 14
GROWTH_T90 = 1.356  # Student t, 90th percentile, 12 degrees of freedom (14 points, 2 fitted)

HOLT_DAMPING = 0.9  # backtest, national: 0.85 and 0.95 did worse (0.95 overshot Omicron)
HOLT_WINDOW_DAYS = 56  # 8 weeks; 4 to 12 weeks scored within 2 % of each other
_HOLT_GRID = np.linspace(0.05, 0.95, 19)  # smoothing weights searched for alpha and beta
WEEKDAY_WEEKS = 4  # weeks of reports behind the weekday factors

# Band of naive and holt: their own errors at the same lead from the last BAND_ORIGINS
# days, on a log scale, never narrower than BAND_FLOOR + BAND_FLOOR_PER_DAY * lead. Recent
# errors alone covered about 60 % in the backtest (a quiet month says little about the
# next surge). The floor was tuned on that same backtest (national and five states) to
# cover about 83 % overall; surges still get less (Delta 0.8, Omicron 0.4-0.6).
BAND_ORIGINS = 28
BAND_FLOOR = 0.08
BAND_FLOOR_PER_DAY = 0.03


@dataclass(frozen=True)
class ForecastPoint:
    """Daily new confirmed cases expected on ``date``, with an 80 % band."""

    date: date
    new_cases: float
    low: float
    high: float


Forecaster = Callable[[np.ndarray, int], tuple[np.ndarray, np.ndarray, np.ndarray]]


def forecast(
    series: RegionSeries, as_of: date, horizon: int, model: str = DEFAULT_MODEL
) -> list[ForecastPoint]:
    """New cases for each of the ``horizon`` days after ``as_of``, from counts up to it.

    Counts after ``as_of`` are cut off here, whatever the caller passes. Where the last
    count is a few days old the model forecasts across the gap and returns only the days
    after ``as_of``.
    """
    if model not in MODELS:
        raise InvalidInput(f"unknown model '{model}'; choose one of {', '.join(MODELS)}")
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
    point, low, high = MODELS[model](known.new_cases.astype(float), lag + horizon)
    return [
        ForecastPoint(as_of + timedelta(days=k + 1), float(p), float(lo), float(hi))
        for k, (p, lo, hi) in enumerate(zip(point[lag:], low[lag:], high[lag:], strict=True))
    ]


# --- models: history of daily new cases (oldest first) and a horizon in, arrays out ---


def _naive_path(y: np.ndarray, h: int) -> np.ndarray:
    return np.full(h, y[-7:].mean())


def _holt_path(y: np.ndarray, h: int) -> np.ndarray:
    if len(y) < MIN_HISTORY_DAYS:
        return _naive_path(y, h)
    x = np.log1p(_trailing_mean(y)[-HOLT_WINDOW_DAYS:])
    level, trend = _holt_fit(x, HOLT_DAMPING)
    # The last 7-day average is centred 3 days back, so day k ahead is k + 3 steps on.
    damped_steps = np.cumsum(HOLT_DAMPING ** np.arange(1, h + 4))[3:]
    return _expm1_capped(level + trend * damped_steps) * _weekday_factors(y, h)


def _naive(y: np.ndarray, h: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean of the last 7 days, flat."""
    point = _naive_path(y, h)
    return (point, *_error_band(_naive_path, y, point))


def _holt(y: np.ndarray, h: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Damped-trend exponential smoothing of log incidence, with weekday factors.

    Holt's linear method with a damped trend (Gardner and McKenzie 1985) on
    log(1 + 7-day average) over the last 8 weeks; the smoothing weights minimise the
    one-step squared error over that window (grid search, so no optimiser is needed).
    """
    point = _holt_path(y, h)
    return (point, *_error_band(_holt_path, y, point))


def _growth(y: np.ndarray, h: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Constant growth rate from a log-linear fit, band from the fit's residuals.

    The band is the regression's prediction interval (Student t) widened by the day-to-day
    scatter of daily counts around their 7-day average.
    """
    w = GROWTH_WINDOW_DAYS
    if len(y) < max(MIN_HISTORY_DAYS, w + 6):
        return _naive(y, h)
    avg = _trailing_mean(y)
    x = np.log1p(avg[-w:])
    t = np.arange(w) - (w - 1.0)  # 0 on the last day
    slope, intercept = np.polyfit(t, x, 1)
    residual_sd = np.sqrt(np.sum((x - intercept - slope * t) ** 2) / (w - 2))
    lead = np.arange(1, h + 1) + 3.0  # the 7-day average lags the day by 3
    centre = intercept + slope * lead
    fit_sd = residual_sd * np.sqrt(1 + 1 / w + (lead - t.mean()) ** 2 / np.sum((t - t.mean()) ** 2))
    scatter_sd = np.std(np.log1p(y[-w:]) - np.log1p(avg[-w:]))
    half = GROWTH_T90 * np.sqrt(fit_sd**2 + scatter_sd**2)
    return _expm1_capped(centre), _expm1_capped(centre - half), _expm1_capped(centre + half)


MODELS: dict[str, Forecaster] = {"naive": _naive, "growth": _growth, "holt": _holt}


# --- helpers ---


def _trailing_mean(y: np.ndarray) -> np.ndarray:
    """7-day trailing mean for each day from the 7th on."""
    c = np.concatenate(([0.0], np.cumsum(y)))
    return (c[7:] - c[:-7]) / 7.0


def _expm1_capped(log_values: np.ndarray) -> np.ndarray:
    return np.expm1(np.clip(log_values, 0.0, np.log1p(MAX_DAILY_CASES)))


def _holt_fit(x: np.ndarray, phi: float) -> tuple[float, float]:
    """Final level and trend of damped Holt on ``x``, weights by least one-step error."""
    alpha, beta = (g.ravel() for g in np.meshgrid(_HOLT_GRID, _HOLT_GRID, indexing="ij"))
    k = min(6, len(x) - 1)
    level = np.full(alpha.shape, x[0])
    trend = np.full(alpha.shape, (x[k] - x[0]) / max(k, 1))
    sse = np.zeros(alpha.shape)
    for value in x[1:]:
        predicted = level + phi * trend
        error = value - predicted
        sse += error * error
        level = predicted + alpha * error
        trend = phi * trend + alpha * beta * error
    best = int(np.argmin(sse))
    return float(level[best]), float(trend[best])


def _weekday_factors(y: np.ndarray, h: int) -> np.ndarray:
    """Reporting factor for each forecast day, from the last few weeks (mean 1).

    Reports dip on the same weekday every week (about 20 % nationally); the factor of a
    weekday is the median ratio of its count to the centred 7-day mean.
    """
    n = len(y)
    days = np.arange(n - 3 - 7 * WEEKDAY_WEEKS, n - 3)  # centred mean needs 3 days after
    if days[0] < 3:
        return np.ones(h)
    centred = np.array([y[d - 3 : d + 4].mean() for d in days])
    factors = np.ones(7)
    for weekday in range(7):
        mask = (days % 7 == weekday) & (centred > 0)
        if mask.any():
            factors[weekday] = np.median(y[days[mask]] / centred[mask])
    if factors.mean() <= 0:
        return np.ones(h)
    factors /= factors.mean()
    return factors[np.arange(n, n + h) % 7]


def _error_band(
    path: Callable[[np.ndarray, int], np.ndarray], y: np.ndarray, point: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """80 % band from the model's own forecast errors at each lead over recent origins.

    For lead k the errors come from the ``BAND_ORIGINS`` latest origins whose day k is
    already counted; all of them lie on or before the last day of ``y``.
    """
    n, h = len(y), len(point)
    errors: list[list[float]] = [[] for _ in range(h)]
    log_y = np.log1p(y)
    for back in range(1, h + BAND_ORIGINS):
        origin = n - 1 - back  # index of the origin's last known day
        if origin < 6:
            break
        leads = range(max(1, back - BAND_ORIGINS + 1), min(h, back) + 1)
        past = np.log1p(path(y[: origin + 1], leads[-1]))
        for k in leads:
            errors[k - 1].append(log_y[origin + k] - past[k - 1])
    lead = np.arange(1, h + 1)
    floor = BAND_FLOOR + BAND_FLOOR_PER_DAY * lead
    below = np.array([np.quantile(e, 0.1) if e else 0.0 for e in errors])
    above = np.array([np.quantile(e, 0.9) if e else 0.0 for e in errors])
    log_point = np.log1p(point)
    return (
        _expm1_capped(log_point + np.minimum(below, -floor)),
        _expm1_capped(log_point + np.maximum(above, floor)),
    )


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
