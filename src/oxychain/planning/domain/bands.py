"""The 80 % band of a forecast: split-conformal, from each model's own past errors.

For every model, region level (India, a state, a district), region size and lead,
bench/calibrate_bands.py forecasts from rolling origins of the development series (India,
five states, and district-sized series drawn from the states) and records the error on
the log scale, log(1 + actual) - log(1 + forecast). The band of a new forecast is the
forecast moved by the 10th and 90th percentiles of those errors (data/forecast_bands.json), so it
covers about 80 % of days wherever the past errors speak for the future ones.

Size is the region's mean daily new cases over the last 7 counted days: a district
reporting 5 cases a day scatters far more, relative to its level, than a state reporting
5,000. Level is kept apart too: a band calibrated on states held 62 % of district weeks.
"""

from __future__ import annotations

import json
from importlib import resources

import numpy as np

from oxychain.planning.domain.forecast_models import expm1_capped

# Written by bench/calibrate_bands.py: model -> level -> per size class (10th percentiles of
# the log error by lead, 90th by lead).
_TABLE = json.loads(
    (resources.files("oxychain.planning") / "data" / "forecast_bands.json").read_text()
)
BAND_LEADS: tuple[int, ...] = tuple(_TABLE["leads_days"])  # days after the last count
SIZE_EDGES: tuple[float, ...] = tuple(_TABLE["size_edges_cases_per_day"])  # mean daily cases
BANDS: dict[str, dict[str, list]] = _TABLE["bands"]

SIZE_NAMES = ("under 10", "10-100", "100-1,000", "1,000-10,000", "10,000 and more")


def size_class(y: np.ndarray) -> int:
    """Index of the region's size class (``SIZE_EDGES``, cases per day)."""
    return int(np.searchsorted(SIZE_EDGES, float(np.mean(y[-7:])), side="right"))


def band(model: str, level: str, y: np.ndarray, point: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Low and high ends of the 80 % band around ``point`` (day k after the last count) for
    a region of ``level`` (national, state or district) whose history is ``y``."""
    lows, highs = BANDS[model][level][size_class(y)]
    leads = np.arange(1, len(point) + 1)
    below = np.minimum(np.interp(leads, BAND_LEADS, lows), 0.0)
    above = np.maximum(np.interp(leads, BAND_LEADS, highs), 0.0)
    log_point = np.log1p(point)
    return expm1_capped(log_point + below), expm1_capped(log_point + above)


def quantiles(errors: list[float]) -> tuple[float, float]:
    """The 10th and 90th percentiles of log errors, each rounded outwards (conformal:
    with n errors the next one falls inside with probability at least 80 %)."""
    ordered = np.sort(np.asarray(errors, dtype=float))
    n = len(ordered)
    k = int(np.ceil(0.9 * (n + 1))) - 1  # the ceil((n + 1)(1 - alpha/2))-th smallest
    return float(ordered[max(0, n - 1 - k)]), float(ordered[min(n - 1, k)])
