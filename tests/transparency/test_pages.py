"""The red-flags page (procurement officer, auditor) in Hindi and English, and the public
open-contracting download."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from oxychain.core.people import SYSTEM
from oxychain.core.services import users
from tests.transparency.ocds_schema import errors
from tests.transparency.test_export import _seed
from tests.webclient import login_as, make_app

PASSWORD = "correct horse battery"


@pytest.fixture
def site(app):  # noqa: ANN001, ANN201
    _seed(app)
    for role in ("auditor", "procurement_officer", "planner"):
        users.create_user(
            app.uow(SYSTEM, write=True),
            users.CreateUser(f"t.{role}", f"Test {role}", PASSWORD, role, language="en"),
        )
    web, oxy = make_app(app.settings.database_url)
    yield web, oxy
    oxy.close()


def _login(site, role: str):  # noqa: ANN001, ANN202
    web, oxy = site
    return login_as(web, oxy, role, f"t.{role}", PASSWORD)


@pytest.mark.parametrize("role", ["auditor", "procurement_officer"])
def test_red_flags_page_in_english_and_hindi(site, role: str) -> None:  # noqa: ANN001
    rc = _login(site, role)
    page = rc.client.get("/redflags")
    assert page.status_code == 200
    assert '<a href="/redflags">Red flags</a>' in page.text
    assert 'data-code="close_to_winner"' in page.text and 'data-code="shared_details"' in page.text
    assert "only 0.5 % above the winner" in page.text
    assert "OCP Cardinal R024" in page.text
    assert "a bid period under 15 days; a runner-up within 1 % of the winner" in page.text
    rc.client.put("/api/v1/me/language", json={"language": "hi"}, headers={"X-CSRF-Token": rc.csrf})
    hindi = rc.client.get("/redflags").text
    assert '<html lang="hi">' in hindi
    assert "विजेता बोली के बहुत निकट मूल्य" in hindi  # the flag's title
    assert "से केवल 0.5 % अधिक थे" in hindi  # and why it fired
    assert "का फ़ोन नंबर एक ही है" in hindi
    assert "15 दिनों से कम की बोली अवधि" in hindi


def test_red_flags_page_is_refused_to_others(site) -> None:  # noqa: ANN001
    rc = _login(site, "planner")
    assert rc.client.get("/redflags").status_code == 403
    assert 'href="/redflags"' not in rc.client.get("/").text


def test_release_package_is_public(site) -> None:  # noqa: ANN001
    web, _ = site
    response = TestClient(web).get("/api/v1/ocds/release-package")
    assert response.status_code == 200
    package = response.json()
    assert errors(package) == []
    assert len({r["ocid"] for r in package["releases"]}) == 3
