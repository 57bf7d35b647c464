"""The open-contracting export and the red flags, read from the tendering tables on SQLite
and PostgreSQL, through the service and the `oxychain export` command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from oxychain.core.errors import Forbidden
from oxychain.core.people import SYSTEM, Principal, Role
from oxychain.masterdata import services as masterdata
from oxychain.masterdata.domain.suppliers import gstin_check_character
from oxychain.masterdata.tables import Item, Supplier
from oxychain.tendering.tables import (
    Award,
    Bid,
    Corrigendum,
    FinancialResult,
    PoTranche,
    PurchaseOrder,
    TechnicalEvaluation,
    Tender,
    TenderConsignee,
    TenderCriterion,
)
from oxychain.transparency import services as transparency
from tests.transparency.ocds_schema import errors

T0 = datetime(2026, 4, 1, 4, 30, tzinfo=UTC)
CANARY_PAISE = 9_876_543  # ₹98,765.43: a price that must not be published
GSTIN_A = "09AAACG4821C1Z" + gstin_check_character("09AAACG4821C1Z")
AUDITOR = Principal(user_id=1, username="auditor", role=Role.AUDITOR, language="en")


def _tender(reference: str, item: Item, status: str, **changes) -> Tender:  # noqa: ANN003
    fields = dict(
        reference=reference, title=f"Concentrators {reference} (synthetic)",
        title_hi="सांद्रक (कृत्रिम)",
        item_id=item.id,
        quantity=100, estimated_value_paise=41_000_00 * 100, emd_bp=200, emd_paise=82_000_00,
        performance_security_bp=300, ld_bp_per_week=50, ld_cap_bp=1000, warranty_months=24,
        bid_validity_days=90, mii_l1_share_bp=5000, mii_margin_bp=2000, mse_share_bp=2500,
        mse_margin_bp=1500, openers_required=2, status=status, created_at=T0,
        published_at=None if status == "draft" else T0, deadline=T0 + timedelta(days=21),
        opening_at=T0 + timedelta(days=21, hours=1),
    )  # fmt: skip
    fields.update(changes)
    return Tender(**fields)


def _bid(tender: Tender, supplier: Supplier, n: int, **changes) -> Bid:  # noqa: ANN003
    fields = dict(
        tender_id=tender.id, supplier_id=supplier.id, bidder=supplier.code, status="submitted",
        receipt_sha256=f"{tender.id:04d}{n:060d}", received_at=T0 + timedelta(days=20),
    )  # fmt: skip
    fields.update(changes)
    return Bid(**fields)


def _seed(app) -> None:  # noqa: ANN001
    masterdata.load_districts_and_warehouses(app.uow(SYSTEM, write=True))
    with app.uow(SYSTEM, write=True) as uow:
        s = uow.session
        item = uow.masterdata.item("OC-10") or uow.masterdata.items()[-1]
        lucknow, agra = [
            next(w for w in uow.masterdata.warehouses() if w.name.endswith(name))
            for name in ("Lucknow", "Agra")
        ]
        a, b, c = (
            Supplier(code="T-A", name="Ganga Devices (synthetic)", address="1 Mall Road, Kanpur",
                     phone="+91 90000 00001", email="a@example.in", gstin=GSTIN_A,
                     pan=GSTIN_A[2:12]),
            Supplier(code="T-B", name="Awadh Care (synthetic)", address="2 Ring Road, Lucknow",
                     phone="+91 90000 00002", email="b@example.in"),
            Supplier(code="T-C", name="Oxy Traders (synthetic)", address="3 Civil Lines, Agra",
                     phone="090000-00002", email="c@example.in"),
        )  # fmt: skip
        s.add_all([a, b, c])
        awarded = _tender("T/AWARDED", item, "awarded", awarded_at=T0 + timedelta(days=30),
                          technical_concluded_at=T0 + timedelta(days=23))  # fmt: skip
        sealed = _tender("T/SEALED", item, "closed", bid_count=3)
        evaluating = _tender("T/TECH", item, "technical_evaluation")
        s.add_all([awarded, sealed, evaluating, _tender("T/DRAFT", item, "draft")])
        s.flush()
        s.add_all([TenderConsignee(tender_id=awarded.id, tranche=1, warehouse_id=w.id,
                                   quantity=50, due_days=30) for w in (lucknow, agra)])  # fmt: skip
        s.add(Corrigendum(tender_id=awarded.id, number=1, published_at=T0 + timedelta(days=3),
                          text="Deadline unchanged; drawing 2 replaced", changes={}))  # fmt: skip
        criterion = TenderCriterion(tender_id=awarded.id, position=1, key="iso13485",
                                    kind="eligibility", label="ISO 13485 certificate",
                                    label_hi="", requirement="valid", source="tender")  # fmt: skip
        s.add(criterion)
        bids = {
            "A": _bid(awarded, a, 1, responsive=True),
            "B": _bid(awarded, b, 2, responsive=True),
            "C": _bid(awarded, c, 3, responsive=False),
            "sB": _bid(sealed, b, 4),
            "sC": _bid(sealed, c, 5),
            "sA": _bid(sealed, a, 6, status="withdrawn", withdrawn_at=T0 + timedelta(days=19)),
            "tA": _bid(evaluating, a, 7, responsive=True),
            "tB": _bid(evaluating, b, 8, responsive=True),
        }
        s.add_all(bids.values())
        s.flush()
        s.add(
            TechnicalEvaluation(
                bid_id=bids["C"].id,
                criterion_id=criterion.id,
                complies=False,
                reason="certificate expired",
                recorded_at=T0 + timedelta(days=22),
            )
        )
        for key, paise, rank in (("A", 40_000_00, 1), ("B", 40_200_00, 2), ("tA", CANARY_PAISE, 1)):
            tender_id = evaluating.id if key == "tA" else awarded.id
            s.add(
                FinancialResult(
                    tender_id=tender_id,
                    bid_id=bids[key].id,
                    unit_price_paise=paise,
                    gst_bp=0,
                    evaluated_unit_paise=paise,
                    evaluated_total_paise=paise * 100,
                    delivery_days=30,
                    rank=rank,
                )
            )
        award = Award(
            tender_id=awarded.id,
            bid_id=bids["A"].id,
            supplier_id=a.id,
            quantity=100,
            unit_price_paise=40_000_00,
            basis="l1",
            letter_number="LOA/T/1",
            awarded_at=T0 + timedelta(days=30),
            performance_security_bp=300,
            performance_security_paise=1_20_000_00,
        )
        s.add(award)
        s.flush()
        first = PurchaseOrder(
            number="PO/T/1",
            version=1,
            tender_id=awarded.id,
            award_id=award.id,
            supplier_id=a.id,
            item_id=item.id,
            quantity=100,
            unit_price_paise=40_000_00,
            issued_at=T0 + timedelta(days=32),
            status="superseded",
        )
        s.add(first)
        s.flush()
        second = PurchaseOrder(
            number="PO/T/1/A1",
            version=2,
            previous_id=first.id,
            tender_id=awarded.id,
            award_id=award.id,
            supplier_id=a.id,
            item_id=item.id,
            quantity=100,
            unit_price_paise=40_000_00,
            issued_at=T0 + timedelta(days=35),
            status="issued",
            amendment_reason="Agra tranche moved a week later",
        )
        s.add(second)
        s.flush()
        for po, agra_due in ((first, date(2026, 6, 1)), (second, date(2026, 6, 8))):
            s.add(
                PoTranche(
                    purchase_order_id=po.id,
                    number=1,
                    consignee_warehouse_id=lucknow.id,
                    quantity=50,
                    due_date=date(2026, 6, 1),
                    delivered_quantity=50,
                    delivered_on=date(2026, 5, 30),
                )
            )
            s.add(
                PoTranche(
                    purchase_order_id=po.id,
                    number=1,
                    consignee_warehouse_id=agra.id,
                    quantity=50,
                    due_date=agra_due,
                )
            )
        uow.commit()


@pytest.fixture
def seeded(app):  # noqa: ANN001, ANN201
    _seed(app)
    return app


def _by_id(package: dict) -> dict[str, dict]:
    return {r["id"].split("oxychain-", 1)[1]: r for r in package["releases"]}


def test_export_from_the_database_validates_and_keeps_bids_sealed(seeded) -> None:  # noqa: ANN001
    package = transparency.ocds_package(seeded.uow(AUDITOR), seeded.settings)
    assert errors(package) == []
    releases = _by_id(package)
    assert sorted(releases) == sorted([
        "T-AWARDED-tender", "T-AWARDED-corrigendum-1", "T-AWARDED-bids", "T-AWARDED-opening",
        "T-AWARDED-evaluation", "T-AWARDED-prices", "T-AWARDED-award-AW-1",
        "T-AWARDED-contract-PO-T-1-v1", "T-AWARDED-contract-PO-T-1-v2",
        "T-AWARDED-implementation-PO-T-1-20260529T183000Z",
        "T-SEALED-tender", "T-SEALED-bids", "T-TECH-tender", "T-TECH-bids", "T-TECH-opening",
    ])  # fmt: skip
    details = releases["T-AWARDED-prices"]["bids"]["details"]
    assert [(d["status"], d.get("value", {}).get("amount")) for d in details] == [
        ("valid", 4_000_000), ("valid", 4_020_000), ("disqualified", None),
    ]  # fmt: skip
    # Before the financial opening no price; before the evaluation no verdict.
    opening = releases["T-AWARDED-opening"]["bids"]["details"]
    assert {d["status"] for d in opening} == {"pending"} and all("value" not in d for d in opening)
    amended = releases["T-AWARDED-contract-PO-T-1-v2"]
    assert amended["tag"] == ["contractAmendment"]
    assert amended["contracts"][0]["id"] == "PO/T/1"
    assert amended["contracts"][0]["documents"][0]["url"].endswith("/pdf")
    delivered = releases["T-AWARDED-implementation-PO-T-1-20260529T183000Z"]
    milestones = delivered["contracts"][0]["implementation"]["milestones"]
    assert sorted((m["status"], m["dueDate"][:10]) for m in milestones) == [
        ("met", "2026-06-01"), ("scheduled", "2026-06-08"),
    ]  # fmt: skip
    award = releases["T-AWARDED-award-AW-1"]
    assert award["tender"]["status"] == "complete"
    assert award["tender"]["title_hi"] == "सांद्रक (कृत्रिम)"
    supplier = next(p for p in award["parties"] if "supplier" in p["roles"])
    assert supplier["identifier"] == {"scheme": "IN-GSTIN", "id": GSTIN_A,
                                      "legalName": "Ganga Devices (synthetic)"}  # fmt: skip
    sealed = releases["T-SEALED-bids"]
    assert "details" not in sealed["bids"] and sealed["tender"]["numberOfTenderers"] == 2
    text = json.dumps(package)
    assert "98765" not in text and "98,765" not in text  # not opened financially: unpublished
    assert "T/DRAFT" not in text


def test_red_flags_from_the_database(seeded) -> None:  # noqa: ANN001
    flags = transparency.red_flag_report(seeded.uow(AUDITOR), seeded.settings)
    assert sorted((f.code, f.tender) for f in flags) == [
        ("close_to_winner", "T/AWARDED"),  # ₹40,200 is 0.5 % above ₹40,000
        ("shared_details", "T/AWARDED"),  # T-B and T-C share a phone; in T/SEALED too, unopened
    ]
    supplier = Principal(user_id=2, username="s", role=Role.SUPPLIER, supplier_id=1)
    with pytest.raises(Forbidden):
        transparency.red_flag_report(seeded.uow(supplier), seeded.settings)


def _cli(url: str, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "OXYCHAIN_DATABASE_URL": url, "OXYCHAIN_ENVIRONMENT": "test"}
    return subprocess.run(
        [sys.executable, "-m", "oxychain.cli", "export", *args],
        env=env, cwd=cwd, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_export_commands(seeded, tmp_path: Path) -> None:  # noqa: ANN001
    url = seeded.settings.database_url
    out = tmp_path / "package.json"
    done = _cli(url, "ocds", "--output", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    assert errors(json.loads(out.read_text(encoding="utf-8"))) == []
    done = _cli(url, "redflags", "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    flags = json.loads(done.stdout)["flags"]
    assert {f["code"] for f in flags} == {"close_to_winner", "shared_details"}
    assert all(f["source"].startswith("OCP Cardinal") for f in flags)


def test_export_of_an_empty_database(app, tmp_path: Path) -> None:  # noqa: ANN001
    done = _cli(app.settings.database_url, "ocds", cwd=tmp_path)
    assert done.returncode == 0
    package = json.loads(done.stdout)
    assert package["releases"] == [] and package["version"] == "1.1"
    assert "no tender has been published yet" in done.stderr


def test_export_refuses_placeholders_in_production(seeded, tmp_path: Path) -> None:  # noqa: ANN001
    env = {
        **os.environ,
        "OXYCHAIN_DATABASE_URL": seeded.settings.database_url,
        "OXYCHAIN_ENVIRONMENT": "production",
        "OXYCHAIN_PHONE_HASH_PEPPER": "p" * 16,
    }
    done = subprocess.run(
        [sys.executable, "-m", "oxychain.cli", "export", "ocds"],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stdout == ""
    assert "placeholder" in done.stderr and "OXYCHAIN_OCDS_OCID_PREFIX" in done.stderr
    assert "Traceback" not in done.stderr
