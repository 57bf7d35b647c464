"""The API fuzzed against its own OpenAPI document with schemathesis (all checks), once per
caller: anonymous, admin, procurement officer, supplier, inspector, district officer and
auditor, on a fresh demo database served by ``oxychain serve``.

Every answer must be documented (status, content type, body schema), no answer may be a
server error, and a route must refuse a request without its token. Prints, per role, the
operations tested, the test cases generated and the failures, and the command that ran.

    .venv/bin/python bench/schemathesis_run.py                    # SQLite, 10 examples
    .venv/bin/python bench/schemathesis_run.py --max-examples 50 --roles supplier,auditor
    .venv/bin/python bench/schemathesis_run.py \\
        --url postgresql+psycopg://postgres@127.0.0.1:5432/oxy_st   # an empty database

Each role's report (JUnit XML and schemathesis' own output) is kept in --out.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import socket
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET  # noqa: S405 - reading our own tool's report
from pathlib import Path

import httpx

from oxychain.app import Settings, bootstrap, load_demo
from oxychain.core.db import migrate

ROLES = (
    "anonymous",
    "admin",
    "procurement_officer",
    "supplier",
    "inspector",
    "district_officer",
    "auditor",
)
BIN = Path(sys.executable).parent


def _demo(url: str) -> dict[str, tuple[str, str]]:
    migrate(Settings(database_url=url, environment="test"))
    app = bootstrap(Settings(database_url=url, environment="test"))
    try:
        return {login.role: (login.username, login.password) for login in load_demo(app)}
    finally:
        app.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(url: str, workdir: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {**os.environ, "OXYCHAIN_DATABASE_URL": url, "OXYCHAIN_ENVIRONMENT": "test"}
    log = (workdir / "server.log").open("w")
    server = subprocess.Popen(
        [str(BIN / "oxychain"), "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        cwd=workdir,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(240):
        try:
            if httpx.get(f"{base}/api/v1/health", timeout=2).status_code == 200:
                return server, base
        except httpx.HTTPError:
            pass
        if server.poll() is not None:
            raise SystemExit(f"the server stopped; see {workdir / 'server.log'}")
        time.sleep(0.5)
    server.terminate()
    raise SystemExit("the server did not answer within 120 s")


def _token(base: str, username: str, password: str) -> str:
    answer = httpx.post(
        f"{base}/api/v1/auth/token",
        json={"username": username, "password": password, "name": "schemathesis"},
        timeout=30,
    )
    answer.raise_for_status()
    return answer.json()["access_token"]


def _document(base: str, workdir: Path) -> Path:
    """The served document, saved once (building it takes a while on a loaded machine)."""
    path = workdir / "openapi.json"
    path.write_bytes(httpx.get(f"{base}/api/v1/openapi.json", timeout=300).content)
    return path


def _command(
    base: str, doc: Path, token: str | None, args: argparse.Namespace, out: Path
) -> list[str]:
    config = Path(__file__).resolve().with_name("schemathesis.toml")
    cmd = [str(BIN / "st"), "--config-file", str(config), "run", str(doc), "--url", base]
    cmd += ["--checks", "all"]
    cmd += ["--max-examples", str(args.max_examples), "--workers", str(args.workers)]
    cmd += ["--seed", str(args.seed), "--report", "junit", "--report-dir", str(out)]
    cmd += ["--request-timeout", "60", "--no-color"]
    if args.phases:
        cmd += ["--phases", args.phases]
    if token:
        cmd += ["-H", f"Authorization: Bearer {token}"]
    return cmd


def _figures(out: Path, said: str) -> tuple[int, int, int]:
    """(operations, test cases, failing operations) from the JUnit report and the summary."""
    reports = sorted(out.glob("*.xml"))
    operations = failing = 0
    if reports:
        root = ET.parse(reports[-1]).getroot()  # noqa: S314 - our own report file
        for case in root.iter("testcase"):
            operations += 1
            failing += any(c.tag in ("failure", "error") for c in case)
    cases = 0
    if found := re.search(r"Test cases:\s*([\d,]+) generated", said):
        cases = int(found.group(1).replace(",", ""))
    return operations, cases, failing


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="an empty database (default: a new SQLite file)")
    parser.add_argument("--roles", default=",".join(ROLES))
    parser.add_argument("--max-examples", type=int, default=10)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--phases", default="", help="schemathesis phases (default: all)")
    parser.add_argument("--out", default="var/schemathesis", help="where reports go")
    args = parser.parse_args()
    out_root = Path(args.out).resolve()
    out_root.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="oxy-st-"))
    url = args.url or f"sqlite:///{workdir / 'demo.db'}"
    logins = _demo(url)
    server, base = _serve(url, workdir)
    rows = []
    try:
        doc = _document(base, workdir)
        # Every token first: fuzzing the login route trips its per-address throttle.
        roles = args.roles.split(",")
        tokens = {r: None if r == "anonymous" else _token(base, *logins[r]) for r in roles}
        for role in roles:
            token = tokens[role]
            out = out_root / role
            out.mkdir(exist_ok=True)
            cmd = _command(base, doc, token, args, out)
            started = time.monotonic()
            run = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=workdir)
            (out / "output.txt").write_text(run.stdout + run.stderr)
            shown = [
                c if not c.startswith("Authorization:") else "Authorization: Bearer $TOKEN"
                for c in cmd
            ]
            operations, cases, failing = _figures(out, run.stdout)
            if operations == 0:
                raise SystemExit(f"schemathesis ran nothing; see {out / 'output.txt'}")
            rows.append((role, operations, cases, failing, time.monotonic() - started))
            print(f"$ {shlex.join(shown)}", flush=True)
            print(
                f"{role:20} operations {operations:4}  cases {cases:6}  "
                f"failing operations {failing:3}  ({rows[-1][4]:.0f} s; {out / 'output.txt'})",
                flush=True,
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"\nload average: {os.getloadavg()[0]:.2f} (1 min)")
    print(f"{'role':20} {'operations':>10} {'cases':>8} {'failing':>8}")
    for role, operations, cases, failing, _seconds in rows:
        print(f"{role:20} {operations:10} {cases:8} {failing:8}")
    return 1 if any(r[3] for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
