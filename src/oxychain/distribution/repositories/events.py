"""The device ledger: scan events (append-only) and the derived state they leave behind.

The hot path of scan ingestion runs here in a few set-based statements per batch: read
the known idempotency keys, lock the batch's devices' state rows (PostgreSQL: ``SELECT …
FOR UPDATE`` in device order, so two batches never deadlock; SQLite: the write
transaction began IMMEDIATE and holds the database's one write lock), append the events
with one multi-row INSERT and update the state rows with one executemany.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import bindparam, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from oxychain.distribution.domain.device import Located
from oxychain.distribution.domain.lifecycle import DeviceState, Place, PlaceKind, Position
from oxychain.distribution.tables import DeviceEvent, DevicePosition
from oxychain.inspection.domain.device import QaStatus
from oxychain.inspection.tables import Device

__all__ = ["KnownEvent", "Ledger", "Located", "place_columns", "place_of", "utc"]

CHUNK = 500
EVENTS = DeviceEvent.__table__
STATES = DevicePosition.__table__
DEVICES = Device.__table__


def utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@dataclass(frozen=True)
class KnownEvent:
    serial: str
    kind: str
    state_after: str


def place_of(row) -> Place:  # noqa: ANN001 - a row of device_state
    kind = PlaceKind(row.place_kind)
    ident = {
        PlaceKind.SUPPLIER: row.supplier_id,
        PlaceKind.WAREHOUSE: row.warehouse_id,
        PlaceKind.FACILITY: row.facility_id,
        PlaceKind.HOME: row.district_id,
    }[kind]
    return Place(kind, ident, None if kind is PlaceKind.SUPPLIER else row.district_id)


def place_columns(place: Place) -> dict[str, int | str | None]:
    """The device_state columns that say where a device is."""
    return {
        "place_kind": place.kind.value,
        "warehouse_id": place.id if place.kind is PlaceKind.WAREHOUSE else None,
        "facility_id": place.id if place.kind is PlaceKind.FACILITY else None,
        "district_id": place.district_id,
    }


class Ledger:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.dialect = session.get_bind().dialect.name
        self._mark = "?" if self.dialect == "sqlite" else "%s"

    def known_keys(self, keys: Sequence[uuid.UUID]) -> dict[uuid.UUID, KnownEvent]:
        out: dict[uuid.UUID, KnownEvent] = {}
        for start in range(0, len(keys), CHUNK):
            rows = self.session.execute(
                select(EVENTS.c.idempotency_key, DEVICES.c.serial, EVENTS.c.kind)
                .add_columns(EVENTS.c.state_after)
                .join(DEVICES, DEVICES.c.id == EVENTS.c.device_id)
                .where(EVENTS.c.idempotency_key.in_(list(keys[start : start + CHUNK])))
            )
            for key, serial, kind, after in rows:
                out[key] = KnownEvent(serial, kind, after)
        return out

    def locate(self, serials: Sequence[str], *, lock: bool = True) -> dict[str, Located]:
        """Devices by serial with their positions; their state rows locked when asked."""
        found: dict[str, Located] = {}
        for start in range(0, len(serials), CHUNK):
            chunk = list(serials[start : start + CHUNK])
            query = (
                select(STATES, DEVICES.c.serial, DEVICES.c.purchase_order_id, DEVICES.c.qa_status)
                .add_columns(DEVICES.c.supplier_id.label("device_supplier_id"))
                .join(DEVICES, DEVICES.c.id == STATES.c.device_id)
                .where(DEVICES.c.serial.in_(chunk))
                .order_by(STATES.c.device_id)
            )
            if lock:
                query = query.with_for_update(of=STATES)
            for row in self.session.execute(query):
                found[row.serial] = _located(row)
            missing = [s for s in chunk if s not in found]
            if missing:
                for row in self.session.execute(
                    select(DEVICES).where(DEVICES.c.serial.in_(missing))
                ):
                    found[row.serial] = _accepted(row)
        return found

    def ensure_states(self, device_ids: Iterable[int], at: datetime) -> None:
        """A state row (``accepted`` at the supplier) for accepted devices that have none."""
        ids = list(device_ids)
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            source = select(
                DEVICES.c.id,
                bindparam("state", DeviceState.ACCEPTED.value),
                bindparam("place_kind", PlaceKind.SUPPLIER.value),
                DEVICES.c.supplier_id,
                bindparam("since", at, type_=STATES.c.since.type),
                bindparam("version", 0),
            ).where(DEVICES.c.id.in_(chunk), DEVICES.c.qa_status == QaStatus.ACCEPTED.value)
            insert_ = pg_insert if self.dialect == "postgresql" else sqlite_insert
            statement = (
                insert_(STATES)
                .from_select(
                    ["device_id", "state", "place_kind", "supplier_id", "since", "version"], source
                )
                .on_conflict_do_nothing(index_elements=["device_id"])
            )
            self.session.execute(statement)

    def append(self, events: list[dict]) -> None:
        """Append events: one executemany straight to the driver (the hot path of ingestion)."""
        if events:
            columns = list(events[0])
            self._executemany(
                f"INSERT INTO device_events ({', '.join(columns)}) "
                f"VALUES ({', '.join([self._mark] * len(columns))})",
                columns,
                [[row[c] for c in columns] for row in events],
            )

    def save(self, states: list[dict]) -> None:
        """Write the new state of each device (one executemany, by primary key)."""
        if not states:
            return
        columns = [c for c in states[0] if c != "device_id"] + ["device_id"]
        assignments = ", ".join(f"{c} = {self._mark}" for c in columns[:-1])
        self._executemany(
            f"UPDATE device_state SET {assignments} WHERE device_id = {self._mark}",
            columns,
            [[row[c] for c in columns] for row in states],
        )

    def _executemany(self, sql: str, columns: list[str], rows: list[list]) -> None:
        if self.dialect == "sqlite":
            # SQLite keeps times and UUIDs as SQLAlchemy writes them (naive UTC text, 32
            # hex digits), so that the ORM reads back what the driver wrote.
            for i, column in enumerate(columns):
                convert = _SQLITE_FORMS.get(column)
                if convert is not None:
                    for row in rows:
                        if row[i] is not None:
                            row[i] = convert(row[i])
        self.session.connection().exec_driver_sql(sql, [tuple(row) for row in rows])

    def history(self, device_id: int, limit: int = 200) -> Sequence[DeviceEvent]:
        return self.session.scalars(
            select(DeviceEvent)
            .where(DeviceEvent.device_id == device_id)
            .order_by(DeviceEvent.id.desc())
            .limit(limit)
        ).all()

    def device(self, serial: str) -> Device | None:
        return self.session.scalar(select(Device).where(Device.serial == serial))

    def position(self, device_id: int) -> DevicePosition | None:
        return self.session.get(DevicePosition, device_id)


def _sqlite_time(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


_SQLITE_FORMS = {
    "idempotency_key": lambda key: key.hex,
    "at": _sqlite_time,
    "recorded_at": _sqlite_time,
    "since": _sqlite_time,
    "installed_at": _sqlite_time,
    "maintained_at": _sqlite_time,
}


def _located(row) -> Located:  # noqa: ANN001
    position = Position(DeviceState(row.state), place_of(row), utc(row.since), row.version)
    return Located(
        device_id=row.device_id,
        serial=row.serial,
        supplier_id=row.device_supplier_id,
        purchase_order_id=row.purchase_order_id,
        qa_status=row.qa_status,
        position=position,
        has_state=True,
        challan_id=row.challan_id,
        loan_id=row.loan_id,
        ticket_id=row.ticket_id,
        installed_at=utc(row.installed_at),
        maintained_at=utc(row.maintained_at),
    )


def _accepted(row) -> Located:  # noqa: ANN001 - a devices row without a state row
    place = Place(PlaceKind.SUPPLIER, row.supplier_id, None)
    return Located(
        device_id=row.id,
        serial=row.serial,
        supplier_id=row.supplier_id,
        purchase_order_id=row.purchase_order_id,
        qa_status=row.qa_status,
        position=Position(DeviceState.ACCEPTED, place, utc(row.registered_at), 0),
    )
