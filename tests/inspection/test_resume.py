"""A supplier's item discontinued by the switching rules (ISO 2859-1, 9.4) and resumed by
the procurement officer, through the page and through the API, on both engines: the
scorecard offers the resumption only to the officer, the refusals change nothing, and
the resumed item is inspected on tightened inspection again."""

from __future__ import annotations

from datetime import date

import pytest

from oxychain.core.bootstrap import Oxychain
from oxychain.core.errors import Conflict
from oxychain.core.people import SYSTEM
from oxychain.inspection.services import lots, units, views
from oxychain.inspection.services.serials import SerialFile
from tests.inspection.support import BAD_UNIT, PASSWORD, World, make_world, serial_csv
from tests.webclient import login_as, make_app


@pytest.fixture
def site(database_url: str):  # noqa: ANN201
    app, oxy = make_app(database_url)
    world = make_world(oxy)
    yield app, oxy, world
    oxy.close()


def _offer(oxy: Oxychain, world: World) -> int:
    file = SerialFile("serials.csv", serial_csv(20))
    cmd = lots.OfferLot(world.tranche_id, "Noida works", date(2026, 1, 20), file)
    return lots.offer_lot(oxy.uow(world.supplier, write=True), cmd)


def _inspect(oxy: Oxychain, world: World, lot_id: int) -> None:
    assign = lots.AssignLot(lot_id, world.agency_id, world.inspector.user_id)
    lots.assign_lot(oxy.uow(world.officer, write=True), assign)
    lots.draw_sample(oxy.uow(world.inspector, write=True), lot_id)


def discontinue(oxy: Oxychain, world: World) -> int:
    """Seven lots of 20, each rejected by its first unit (n 5 or 8, Ac 0): two on normal
    inspection switch to tightened, five more on tightened discontinue it. Then an eighth
    lot is offered, which cannot be sampled; its id."""
    for _ in range(7):
        lot_id = _offer(oxy, world)
        _inspect(oxy, world, lot_id)
        cmd = units.RecordUnit(lot_id, 1, "6", dict(BAD_UNIT), sign=True)
        assert units.record_unit(oxy.uow(world.inspector, write=True), cmd).lot_status == "rejected"
    waiting = _offer(oxy, world)
    with pytest.raises(Conflict, match="discontinued"):
        _inspect(oxy, world, waiting)
    return waiting


def _history(oxy: Oxychain, world: World) -> list[tuple[str, bool, str | None]]:
    with oxy.uow(SYSTEM) as uow:
        item = uow.inspection.item_by_code("OC-5")
        rows = uow.inspection.switching_history(world.supplier_id, item.id)
        return [(r.severity, r.discontinued, r.reason) for r in rows]


def _client(site, who: str):  # noqa: ANN001, ANN202
    app, oxy, world = site
    principal = getattr(world, who)
    return login_as(app, oxy, principal.role.value, principal.username, PASSWORD)


def _code(oxy: Oxychain, world: World) -> str:
    with oxy.uow(SYSTEM) as uow:
        return uow.inspection.supplier(world.supplier_id).code


def test_the_officer_resumes_a_discontinued_item_from_the_scorecard(site) -> None:  # noqa: ANN001
    _app, oxy, world = site
    waiting = discontinue(oxy, world)
    code = _code(oxy, world)
    card_url = f"/inspection/scorecard?supplier={code}"
    action = f"/inspection/switching/{code}/OC-5/resume"
    officer, auditor = _client(site, "officer"), _client(site, "auditor")
    page = officer.client.get(card_url).text
    assert 'data-status="discontinued"' in page and 'id="resume-OC-5"' in page
    assert f'action="{action}"' in page
    assert 'id="resume-OC-5"' not in auditor.client.get(card_url).text
    assert auditor.post(action, data={"csrf_token": auditor.csrf}).status_code == 403
    # Without the confirmation: the form again, nothing changed.
    unconfirmed = officer.post(
        action, data={"corrective_action": "New sieve beds", "csrf_token": officer.csrf}
    )
    assert unconfirmed.status_code == 422 and 'id="scorecard-error"' in unconfirmed.text
    assert 'value="New sieve beds"' in unconfirmed.text
    assert _history(oxy, world)[-1] == ("tightened", True, "discontinued")

    form = {"corrective_action": "New sieve beds", "confirm": "yes", "csrf_token": officer.csrf}
    done = officer.post(action, data=form)
    assert done.status_code == 303
    assert done.headers["location"] == f"{card_url}#item-OC-5"
    page = officer.client.get(card_url).text
    assert 'data-status="tightened"' in page and 'id="resume-OC-5"' not in page
    assert _history(oxy, world)[-1] == ("tightened", False, "resumed_on_tightened")
    again = officer.post(action, data=form)
    assert again.status_code == 409 and 'id="scorecard-error"' in again.text
    # Inspection goes on, on tightened inspection.
    _inspect(oxy, world, waiting)
    assert views.lot_view(oxy.uow(world.officer), waiting).lot.severity == "tightened"


def test_the_api_resumes_once_and_only_for_the_officer(site) -> None:  # noqa: ANN001
    _app, oxy, world = site
    discontinue(oxy, world)
    code = _code(oxy, world)
    url = f"/api/v1/inspection/switching/{code}/OC-5/resume"
    body = {"corrective_action": "Compressor supplier changed; 100 % burn-in"}
    officer, supplier = _client(site, "officer"), _client(site, "supplier")
    assert supplier.post(url, json=body).status_code == 403
    assert officer.post(url, json={}).status_code == 422
    missing = officer.post(f"/api/v1/inspection/switching/{code}/OC-99/resume", json=body)
    assert missing.status_code == 404
    with oxy.uow(SYSTEM) as uow:
        before = uow.audit_log.count()
    done = officer.post(url, json=body)
    assert done.status_code == 201
    assert done.json() == {
        "supplier": code,
        "item": "OC-5",
        "status": "tightened",
        "severity": "tightened",
        "switching_score": 0,
    }
    refused = officer.post(url, json=body)
    assert refused.status_code == 409 and refused.json()["error"] == "illegal_transition"
    with oxy.uow(SYSTEM) as uow:
        assert uow.audit_log.count() == before + 1
        assert uow.audit_log.verify() is None
    assert _history(oxy, world)[-2:] == [
        ("tightened", True, "discontinued"),
        ("tightened", False, "resumed_on_tightened"),
    ]
    doc = officer.client.get("/api/v1/openapi.json").json()
    operation = doc["paths"]["/api/v1/inspection/switching/{supplier_code}/{item_code}/resume"]
    assert "ResumeIn" in str(operation["post"]["requestBody"])
