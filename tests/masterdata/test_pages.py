"""Pages through the real app: each role's pages in Hindi and English, forms that refuse
bad input without changing anything, login and its rate limit."""

from __future__ import annotations

import io
import re

import pytest
from fastapi.testclient import TestClient

from oxychain.core.people import SYSTEM, Role
from oxychain.core.web.guards import LANG_COOKIE
from tests.webclient import login_as, make_app

PAGES = ["/", "/districts", "/facilities", "/warehouses", "/items", "/qa/plan?lot_size=500&aql=2.5"]


@pytest.fixture
def site(demo):  # noqa: ANN001, ANN201
    url, logins = demo
    app, oxy = make_app(url)
    yield app, oxy, logins
    oxy.close()


def _as(site, role: Role):  # noqa: ANN001, ANN202
    app, oxy, logins = site
    return login_as(app, oxy, role.value, *logins[role.value])


@pytest.mark.parametrize("lang", ["hi", "en"])
def test_everyday_pages_render_for_the_planner_in_both_languages(site, lang: str) -> None:  # noqa: ANN001
    rc = _as(site, Role.PLANNER)
    rc.client.put("/api/v1/me/language", json={"language": lang}, headers={"X-CSRF-Token": rc.csrf})
    for page in PAGES:
        response = rc.client.get(page)
        assert response.status_code == 200, page
        assert f'<html lang="{lang}">' in response.text
    districts = rc.client.get("/districts").text
    assert ("उत्तर प्रदेश के जिले" if lang == "hi" else "Districts of Uttar Pradesh") in districts
    # Lucknow's Census 2011 population in Indian grouping.
    assert "45,89,838" in districts


def test_district_page_shows_population_and_facilities(site) -> None:  # noqa: ANN001
    rc = _as(site, Role.DISTRICT_OFFICER)
    page = rc.client.get("/districts").text
    code = re.search(r'href="/districts/([^"]+)">लखनऊ', page).group(1)
    detail = rc.client.get(f"/districts/{code}").text
    assert "45,89,838" in detail
    assert "लखनऊ" in detail


def test_facility_filters_and_scope(site) -> None:  # noqa: ANN001
    incharge = _as(site, Role.FACILITY_INCHARGE)
    rows = re.findall(r'<a href="/facilities/([^"]+)">', incharge.client.get("/facilities").text)
    assert len(rows) == 1  # their own facility only
    planner = _as(site, Role.PLANNER)
    phc = planner.client.get("/facilities?kind=phc").text
    assert "PHC" in phc or "पीएचसी" in phc
    api = planner.client.get("/api/v1/facilities", params={"kind": "chc", "per_page": 5}).json()
    assert api["total"] > 0 and all(f["kind"] == "chc" for f in api["facilities"])
    assert all(f["synthetic"] for f in api["facilities"])


def test_language_switch_is_remembered_for_the_user(site) -> None:  # noqa: ANN001
    rc = _as(site, Role.DISTRICT_OFFICER)
    assert '<html lang="hi">' in rc.client.get("/").text  # district staff start in Hindi
    response = rc.post(
        "/language", data={"language": "en", "next": "/districts", "csrf_token": rc.csrf}
    )
    assert response.status_code == 303
    again = _as(site, Role.DISTRICT_OFFICER)  # a new session, without the cookie
    again.client.cookies.delete(LANG_COOKIE)
    assert '<html lang="en">' in again.client.get("/").text


def test_login_page_logs_in_and_rate_limits(site) -> None:  # noqa: ANN001
    app, _oxy, logins = site
    username, password = logins["auditor"]
    client = TestClient(app, follow_redirects=False)
    form = client.get("/login")
    token = re.search(r'name="login_csrf" value="([^"]+)"', form.text).group(1)
    ok = client.post(
        "/login", data={"username": username, "password": password, "login_csrf": token}
    )
    assert ok.status_code == 303 and ok.headers["location"] == "/"
    assert client.get("/audit").status_code == 200
    # Without the login form's token: refused.
    stranger = TestClient(app, follow_redirects=False)
    assert (
        stranger.post("/login", data={"username": username, "password": password}).status_code
        == 403
    )
    # Five failures, then even the right password is refused for a while.
    codes = []
    for attempt in range(6):
        page = stranger.get("/login")
        token = re.search(r'name="login_csrf" value="([^"]+)"', page.text).group(1)
        guess = password if attempt == 5 else "wrong-password"
        codes.append(
            stranger.post(
                "/login", data={"username": username, "password": guess, "login_csrf": token}
            ).status_code
        )
    assert codes == [401] * 5 + [429]


