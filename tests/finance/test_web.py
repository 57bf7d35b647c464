"""Finance over the API and the pages (SQLite and PostgreSQL): a supplier enters and submits
a bill by the API, finance passes and pays it, the supplier reads it with each deduction's
reason in Hindi; out-of-scope bills are refused before anything is read; the bill's PDF
speaks Hindi and English; payment terms, the ledger and the register answer."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from oxychain.core import clock
from tests.webclient import login_as, make_app


@pytest.fixture
def web(demo):  # noqa: ANN001, ANN201
    url, logins = demo
    app, oxy = make_app(url)
    clients = {
        role: login_as(app, oxy, role, *logins[role])
        for role in ("supplier", "finance_officer", "auditor", "procurement_officer")
    }
    yield clients
    oxy.close()


def _text(document: bytes) -> str:
    assert shutil.which("pdftotext"), "pdftotext missing: install Debian's poppler-utils"
    done = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=document, capture_output=True, check=True
    )
    return " ".join(done.stdout.decode("utf-8").split())


def test_a_bill_through_the_api_from_supplier_to_payment(web) -> None:  # noqa: ANN001
    supplier, finance = web["supplier"], web["finance_officer"]
    orders = supplier.client.get("/api/v1/ledger").json()["orders"]
    assert {o["supplier"] for o in orders} == {"SUP-01"}  # a supplier's own orders only
    billable = None
    for o in orders:
        found = supplier.client.get(
            f"/api/v1/purchase-orders/{o['purchase_order_id']}/billable"
        ).json()
        if found["devices"]:
            billable = (o["purchase_order_id"], [d["serial"] for d in found["devices"]])
            break
    assert billable, "the demo left the demo supplier devices to bill"
    po_id, serials = billable
    body = {
        "purchase_order_id": po_id,
        "milestone": "receipt",
        "serials": serials[:2],
        "supplier_reference": "GNG/26/77",
        "submit": True,
    }
    made = supplier.post("/api/v1/bills", json=body)
    assert made.status_code == 201, made.text
    bill = made.json()
    assert bill["status"] == "submitted" and bill["actions"] == ["pass", "reject"]
    assert bill["gross_paise"] - bill["deducted_paise"] == bill["net_paise"]
    assert all(line["taxable_paise"] % 100 == 0 for line in bill["lines"])  # whole rupees
    again = supplier.post("/api/v1/bills", json=body)
    assert again.status_code == 409  # the same devices are never claimed twice
    number = bill["number"]
    assert supplier.post(f"/api/v1/bills/{number}/pass").status_code == 403
    passed = finance.post(f"/api/v1/bills/{number}/pass")
    assert passed.status_code == 200 and passed.json()["status"] == "passed"
    pay = {
        "paid_on": clock.today().isoformat(),
        "reference": "SBIN0000UTR77",
        "amount_paise": bill["net_paise"],
    }
    paid = finance.post(f"/api/v1/bills/{number}/payments", json=pay)
    assert paid.status_code == 201, paid.text
    assert (
        finance.post(f"/api/v1/bills/{number}/payments", json=pay).status_code == 201
    )  # same: one
    assert supplier.post("/language", data={"language": "hi", "next": "/"}).status_code == 303
    seen = supplier.client.get(f"/api/v1/bills/{number}").json()
    assert seen["status"] == "paid" and seen["balance_paise"] == 0 and len(seen["payments"]) == 1
    assert seen["deductions"] and any("कर योग्य मूल्य" in d["reason"] for d in seen["deductions"])
    page = supplier.client.get(f"/bills/{number}")
    assert page.status_code == 200 and 'lang="hi"' in page.text
    assert "भुगतान किया" in page.text and "कटौतियाँ" in page.text  # paid, deductions


def test_another_suppliers_bill_is_refused_before_its_body_is_read(web) -> None:  # noqa: ANN001
    supplier, auditor = web["supplier"], web["auditor"]
    every = auditor.client.get("/api/v1/bills").json()
    others = [b for b in every if b["supplier"] != "SUP-01"]
    mine = [b for b in every if b["supplier"] == "SUP-01"]
    assert others and mine
    assert {b["number"] for b in supplier.client.get("/api/v1/bills").json()} == {
        b["number"] for b in mine
    }
    number = others[0]["number"]
    assert supplier.client.get(f"/api/v1/bills/{number}").status_code == 403
    assert supplier.post(f"/api/v1/bills/{number}/submit", json={"x": "y" * 10}).status_code == 403
    assert auditor.post(f"/api/v1/bills/{number}/pass").status_code == 403  # the auditor reads only
    assert auditor.client.get("/api/v1/bills/NO-SUCH-BILL").status_code == 404


def test_the_bill_pdf_speaks_hindi_and_english(web) -> None:  # noqa: ANN001
    finance = web["finance_officer"]
    paid = next(b for b in finance.client.get("/api/v1/bills").json() if b["status"] == "paid")
    response = finance.client.get(f"/bills/{paid['number']}/pdf")
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    text = _text(response.content)
    assert paid["number"] in text
    for hindi, english in (("बिल", "Bill"), ("कटौतियाँ", "Deductions"), ("शुद्ध देय", "Net payable")):
        assert hindi in text and english in text
    assert "रुपये में पूर्णांकित" in text  # the rounding stated


def test_terms_ledger_and_register_answer(web) -> None:  # noqa: ANN001
    officer, finance, supplier = web["procurement_officer"], web["finance_officer"], web["supplier"]
    terms = supplier.client.get("/api/v1/tenders/OXY-DEMO-OC-02/payment-terms").json()
    assert [m["event"] for m in terms["milestones"]] == ["receipt", "installation"] and not terms[
        "editable"
    ]
    put = officer.client.put(
        "/api/v1/tenders/OXY-DEMO-OC-02/payment-terms",
        json={
            "milestones": [{"event": "receipt", "share_bp": 10000}],
            "pay_within_days": 30,
            "recovery_paise_per_day": 0,
        },
        headers={"X-CSRF-Token": officer.csrf},
    )
    assert put.status_code == 409  # frozen at publication
    summary = finance.client.get("/api/v1/finance/summary").json()
    t = summary["total"]
    assert t["delivered_paise"] - t["deducted_paise"] - t["paid_paise"] == t["outstanding_paise"]
    assert supplier.client.get("/api/v1/finance/summary").status_code == 403
    register = finance.client.get("/api/v1/securities").json()
    assert register["alerts"] and register["deposits"] and register["guarantees"]
    for path in (
        "/ledger",
        "/securities",
        "/bills",
        "/bills/new",
        "/tenders/OXY-DEMO-OC-02/payment-terms",
    ):
        assert finance.client.get(path).status_code == 200, path
    assert finance.client.get("/finance/tally.xml").text.startswith("<?xml")
    assert supplier.client.get("/finance/tally.xml").status_code == 403
