"""Point forecasts of daily new cases: a history (oldest first) and a horizon in, a path out.

Each model only gives the expected path; its 80 % band comes from its own past errors
(domain/bands.py). Chosen by name (``forecasting.MODELS``) so the choice is a setting.

* ``naive``: last week's level carried forward (the baseline every model must beat).
* ``growth``: log-linear fit to the last 14 days of the 7-day average, extrapolated.
* ``holt``: damped-trend exponential smoothing of log(1 + 7-day average), weights by
  one-step error over 8 weeks, times weekday factors.
* ``holt3``: the same damped trend over 6 weeks, weights chosen by the error
  three days ahead and no weekday factors. In bench/backtest_forecast.py its MAE is 0.51
  of naive's 7 days ahead and 0.68 at 14 days on the national series (holt: 0.57, 0.74):
  weights fitted to a one-step error on a smoothed curve chase its wiggles, and the
  weekday factors of recent weeks moved more than the reports did.
* ``renewal``: new cases from the renewal equation, I(t) = R x sum_s w(s) I(t - s), with
  R from the last week and damped towards 1 day by day.
* ``ensemble``: the mean on the log scale of holt3, renewal and growth.
* ``robust``: damped Holt-Winters on log daily counts (not their 7-day average, so it sees
  a turn three days sooner) with a weekday state, robust to reporting lumps: errors beyond
  two scales are clipped (Gelper, Fried and Croux 2010). The forecast is the level without
  the weekday effect.
* ``blend`` (default): the mean on the log scale of holt3 and robust, with half of holt's
  weekday factors. Its MAE / naive's, averaged over India, the states and the district-
  sized series (bench/backtest_forecast.py --states), 7 and 14 days ahead: 0.55 and 0.67
  from Wednesdays (--step 7; holt3 0.62, 0.73; holt 0.64, 0.76), 0.58 and 0.71 from every
  weekday (--step 3; holt3 0.64, 0.77; holt 0.61, 0.75).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

MIN_HISTORY_DAYS = 28  # shorter series get the naive forecast: too little to fit a trend
MAX_DAILY_CASES = 1e9  # most of India's population: keeps an explosive fit finite

GROWTH_WINDOW_DAYS = 14

HOLT_DAMPING = 0.9  # backtest, national: 0.85 and 0.95 did worse (0.95 overshot Omicron)
HOLT_WINDOW_DAYS = 56  # 8 weeks; 4 to 12 weeks scored within 2 % of each other
HOLT3_WINDOW_DAYS = 42  # 6 weeks: 4 and 8 weeks scored 1-3 % worse in the backtest
HOLT3_FIT_LEAD = 3  # days ahead whose error picks the weights (1 and 7 did worse)
_HOLT_GRID = np.linspace(0.05, 0.95, 19)  # smoothing weights searched for alpha and beta
WEEKDAY_WEEKS = 4  # weeks of reports behind the weekday factors

# Serial interval of SARS-CoV-2, gamma with mean 4.7 days and sd 2.9 days: Nishiura,
# Linton and Akhmetzhanov, "Serial interval of novel coronavirus (COVID-19) infections",
# Int J Infect Dis 93:284-286 (2020).
SERIAL_MEAN_DAYS = 4.7
SERIAL_SD_DAYS = 2.9
SERIAL_MAX_DAYS = 20
RENEWAL_DAMPING = 0.9  # log R shrinks by this each day ahead (backtest: 0.85 did worse)

# Robust Holt-Winters (Gelper, Fried and Croux, "Robust forecasting with exponential and
# Holt-Winters smoothing", J Forecasting 29:285-300, 2010): their clipping at 2 scales.
# The window, damping and fit lead are holt3's; nothing was tuned on the backtest.
ROBUST_WINDOW_DAYS = 56
ROBUST_CLIP_SCALES = 2.0  # an error beyond this many scales counts as this many
ROBUST_SCALE_WEIGHT = 0.1  # weight of the newest squared error in the running scale
ROBUST_WEEKDAY_WEIGHT = 0.1  # smoothing weight of the weekday state
# blend: share of the weekday factors applied. On the first half of each series' origins,
# from every weekday (--step 3) and from Wednesdays (--step 7), a half beat none and all.
BLEND_WEEKDAY_SHARE = 0.5

Path = Callable[[np.ndarray, int], np.ndarray]


def naive(y: np.ndarray, h: int) -> np.ndarray:
    """Mean of the last 7 days, flat."""
    return np.full(h, y[-7:].mean())


def growth(y: np.ndarray, h: int) -> np.ndarray:
    """Constant growth rate from a log-linear fit to the last two weeks' 7-day average."""
    w = GROWTH_WINDOW_DAYS
    if len(y) < max(MIN_HISTORY_DAYS, w + 6):
        return naive(y, h)
    x = np.log1p(trailing_mean(y)[-w:])
    t = np.arange(w) - (w - 1.0)  # 0 on the last day
    slope, intercept = np.polyfit(t, x, 1)
    lead = np.arange(1, h + 1) + 3.0  # the 7-day average lags the day by 3
    return expm1_capped(intercept + slope * lead)


