"""A bill in Hindi, in Chromium: the supplier picks the devices that reached receipt and
submits the bill; the finance officer passes it and records the payment; the supplier sees
it paid, with each deduction and its reason."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import login, server_now

pytestmark = pytest.mark.e2e


def _language(page, lang: str) -> None:  # noqa: ANN001
    if page.locator("html").get_attribute("lang") != lang:
        page.click("#lang-switch")
        page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == lang


def _as(page, server: dict, role: str, lang: str = "hi") -> None:  # noqa: ANN001
    page.context.clear_cookies()
    login(page, server, role)
    _language(page, lang)


def test_supplier_bills_finance_passes_and_pays_supplier_sees_it_paid(page, server) -> None:  # noqa: ANN001
    try:
        _journey(page, server)
    finally:  # the demo people keep the language they had
        for role in ("supplier", "finance_officer"):
            _as(page, server, role, "en")


def _journey(page, server: dict) -> None:  # noqa: ANN001
    url = server["url"]
    _as(page, server, "supplier")
    page.click("#nav-bills")
    page.click("#new-bill")
    choose = page.locator("#bill-choose")
    options = choose.locator("select[name=po_id] option")
    values = [options.nth(i).get_attribute("value") for i in range(options.count())]
    for value in values:  # the supplier's order that has devices received and not yet billed
        choose.locator("select[name=po_id]").select_option(value)
        choose.locator("select[name=milestone]").select_option("receipt")
        choose.locator("button").click()
        page.wait_for_load_state()
        if page.locator("#billable input[name=serials]").count():
            break
    devices = page.locator("#billable input[name=serials]")
    assert devices.count() >= 1, "the demo leaves the demo supplier devices to bill"
    assert "उपकरण" in page.locator("#bill-form").inner_text()
    page.fill("#supplier-reference", "GNG/2026/E2E")
    page.click("#submit-bill")
    page.wait_for_selector("#bill-number")
    number = page.locator("#bill-number").inner_text()
    assert page.locator("#bill-status").get_attribute("data-status") == "submitted"
    assert page.locator("#deductions tbody tr[data-kind]").count() >= 1

    _as(page, server, "finance_officer")
    page.goto(f"{url}/bills/{number}")
    assert "भुगतान हेतु पारित करें" in page.locator("#pass").inner_text()
    page.click("#pass")
    page.wait_for_selector("#payment-form")
    assert page.locator("#bill-status").get_attribute("data-status") == "passed"
    form = page.locator("#payment-form")
    form.locator("input[name=paid_on]").fill(server_now().date().isoformat())
    form.locator("input[name=reference]").fill("SBINE2E0000001")
    page.click("#record-payment")
    page.wait_for_selector("#payments td")
    assert page.locator("#bill-status").get_attribute("data-status") == "paid"

    _as(page, server, "supplier")
    page.goto(f"{url}/bills/{number}")
    status = page.locator("#bill-status")
    assert status.get_attribute("data-status") == "paid"
    assert "भुगतान हो गया" in status.inner_text()
    reasons = page.locator("#deductions tbody tr[data-kind]")
    assert reasons.count() >= 1
    assert "कर योग्य मूल्य" in page.locator("#deductions").inner_text()  # TDS under GST, why
    assert "SBINE2E0000001" in page.locator("#payments").inner_text()
    assert page.locator("#bill-balance").inner_text().strip() == "₹0"
