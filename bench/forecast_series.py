"""The series the forecast is developed on: India, five states, and district-sized series.

No district series ships with oxychain (covid19india's districts.csv is not in the
repository), so district-sized series are drawn from each state's own daily counts by
binomial thinning: a district holding a share p of the state's cases reports each of them
with probability p, day by day (seeded, so every run draws the same). They have the
state's wave and a district's small-count scatter; real districts also report in lumps,
which these lack, so import a real district file (``--cases``) to check a corporation's own.
"""

from __future__ import annotations

from importlib.resources import files

import numpy as np

from oxychain.planning.domain.cases import RegionSeries
from oxychain.planning.services.cases import read_cases

DISTRICT_SHARES = (1 / 20, 1 / 75, 1 / 250)  # a large, a typical and a small district of UP's 75
SEED = 2021


def load(name: str) -> list[RegionSeries]:
    content = (files("oxychain.planning") / "data" / "covid" / name).read_bytes()
    return list(read_cases(content).regions)


def national() -> list[RegionSeries]:
    return load("covid_india_national.csv")


def states() -> list[RegionSeries]:
    return load("covid_states_dev.csv")


def districts(of: list[RegionSeries]) -> list[RegionSeries]:
    rng = np.random.default_rng(SEED)
    return [
        RegionSeries(
            f"{s.region} 1/{round(1 / share)}",
            s.start,
            rng.binomial(s.new_cases.astype(np.int64), share).astype(float),
        )
        for s in of
        for share in DISTRICT_SHARES
    ]


def development() -> dict[str, list[RegionSeries]]:
    """Region size -> its series."""
    st = states()
    return {"national": national(), "state": st, "district": districts(st)}
