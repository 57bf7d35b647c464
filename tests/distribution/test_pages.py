"""Distribution pages and API through the real app: each in Hindi and English, forms that
refuse bad input without changing anything, the scan API's idempotency, the CRAC PDF."""

from __future__ import annotations

import re
import subprocess
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from oxychain.core.bootstrap import Oxychain
from oxychain.core.people import SYSTEM
from oxychain.distribution.repositories.dispatch import ChallanFilter
from tests.distribution.support import PASSWORD, make_world
from tests.webclient import login_as, make_app


@pytest.fixture
def site(app: Oxychain, settings):  # noqa: ANN001, ANN201
    world = make_world(app, count=8)
    web, oxy = make_app(settings.database_url)

    def client(role: str, lang: str = "hi"):  # noqa: ANN202
        rc = login_as(web, oxy, role, world.people[role].username, PASSWORD)
        rc.client.put(
            "/api/v1/me/language", json={"language": lang}, headers={"X-CSRF-Token": rc.csrf}
        )
        return rc

    yield world, client, oxy
    oxy.close()


class _Shifted:
    """The world with its serials shifted, so that one world serves two rounds."""

    def __init__(self, world, offset: int) -> None:  # noqa: ANN001
        self.__dict__.update(world.__dict__)
        self.serials = world.serials[offset:]


def _scan(rc, *items: dict):  # noqa: ANN001, ANN202
    now = datetime.now(UTC).isoformat()
    body = {"scans": [{"key": str(uuid.uuid4()), "at": now, **i} for i in items]}
    response = rc.post("/api/v1/scans", json=body)
    assert response.status_code == 200, response.text
    return response.json()["results"]


def _dispatch(site, serials: list[str]) -> str:  # noqa: ANN001
    world, client, _oxy = site
    supplier = client("supplier", "en")
    response = supplier.post(
        "/challans",
        data={
            "source": "tranche",
            "tranche_id": str(world.tranche_id),
            "serials": "\n".join(serials),
            "vehicle": "UP 32 AB 1234",
            "driver": "Ram Kumar",
            "csrf_token": supplier.csrf,
        },
    )
    assert response.status_code == 303, response.text
    return response.headers["location"].rsplit("/", 1)[-1]


def test_the_journey_pages_render_in_both_languages(site) -> None:  # noqa: ANN001
    for lang in ("hi", "en"):
        _journey_pages(site, lang)


def _journey_pages(site, lang: str) -> None:  # noqa: ANN001
    world, client, _oxy = site
    offset = 0 if lang == "hi" else 4
    world = _Shifted(world, offset)
    number = _dispatch(site, world.serials[:4])
    keeper = client("warehouse_keeper", lang)
    page = keeper.client.get("/scan")
    assert page.status_code == 200 and f'<html lang="{lang}">' in page.text
    assert number in page.text  # the open challan is offered for receipt
    # no facility is chosen for the keeper: a device issued to the wrong one is hard to find
    assert re.search(r'<select id="to_facility" name="to_facility">\s*<option value="">', page.text)
    assert ("उपकरण स्कैन करें" if lang == "hi" else "Scan devices") in page.text
    results = _scan(
        keeper, *({"serial": s, "event": "receive", "challan": number} for s in world.serials[:4])
    )
    assert {r["status"] for r in results} == {"stored"}
    challan = keeper.client.get(f"/challans/{number}").text
    assert 'data-status="received"' in challan
    issued = _scan(
        keeper,
        {
            "serial": world.serials[0],
            "event": "issue",
            "to_kind": "facility",
            "to_code": world.facility_code,
        },
    )
    assert issued[0]["state"] == "issued"
    incharge = client("facility_incharge", lang)
    assert (
        incharge.post(f"/devices/{world.serials[0]}/events", data={"event": "install"}).status_code
        == 303
    )
    device = incharge.client.get(f"/devices/{world.serials[0]}").text
    assert 'data-state="installed"' in device
    assert ("स्थापित" if lang == "hi" else "installed") in device
    stock = incharge.client.get(f"/stock/facilities/{world.facility_code}").text
    assert 'data-state="installed"' in stock
    officer = client("district_officer", lang)
    for path in (
        f"/stock/districts/{world.district_code}",
        "/loans",
        "/tickets",
        "/challans",
        f"/uptime/districts/{world.district_code}",
        "/certificates",
        "/scan",
    ):
        response = officer.client.get(path)
        assert response.status_code == 200, path
        assert f'<html lang="{lang}">' in response.text
    planner = client("planner", lang)
    assert planner.client.get("/stock").status_code == 200  # the state-wide table


def test_illegal_scan_names_the_state_in_hindi(site) -> None:  # noqa: ANN001
    world, client, _oxy = site
    _dispatch(site, world.serials[:1])
    officer = client("district_officer", "hi")
    result = _scan(officer, {"serial": world.serials[0], "event": "install"})[0]
    assert result["status"] == "refused" and result["error"] == "illegal_transition"
    assert "भेजा गया" in result["message"]  # "dispatched" in Hindi, inside the Hindi sentence


