"""The open-contracting export: a release package that validates against OCDS 1.1.5 and
the bids extension, and discloses nothing sealed."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from oxychain.transparency.domain.ocds import BIDS_EXTENSION, Publisher, ocid, release_package
from oxychain.transparency.domain.records import ContractingRecords
from tests.transparency.ocds_schema import errors, package_validator
from tests.transparency.records_data import full_records

PUBLISHER = Publisher(
    name="State Medical Supplies Corporation (demo)",
    address="Lucknow, Uttar Pradesh",
    ocid_prefix="ocds-XXXXXX-oxychain",
    base_uri="https://example.invalid/ocds",
)
NOW = datetime(2026, 11, 27, 6, 0, tzinfo=UTC)


def _package() -> dict:
    return release_package(full_records(), PUBLISHER, NOW)


def _releases(package: dict, reference: str) -> dict[str, dict]:
    process = ocid(PUBLISHER, reference)
    return {
        r["id"].removeprefix(process + "-"): r for r in package["releases"] if r["ocid"] == process
    }


def test_package_validates_against_the_schema_and_the_bids_extension() -> None:
    package = _package()
    assert errors(package) == []
    assert package["version"] == "1.1"
    assert package["extensions"] == [BIDS_EXTENSION]
    assert package["publishedDate"] == "2026-11-27T06:00:00Z"
    assert package["uri"].startswith("https://example.invalid/ocds/")


def test_the_validator_catches_a_broken_release() -> None:
    package = _package()
    package["releases"][0]["tag"] = ["bidding"]
    del package["releases"][1]["ocid"]
    package["releases"][2]["date"] = "27-11-2026"
    package["releases"][3].setdefault("bids", {})["statistics"] = [{"id": "x", "value": 1}]
    found = errors(package)
    assert len(found) == 4, found


def test_releases_follow_the_process() -> None:
    releases = _releases(_package(), "SMSC/2026/OC-01")
    assert list(releases) == [
        "tender", "corrigendum-C1", "bids", "award-AW-SUP-A",
        "contract-PO/2026/0001-v1", "contract-PO/2026/0001-v2",
    ]  # fmt: skip
    tags = {key: r["tag"] for key, r in releases.items()}
    assert tags["corrigendum-C1"] == ["tenderAmendment"]
    assert tags["bids"] == ["tenderUpdate"]
    assert tags["contract-PO/2026/0001-v2"] == ["contractAmendment"]
    stats = {s["measure"]: s["value"] for s in releases["bids"]["bids"]["statistics"]}
    assert stats["bids"] == 3 and stats["validBids"] == 3
    assert stats["lowestValidBidValue"] == 4_000_000  # ₹40,000 × 100
    award = releases["award-AW-SUP-A"]["awards"][0]
    assert award["value"] == {"amount": 4_000_000, "currency": "INR"}
    assert award["suppliers"] == [{"id": "SUP-A", "name": "Ganga Medical Devices (synthetic)"}]
    contract = releases["contract-PO/2026/0001-v2"]["contracts"][0]
    assert contract["amendments"][0]["amendsReleaseID"].endswith("contract-PO/2026/0001-v1")
    milestones = contract["implementation"]["milestones"]
    assert [m["status"] for m in milestones] == ["met", "partiallyMet"]
    assert milestones[0]["dueDate"] == "2026-07-15T00:00:00+05:30"


def test_nothing_sealed_or_private_is_published() -> None:
    package = _package()
    sealed = _releases(package, "SMSC/2026/OC-04")  # closed, not opened
    assert list(sealed) == ["tender", "bids"]
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
    assert "SUP-E" not in text  # bid in sealed tenders only (and withdrew from one)
    assert "SMSC/2026/OC-06" not in text  # a draft is not published


def test_cancelled_tender_has_its_cancellation() -> None:
    releases = _releases(_package(), "SMSC/2026/OC-05")
    assert releases["cancellation"]["tag"] == ["tenderCancellation"]
    assert releases["cancellation"]["tender"]["status"] == "cancelled"


def test_empty_records_give_an_empty_package() -> None:
    package = release_package(ContractingRecords(), PUBLISHER, NOW)
    assert package["releases"] == []
    # The schema asks for at least one release: nothing else is wrong with it.
    found = [(list(e.absolute_path), e.validator) for e in package_validator().iter_errors(package)]
    assert found == [(["releases"], "minItems")]