def test_open_redirects_after_login_are_refused(site) -> None:  # noqa: ANN001
    app, _oxy, logins = site
    client = TestClient(app, follow_redirects=False)
    token = re.search(r'name="login_csrf" value="([^"]+)"', client.get("/login").text).group(1)
    username, password = logins["planner"]
    response = client.post(
        "/login",
        data={
            "username": username,
            "password": password,
            "login_csrf": token,
            "next": "//evil.example/",
        },
    )
    assert response.headers["location"] == "/"


def test_writes_without_the_csrf_token_are_refused(site) -> None:  # noqa: ANN001
    rc = _as(site, Role.ADMIN)
    response = rc.client.post(
        "/admin/users",
        data={
            "username": "new.user",
            "display_name": "N",
            "password": "long-enough-1",
            "role": "planner",
        },
    )
    assert response.status_code == 403
    assert "new.user" not in rc.client.get("/admin/users").text


def test_admin_creates_a_user_and_bad_input_changes_nothing(site) -> None:  # noqa: ANN001
    rc = _as(site, Role.ADMIN)
    before = rc.client.get("/api/v1/users").json()
    bad = [
        {"username": "", "display_name": "X", "password": "long-enough-1", "role": "planner"},
        {"username": "ok.name", "display_name": "X", "password": "short", "role": "planner"},
        {
            "username": "ok.name",
            "display_name": "X",
            "password": "long-enough-1",
            "role": "emperor",
        },
        {
            "username": "ok.name",
            "display_name": "X",
            "password": "long-enough-1",
            "role": "supplier",
        },
        {
            "username": "ok.name",
            "display_name": "X",
            "password": "long-enough-1",
            "role": "supplier",
            "organisation_id": "999999",
        },
        {
            "username": "ok.name",
            "display_name": "X",
            "password": "long-enough-1",
            "role": "supplier",
            "organisation_id": "abc",
        },
    ]
    for form in bad:
        response = rc.post("/admin/users", data={**form, "csrf_token": rc.csrf})
        assert response.status_code in (404, 422), form
        assert 'class="error"' in response.text
    assert rc.client.get("/api/v1/users").json() == before
    created = rc.post(
        "/admin/users",
        data={
            "username": "new.planner",
            "display_name": "New Planner",
            "password": "long-enough-1",
            "role": "planner",
            "csrf_token": rc.csrf,
        },
    )
    assert created.status_code == 303
    assert len(rc.client.get("/api/v1/users").json()) == len(before) + 1
    again = rc.post(
        "/admin/users",
        data={
            "username": "new.planner",
            "display_name": "Twin",
            "password": "long-enough-1",
            "role": "planner",
            "csrf_token": rc.csrf,
        },
    )
    assert again.status_code == 409


GOOD_CSV = (
    "code,name,kind,district,beds\n"
    "R-0001,Real CHC One,CHC,Lucknow,30\n"
    "R-0002,Real PHC Two,PHC,Agra,6\n"
)


def test_facility_import_is_all_or_nothing(site) -> None:  # noqa: ANN001
    rc = _as(site, Role.ADMIN)
    total = rc.client.get("/api/v1/facilities").json()["total"]
    bad = GOOD_CSV + "R-0003,Bad row,clinic,Nowhere,-4\n"
    response = rc.post(
        "/admin/facilities/import",
        data={"csrf_token": rc.csrf},
        files={"file": ("list.csv", io.BytesIO(bad.encode()), "text/csv")},
    )
    assert response.status_code == 422
    assert "import-errors" in response.text
    assert rc.client.get("/api/v1/facilities").json()["total"] == total
    ok = rc.post(
        "/admin/facilities/import",
        data={"csrf_token": rc.csrf},
        files={"file": ("list.csv", io.BytesIO(GOOD_CSV.encode()), "text/csv")},
    )
    assert ok.status_code == 200
    assert rc.client.get("/api/v1/facilities").json()["total"] == total + 2
    # The same codes again: refused whole.
    twice = rc.post(
        "/admin/facilities/import",
        data={"csrf_token": rc.csrf},
        files={"file": ("list.csv", io.BytesIO(GOOD_CSV.encode()), "text/csv")},
    )
    assert twice.status_code == 422
    assert rc.client.get("/api/v1/facilities").json()["total"] == total + 2


