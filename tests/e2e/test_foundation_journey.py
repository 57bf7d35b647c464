"""A person logs in, switches to Hindi, and reads a district's population in Indian grouping."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


def test_login_switch_to_hindi_and_read_lucknow_population(page, server) -> None:  # noqa: ANN001
    login(page, server, "planner")  # the planner's language is English
    assert page.locator("html").get_attribute("lang") == "en"
    page.click("#lang-switch")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "hi"
    page.click("text=जिले")
    page.wait_for_selector("#districts")
    # The district column, not the division column (Lucknow is also a division).
    row = page.locator("#districts tbody tr", has=page.locator("td:first-child", has_text="लखनऊ"))
    assert row.locator("td.population").inner_text() == "45,89,838"
    row.locator("a").first.click()
    assert page.locator("#population").inner_text().startswith("45,89,838")
    # Remembered: a new login comes back in Hindi.
    page.context.clear_cookies()
    login(page, server, "planner")
    assert page.locator("html").get_attribute("lang") == "hi"


def test_inspector_reads_a_sampling_plan_in_hindi(page, server) -> None:  # noqa: ANN001
    login(page, server, "inspector")
    page.goto(server["url"] + "/qa/plan")
    if page.locator("html").get_attribute("lang") != "hi":
        page.click("#lang-switch")
        page.wait_for_load_state()
    page.fill("#lot_size", "500")
    page.select_option("#aql", "2.5")
    page.click("#show-plan")
    page.wait_for_selector("#plan-result")
    assert page.locator("#code-letter").inner_text() == "H"
    assert page.locator("#sample-size").inner_text().startswith("50")
    assert page.locator("#accept").inner_text() == "3"
    assert page.locator("#reject").inner_text() == "4"
