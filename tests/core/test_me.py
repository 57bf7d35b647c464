"""GET /api/v1/me: who the caller is and the organisations their access is scoped to, by id
and by code, so an API client needs no page to learn its warehouse or facility."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from oxychain.app import create_app
from oxychain.core.bootstrap import Oxychain
from oxychain.core.people import SYSTEM, Role
from oxychain.masterdata.tables import InspectionAgency
from tests.distribution.support import PASSWORD, make_world, person, ref

ORGANISATIONS = ("district", "warehouse", "facility", "supplier", "agency")


def _me(client: TestClient, username: str) -> dict:
    token = client.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD})
    assert token.status_code == 201
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 200
    return response.json()


def _codes(app: Oxychain, world, agency_id: int) -> dict:  # noqa: ANN001
    """Each organisation of the world as GET /me should name it: {id, code, name}."""
    with app.uow(SYSTEM) as uow:
        md = uow.masterdata
        rows = {
            "district": md.district_by_id(world.district_id),
            "warehouse": uow.dispatch.warehouse_by_code(world.warehouse_code),
            "facility": md.facility(world.facility_code),
            "supplier": md.supplier_by_id(world.supplier_id),
            "agency": md.agency_by_id(agency_id),
        }
        return {k: {"id": r.id, "code": r.code, "name": r.name} for k, r in rows.items()}


@pytest.mark.parametrize(
    ("role", "has"),
    [
        (Role.WAREHOUSE_KEEPER, {"district", "warehouse"}),
        (Role.FACILITY_INCHARGE, {"district", "facility"}),
        (Role.DISTRICT_OFFICER, {"district"}),
        (Role.SUPPLIER, {"supplier"}),
        (Role.INSPECTOR, {"agency"}),
        (Role.PLANNER, set()),  # headquarters: no organisation
    ],
)
def test_me_names_the_callers_organisations_by_id_and_code(app: Oxychain, role, has) -> None:  # noqa: ANN001
    world = make_world(app, count=1)
    with app.uow(SYSTEM, write=True) as uow:
        agency = InspectionAgency(code="A-" + ref(), name="Test agency (synthetic)")
        uow.masterdata.add(agency)
        uow.commit()
        agency_id = agency.id
    expected = _codes(app, world, agency_id)
    who = person(app, role, agency_id) if role is Role.INSPECTOR else world.people[role.value]
    me = _me(TestClient(create_app(app)), who.username)
    assert (me["username"], me["role"], me["language"]) == (who.username, role.value, "en")
    assert me["display_name"] == f"Test {role.value}"
    assert {k for k in ORGANISATIONS if me[k] is not None} == has
    for name in has:
        assert me[name] == expected[name]


def test_me_is_for_the_signed_in_only(app: Oxychain) -> None:
    client = TestClient(create_app(app))
    assert client.get("/api/v1/me").status_code == 401
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert set(ORGANISATIONS) <= set(schema["MeOut"]["properties"])
    assert {"id", "code"} <= set(schema["OrganisationOut"]["required"])
