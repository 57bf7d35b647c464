"""The 75 districts coloured by a share: a plan's fill rate, or the share of need met."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from fastapi import Request

from oxychain.core.web.deps import reader
from oxychain.masterdata import services as masterdata
from oxychain.masterdata.maps import MapPoint, district_map

BANDS = (0.2, 0.4, 0.6, 0.8)  # fill below 20 %, 20-40 %, ... 80 % and above


@dataclass(frozen=True)
class ShadedPoint:
    point: MapPoint
    value: float | None  # None: the district is not in the plan
    band: int  # 0 (worst) to 4 (best); -1 without a value


def band_of(value: float | None, edges: tuple[float, ...] = BANDS) -> int:
    if value is None:
        return -1
    return sum(value >= edge for edge in edges)


def relative_edges(lowest: float, highest: float) -> tuple[float, ...]:
    """Four edges that split [lowest, highest] into five equal classes: a map whose values
    all lie between 70 and 95 % still shows which districts are worse off. With one value
    only, everything falls in the best class."""
    step = (highest - lowest) / 5
    return tuple(lowest + step * k for k in range(1, 5)) if step > 0 else (lowest,) * 4


def legend(edges: tuple[float, ...]) -> list[tuple[int, str]]:
    """(class, label in %) for each colour of the map, lowest first."""
    digits = 1 if edges[-1] - edges[0] < 0.08 else 0  # a narrow range needs a decimal
    pct = [f"{100 * e:.{digits}f}" for e in edges]
    labels = [f"< {pct[0]} %", *(f"{a}-{b} %" for a, b in pairwise(pct)), f"≥ {pct[-1]} %"]
    return [
        (band, label)
        for band, label in enumerate(labels)
        if edges[0] != edges[-1] or band in (0, 4)
    ]


def points(request: Request, principal) -> list[MapPoint]:  # noqa: ANN001
    """Every district's headquarters on the map."""
    return district_map(masterdata.list_districts(reader(request, principal)))


def shade(
    where: list[MapPoint], values: dict[str, float], edges: tuple[float, ...] = BANDS
) -> list[ShadedPoint]:
    """The points shaded by their district's value (keyed by English name)."""
    return [ShadedPoint(p, values.get(p.name), band_of(values.get(p.name), edges)) for p in where]


def fill_map(request: Request, principal, values: dict[str, float]) -> list[ShadedPoint]:  # noqa: ANN001
    return shade(points(request, principal), values)
