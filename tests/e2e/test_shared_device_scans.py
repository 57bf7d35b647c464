"""One browser, several people: the scan page and its offline outbox belong to the person
who scanned, not to the device (issue 13, "Offline scans on a shared device").

Each test uses the same Chromium context for everyone, as a shared phone or tablet would:
cookies, IndexedDB (the outbox) and the service worker's cache carry over from one person
to the next. "Offline" is Playwright's set_offline, as in the distribution journey; "the
server cannot be reached while the phone thinks it is online" is the scans API aborted at
the context."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.e2e.conftest import demo_server

pytestmark = pytest.mark.e2e
PASSWORD = "shared-device-pw"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """A demo server of this module's own: the other journeys move the same stock."""
    with demo_server(tmp_path_factory.mktemp("shared-device")) as running:
        yield running


def _db(server: dict) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{Path(server['workdir']) / 'oxychain.db'}?mode=ro", uri=True)


def _one(server: dict, sql: str, *args: object) -> tuple:
    db = _db(server)
    try:
        return db.execute(sql, args).fetchone()
    finally:
        db.close()


def _stock(server: dict) -> list[str]:
    """Devices received at the demo keeper's warehouse and still there, in serial order."""
    db = _db(server)
    try:
        return [
            row[0]
            for row in db.execute(
                "SELECT d.serial FROM device_state s JOIN devices d ON d.id = s.device_id "
                "JOIN users u ON u.warehouse_id = s.warehouse_id "
                "WHERE u.username = 'demo.warehouse-keeper' AND s.state = 'received' "
                "ORDER BY d.serial"
            )
        ]
    finally:
        db.close()


def _events(server: dict, serial: str) -> list[tuple[str, str]]:
    """(kind, actor) of the device's events, oldest first."""
    db = _db(server)
    try:
        rows = db.execute(
            "SELECT e.kind, e.actor FROM device_events e JOIN devices d ON d.id = e.device_id "
            "WHERE d.serial = ? ORDER BY e.id",
            (serial,),
        ).fetchall()
    finally:
        db.close()
    return [tuple(r) for r in rows]


def _last(server: dict, serial: str) -> tuple[str, str]:
    return _events(server, serial)[-1]


def _api(server: dict, username: str, password: str) -> httpx.Client:
    api = server["url"] + "/api/v1"
    token = httpx.post(api + "/auth/token", json={"username": username, "password": password})
    assert token.status_code == 201, token.text
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    return httpx.Client(base_url=api, headers=headers, timeout=120)


def _as_role(server: dict, role: str) -> httpx.Client:
    return _api(server, *server["logins"][role])


def _second_keeper(server: dict) -> tuple[str, str]:
    """Another warehouse keeper of the demo keeper's warehouse (made by the admin)."""
    warehouse = _as_role(server, "warehouse_keeper").get("/me").json()["warehouse"]
    made = _as_role(server, "admin").post(
        "/users",
        json={
            "username": "keeper.b",
            "display_name": "Keeper B (synthetic)",
            "password": PASSWORD,
            "role": "warehouse_keeper",
            "language": "en",
            "organisation_id": warehouse["id"],
        },
    )
    assert made.status_code == 201, made.text
    return "keeper.b", PASSWORD


def _login(page, server: dict, username: str, password: str) -> None:  # noqa: ANN001
    page.goto(server["url"] + "/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("#login")
    page.wait_for_url(server["url"] + "/")
    if page.locator("html").get_attribute("lang") != "en":
        page.click("#lang-switch")
        page.wait_for_load_state()


def _scan_page(page, server: dict) -> None:  # noqa: ANN001
    """The scan page, online, with its service worker in control (so it opens offline)."""
    page.goto(server["url"] + "/scan")
    page.wait_for_selector("#scan-form")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    if not page.evaluate("Boolean(navigator.serviceWorker.controller)"):
        page.reload()
        page.wait_for_selector("#scan-form")


def _scan(page, serial: str, event: str, challan: str | None = None) -> None:  # noqa: ANN001
    page.select_option("#event", event)
    # The page chooses no destination for the keeper (a wrong default does harm): the first.
    place = {"issue": "#to_facility", "return": "#to_warehouse"}.get(event)
    if place and not page.input_value(place):
        page.select_option(place, index=1)
    if challan:
        page.select_option("#challan", challan)
    page.fill("#serial", serial)
    page.click("#record")


def _logout(page, server: dict) -> list[str]:  # noqa: ANN001
    """Log out, accepting the warning about unsent scans; the warnings shown."""
    shown: list[str] = []

    def accept(dialog) -> None:  # noqa: ANN001
        shown.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)
    page.click('form[action="/logout"] button')
    page.wait_for_url(re.compile(r".*/login.*"))
    page.remove_listener("dialog", accept)
    return shown


