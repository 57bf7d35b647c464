"""Shared fixtures: a migrated database per test, on SQLite and on PostgreSQL.

PostgreSQL tests use 127.0.0.1:5432, database ``test`` (trust auth). When the server
cannot be reached they skip with the reason, unless OXYCHAIN_REQUIRE_PG=1, when they
fail. Each test gets its own database, cloned from a migrated template (PostgreSQL) or
copied from a migrated file (SQLite), so no test sees another's leftovers.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from oxychain.app import Settings, bootstrap
from oxychain.core.bootstrap import Oxychain
from oxychain.core.db import migrate
from tests.channels import outside, told_app  # noqa: F401 - fixtures: SMTP, SMS stand-in

PG_ADMIN_URL = os.environ.get(
    "OXYCHAIN_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REQUIRE_PG = os.environ.get("OXYCHAIN_REQUIRE_PG") == "1"


def _pg_dsn(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def _pg_admin():
    import psycopg

    return psycopg.connect(_pg_dsn(PG_ADMIN_URL), autocommit=True, connect_timeout=3)


def _pg_url(name: str) -> str:
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    """A migrated PostgreSQL database to clone per test."""
    try:
        conn = _pg_admin()
    except Exception as exc:  # noqa: BLE001 - any connection failure means "no server"
        if REQUIRE_PG:
            pytest.fail(f"PostgreSQL is required (OXYCHAIN_REQUIRE_PG=1) but unreachable: {exc}")
        pytest.skip(f"PostgreSQL unreachable at {PG_ADMIN_URL}: {exc}")
    name = f"oxy_tmpl_{uuid.uuid4().hex[:10]}"
    with conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    migrate(Settings(database_url=_pg_url(name), environment="test"))
    yield name
    with _pg_admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tmpl") / "template.db"
    migrate(Settings(database_url=f"sqlite:///{path}", environment="test"))
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A freshly migrated, empty database on each engine."""
    if request.param == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        path = tmp_path / "oxychain.db"
        shutil.copyfile(template, path)
        yield f"sqlite:///{path}"
        return
    template = request.getfixturevalue("pg_template")
    name = f"oxy_t_{uuid.uuid4().hex[:12]}"
    with _pg_admin() as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    yield _pg_url(name)
    with _pg_admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, environment="test", login_max_failures=5)


@pytest.fixture
def app(settings: Settings) -> Iterator[Oxychain]:
    oxy = bootstrap(settings)
    yield oxy
    oxy.close()


@pytest.fixture(scope="session")
def demo_templates() -> Iterator[dict]:
    """Demo scenario loaded once per engine; tests get clones. Holds the demo passwords."""
    templates: dict = {}
    yield templates
    if "postgresql" in templates:
        _drop(templates["postgresql"][0])


def _load_demo(url: str) -> dict[str, str]:
    from oxychain.app import load_demo

    migrate(Settings(database_url=url, environment="test"))
    # as `oxychain demo` loads it: its many small commits need not each wait for the disk
    oxy = bootstrap(Settings(database_url=url, environment="test", sqlite_synchronous="NORMAL"))
    try:
        return {login.role: (login.username, login.password) for login in load_demo(oxy)}
    finally:
        oxy.close()


@pytest.fixture
def demo_clock() -> Iterator[None]:
    """The clock run from the demo's today, at noon in India, as a served demo runs it
    (OXYCHAIN_TODAY); the real clock back afterwards."""
    from datetime import time

    from oxychain.core import clock
    from oxychain.masterdata.demo import TODAY

    previous = clock.run_from(TODAY, time(12, 0))
    yield
    clock.restore(previous)


@pytest.fixture(params=["sqlite", "postgresql"])
def demo(
    request: pytest.FixtureRequest, demo_templates: dict, tmp_path: Path, demo_clock: None
) -> Iterator[tuple[str, dict]]:
    """(database url, {role: (username, password)}) of a fresh copy of the demo scenario,
    with the clock on the demo's today (``demo_clock``)."""
    engine = request.param
    if engine == "sqlite":
        if "sqlite" not in demo_templates:
            path = tmp_path.parent / f"demo-template-{uuid.uuid4().hex[:6]}.db"
            demo_templates["sqlite"] = (path, _load_demo(f"sqlite:///{path}"))
        path, logins = demo_templates["sqlite"]
        copy = tmp_path / "demo.db"
        shutil.copyfile(path, copy)
        yield f"sqlite:///{copy}", logins
        return
    template = request.getfixturevalue("pg_template")
    if "postgresql" not in demo_templates:
        name = f"oxy_demo_{uuid.uuid4().hex[:10]}"
        with _pg_admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        demo_templates["postgresql"] = (name, _load_demo(_pg_url(name)))
    name, logins = demo_templates["postgresql"]
    clone = f"oxy_d_{uuid.uuid4().hex[:12]}"
    with _pg_admin() as conn:
        conn.execute(f'CREATE DATABASE "{clone}" TEMPLATE "{name}"')
    yield _pg_url(clone), logins
    _drop(clone)


def _drop(name: str) -> None:
    with _pg_admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
