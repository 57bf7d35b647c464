"""Health facilities: kinds, the facility record, and a seeded generator of synthetic ones.

The demo needs facilities that the shared data does not hold, so :func:`generate_facilities`
makes them from the districts' Census 2011 population using the Indian Public Health
Standards (IPHS, revised 2012) norms for the plains:

- one district hospital (DH) per district; IPHS 2012 asks at least 22 beds per lakh
  (100,000) population at 80 % occupancy and grades district hospitals at 100, 200, 300,
  400 and 500 beds (as cited in NITI Aayog, "Best Practices in the Performance of
  District Hospitals", 2021);
- one community health centre (CHC) per 1,20,000 population, 30 beds (IPHS 2012, CHC);
- one primary health centre (PHC) per 30,000 population, 6 beds (IPHS 2012, PHC: 4-6).

Simplifications, documented because they are choices and not facts:

- Every count and the DH bed requirement are multiplied by ``scale`` (default 0.5), so
  the state gets about 4,450 facilities rather than the full norm's 8,800.
- The norms are for rural population; total population is used (the CSV has no split).
- All of UP is treated as plains (hilly/tribal norms are 80,000 per CHC, 20,000 per PHC).
- The four districts without a Census 2011 population (Amethi, Shamli, Hapur, Sambhal)
  are sized at the median population of the districts given; their parent districts
  keep their pre-split figures, so the region is somewhat over-provisioned.

Every generated facility is marked ``synthetic`` and says so in its English and Hindi
names. Coordinates are jittered near the district headquarters from a random generator
seeded by (seed, district code), so the same seed gives the same facilities whatever
the order or subset of districts passed.
"""

from __future__ import annotations

import math
import random
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from oxychain.core.errors import InvalidInput
from oxychain.masterdata.domain.geography import District

DEFAULT_SEED = 2022
DEFAULT_SCALE = 0.5

POPULATION_PER_CHC = 120_000  # IPHS 2012, plains
POPULATION_PER_PHC = 30_000  # IPHS 2012, plains
CHC_BEDS = 30  # IPHS 2012 for CHCs: 30-bedded
PHC_BEDS = 6  # IPHS 2012 for PHCs: 4-6 beds; the upper figure
DH_BEDS_PER_LAKH = 22  # IPHS 2012 via NITI Aayog (2021)
DH_BED_GRADES = (100, 200, 300, 400, 500)  # IPHS 2012 district hospital grades V..I

# A DH sits in the headquarters town; CHCs and PHCs spread over the district, within
# this share of the radius of a disc of the district's area (keeps most points inside).
DH_JITTER_KM = 2.0
SPREAD_SHARE_OF_RADIUS = 0.6
KM_PER_DEGREE_LAT = 111.32


class FacilityKind(StrEnum):
    """Where a concentrator is installed; ``home`` is a patient's home (a loan)."""

    DISTRICT_HOSPITAL = "district_hospital"
    CHC = "chc"
    PHC = "phc"
    HOME = "home"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self][0]

    @property
    def label_hi(self) -> str:
        return _KIND_LABELS[self][1]


_KIND_LABELS = {
    FacilityKind.DISTRICT_HOSPITAL: ("District Hospital", "जिला अस्पताल"),
    FacilityKind.CHC: ("CHC", "सीएचसी"),
    FacilityKind.PHC: ("PHC", "पीएचसी"),
    FacilityKind.HOME: ("Home", "घर"),
}


# Forms of a kind seen in Indian facility lists (English and Hindi), after _kind_key().
_KIND_FORMS = {
    FacilityKind.DISTRICT_HOSPITAL: (
        "dh",
        "district hospital",
        "districthospital",
        "dist hospital",
        "जिला अस्पताल",
        "जिला चिकित्सालय",
    ),
    FacilityKind.CHC: (
        "chc",
        "community health centre",
        "community health center",
        "सीएचसी",
        "सामुदायिक स्वास्थ्य केंद्र",
        "सामुदायिक स्वास्थ्य केन्द्र",
    ),
    FacilityKind.PHC: (
        "phc",
        "primary health centre",
        "primary health center",
        "पीएचसी",
        "प्राथमिक स्वास्थ्य केंद्र",
        "प्राथमिक स्वास्थ्य केन्द्र",
    ),
}


def parse_kind(text: str) -> FacilityKind | None:
    """The facility kind meant by ``text`` ("DH", "District Hospital", "chc", "PHC"...)."""
    key = _kind_key(text)
    for kind in FacilityKind:
        if key == kind.value.replace("_", " ") or key in _KIND_FORMS.get(kind, ()):
            return kind
    return None


def _kind_key(text: str) -> str:
    return " ".join(text.casefold().replace(".", "").replace("_", " ").replace("-", " ").split())