def test_keeper_b_sees_nothing_of_keeper_a_who_logged_out_with_scans_queued(page, server) -> None:  # noqa: ANN001
    serials = _stock(server)[:3]
    keeper_a = server["logins"]["warehouse_keeper"]
    keeper_b = _second_keeper(server)
    context = page.context
    _login(page, server, *keeper_a)
    _scan_page(page, server)
    context.set_offline(True)
    for serial in serials:
        _scan(page, serial, "issue")
    expect(page.locator("#pending-count")).to_have_text("3")
    # The network returns but the server cannot be reached: A logs out with 3 scans queued.
    context.route("**/api/v1/scans", lambda route: route.abort())
    context.set_offline(False)
    warnings = _logout(page, server)
    assert len(warnings) == 1 and "3 of your scans are not sent yet" in warnings[0]

    _login(page, server, *keeper_b)
    assert keeper_a[0] not in page.content()
    # Offline, the scan page A's device kept is gone: nothing of A's opens.
    context.set_offline(True)
    try:
        page.goto(server["url"] + "/scan")
        seen = page.content()
    except PlaywrightError:  # nothing kept to open offline
        seen = ""
    assert keeper_a[0] not in seen and not any(s in seen for s in serials)
    context.set_offline(False)
    context.unroute("**/api/v1/scans")
    _scan_page(page, server)
    expect(page.locator(".who")).to_contain_text(keeper_b[0])
    page.click("#sync")
    expect(page.locator("#pending-count")).to_have_text("0")
    html = page.content()
    assert keeper_a[0] not in html and not any(s in html for s in serials)
    assert all(_last(server, s)[0] == "receive" for s in serials)  # nothing sent as B

    # A comes back to the same browser: their scans were kept for them, and go as A.
    assert _logout(page, server) == []
    _login(page, server, *keeper_a)
    _scan_page(page, server)
    expect(page.locator("#pending-count")).to_have_text("0")
    for serial in serials:
        assert _last(server, serial) == ("issue", keeper_a[0])


def test_scans_of_an_ended_session_are_never_sent_as_the_next_person(page, server) -> None:  # noqa: ANN001
    serials = _stock(server)[:2]
    keeper = server["logins"]["warehouse_keeper"]
    incharge = server["logins"]["facility_incharge"]
    context = page.context
    _login(page, server, *keeper)
    _scan_page(page, server)
    context.set_offline(True)
    for serial in serials:
        _scan(page, serial, "issue")
    expect(page.locator("#pending-count")).to_have_text("2")
    # The keeper's session ends (no logout); the facility in-charge signs in in another tab.
    context.clear_cookies()
    context.set_offline(False)
    other = context.new_page()
    _login(other, server, *incharge)
    # Back in the keeper's tab, the queue is tried: the session is not theirs, so nothing goes.
    page.click("#sync")
    expect(page.locator("#net-status")).to_have_attribute("data-state", "other")
    expect(page.locator("#pending-count")).to_have_text("2")
    _scan_page(other, server)
    expect(other.locator("#pending-count")).to_have_text("0")
    assert not any(s in other.content() for s in serials)
    assert all(_last(server, s)[0] == "receive" for s in serials)

    # The keeper signs in again on this browser: their two scans go, as the keeper.
    _logout(other, server)
    _login(other, server, *keeper)
    _scan_page(other, server)
    expect(other.locator("#pending-count")).to_have_text("0")
    for serial in serials:
        assert _last(server, serial) == ("issue", keeper[0])
    other.close()


