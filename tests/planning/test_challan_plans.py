"""A challan from an allocation plan carries out an approved plan: through the API (and the
page, the same service), a made-up plan reference, a proposed plan and a superseded one are
refused and load nothing; an approved plan's challan is made."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from oxychain.app import create_app
from oxychain.core.bootstrap import Oxychain
from oxychain.core.people import SYSTEM
from oxychain.distribution.tables import Challan
from oxychain.planning.services import plans as planning
from tests.distribution.support import PASSWORD
from tests.planning.support import choice, import_national, planner, stocked_world
from tests.webclient import login_as


def _challans(app: Oxychain) -> int:
    with app.uow(SYSTEM) as uow:
        return uow.session.scalar(select(func.count()).select_from(Challan))


def test_a_challan_names_an_approved_plan(app: Oxychain) -> None:
    world = stocked_world(app, count=4)
    who = planner(app)
    import_national(app, who)
    plan = planning.plan_from_database(app.uow(who, write=True), app.settings, choice())
    keeper = world.people["warehouse_keeper"]
    client = TestClient(create_app(app))
    token = client.post(
        "/api/v1/auth/token", json={"username": keeper.username, "password": PASSWORD}
    ).json()["access_token"]
    client.headers["Authorization"] = f"Bearer {token}"
    before = _challans(app)

    def challan(plan_ref: str, serial: str):  # noqa: ANN202
        return client.post(
            "/api/v1/challans",
            json={
                "plan_ref": plan_ref,
                "from_warehouse": world.warehouse_code,
                "to_kind": "facility",
                "to_code": world.facility_code,
                "serials": [serial],
                "vehicle": "UP 32 AB 1234",
                "driver": "Ram Kumar",
            },
        )

    made_up = challan("PLAN-999999", world.serials[0])
    assert made_up.status_code == 422
    assert made_up.json()["error"] == "invalid_input"
    assert "PLAN-999999" in made_up.json()["message"]
    proposed = challan(plan.reference, world.serials[0])
    assert proposed.status_code == 409
    assert "proposed" in proposed.json()["message"]
    assert _challans(app) == before  # nothing loaded, no number spent

    planning.approve(app.uow(who, write=True), plan.reference, truck_capacity=5)
    made = challan(plan.reference, world.serials[0])
    assert made.status_code == 201
    assert (made.json()["plan_ref"], made.json()["serials"]) == (
        plan.reference,
        [world.serials[0]],
    )

    # A re-plan supersedes it: no more challans from it; the page refuses the same way.
    planning.replan(app.uow(who, write=True), app.settings, plan.reference, "truck left")
    superseded = challan(plan.reference, world.serials[1])
    assert superseded.status_code == 409 and "superseded" in superseded.json()["message"]
    page, oxy = create_app(app), app
    with app.uow(SYSTEM) as uow:
        username = uow.people.user(keeper.user_id).username
    browser = login_as(page, oxy, "warehouse_keeper", username, PASSWORD)
    form = {
        "source": "allocation",
        "plan_ref": "made up 7",
        "from_warehouse": world.warehouse_code,
        "to_kind": "facility",
        "to_code": world.facility_code,
        "serials": world.serials[1],
        "vehicle": "UP 32 AB 1234",
        "driver": "Ram Kumar",
    }
    refused = browser.post("/challans", data=form)
    assert refused.status_code == 422
    assert "made up 7" in refused.text
    assert _challans(app) == before + 1
