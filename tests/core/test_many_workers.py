"""Four server processes over one PostgreSQL (`oxychain serve --workers 4`) and a worker
beside them (`oxychain worker`): the 200-bidder rush and a scan stream at the same time,
and a burst of wrong passwords. 0 bids lost, 0 stored without a receipt, 0 accepted after
the deadline, and the tender closed at its deadline by the worker, with no one logged in;
every scan stored once although each batch is sent twice, to different processes; login
throttling counts the burst whole across the processes."""

from __future__ import annotations

import random
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from bench.bench_bid_rush import rush, schedule
from oxychain.app import Settings, bootstrap
from oxychain.core.people import SYSTEM, Role
from oxychain.distribution.services import challans
from oxychain.distribution.tables import DeviceEvent
from oxychain.tendering.services import tenders as tendering
from tests.conftest import _pg_admin, _pg_url
from tests.distribution.support import PASSWORD, make_world, person
from tests.server import ServerProcess
from tests.tendering.world import build_world, covers, create_tender

PROCESSES = 4
BIDDERS = 200
WINDOW = 12.0  # seconds of rush before the deadline
DEVICES = 300
BATCH = 10


@pytest.fixture
def pg_url(request: pytest.FixtureRequest):  # noqa: ANN201
    template = request.getfixturevalue("pg_template")
    name = f"oxy_w_{uuid.uuid4().hex[:12]}"
    with _pg_admin() as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    yield _pg_url(name)
    with _pg_admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _children(pid: int) -> list[int]:
    """The server processes uvicorn's supervisor started (not its resource tracker)."""
    path = Path(f"/proc/{pid}/task/{pid}/children")
    found = [int(p) for p in path.read_text().split()] if path.exists() else []
    return [c for c in found if b"spawn_main" in _cmdline(c)]


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _token(url: str, username: str) -> str:
    answer = httpx.post(
        f"{url}/api/v1/auth/token", json={"username": username, "password": PASSWORD}, timeout=30
    )
    assert answer.status_code == 201, answer.text
    return answer.json()["access_token"]


def _scan_stream(url: str, token: str, serials: list[str], challan: str, out: list) -> None:
    """Each batch of receipts sent twice at once (a retry racing the original)."""
    headers = {"Authorization": f"Bearer {token}"}

    def send(batch: list[dict]) -> None:
        with httpx.Client(timeout=60, headers=headers) as client:
            answer = client.post(f"{url}/api/v1/scans", json={"scans": batch})
            out.append((answer.status_code, answer.json() if answer.status_code == 200 else {}))

    for start in range(0, len(serials), BATCH):
        at = datetime.now(UTC).isoformat()
        batch = [
            {
                "key": str(uuid.uuid4()),
                "serial": s,
                "event": "receive",
                "at": at,
                "challan": challan,
            }
            for s in serials[start : start + BATCH]
        ]
        twins = [threading.Thread(target=send, args=(batch,)) for _ in range(2)]
        for t in twins:
            t.start()
        for t in twins:
            t.join(timeout=120)


