"""Two concentrators through the district, in Hindi, in Chromium: one from dispatch to
installation (the in-charge's scans survive going offline), one through a home loan and
back to the shelf."""

from __future__ import annotations

import sqlite3

import httpx
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


def _lucknow_stock(server: dict) -> tuple[list[str], str]:
    """Devices received at Lucknow's district warehouse (the demo keeper's), and the code of
    Lucknow's district hospital (the demo in-charge's)."""
    db = sqlite3.connect(f"file:{server['workdir'] / 'oxychain.db'}?mode=ro", uri=True)
    try:
        serials = [
            row[0]
            for row in db.execute(
                "SELECT d.serial FROM device_state s JOIN devices d ON d.id = s.device_id "
                "JOIN users u ON u.warehouse_id = s.warehouse_id "
                "WHERE u.username = 'demo.warehouse-keeper' AND s.state = 'received' "
                "ORDER BY d.serial DESC LIMIT 2"
            )
        ]
        hall = db.execute(
            "SELECT f.code FROM facilities f JOIN users u ON u.facility_id = f.id "
            "WHERE u.username = 'demo.facility-incharge'"
        ).fetchone()[0]
    finally:
        db.close()
    assert len(serials) == 2, "the demo leaves received stock at Lucknow's warehouse"
    return serials, hall


def _approved_plan(server: dict) -> str:
    """The demo's allocation plan, approved by the planner through the API (a challan from
    an allocation plan names an approved plan)."""
    db = sqlite3.connect(f"file:{server['workdir'] / 'oxychain.db'}?mode=ro", uri=True)
    try:
        reference, status = db.execute(
            "SELECT reference, status FROM plans WHERE status != 'superseded' ORDER BY id LIMIT 1"
        ).fetchone()
    finally:
        db.close()
    if status != "approved":
        username, password = server["logins"]["planner"]
        api = server["url"] + "/api/v1"
        token = httpx.post(
            api + "/auth/token", json={"username": username, "password": password}
        ).json()["access_token"]
        approved = httpx.post(
            f"{api}/plans/{reference}/approve",
            headers={"Authorization": f"Bearer {token}"},
            timeout=120,
        )
        assert approved.status_code == 200, approved.text
    return reference


def _in_hindi(page) -> None:  # noqa: ANN001
    if page.locator("html").get_attribute("lang") != "hi":
        page.click("#lang-switch")
        page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "hi"


def test_dispatch_to_installation_with_an_offline_scan(page, server) -> None:  # noqa: ANN001
    (serial, _other), hall = _lucknow_stock(server)
    plan = _approved_plan(server)
    login(page, server, "warehouse_keeper")
    _in_hindi(page)
    page.goto(server["url"] + "/challans")
    form = page.locator("#allocation-form")
    form.locator("input[name=plan_ref]").fill(plan)
    form.locator("select[name=to_kind]").select_option("facility")
    form.locator("input[name=to_code]").fill(hall)
    form.locator("textarea[name=serials]").fill(serial)
    form.locator("input[name=vehicle]").fill("UP 32 AB 1234")
    form.locator("input[name=driver]").fill("रामेश्वर प्रसाद")
    form.locator("button").click()
    page.wait_for_selector("#challan-number")
    number = page.locator("#challan-number").inner_text()
    assert page.locator("#challan-status").get_attribute("data-status") == "in_transit"
    assert "रास्ते में" in page.locator("#challan-status").inner_text()

    page.context.clear_cookies()
    login(page, server, "facility_incharge")
    _in_hindi(page)
    page.click("#nav-scan")
    page.wait_for_selector("#scan-form")
    assert "उपकरण स्कैन करें" in page.locator("h1").inner_text()
    page.select_option("#event", "receive")
    page.select_option("#challan", number)
    page.fill("#serial", serial)
    page.click("#record")
    received = page.locator("#results li.stored", has_text=serial)
    received.wait_for()
    assert "प्राप्त" in received.inner_text()

    # The connection drops: the install is kept on the tablet and sent when it returns.
    page.context.set_offline(True)
    page.select_option("#event", "install")
    page.fill("#serial", serial)
    page.click("#record")
    expect(page.locator("#pending-count")).to_have_text("1")
    expect(page.locator("#pending li", has_text=serial)).to_be_visible()
    assert page.locator("#net-status").get_attribute("data-state") == "offline"
    # Still offline, the page reloads from the service worker and the outbox survives.
    page.reload()
    page.wait_for_selector("#scan-form")
    expect(page.locator("#pending li", has_text=serial)).to_be_visible()
    page.context.set_offline(False)
    page.click("#sync")
    installed = page.locator("#results li.stored", has_text="स्थापित")
    installed.wait_for()
    expect(page.locator("#pending-count")).to_have_text("0")

    page.goto(server["url"] + f"/devices/{serial}")
    assert page.locator("#device-state").get_attribute("data-state") == "installed"
    assert page.locator("#device-state").inner_text() == "स्थापित"
    page.goto(server["url"] + f"/challans/{number}")
    assert page.locator("#challan-status").get_attribute("data-status") == "received"


def test_home_loan_and_back_to_the_shelf(page, server) -> None:  # noqa: ANN001
    (_first, serial), _hall = _lucknow_stock(server)
    login(page, server, "district_officer")
    _in_hindi(page)
    page.goto(server["url"] + "/loans")
    page.fill("#loan-serial", serial)
    page.fill("#prescription", "RX/E2E/0001")
    page.fill("#patient", "HP-E2E-0001")
    page.fill("#phone", "+91 98765 01234")
    page.click("#issue-loan")
    page.wait_for_selector("#loan-number")
    assert page.locator("#loan-status").get_attribute("data-status") == "open"
    # "Loan" is not a money loan (ऋण) in Hindi: the device is given for use at home.
    assert "घर पर उपयोग हेतु दिया गया" in page.locator("#loan-status").inner_text()
    assert "98765" not in page.content()  # the number is never stored or shown
    page.click("#return-loan")
    page.wait_for_selector("#loan-status[data-status=returned]")
    page.click("#loan-device")
    page.wait_for_selector("#device-state[data-state=returned]")
    for event, state, word in (
        ("sanitise", "sanitised", "कीटाणुरहित"),
        ("retest", "retested", "पुनः परीक्षित"),
        ("release", "available", "उपलब्ध"),
    ):
        page.click(f"#event-{event}")
        page.wait_for_selector(f"#device-state[data-state={state}]")
        assert page.locator("#device-state").inner_text() == word
    history = page.locator("#history tbody tr").all_inner_texts()
    assert any("घर पर रोगी को उपयोग हेतु देना" in row for row in history)
