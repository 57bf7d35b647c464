"""The 75 districts of Uttar Pradesh and their 18 divisions, as master data.

Read from the packaged ``oxychain/data/up_districts.csv``; its companion
``up_districts.SOURCES.md`` names the source of every column: Census 2011 PCA codes,
populations and areas; LGD codes for the four districts created after the census;
district-headquarters points from GeoNames (a few from Wikipedia infoboxes); Hindi names
from two public, non-official lists. Nothing here reads a file outside the package.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from oxychain.core.errors import InvalidInput, NotFound

DISTRICTS_RESOURCE = "up_districts.csv"

#: Districts created after the Census 2011 boundary freeze; the census has no figures
#: for them, so their population and area stay ``None`` (see up_districts.SOURCES.md).
POST_CENSUS_DISTRICTS = frozenset({"Amethi", "Shamli", "Hapur", "Sambhal"})

#: Hindi names of the 18 divisions (mandal). Sixteen are named after a district and use
#: that district's Hindi name from up_districts.csv; "Kanpur" (HQ Kanpur Nagar) and
#: "Devipatan" (HQ Gonda) are not district names: कानपुर and देवीपाटन, as public
#: lists of UP mandals spell them (no official Hindi list was found). Mirzapur is
#: officially Vindhyachal (विंध्याचल) division; the CSV calls it Mirzapur.
DIVISION_NAMES_HI: dict[str, str] = {
    "Agra": "आगरा",
    "Aligarh": "अलीगढ़",
    "Ayodhya": "अयोध्या",
    "Azamgarh": "आजमगढ़",
    "Bareilly": "बरेली",
    "Basti": "बस्ती",
    "Chitrakoot": "चित्रकूट",
    "Devipatan": "देवीपाटन",
    "Gorakhpur": "गोरखपुर",
    "Jhansi": "झांसी",
    "Kanpur": "कानपुर",
    "Lucknow": "लखनऊ",
    "Meerut": "मेरठ",
    "Mirzapur": "मिर्जापुर",
    "Moradabad": "मुरादाबाद",
    "Prayagraj": "प्रयागराज",
    "Saharanpur": "सहारनपुर",
    "Varanasi": "वाराणसी",
}


@dataclass(frozen=True, slots=True)
class District:
    """One district of Uttar Pradesh.

    ``code`` is the Census 2011 district code ("146") or, for a district created after
    the census, its LGD code with a prefix ("LGD:640"). ``population_2011`` and
    ``area_km2`` are Census 2011 figures for 2011 boundaries: ``None`` for the four
    post-census districts, and overstated for their six parent districts.
    ``lat``/``lon`` are the headquarters town's point (WGS84).
    """

    code: str
    name: str
    name_hi: str
    aliases: tuple[str, ...]
    division: str
    population_2011: int | None
    area_km2: int | None
    lat: float
    lon: float

    @property
    def division_hi(self) -> str:
        return DIVISION_NAMES_HI[self.division]


def _optional_int(text: str) -> int | None:
    text = text.strip()
    return int(text) if text else None


def _parse(text: str) -> tuple[District, ...]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    return tuple(
        District(
            code=row["district_code"].strip(),
            name=row["district"].strip(),
            name_hi=row["district_hi"].strip(),
            aliases=tuple(a.strip() for a in row["aliases"].split("|") if a.strip()),
            division=row["division"].strip(),
            population_2011=_optional_int(row["population_2011"]),
            area_km2=_optional_int(row["area_km2"]),
            lat=float(row["lat"]),
            lon=float(row["lon"]),
        )
        for row in reader
    )


@cache
def _districts() -> tuple[District, ...]:
    # The shipped file never changes at run time, so one read per process is enough.
    source = resources.files("oxychain.masterdata") / "data" / DISTRICTS_RESOURCE
    return _parse(source.read_text(encoding="utf-8"))


def load_up_districts() -> list[District]:
    """The 75 districts in the order of the packaged CSV (sorted by English name).

    Returns a fresh list each call (the districts themselves are immutable), so a
    caller that sorts or filters it cannot disturb the cached copy.
    """
    return list(_districts())


def _key(text: str) -> str:
    # Case, spaces and punctuation vary between lists ("Bara Banki", "Barabanki",
    # "Siddharth Nagar", "SIDDHARTHNAGAR"), so keys keep letters and digits only.
    # Devanagari vowel signs and nukta are combining marks (category M), not alnum.
    return "".join(
        ch
        for ch in unicodedata.normalize("NFKC", text).casefold()
        if ch.isalnum() or unicodedata.category(ch).startswith("M")
    )


class DistrictLookup:
    """Finds a district by code, English name, Hindi name or former name.

    Case, spaces and punctuation are ignored. Two districts share a former name
    (Chhatrapati Shahuji Maharaj Nagar: Chitrakoot 1997-98, Amethi 2010-12; see
    up_districts.SOURCES.md), so such a name is refused as ambiguous, not guessed.
    """

    def __init__(self, districts: Iterable[District]) -> None:
        self._by_key: dict[str, set[str]] = {}
        self._by_code: dict[str, District] = {}
        for district in districts:
            self._by_code[district.code] = district
            for text in (district.code, district.name, district.name_hi, *district.aliases):
                self._by_key.setdefault(_key(text), set()).add(district.code)

    def find(self, text: str) -> District:
        """The district meant by ``text``; NotFound if none, InvalidInput if several."""
        codes = self._by_key.get(_key(text), set()) if text.strip() else set()
        if len(codes) == 1:
            return self._by_code[next(iter(codes))]
        if codes:
            names = ", ".join(sorted(self._by_code[c].name for c in codes))
            raise InvalidInput(
                f"{text!r} names more than one district ({names}); use the current name",
                code="district_ambiguous",
                district=text,
            )
        raise NotFound(
            f"No district of Uttar Pradesh called {text!r}", code="district_unknown", district=text
        )


def district_by_code(code: str) -> District:
    """The district with this Census 2011 code (or ``LGD:`` code); NotFound otherwise."""
    for district in _districts():
        if district.code == code:
            return district
    raise NotFound(f"No district with code {code!r}", code="district_not_found", district=code)
