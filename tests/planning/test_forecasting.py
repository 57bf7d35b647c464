"""Forecast models: the band holds the point, nothing after as_of counts, and the sums add up."""

from __future__ import annotations

import math
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest

import oxychain
from oxychain.core.errors import InvalidInput
from oxychain.planning.domain.cases import RegionSeries
from oxychain.planning.domain.forecasting import (
    DEFAULT_MODEL,
    MAX_HORIZON_DAYS,
    MODELS,
    active_cases,
    forecast,
    requirement,
)
from oxychain.planning.services.cases import read_cases

DATA = Path(oxychain.__file__).parent / "planning" / "data" / "covid"
START = date(2021, 1, 1)


@pytest.fixture(scope="module")
def india() -> RegionSeries:
    return read_cases((DATA / "covid_india_national.csv").read_bytes()).regions[0]


def series(values, start: date = START) -> RegionSeries:
    return RegionSeries("Test", start, np.asarray(values, dtype=float))


def test_the_registry_holds_the_baseline_the_growth_model_and_the_default():
    assert {"naive", "growth", "holt"} <= set(MODELS)
    assert DEFAULT_MODEL in MODELS


@pytest.mark.parametrize("model", sorted(MODELS))
@pytest.mark.parametrize(
    "as_of", [date(2020, 4, 10), date(2021, 4, 20), date(2021, 5, 20), date(2022, 1, 10)]
)
def test_band_holds_the_point_and_nothing_is_negative(india, model, as_of):
    points = forecast(india, as_of, MAX_HORIZON_DAYS, model)
    assert [p.date for p in points] == [as_of + timedelta(days=k) for k in range(1, 43)]
    for p in points:
        assert all(math.isfinite(v) for v in (p.low, p.new_cases, p.high))
        assert 0 <= p.low <= p.new_cases <= p.high


@pytest.mark.parametrize("model", sorted(MODELS))
def test_counts_after_as_of_never_change_the_forecast(india, model):
    as_of = date(2021, 4, 15)
    cut = (as_of - india.start).days + 1
    altered = india.new_cases.copy()
    altered[cut:] = altered[cut:][::-1] * 7 + 3
    other = RegionSeries(india.region, india.start, altered, india.baseline)
    assert forecast(india, as_of, 14, model) == forecast(other, as_of, 14, model)
    assert forecast(india, as_of, 14, model) == forecast(india.until(as_of), as_of, 14, model)


def test_rows_after_as_of_in_the_file_never_change_the_forecast():
    lines = (DATA / "covid_states_dev.csv").read_text().splitlines()
    as_of = date(2021, 5, 1)
    altered = [
        line
        if line.startswith("date") or line[:10] <= as_of.isoformat()
        else line.rsplit(",", 3)[0] + ",1,0,0"  # a fall, then nothing: would show if read
        for line in lines
    ]
    runs = [read_cases("\n".join(text).encode(), until=as_of) for text in (lines, altered)]
    for a, b in zip(runs[0].regions, runs[1].regions, strict=True):
        assert forecast(a, as_of, 14) == forecast(b, as_of, 14)


def test_naive_carries_last_weeks_level_forward():
    values = [5] * 30 + [10, 20, 30, 40, 50, 60, 70]
    points = forecast(series(values), START + timedelta(days=len(values) - 1), 3, "naive")
    assert [p.new_cases for p in points] == [40, 40, 40]


def test_growth_and_holt_follow_a_steady_rise_but_holt_damps_it():
    days = np.arange(70)
    values = 100 * np.exp(0.05 * days)
    as_of = START + timedelta(days=69)
    last_week = values[-7:].mean()
    growth = forecast(series(values), as_of, 14, "growth")[-1].new_cases
    holt = forecast(series(values), as_of, 14, "holt")[-1].new_cases
    exact = 100 * math.exp(0.05 * 83)
    assert growth == pytest.approx(exact, rel=0.02)
    assert last_week < holt < exact


def test_holt_keeps_the_weekday_pattern_of_reports():
    week = np.array([1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.4])  # one low reporting day a week
    values = np.tile(week * 1000, 12)
    points = forecast(series(values), START + timedelta(days=len(values) - 1), 7, "holt")
    assert [round(p.new_cases / points[0].new_cases, 2) for p in points] == pytest.approx(
        list(week), abs=0.02
    )


def test_robust_and_blend_follow_an_exponential_rise_without_running_ahead_of_it():
    values = 100 * np.exp(0.05 * np.arange(70))
    as_of = START + timedelta(days=69)
    exact = 100 * np.exp(0.05 * np.array([76, 83]))  # 7 and 14 days on
    for model in ("robust", "blend"):
        week, fortnight = (forecast(series(values), as_of, 14, model)[k].new_cases for k in (6, 13))
        assert values[-7:].mean() < week < fortnight
        assert week < exact[0] and fortnight < exact[1]


@pytest.mark.parametrize("model", ["robust", "blend"])
def test_after_a_peak_robust_and_blend_forecast_a_fall_and_never_pass_the_peak(model):
    wave = 5000 * np.exp(-(((np.arange(120) - 70) / 20) ** 2))  # a wave peaking on day 70
    for last in (72, 85, 95):
        points = forecast(series(wave[: last + 1]), START + timedelta(days=last), 42, model)
        path = [p.new_cases for p in points]
        assert max(path) < wave.max()
        assert path[13] < path[6] < wave[last - 6 : last + 1].mean()