@dataclass(frozen=True, slots=True)
class FacilitySpec:
    """A facility as master data, before it has an identity in the database.

    ``name_hi``, ``lat`` and ``lon`` may be ``None`` for an imported facility whose file
    left them out; generated facilities always have them. ``synthetic`` is True for
    every generated facility and must be shown wherever a person sees it.
    """

    code: str
    name: str
    name_hi: str | None
    kind: FacilityKind
    district_code: str
    beds: int
    lat: float | None
    lon: float | None
    synthetic: bool


def facility_counts(population: int, scale: float = DEFAULT_SCALE) -> tuple[int, int]:
    """(CHCs, PHCs) for a population by the IPHS 2012 plains norms, times ``scale``.

    At least one of each, so even the smallest district has both tiers.
    """
    chcs = max(1, round(population * scale / POPULATION_PER_CHC))
    phcs = max(1, round(population * scale / POPULATION_PER_PHC))
    return chcs, phcs


def district_hospital_beds(population: int, scale: float = DEFAULT_SCALE) -> int:
    """The smallest IPHS 2012 grade covering 22 beds per lakh (times ``scale``), at most 500."""
    needed = population * scale * DH_BEDS_PER_LAKH / 100_000
    return next((grade for grade in DH_BED_GRADES if grade >= needed), DH_BED_GRADES[-1])


def generate_facilities(
    districts: Iterable[District], seed: int = DEFAULT_SEED, *, scale: float = DEFAULT_SCALE
) -> list[FacilitySpec]:
    """One DH plus CHCs and PHCs per district, sized by population (see module docstring).

    Deterministic: the same districts, seed and scale give an identical list, in district
    order, then DH, CHCs, PHCs.
    """
    districts = list(districts)
    if not 0 < scale <= 1:
        raise InvalidInput("Scale must be in (0, 1]", code="scale_invalid", scale=scale)
    populations = [d.population_2011 for d in districts if d.population_2011 is not None]
    areas = [d.area_km2 for d in districts if d.area_km2 is not None]
    if districts and not populations:
        raise InvalidInput(
            "At least one district needs a Census 2011 population to size the others",
            code="population_missing",
        )
    fallback_population = round(statistics.median(populations)) if populations else 0
    fallback_area = round(statistics.median(areas)) if areas else 2500
    facilities: list[FacilitySpec] = []
    for district in districts:
        population = district.population_2011 or fallback_population
        area = district.area_km2 or fallback_area
        rng = random.Random(f"oxychain-facilities:{seed}:{district.code}")
        facilities.extend(_district_facilities(district, population, area, scale, rng))
    return facilities


def _district_facilities(
    district: District, population: int, area_km2: int, scale: float, rng: random.Random
) -> list[FacilitySpec]:
    prefix = "SYN-" + district.code.replace("LGD:", "L")
    spread_km = SPREAD_SHARE_OF_RADIUS * math.sqrt(area_km2 / math.pi)
    lat, lon = _jitter(district, DH_JITTER_KM, rng)
    made = [
        FacilitySpec(
            code=f"{prefix}-DH",
            name=f"District Hospital {district.name} (synthetic)",
            name_hi=f"जिला अस्पताल {district.name_hi} (कृत्रिम)",
            kind=FacilityKind.DISTRICT_HOSPITAL,
            district_code=district.code,
            beds=district_hospital_beds(population, scale),
            lat=lat,
            lon=lon,
            synthetic=True,
        )
    ]
    chcs, phcs = facility_counts(population, scale)
    tiers = ((FacilityKind.CHC, chcs, CHC_BEDS, 2), (FacilityKind.PHC, phcs, PHC_BEDS, 3))
    for kind, count, beds, width in tiers:
        for number in range(1, count + 1):
            serial = f"{number:0{width}d}"
            lat, lon = _jitter(district, spread_km, rng)
            made.append(
                FacilitySpec(
                    code=f"{prefix}-{kind.label}-{serial}",
                    name=f"{kind.label} {district.name}-{serial} (synthetic)",
                    name_hi=f"{kind.label_hi} {district.name_hi}-{serial} (कृत्रिम)",
                    kind=kind,
                    district_code=district.code,
                    beds=beds,
                    lat=lat,
                    lon=lon,
                    synthetic=True,
                )
            )
    return made


def _jitter(district: District, radius_km: float, rng: random.Random) -> tuple[float, float]:
    """A point uniformly spread over a disc of ``radius_km`` around the district HQ."""
    distance = radius_km * math.sqrt(rng.random())
    bearing = rng.uniform(0, 2 * math.pi)
    dlat = distance * math.cos(bearing) / KM_PER_DEGREE_LAT
    dlon = distance * math.sin(bearing) / (KM_PER_DEGREE_LAT * math.cos(math.radians(district.lat)))
    return round(district.lat + dlat, 4), round(district.lon + dlon, 4)
