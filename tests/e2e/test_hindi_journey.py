"""One concentrator's whole story in Chromium, in Hindi, clicked through as each person lives
it (issue 10): every role logs in, lands on its home page (a work queue) and reaches its step
only by the links and buttons on the pages; typing goes into form fields only.

The procurement officer drafts a tender, seats a committee of three and publishes; the supplier
seals a bid in the browser; a corrigendum brings the deadline forward; two of the three openers
release their shares from their key files (k of n) at the technical and the financial opening;
the technical evaluation, the L1 award and the purchase order with its tranche; the supplier
offers a lot of ten serials, the officer assigns it, the inspector draws the sample, saves a
draft, signs it and records the rest (the verdict follows the signed units); the supplier's
truck carries the lot on a challan to the warehouse, whose keeper receives it; the keeper
issues one concentrator to the district hospital, whose in-charge installs it, and lends
another to a home patient ("घर पर उपयोग हेतु उपकरण"); the CMO records its return and the
keeper sanitises, re-tests and releases it. The officer finds both serials in the registry:
each device's page links its lot, purchase order and challan, and they lead back to it. Every
page read on the way is Hindi (no Latin-script word outside tests/core/test_hindi_pages.py's
allow-list)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest

from tests.e2e.conftest import demo_server
from tests.e2e.journey import (
    IST,
    Journey,
    demo_places,
    enter_readings,
    hi,
    ist_input,
    serial_file,
)
from tests.inspection.support import GOOD_UNIT

pytestmark = pytest.mark.e2e
UNITS = 10  # units bought, offered in one lot (its sample size is read from the lot page)


@pytest.fixture(scope="module")
def journey_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """A demo server of this module's own: the journey meets no other journey's leftovers,
    and leaves its stock at the demo keeper's warehouse to none."""
    with demo_server(tmp_path_factory.mktemp("hindi-journey")) as running:
        yield running


def _tender(j: Journey, ref: str, store: str) -> None:
    """The officer drafts the tender, seats three openers (k = 2) and publishes."""
    page = j.page
    j.home("procurement_officer")
    page.click("header nav a[href='/tenders']")
    page.click("#new-tender")
    j.read()
    soon = datetime.now(IST) + timedelta(days=5)  # inside "closing within 7 days"
    for field, value in {
        "#reference": ref,
        "#title": "Oxygen concentrators 5 LPM (Hindi journey)",
        "#title_hi": "ऑक्सीजन कॉन्सन्ट्रेटर 5 एलपीएम (हिन्दी यात्रा)",
        "#quantity": str(UNITS),
        "#estimated_value": "5,00,000",
        "#emd_pct": "2",
        "#ps_pct": "3",
        "#deadline": ist_input(soon),
        "#opening_at": ist_input(soon + timedelta(hours=1)),
        "#k": "2",
        "#qty_0": str(UNITS),
        "#due_0": "30",
    }.items():
        page.fill(field, value)
    page.select_option("#item", "OC-5")
    page.select_option("#warehouse_0", store)
    page.click("#create-tender")
    page.wait_for_url(f"{j.url}/tenders/{ref}")
    for name in ("demo.bid-opener", "demo.bid-opener-2", "demo.bid-opener-3"):
        page.select_option("#opener-select", name)
        page.click("#add-opener")
        page.wait_for_url(f"{j.url}/tenders/{ref}")
    page.click("#publish")
    page.wait_for_selector("#rules-hash")
    assert page.locator("#tender-status").get_attribute("data-status") == "published"
    j.read()


def _bid(j: Journey, ref: str) -> None:
    page = j.page
    j.home("supplier")
    j.queue("tenders open for bids that you have not bid on", ref)
    if page.locator("#seal-submit").count() == 0:
        page.click("#bid-link")
    j.read()
    page.fill("#make", "Ganga")
    page.fill("#model", "GX-5")
    page.fill("#local-content", "62.5")  # Class-I (Make in India Order: 50 % and above)
    page.select_option("#offered-as", "manufacturer")
    for complies in page.locator("select.complies").all():
        complies.select_option("yes")
    page.fill("#unit-price", "42,000")
    page.fill("#gst", "12")
    page.fill("#delivery-days", "30")
    page.click("#seal-submit")  # sealed by seal.js in this browser
    page.wait_for_selector("#receipt:not([hidden])", timeout=20_000)
    assert len(j.text("#receipt-hash")) >= 16
    j.read()


