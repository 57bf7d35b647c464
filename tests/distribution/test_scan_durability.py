"""SIGKILL during a stream of 10,000 scans: every acknowledged scan survives, and the
client's retries (same keys) create no duplicate. The server runs as a subprocess on
loopback over SQLite with synchronous=FULL (the default), and is killed mid-stream."""

from __future__ import annotations

import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import httpx
from sqlalchemy import func, select

from oxychain.app import Settings, bootstrap
from oxychain.core.db import migrate
from oxychain.core.people import SYSTEM
from oxychain.distribution.services import challans, scanning
from oxychain.distribution.tables import DeviceEvent, DevicePosition
from tests.distribution.support import PASSWORD, make_world
from tests.server import ServerProcess

SCANS = 10_000
BATCH = 50
DEVICES = 50


def _installed_devices(url: str) -> tuple[list[str], str]:
    """Devices installed at a facility (maintenance scans can repeat), and its in-charge."""
    settings = Settings(database_url=url, environment="test")
    migrate(settings)
    app = bootstrap(settings)
    try:
        world = make_world(app, count=DEVICES)
        now = datetime.now(UTC)
        load = challans.Load(tuple(world.serials), 0, "UP32AB1234", "Ram Kumar")
        challan = challans.dispatch_from_tranche(
            app.uow(world.people["supplier"], write=True),
            challans.TrancheChallan(world.tranche_id, load),
            now,
        )
        steps = [("warehouse_keeper", "receive"), ("warehouse_keeper", "issue")]
        steps.append(("facility_incharge", "install"))
        for role, event in steps:
            batch = [
                scanning.ScanIn(
                    uuid.uuid4(),
                    s,
                    event,
                    now,
                    "facility" if event == "issue" else None,
                    world.facility_code if event == "issue" else None,
                    challan.number if event == "receive" else None,
                )
                for s in world.serials
            ]
            results = scanning.record_scans(app.uow(world.people[role], write=True), batch, now)
            assert {r.status for r in results} == {"stored"}
        return world.serials, world.people["facility_incharge"].username
    finally:
        app.close()


def test_sigkill_mid_stream_loses_no_acknowledged_scan_and_duplicates_none(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'oxychain.db'}"
    serials, incharge = _installed_devices(url)
    server = ServerProcess(url, tmp_path)
    server.start()
    try:
        token = httpx.post(
            server.url + "/api/v1/auth/token",
            json={"username": incharge, "password": PASSWORD, "name": "scanner"},
        ).json()["access_token"]
        scans = [
            {"key": str(uuid.uuid4()), "serial": serials[i % DEVICES], "event": "maintain"}
            for i in range(SCANS)
        ]
        acked, retries = _stream(server, token, scans)
    finally:
        server.stop()
    assert retries >= 1, "the server was never killed mid-stream"
    assert len(acked) == SCANS
    _check_database(url, scans)


def _stream(server: ServerProcess, token: str, scans: list[dict]) -> tuple[set[str], int]:
    """Send every scan, retrying a batch (same keys) until it is acknowledged; SIGKILL
    the server once, from another thread, while batches are in flight."""
    acked: set[str] = set()
    killed = threading.Event()

    def killer() -> None:
        while len(acked) < SCANS // 3:
            time.sleep(0.005)
        server.kill()
        killed.set()

    threading.Thread(target=killer, daemon=True).start()
    headers = {"Authorization": f"Bearer {token}"}
    retries = 0
    with httpx.Client(base_url=server.url, headers=headers, timeout=30) as client:
        for start in range(0, len(scans), BATCH):
            now = datetime.now(UTC).isoformat()
            body = {"scans": [{**s, "at": now} for s in scans[start : start + BATCH]]}
            while True:
                try:
                    response = client.post("/api/v1/scans", json=body)
                    response.raise_for_status()
                    break
                except (httpx.TransportError, httpx.HTTPStatusError):
                    retries += 1
                    if killed.wait(timeout=10) and server.proc.poll() is not None:
                        server.start()  # the supervisor brings it back; the client retries
            for result in response.json()["results"]:
                assert result["status"] in ("stored", "duplicate"), result
                acked.add(result["key"])
    return acked, retries


def _check_database(url: str, scans: list[dict]) -> None:
    app = bootstrap(Settings(database_url=url, environment="test"))
    try:
        with app.uow(SYSTEM) as uow:
            keys = {
                str(k)
                for k in uow.session.scalars(
                    select(DeviceEvent.idempotency_key).where(DeviceEvent.kind == "maintain")
                )
            }
            assert keys == {s["key"] for s in scans}  # every acknowledged scan, once
            maintained = uow.session.scalar(
                select(func.count()).select_from(DeviceEvent).where(DeviceEvent.kind == "maintain")
            )
            assert maintained == SCANS
            versions = uow.session.scalar(select(func.sum(DevicePosition.version)))
            assert versions == SCANS + 4 * DEVICES  # dispatch, receive, issue, install each
            assert uow.audit_log.verify() is None
    finally:
        app.close()
