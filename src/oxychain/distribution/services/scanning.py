"""Scan ingestion: a batch of events from a phone, a tablet or the API, each with the
client's idempotency key.

Every scan gets its own answer (stored, duplicate, extra on a challan, or refused with a
reason): a batch synced from an offline outbox is never all-or-nothing, and the same key
sent again answers ``duplicate`` with what the first one did. The whole batch is one
transaction with one audit entry that seals a digest of its events, so an acknowledged
scan is durable and in the audit chain (DESIGN.md: "every write that a client may retry
carries an idempotency key").
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.exc import IntegrityError

from oxychain.core.access import require
from oxychain.core.audit import canonical
from oxychain.core.errors import DomainError, InvalidInput, NotFound
from oxychain.core.people import Principal
from oxychain.core.uow import UnitOfWork
from oxychain.distribution.domain import lifecycle
from oxychain.distribution.domain.device import Links, Located
from oxychain.distribution.domain.lifecycle import EventKind, Place, PlaceKind
from oxychain.distribution.domain.scan import Answer, check_time, scan_event
from oxychain.distribution.repositories.events import KnownEvent
from oxychain.distribution.services import receipts
from oxychain.distribution.services.moves import Moves
from oxychain.distribution.services.places import Places
from oxychain.inspection.domain.device import normal_serial

MAX_BATCH = 500


@dataclass(frozen=True)
class ScanIn:
    key: uuid.UUID
    serial: str
    event: str
    at: datetime
    to_kind: str | None = None  # a move's destination: facility, warehouse or home
    to_code: str | None = None  # its facility or warehouse code
    challan: str | None = None  # a receipt against this challan (extras are recorded on it)
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True)
class ScanOut:
    key: uuid.UUID
    serial: str
    status: Answer
    state: str | None = None
    error: str | None = None
    message: str | None = None  # an English template; params fill it (translated at the edge)
    params: dict = field(default_factory=dict)


def record_scans(uow: UnitOfWork, scans: Sequence[ScanIn], now: datetime) -> list[ScanOut]:
    """Store a batch of scans in order; one answer per scan."""
    return record_groups(uow, [ScanGroup(uow.principal, scans)], now)[0]


@dataclass(frozen=True)
class ScanGroup:
    """One person's batch of scans."""

    principal: Principal
    scans: Sequence[ScanIn]


def check_group(group: ScanGroup) -> None:
    require(group.principal, "device.scan")
    if not 1 <= len(group.scans) <= MAX_BATCH:
        raise InvalidInput("Send between 1 and {n} scans at a time.", n=MAX_BATCH)


def record_groups(
    uow: UnitOfWork, groups: Sequence[ScanGroup], now: datetime
) -> list[list[ScanOut]]:
    """Several people's batches in one transaction (a group commit), each decided in turn
    as its own person and audited as its own entry; one answer per scan."""
    for group in groups:
        check_group(group)
    try:
        return _record(uow, groups, now)
    except IntegrityError:
        # A key reused for another device by a concurrent batch: once that batch has
        # committed, the key is known and this batch answers "duplicate" for it.
        return _record(uow, groups, now)


def _record(uow: UnitOfWork, groups: Sequence[ScanGroup], now: datetime) -> list[list[ScanOut]]:
    out, audits = [], []
    with uow:
        batch = _Batch(uow, now, [scan for group in groups for scan in group.scans])
        for group in groups:
            uow.principal = group.principal  # each batch is decided as its own person
            out.append([batch.one(scan) for scan in group.scans])
            audits.append((group.principal, batch.take_stored()))
        batch.finish()
        for principal, stored in _by_person(audits):
            uow.principal = principal
            uow.record("device.scan", "device_events", stored[0]["key"], None, _summary(stored))
        uow.commit()
    return out


def _by_person(audits: list[tuple[Principal, list[dict]]]) -> list[tuple[Principal, list[dict]]]:
    """One audit entry per person per transaction, sealing all their scans stored in it."""
    merged: dict[Principal, list[dict]] = {}
    for principal, stored in audits:
        merged.setdefault(principal, []).extend(stored)
    return [(principal, stored) for principal, stored in merged.items() if stored]


def _summary(stored: list[dict]) -> dict:
    """What the audit entry seals: the count and a digest of every scan stored (events, and
    serials recorded as extra on a challan)."""
    digest = hashlib.sha256(canonical(stored).encode()).hexdigest()
    return {"events": len(stored), "sha256": digest, "first": stored[:3]}


class _Batch:
    """Every scan of one transaction: devices located (and locked) once, keys read once,
    events and states written once."""

    def __init__(self, uow: UnitOfWork, now: datetime, scans: Sequence[ScanIn]) -> None:
        self.uow, self.now = uow, now
        self.moves = Moves(uow, now)
        self.places = Places(uow)
        self.receipts = receipts.Receiving(uow, now)
        serials = sorted({normal_serial(s.serial) for s in scans})
        # Lock the devices first, then read the keys: a batch that raced us with the same
        # scan has committed by the time we hold its devices, so its key is visible now.
        self.devices: dict[str, Located] = uow.ledger.locate(serials)
        self.known: dict[uuid.UUID, KnownEvent] = uow.ledger.known_keys([s.key for s in scans])
        self.stored: list[dict] = []

    def take_stored(self) -> list[dict]:
        stored, self.stored = self.stored, []
        return stored

    def one(self, scan: ScanIn) -> ScanOut:
        serial = normal_serial(scan.serial)
        known = self.known.get(scan.key)
        if known is not None:
            return ScanOut(scan.key, known.serial, Answer.DUPLICATE, known.state_after)
        try:
            return self._apply(scan, serial)
        except DomainError as error:
            return ScanOut(
                scan.key,
                serial,
                Answer.REFUSED,
                None,
                error.code,
                error.template,
                dict(error.params),
            )

    def _apply(self, scan: ScanIn, serial: str) -> ScanOut:
        event = scan_event(scan.event)
        check_time(scan.at, self.now)
        device = self.devices.get(serial)
        on_challan = scan.challan and event is EventKind.RECEIVE
        if on_challan and self.receipts.is_extra(scan.challan, serial, device):
            self.receipts.record_extra(scan.challan, serial, device)
            self.known[scan.key] = KnownEvent(serial, Answer.EXTRA.value, "")
            self.stored.append({"key": str(scan.key), "serial": serial, "extra": scan.challan})
            return ScanOut(scan.key, serial, Answer.EXTRA)
        if device is None:
            raise NotFound("No device with serial {serial}.", serial=serial)
        destination = self._destination(scan, event, device)
        links = Links(challan_id=device.challan_id) if event is EventKind.RECEIVE else Links()
        after = self.moves.apply(
            device,
            event,
            scan.at,
            destination,
            key=scan.key,
            links=links,
            lat=scan.lat,
            lon=scan.lon,
        )
        if event is EventKind.RECEIVE and links.challan_id:
            self.receipts.line_received(links.challan_id, device.device_id, scan.at)
        self.known[scan.key] = KnownEvent(serial, event.value, after.state.value)
        self.stored.append({"key": str(scan.key), "serial": serial, "event": event.value})
        return ScanOut(scan.key, serial, Answer.STORED, after.state.value)

    def _destination(self, scan: ScanIn, event: EventKind, device: Located) -> Place | None:
        if event not in lifecycle.DESTINATIONS:
            return None
        if scan.to_kind == PlaceKind.HOME:
            return self.places.home(device.position.place.district_id)
        return self.places.by_code(scan.to_kind or "", scan.to_code or "")

    def finish(self) -> int:
        written = self.moves.flush()
        self.receipts.flush()
        return written