def test_same_key_twice_over_http_is_one_event(site) -> None:  # noqa: ANN001
    world, client, oxy = site
    _dispatch(site, world.serials[:1])
    keeper = client("warehouse_keeper", "en")
    body = {
        "scans": [
            {
                "key": str(uuid.uuid4()),
                "serial": world.serials[0],
                "event": "receive",
                "at": datetime.now(UTC).isoformat(),
            }
        ]
    }
    first = keeper.post("/api/v1/scans", json=body).json()["results"][0]
    second = keeper.post("/api/v1/scans", json=body).json()["results"][0]
    assert (first["status"], second["status"]) == ("stored", "duplicate")
    assert second["state"] == "received"
    with oxy.uow(SYSTEM) as uow:
        device = uow.ledger.device(world.serials[0])
        assert [e.kind for e in uow.ledger.history(device.id)] == ["receive", "dispatch"]


BAD_CHALLANS = [
    {"vehicle": "TRUCK", "driver": "Ram"},
    {"vehicle": "UP32AB1234", "driver": ""},
    {"vehicle": "UP32AB1234", "driver": "Ram", "serials": "NOT-A-DEVICE"},
    {"vehicle": "UP32AB1234", "driver": "Ram", "count": "abc"},
    {"vehicle": "UP32AB1234", "driver": "Ram", "count": "5000"},
]


def test_bad_challans_are_refused_and_change_nothing(site) -> None:  # noqa: ANN001
    world, client, oxy = site
    supplier = client("supplier", "hi")
    for form in BAD_CHALLANS:
        data = {
            "source": "tranche",
            "tranche_id": str(world.tranche_id),
            "csrf_token": supplier.csrf,
        }
        response = supplier.post("/challans", data={**data, **form})
        assert response.status_code == 422, form
        assert 'role="alert"' in response.text
    with oxy.uow(SYSTEM) as uow:
        assert uow.dispatch.challans(ChallanFilter()) == []


def test_loans_issue_overdue_return_and_refuse_bad_input(site) -> None:  # noqa: ANN001
    world, client, oxy = site
    number = _dispatch(site, world.serials[:2])
    keeper = client("warehouse_keeper", "hi")
    _scan(
        keeper, *({"serial": s, "event": "receive", "challan": number} for s in world.serials[:2])
    )
    officer = client("district_officer", "hi")
    due = (datetime.now(UTC).date() + timedelta(days=10)).isoformat()
    good = {
        "serial": world.serials[0],
        "prescription_ref": "RX-77",
        "patient_ref": "HP-0042",
        "phone": "98765 43210",
        "due_on": due,
        "deposit": "5000",
        "csrf_token": officer.csrf,
    }
    for bad in (
        {"phone": "12345"},
        {"due_on": "not-a-date"},
        {"patient_ref": "<b>x</b>"},
        {"serial": "NOPE-0001"},
    ):
        response = officer.post("/loans", data={**good, **bad})
        assert response.status_code == 422, bad
    with oxy.uow(SYSTEM) as uow:
        assert uow.dispatch.loans(None) == []
    response = officer.post("/loans", data=good)
    assert response.status_code == 303
    loan = response.headers["location"].rsplit("/", 1)[-1]
    page = officer.client.get(f"/loans/{loan}").text
    assert "98765" not in page and "HP-0042" in page and "₹5,000" in page
    assert officer.post(f"/loans/{loan}/return", data={}).status_code == 303
    assert 'data-status="returned"' in officer.client.get(f"/loans/{loan}").text
    states = [
        r["state"]
        for r in _scan(
            officer,
            *({"serial": world.serials[0], "event": e} for e in ("sanitise", "retest", "release")),
        )
    ]
    assert states == ["sanitised", "retested", "available"]


