"""The open-contracting export: a release package that validates against OCDS 1.1.5 and
the bids extension (jsonschema here; libcoveocds in test_review.py), releases that are
snapshots in time, and nothing sealed or private published."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from oxychain.core.errors import InvalidInput
from oxychain.transparency.domain.ocds import (
    BIDS_EXTENSION,
    Publisher,
    check_publishable,
    ocid,
    release_package,
)
from oxychain.transparency.domain.records import ContractingRecords
from tests.transparency.ocds_schema import errors, package_validator
from tests.transparency.records_data import BIDDERS, full_records

PUBLISHER = Publisher(
    name="Uttar Pradesh Medical Supplies Corporation (test)",
    address="Vibhuti Khand, Gomti Nagar",
    ocid_prefix="ocds-t3st01-oxychain",
    base_uri="https://data.upmscl.test/ocds",
    documents_uri="https://oxychain.upmscl.test",
    scheme="IN-MCA",
    uid="U85100UP2019SGC000001",
    license="https://data.gov.in/government-open-data-license-india",
    publication_policy="https://upmscl.test/open-contracting-policy",
)
NOW = datetime(2026, 11, 27, 6, 0, tzinfo=UTC)
# The fields that say when something happened (not a plan, such as a due date or deadline).
FACT_DATES = {"date", "dateSigned", "dateMet", "datePublished", "dateModified"}


def _package() -> dict:
    return release_package(full_records(), PUBLISHER, NOW)


def _releases(package: dict, reference: str) -> dict[str, dict]:
    process = ocid(PUBLISHER, reference)
    return {
        r["id"].removeprefix(process + "-"): r for r in package["releases"] if r["ocid"] == process
    }


def _facts(node, path: str = ""):  # noqa: ANN001, ANN202
    """(path, date) of every dated fact in a release below its own date."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in FACT_DATES and isinstance(value, str):
                yield f"{path}/{key}", value
            else:
                yield from _facts(value, f"{path}/{key}")
    elif isinstance(node, list):
        for n, value in enumerate(node):
            yield from _facts(value, f"{path}/{n}")


