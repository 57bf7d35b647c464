"""A plan at a glance: the summary figures, the relative colour scale of the maps, and the
forecast chart's geometry."""

from __future__ import annotations

from datetime import date

import pytest

from oxychain.planning.domain.glance import glance, top_shortfalls
from oxychain.planning.domain.versus import DistrictLine, FacilityLine
from oxychain.planning.pages.charts import band_chart
from oxychain.planning.pages.maps import band_of, legend, relative_edges

DISTRICTS = [
    DistrictLine(
        "Agra",
        need=100,
        short=60,
        prorata_short=80,
        devices=4,
        prorata_devices=4,
        fill=0.4,
        prorata_fill=0.2,
    ),
    DistrictLine(
        "Banda",
        need=50,
        short=10,
        prorata_short=5,
        devices=3,
        prorata_devices=3,
        fill=0.8,
        prorata_fill=0.9,
    ),
    DistrictLine("Mau"),  # no need beyond the installed devices
]
FACILITIES = [
    FacilityLine("A-1", "Agra", "chc", 5, 0, 9, devices=4, short_days=12, prorata_short_days=16),
    FacilityLine("B-1", "Banda", "phc", 3, 1, 2, devices=3, short_days=0, prorata_short_days=2),
]


def test_the_summary_says_what_the_plan_buys_over_pro_rata():
    g = glance(DISTRICTS, FACILITIES)
    assert (g.plan.weighted_shortfall, g.prorata.weighted_shortfall) == (70, 85)
    assert g.gain == 15 and g.gain_share == pytest.approx(15 / 85)
    assert (g.plan.short_days, g.prorata.short_days, g.days_saved) == (12, 18, 6)
    assert g.plan.lowest == ("Agra", 0.4) and g.prorata.lowest == ("Agra", 0.2)
    assert g.plan.median_fill == pytest.approx(0.6)
    assert (g.plan.below_half, g.prorata.below_half, g.districts_lifted) == (1, 1, 0)
    assert (g.districts_with_need, g.districts_without_need) == (2, 1)
    assert g.fill_range == (0.2, 0.9)
    assert [f.id for f in top_shortfalls(FACILITIES)] == ["A-1"]


def test_without_need_the_summary_has_no_lowest_district():
    g = glance([DistrictLine("Mau")], [])
    assert g.plan.lowest is None and g.gain_share is None and g.fill_range == (0.0, 1.0)


def test_the_maps_colour_scale_spans_the_values_shown():
    edges = relative_edges(0.70, 0.95)
    assert edges == pytest.approx((0.75, 0.80, 0.85, 0.90))
    assert [band_of(v, edges) for v in (0.70, 0.77, 0.83, 0.88, 0.95)] == [0, 1, 2, 3, 4]
    assert band_of(0.77) == 3  # the fixed scale would colour them nearly alike
    assert [text for _band, text in legend(edges)][0] == "< 75 %"
    assert legend(relative_edges(0.011, 0.026))[1][1] == "1.4-1.7 %"  # narrow: a decimal
    same = relative_edges(0.5, 0.5)
    assert band_of(0.5, same) == 4 and [b for b, _ in legend(same)] == [0, 4]


def test_the_chart_draws_history_forecast_and_band_on_a_round_scale():
    chart = band_chart(
        date(2022, 1, 10), [10.0] * 14, [12.0, 14.0, 16.0], [8.0, 9.0, 10.0], [15.0, 19.0, 23.0]
    )
    assert len(chart.history.split()) == 14 and len(chart.central.split()) == 4
    assert len(chart.band.split()) == 6  # upper edge out, lower edge back
    assert [v for _y, v in chart.y_ticks] == [0, 12.5, 25, 37.5, 50]  # 23 rounds up to 50
    assert chart.x_ticks[0][1] == date(2021, 12, 28) and chart.peak == 23.0
    assert chart.peak_day == date(2022, 1, 13)
    ys = [float(p.split(",")[1]) for p in chart.band.split()]
    assert min(ys) >= 12 and max(ys) <= chart.height - 28  # inside the plot area
