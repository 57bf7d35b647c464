"""A map of the 75 district headquarters as inline SVG (no tiles, no network)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from oxychain.masterdata.services import DistrictRow

WIDTH, HEIGHT, PAD = 640, 480, 24


@dataclass(frozen=True)
class MapPoint:
    code: str
    name: str
    name_hi: str
    x: float
    y: float
    r: float
    population: int | None


def district_map(rows: list[DistrictRow]) -> list[MapPoint]:
    """Equirectangular projection scaled by cos(latitude); circle area ∝ population."""
    if not rows:
        return []
    lats = [r.district.lat for r in rows]
    lons = [r.district.lon for r in rows]
    k = math.cos(math.radians(sum(lats) / len(lats)))
    span_x = (max(lons) - min(lons)) * k or 1.0
    span_y = (max(lats) - min(lats)) or 1.0
    scale = min((WIDTH - 2 * PAD) / span_x, (HEIGHT - 2 * PAD) / span_y)
    biggest = max((r.district.population_2011 or 0) for r in rows) or 1
    return [
        MapPoint(
            code=r.district.code,
            name=r.district.name,
            name_hi=r.district.name_hi,
            x=round(PAD + (r.district.lon - min(lons)) * k * scale, 1),
            y=round(HEIGHT - PAD - (r.district.lat - min(lats)) * scale, 1),
            r=round(3 + 9 * math.sqrt((r.district.population_2011 or 0) / biggest), 1),
            population=r.district.population_2011,
        )
        for r in rows
    ]