def _when(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_package_validates_against_the_schema_and_the_bids_extension() -> None:
    package = _package()
    assert errors(package) == []
    assert package["version"] == "1.1"
    assert package["extensions"] == [BIDS_EXTENSION]
    assert package["publishedDate"] == "2026-11-27T06:00:00Z"
    assert package["uri"].startswith("https://data.upmscl.test/ocds/")
    assert package["license"] == PUBLISHER.license
    assert package["publicationPolicy"] == PUBLISHER.publication_policy
    assert package["publisher"] == {
        "name": PUBLISHER.name,
        "scheme": "IN-MCA",
        "uid": "U85100UP2019SGC000001",
    }


def test_the_validator_catches_a_broken_release() -> None:
    package = _package()
    package["releases"][0]["tag"] = ["bidding"]
    del package["releases"][1]["ocid"]
    package["releases"][2]["date"] = "27-11-2026"
    package["releases"][3].setdefault("bids", {})["statistics"] = [{"id": "x", "value": 1}]
    found = errors(package)
    assert len(found) == 4, found


def test_no_release_states_a_fact_dated_after_it() -> None:
    package = _package()
    checked = 0
    for release in package["releases"]:
        at = _when(release["date"])
        body = {k: v for k, v in release.items() if k != "date"}
        for path, when in _facts(body):
            checked += 1
            assert _when(when) <= at, f"{release['id']}{path}: {when} after {release['date']}"
    assert checked > 50


def test_the_checker_would_see_a_fact_from_the_future() -> None:
    release = _releases(_package(), "SMSC/2026/OC-01")["tender"]
    release["tender"]["amendments"] = [{"id": "C9", "date": "2027-01-01T00:00:00Z"}]
    found = [when for _, when in _facts(release) if _when(when) > _when(release["date"])]
    assert found == ["2027-01-01T00:00:00Z"]


def test_each_release_is_a_snapshot_of_its_date() -> None:
    releases = _releases(_package(), "SMSC/2026/OC-01")
    assert list(releases)[:8] == [
        "planning", "tender", "corrigendum-C1", "bids", "opening", "evaluation", "prices",
        "award-AW-SUP-A",
    ]  # fmt: skip
    status = {key: r["tender"]["status"] for key, r in releases.items()}
    assert status["planning"] == "planned"
    assert status["tender"] == status["prices"] == "active"
    assert status["award-AW-SUP-A"] == "complete"
    tender = releases["tender"]
    # At publication: the first deadline, no bidder, no supplier, no bid count.
    assert tender["tender"]["tenderPeriod"]["endDate"] == "2026-05-25T04:30:00Z"
    assert releases["corrigendum-C1"]["tender"]["tenderPeriod"]["endDate"] == "2026-05-28T04:30:00Z"
    assert "tenderers" not in tender["tender"] and "numberOfTenderers" not in tender["tender"]
    assert [p["roles"] for p in tender["parties"]] == [["buyer", "procuringEntity"]]
    assert "bids" not in tender
    assert "details" not in releases["bids"]["bids"]
    opening = releases["opening"]["bids"]["details"]
    assert {d["status"] for d in opening} == {"pending"} and all("value" not in d for d in opening)
    evaluation = releases["evaluation"]["bids"]["details"]
    assert {d["status"] for d in evaluation} == {"valid"} and all(
        "value" not in d for d in evaluation
    )
    assert all("value" in d for d in releases["prices"]["bids"]["details"])
    stats = {s["measure"]: s["value"] for s in releases["prices"]["bids"]["statistics"]}
    assert stats["lowestValidBidValue"] == 4_000_000  # ₹40,000 × 100


def test_contracts_keep_one_id_and_carry_their_amendments() -> None:
    releases = _releases(_package(), "SMSC/2026/OC-01")
    first = releases["contract-PO-2026-0001-v1"]["contracts"][0]
    second = releases["contract-PO-2026-0001-v2"]
    assert releases["contract-PO-2026-0001-v1"]["tag"] == ["contract"]
    assert second["tag"] == ["contractAmendment"]
    assert first["id"] == second["contracts"][0]["id"] == "PO/2026/0001"
    amendment = second["contracts"][0]["amendments"][0]
    assert amendment["amendsReleaseID"].endswith("contract-PO-2026-0001-v1")
    assert amendment["rationale"] == "Tranche 2 moved to Gorakhpur"
    # At issue nothing is delivered yet; each delivery is an implementation release.
    assert {m["status"] for m in first["implementation"]["milestones"]} == {"scheduled"}
    implementation = [r for k, r in releases.items() if k.startswith("implementation-")]
    assert [r["tag"] for r in implementation] == [["implementation"]] * 2
    last = implementation[-1]["contracts"][0]["implementation"]["milestones"]
    assert [m["status"] for m in last] == ["met", "partiallyMet"]
    assert last[0]["dueDate"] == "2026-07-15T00:00:00+05:30"


def test_parties_carry_their_identifiers_and_the_buyer_is_the_procuring_entity() -> None:
    award = _releases(_package(), "SMSC/2026/OC-01")["award-AW-SUP-A"]
    buyer, *others = award["parties"]
    assert buyer["id"] == "IN-MCA-U85100UP2019SGC000001"
    assert buyer["identifier"]["scheme"] == "IN-MCA"
    assert award["buyer"]["id"] == award["tender"]["procuringEntity"]["id"] == buyer["id"]
    ganga = next(p for p in others if p["name"].startswith("Ganga"))
    bidder = BIDDERS["SUP-A"]
    assert ganga["id"] == f"IN-GSTIN-{bidder.gstin}"
    assert ganga["identifier"] == {"scheme": "IN-GSTIN", "id": bidder.gstin,
                                   "legalName": bidder.name}  # fmt: skip
    schemes = {i["scheme"]: i["id"] for i in ganga["additionalIdentifiers"]}
    assert schemes == {"IN-PAN": bidder.pan, "IN-UDYAM": bidder.udyam}
    assert ganga["roles"] == ["supplier", "tenderer"]
    assert ganga["address"]["streetAddress"] == "12 Civil Lines, Kanpur"
    assert award["awards"][0]["suppliers"] == [{"id": ganga["id"], "name": bidder.name}]


def test_items_are_classified_and_documents_linked() -> None:
    releases = _releases(_package(), "SMSC/2026/OC-01")
    item = releases["tender"]["tender"]["items"][0]
    assert item["classification"]["scheme"] == "UNSPSC"
    assert item["unit"]["scheme"] == "UNCEFACT" and item["unit"]["id"] == "H87"
    docs = {d["documentType"]: d["url"] for d in releases["prices"]["tender"]["documents"]}
    assert docs["tenderNotice"].startswith("https://oxychain.upmscl.test/public/tenders/")
    assert docs["evaluationReports"].endswith("/comparative")
    assert "awardNotice" not in docs  # not yet awarded at the financial opening


def test_nothing_sealed_or_private_is_published() -> None:
    package = _package()
    sealed = _releases(package, "SMSC/2026/OC-04")  # closed, not opened
    assert list(sealed) == ["planning", "tender", "bids"]
    bids = sealed["bids"]["bids"]
    assert "details" not in bids
    assert {s["measure"]: s["value"] for s in bids["statistics"]} == {
        "bids": 2,
        "electronicBids": 2,
    }
    assert "tenderers" not in sealed["bids"]["tender"]
    assert sealed["bids"]["tender"]["numberOfTenderers"] == 2
    text = json.dumps(package)
    assert "SBIN0001234" not in text  # bank accounts are compared, never published
    assert BIDDERS["SUP-E"].gstin not in text  # bid in sealed tenders only
    assert "SMSC/2026/OC-06" not in text  # a draft is not published


def test_cancelled_tender_has_its_cancellation() -> None:
    releases = _releases(_package(), "SMSC/2026/OC-05")
    assert releases["cancellation"]["tag"] == ["tenderCancellation"]
    assert releases["cancellation"]["tender"]["status"] == "cancelled"
    assert releases["tender"]["tender"]["status"] == "active"


def test_empty_records_give_an_empty_package() -> None:
    package = release_package(ContractingRecords(), PUBLISHER, NOW)
    assert package["releases"] == []
    # The schema asks for at least one release: nothing else is wrong with it.
    found = [(list(e.absolute_path), e.validator) for e in package_validator().iter_errors(package)]
    assert found == [(["releases"], "minItems")]


PLACEHOLDERS = Publisher(
    name="State Medical Supplies Corporation (demo)",
    address="Lucknow, Uttar Pradesh",
    ocid_prefix="ocds-XXXXXX-oxychain",
    base_uri="https://example.invalid/ocds",
)


@pytest.mark.parametrize(
    ("changes", "names"),
    [
        ({}, ["OCID_PREFIX", "BASE_URI", "DOCUMENTS_URI", "PUBLISHER_UID", "LICENSE", "POLICY"]),
        ({"ocid_prefix": "ocds-abc12"}, ["OCID_PREFIX"]),  # 5 characters, not 6
        ({"ocid_prefix": "ocds-xxxxxx"}, ["OCID_PREFIX"]),  # the placeholder in lower case
        ({"license": ""}, ["LICENSE"]),
        ({"base_uri": "https://example.invalid/x"}, ["BASE_URI"]),
    ],
)
def test_production_refuses_placeholders(changes: dict, names: list[str]) -> None:
    from dataclasses import replace

    publisher = PLACEHOLDERS if not changes else replace(PUBLISHER, **changes)
    with pytest.raises(InvalidInput, match="placeholder") as refused:
        check_publishable(publisher, "production")
    assert all(name in refused.value.params["names"] for name in names)
    check_publishable(publisher, "development")  # a demo may publish test values
    check_publishable(PUBLISHER, "production")  # a real prefix and policy: published