def _burst(url: str, username: str, n: int = 20) -> Counter:
    statuses: Counter = Counter()

    def attempt() -> None:
        body = {"username": username, "password": "wrong-password-123"}
        with httpx.Client(timeout=60) as client:  # a new connection: any process may answer
            statuses[client.post(f"{url}/api/v1/auth/token", json=body).status_code] += 1

    threads = [threading.Thread(target=attempt) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return statuses


def test_four_processes_rush_scans_and_throttling(pg_url: str, tmp_path: Path) -> None:
    settings = Settings(database_url=pg_url, environment="test")
    app = bootstrap(settings)
    try:
        _run(app, pg_url, tmp_path)
    finally:
        app.close()


def _run(app, url_db: str, tmp_path: Path) -> None:  # noqa: ANN001, PLR0915
    world = build_world(app, suppliers={f"R{i:03d}": {} for i in range(BIDDERS)}, openers=3)
    ref = create_tender(world, now=datetime.now(UTC), days=1, publish=False)
    rng = random.Random(2021)
    sealed = {
        code: covers(world, ref, code, rng.randint(40_000_00, 60_000_00))
        for code in world.suppliers
    }
    scans_world = make_world(app, count=DEVICES)
    load = challans.Load(tuple(scans_world.serials), 0, "UP 32 AB 1234", "Ram Kumar")
    challan = challans.dispatch_from_tranche(
        app.uow(scans_world.people["supplier"], write=True),
        challans.TrancheChallan(scans_world.tranche_id, load),
        datetime.now(UTC),
    )
    keeper = scans_world.people["warehouse_keeper"]
    throttled = person(app, Role.PLANNER, None)

    server = ServerProcess(url_db, tmp_path, "--workers", str(PROCESSES))
    server.start()
    worker_log = (tmp_path / "worker.log").open("w")
    env = {**server.env, "OXYCHAIN_WORKER_POLL_SECONDS": "0.2"}
    worker = subprocess.Popen(
        [sys.executable, "-m", "oxychain.cli", "worker"],
        env=env,
        cwd=tmp_path,
        stdout=worker_log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline_at = time.monotonic() + 30
        while len(_children(server.proc.pid)) < PROCESSES and time.monotonic() < deadline_at:
            time.sleep(0.2)
        assert len(_children(server.proc.pid)) == PROCESSES, server.log()
        token = _token(server.url, keeper.username)

        deadline = datetime.now(UTC) + timedelta(seconds=WINDOW + 3)
        with app.uow(SYSTEM, write=True) as uow:
            tender = uow.tenders.tender(ref)
            tender.deadline, tender.opening_at = deadline, deadline + timedelta(minutes=1)
            uow.commit()
        tendering.publish_tender(app.uow(world.officer.principal, write=True), ref)
        times = schedule(BIDDERS, deadline.timestamp(), WINDOW, rng)
        jobs = [
            (
                at,
                world.suppliers[code].token,
                {"technical": sealed[code][0], "financial": sealed[code][1]},
            )
            for at, code in zip(times, world.suppliers, strict=True)
        ]
        scanned: list = []
        stream = threading.Thread(
            target=_scan_stream,
            args=(server.url, token, scans_world.serials, challan.number, scanned),
        )
        stream.start()
        results = rush(server.url, ref, jobs)
        stream.join(timeout=300)
        statuses = _burst(server.url, throttled.username)
        right = httpx.post(
            f"{server.url}/api/v1/auth/token",
            json={"username": throttled.username, "password": PASSWORD},
            timeout=30,
        )

        # The worker closes the tender at its deadline: no one calls close.
        closed = None
        for _ in range(150):
            with app.uow(SYSTEM) as uow:
                closed = uow.tenders.tender(ref)
                if closed.status == "closed":
                    break
            time.sleep(0.2)
        assert closed.status == "closed", (tmp_path / "worker.log").read_text()[-3000:]
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        worker_log.close()
        server.stop()

    accepted = [r for r in results if r["status"] == 201]
    after = [r for r in results if r["sent"] >= deadline.timestamp()]
    with app.uow(SYSTEM) as uow:
        tender = uow.tenders.tender(ref)
        stored = {b.receipt_sha256: b for b in uow.tenders.bids(tender.id, live_only=True)}
        events = Counter(
            uow.session.scalars(
                select(DeviceEvent.idempotency_key).where(DeviceEvent.kind == "receive")
            )
        )
        received = uow.session.scalar(
            select(func.count(func.distinct(DeviceEvent.device_id))).where(
                DeviceEvent.kind == "receive"
            )
        )
        runs = uow.jobs.recent_runs(50)
    receipts = {r["body"]["receipt_sha256"] for r in accepted}
    took = sorted(r["took"] for r in accepted)
    answers = Counter(
        item["status"] for code, body in scanned if code == 200 for item in body["results"]
    )
    acknowledged = {
        uuid.UUID(item["key"])
        for code, body in scanned
        if code == 200
        for item in body["results"]
        if item["status"] in ("stored", "duplicate")
    }
    figures = {
        "processes": PROCESSES,
        "bidders": BIDDERS,
        "accepted": len(accepted),
        "refused_late": sum(1 for r in results if r["body"].get("error") == "bid_late"),
        "sent_after_deadline": len(after),
        "lost": len(receipts - set(stored)),
        "stored_without_receipt": len(set(stored) - receipts),
        "accepted_after_deadline": sum(1 for b in stored.values() if b.received_at >= deadline)
        + sum(1 for r in after if r["status"] == 201),
        "bid_p50_ms": round(statistics.median(took) * 1000, 1),
        "bid_p99_ms": round(took[int(len(took) * 0.99) - 1] * 1000, 1),
        "closed_by": [run.worker for run, job in runs if job.kind == "tendering.close"],
        "closed_late_s": round((tender.closed_at - deadline).total_seconds(), 2),
        "scan_answers": dict(answers),
        "scan_requests": len(scanned),
        "login_burst": dict(statuses),
    }
    print("\nfour-process figures:", figures)
    assert figures["lost"] == figures["stored_without_receipt"] == 0
    assert figures["accepted_after_deadline"] == 0
    assert all(r["status"] in (201, 409) for r in results), Counter(r["status"] for r in results)
    # Every request sent after the deadline is refused; so is one sent just before it that
    # the server received after it (the deadline is judged on receipt).
    assert after and all(r["status"] == 409 for r in after)
    assert figures["refused_late"] == len(results) - len(accepted)
    assert tender.bid_count == len(accepted) and sorted(tender.closing_receipts) == sorted(receipts)
    assert len(figures["closed_by"]) == 1 and tender.closed_at >= deadline
    # Scans: every request answered; each of the 300 receipts stored once, its twin a duplicate.
    assert [code for code, _ in scanned] == [200] * (2 * DEVICES // BATCH)
    assert answers == Counter({"stored": DEVICES, "duplicate": DEVICES})
    assert set(events) >= acknowledged and all(n == 1 for n in events.values())
    assert received == DEVICES
    # Throttling: the burst is counted whole, whichever process answered each attempt.
    assert statuses == Counter({401: 5, 429: 15}), statuses
    assert right.status_code == 429
