"""Browser journeys: the real server in a subprocess, Debian's Chromium driven by Playwright.

No browser is ever downloaded: Chromium comes from /usr/bin/chromium (Debian's package,
installed by `make test` when run as root).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """A demo server on SQLite: {"url", "logins": {role: (username, password)}}."""
    workdir = tmp_path_factory.mktemp("e2e")
    env = {
        **os.environ,
        "OXYCHAIN_DATABASE_URL": f"sqlite:///{workdir / 'oxychain.db'}",
        "OXYCHAIN_ENVIRONMENT": "test",
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
    with serving(env["OXYCHAIN_DATABASE_URL"], workdir) as url:
        yield {"url": url, "logins": logins, "workdir": workdir}


@contextmanager
def serving(database_url: str, workdir: Path) -> Iterator[str]:
    """`oxychain serve` on a free loopback port for the database; yields its base URL."""
    env = {**os.environ, "OXYCHAIN_DATABASE_URL": database_url, "OXYCHAIN_ENVIRONMENT": "test"}
    port = _free_port()
    log = (workdir / "server.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "oxychain.cli", "serve", "--port", str(port)],
        env=env,
        cwd=workdir,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/api/v1/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("server did not start: " + Path(log.name).read_text())
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


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
