"""A lot from offer to binding verdict in Chromium: a supplier uploads 500 serials; the plan
at AQL 2.5, level II is n = 50, Ac 3, Re 4; the inspector (in Hindi) enters readings; 4
failures reject the lot; the re-offer is inspected on tightened inspection and accepted;
the accepted lot's devices are dispatchable and the rejected lot's never are."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator

import pytest

from oxychain.app import Settings, bootstrap
from oxychain.core.people import SYSTEM
from tests.e2e.conftest import login
from tests.inspection.support import BAD_UNIT, GOOD_UNIT, make_po
from tests.server import serving

pytestmark = pytest.mark.e2e


def _serials(prefix: str, count: int = 500) -> dict:
    rows = [f"{prefix}-{n:05d},Ganga,GX-5,2026-01-10" for n in range(count)]
    data = ("serial,make,model,manufactured_on\n" + "\n".join(rows) + "\n").encode()
    return {"name": "serials.csv", "mimeType": "text/csv", "buffer": data}


@pytest.fixture(scope="module")
def inspection_server(server: dict, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """The demo server's database copied, with a fresh purchase order of 1,000 OC-5 units to
    SUP-01 (the demo supplier; AQL 2.5, level II) to a Lucknow warehouse, served on its own
    port: the journey needs a tranche larger than the demo's, and other journeys never see
    this order."""
    workdir = tmp_path_factory.mktemp("e2e-inspection")
    path = workdir / "oxychain.db"
    with sqlite3.connect(server["workdir"] / "oxychain.db") as live, sqlite3.connect(path) as copy:
        live.backup(copy)
    url = f"sqlite:///{path}"
    oxy = bootstrap(Settings(database_url=url, environment="test"))
    try:
        with oxy.uow(SYSTEM) as uow:
            supplier_id = uow.masterdata.supplier_by_code("SUP-01").id
            lucknow = next(d for d in uow.masterdata.districts() if d.name == "Lucknow")
            warehouse = next(
                w.id
                for w in uow.masterdata.warehouses()
                if w.district_id == lucknow.id and w.kind == "district"
            )
        tranche = make_po(oxy, supplier_id, 1000, "2.5", "II", warehouse_id=warehouse)[1]
    finally:
        oxy.close()
    with serving(url, workdir) as base:
        yield {"url": base, "logins": server["logins"], "workdir": workdir, "tranche": tranche}


def _as(page, server: dict, role: str) -> None:  # noqa: ANN001
    page.context.clear_cookies()
    login(page, server, role)


def _assign(page, server: dict, lot_url: str) -> None:  # noqa: ANN001
    _as(page, server, "procurement_officer")
    page.goto(lot_url)
    page.select_option("#agency-select", label="Shriram Test House (synthetic)")
    page.select_option("#inspector-select", label="Demo inspector (demo.inspector)")
    page.click("#assign")
    page.wait_for_selector("#lot-status[data-status=assigned]")


def _enter(page, values: dict, warm_up: str = "6") -> None:  # noqa: ANN001
    page.fill("#warm_up_min", warm_up)
    for key, value in values.items():
        id_ = key.replace("@", "-")
        if value in ("yes", "no", "pass", "fail"):
            page.check(f"#{id_}-{'yes' if value in ('yes', 'pass') else 'no'}")
        else:
            page.fill(f"#{id_}", value)


def _text(page, selector: str) -> str:  # noqa: ANN001
    return page.locator(selector).inner_text().strip()


def test_a_rejected_lot_reoffered_on_tightened_inspection(page, inspection_server) -> None:  # noqa: ANN001
    server = inspection_server
    url, tranche = server["url"], server["tranche"]
    # The supplier offers 500 serials against the tranche.
    _as(page, server, "supplier")
    page.goto(url + "/lots/offer")
    page.select_option("#tranche", value=str(tranche))
    page.fill("#place", "Ganga works, Sahibabad")
    page.set_input_files("#serial-file", _serials("E2E-REJ"))
    page.click("#submit-offer")
    page.wait_for_selector("#lot-status[data-status=offered]")
    first_lot = page.url
    assert _text(page, "#plan-sample-size") == "50"
    assert (_text(page, "#plan-accept"), _text(page, "#plan-reject")) == ("3", "4")

    _assign(page, server, first_lot)

    # The inspector, in Hindi, draws the sample and enters four failing units.
    _as(page, server, "inspector")
    page.goto(first_lot)
    if page.locator("html").get_attribute("lang") != "hi":
        page.click("#lang-switch")
        page.wait_for_load_state()
    page.click("#draw-sample")
    page.wait_for_selector("#seed")
    assert page.locator("tr.untested").count() == 50
    page.locator("#unit-1 a.enter").click()
    for position in range(1, 5):
        page.wait_for_selector("#readings")
        assert _text(page, "h1").startswith(f"इकाई {position}")
        _enter(page, BAD_UNIT)
        # Judged as typed: the noise reading is out of its limit before anything is saved.
        page.wait_for_selector("#j-noise_dba .judge.out")
        assert "सीमा से बाहर" in _text(page, "#j-noise_dba")
        page.wait_for_selector("#j-o2_purity_pct-5 .judge.ok")
        page.click("#record")
    page.wait_for_selector("#lot-status[data-status=rejected]")
    assert _text(page, "#failed") == "4"
    assert _text(page, "#qa-rejected") == "500"
    rejected_serial = page.locator("#unit-1 code").inner_text()

    # The supplier offers the lot again with other serials: tightened inspection.
    _as(page, server, "supplier")
    page.goto(first_lot)
    page.click("#reoffer")
    page.fill("#place", "Ganga works, Sahibabad")
    page.set_input_files("#serial-file", _serials("E2E-NEW"))
    page.click("#submit-offer")
    page.wait_for_selector("#lot-status[data-status=offered]")
    second_lot = page.url
    assert second_lot != first_lot and page.locator("#previous-version").count() == 1
    assert _text(page, "#plan-sample-size") == "50"
    assert (_text(page, "#plan-accept"), _text(page, "#plan-reject")) == ("2", "3")

    _assign(page, server, second_lot)
    _as(page, server, "inspector")
    page.goto(second_lot)
    page.click("#draw-sample")
    page.wait_for_selector("#seed")
    assert page.locator("#severity").get_attribute("data-severity") == "tightened"
    page.locator("#unit-1 a.enter").click()
    page.wait_for_selector("#readings")
    _enter(page, GOOD_UNIT, warm_up="5")
    page.click("#record")
    page.wait_for_selector("#readings")  # on to unit 2
    page.goto(second_lot)
    for _ in range(49):  # each unit's readings recorded and judged, one click each
        page.locator("tr.untested button.copy-last").first.click()
        page.wait_for_load_state()
    page.wait_for_selector("#lot-status[data-status=accepted]")
    assert _text(page, "#tested") == "50" and _text(page, "#failed") == "0"
    assert _text(page, "#qa-accepted") == "500"
    accepted_serial = page.locator("#unit-7 code").inner_text()
    certificate = page.request.get(second_lot + "/certificate.pdf")
    assert certificate.ok and certificate.body().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=certificate.body(), capture_output=True, check=True
        ).stdout.decode()
        assert "लॉट स्वीकृत" in text and "Lot accepted" in text

    # The registry: the accepted lot's devices are dispatchable, the rejected lot's never.
    _as(page, server, "procurement_officer")
    for serial, expected in ((accepted_serial, "yes"), (rejected_serial, "no")):
        page.goto(f"{url}/registry?serial={serial}")
        assert page.locator("#dispatchable").get_attribute("data-dispatchable") == expected
    # The supplier's truck (distribution's challan API): the rejected unit is refused, the
    # accepted one goes.
    _as(page, server, "supplier")
    csrf = json.loads(page.locator("body").get_attribute("hx-headers"))
    for serial, ok in ((rejected_serial, False), (accepted_serial, True)):
        response = page.request.post(
            url + "/api/v1/challans",
            data=json.dumps(
                {
                    "tranche_id": tranche,
                    "serials": [serial],
                    "vehicle": "UP 16 AB 1234",
                    "driver": "Ramesh Kumar",
                }
            ),
            headers={**csrf, "Content-Type": "application/json"},
        )
        assert response.ok is ok, (serial, response.status, response.text())
        if not ok:
            assert response.status in (409, 422)
    page.goto(first_lot)
    assert page.locator("#next-version").count() == 1
    assert page.locator("#lot-status").get_attribute("data-status") == "rejected"
