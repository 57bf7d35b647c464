"""Scan ingestion over HTTP: sustained events/s and request latency, against raw inserts.

A real server (``oxychain serve``, one process) on loopback; district officers of
``--districts`` districts stream scans from ``--clients`` concurrent connections, each
request a batch of ``--batch`` scans with fresh random (v4) idempotency keys. Every device
goes round a legal cycle that the district officer may scan: maintain → return to the
district warehouse → sanitise → re-test → make available → issue to its facility →
install → maintain ... so each scan moves real state (the derived state row is locked and
updated, the event appended, the batch audited) and none is refused.

In the same run the same event rows are inserted raw into SQLite (one table with the
same columns and unique key, a transaction per batch, synchronous=FULL, no HTTP, no state,
no audit): the ratio says what the whole path costs over bare durable inserts.

Reproduce (about a minute each):
    .venv/bin/python bench/bench_scan_ingest.py --url sqlite:///var/bench/ingest.db
    .venv/bin/python bench/bench_scan_ingest.py \\
        --url postgresql+psycopg://postgres@127.0.0.1:5432/oxy_ingest
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import httpx
from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent))
import scale_load  # noqa: E402

from oxychain.app import Settings, bootstrap  # noqa: E402
from oxychain.core.db import create_db_engine  # noqa: E402
from oxychain.core.people import SYSTEM  # noqa: E402
from oxychain.core.services import users  # noqa: E402

CYCLE = ("maintain", "return", "sanitise", "retest", "release", "issue", "install")
PASSWORD = "bench-ingest-password"  # noqa: S105 - a bench-only user


def setup(url: str, devices: int, districts: int) -> list[dict]:
    """A ledger of ``devices`` and, per district, its officer and its installed devices."""
    if _count(url, "devices") < devices:
        scale_load.load(url, devices - _count(url, "devices"), chunk=10_000)
    engine = create_db_engine(Settings(database_url=url, environment="test"))
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT d.serial, s.district_id, f.code, w.code FROM device_state s "
                "JOIN devices d ON d.id = s.device_id JOIN facilities f ON f.id = s.facility_id "
                "JOIN warehouses w ON w.district_id = s.district_id AND w.kind = 'district' "
                "WHERE s.state = 'installed' ORDER BY s.district_id, d.serial"
            )
        ).all()
    engine.dispose()
    by_district: dict[int, list] = {}
    for serial, district, facility, warehouse in rows:
        by_district.setdefault(district, []).append((serial, facility, warehouse))
    chosen = sorted(by_district, key=lambda d: -len(by_district[d]))[:districts]
    return [{"district": d, "user": _officer(url, d), "devices": by_district[d]} for d in chosen]


def _count(url: str, table: str) -> int:
    try:
        engine = create_db_engine(Settings(database_url=url, environment="test"))
        with engine.connect() as conn:
            return conn.execute(text(f"SELECT count(*) FROM {table}")).scalar()  # noqa: S608
    except Exception:  # noqa: BLE001 - not migrated yet
        return 0
    finally:
        engine.dispose()


def _officer(url: str, district: int) -> str:
    name = f"bench.officer-{district}"
    app = bootstrap(Settings(database_url=url, environment="test"))
    try:
        with app.uow(SYSTEM) as uow:
            if uow.people.user_by_username(name):
                return name
        users.create_user(
            app.uow(SYSTEM, write=True),
            users.CreateUser(name, "Bench officer", PASSWORD, "district_officer", "en", district),
        )
        return name
    finally:
        app.close()


class Device:
    def __init__(self, serial: str, facility: str, warehouse: str) -> None:
        self.serial, self.facility, self.warehouse, self.step = serial, facility, warehouse, 0

    def next_scan(self) -> dict:
        event = CYCLE[self.step % len(CYCLE)]
        self.step += 1
        scan = {"key": str(uuid.uuid4()), "serial": self.serial, "event": event}
        if event == "return":
            scan |= {"to_kind": "warehouse", "to_code": self.warehouse}
        elif event == "issue":
            scan |= {"to_kind": "facility", "to_code": self.facility}
        return scan


async def client(base, token, devices, batch, until, out, interval=0.0, phase=0.0):  # noqa: ANN001, ANN201
    """One connection: batches of scans over its own devices, one request at a time; with
    an interval, one batch every ``interval`` seconds (open loop, the connections spread
    evenly over the interval by ``phase``), else back to back."""
    headers = {"Authorization": f"Bearer {token}"}
    turn, due = 0, time.monotonic() + phase * interval
    await asyncio.sleep(phase * interval)
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=60) as http:
        while time.monotonic() < until:
            if interval:
                due += interval
            picked = [devices[(turn + i) % len(devices)] for i in range(batch)]
            turn += batch
            now = datetime.now(UTC).isoformat()
            scans = [{**d.next_scan(), "at": now} for d in picked]
            started = time.perf_counter()
            response = await http.post("/api/v1/scans", json={"scans": scans})
            out["latency"].append(time.perf_counter() - started)
            response.raise_for_status()
            for result in response.json()["results"]:
                out[result["status"]] = out.get(result["status"], 0) + 1
            out["rows"].extend(scans)
            if interval:
                await asyncio.sleep(max(0.0, due - time.monotonic()))


def run_http(
    url: str, plan: list[dict], clients: int, batch: int, seconds: float, rate: float
) -> dict:
    port = _free_port()
    env = {**os.environ, "OXYCHAIN_DATABASE_URL": url, "OXYCHAIN_ENVIRONMENT": "test"}
    server = subprocess.Popen(
        [sys.executable, "-m", "oxychain.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(base)
        tokens = [_token(base, p["user"]) for p in plan]
        # Each connection gets its own devices (never two requests racing on one device).
        pools: list[tuple[str, list[Device]]] = []
        for i in range(clients):
            p, token = plan[i % len(plan)], tokens[i % len(plan)]
            mine = [Device(*d) for j, d in enumerate(p["devices"]) if j % clients == i]
            pools.append((token, mine))
        interval = clients * batch / rate if rate else 0.0
        out: dict = {"latency": [], "rows": []}
        asyncio.run(_warm_and_run(base, pools, batch, seconds, out, interval, server.pid))
        return out
    finally:
        server.terminate()
        server.wait(timeout=10)


async def _warm_and_run(base, pools, batch, seconds, out, interval, pid) -> None:  # noqa: ANN001
    warm: dict = {"latency": [], "rows": []}
    soon = time.monotonic() + 2
    n = len(pools)
    await asyncio.gather(
        *(client(base, t, d, batch, soon, warm, interval, i / n) for i, (t, d) in enumerate(pools))
    )
    out["started"], cpu = time.monotonic(), _cpu_seconds(pid)
    until = out["started"] + seconds
    await asyncio.gather(
        *(client(base, t, d, batch, until, out, interval, i / n) for i, (t, d) in enumerate(pools))
    )
    out["elapsed"] = time.monotonic() - out["started"]
    out["server_cpu"] = _cpu_seconds(pid) - cpu


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def raw_sqlite(rows: list[dict], batch: int) -> float:
    """The same events as bare durable inserts: events/s."""
    with tempfile.TemporaryDirectory() as tmp:
        conn = sqlite3.connect(str(Path(tmp) / "raw.db"), isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute(
            "CREATE TABLE device_events (id INTEGER PRIMARY KEY, "
            "idempotency_key CHAR(32) UNIQUE, device_id INTEGER, kind VARCHAR(16), "
            "state_before VARCHAR(16), state_after VARCHAR(16), "
            "place_kind VARCHAR(12), place_id INTEGER, district_id INTEGER, at DATETIME, "
            "recorded_at DATETIME, actor VARCHAR(64))"
        )
        now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        values = [
            (uuid.UUID(r["key"]).hex, i % 1000, r["event"], "installed", "installed")
            + ("facility", 1, 1, now, now, "raw")
            for i, r in enumerate(rows)
        ]
        started = time.perf_counter()
        for start in range(0, len(values), batch):
            conn.execute("BEGIN")
            conn.executemany(
                "INSERT INTO device_events (idempotency_key, device_id, kind, state_before, "
                "state_after, place_kind, place_id, district_id, at, recorded_at, actor) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                values[start : start + batch],
            )
            conn.execute("COMMIT")
        elapsed = time.perf_counter() - started
        conn.close()
    return len(values) / elapsed


def _token(base: str, username: str) -> str:
    body = {"username": username, "password": PASSWORD, "name": "bench"}
    return httpx.post(base + "/api/v1/auth/token", json=body, timeout=30).json()["access_token"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(base: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/api/v1/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise SystemExit("server did not start")


PACED: dict = {}
FLAT: dict = {}


def _rate(out: dict) -> float:
    return out.get("stored", 0) / out["elapsed"]


def _report(label: str, out: dict, args: argparse.Namespace, rate: float) -> None:
    (PACED if rate else FLAT).update(out)
    lat = out["latency"]
    offered = f"offered {rate:,.0f} events/s" if rate else "back to back"
    print(
        f"{label:13} {args.clients} connections x {args.batch} scans per request, {offered}, "
        f"{out['elapsed']:.0f} s: {_rate(out):,.0f} events/s stored "
        f"({out.get('refused', 0):,} refused); latency p50 "
        f"{statistics.median(lat) * 1000:.1f} ms, p99 {pct(lat, 0.99) * 1000:.1f} ms; "
        f"server CPU {out['server_cpu'] / max(out.get('stored', 1), 1) * 1e6:.0f} µs per event"
    )


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


def main(argv: list[str] | None = None) -> int:
    gc.freeze()  # the client's own collector pauses are not the server's latency
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--devices", type=int, default=20_000, help="ledger size to load first")
    parser.add_argument("--districts", type=int, default=4)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--rate", type=float, default=2000, help="paced run: events/s offered")
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args(argv)
    plan = setup(args.url, args.devices, args.districts)
    print(f"engine        {args.url.split(':', 1)[0].split('+')[0]}")
    rows: list[dict] = []
    for label, rate in (("paced", args.rate), ("flat out", 0.0)):
        out = run_http(args.url, plan, args.clients, args.batch, args.seconds, rate)
        rows = rows or out["rows"]
        _report(label, out, args, rate)
    raw = raw_sqlite(rows, args.batch)
    print(f"raw sqlite    {raw:,.0f} events/s (the paced run's rows, same batches, FULL sync)")
    print(
        f"ratio         {_rate(PACED) / raw:.2f} (paced), {_rate(FLAT) / raw:.2f} (flat out) of raw"
    )
    print(f"reproduce     .venv/bin/python bench/bench_scan_ingest.py --url {args.url}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
