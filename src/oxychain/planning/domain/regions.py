"""Which case series stands for a district, and by what share.

A district's own series is used when one was imported. Where only a state series
exists, the district's cases are *estimated from the state series by population share*
(Census 2011); where only the national series exists, from the national series by the
district's share of India's population. Pages say which basis each district has.

The four districts created after the Census (Amethi, Hapur, Sambhal, Shamli) have no
Census 2011 population; they are counted at the median district's population, as the
facility generator does (domain/facilities.py), and the shares are scaled to add up to
the state's share.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from enum import StrEnum
from typing import TypeVar

from oxychain.core.i18n import N_

T = TypeVar("T")

#: Census of India 2011, Primary Census Abstract (final): total population of India.
INDIA_POPULATION_2011 = 1_210_854_977
#: Census 2011 PCA, Uttar Pradesh state total (= the sum of up_districts.csv).
UP_POPULATION_2011 = 199_812_341
STATE_NAME = "Uttar Pradesh"


class Basis(StrEnum):
    DISTRICT = "district"
    STATE = "state"
    NATIONAL = "national"


BASIS_LABELS = {
    Basis.DISTRICT: N_("district series"),
    Basis.STATE: N_("estimated from the state series by population share"),
    Basis.NATIONAL: N_("estimated from the national series by population share"),
}


def district_shares(populations: Mapping[str, int | None]) -> dict[str, float]:
    """Each district's share of the state (adds up to 1; see the module doc)."""
    known = [p for p in populations.values() if p]
    if not known:
        return {d: 1 / len(populations) for d in populations} if populations else {}
    median = statistics.median(known)
    filled = {d: float(p or median) for d, p in populations.items()}
    total = sum(filled.values())
    return {d: p / total for d, p in filled.items()}


def share(basis: Basis, district_share: float) -> float:
    """The district's share of the series it is estimated from."""
    if basis is Basis.DISTRICT:
        return 1.0
    if basis is Basis.STATE:
        return district_share
    return district_share * UP_POPULATION_2011 / INDIA_POPULATION_2011


def state_series(states: Mapping[str, T]) -> T | None:
    """The state's series among those of states (its name in any case)."""
    return next((s for name, s in states.items() if name.casefold() == STATE_NAME.casefold()), None)


def national_series(countries: Mapping[str, T], name: str) -> T | None:
    """The national series: the one named ``name``, else the only one there is."""
    return countries.get(name) or next(iter(countries.values()), None)


def stand_in(
    district: str, own: Mapping[str, T], state: T | None, national: T | None
) -> tuple[T, Basis] | None:
    """The series that stands for a district, and its basis: the district's own, else the
    state's, else the nation's (module doc); None without any."""
    if district in own:
        return own[district], Basis.DISTRICT
    if state is not None:
        return state, Basis.STATE
    if national is not None:
        return national, Basis.NATIONAL
    return None
