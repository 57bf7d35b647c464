"""The packaged district master data (source: up_districts.SOURCES.md)."""

from __future__ import annotations

import dataclasses
from importlib import resources

import pytest

from oxychain.core.errors import InvalidInput, NotFound
from oxychain.masterdata.domain.geography import (
    DIVISION_NAMES_HI,
    POST_CENSUS_DISTRICTS,
    DistrictLookup,
    district_by_code,
    load_up_districts,
)

UP_POPULATION_2011 = 199_812_341  # Census 2011 PCA, state row
UP_AREA_KM2 = 240_928


def _is_devanagari(text: str) -> bool:
    letters = [ch for ch in text if not ch.isspace()]
    return bool(letters) and all("\u0900" <= ch <= "\u097f" for ch in letters)


def test_75_districts_with_unique_codes_and_names():
    districts = load_up_districts()
    assert len(districts) == 75
    assert len({d.code for d in districts}) == 75
    assert len({d.name for d in districts}) == 75


def test_population_over_filled_rows_is_the_census_state_total():
    filled = [d.population_2011 for d in load_up_districts() if d.population_2011 is not None]
    assert len(filled) == 71
    assert sum(filled) == UP_POPULATION_2011
    assert sum(d.area_km2 or 0 for d in load_up_districts()) == UP_AREA_KM2


def test_the_four_post_census_districts_have_no_population_or_area():
    empty = {d.name for d in load_up_districts() if d.population_2011 is None}
    assert empty == {"Amethi", "Shamli", "Hapur", "Sambhal"} == POST_CENSUS_DISTRICTS
    for district in load_up_districts():
        if district.name in POST_CENSUS_DISTRICTS:
            assert district.area_km2 is None
            assert district.code.startswith("LGD:")


def test_every_district_has_a_hindi_name():
    for district in load_up_districts():
        assert _is_devanagari(district.name_hi), district.name


def test_lucknow():
    lucknow = district_by_code("157")
    assert lucknow.name == "Lucknow"
    assert lucknow.name_hi == "लखनऊ"
    assert (lucknow.lat, lucknow.lon) == (26.8393, 80.9231)
    assert lucknow.division == "Lucknow"
    assert lucknow.population_2011 == 4_589_838


def test_18_divisions_each_with_a_hindi_name():
    divisions = {d.division for d in load_up_districts()}
    assert len(divisions) == 18
    assert divisions == set(DIVISION_NAMES_HI)
    assert all(_is_devanagari(name) for name in DIVISION_NAMES_HI.values())
    assert district_by_code("183").division_hi == "देवीपाटन"  # Gonda


def test_aliases_are_split():
    by_name = {d.name: d for d in load_up_districts()}
    assert by_name["Prayagraj"].aliases == ("Allahabad",)
    assert by_name["Kushinagar"].aliases == ("Padrauna", "Kushi Nagar")
    assert by_name["Agra"].aliases == ()


def test_headquarters_points_lie_in_uttar_pradesh():
    for district in load_up_districts():
        assert 23.8 < district.lat < 30.5 and 77.0 < district.lon < 84.7, district.name


def test_districts_are_immutable_and_the_cache_is_not_exposed():
    districts = load_up_districts()
    with pytest.raises(dataclasses.FrozenInstanceError):
        districts[0].name = "X"  # type: ignore[misc]
    districts.clear()
    assert len(load_up_districts()) == 75


def test_data_ships_inside_the_package():
    data = resources.files("oxychain.masterdata") / "data"
    assert (data / "up_districts.csv").is_file()
    assert (data / "up_districts.SOURCES.md").is_file()


def test_unknown_code_is_not_found():
    with pytest.raises(NotFound) as caught:
        district_by_code("999")
    assert caught.value.code == "district_not_found"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("lucknow", "Lucknow"),
        ("  LUCKNOW ", "Lucknow"),
        ("Allahabad", "Prayagraj"),
        ("Faizabad", "Ayodhya"),
        ("Bara Banki", "Barabanki"),
        ("Siddharth Nagar", "Siddharthnagar"),
        ("kushi-nagar", "Kushinagar"),
        ("लखनऊ", "Lucknow"),
        ("146", "Agra"),
        ("LGD:640", "Amethi"),
        ("Prabuddh Nagar", "Shamli"),
    ],
)
def test_lookup_by_name_alias_hindi_or_code(text, name):
    assert DistrictLookup(load_up_districts()).find(text).name == name


def test_lookup_refuses_a_former_name_two_districts_had():
    with pytest.raises(InvalidInput) as caught:
        DistrictLookup(load_up_districts()).find("Chhatrapati Shahuji Maharaj Nagar")
    assert caught.value.code == "district_ambiguous"
    assert "Amethi" in caught.value.message and "Chitrakoot" in caught.value.message


@pytest.mark.parametrize("text", ["Kanpur", "Delhi", "", "  ", "640"])
def test_lookup_unknown(text):
    with pytest.raises(NotFound) as caught:
        DistrictLookup(load_up_districts()).find(text)
    assert caught.value.code == "district_unknown"