def test_acceptance_certificate_pdf_in_hindi_and_english(site, tmp_path) -> None:  # noqa: ANN001
    world, client, oxy = site
    if oxy.engine.dialect.name != "sqlite":
        pytest.skip("rendering a PDF does not depend on the engine: SQLite suffices")
    number = _dispatch(site, world.serials[:2])
    keeper = client("warehouse_keeper", "en")
    _scan(
        keeper, *({"serial": s, "event": "receive", "challan": number} for s in world.serials[:2])
    )
    _scan(
        keeper,
        *(
            {"serial": s, "event": "issue", "to_kind": "facility", "to_code": world.facility_code}
            for s in world.serials[:2]
        ),
    )
    incharge = client("facility_incharge", "hi")
    _scan(incharge, *({"serial": s, "event": "install"} for s in world.serials[:2]))
    response = incharge.post(
        "/certificates",
        data={"facility": world.facility_code, "serials": "\n".join(world.serials[:2])},
    )
    assert response.status_code == 303, response.text
    path = response.headers["location"]
    page = incharge.client.get(path).text
    assert 'id="milestone"' in page and "₹90,000" in page
    pdf = incharge.client.get(path + "/pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    (tmp_path / "crac.pdf").write_bytes(pdf.content)
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "crac.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = " ".join(text.split())
    assert "Consignee receipt and acceptance certificate" in text
    assert "प्रेषिती प्राप्ति एवं स्वीकृति प्रमाणपत्र" in text
    assert world.serials[0] in text and "₹90,000" in text
    assert re.search(r"नब्बे हज़ार|Ninety thousand", text)


def test_the_scan_page_and_its_token_name_the_person(site) -> None:  # noqa: ANN001
    """A shared device's scan page sends only its owner's scans, under its owner's session:
    the page names its owner and /scan/token says whose the session is (issue 13)."""
    world, client, _oxy = site
    keeper, incharge = client("warehouse_keeper", "en"), client("facility_incharge", "en")
    for rc in (keeper, incharge):
        own = str(rc.principal.user_id)
        page = rc.client.get("/scan").text
        assert f'data-owner="{own}"' in page
        assert f'<meta name="oxychain-user" content="{own}">' in page
        token = rc.client.get("/scan/token")
        assert token.json() == {"csrf": rc.csrf, "user": own}
        assert token.headers["cache-control"] == "no-store"
    assert keeper.principal.user_id != incharge.principal.user_id
    signed_out = keeper.client.post("/logout", headers={"X-CSRF-Token": keeper.csrf})
    assert signed_out.status_code in (303, 302)
    assert keeper.client.get("/scan/token").status_code in (303, 302)  # never a token


def test_the_district_keeper_lends_a_concentrator_from_their_store(site) -> None:  # noqa: ANN001
    world, client, oxy = site
    number = _dispatch(site, world.serials[:2])
    keeper = client("warehouse_keeper", "en")
    _scan(
        keeper, *({"serial": s, "event": "receive", "challan": number} for s in world.serials[:2])
    )
    assert 'action="/loans"' in keeper.client.get("/loans").text  # the form is offered
    due = (datetime.now(UTC).date() + timedelta(days=14)).isoformat()
    form = {
        "serial": world.serials[1],
        "prescription_ref": "RX-91",
        "patient_ref": "HP-0091",
        "phone": "98765 11111",
        "due_on": due,
        "deposit": "0",
        "csrf_token": keeper.csrf,
    }
    response = keeper.post("/loans", data=form)
    assert response.status_code == 303, response.text
    loan = response.headers["location"].rsplit("/", 1)[-1]
    with oxy.uow(SYSTEM) as uow:
        row = uow.dispatch.loan(loan)
        assert row.status == "open" and row.warehouse_id == keeper.principal.warehouse_id
    assert "HP-0091" in keeper.client.get(f"/loans/{loan}").text
    # The device page lends what is on the keeper's shelf, the loan form starting with it.
    shelf = keeper.client.get(f"/devices/{world.serials[0]}").text
    assert f'href="/loans?serial={world.serials[0]}#loan-form" id="lend-link"' in shelf
    prefilled = keeper.client.get("/loans", params={"serial": world.serials[0]}).text
    assert f'id="loan-serial" maxlength="64" value="{world.serials[0]}"' in prefilled
    assert 'id="lend-link"' not in keeper.client.get(f"/devices/{world.serials[1]}").text  # out
    # a device already out is not lent again, by anyone
    assert keeper.post("/loans", data={**form, "patient_ref": "HP-0092"}).status_code in (409, 422)


def test_a_receipt_with_missing_serials_waits_for_the_keepers_confirmation(site) -> None:  # noqa: ANN001
    world, client, _oxy = site
    number = _dispatch(site, world.serials[:2])
    keeper = client("warehouse_keeper", "en")
    _scan(keeper, {"serial": world.serials[0], "event": "receive", "challan": number})
    refused = keeper.post(f"/api/v1/challans/{number}/receipt")
    assert refused.status_code == 409 and "never scanned" in refused.json()["message"]
    page = keeper.post(f"/challans/{number}/close", data={"csrf_token": keeper.csrf})
    assert page.status_code == 409 and 'id="confirm-missing"' in page.text
    assert keeper.client.get(f"/api/v1/challans/{number}").json()["missing"] == []
    closed = keeper.post(f"/api/v1/challans/{number}/receipt?confirm_missing=true")
    assert closed.status_code == 200 and closed.json()["missing"] == [world.serials[1]]


READY = re.compile(
    r'<a href="(/[^"]*)">\s*<span class="figure">(\d+)</span>\s*'
    r'<span class="what">accepted units ready to dispatch to the consignee</span>'
)


def test_the_suppliers_home_counts_accepted_units_ready_to_dispatch(site) -> None:  # noqa: ANN001
    world, client, _oxy = site
    supplier = client("supplier", "en")
    # 8 accepted serials, 2 rejected (never dispatchable), 18 units awaited on the tranche
    assert READY.findall(supplier.client.get("/").text) == [("/challans", "8")]
    assert 'id="tranche-form"' in supplier.client.get("/challans").text
    _dispatch(site, world.serials[:2])
    assert READY.findall(supplier.client.get("/").text) == [("/challans", "6")]
