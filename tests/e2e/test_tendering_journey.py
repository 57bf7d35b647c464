"""The whole tendering path in Chromium: openers make their keys in their browsers; the officer
publishes; three suppliers seal and submit in their browsers; one withdraws; a corrigendum
brings the deadline forward and a late bid is refused; k openers release their shares from
their key files; technical evaluation; financial opening; L1 award with an MSE share; the
purchase order and its PDF, whose Hindi is read back with pdftotext."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.e2e.conftest import server_now

pytestmark = pytest.mark.e2e
IST = ZoneInfo("Asia/Kolkata")


def _login(page, server: dict, username: str, password: str) -> None:  # noqa: ANN001
    page.context.clear_cookies()
    page.goto(server["url"] + "/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("#login")
    page.wait_for_url(server["url"] + "/")


def _people(server: dict) -> dict[str, tuple[str, str]]:
    """Two more supplier logins (SUP-03, SUP-04) made by the admin; the demo's openers."""
    url, work = server["url"], Path(server["workdir"])
    with sqlite3.connect(work / "oxychain.db") as db:
        ids = dict(db.execute("SELECT code, id FROM suppliers"))
    admin = httpx.post(
        f"{url}/api/v1/auth/token",
        json=dict(zip(("username", "password"), server["logins"]["admin"], strict=True)),
    )
    headers = {"Authorization": f"Bearer {admin.json()['access_token']}"}
    people = {
        "SUP-01": server["logins"]["supplier"],
        "officer": server["logins"]["procurement_officer"],
    }
    for code in ("SUP-03", "SUP-04"):
        name, password = (
            f"e2e.{code.lower()}.{uuid.uuid4().hex[:4]}",
            "e2e-password-" + uuid.uuid4().hex[:8],
        )
        made = httpx.post(
            f"{url}/api/v1/users",
            headers=headers,
            json={
                "username": name,
                "display_name": f"{code} bidder",
                "password": password,
                "role": "supplier",
                "language": "hi" if code == "SUP-03" else "en",
                "organisation_id": ids[code],
            },
        )
        assert made.status_code == 201, made.text
        people[code] = (name, password)
    keys = work / "var" / "demo-opener-keys"
    people["opener-1"] = server["logins"]["bid_opener"]
    people["opener-2"] = (
        "demo.bid-opener-2",
        (keys / "demo.bid-opener-2.password").read_text().strip(),
    )
    return people


def _ist(moment: datetime) -> str:
    return moment.astimezone(IST).strftime("%Y-%m-%dT%H:%M:%S")


def _make_key(page, server: dict, login: tuple[str, str], folder: Path) -> Path:  # noqa: ANN001
    _login(page, server, *login)
    page.goto(server["url"] + "/openers/key")
    with page.expect_download() as download:
        page.click("#generate-key")
    path = folder / f"{login[0]}.jwk"
    download.value.save_as(path)
    page.wait_for_selector("#keygen-status.ok")
    return path


def _declare(page) -> None:  # noqa: ANN001
    """Nothing is chosen for the bidder: manufacturer or trader, and each criterion."""
    page.select_option("#offered-as", "manufacturer")
    for complies in page.locator("select.complies").all():
        complies.select_option("yes")


def _bid(page, server: dict, login, ref: str, price: str) -> str:  # noqa: ANN001
    _login(page, server, *login)
    page.goto(f"{server['url']}/tenders/{ref}/bid")
    page.fill("#make", "Acme")
    page.fill("#model", "O2-10")
    page.fill("#local-content", "62.5")  # Class-I (Make in India Order: 50 % and above)
    _declare(page)
    page.fill("#unit-price", price)
    page.fill("#gst", "12")
    page.fill("#delivery-days", "45")
    page.click("#seal-submit")
    page.wait_for_selector("#receipt:not([hidden])", timeout=20_000)
    return page.locator("#receipt-hash").inner_text()


def _release(page, server: dict, login, ref: str, key: Path) -> None:  # noqa: ANN001
    _login(page, server, *login)
    page.goto(f"{server['url']}/tenders/{ref}/opening")
    page.set_input_files("#key-file", str(key))
    page.click("#release-shares")
    page.wait_for_selector("#release-status:not(:empty), #release-error:not(:empty)")
    assert page.locator("#release-results .error").count() == 0, page.locator(
        "#release-results"
    ).inner_text()


