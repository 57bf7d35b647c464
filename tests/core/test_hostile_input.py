"""Hostile traffic: bodies too large for their route, imports built to exhaust the server,
login floods, ids out of range, and the headers production needs.

The memory cases run the real server (``oxychain serve``) and read its resident memory:
a body is sent lazily over a raw socket, so the server's answer decides how much of it
ever leaves the client.
"""

from __future__ import annotations

import io
import re
import shutil
import socket
import time
import zipfile
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import get_args

import anyio
import httpx
import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel

from oxychain.app import create_app
from oxychain.core import tabular
from oxychain.core.people import Role
from oxychain.core.web import params
from oxychain.core.web.params import MAX_ID
from oxychain.core.web.uploads import while_connected
from oxychain.planning.domain import case_file
from tests.distribution.support import PASSWORD, person
from tests.hostile import cpu_seconds, multipart, rss_mb, send_lazily, zeros
from tests.server import ServerProcess

MAX_RSS_MB = 400
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
HUGE = 200 * 1024 * 1024  # what a hostile client offers; the server must stop it early


def _error_body(body: dict, code: str) -> None:
    assert body["error"] == code and body["message"], body


@pytest.fixture(scope="module")
def server(
    sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServerProcess]:
    workdir = tmp_path_factory.mktemp("hostile")
    db = workdir / "oxychain.db"
    shutil.copyfile(sqlite_template, db)
    process = ServerProcess(f"sqlite:///{db}", workdir)
    process.start()
    yield process
    process.stop()


# --- bodies ------------------------------------------------------------------------------


