"""Every role's home page is a work queue: counted, linked items of what waits for the
person, from each area, with zeros saying so; every link opens for that role."""

from __future__ import annotations

import re

import pytest

from oxychain.core.people import Role
from tests.webclient import login_as, make_app

ITEM = re.compile(
    r'<li class="(urgent|done|)">\s*<a href="([^"]+)">\s*<span class="figure">([^<]*)</span>\s*'
    r'<span class="what">([^<]+)</span>\s*</a>\s*(<span class="muted">([^<]*)</span>)?'
)
# Roles whose demo logins the issue names: each sees at least one item of work.
ROLES = [r for r in Role if r is not Role.ADMIN]


@pytest.fixture
def site(demo):  # noqa: ANN001, ANN201
    url, logins = demo
    app, oxy = make_app(url)
    yield app, oxy, logins
    oxy.close()


def _home(site, role: Role):  # noqa: ANN001, ANN202
    app, oxy, logins = site
    rc = login_as(app, oxy, role.value, *logins[role.value])
    rc.client.put("/api/v1/me/language", json={"language": "en"}, headers={"X-CSRF-Token": rc.csrf})
    page = rc.client.get("/")
    assert page.status_code == 200
    return rc, ITEM.findall(page.text), page.text


def test_each_role_sees_work_waiting_and_every_link_opens(site) -> None:  # noqa: ANN001
    seen = {}
    for role in ROLES:
        rc, items, _text = _home(site, role)
        waiting = [i for i in items if i[2].strip() not in ("0", "")]
        assert waiting, f"{role}: nothing waiting on the home page"
        seen[role] = {label: figure for _c, _l, figure, label, *_ in items}
        for _cls, link, figure, label, _m, muted in items:
            if figure.strip() == "0":
                assert muted == "nothing waiting", (role, label)  # a zero says so
            assert rc.client.get(link).status_code == 200, (role, link)
    # What the demo's story leaves waiting, per role.
    assert seen[Role.WAREHOUSE_KEEPER]["challans on the road to your warehouse, to receive"] == "1"
    assert seen[Role.BID_OPENER]  # the committee's tender
    assert seen[Role.INSPECTOR]["lots assigned to you, sample to draw"] == "1"
    assert int(seen[Role.DISTRICT_OFFICER]["home loans overdue"]) >= 1
    assert seen[Role.PLANNER]["proposed plans waiting for approval"] == "1"


def test_home_pages_differ_by_role(site) -> None:  # noqa: ANN001
    _rc, _items, keeper = _home(site, Role.WAREHOUSE_KEEPER)
    assert "publish, bid in sealed covers" not in keeper  # not the keeper's work
    _rc, _items, officer = _home(site, Role.PROCUREMENT_OFFICER)
    assert "publish, bid in sealed covers" in officer
    assert "purchase orders with a tranche overdue" in officer
    assert "purchase orders with a tranche overdue" not in keeper


def test_hindi_home_page_translates_the_queue(site) -> None:  # noqa: ANN001
    app, oxy, logins = site
    rc = login_as(app, oxy, "warehouse_keeper", *logins["warehouse_keeper"])
    text = rc.client.get("/").text  # district staff start in Hindi
    assert '<html lang="hi">' in text
    assert "challans on the road to your warehouse" not in text
