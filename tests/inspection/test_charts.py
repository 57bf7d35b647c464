"""Server-drawn bar charts: geometry and colours of pass rates."""

from __future__ import annotations

from oxychain.inspection.pages.charts import AMBER, BAD, BAR_W, GOOD, ROW, bar_chart


def test_bars_are_scaled_and_coloured_by_their_share() -> None:
    chart = bar_chart([("A", 50, 50), ("B", 45, 50), ("C", 10, 50), ("D", 0, 0)])
    assert [round(b.pct, 1) for b in chart.bars] == [100.0, 90.0, 20.0, 0.0]
    assert [b.colour for b in chart.bars] == [GOOD, AMBER, BAD, BAD]
    assert chart.bars[0].length == BAR_W and chart.bars[2].length == BAR_W / 5
    assert [b.y for b in chart.bars] == [5, 5 + ROW, 5 + 2 * ROW, 5 + 3 * ROW]
    assert chart.height == 4 * ROW + 10


def test_an_empty_chart_still_has_a_row() -> None:
    assert bar_chart([]).height == ROW + 10
