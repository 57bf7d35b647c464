"""The 75 districts coloured by a share: a plan's fill rate, or the share of need met."""

from __future__ import annotations

from dataclasses import dataclass

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


def band_of(value: float | None) -> int:
    if value is None:
        return -1
    return sum(value >= edge for edge in BANDS)


def points(request: Request, principal) -> list[MapPoint]:  # noqa: ANN001
    """Every district's headquarters on the map."""
    return district_map(masterdata.list_districts(reader(request, principal)))


def shade(where: list[MapPoint], values: dict[str, float]) -> list[ShadedPoint]:
    """The points shaded by their district's value (keyed by English name)."""
    return [ShadedPoint(p, values.get(p.name), band_of(values.get(p.name))) for p in where]


def fill_map(request: Request, principal, values: dict[str, float]) -> list[ShadedPoint]:  # noqa: ANN001
    return shade(points(request, principal), values)