def holt(y: np.ndarray, h: int) -> np.ndarray:
    """Damped-trend exponential smoothing of log incidence, with weekday factors.

    Holt's linear method with a damped trend (Gardner and McKenzie 1985) on
    log(1 + 7-day average) over the last 8 weeks; the smoothing weights minimise the
    one-step squared error over that window (grid search, so no optimiser is needed).
    """
    if len(y) < MIN_HISTORY_DAYS:
        return naive(y, h)
    x = np.log1p(trailing_mean(y)[-HOLT_WINDOW_DAYS:])
    level, trend = _holt_fit(x, HOLT_DAMPING, 1)
    return _damped(level, trend, h) * _weekday_factors(y, h)


def holt3(y: np.ndarray, h: int) -> np.ndarray:
    """Damped trend on log(1 + 7-day average) over 6 weeks, weights by 3-day-ahead error."""
    if len(y) < MIN_HISTORY_DAYS:
        return naive(y, h)
    x = np.log1p(trailing_mean(y)[-HOLT3_WINDOW_DAYS:])
    level, trend = _holt_fit(x, HOLT_DAMPING, HOLT3_FIT_LEAD)
    return _damped(level, trend, h)


def renewal(y: np.ndarray, h: int) -> np.ndarray:
    """Renewal equation on the 7-day average: R from the last week, damped towards 1."""
    if len(y) < MIN_HISTORY_DAYS + SERIAL_MAX_DAYS:
        return naive(y, h)
    if not y[-7:].any():
        return np.zeros(h)  # no case in a week: nothing to renew
    w = serial_interval()
    tail = SERIAL_MAX_DAYS
    incidence = list(np.maximum(trailing_mean(y), 0.1))  # 0.1: R stays defined at zero
    recent = np.array(incidence[-7 - tail :])
    pressure = sum(recent[i - tail : i][::-1] @ w for i in range(tail, len(recent)))
    log_r = float(np.log(recent[tail:].sum() / max(pressure, 1e-9)))
    path = []
    for _ in range(h + 3):  # the 7-day average is centred 3 days back
        log_r *= RENEWAL_DAMPING
        pressure = np.array(incidence[-tail:])[::-1] @ w
        value = min(float(np.exp(log_r) * pressure), MAX_DAILY_CASES)
        incidence.append(value)
        path.append(value)
    return np.array(path[3:])


def ensemble(y: np.ndarray, h: int) -> np.ndarray:
    """Mean on the log scale of holt3, renewal and growth."""
    return _log_mean(y, h, (holt3, renewal, growth))


def robust(y: np.ndarray, h: int) -> np.ndarray:
    """Robust damped Holt-Winters on log(1 + daily count) over 8 weeks, weekday removed.

    The level, trend and weekday state follow each day's count, but an error beyond
    ``ROBUST_CLIP_SCALES`` running scales moves them only as far as that bound, so a
    backlog reported on one day (or a day with no report) barely bends the trend.
    """
    if len(y) < max(MIN_HISTORY_DAYS, ROBUST_WINDOW_DAYS):
        return naive(y, h)
    x = np.log1p(np.maximum(y[-ROBUST_WINDOW_DAYS:], 0.0))
    level, trend = _robust_fit(x, HOLT_DAMPING, HOLT3_FIT_LEAD)
    return expm1_capped(level + trend * np.cumsum(HOLT_DAMPING ** np.arange(1, h + 1)))


def blend(y: np.ndarray, h: int) -> np.ndarray:
    """Mean on the log scale of holt3 (7-day average) and robust (daily counts), times half
    of each weekday's reporting factor."""
    share = BLEND_WEEKDAY_SHARE
    weekday = 1 + share * (_weekday_factors(y, h) - 1)
    return np.minimum(_log_mean(y, h, (holt3, robust)) * weekday, MAX_DAILY_CASES)


PATHS: dict[str, Path] = {
    "naive": naive,
    "growth": growth,
    "holt": holt,
    "holt3": holt3,
    "renewal": renewal,
    "ensemble": ensemble,
    "robust": robust,
    "blend": blend,
}


