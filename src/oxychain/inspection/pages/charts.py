"""Bar charts as inline SVG, laid out here and drawn by ``inspection/chart.html``.

No JavaScript, no chart library, no CDN: the server computes each bar's geometry and the
template writes the SVG (autoescaped), one bar per row, labelled with its share and the
counts behind it, readable in both languages and in print.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

ROW = 26
LABEL_W = 300
BAR_W = 360
TEXT_W = 190
WIDTH = LABEL_W + BAR_W + TEXT_W

GOOD = "#1b6e20"
AMBER = "#b26a00"
BAD = "#b3261e"


@dataclass(frozen=True)
class Bar:
    label: str
    pct: float
    count: int
    total: int
    y: float = 0.0
    length: float = 0.0
    colour: str = GOOD


@dataclass(frozen=True)
class Chart:
    bars: tuple[Bar, ...]
    width: int
    height: int
    label_w: int = LABEL_W
    bar_w: int = BAR_W
    row: int = ROW


def _colour(pct: float, good_above: float) -> str:
    if pct >= good_above:
        return GOOD
    return AMBER if pct >= good_above - 10 else BAD


def bar_chart(rows: Sequence[tuple[str, int, int]], *, good_above: float = 95.0) -> Chart:
    """(label, count, total) rows as bars of count/total; green at or above ``good_above``
    percent, amber within 10 points below it, red further down."""
    bars = []
    for i, (label, count, total) in enumerate(rows):
        pct = 100.0 * count / total if total else 0.0
        bars.append(
            Bar(
                label=label,
                pct=pct,
                count=count,
                total=total,
                y=5 + i * ROW,
                length=round(min(max(pct, 0.0), 100.0) / 100 * BAR_W, 1),
                colour=_colour(pct, good_above),
            )
        )
    return Chart(tuple(bars), WIDTH, ROW * max(len(bars), 1) + 10)
