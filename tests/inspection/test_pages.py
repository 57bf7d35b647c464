"""Inspection through the pages and the API, in Hindi and English, on both engines: a
supplier offers a lot, the officer assigns it, the inspector samples and records, the
verdict, documents, dashboard and registry follow; bad input changes nothing."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from oxychain.core.people import SYSTEM
from tests.inspection.support import BAD_UNIT, GOOD_UNIT, PASSWORD, make_world, serial_csv
from tests.webclient import login_as, make_app


@pytest.fixture
def site(database_url: str):  # noqa: ANN201
    app, oxy = make_app(database_url)
    world = make_world(oxy, quantity=600)
    yield app, oxy, world
    oxy.close()


def _client(site, who: str, lang: str = "en"):  # noqa: ANN001, ANN202
    app, oxy, world = site
    principal = getattr(world, who)
    rc = login_as(app, oxy, principal.role.value, principal.username, PASSWORD)
    rc.client.put("/api/v1/me/language", json={"language": lang}, headers={"X-CSRF-Token": rc.csrf})
    return rc


def _counts(oxy) -> tuple[int, int]:  # noqa: ANN001
    with oxy.uow(SYSTEM) as uow:
        return uow.audit_log.count(), len(uow.inspection.registered(["X"]))


def _offer(rc, world, data: bytes, name: str = "serials.csv"):  # noqa: ANN001, ANN201
    return rc.post(
        "/lots/offer",
        data={
            "tranche_id": str(world.tranche_id),
            "place": "Noida",
            "ready_on": "2026-01-20",
            "csrf_token": rc.csrf,
        },
        files={"file": (name, data, "text/csv")},
    )


def test_offer_assign_sample_record_and_verdict_through_the_pages(site) -> None:  # noqa: ANN001
    app, oxy, world = site
    supplier = _client(site, "supplier", "hi")
    assert supplier.client.get("/lots/offer").status_code == 200
    # A wrong file: 422, the rows listed in Hindi, nothing stored.
    audit_before = oxy.uow(SYSTEM).__enter__().audit_log.count()
    bad = _offer(
        supplier, world, b"serial,make,model,manufactured_on\nA B,G,M,2026-01-01\nOK-1,G,,x\n"
    )
    assert bad.status_code == 422 and 'id="offer-errors"' in bad.text
    assert "क्रम संख्या" in bad.text or "सीरियल" in bad.text
    with oxy.uow(SYSTEM) as uow:
        assert uow.audit_log.count() == audit_before
    done = _offer(supplier, world, serial_csv(500, "PAGE"))
    assert done.status_code == 303
    lot_url = done.headers["location"]
    lot_id = int(lot_url.rsplit("/", 1)[1])
    page = supplier.client.get(lot_url).text
    assert '<html lang="hi">' in page and 'id="plan-sample-size">50<' in page

    officer = _client(site, "officer")
    page = officer.client.get(lot_url).text
    assert 'id="assign"' in page
    r = officer.post(
        f"/lots/{lot_id}/assign",
        data={
            "agency_id": str(world.agency_id),
            "inspector_id": str(world.inspector.user_id),
            "csrf_token": officer.csrf,
        },
    )
    assert r.status_code == 303

    inspector = _client(site, "inspector")
    r = inspector.post(f"/lots/{lot_id}/sample", data={"csrf_token": inspector.csrf})
    assert r.status_code == 303
    lot_page = inspector.client.get(lot_url).text
    assert lot_page.count('class="untested"') == 50 and 'id="seed"' in lot_page
    form = inspector.client.get(f"/lots/{lot_id}/units/1").text
    assert "≥ 90 %" in form and "4.5–5.5 LPM" in form and 'hx-get="/lots/' in form
    # Each reading judged as typed (nothing stored).
    ok = inspector.client.get(f"/lots/{lot_id}/judge", params={"o2_purity_pct@5": "93"}).text
    out = inspector.client.get(f"/lots/{lot_id}/judge", params={"noise_dba": "51"}).text
    bad_value = inspector.client.get(f"/lots/{lot_id}/judge", params={"noise_dba": "loud"}).text
    assert "judge ok" in ok and "judge out" in out and "judge bad" in bad_value
    # A form without the warm-up is refused and keeps what was typed.
    r = inspector.post(
        f"/lots/{lot_id}/units/1",
        data={**BAD_UNIT, "warm_up_min": "2", "csrf_token": inspector.csrf},
    )
    assert r.status_code == 422 and 'value="55"' in r.text
    for position in range(1, 5):
        r = inspector.post(
            f"/lots/{lot_id}/units/{position}",
            data={**BAD_UNIT, "warm_up_min": "6", "sign": "yes", "csrf_token": inspector.csrf},
        )
        assert r.status_code == 303
    assert r.headers["location"].endswith("#verdict")
    verdict = inspector.client.get(lot_url).text
    assert 'data-status="rejected"' in verdict and 'id="qa-rejected">500<' in verdict

    # The certificate, in Hindi and English.
    pdf = officer.client.get(f"/lots/{lot_id}/certificate.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True
        ).stdout.decode()
        assert "Inspection certificate" in text and "निरीक्षण प्रमाणपत्र" in text
        assert "Lot rejected" in text and "500" in text

    # The supplier re-offers; the registry says the old units are not dispatchable.
    form = supplier.client.get(f"/lots/{lot_id}/reoffer")
    assert form.status_code == 200
    r = supplier.post(
        f"/lots/{lot_id}/reoffer",
        data={"place": "Noida", "ready_on": "2026-01-25", "csrf_token": supplier.csrf},
        files={"file": ("s.csv", serial_csv(100, "RE"))},
    )
    assert r.status_code == 303
    registry = officer.client.get("/registry", params={"serial": "page-00007"}).text
    assert 'data-dispatchable="no"' in registry and 'data-status="rejected"' in registry


def test_copy_last_unit_and_an_accepted_lot(site) -> None:  # noqa: ANN001
    app, oxy, world = site
    supplier, officer, inspector = (_client(site, w) for w in ("supplier", "officer", "inspector"))
    lot_id = int(
        _offer(supplier, world, serial_csv(20, "CP")).headers["location"].rsplit("/", 1)[1]
    )
    officer.post(
        f"/lots/{lot_id}/assign",
        data={
            "agency_id": str(world.agency_id),
            "inspector_id": str(world.inspector.user_id),
            "csrf_token": officer.csrf,
        },
    )
    inspector.post(f"/lots/{lot_id}/sample", data={"csrf_token": inspector.csrf})
    assert 'id="sign-unit"' not in inspector.client.get(f"/lots/{lot_id}/units/1").text
    # A draft first: its page offers the signature, which moves on to the next unit.
    r = inspector.post(
        f"/lots/{lot_id}/units/1",
        data={**GOOD_UNIT, "warm_up_min": "5", "csrf_token": inspector.csrf},
    )
    assert r.headers["location"] == f"/lots/{lot_id}/units/1#sign"
    draft = inspector.client.get(f"/lots/{lot_id}/units/1").text
    assert 'data-signed="no"' in draft and 'id="sign-unit"' in draft
    r = inspector.post(f"/lots/{lot_id}/units/1/sign", data={"csrf_token": inspector.csrf})
    assert r.headers["location"] == f"/lots/{lot_id}/next-unit"
    assert 'id="sign-unit"' not in inspector.client.get(f"/lots/{lot_id}/units/1").text
    assert inspector.client.get(r.headers["location"]).headers["location"].endswith("/units/2")
    page = inspector.client.get(f"/lots/{lot_id}").text
    assert page.count('class="copy-last') == 4  # n = 5 at AQL 2.5 for 20 units
    for position in range(2, 6):
        r = inspector.post(
            f"/lots/{lot_id}/units/{position}/copy-last", data={"csrf_token": inspector.csrf}
        )
    assert r.headers["location"].endswith("#verdict")
    page = officer.client.get(f"/lots/{lot_id}").text
    assert 'data-status="accepted"' in page and 'id="labels"' in page
    labels = officer.client.get(f"/lots/{lot_id}/labels.pdf")
    assert labels.status_code == 200 and labels.content.startswith(b"%PDF")
    registry = officer.client.get("/registry", params={"serial": "CP-00003"}).text
    assert 'data-dispatchable="yes"' in registry
    api = officer.client.get("/api/v1/registry", params={"serial": "cp-00003"}).json()
    assert api["qa_status"] == "accepted" and api["dispatchable"] is True
    for lang in ("hi", "en"):
        officer.client.put(
            "/api/v1/me/language", json={"language": lang}, headers={"X-CSRF-Token": officer.csrf}
        )
        board = officer.client.get("/inspection").text
        assert 'id="supplier-chart"' in board and 'id="parameter-chart"' in board
        assert f'<html lang="{lang}">' in board
        card = officer.client.get("/inspection/scorecard").text
        assert 'id="scorecard"' in card
    card = supplier.client.get("/api/v1/inspection/scorecard").json()
    assert card["items"][0]["lots_decided"] == 1 and card["items"][0]["rejection_rate_pct"] == 0


def test_out_of_scope_callers_are_refused(site) -> None:  # noqa: ANN001
    app, oxy, world = site
    supplier = _client(site, "supplier")
    lot_id = int(
        _offer(supplier, world, serial_csv(10, "SC")).headers["location"].rsplit("/", 1)[1]
    )
    other = _client(site, "other_supplier")
    assert other.client.get(f"/lots/{lot_id}").status_code == 403
    assert other.client.get(f"/api/v1/lots/{lot_id}").status_code == 403
    r = other.post(f"/api/v1/lots/{lot_id}/reoffer", data={})
    assert r.status_code == 403  # refused before the body is read
    stranger = _client(site, "other_inspector")
    assert (
        stranger.post(f"/lots/{lot_id}/sample", data={"csrf_token": stranger.csrf}).status_code
        == 403
    )
    assert supplier.client.get("/api/v1/lots/999999").status_code == 404


def test_api_uploads_refuse_junk_and_duplicates_and_change_nothing(site) -> None:  # noqa: ANN001
    app, oxy, world = site
    supplier = _client(site, "supplier")
    with oxy.uow(SYSTEM) as uow:
        before = uow.audit_log.count()
    form = {"tranche_id": str(world.tranche_id), "place": "Noida", "ready_on": "2026-01-20"}
    junk = supplier.post(
        "/api/v1/lots", data=form, files={"file": ("serials.csv", os.urandom(10 * 1024 * 1024))}
    )
    assert junk.status_code == 413 and junk.json()["error"] == "too_large"
    dup = serial_csv(3, "DU") + b"DU-00000,G,M,2026-01-01\n"
    r = supplier.post("/api/v1/lots", data=form, files={"file": ("serials.csv", dup)})
    assert r.status_code == 422
    body = r.json()
    assert body["error"] == "file_rejected"
    assert body["details"] == [
        {"row": 5, "field": "serial", "message": "Serial DU-00000 is also on row 2."}
    ]
    with oxy.uow(SYSTEM) as uow:
        assert uow.audit_log.count() == before
    ok = supplier.post("/api/v1/lots", data=form, files={"file": ("s.csv", serial_csv(8, "AP"))})
    assert ok.status_code == 201
    lot = supplier.client.get(f"/api/v1/lots/{ok.json()['id']}").json()
    assert lot["quantity"] == 8 and lot["plan"]["sample_size"] == 5 and lot["status"] == "offered"
    assert re.fullmatch(r"PO/TEST/\w+/L1", lot["number"])