def _close_now(j: Journey, ref: str) -> datetime:
    """A corrigendum brings the deadline forward to a few seconds from now."""
    page = j.page
    j.home("procurement_officer")
    j.queue("tenders closing for bids within 7 days", ref)
    deadline = datetime.now(IST) + timedelta(seconds=3)
    page.fill("#corrigendum-form textarea", "अंतिम तिथि पहले की गई (परीक्षण)।")
    page.fill("#corrigendum-form input[name=deadline]", ist_input(deadline))
    page.fill("#corrigendum-form input[name=opening_at]", ist_input(deadline))
    page.click("#corrigendum-form button")
    page.wait_for_selector("#corrigenda")
    return deadline


def _open(j: Journey, ref: str) -> None:
    """Two of the three openers release their shares from their key files."""
    page = j.page
    for role in ("bid_opener", "bid_opener_2"):
        j.home(role)
        j.queue("openings waiting for your key share", ref)
        if page.locator("#release-shares").count() == 0:
            page.click("#opening-link")
        j.read()
        page.set_input_files("#key-file", str(j.keys[role]))
        page.click("#release-shares")
        page.wait_for_selector("#release-status:not(:empty), #release-error:not(:empty)")
        assert page.locator("#release-results .error").count() == 0, j.text("#release-results")
        assert j.text("#release-error") == ""


def _evaluate_and_award(j: Journey, ref: str) -> str:
    page = j.page
    j.home("procurement_officer")
    j.queue("tenders being opened or evaluated", ref)
    if page.locator("#conclude").count() == 0:
        page.click("#evaluation-link")
    j.read()
    for n in range(page.locator("form.findings").count()):
        form = page.locator("form.findings").nth(n)
        for select in form.locator("select").all():
            select.select_option("yes")
        for reason in form.locator("input[name^=reason_]").all():
            reason.fill("विनिर्देश से मिलान किया गया।")
        form.locator("button").click()
        page.wait_for_load_state()
    page.click("#conclude")
    page.wait_for_url(f"{j.url}/tenders/{ref}")
    _open(j, ref)  # the financial covers

    j.home("procurement_officer")
    j.queue("tenders being opened or evaluated", ref)
    if page.locator("#award").count() == 0:
        page.click("#comparative-link")
    assert page.locator("#comparative tbody tr").count() == 1
    j.read()
    page.click("#award")
    page.wait_for_url(f"{j.url}/tenders/{ref}")
    assert page.locator("#tender-status").get_attribute("data-status") == "awarded"
    page.click("#issue-orders")
    page.wait_for_url(f"{j.url}/tenders/{ref}")
    number = f"PO/{ref}/1"
    page.locator(f"nav.actions a:text-is('{number}')").click()
    assert j.text("#po-number") == number
    assert page.locator("#tranches tbody tr").count() == 1
    j.read()
    return number


