"""The planner builds a scenario from the demo data, solves it, reads it against
pro-rata and asks why a place got what it got, approves it; Lucknow's warehouse keeper,
in Hindi, loads the first truck and gets its dispatch challan."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


def _language(page, lang: str) -> None:  # noqa: ANN001
    if page.locator("html").get_attribute("lang") != lang:
        page.click("#lang-switch")
        page.wait_for_load_state()


def _figure(page, selector: str) -> int:  # noqa: ANN001
    return int(re.match(r"[\d,]+", page.locator(selector).inner_text()).group().replace(",", ""))


def test_planner_builds_solves_compares_and_approves_into_challans(page, server) -> None:  # noqa: ANN001
    login(page, server, "planner")
    _language(page, "en")
    page.goto(server["url"] + "/plans")
    page.fill("#name", "UP, Omicron week, second look")
    page.fill("#forecast_as_of", "2022-01-10")
    page.fill("#horizon_days", "14")
    page.click("#build")
    page.wait_for_url(re.compile(r".*/plans/PLAN-\d{6}$"), timeout=60_000)
    reference = page.url.rsplit("/", 1)[1]
    assert "proven optimal" in page.locator("dl.facts").inner_text()
    optimal, prorata = _figure(page, "#optimal-shortfall"), _figure(page, "#prorata-shortfall")
    assert 0 < optimal < prorata
    assert page.locator("#saving .better").is_visible()
    assert page.locator("#map-optimal circle").count() == 75
    assert page.locator("#map-prorata circle").count() == 75
    assert "Replayed against the scenario" in page.locator("#replay").inner_text()

    # Why did the first place served get what it got? (The shipments are folded.)
    page.click("#shipments-detail summary")
    first = page.locator("#shipments tbody tr").first
    site = first.locator("td").nth(1).inner_text()
    first.locator("a").click()
    page.wait_for_selector("#next-unit")
    assert page.locator("#priority").inner_text().startswith("10")
    assert _figure(page, "#delivered") > 0
    page.go_back()

    page.click("#approve")
    page.wait_for_selector("#load-list")
    assert "approved" in page.locator("h1").inner_text()
    assert page.locator("#load-list tbody tr").count() >= 1

    # Lucknow's warehouse keeper, in Hindi, loads the first truck from their warehouse.
    page.context.clear_cookies()
    login(page, server, "warehouse_keeper")
    _language(page, "hi")
    page.goto(server["url"] + "/dispatch/plans")
    row = page.locator("#pending-loads tbody tr", has_text=reference).first
    assert row.locator("td").nth(2).inner_text() == "WH-157"
    row.locator("input[name=vehicle]").fill("UP 32 AB 4321")
    row.locator("input[name=driver]").fill("रमेश यादव")
    row.locator("button").click()
    page.wait_for_url(re.compile(r".*/challans/DC-\d{4}-\d{6}$"))
    assert reference in page.content()
    assert page.locator("html").get_attribute("lang") == "hi"
    assert site  # the facility the plan served first


def test_the_demo_plan_reads_at_a_glance_on_a_laptop_screen(browser, server) -> None:  # noqa: ANN001
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    try:
        login(page, server, "planner")
        for lang in ("en", "hi"):
            _language(page, lang)
            page.goto(server["url"] + "/plans/PLAN-000001")
            height = page.evaluate("document.documentElement.scrollHeight")
            assert height < 3000, f"{lang}: {height} px"
            # Summary, chart and top shortfalls are on the first screens; detail is folded.
            assert page.locator("#summary").bounding_box()["y"] < 400
            assert page.locator("#forecast-chart polygon.band").count() == 1
            assert page.locator("#top-shortfalls tbody tr").count() >= 1
            assert not page.locator("#facility-list").is_visible()
            for map_id in ("#map-optimal", "#map-prorata"):  # shaded on the range shown
                classes = page.eval_on_selector_all(
                    f"{map_id} circle", "cs => [...new Set(cs.map(c => c.getAttribute('class')))]"
                )
                assert len(classes) > 1, (map_id, classes)
    finally:
        context.close()
