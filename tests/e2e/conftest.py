"""Browser journeys: the real server in a subprocess, Debian's Chromium driven by Playwright.

No browser is ever downloaded: Chromium comes from /usr/bin/chromium (Debian's package,
installed by `make test` when run as root).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import pytest

from oxychain.core import clock
from oxychain.masterdata.demo import TODAY
from tests.server import serving

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def server_now() -> datetime:
    """The demo server's clock: run from the demo's today at the real time of day
    (OXYCHAIN_TODAY), so the real moment moved by whole days."""
    real = datetime.now(clock.IST)
    return real + (TODAY - real.date())


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """A demo server on SQLite: {"url", "logins": {role: (username, password)}}."""
    with demo_server(tmp_path_factory.mktemp("e2e")) as running:
        yield running


@contextmanager
def demo_server(workdir: Path) -> Iterator[dict]:
    """The demo loaded into a new SQLite database in workdir, served (for a module whose
    tests must not meet the other journeys' leftovers, with its own fixture)."""
    env = {
        **os.environ,
        "OXYCHAIN_DATABASE_URL": f"sqlite:///{workdir / 'oxychain.db'}",
        "OXYCHAIN_ENVIRONMENT": "test",
        "OXYCHAIN_TODAY": TODAY.isoformat(),  # the demo's own calendar, as `make run` serves it
    }
    cli = [sys.executable, "-m", "oxychain.cli"]
    done = subprocess.run(
        [*cli, "demo", "--json"],
        env=env,
        cwd=workdir,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    logins = {row["role"]: (row["username"], row["password"]) for row in json.loads(done.stdout)}
    with serving(
        env["OXYCHAIN_DATABASE_URL"], workdir, OXYCHAIN_TODAY=env["OXYCHAIN_TODAY"]
    ) as url:
        yield {"url": url, "logins": logins, "workdir": workdir}


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test` as root to install Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):  # noqa: ANN001, ANN201
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def login(page, server: dict, role: str) -> None:  # noqa: ANN001
    username, password = server["logins"][role]
    page.goto(server["url"] + "/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("#login")
    page.wait_for_url(server["url"] + "/")
