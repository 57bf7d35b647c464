"""Each district's outlook: its daily new cases up to the forecast date and the forecast
after it, on the basis it has (its own series, or the state's or nation's by population
share: domain/regions.py).

Forecasts are pure, so the same series and question are answered once per process.
"""

from __future__ import annotations

from datetime import date

import numpy as np

from oxychain.core.errors import InvalidInput
from oxychain.core.i18n import N_
from oxychain.core.uow import UnitOfWork
from oxychain.planning.domain import cases, forecasting, regions
from oxychain.planning.domain.case_file import NATIONAL_REGION, Level
from oxychain.planning.domain.demand import Outlook, doubling_path

NO_COUNTS = N_("No case counts up to {day}: import the district, state or national series first.")


def outlooks(
    uow: UnitOfWork, as_of: date, horizon: int, model: str, doubling_days: float | None = None
) -> dict[str, Outlook]:
    """Every district's outlook (district name → Outlook), from counts up to ``as_of``."""
    with uow:
        districts = {d.name: d.population_2011 for d in uow.masterdata.districts()}
        by_level = {level: _series(uow.planning.counts(level, until=as_of)) for level in Level}
    own = by_level[Level.DISTRICT]
    state = regions.state_series(by_level[Level.STATE])
    national = regions.national_series(by_level[Level.NATIONAL], NATIONAL_REGION)
    if state is None and national is None and not own:
        raise InvalidInput(NO_COUNTS, day=as_of.isoformat())
    shares = regions.district_shares(districts)
    cache: dict[int, tuple] = {}
    out = {}
    for name in districts:
        found = regions.stand_in(name, own, state, national)
        if found is None:
            raise InvalidInput(NO_COUNTS, day=as_of.isoformat())
        series, basis = found
        scale = regions.share(basis, shares[name])
        history, path, low, high = _forecast(
            series, as_of, horizon, model, doubling_days, cache, str(basis)
        )
        out[name] = Outlook(
            name, basis, scale, history * scale, path * scale, low * scale, high * scale
        )
    return out


def _series(rows: list[tuple[str, date, int]]) -> dict[str, cases.RegionSeries]:
    grouped: dict[str, dict[date, float]] = {}
    for region, day, confirmed in rows:
        grouped.setdefault(region, {})[day] = float(confirmed)
    built = {r: cases.series_from_counts(r, counts) for r, counts in grouped.items()}
    return {r: s for r, s in built.items() if s is not None}


_FORECASTS: dict[tuple, tuple] = {}  # forecasts are pure: the same series, the same answer
_FORECASTS_KEPT = 32


def _forecast_once(
    series: cases.RegionSeries, as_of: date, horizon: int, model: str, level: str
) -> tuple:
    """(central, low, high) new cases, remembered for the same series and question; the
    band is the one of the series' own level (a state series scaled to a district keeps
    the state's relative scatter)."""
    key = (series.region, series.start, series.new_cases.tobytes(), as_of, horizon, model, level)
    if key not in _FORECASTS:
        points = forecasting.forecast(series, as_of, horizon, model, level)
        if len(_FORECASTS) >= _FORECASTS_KEPT:
            _FORECASTS.pop(next(iter(_FORECASTS)))
        _FORECASTS[key] = tuple(
            np.array([getattr(p, k) for p in points]) for k in ("new_cases", "low", "high")
        )
    return _FORECASTS[key]


def _forecast(
    series: cases.RegionSeries,
    as_of: date,
    horizon: int,
    model: str,
    doubling_days: float | None,
    cache: dict,
    level: str,
) -> tuple:
    if id(series) not in cache:
        history = series.until(as_of).new_cases.astype(float)
        if doubling_days is not None:
            path = doubling_path(history, horizon, doubling_days)
            cache[id(series)] = (history, path, path, path)
        else:
            cache[id(series)] = (history, *_forecast_once(series, as_of, horizon, model, level))
    return cache[id(series)]
