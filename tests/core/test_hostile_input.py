"""Hostile traffic: bodies too large for their route, imports built to exhaust the server,
login floods, ids out of range, and the headers production needs.

The memory cases run the real server (``oxychain serve``) and read its resident memory:
a body is sent lazily over a raw socket, so the server's answer decides how much of it
ever leaves the client.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from oxychain.app import create_app
from tests.hostile import rss_mb, send_lazily, zeros
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
