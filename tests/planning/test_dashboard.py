"""The district dashboard: the CMO reads their own district's (and its gap), not another's;
headquarters reads the state's; the numbers are the planner's."""

from __future__ import annotations

import re

import pytest

from oxychain.core.people import SYSTEM, Role
from oxychain.planning.services.views import gap_view
from tests.webclient import login_as, make_app


@pytest.fixture
def site(demo):  # noqa: ANN001, ANN201
    url, logins = demo
    app, oxy = make_app(url)
    yield app, oxy, logins
    oxy.close()


def _as(site, role: Role):  # noqa: ANN001, ANN202
    app, oxy, logins = site
    rc = login_as(app, oxy, role.value, *logins[role.value])
    rc.client.put("/api/v1/me/language", json={"language": "en"}, headers={"X-CSRF-Token": rc.csrf})
    return rc


def _codes(oxy) -> tuple[str, str]:  # noqa: ANN001
    with oxy.uow(SYSTEM) as uow:
        by_name = {d.name: d.code for d in uow.masterdata.districts()}
    return by_name["Lucknow"], by_name["Agra"]


def test_cmo_reads_own_district_gap_and_dashboard_not_another(site) -> None:  # noqa: ANN001
    _app, oxy, _logins = site
    lucknow, agra = _codes(oxy)
    cmo = _as(site, Role.DISTRICT_OFFICER)
    assert cmo.client.get(f"/planning/gap/{lucknow}").status_code == 200
    assert cmo.client.get(f"/planning/gap/{agra}").status_code == 403
    own = cmo.client.get(f"/dashboard/districts/{lucknow}")
    assert own.status_code == 200
    assert cmo.client.get(f"/dashboard/districts/{agra}").status_code == 403
    landing = cmo.client.get("/dashboard")
    assert landing.status_code == 303 and landing.headers["location"].endswith(lucknow)
    # the gap shown is the planner's gap for the district
    planner = _as(site, Role.PLANNER)
    built = gap_view(oxy.uow(planner.principal), oxy.settings, None, None)
    need = next(d for d in built.districts if d.row.code == lucknow)
    shown = re.search(r'id="district-gap">([^<]+)<', own.text).group(1)
    assert shown == _indian(int(need.gap.max()))
    assert "Devices in the district by state" in own.text and "<svg" in own.text


def test_state_dashboard_lists_every_district_with_planner_numbers(site) -> None:  # noqa: ANN001
    _app, oxy, _logins = site
    planner = _as(site, Role.PLANNER)
    page = planner.client.get("/dashboard")
    assert page.status_code == 200
    rows = re.findall(r'<tr data-district="([^"]+)">', page.text)
    assert len(rows) == 75
    built = gap_view(oxy.uow(planner.principal), oxy.settings, None, None)
    total = sum(int(d.gap.max()) for d in built.districts)
    figures = re.search(r'id="dashboard-totals">(.*?)</div>\s*</div>', page.text, re.S).group(1)
    assert _indian(total) in figures
    keeper = _as(site, Role.WAREHOUSE_KEEPER)
    assert keeper.client.get("/dashboard").status_code == 403


def _indian(n: int) -> str:
    from oxychain.core.formatting import number

    return number(n)