def test_robust_ignores_a_backlog_reported_on_one_day_and_a_day_without_report():
    as_of = START + timedelta(days=69)
    for lump in (8000, 0):
        values = np.full(70, 1000.0)
        values[-4] = lump
        robust = [p.new_cases for p in forecast(series(values), as_of, 14, "robust")]
        holt3 = forecast(series(values), as_of, 14, "holt3")[-1].new_cases
        blend = forecast(series(values), as_of, 14, "blend")[-1].new_cases
        assert robust == pytest.approx([1000] * 14, rel=0.01)
        assert abs(blend - 1000) < abs(holt3 - 1000)


def test_blend_keeps_half_of_the_weekday_pattern_of_reports():
    week = np.array([1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.4])
    values = np.tile(week * 1000, 12)
    points = forecast(series(values), START + timedelta(days=len(values) - 1), 7, "blend")
    half = 1 + (week / week.mean() - 1) / 2
    assert [p.new_cases / points[0].new_cases for p in points] == pytest.approx(
        list(half / half[0]), abs=0.01
    )


def test_a_short_history_falls_back_to_the_last_weeks_level():
    values = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
    for model in MODELS:
        points = forecast(series(values), START + timedelta(days=9), 5, model)
        assert [p.new_cases for p in points] == pytest.approx([6] * 5)


def test_no_cases_forecast_no_cases():
    for model in MODELS:
        points = forecast(series([0] * 60), START + timedelta(days=59), 10, model)
        assert {(p.low, p.new_cases) for p in points} == {(0, 0)}


def test_an_explosive_rise_stays_finite():
    values = np.exp(0.3 * np.arange(60))
    for model in MODELS:
        points = forecast(series(values), START + timedelta(days=59), MAX_HORIZON_DAYS, model)
        assert all(math.isfinite(p.high) for p in points)


def test_counts_a_few_days_old_are_forecast_across_the_gap():
    s = series([100] * 60)
    as_of = s.end + timedelta(days=3)
    points = forecast(s, as_of, 5)
    assert points[0].date == as_of + timedelta(days=1) and len(points) == 5
    with pytest.raises(InvalidInput, match="days before"):
        forecast(s, s.end + timedelta(days=15), 5)


@pytest.mark.parametrize(
    ("as_of", "horizon", "model", "reason"),
    [
        (date(2021, 3, 1), 0, "holt", "horizon"),
        (date(2021, 3, 1), 43, "holt", "horizon"),
        (date(2021, 3, 1), 7, "prophet", "unknown model"),
        (START - timedelta(days=1), 7, "holt", "no counts"),
    ],
)
def test_bad_requests_are_refused(as_of, horizon, model, reason):
    with pytest.raises(InvalidInput, match=reason):
        forecast(series([1] * 60), as_of, horizon, model)


def test_active_cases_are_the_last_fortnights_new_cases():
    daily = np.arange(1, 21, dtype=float)
    active = active_cases(daily)
    assert active[13] == daily[:14].sum()
    assert active[-1] == daily[-14:].sum()
    assert active_cases(daily, infectious_days=1).tolist() == daily.tolist()
    with pytest.raises(InvalidInput):
        active_cases(daily, infectious_days=0)


def test_requirement_follows_the_domain_formula():
    # 1,000 active x 15 % severe x 10 LPM / 5 LPM per device / 90 % uptime
    assert requirement(1000) == pytest.approx(1000 * 0.15 * 10 / 5 / 0.9)
    assert requirement(1000, on_concentrator_share=0.5, flow_lpm=5, uptime=1.0) == 75
    assert requirement(np.array([0.0, 300.0])).tolist() == pytest.approx([0, 100])


@pytest.mark.parametrize(
    "kwargs",
    [{"severe_share": 1.5}, {"on_concentrator_share": -0.1}, {"uptime": 0}, {"device_lpm": 0}],
)
def test_requirement_refuses_impossible_parameters(kwargs):
    with pytest.raises(InvalidInput):
        requirement(100, **kwargs)


def test_unknown_level_is_refused():
    with pytest.raises(InvalidInput, match="unknown level"):
        forecast(series([1] * 60), START + timedelta(days=59), 7, level="ward")


def test_a_small_districts_band_is_wider_for_its_size_than_a_large_states():
    as_of = START + timedelta(days=69)
    small = forecast(series([5] * 70), as_of, 14, level="district")[-1]
    large = forecast(series([5000] * 70), as_of, 14, level="state")[-1]
    assert small.high / small.new_cases > large.high / large.new_cases
    assert small.low / small.new_cases < large.low / large.new_cases


def _outcomes(s: RegionSeries, model: str, level: str, step: int = 14):
    rows, origin = [], date(2020, 5, 1)
    while origin + timedelta(days=7) <= s.end:
        p = forecast(s, origin, 7, model, level)[-1]
        rows.append((s.new_cases[(p.date - s.start).days], p))
        origin += timedelta(days=step)
    return rows


def test_on_indias_series_the_default_beats_naive_and_its_band_holds_about_80_percent(india):
    ours, naive = _outcomes(india, DEFAULT_MODEL, "national"), _outcomes(india, "naive", "national")
    mae = np.mean([abs(p.new_cases - a) for a, p in ours])
    assert mae < 0.7 * np.mean([abs(p.new_cases - a) for a, p in naive])
    assert 0.7 <= np.mean([p.low <= a <= p.high for a, p in ours]) <= 0.9
