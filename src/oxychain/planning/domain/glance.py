"""A plan at a glance: what it leaves short, how full it leaves the districts, and what it
buys over pro-rata, in the numbers a planner reads before the detail."""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

from oxychain.planning.domain.versus import DistrictLine, FacilityLine

TOP_SHORTFALLS = 10
LOW_FILL = 0.5  # a district below half its need is counted as left behind


@dataclass(frozen=True)
class Side:
    """One plan's figures (the optimal plan's, or pro-rata's)."""

    weighted_shortfall: int  # priority-device-days
    short_days: int  # device-days, unweighted
    devices: int
    lowest: tuple[str, float] | None  # the district with the lowest fill
    median_fill: float | None
    below_half: int  # districts filled below LOW_FILL


@dataclass(frozen=True)
class Glance:
    plan: Side
    prorata: Side
    districts_with_need: int
    districts_without_need: int
    fill_range: tuple[float, float]  # lowest and highest fill on either map

    @property
    def gain(self) -> int:
        """Priority-device-days the plan saves over pro-rata."""
        return self.prorata.weighted_shortfall - self.plan.weighted_shortfall

    @property
    def gain_share(self) -> float | None:
        short = self.prorata.weighted_shortfall
        return self.gain / short if short else None

    @property
    def days_saved(self) -> int:
        return self.prorata.short_days - self.plan.short_days

    @property
    def districts_lifted(self) -> int:
        """Districts no longer below half their need."""
        return self.prorata.below_half - self.plan.below_half


def glance(districts: list[DistrictLine], facilities: list[FacilityLine]) -> Glance:
    needy = [d for d in districts if d.need > 0]
    sides = [
        Side(
            sum(getattr(d, f"{key}short") for d in districts),
            sum(getattr(f, f"{key}short_days") for f in facilities),
            sum(getattr(d, f"{key}devices") for d in districts),
            _lowest(needy, f"{key}fill"),
            median(getattr(d, f"{key}fill") for d in needy) if needy else None,
            sum(getattr(d, f"{key}fill") < LOW_FILL for d in needy),
        )
        for key in ("", "prorata_")
    ]
    fills = [v for d in needy for v in (d.fill, d.prorata_fill)]
    return Glance(
        sides[0],
        sides[1],
        len(needy),
        len(districts) - len(needy),
        (min(fills), max(fills)) if fills else (0.0, 1.0),
    )


def top_shortfalls(worst_first: list[FacilityLine]) -> list[FacilityLine]:
    """The facilities the plan leaves shortest (of a list already worst first)."""
    return [f for f in worst_first if f.short_days > 0][:TOP_SHORTFALLS]


def _lowest(lines: list[DistrictLine], attribute: str) -> tuple[str, float] | None:
    if not lines:
        return None
    worst = min(lines, key=lambda d: (getattr(d, attribute), d.district))
    return worst.district, getattr(worst, attribute)