# --- helpers ---


def serial_interval() -> np.ndarray:
    """Daily weights of the gamma serial interval on days 1..SERIAL_MAX_DAYS (sum 1)."""
    shape = (SERIAL_MEAN_DAYS / SERIAL_SD_DAYS) ** 2
    scale = SERIAL_SD_DAYS**2 / SERIAL_MEAN_DAYS
    days = np.arange(1, SERIAL_MAX_DAYS + 1, dtype=float)
    weights = days ** (shape - 1) * np.exp(-days / scale)
    return weights / weights.sum()


def trailing_mean(y: np.ndarray) -> np.ndarray:
    """7-day trailing mean for each day from the 7th on."""
    c = np.concatenate(([0.0], np.cumsum(y)))
    return (c[7:] - c[:-7]) / 7.0


def expm1_capped(log_values: np.ndarray) -> np.ndarray:
    return np.expm1(np.clip(log_values, 0.0, np.log1p(MAX_DAILY_CASES)))


def _log_mean(y: np.ndarray, h: int, models: tuple[Path, ...]) -> np.ndarray:
    parts = [np.log1p(np.maximum(model(y, h), 0.0)) for model in models]
    return expm1_capped(np.mean(parts, axis=0))


def _damped(level: float, trend: float, h: int) -> np.ndarray:
    # The last 7-day average is centred 3 days back, so day k ahead is k + 3 steps on.
    damped_steps = np.cumsum(HOLT_DAMPING ** np.arange(1, h + 4))[3:]
    return expm1_capped(level + trend * damped_steps)


def _holt_fit(x: np.ndarray, phi: float, lead: int) -> tuple[float, float]:
    """Final level and trend of damped Holt on ``x``, weights by least ``lead``-step error."""
    alpha, beta = (g.ravel() for g in np.meshgrid(_HOLT_GRID, _HOLT_GRID, indexing="ij"))
    k = min(6, len(x) - 1)
    level = np.full(alpha.shape, x[0])
    trend = np.full(alpha.shape, (x[k] - x[0]) / max(k, 1))
    sse = np.zeros(alpha.shape)
    ahead = float(np.sum(phi ** np.arange(1, lead + 1)))
    past: list[tuple[np.ndarray, np.ndarray]] = []
    for i, value in enumerate(x[1:], 1):
        past.append((level, trend))
        if i >= lead:
            old_level, old_trend = past[i - lead]
            error = value - (old_level + ahead * old_trend)
            sse += error * error
        predicted = level + phi * trend
        error = value - predicted
        level = predicted + alpha * error
        trend = phi * trend + alpha * beta * error
    best = int(np.argmin(sse))
    return float(level[best]), float(trend[best])


def _robust_fit(x: np.ndarray, phi: float, lead: int) -> tuple[float, float]:
    """Final level and trend of robust damped Holt-Winters (period 7) on ``x``; weights by
    least ``lead``-step error, each squared error capped at 9 scales squared."""
    alpha, beta = (g.ravel() for g in np.meshgrid(_HOLT_GRID, _HOLT_GRID, indexing="ij"))
    level = np.full(alpha.shape, x[:7].mean())
    trend = np.full(alpha.shape, (x[7:14].mean() - x[:7].mean()) / 7)
    weekday = np.tile(x[:7] - x[:7].mean(), (len(alpha), 1))
    scale = np.full(alpha.shape, max(float(np.median(np.abs(np.diff(x[:14])))), 0.05))
    sse = np.zeros(alpha.shape)
    ahead = float(np.sum(phi ** np.arange(1, lead + 1)))
    past: list[tuple[np.ndarray, np.ndarray]] = []
    bound = ROBUST_CLIP_SCALES
    for i in range(7, len(x)):
        season = weekday[:, i % 7]
        past.append((level, trend))  # past[-k]: the state k days before day i
        if len(past) >= lead:
            old_level, old_trend = past[-lead]
            error = x[i] - (old_level + ahead * old_trend + season)
            sse += np.minimum(error * error, 9 * scale * scale)
        predicted = level + phi * trend
        error = x[i] - (predicted + season)
        clipped = np.clip(error, -bound * scale, bound * scale)
        scale = np.sqrt(
            ROBUST_SCALE_WEIGHT * np.minimum(error * error, (bound * scale) ** 2)
            + (1 - ROBUST_SCALE_WEIGHT) * scale * scale
        )
        level = predicted + alpha * clipped
        trend = phi * trend + alpha * beta * clipped
        weekday[:, i % 7] = season + ROBUST_WEEKDAY_WEIGHT * (1 - alpha) * clipped
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
