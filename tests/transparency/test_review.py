"""The export as the Open Contracting Partnership's own tools read it, offline:
libcoveocds (the review library behind the Data Review Tool) finds no validation or
conformance error once a real prefix is set, and ocdskit's compile (OCDS Merge) gives each
process a record whose tender.status history reads planned, active, complete."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from oxychain.transparency.domain.ocds import release_package
from tests.transparency.libcove import review
from tests.transparency.ocds_schema import _load, merge_patch
from tests.transparency.records_data import full_records
from tests.transparency.test_ocds import NOW, PUBLISHER

OCDSKIT = Path(sys.executable).parent / "ocdskit"


def _package() -> dict:
    return release_package(full_records(), PUBLISHER, NOW)


def test_libcoveocds_finds_no_validation_or_conformance_error(tmp_path: Path) -> None:
    result = review(_package(), tmp_path)
    assert result["validation_errors"] == []
    assert "conformance_errors" not in result
    assert result["additional_closed_codelist_values"] == {}
    assert result["extensions"]["invalid_extension"] == {}  # the bids extension was applied
    assert result["extensions"]["is_extended_schema"] is True


def test_libcoveocds_sees_the_placeholder_prefix(tmp_path: Path) -> None:
    placeholder = replace(PUBLISHER, ocid_prefix="ocds-XXXXXX-oxychain")
    result = review(release_package(full_records(), placeholder, NOW), tmp_path)
    bad = result["conformance_errors"]["ocds_prefixes_bad_format"]
    assert len(bad) == len(_package()["releases"])


def _compiled(workdir: Path) -> dict[str, dict]:
    """`ocdskit compile --versioned` of the package: one versioned release per process. The
    schema (1.1.5 with the bids extension) is given, so nothing is fetched."""
    schema = merge_patch(_load("release-schema.json"), _load("bids-extension-release-schema.json"))
    (workdir / "schema.json").write_text(json.dumps(schema), encoding="utf-8")
    done = subprocess.run(
        [str(OCDSKIT), "compile", "--versioned", "--schema", str(workdir / "schema.json")],
        input=json.dumps(_package()), capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    versioned = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    return {v["ocid"]: v for v in versioned}


def test_compiled_records_tell_the_true_status_history(tmp_path: Path) -> None:
    records = _compiled(tmp_path)
    history = records["ocds-t3st01-oxychain-SMSC-2026-OC-01"]["tender"]["status"]
    assert [(h["value"], h["releaseDate"]) for h in history] == [
        ("planned", "2026-05-01T04:30:00Z"),  # drafted 3 days before publication
        ("active", "2026-05-04T04:30:00Z"),  # published
        ("complete", "2026-06-13T04:30:00Z"),  # awarded
    ]
    cancelled = records["ocds-t3st01-oxychain-SMSC-2026-OC-05"]["tender"]["status"]
    assert [h["value"] for h in cancelled] == ["planned", "active", "cancelled"]
    sealed = records["ocds-t3st01-oxychain-SMSC-2026-OC-04"]["tender"]["status"]
    assert [h["value"] for h in sealed] == ["planned", "active"]


def test_compiled_contract_has_one_id_and_the_latest_terms(tmp_path: Path) -> None:
    record = _compiled(tmp_path)["ocds-t3st01-oxychain-SMSC-2026-OC-01"]
    assert [c["id"] for c in record["contracts"]] == ["PO/2026/0001"]
    amendments = record["contracts"][0]["amendments"]
    assert amendments[-1]["rationale"][-1]["value"] == "Tranche 2 moved to Gorakhpur"
    milestones = record["contracts"][0]["implementation"]["milestones"]
    assert [[h["value"] for h in m["status"]] for m in milestones] == [
        ["scheduled", "met"],
        ["scheduled", "partiallyMet"],
    ]