def _challan_to_the_incharge(server: dict, serials: list[str]) -> str:
    """A challan from the keeper's warehouse to the in-charge's facility, carrying out the
    demo's allocation plan (approved here by the planner)."""
    reference, status = _one(server, "SELECT reference, status FROM plans ORDER BY id LIMIT 1")
    if status != "approved":
        approved = _as_role(server, "planner").post(f"/plans/{reference}/approve")
        assert approved.status_code == 200, approved.text
    keeper = _as_role(server, "warehouse_keeper")
    facility = _as_role(server, "facility_incharge").get("/me").json()["facility"]
    made = keeper.post(
        "/challans",
        json={
            "plan_ref": reference,
            "from_warehouse": keeper.get("/me").json()["warehouse"]["code"],
            "to_kind": "facility",
            "to_code": facility["code"],
            "serials": serials,
            "vehicle": "UP 32 AB 1234",
            "driver": "Ram Kumar",
        },
    )
    assert made.status_code == 201, made.text
    return made.json()["number"]


def test_receive_then_install_of_four_devices_is_sent_in_scan_order(page, server) -> None:  # noqa: ANN001
    serials = _stock(server)[:4]
    number = _challan_to_the_incharge(server, serials)
    incharge = server["logins"]["facility_incharge"]
    _login(page, server, *incharge)
    _scan_page(page, server)
    page.context.set_offline(True)
    for serial in serials:
        _scan(page, serial, "receive", challan=number)
    for serial in serials:
        _scan(page, serial, "install")
    expect(page.locator("#pending-count")).to_have_text("8")
    seqs = page.locator("#pending li").evaluate_all("lis => lis.map(li => li.dataset.seq)")

    page.context.set_offline(False)
    page.click("#sync")
    expect(page.locator("#pending-count")).to_have_text("0")
    expect(page.locator("#results li.stored")).to_have_count(8)
    assert page.locator("#refused").is_hidden()
    for serial in serials:
        assert _events(server, serial)[-3:] == [
            ("dispatch", "demo.warehouse-keeper"),
            ("receive", incharge[0]),
            ("install", incharge[0]),
        ]
        state = _one(
            server,
            "SELECT s.state FROM device_state s JOIN devices d ON d.id = s.device_id "
            "WHERE d.serial = ?",
            serial,
        )
        assert state == ("installed",)
    received = _one(server, "SELECT status FROM challans WHERE number = ?", number)
    assert received == ("received",)
    assert seqs == [str(n) for n in range(1, 9)]  # numbered in scan order on the device


def test_a_refused_scan_stays_with_its_reason_until_acknowledged(page, server) -> None:  # noqa: ANN001
    serial = _stock(server)[0]
    keeper = server["logins"]["warehouse_keeper"]
    _login(page, server, *keeper)
    _scan_page(page, server)
    _scan(page, serial, "issue")
    expect(page.locator("#results li.stored", has_text=serial)).to_be_visible()
    # Offline, the same device is issued again by mistake; sent when the network returns.
    page.context.set_offline(True)
    _scan(page, serial, "issue")
    expect(page.locator("#pending-count")).to_have_text("1")
    page.context.set_offline(False)
    page.click("#sync")
    refused = page.locator("#refused-list li", has_text=serial)
    expect(refused).to_be_visible()
    expect(page.locator("#pending-count")).to_have_text("0")
    # The server's own reason, not a bare "not allowed".
    expect(refused).to_contain_text("is issued")
    assert "not allowed" not in refused.inner_text()

    page.reload()
    page.wait_for_selector("#scan-form")
    expect(page.locator("#refused-list li", has_text=serial)).to_contain_text("is issued")
    page.locator("#refused-list li", has_text=serial).locator("button.ack").click()
    expect(page.locator("#refused-list li")).to_have_count(0)
    assert page.locator("#refused").is_hidden()
    page.reload()
    page.wait_for_selector("#scan-form")
    expect(page.locator("#refused-list li")).to_have_count(0)
    assert [e for e in _events(server, serial) if e[0] == "issue"] == [("issue", keeper[0])]
