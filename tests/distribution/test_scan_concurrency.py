"""Eight processes scanning the same serials at once: no illegal state, no double issue,
and the same scan (same key) from all of them is stored once; SQLite and PostgreSQL."""

from __future__ import annotations

import multiprocessing
import random
import uuid
from collections import Counter
from datetime import UTC, datetime

from sqlalchemy import select

from oxychain.app import Settings, bootstrap
from oxychain.core.bootstrap import Oxychain
from oxychain.core.people import SYSTEM
from oxychain.distribution.domain.lifecycle import (
    EventKind,
    Place,
    PlaceKind,
    Step,
    accepted_at,
    replay,
)
from oxychain.distribution.repositories.events import place_of, utc
from oxychain.distribution.services import challans, scanning
from oxychain.distribution.services.scanning import ScanIn
from oxychain.distribution.tables import DeviceEvent, DevicePosition
from oxychain.inspection.tables import Device
from tests.distribution.support import make_world

WORKERS = 8
DEVICES = 24


def _worker(args: tuple) -> Counter:
    url, keeper, incharge, serials, facilities, shared_keys, seed, barrier = args
    app = bootstrap(Settings(database_url=url, environment="test"))
    rng = random.Random(seed)
    seen: Counter = Counter()
    try:
        barrier.wait(timeout=60)
        order = serials[:]
        rng.shuffle(order)
        for start in range(0, len(order), 4):  # issue: each process to its own facility
            batch = [
                ScanIn(
                    uuid.uuid4(),
                    s,
                    "issue",
                    _now(),
                    to_kind="facility",
                    to_code=rng.choice(facilities),
                )
                for s in order[start : start + 4]
            ]
            for out in scanning.record_scans(app.uow(keeper, write=True), batch, _now()):
                seen["issue:" + out.status] += 1
        for start in range(0, len(serials), 6):  # the same install scans from everyone
            batch = [
                ScanIn(uuid.UUID(shared_keys[i]), serials[i], "install", _now())
                for i in range(start, min(start + 6, len(serials)))
            ]
            for out in scanning.record_scans(app.uow(incharge, write=True), batch, _now()):
                seen["install:" + out.status] += 1
    finally:
        app.close()
    return seen


def _now() -> datetime:
    return datetime.now(UTC)


def _received_stock(app: Oxychain):  # noqa: ANN202
    world = make_world(app, count=DEVICES)
    load = challans.Load(serials=tuple(world.serials), vehicle="UP32AB1234", driver="Ram Kumar")
    challan = challans.dispatch_from_tranche(
        app.uow(world.people["supplier"], write=True),
        challans.TrancheChallan(world.tranche_id, load),
        _now(),
    )
    batch = [
        ScanIn(uuid.uuid4(), s, "receive", _now(), challan=challan.number) for s in world.serials
    ]
    scanning.record_scans(app.uow(world.people["warehouse_keeper"], write=True), batch, _now())
    return world


def test_eight_processes_never_double_issue_nor_duplicate(
    app: Oxychain, settings: Settings
) -> None:
    world = _received_stock(app)
    # The in-charge installs only at their own facility: all processes issue there half the
    # time, elsewhere (the PHC) otherwise; an install at the PHC is refused (out of scope).
    facilities = [world.facility_code, world.phc_code]
    shared = [str(uuid.uuid4()) for _ in world.serials]
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Manager().Barrier(WORKERS)
    jobs = [
        (
            settings.database_url,
            world.people["warehouse_keeper"],
            world.people["facility_incharge"],
            world.serials,
            facilities,
            shared,
            seed,
            barrier,
        )
        for seed in range(WORKERS)
    ]
    with ctx.Pool(WORKERS) as pool:
        totals = sum(pool.map(_worker, jobs), Counter())
    assert totals["issue:stored"] == DEVICES  # exactly one issue per device
    assert totals["issue:refused"] == DEVICES * (WORKERS - 1)
    installs = totals["install:stored"]
    assert installs + totals["install:duplicate"] + totals["install:refused"] == DEVICES * WORKERS
    _check_every_life_is_legal(app, world, shared, installs)


def _check_every_life_is_legal(app: Oxychain, world, shared: list[str], installs: int) -> None:  # noqa: ANN001
    with app.uow(SYSTEM) as uow:
        devices = uow.session.scalars(select(Device).where(Device.serial.in_(world.serials))).all()
        for device in devices:
            events = uow.session.scalars(
                select(DeviceEvent)
                .where(DeviceEvent.device_id == device.id)
                .order_by(DeviceEvent.id)
            ).all()
            kinds = [e.kind for e in events]
            assert kinds.count("issue") == 1, (device.serial, kinds)
            assert kinds.count("install") <= 1, (device.serial, kinds)
            steps = [Step(EventKind(e.kind), utc(e.at), _place(e)) for e in events]
            end = replay(device.serial, accepted_at(device.supplier_id, utc(events[0].at)), steps)
            state = uow.session.get(DevicePosition, device.id)
            assert (end.state.value, end.place, end.version) == (
                state.state,
                place_of(state),
                state.version,
            )
        keys = [uuid.UUID(k) for k in shared]
        stored = uow.session.scalars(
            select(DeviceEvent.idempotency_key).where(DeviceEvent.idempotency_key.in_(keys))
        ).all()
        assert len(stored) == len(set(stored)) == installs


def _place(event: DeviceEvent) -> Place:
    kind = PlaceKind(event.place_kind)
    return Place(kind, event.place_id, None if kind is PlaceKind.SUPPLIER else event.district_id)