def test_oversize_and_junk_uploads_get_clear_errors(site) -> None:  # noqa: ANN001
    rc = _as(site, Role.ADMIN)
    app, oxy, _ = site
    big = b"x" * (oxy.settings.max_upload_bytes + 1)
    response = rc.post(
        "/admin/facilities/import",
        data={"csrf_token": rc.csrf},
        files={"file": ("big.csv", io.BytesIO(big), "text/csv")},
    )
    assert response.status_code == 413
    api = rc.client.post(
        "/api/v1/facilities/import",
        headers={"X-CSRF-Token": rc.csrf},
        files={
            "file": ("junk.xlsx", io.BytesIO(b"\x00\xffjunk" * 100), "application/octet-stream")
        },
    )
    assert api.status_code == 422
    assert api.json()["error"] == "file_rejected"


def test_api_errors_are_in_the_callers_language(site) -> None:  # noqa: ANN001
    rc = _as(site, Role.DISTRICT_OFFICER)  # Hindi
    response = rc.client.get("/api/v1/districts/NOPE")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
    assert "NOPE" in response.json()["message"]
    assert response.json()["message"] != "No district with code NOPE."


def test_bearer_tokens_for_the_api(site) -> None:  # noqa: ANN001
    app, oxy, logins = site
    client = TestClient(app)
    username, password = logins["planner"]
    assert (
        client.post(
            "/api/v1/auth/token", json={"username": username, "password": "nope"}
        ).status_code
        == 401
    )
    token = client.post(
        "/api/v1/auth/token", json={"username": username, "password": password}
    ).json()
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    assert client.get("/api/v1/me", headers=headers).json()["role"] == "planner"
    assert (
        client.get("/api/v1/me", headers={"Authorization": "Bearer oxy_forged"}).status_code == 401
    )
    assert client.get(
        "/api/v1/qa/plan", params={"lot_size": 500, "aql": "2.5"}, headers=headers
    ).json() == {
        "code_letter": "H",
        "plan_letter": "H",
        "sample_size": 50,
        "accept": 3,
        "reject": 4,
    }
    bad = client.get("/api/v1/qa/plan", params={"lot_size": "many", "aql": "2.5"}, headers=headers)
    assert bad.status_code == 422 and bad.json()["details"][0]["field"] == "lot_size"


def test_openapi_document_and_health_are_public(site) -> None:  # noqa: ANN001
    app, _oxy, _ = site
    client = TestClient(app)
    doc = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/districts" in doc["paths"]
    assert client.get("/api/v1/health").json()["status"] == "ok"


def test_demo_loads_once(site) -> None:  # noqa: ANN001
    from oxychain.app import load_demo

    _app, oxy, _ = site
    with oxy.uow(SYSTEM) as uow:
        before = (
            uow.masterdata.count_facilities(),
            uow.people.count_users(),
            uow.audit_log.count(),
        )
    logins = load_demo(oxy)
    assert all(login.password is None for login in logins)
    with oxy.uow(SYSTEM) as uow:
        assert (
            uow.masterdata.count_facilities(),
            uow.people.count_users(),
            uow.audit_log.count(),
        ) == before
        assert len(uow.masterdata.districts()) == 75
        assert len(uow.masterdata.warehouses()) == 76


def test_the_admin_picks_a_new_users_organisation_by_name(site) -> None:  # noqa: ANN001
    import re

    rc = _as(site, Role.ADMIN)
    rc.client.put("/api/v1/me/language", json={"language": "en"}, headers={"X-CSRF-Token": rc.csrf})
    page = rc.client.get("/admin/users").text
    assert 'name="organisation_id" inputmode="numeric"' not in page  # no id to type
    found = re.search(r'<option value="(\d+)">([^<]*Lucknow[^<]*\(WH-[^)]*\))</option>', page)
    assert found, "the warehouses are listed by name and code"
    created = rc.post(
        "/admin/users",
        data={
            "username": "new.keeper",
            "display_name": "New Keeper",
            "password": "long-enough-1",
            "role": "warehouse_keeper",
            "organisation_id": found.group(1),
            "csrf_token": rc.csrf,
        },
    )
    assert created.status_code == 303
    keeper = next(u for u in rc.client.get("/api/v1/users").json() if u["username"] == "new.keeper")
    assert keeper["warehouse_id"] == int(found.group(1))