def test_a_tender_from_publication_to_purchase_order(page, server, tmp_path) -> None:  # noqa: ANN001
    url = server["url"]
    people = _people(server)
    keys = [_make_key(page, server, people[f"opener-{i}"], tmp_path) for i in (1, 2)]

    # The officer drafts, seats the committee and publishes.
    ref = f"E2E-{uuid.uuid4().hex[:8].upper()}"
    _login(page, server, *people["officer"])
    page.goto(url + "/tenders/new")
    far = server_now() + timedelta(days=10)
    for field, value in {
        "#reference": ref,
        "#title": "Oxygen concentrators 10 LPM (e2e)",
        "#title_hi": "ऑक्सीजन कॉन्सन्ट्रेटर 10 एलपीएम (ई2ई)",
        "#quantity": "100",
        "#estimated_value": "50,00,000",
        "#emd_pct": "2",
        "#ps_pct": "3",
        "#deadline": _ist(far),
        "#opening_at": _ist(far + timedelta(minutes=30)),
        "#k": "2",
        "#qty_0": "60",
        "#due_0": "30",
        "#qty_1": "40",
        "#due_1": "45",
    }.items():
        page.fill(field, value)
    page.select_option("#item", "OC-10")
    page.select_option("#warehouse_1", index=5)
    page.check("#mse")
    page.click("#create-tender")
    page.wait_for_url(f"{url}/tenders/{ref}")
    for name in ("demo.bid-opener", "demo.bid-opener-2", "demo.bid-opener-3"):
        page.select_option("#opener-select", name)
        page.click("#add-opener")
        page.wait_for_url(f"{url}/tenders/{ref}")
    page.click("#publish")
    page.wait_for_selector("#rules-hash")
    assert page.locator("#tender-status").get_attribute("data-status") == "published"

    # Three suppliers seal and submit in their browsers; SUP-03 (in Hindi) withdraws.
    receipts = {
        code: _bid(page, server, people[code], ref, price)
        for code, price in (("SUP-04", "40,000"), ("SUP-01", "44,000"), ("SUP-03", "39,000"))
    }
    assert len(set(receipts.values())) == 3
    assert page.locator("html").get_attribute("lang") == "hi"
    page.click("#receipt-link")
    page.check("#confirm-withdraw")
    page.click("#withdraw")
    page.wait_for_selector("#bid-status")
    assert page.locator("#bid-status").inner_text() == "वापस ली गई"

    # A corrigendum brings the deadline forward; after it, a late bid is refused.
    _login(page, server, *people["officer"])
    page.goto(f"{url}/tenders/{ref}")
    deadline = server_now() + timedelta(seconds=6)
    page.fill("#corrigendum-form textarea", "Deadline brought forward (e2e test).")
    page.fill("#corrigendum-form input[name=deadline]", _ist(deadline))
    page.fill("#corrigendum-form input[name=opening_at]", _ist(deadline + timedelta(seconds=2)))
    page.click("#corrigendum-form button")
    page.wait_for_selector("#corrigenda")
    time.sleep(max(0.0, (deadline - server_now()).total_seconds()) + 1)
    _login(page, server, *people["SUP-03"])
    page.goto(f"{url}/tenders/{ref}/bid")
    page.fill("#make", "Late")
    page.fill("#model", "L")
    page.fill("#local-content", "55")
    _declare(page)
    page.fill("#unit-price", "30000")
    page.fill("#delivery-days", "10")
    page.click("#seal-submit")
    page.wait_for_selector("#bid-error:not(:empty)")
    assert "अस्वीकार" in page.locator("#bid-error").inner_text()  # "...बोली अस्वीकार की जाती है।"
    time.sleep(max(0.0, (deadline + timedelta(seconds=2) - server_now()).total_seconds()) + 0.5)

    # k = 2 openers release their shares in their browsers: the technical covers open.
    for i in (1, 2):
        _release(page, server, people[f"opener-{i}"], ref, keys[i - 1])
    _login(page, server, *people["officer"])
    page.goto(f"{url}/tenders/{ref}")
    assert page.locator("#bid-count").inner_text() == "2"
    assert page.locator("#tender-status").get_attribute("data-status") == "technical_evaluation"

    # Technical evaluation: every criterion of both bids, with reasons; then conclude.
    page.goto(f"{url}/tenders/{ref}/evaluation")
    for n in range(page.locator("form.findings").count()):
        form = page.locator("form.findings").nth(n)
        for select in form.locator("select").all():
            select.select_option("yes")
        for reason in form.locator("input[name^=reason_]").all():
            reason.fill("Declared and checked against the specification.")
        form.locator("button").click()
        page.wait_for_load_state()
    page.click("#conclude")
    page.wait_for_url(f"{url}/tenders/{ref}")

    # Financial opening by the same two openers; the comparative statement; L1 award with a split.
    for i in (1, 2):
        _release(page, server, people[f"opener-{i}"], ref, keys[i - 1])
    _login(page, server, *people["officer"])
    page.goto(f"{url}/tenders/{ref}/comparative")
    rows = page.locator("#comparative tbody tr")
    assert rows.count() == 2
    assert "SUP-04" in rows.nth(0).inner_text() and "₹44,800" in rows.nth(0).inner_text()
    page.check("input.matched")  # the MSE within L1 + 15 % agreed to match L1
    page.click("#award")
    page.wait_for_url(f"{url}/tenders/{ref}")
    awards = page.locator("#awards tbody tr")
    assert awards.count() == 2
    assert "75 units" in awards.nth(0).inner_text() and "25 units" in awards.nth(1).inner_text()

    # Purchase orders, and the PDF in Hindi and English.
    page.click("#issue-orders")
    page.wait_for_url(f"{url}/tenders/{ref}")
    page.locator(f"nav.actions a:has-text('PO/{ref}/1')").click()
    assert page.locator("#po-number").inner_text() == f"PO/{ref}/1"
    assert page.locator("#tranches tbody tr").count() == 2
    pdf = page.request.get(url + page.locator("#po-pdf").get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext (poppler-utils) is missing: run `make test` as root")
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf.body(), capture_output=True, check=True
    ).stdout.decode()
    assert "क्रय आदेश" in text and "परेषिती" in text and f"PO/{ref}/1" in text
    assert "₹33,60,000.00" in text  # 75 units × ₹44,800 (₹40,000 + 12 % GST), Indian grouping
