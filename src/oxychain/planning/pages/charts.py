"""A forecast as inline SVG: the weeks of counts before it, the forecast line and its 80 %
band, laid out here and drawn by ``planning/_chart.html``.

No JavaScript, no chart library: the server computes the geometry and the template writes
it (autoescaped), with the axes labelled in cases per day and Indian dates.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 64, 12, 12, 28  # margins for the axis labels


@dataclass(frozen=True)
class BandChart:
    """Polyline and polygon points ("x,y x,y ..."), ticks as (position, value)."""

    width: int
    height: int
    history: str
    central: str
    band: str
    split_x: float  # the forecast date: counts to its left, forecast to its right
    y_ticks: tuple[tuple[float, float], ...]
    x_ticks: tuple[tuple[float, date], ...]
    peak: float  # highest end of the band (cases per day)
    peak_day: date | None  # the day the forecast line is highest


def band_chart(
    as_of: date,
    history: Sequence[float],
    central: Sequence[float],
    low: Sequence[float],
    high: Sequence[float],
) -> BandChart:
    """``history`` ends on ``as_of``; the forecast starts the day after."""
    days = len(history) + len(central)
    first = as_of - timedelta(days=len(history) - 1)
    top = _nice(max([*history, *high, 1.0]))
    x_of = _scale(0, max(days - 1, 1), LEFT, WIDTH - RIGHT)
    y_of = _scale(0, top, HEIGHT - BOTTOM, TOP)
    h = len(history)

    def line(values: Sequence[float], offset: int) -> str:
        return " ".join(f"{x_of(offset + i):.1f},{y_of(v):.1f}" for i, v in enumerate(values))

    # The upper edge left to right, then the lower edge back.
    back = " ".join(
        f"{x_of(h + len(low) - 1 - i):.1f},{y_of(v):.1f}" for i, v in enumerate(reversed(low))
    )
    band = f"{line(high, h)} {back}"
    peak_at = max(range(len(central)), key=lambda i: central[i]) if len(central) else None
    return BandChart(
        WIDTH,
        HEIGHT,
        line(history, 0),
        line([history[-1], *central], h - 1) if history else line(central, h),
        band,
        x_of(h - 0.5),
        tuple((y_of(v), v) for v in _ticks(top)),
        tuple(
            (x_of(i), first + timedelta(days=i)) for i in range(0, days, 7 if days <= 70 else 14)
        ),
        max(high) if len(high) else 0.0,
        as_of + timedelta(days=peak_at + 1) if peak_at is not None else None,
    )


def _scale(lo: float, hi: float, out_lo: float, out_hi: float):  # noqa: ANN202
    span = (hi - lo) or 1.0
    return lambda v: out_lo + (v - lo) / span * (out_hi - out_lo)


def _nice(value: float) -> float:
    """The next round number above ``value`` (1, 2 or 5 times a power of ten)."""
    power = 10 ** math.floor(math.log10(value))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= value)


def _ticks(top: float) -> list[float]:
    return [top * k / 4 for k in range(5)]