def _lot(j: Journey, po: str, prefix: str, agency: str, inspector: str) -> str:
    """The supplier offers the lot; the officer assigns it; the inspector samples, drafts,
    signs and records; the verdict follows the signed units. Returns the lot's page path."""
    page = j.page
    j.home("supplier")
    j.queue("units ordered and not yet offered for inspection")
    j.read()
    option = page.locator("#tranche option", has_text=po)
    page.select_option("#tranche", value=option.get_attribute("value"))
    page.fill("#place", "गंगा वर्क्स, साहिबाबाद")
    page.set_input_files("#serial-file", serial_file(prefix, UNITS))
    page.click("#submit-offer")
    page.wait_for_selector("#lot-status[data-status=offered]")
    lot = page.url.removeprefix(j.url)

    j.home("procurement_officer")
    j.queue("lots offered, waiting for an inspector", path=lot)
    assert page.url.endswith(lot)
    page.select_option("#agency-select", agency)
    page.select_option("#inspector-select", inspector)
    page.click("#assign")
    page.wait_for_selector("#lot-status[data-status=assigned]")
    j.read()

    j.home("inspector")
    j.queue("lots assigned to you, sample to draw", path=lot)
    page.click("#draw-sample")
    page.wait_for_selector("#seed")
    size = page.locator("#sample tbody tr").count()
    assert size == int(j.text("#plan-sample-size")) and 0 < size <= UNITS
    # The first unit: a draft first, then signed; the verdict waits for the signature.
    page.locator("#unit-1 a.enter").click()
    enter_readings(page, GOOD_UNIT)
    page.click("#save-draft")
    page.wait_for_selector("#unit-result[data-signed=no]")
    j.read()
    page.click("#sign-unit")
    page.wait_for_load_state()
    # The next from the home page's queue of units to test, typed and signed at once; the
    # rest with the same readings, each recorded, judged and signed (the lot page's button).
    j.home("inspector")
    assert j.queue("sampled units still to test") >= size - 1  # the first is signed
    assert j.text("h1").startswith(f"{hi('Unit')} 2 / {size}")
    enter_readings(page, GOOD_UNIT)
    page.click("#record")
    page.wait_for_load_state()
    for _ in range(size - 2):
        if page.locator("#copy-last").count():  # on the next unit's page
            page.click("#copy-last")
        else:  # on the lot's page
            page.locator("tr.untested button.copy-last").first.click()
        page.wait_for_load_state()
    page.wait_for_selector("#lot-status[data-status=accepted]")  # the verdict, at once
    assert j.text("#failed") == "0"
    assert j.text("#qa-accepted") == str(UNITS)
    j.read()
    return lot


def _deliver(j: Journey, po: str, serials: list[str]) -> str:
    """The supplier's truck to the consignee warehouse; its keeper receives every serial."""
    page = j.page
    j.home("supplier")
    assert j.queue("accepted units ready to dispatch to the consignee") >= UNITS
    form = page.locator("#tranche-form")
    option = form.locator("#tranche_id option", has_text=po)
    form.locator("#tranche_id").select_option(value=option.get_attribute("value"))
    form.locator("textarea[name=serials]").fill("\n".join(serials))
    form.locator("input[name=vehicle]").fill("UP 16 AB 1234")
    form.locator("input[name=driver]").fill("रमेश कुमार")
    form.locator("button").click()
    page.wait_for_selector("#challan-number")
    challan = j.text("#challan-number")
    assert page.locator("#challan-status").get_attribute("data-status") == "in_transit"
    j.read()

    j.home("warehouse_keeper")
    j.queue("challans on the road to your warehouse, to receive", challan)
    page.fill("#receipt-serials", "\n".join(serials))
    page.click("#receive")
    page.wait_for_selector("#challan-status[data-status=received]")
    j.read()
    return challan


def _install(j: Journey, serial: str, hall: str) -> None:
    """The keeper issues the device to the district hospital; its in-charge installs it."""
    page = j.page
    j.home("warehouse_keeper")
    page.click("#nav-scan")
    page.wait_for_selector("#scan-form")
    j.read()
    page.select_option("#event", "issue")
    page.select_option("#to_facility", hall)
    page.fill("#serial", serial)
    page.click("#record")
    page.locator("#results li.stored", has_text=serial).wait_for()

    j.home("facility_incharge")
    j.queue("devices issued to you, to receive and install")
    page.click("#stock a[href='?state=issued']")  # the place's devices in that state
    page.locator(f"#devices a:text-is('{serial}')").click()
    page.click("#event-install")
    page.wait_for_selector("#device-state[data-state=installed]")
    assert j.text("#device-state") == hi("installed")
    j.read()


