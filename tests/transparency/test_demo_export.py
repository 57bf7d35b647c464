"""The export of the demo scenario (SQLite and PostgreSQL), as a publisher with a real
prefix would publish it: libcoveocds finds no error, no release states a fact after its
date, and finance's payments and liquidated-damages deductions appear as contract
implementation transactions that add up to what finance holds."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from oxychain.app import Settings, bootstrap
from oxychain.core.people import SYSTEM
from oxychain.finance.services import exports
from oxychain.transparency import services as transparency
from tests.transparency.libcove import review
from tests.transparency.test_ocds import _facts, _when

REAL = {
    "ocds_ocid_prefix": "ocds-t3st01-oxychain",
    "ocds_base_uri": "https://data.upmscl.test/ocds",
    "ocds_documents_uri": "https://oxychain.upmscl.test",
    "ocds_publisher_uid": "U85100UP2019SGC000001",
    "ocds_license": "https://data.gov.in/government-open-data-license-india",
    "ocds_publication_policy": "https://upmscl.test/open-contracting-policy",
}


@pytest.fixture
def package(demo):  # noqa: ANN001, ANN201
    url, _ = demo
    app = bootstrap(Settings(database_url=url, environment="test", **REAL))
    try:
        yield app, transparency.ocds_package(app.uow(SYSTEM), app.settings)
    finally:
        app.close()


def test_the_demo_export_passes_review_and_keeps_to_its_dates(package, tmp_path: Path) -> None:  # noqa: ANN001
    _, found = package
    assert len(found["releases"]) > 10
    result = review(found, tmp_path)
    assert result["validation_errors"] == []
    assert "conformance_errors" not in result
    for release in found["releases"]:
        at = _when(release["date"])
        body = {k: v for k, v in release.items() if k != "date"}
        late = [(p, w) for p, w in _facts(body) if _when(w) > at]
        assert late == [], release["id"]


def test_payments_and_deductions_are_contract_transactions(package) -> None:  # noqa: ANN001
    app, found = package
    with app.uow(SYSTEM) as uow:
        bills = [b for b in uow.finance.bills() if b.checked_at and b.status != "rejected"]
        expected = sum(b.paid_paise + b.deducted_paise for b in bills)
    assert expected > 0
    latest: dict[str, list[dict]] = {}
    for release in found["releases"]:
        for contract in release.get("contracts", []):
            paid = contract.get("implementation", {}).get("transactions")
            if paid:
                latest[contract["id"]] = paid  # releases are in date order per contract
    assert latest, "no transaction in the export"
    total = sum(
        round(Decimal(str(t["value"]["amount"])) * 100) for ts in latest.values() for t in ts
    )
    assert total == expected  # to the paisa
    kinds = {t["id"].split("-")[-2] for ts in latest.values() for t in ts}
    assert {"payment", "liquidated_damages"} <= kinds
    moves = exports.contract_movements(app.uow(SYSTEM))
    assert set(latest) == set(moves)
    release = next(r for r in found["releases"] if r["tag"] == ["implementation"]
                   and r["contracts"][0].get("implementation", {}).get("transactions"))  # fmt: skip
    parties = {p["id"] for p in release["parties"]}
    for t in release["contracts"][0]["implementation"]["transactions"]:
        assert {t["payer"]["id"], t["payee"]["id"]} <= parties
