"""Every record links to the records it came from and went to (tender → purchase order →
tranche → lot → device → challan → place → loan/ticket) and shows its history; the
registry lists devices with filters, sort and pages."""

from __future__ import annotations

import re

import pytest

from oxychain.core.people import SYSTEM, Role
from oxychain.inspection.demo import GANGA_REJECTED
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


def _href(text: str, pattern: str) -> str:
    found = re.search(rf'href="({pattern})"', text)
    assert found, pattern
    return found.group(1).replace("&amp;", "&")


def _lent_serial(oxy) -> str:  # noqa: ANN001
    with oxy.uow(SYSTEM) as uow:
        loan = uow.dispatch.loans(limit=1)[0]
        return uow.dispatch.serials([loan.device_id])[loan.device_id]


def test_follow_the_chain_from_tender_to_device_and_back(site) -> None:  # noqa: ANN001
    _app, oxy, _logins = site
    officer = _as(site, Role.PROCUREMENT_OFFICER)
    tender = officer.client.get("/tenders/OXY-DEMO-OC-02").text
    po_page = officer.client.get(_href(tender, r"/purchase-orders/\d+")).text
    assert 'id="timeline"' in po_page and "Purchase order issued" in po_page  # who issued it, when
    lots = officer.client.get(_href(po_page, r"/lots\?po=\d+")).text
    lot = officer.client.get(_href(lots, r"/lots/\d+")).text
    assert 'id="lot-po"' in lot and 'id="timeline"' in lot
    serials = officer.client.get(_href(lot, r"/lots/\d+/devices")).text
    device = officer.client.get(_href(serials, r"/devices/[^\"]+")).text
    for link in ("device-po", "device-lot"):
        assert f'id="{link}"' in device
    assert officer.client.get(_href(device, r"/tenders/OXY-DEMO-OC-0\d")).status_code == 200


def test_device_page_links_its_challan_place_and_loan(site) -> None:  # noqa: ANN001
    _app, oxy, _logins = site
    auditor = _as(site, Role.AUDITOR)  # reads everything
    serial = _lent_serial(oxy)
    page = auditor.client.get(f"/devices/{serial}").text
    for pattern in (
        r"/lots/\d+",
        r"/purchase-orders/\d+",
        r"/challans/[^\"]+",
        r"/loans/[^\"]+",
    ):
        assert auditor.client.get(_href(page, pattern)).status_code == 200, pattern
    challan = auditor.client.get(_href(page, r"/challans/[^\"]+")).text
    assert 'id="challan-po"' in challan and 'id="challan-to"' in challan
    assert "Challan dispatched" in challan  # its timeline


def test_registry_lists_filters_sorts_and_pages(site) -> None:  # noqa: ANN001
    _app, oxy, _logins = site
    planner = _as(site, Role.PLANNER)
    first = planner.client.get("/registry").text
    total = int(re.search(r"<small>([\d,]+) devices</small>", first).group(1).replace(",", ""))
    rows = re.findall(r"<tr><td><a href=\"/devices/([^\"]+)\">", first)
    assert total > 50 and len(rows) == 50 and rows == sorted(rows)
    second = planner.client.get("/registry?page=2").text
    assert re.findall(r"<tr><td><a href=\"/devices/([^\"]+)\">", second)[0] > rows[-1]
    rejected = planner.client.get("/registry?qa=rejected").text
    assert 'class="qa accepted"' not in rejected and 'class="qa rejected"' in rejected
    ganga = planner.client.get("/registry?q=GNG10-DEMO-C").text
    assert set(re.findall(r"/devices/([^\"]+)\"", ganga)) == {
        f"GNG10-DEMO-C-{n:04d}" for n in range(1, GANGA_REJECTED + 1)
    }  # the lot offered again: as many serials as the rejected one
    found = planner.client.get("/registry?serial=GNG10-DEMO-0001").text
    assert 'id="registry-history"' in found
    supplier = _as(site, Role.SUPPLIER)  # its own devices only
    own = supplier.client.get("/registry").text
    assert "NRI-OC10" not in own and "GNG10-DEMO" in own