def _lend_and_back(j: Journey, serial: str) -> None:
    """The keeper lends the device to a home patient; the CMO records its return; the keeper
    sanitises, re-tests and releases it to the shelf."""
    page = j.page
    j.home("warehouse_keeper")
    j.queue("devices in stock, ready to issue or dispatch")
    page.click("#stock a[href='?state=received']")
    page.locator(f"#devices a:text-is('{serial}')").click()
    page.click("#lend-link")
    page.fill("#prescription", "RX/HJ/0001")
    page.fill("#patient", "HP-HJ-0001")
    page.fill("#phone", "+91 98765 01234")
    page.click("#issue-loan")
    page.wait_for_selector("#loan-number")
    loan = j.text("#loan-number")
    assert page.locator("#loan-status").get_attribute("data-status") == "open"
    assert "घर पर उपयोग" in j.text("#loan-status")
    j.read()

    j.home("district_officer")
    page.click("header nav a[href='/loans']")
    page.locator(f"main a:text-is('{loan}')").click()
    page.click("#return-loan")
    page.wait_for_selector("#loan-status[data-status=returned]")
    j.read()

    j.home("warehouse_keeper")
    j.queue("returned devices to sanitise, re-test and release")
    page.click("#stock a[href='?state=returned']")
    page.locator(f"#devices a:text-is('{serial}')").click()
    for event, state in (
        ("sanitise", "sanitised"),
        ("retest", "retested"),
        ("release", "available"),
    ):
        page.click(f"#event-{event}")
        page.wait_for_selector(f"#device-state[data-state={state}]")
    assert j.text("#device-state") == hi("available")
    lent = page.locator("#history tr", has=page.locator("a.record-loan", has_text=loan))
    rows = lent.all_inner_texts()  # the lending and the return, each linking the loan
    assert len(rows) == 2 and any(hi("lend to a home patient") in row for row in rows)
    j.read()


def _trace(
    j: Journey, serial: str, state: str, *, lot: str, po: str, challan: str, round_trip: bool
) -> None:
    """The officer finds the serial in the registry; its page links the lot, the purchase
    order and the challan it came by (and, on a round trip, each leads back to it)."""
    page = j.page
    j.home("procurement_officer")
    page.click("header nav a[href='/registry']")
    page.fill("#serial", serial)
    page.click("#find")
    page.click("#registry-history")
    assert j.text("#serial") == serial
    assert page.locator("#device-state").get_attribute("data-state") == state
    assert page.locator("#device-lot").get_attribute("href") == lot
    assert j.text("#device-po") == po
    assert challan in page.locator("#history a.record-challan").all_inner_texts()
    j.read()
    if not round_trip:
        return
    # device → lot → its serials → the device again
    page.click("#device-lot")
    assert page.url.removeprefix(j.url) == lot
    assert page.locator("#lot-po a").first.inner_text() == po
    j.read()
    page.click(f"a[href='{lot}/devices']")
    page.locator("tr", has_text=serial).locator(f"a[href='/devices/{serial}']").click()
    assert j.text("#serial") == serial
    # device → purchase order → its challans → the challan → the device again
    page.click("#device-po")
    assert j.text("#po-number") == po
    page.click("#po-challans")
    j.read()
    page.locator(f"#challans a:text-is('{challan}')").click()
    assert j.text("#challan-number") == challan and j.text("#challan-po") == po
    page.locator(f"#lines a:text-is('{serial}')").click()
    assert j.text("#serial") == serial
    # the history names the challan it came by
    page.locator("#history a.record-challan", has_text=challan).first.click()
    assert j.text("#challan-number") == challan


def test_one_concentrator_from_tender_to_bedside_and_home_in_hindi(page, journey_server) -> None:  # noqa: ANN001
    j = Journey(page, journey_server)

    store, hall, agency, inspector = demo_places(journey_server)
    ref = f"HJ-{uuid.uuid4().hex[:6].upper()}"
    _tender(j, ref, store)
    _bid(j, ref)
    opening = _close_now(j, ref)
    time.sleep(max(0.0, (opening - datetime.now(IST)).total_seconds()) + 0.5)
    _open(j, ref)
    po = _evaluate_and_award(j, ref)
    prefix = f"HJ{ref[3:]}"
    lot = _lot(j, po, prefix, agency, inspector)
    serials = [f"{prefix}-{n:03d}" for n in range(UNITS)]
    challan = _deliver(j, po, serials)
    bedside, home = serials[0], serials[1]
    _install(j, bedside, hall)
    _lend_and_back(j, home)
    _trace(j, bedside, "installed", lot=lot, po=po, challan=challan, round_trip=True)
    _trace(j, home, "available", lot=lot, po=po, challan=challan, round_trip=False)
    assert j.english == []  # every page read on the way was Hindi
