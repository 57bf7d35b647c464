"""The bid rush: N suppliers submit sealed bids in the last minute before a tender's deadline,
against the real server (a subprocess on loopback), on SQLite and on PostgreSQL.

    .venv/bin/python bench/bench_bid_rush.py [--engine sqlite|postgresql|both] [--bidders 200]
                                             [--window 60] [--json]

Each supplier's two covers are sealed in Python beforehand (as a browser would seal them);
submission times are spread over the last ``window`` seconds, half of them in the last five,
and a tenth fall just after the deadline. Afterwards the database is checked:

* 0 accepted bids lost: every 201 receipt is a live bid in the database, and nothing else is;
* 0 accepted after the deadline: every stored bid was received before it, and every request
  sent after it was refused (409 bid_late);
* the count and hash published at close cover exactly the accepted bids.

Prints the p50/p99 latency of accepted submissions and the command to reproduce. Bounded:
the rush lasts ``window`` + 5 s, and every request times out after 30 s.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from oxychain.app import Settings, bootstrap  # noqa: E402
from oxychain.core.db import migrate  # noqa: E402
from oxychain.core.people import SYSTEM  # noqa: E402
from oxychain.tendering.services import tenders as tendering  # noqa: E402
from tests.tendering.world import build_world, covers, create_tender  # noqa: E402

PG_ADMIN = os.environ.get(
    "OXYCHAIN_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database(engine: str, workdir: Path) -> tuple[str, callable]:
    if engine == "sqlite":
        return f"sqlite:///{workdir / 'rush.db'}", lambda: None
    import psycopg

    name = f"oxy_rush_{uuid.uuid4().hex[:8]}"
    admin = PG_ADMIN.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return PG_ADMIN.rsplit("/", 1)[0] + "/" + name, drop


def schedule(n: int, deadline: float, window: float, rng: random.Random) -> list[float]:
    """Send times: 40 % over the last window, 50 % in the last 5 s, 10 % just after."""
    times = []
    for i in range(n):
        share = i / n
        if share < 0.4:
            times.append(deadline - rng.uniform(0, window))
        elif share < 0.9:
            times.append(deadline - rng.uniform(0, 5))
        else:
            times.append(deadline + rng.uniform(0, 3))
    rng.shuffle(times)
    return times


def rush(url: str, ref: str, jobs: list[tuple[float, str, dict]]) -> list[dict]:
    results: list[dict] = [{} for _ in jobs]

    def send(i: int, at: float, token: str, body: dict) -> None:
        with httpx.Client(timeout=30, headers={"Authorization": f"Bearer {token}"}) as client:
            time.sleep(max(0.0, at - time.time()))
            sent = time.time()
            try:
                response = client.post(f"{url}/api/v1/tenders/{ref}/bids", json=body)
                status, data = response.status_code, response.json()
            except httpx.HTTPError as exc:
                status, data = 0, {"error": type(exc).__name__}
            results[i] = {"sent": sent, "took": time.time() - sent, "status": status, "body": data}

    threads = [threading.Thread(target=send, args=(i, *job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def run(engine: str, bidders: int, window: float, seed: int) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix=f"rush-{engine}-"))
    url_db, drop = _database(engine, workdir)
    server = None
    try:
        settings = Settings(database_url=url_db, environment="test")
        migrate(settings)
        app = bootstrap(settings)
        setup_started = time.time()
        world = build_world(app, suppliers={f"R{i:03d}": {} for i in range(bidders)}, openers=3)
        lead = 20 + bidders * 0.05  # time to seal every bid and start the server
        deadline = datetime.now(UTC) + timedelta(seconds=lead + window)
        ref = create_tender(world, now=datetime.now(UTC), days=1, publish=False)
        with app.uow(SYSTEM, write=True) as uow:  # the test tender's deadline, in seconds
            tender = uow.tenders.tender(ref)
            tender.deadline, tender.opening_at = deadline, deadline + timedelta(minutes=1)
            uow.commit()
        tendering.publish_tender(app.uow(world.officer.principal, write=True), ref)
        rng = random.Random(seed)
        sealed = {
            code: covers(world, ref, code, rng.randint(40_000_00, 60_000_00))
            for code in world.suppliers
        }
        port = _free_port()
        env = {**os.environ, "OXYCHAIN_DATABASE_URL": url_db, "OXYCHAIN_ENVIRONMENT": "test"}
        server = subprocess.Popen(
            [sys.executable, "-m", "oxychain.cli", "serve", "--port", str(port)],
            env=env,
            cwd=workdir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        for _ in range(150):
            try:
                if httpx.get(f"{url}/api/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        setup = time.time() - setup_started
        cutoff = deadline.timestamp()
        times = schedule(bidders, cutoff, window, rng)
        jobs = [
            (
                at,
                world.suppliers[code].token,
                {"technical": sealed[code][0], "financial": sealed[code][1]},
            )
            for at, code in zip(times, world.suppliers, strict=True)
        ]
        results = rush(url, ref, jobs)
        return _verify(app, world, ref, deadline, results, engine, bidders, window, setup)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=20)
        drop()
        shutil.rmtree(workdir, ignore_errors=True)


def _verify(app, world, ref, deadline, results, engine, bidders, window, setup) -> dict:  # noqa: ANN001, PLR0913
    accepted = [r for r in results if r["status"] == 201]
    after = [r for r in results if r["sent"] >= deadline.timestamp()]
    with app.uow(SYSTEM) as uow:
        tender = uow.tenders.tender(ref)
        stored = {b.receipt_sha256: b for b in uow.tenders.bids(tender.id, live_only=True)}
    receipts = {r["body"]["receipt_sha256"] for r in accepted}
    tendering.close_tender(app.uow(world.officer.principal, write=True), ref)
    with app.uow(SYSTEM) as uow:
        closed = uow.tenders.tender(ref)
    took = sorted(r["took"] for r in accepted)
    summary = {
        "engine": engine,
        "bidders": bidders,
        "window_s": window,
        "setup_s": round(setup, 1),
        "accepted": len(accepted),
        "refused_late": sum(1 for r in results if r["body"].get("error") == "bid_late"),
        "other_failures": [r["status"] for r in results if r["status"] not in (201, 409)],
        "sent_after_deadline": len(after),
        "accepted_bids_lost": len(receipts - set(stored)),
        "stored_without_receipt": len(set(stored) - receipts),
        "accepted_after_deadline": sum(1 for b in stored.values() if b.received_at >= deadline)
        + sum(1 for r in after if r["status"] == 201),
        "close_count_matches": closed.bid_count == len(accepted),
        "p50_ms": round(statistics.median(took) * 1000, 1) if took else None,
        "p99_ms": round(took[min(len(took) - 1, int(len(took) * 0.99))] * 1000, 1)
        if took
        else None,
        "max_ms": round(took[-1] * 1000, 1) if took else None,
    }
    summary["ok"] = (
        summary["accepted_bids_lost"] == 0
        and summary["stored_without_receipt"] == 0
        and summary["accepted_after_deadline"] == 0
        and summary["close_count_matches"]
        and not summary["other_failures"]
    )
    app.close()
    return summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--bidders", type=int, default=200)
    parser.add_argument(
        "--window", type=float, default=60.0, help="rush length before the deadline (s)"
    )
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    engines = ("sqlite", "postgresql") if args.engine == "both" else (args.engine,)
    out = [run(engine, args.bidders, args.window, args.seed) for engine in engines]
    command = (
        f".venv/bin/python bench/bench_bid_rush.py --engine {args.engine} --bidders {args.bidders} "
        f"--window {args.window:g} --seed {args.seed}"
    )
    if args.json:
        print(json.dumps({"command": command, "runs": out}, indent=2))
    else:
        for s in out:
            print(
                f"{s['engine']:10} bidders {s['bidders']}: accepted {s['accepted']}, refused late "
                f"{s['refused_late']} (sent after the deadline: {s['sent_after_deadline']}); "
                f"lost {s['accepted_bids_lost']}, accepted after the deadline "
                f"{s['accepted_after_deadline']}; close count matches: {s['close_count_matches']}; "
                f"p50 {s['p50_ms']} ms, p99 {s['p99_ms']} ms, max {s['max_ms']} ms; "
                f"{'OK' if s['ok'] else 'FAILED'}"
            )
        print(f"reproduce: {command}")
    return 0 if all(s["ok"] for s in out) else 1


if __name__ == "__main__":
    sys.exit(main())
