"""Every page type, in Hindi and English, as the people who use it: axe-core (bundled in the
axe-playwright-python package, nothing fetched at run time) finds no serious or critical
violation (issue 10, item 9). One demo server, one browser; about 70 page types, a test
per language."""

from __future__ import annotations

import collections

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e.conftest import login
from tests.page_types import PAGES

pytestmark = pytest.mark.e2e

BLOCKING = ("serious", "critical")


def _language(page, url: str, lang: str) -> None:  # noqa: ANN001
    page.goto(url + "/notices")
    if page.locator("html").get_attribute("lang") != lang:
        page.click("#lang-switch")
        page.wait_for_load_state()


@pytest.mark.parametrize("lang", ["hi", "en"])  # two tests: the suite's workers share them
def test_no_serious_or_critical_violation_on_any_page_type(browser, server, lang: str) -> None:  # noqa: ANN001
    axe, url = Axe(), server["url"]
    found: dict[str, list[str]] = collections.defaultdict(list)
    impacts: collections.Counter = collections.Counter()
    visited = 0
    for role, paths in PAGES.items():
        context = browser.new_context(viewport={"width": 1366, "height": 900})
        page = context.new_page()
        login(page, server, role)
        _language(page, url, lang)
        for path in paths:
            response = page.goto(url + path)
            assert response is not None and response.ok, (role, path, response)
            assert page.locator("html").get_attribute("lang") == lang
            visited += 1
            for v in axe.run(page).response["violations"]:
                impacts[v["impact"]] += len(v["nodes"])
                if v["impact"] in BLOCKING:
                    where = [n["target"][0] for n in v["nodes"][:3]]
                    found[f"{v['id']} ({v['impact']})"].append(f"{lang} {path} {where}")
        context.close()
    print(f"\naxe: {visited} pages, violations by impact (instances): {dict(impacts)}")
    assert visited >= 70
    summary = {rule: (len(where), where[:4]) for rule, where in found.items()}
    assert summary == {}, f"impacts {dict(impacts)}"
