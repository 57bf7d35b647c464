"""The seeded synthetic facility generator (norms: IPHS 2012)."""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict

import pytest

from oxychain.core.errors import InvalidInput
from oxychain.masterdata.domain.facilities import (
    CHC_BEDS,
    DEFAULT_SCALE,
    PHC_BEDS,
    FacilityKind,
    district_hospital_beds,
    facility_counts,
    generate_facilities,
    parse_kind,
)
from oxychain.masterdata.domain.geography import load_up_districts

DH, CHC, PHC = FacilityKind.DISTRICT_HOSPITAL, FacilityKind.CHC, FacilityKind.PHC


@pytest.fixture(scope="module")
def facilities():
    return generate_facilities(load_up_districts())


@pytest.fixture(scope="module")
def by_district(facilities):
    grouped = defaultdict(list)
    for facility in facilities:
        grouped[facility.district_code].append(facility)
    return grouped


def test_same_seed_same_output(facilities):
    assert generate_facilities(load_up_districts(), seed=2022) == facilities


def test_other_seed_moves_facilities_but_keeps_counts(facilities):
    other = generate_facilities(load_up_districts(), seed=7)
    assert [f.code for f in other] == [f.code for f in facilities]
    assert [(f.lat, f.lon) for f in other] != [(f.lat, f.lon) for f in facilities]


def test_output_for_a_district_does_not_depend_on_the_others(facilities):
    reversed_run = generate_facilities(list(reversed(load_up_districts())))
    assert sorted(reversed_run, key=lambda f: f.code) == sorted(facilities, key=lambda f: f.code)


def test_state_total_is_a_few_thousand(facilities):
    kinds = Counter(f.kind for f in facilities)
    assert kinds[DH] == 75
    assert 3000 < len(facilities) < 6000
    assert FacilityKind.HOME not in kinds


def test_counts_per_district_follow_the_iphs_norms(by_district):
    populations = [d.population_2011 for d in load_up_districts() if d.population_2011]
    median = round(statistics.median(populations))
    for district in load_up_districts():
        kinds = Counter(f.kind for f in by_district[district.code])
        population = district.population_2011 or median
        assert kinds[DH] == 1
        assert (kinds[CHC], kinds[PHC]) == facility_counts(population), district.name
        # 1 CHC per 1,20,000 and 1 PHC per 30,000, scaled; rounding only.
        assert abs(kinds[CHC] - population * DEFAULT_SCALE / 120_000) <= 0.5
        assert abs(kinds[PHC] - population * DEFAULT_SCALE / 30_000) <= 0.5


def test_more_people_more_facilities(by_district):
    by_name = {d.name: d for d in load_up_districts()}
    big = by_district[by_name["Prayagraj"].code]  # the most populous in 2011
    small = by_district[by_name["Mahoba"].code]  # the least populous
    assert len(big) > 5 * len(small)
    assert district_hospital_beds(5_954_391) > district_hospital_beds(875_958)


def test_post_census_districts_are_sized_at_the_median(by_district):
    populations = [d.population_2011 for d in load_up_districts() if d.population_2011]
    expected = facility_counts(round(statistics.median(populations)))
    for district in load_up_districts():
        if district.population_2011 is None:
            kinds = Counter(f.kind for f in by_district[district.code])
            assert (kinds[CHC], kinds[PHC]) == expected


def test_every_facility_says_synthetic_in_both_languages(facilities):
    for facility in facilities:
        assert facility.synthetic
        assert facility.name.endswith("(synthetic)")
        assert facility.name_hi.endswith("(कृत्रिम)")


def test_names_and_codes(facilities):
    assert len({f.code for f in facilities}) == len(facilities)
    names = {(f.code, f.name, f.name_hi) for f in facilities}
    assert ("SYN-146-CHC-03", "CHC Agra-03 (synthetic)", "सीएचसी आगरा-03 (कृत्रिम)") in names
    assert ("SYN-146-DH", "District Hospital Agra (synthetic)", "जिला अस्पताल आगरा (कृत्रिम)") in names
    assert any(f.code == "SYN-L640-PHC-001" for f in facilities)  # Amethi


def test_beds_by_kind(facilities):
    for facility in facilities:
        if facility.kind is DH:
            assert facility.beds in (100, 200, 300, 400, 500)
        else:
            assert facility.beds == {CHC: CHC_BEDS, PHC: PHC_BEDS}[facility.kind]


@pytest.mark.parametrize(
    ("population", "beds"),
    [
        (0, 100),
        (900_000, 100),
        (1_000_000, 200),
        (2_000_000, 300),
        (4_000_000, 500),
        (10_000_000, 500),
    ],
)
def test_district_hospital_grade(population, beds):
    # 22 beds per lakh x 0.5, rounded up to the next IPHS grade
    assert district_hospital_beds(population) == beds


def test_points_stay_near_the_headquarters(facilities):
    districts = {d.code: d for d in load_up_districts()}
    areas = [d.area_km2 for d in districts.values() if d.area_km2]
    for facility in facilities:
        hq = districts[facility.district_code]
        km = math.hypot(
            (facility.lat - hq.lat) * 111.32,
            (facility.lon - hq.lon) * 111.32 * math.cos(math.radians(hq.lat)),
        )
        area = hq.area_km2 or statistics.median(areas)
        limit = 2.1 if facility.kind is DH else 0.6 * math.sqrt(area / math.pi) + 0.1
        assert km <= limit, facility.code


@pytest.mark.parametrize("scale", [0, -1, 1.5])
def test_scale_must_be_a_share(scale):
    with pytest.raises(InvalidInput):
        generate_facilities(load_up_districts(), scale=scale)


def test_no_districts_no_facilities():
    assert generate_facilities([]) == []


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("DH", DH),
        ("D.H.", DH),
        ("District Hospital", DH),
        ("district_hospital", DH),
        ("जिला अस्पताल", DH),
        ("chc", CHC),
        ("Community Health Center", CHC),
        ("PHC", PHC),
        ("Primary Health Centre", PHC),
        ("पीएचसी", PHC),
        ("home", FacilityKind.HOME),
        ("clinic", None),
    ],
)
def test_parse_kind(text, kind):
    assert parse_kind(text) is kind
