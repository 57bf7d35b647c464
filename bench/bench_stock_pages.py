"""Stock views at scale: a facility's stock page and a district summary, p50/p95 over HTTP.

Load the data set first with bench/scale_load.py (1,000,000 devices, 20,000,000 events);
this starts ``oxychain serve`` on it, signs in an HQ planner with a bearer token, and asks
for the pages of random facilities and districts, one request at a time (each page:
counts by state with ageing from the indexed derived state, and the devices longest in
their state; the district summary adds installed devices by kind of facility).

    .venv/bin/python bench/bench_stock_pages.py --url sqlite:///var/bench/scale.db
    .venv/bin/python bench/bench_stock_pages.py \\
        --url postgresql+psycopg://postgres@127.0.0.1:5432/oxy_scale
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import time

import httpx
from sqlalchemy import text

from oxychain.app import Settings, bootstrap
from oxychain.core.db import create_db_engine
from oxychain.core.people import SYSTEM
from oxychain.core.services import users

PASSWORD = "bench-stock-password"  # noqa: S105 - a bench-only user


def _planner(url: str) -> str:
    app = bootstrap(Settings(database_url=url, environment="test"))
    try:
        with app.uow(SYSTEM) as uow:
            if uow.people.user_by_username("bench.planner"):
                return "bench.planner"
        cmd = users.CreateUser("bench.planner", "Bench planner", PASSWORD, "planner", "en")
        users.create_user(app.uow(SYSTEM, write=True), cmd)
        return "bench.planner"
    finally:
        app.close()


def _places(url: str) -> tuple[list[str], list[str], int, int]:
    engine = create_db_engine(Settings(database_url=url, environment="test"))
    with engine.connect() as conn:
        facilities = list(conn.execute(text("SELECT code FROM facilities")).scalars())
        districts = list(conn.execute(text("SELECT code FROM districts")).scalars())
        devices = conn.execute(text("SELECT count(*) FROM device_state")).scalar()
        events = conn.execute(text("SELECT max(id) FROM device_events")).scalar() or 0
    engine.dispose()
    return facilities, districts, devices, events


def _serve(url: str) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "OXYCHAIN_DATABASE_URL": url, "OXYCHAIN_ENVIRONMENT": "test"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "oxychain.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/api/v1/health", timeout=1).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("server did not start")


def _time(http: httpx.Client, paths: list[str]) -> list[float]:
    out = []
    for path in paths:
        started = time.perf_counter()
        response = http.get(path)
        out.append(time.perf_counter() - started)
        response.raise_for_status()
    return out


def _line(label: str, values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return (
        f"{label:22} n={len(values)}  p50 {statistics.median(values) * 1000:6.1f} ms  "
        f"p95 {p95 * 1000:6.1f} ms  max {ordered[-1] * 1000:6.1f} ms"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    user = _planner(args.url)
    facilities, districts, devices, events = _places(args.url)
    rng = random.Random(args.seed)
    proc, base = _serve(args.url)
    try:
        body = {"username": user, "password": PASSWORD, "name": "bench"}
        token = httpx.post(base + "/api/v1/auth/token", json=body, timeout=30).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        with httpx.Client(base_url=base, headers=headers, timeout=60) as http:
            _time(http, ["/stock/facilities/" + rng.choice(facilities) for _ in range(20)])  # warm
            pick = {"facilities": facilities, "districts": districts}
            results = {
                label: [f"{prefix}/{rng.choice(pick[kind])}" for _ in range(args.requests)]
                for label, prefix, kind in (
                    ("facility stock page", "/stock/facilities", "facilities"),
                    ("district summary page", "/stock/districts", "districts"),
                    ("facility stock (API)", "/api/v1/stock/facilities", "facilities"),
                    ("district summary (API)", "/api/v1/stock/districts", "districts"),
                )
            }
            timings = {label: _time(http, paths) for label, paths in results.items()}
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    engine = args.url.split(":", 1)[0].split("+")[0]
    print(f"engine   {engine}: {devices:,} devices, {events:,} events")
    for label, values in timings.items():
        print(_line(label, values))
    print(f"reproduce  .venv/bin/python bench/bench_stock_pages.py --url {args.url}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