def test_an_oversized_json_login_is_refused_at_once_with_the_error_body(app) -> None:  # noqa: ANN001
    client = TestClient(create_app(app))
    limit = app.settings.max_json_bytes
    response = client.post(
        "/api/v1/auth/token",
        content=b'{"username": "nobody", "password": "' + b"x" * limit + b'"}',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 413
    _error_body(response.json(), "too_large")
    assert response.json()["details"] == [{"field": "body", "message": f"limit: {limit} bytes"}]
    with app.uow() as uow:  # no login work was done: no attempt was recorded
        assert uow.people.recent_failures(username="nobody", client="testclient", since=EPOCH) == (
            0,
            0,
        )


def test_a_body_within_the_limit_still_reaches_the_route(app) -> None:  # noqa: ANN001
    client = TestClient(create_app(app))
    response = client.post("/api/v1/auth/token", json={"username": "nobody", "password": "x"})
    assert response.status_code == 401
    _error_body(response.json(), "login_refused")


def test_an_anonymous_upload_is_refused_before_its_file_is_read(app) -> None:  # noqa: ANN001
    client = TestClient(create_app(app))
    response = client.post("/api/v1/cases", files={"file": ("cases.csv", b"date,confirmed\n")})
    assert response.status_code == 401
    _error_body(response.json(), "not_authenticated")
    page = client.post(
        "/planning/cases", files={"file": ("cases.csv", b"x")}, follow_redirects=False
    )
    assert page.status_code == 303 and page.headers["location"].startswith("/login")


def test_a_streamed_gigabyte_to_the_login_route_stops_at_the_limit(server: ServerProcess) -> None:
    answer = send_lazily(server.port, "/api/v1/auth/token", zeros(HUGE))
    assert answer.status == 413, answer
    _error_body(answer.json(), "too_large")
    assert answer.sent < 64 * 1024 * 1024, f"{answer.sent:,} bytes were taken before the refusal"
    assert rss_mb(server.proc.pid) < MAX_RSS_MB


def test_a_declared_gigabyte_is_refused_before_a_byte_is_read(server: ServerProcess) -> None:
    answer = send_lazily(server.port, "/api/v1/auth/token", zeros(HUGE), declared_length=1024**3)
    assert answer.status == 413
    _error_body(answer.json(), "too_large")
    assert rss_mb(server.proc.pid) < MAX_RSS_MB


def test_an_anonymous_streamed_upload_is_refused_unread(server: ServerProcess) -> None:
    boundary = "hostile"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="c.csv"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    ).encode()

    def upload() -> Iterator[bytes]:
        yield head
        yield from zeros(HUGE)

    answer = send_lazily(
        server.port,
        "/api/v1/cases",
        upload(),
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert answer.status == 401
    _error_body(answer.json(), "not_authenticated")
    assert answer.sent < 64 * 1024 * 1024
    assert rss_mb(server.proc.pid) < MAX_RSS_MB


# --- imports -----------------------------------------------------------------------------


def _workbook(rows: list[list[object]], sized: bool = False) -> bytes:
    """An .xlsx of the rows; ``sized``: the sheet states its size, as Excel writes it (else
    openpyxl reads it through once on opening, which no client's leaving can stop)."""
    import openpyxl

    book = openpyxl.Workbook(write_only=not sized)
    sheet = book.active if sized else book.create_sheet()
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _bomb(unpacked: int, part: str = "xl/worksheets/sheet1.xml") -> bytes:
    """A small .xlsx whose ``part`` unpacks to ``unpacked`` bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, b" " * unpacked)
    return buffer.getvalue()


def test_the_table_reader_bounds_unpacked_size_rows_width_and_stops_when_told() -> None:
    with pytest.raises(tabular.TableRejected) as caught:
        tabular.read_table(_bomb(1_100_000), "cases.xlsx", max_bytes=100_000)
    assert caught.value.code == "file_too_large"
    # Shared text is read whole when the workbook opens: it has a tighter bound.
    with pytest.raises(tabular.TableRejected) as caught:
        tabular.read_table(_bomb(300_000, "xl/sharedStrings.xml"), "c.xlsx", max_bytes=100_000)
    assert caught.value.code == "file_too_large"
    many = "\n".join(["date,confirmed", *("2021-04-01,1" for _ in range(30))]).encode()
    with pytest.raises(tabular.TableRejected) as caught:
        list(tabular.read_table(many, "cases.csv", max_rows=20))
    assert caught.value.code == "file_too_many_rows"
    assert len(list(tabular.read_table(many, "cases.csv", max_rows=31))) == 31
    wide = ",".join(["x"] * (tabular.MAX_COLUMNS + 1)).encode()
    with pytest.raises(tabular.TableRejected) as caught:
        list(tabular.read_table(wide, "wide.csv"))
    assert caught.value.code == "file_too_wide"
    # A stray cell far to the right adds no 16,384 empty cells to every row.
    far = _workbook([["date", "confirmed"], ["2021-04-01", 1, *([None] * 16_000), "far"]])
    assert [len(cells) for _, cells in tabular.read_table(far, "far.xlsx")] == [2, 2]
    asked = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) > 1

    long = "\n".join(["date,confirmed", *("2021-04-01,1" for _ in range(5_000))]).encode()
    with pytest.raises(tabular.Cancelled):
        list(tabular.read_table(long, "cases.csv", cancelled=cancelled))
    assert len(asked) == 2  # asked once a batch of rows, stopped at the first yes


def test_an_import_stops_when_its_client_goes() -> None:
    class Leaving:  # a request whose client leaves after a moment
        async def receive(self) -> dict:
            await anyio.sleep(0.3)
            return {"type": "http.disconnect"}

    def work(cancelled) -> int:  # noqa: ANN001 - a long import, asking as tabular does
        for _ in range(400):
            if cancelled():
                raise tabular.Cancelled("gone")
            time.sleep(0.01)
        return 1

    started = time.monotonic()
    with pytest.raises(tabular.Cancelled):
        anyio.run(while_connected, Leaving(), work)
    assert time.monotonic() - started < 3


def _client_as(app, role: Role, org: int | None = None) -> TestClient:  # noqa: ANN001
    who = person(app, role, org)
    client = TestClient(create_app(app))
    token = client.post(
        "/api/v1/auth/token", json={"username": who.username, "password": PASSWORD}
    ).json()["access_token"]
    client.headers["Authorization"] = f"Bearer {token}"
    return client


def test_a_case_import_refuses_a_zip_bomb_and_caps_its_errors(app) -> None:  # noqa: ANN001
    client = _client_as(app, Role.PLANNER)
    bomb = _bomb(30 * 1024 * 1024)  # 30 MB unpacked, under 100 KB sent
    response = client.post("/api/v1/cases", files={"file": ("cases.xlsx", bomb)})
    assert response.status_code == 422
    _error_body(response.json(), "file_rejected")
    assert "larger than the upload limit" in str(response.json()["details"])
    bad = _workbook([["date", "confirmed"], *(["not a date", "x"] for _ in range(5_000))])
    response = client.post("/api/v1/cases", files={"file": ("cases.xlsx", bad)})
    assert response.status_code == 422
    body = response.json()
    _error_body(body, "file_rejected")
    assert len(body["details"]) == case_file.MAX_ERRORS_KEPT
    assert "5000" in body["message"] or "5,000" in body["message"]  # every problem counted
    many = "\n".join(["date,confirmed", *(f"2021-04-01,{n}" for n in range(60))]).encode()
    app.settings.max_import_rows = 50
    response = client.post("/api/v1/cases", files={"file": ("cases.csv", many)})
    assert response.status_code == 422
    assert "more than 50 rows" in str(response.json()["details"])


def test_every_other_import_refuses_a_zip_bomb(app) -> None:  # noqa: ANN001
    admin = _client_as(app, Role.ADMIN)
    bomb = _bomb(30 * 1024 * 1024)
    for route in ("/api/v1/facilities/import", "/api/v1/suppliers/import"):
        response = admin.post(route, files={"file": ("list.xlsx", bomb)})
        assert response.status_code == 422, (route, response.text)
        assert response.json()["error"] in ("file_rejected", "invalid_input")


def test_the_server_stops_an_import_when_its_client_leaves(server: ServerProcess) -> None:
    from oxychain.app import Settings, bootstrap

    oxy = bootstrap(Settings(database_url=server.env["OXYCHAIN_DATABASE_URL"]))
    try:
        who = person(oxy, Role.PLANNER, None)
    finally:
        oxy.close()
    token = httpx.post(
        f"{server.url}/api/v1/auth/token", json={"username": who.username, "password": PASSWORD}
    ).json()["access_token"]
    rows = [["date", "confirmed"], *([n, n] for n in range(99_000))]  # no date among them
    body = multipart("file", "cases.xlsx", _workbook(rows, sized=True))
    head = (
        "POST /api/v1/cases HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Authorization: Bearer {token}\r\nContent-Length: {len(body)}\r\n"
        "Content-Type: multipart/form-data; boundary=hostile\r\n\r\n"
    ).encode()
    pid = server.proc.pid
    before = cpu_seconds(pid)
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(head + body)
        deadline = time.monotonic() + 30
        while cpu_seconds(pid) - before < 1.0:  # the upload is read and the import under way
            assert time.monotonic() < deadline, "the import did not start"
            time.sleep(0.1)
    # The client has gone: within a batch of rows the import stops (the machine may be
    # busy: the import ran for seconds, and now takes next to nothing).
    time.sleep(1.5)
    idle = cpu_seconds(pid)
    time.sleep(2.0)
    assert cpu_seconds(pid) - idle < 0.15
    assert httpx.get(f"{server.url}/api/v1/health").status_code == 200


# --- logins ------------------------------------------------------------------------------


def _token(client: TestClient, username: str, password: str, via: str | None = None):  # noqa: ANN202
    headers = {"X-Forwarded-For": via} if via else {}
    return client.post(
        "/api/v1/auth/token", json={"username": username, "password": password}, headers=headers
    )


def test_a_flood_of_wrong_passwords_does_not_lock_the_owner_out(app) -> None:  # noqa: ANN001
    app.settings.trusted_proxies = "127.0.0.1"  # the test client stands for the proxy
    app.settings.login_user_ceiling, app.settings.login_slow_seconds = 10, 0.3
    owner = person(app, Role.PLANNER, None)
    proxy = TestClient(create_app(app), client=("127.0.0.1", 5000))
    for n in range(1, 5):  # a rival behind four addresses, eight wrong passwords from each
        rival = f"203.0.113.{n}"
        codes = [_token(proxy, owner.username, "guess", rival).status_code for _ in range(8)]
        assert codes == [401] * 5 + [429] * 3
        refused = _token(proxy, owner.username, PASSWORD, rival)  # even with the password
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
        _error_body(refused.json(), "rate_limited")
    started = time.monotonic()
    answer = _token(proxy, owner.username, PASSWORD, "198.51.100.7, 10.1.1.1")
    assert answer.status_code == 201, answer.text  # the owner gets in, slowed
    assert time.monotonic() - started >= 0.3
    # Nobody else behind the proxy was touched by the rival's wrong passwords.
    other = person(app, Role.ADMIN, None)
    assert _token(proxy, other.username, PASSWORD, "203.0.113.1").status_code == 201


def test_forwarded_for_is_believed_only_from_a_configured_proxy(app) -> None:  # noqa: ANN001
    owner = person(app, Role.PLANNER, None)
    direct = TestClient(create_app(app), client=("192.0.2.9", 5000))
    codes = [
        _token(direct, owner.username, "guess", f"198.51.100.{n}").status_code for n in range(7)
    ]
    assert codes == [401] * 5 + [429] * 2  # one client, whatever it says it is


def test_the_wait_grows_with_each_wrong_password_and_then_lets_the_owner_try(
    app,
    monkeypatch: pytest.MonkeyPatch,  # noqa: ANN001
) -> None:
    from oxychain.core import clock

    owner = person(app, Role.PLANNER, None)
    client = TestClient(create_app(app))
    now = [datetime.now(UTC)]
    monkeypatch.setattr(clock, "now", lambda: now[0])

    def after(seconds: float, password: str = "guess") -> int:  # noqa: S107
        now[0] += timedelta(seconds=seconds)
        return _token(client, owner.username, password).status_code

    assert [after(1) for _ in range(5)] == [401] * 5
    delay = app.settings.login_delay_seconds
    assert after(delay - 2) == 429
    assert after(3) == 401  # the first wait passed: one more try, refused by its password
    assert after(delay + 1) == 429  # the next wait is twice as long
    assert after(delay, PASSWORD) == 201  # after it, the right password gets in
    assert after(0) == 401  # and a success starts the count again


# --- ids ---------------------------------------------------------------------------------


def _is_id(name: str) -> bool:
    return name == "id" or name.endswith("_id") or name == "position"


def _unbounded_ids(app) -> list[str]:  # noqa: ANN001
    """Every int id a route takes (path, query, form, body) without the range of
    ``core.web.params.Id``, and every date or time not read as ``Day`` or ``Moment``."""
    from oxychain.core.web.bodylimit import api_routes

    found = []

    def walk(dependant, route) -> None:  # noqa: ANN001
        fields = [
            *dependant.path_params,
            *dependant.query_params,
            *dependant.body_params,
        ]
        for field in fields:
            models = [field.field_info.annotation]
            for candidate in models:
                if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                    for name, info in candidate.model_fields.items():
                        check(name, info, f"{route.path} body {candidate.__name__}")
                        models.append(info.annotation)
            check(field.name, field.field_info, route.path)
        for sub in dependant.dependencies:
            walk(sub, route)

    def check(name: str, info, where: str) -> None:  # noqa: ANN001
        args = get_args(info.annotation) or (info.annotation,)
        if date in args or datetime in args:
            ranged = any(getattr(m, "func", None) is params._in_range for m in info.metadata)
            if not ranged:
                found.append(f"{where}: {name} (date)")
            return
        if not _is_id(name) or int not in args:
            return
        top = [m.le for m in info.metadata if hasattr(m, "le")]
        top += [m.lt - 1 for m in info.metadata if hasattr(m, "lt")]
        if not top or min(top) > MAX_ID:
            found.append(f"{where}: {name}")

    for route in api_routes(app.routes):
        walk(route.dependant, route)
    return sorted(set(found))


def test_every_id_and_date_a_route_takes_is_bounded(app) -> None:  # noqa: ANN001
    assert _unbounded_ids(create_app(app)) == []


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/lots/{n}",
        "/api/v1/tranches/{n}/inspection",
        "/lots/{n}",
        "/lots/{n}/certificate.pdf",
        "/lots/{n}/units/{n}",
    ],
)
def test_an_absurd_id_is_refused_at_the_edge(app, path: str) -> None:  # noqa: ANN001
    client = _client_as(app, Role.ADMIN)
    for n in (2**31, 2**63, 10**30, 0, -1):
        response = client.get(path.format(n=n), follow_redirects=False)
        assert response.status_code in (404, 422), (path, n, response.status_code)


def test_an_absurd_id_in_a_body_is_refused(app) -> None:  # noqa: ANN001
    client = _client_as(app, Role.ADMIN)
    body = {"username": "someone", "display_name": "x", "password": "long-enough-1"}
    for n in (2**31, 2**63, 10**30):
        response = client.post(
            "/api/v1/users", json={**body, "role": "inspector", "organisation_id": n}
        )
        assert response.status_code == 422, response.text
        assert response.json()["details"][0]["field"] == "organisation_id"


def test_a_date_is_a_date_of_this_century(app) -> None:  # noqa: ANN001
    client = _client_as(app, Role.AUDITOR)
    for as_of in ("0", "1700000000", "1999-12-31", "2100-01-01", "01-02-2021"):
        response = client.get(f"/api/v1/purchase-orders/1?as_of={as_of}")
        assert response.status_code == 422, (as_of, response.status_code)
        _error_body(response.json(), "invalid_input")
        assert response.json()["details"][0]["field"] == "as_of"
    assert client.get("/api/v1/purchase-orders/1?as_of=2021-05-01").status_code == 404
    planner = _client_as(app, Role.PLANNER)
    response = planner.post("/api/v1/plans/from-database", json={"name": "x", "forecast_as_of": 0})
    assert response.status_code == 422
    assert response.json()["details"][0]["field"] == "forecast_as_of"


# --- headers -----------------------------------------------------------------------------


def test_production_sends_secure_cookies_hsts_and_no_store(app) -> None:  # noqa: ANN001
    from oxychain.app import Settings, bootstrap

    settings = Settings(
        database_url=app.settings.database_url,
        environment="production",
        phone_hash_pepper="a-production-pepper-0123",
    )
    production = bootstrap(settings)
    try:
        assert settings.cookie_secure
        site = TestClient(create_app(production), base_url="https://testserver")
        health = site.get("/api/v1/health")
        assert health.headers["Strict-Transport-Security"].startswith("max-age=")
        assert health.headers["Cache-Control"] == "no-store"
        page = site.get("/login")
        assert page.headers["Cache-Control"] == "no-store"
        token = re.search(r'name="login_csrf" value="([^"]+)"', page.text).group(1)
        who = person(production, Role.AUDITOR, None)
        answer = site.post(
            "/login",
            data={"username": who.username, "password": PASSWORD, "login_csrf": token},
            follow_redirects=False,
        )
        assert answer.status_code == 303
        session = [c for c in answer.headers.get_list("set-cookie") if "oxy_session=" in c]
        assert session and "secure" in session[0].lower()
        assert "no-store" not in site.get("/static/css/app.css").headers.get("Cache-Control", "")
    finally:
        production.close()
    test_site = TestClient(create_app(app))
    assert "Strict-Transport-Security" not in test_site.get("/api/v1/health").headers
    assert not app.settings.cookie_secure  # plain HTTP in development and tests


def test_an_unsupported_method_says_which_are_allowed(app) -> None:  # noqa: ANN001
    client = TestClient(create_app(app))
    for method in ("TRACE", "DELETE", "PUT"):
        response = client.request(method, "/api/v1/health")
        assert response.status_code == 405
        assert "GET" in response.headers["Allow"]
        _error_body(response.json(), "http_error")
    page = client.request("TRACE", "/login")
    assert page.status_code == 405 and "GET" in page.headers["Allow"]


def test_a_page_reads_as_of_as_a_date_of_this_century_too(app) -> None:  # noqa: ANN001
    from tests.webclient import login_as

    who = person(app, Role.PLANNER, None)
    planner = login_as(create_app(app), app, "planner", who.username, PASSWORD)
    for as_of in ("0", "1970-01-01"):
        page = planner.client.get(f"/planning/forecast?as_of={as_of}")
        assert page.status_code == 422, (as_of, page.status_code)
