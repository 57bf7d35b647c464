"""The device registry: serials, their lots and QA statuses."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from oxychain.inspection.domain.device import DeviceSpec, QaStatus
from oxychain.inspection.tables import Device, Lot

CHUNK = 500


@dataclass(frozen=True)
class RegistryFilter:
    supplier_id: int | None = None  # a supplier sees only its own devices
    agency_id: int | None = None  # an inspector only those of their agency's lots
    qa_status: str | None = None
    purchase_order_id: int | None = None
    serial_prefix: str = ""


class Registry:
    session: Session

    # --- the registry --------------------------------------------------------------------

    def registered(self, serials: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for start in range(0, len(serials), CHUNK):
            chunk = list(serials[start : start + CHUNK])
            found.update(
                self.session.scalars(select(Device.serial).where(Device.serial.in_(chunk)))
            )
        return found

    def register(self, lot: Lot, specs: Sequence[DeviceSpec], at: datetime) -> None:
        """The lot's devices into the registry, offered, in one statement (executemany /
        insertmanyvalues)."""
        rows = [
            {
                "serial": spec.serial,
                "item_id": lot.item_id,
                "supplier_id": lot.supplier_id,
                "purchase_order_id": lot.purchase_order_id,
                "lot_id": lot.id,
                "make": spec.make,
                "model": spec.model,
                "manufactured_on": spec.manufactured_on,
                "qa_status": QaStatus.OFFERED.value,
                "registered_at": at,
            }
            for spec in specs
        ]
        if rows:
            self.session.execute(insert(Device), rows)

    def device(self, serial: str) -> Device | None:
        return self.session.scalar(select(Device).where(Device.serial == serial))

    def list_devices(
        self, flt: RegistryFilter, sort: str, offset: int, limit: int
    ) -> tuple[Sequence[Device], int]:
        """A page of the registry, filtered and sorted, and how many match in all."""
        query = select(Device)
        if flt.supplier_id is not None:
            query = query.where(Device.supplier_id == flt.supplier_id)
        if flt.agency_id is not None:
            lots = select(Lot.id).where(Lot.agency_id == flt.agency_id)
            query = query.where(Device.lot_id.in_(lots))
        if flt.qa_status:
            query = query.where(Device.qa_status == flt.qa_status)
        if flt.purchase_order_id is not None:
            query = query.where(Device.purchase_order_id == flt.purchase_order_id)
        if flt.serial_prefix:
            query = query.where(Device.serial.startswith(flt.serial_prefix, autoescape=True))
        total = self.session.scalar(select(func.count()).select_from(query.subquery())) or 0
        order = {
            "serial": (Device.serial,),
            "newest": (Device.registered_at.desc(), Device.serial),
            "status": (Device.qa_status, Device.serial),
        }[sort]
        rows = self.session.scalars(query.order_by(*order).offset(offset).limit(limit)).all()
        return rows, int(total)

    def devices_of_lot(self, lot_id: int) -> Sequence[Device]:
        return self.session.scalars(
            select(Device).where(Device.lot_id == lot_id).order_by(Device.serial)
        ).all()

    def qa_counts(self, lot_id: int) -> dict[str, int]:
        rows = self.session.execute(
            select(Device.qa_status, func.count())
            .where(Device.lot_id == lot_id)
            .group_by(Device.qa_status)
        )
        return {status: n for status, n in rows}

    def qa_statuses(self, lot_id: int) -> dict[str, str]:
        """serial -> QA status of every device of the lot."""
        query = select(Device.serial, Device.qa_status).where(Device.lot_id == lot_id)
        return {serial: status for serial, status in self.session.execute(query)}

    def set_qa_status(self, lot_id: int, status: str, serials: Sequence[str] | None = None) -> None:
        """Every device of the lot (or only these serials) gets ``status``."""
        query = update(Device).where(Device.lot_id == lot_id)
        if serials is not None:
            query = query.where(Device.serial.in_(list(serials)))
        self.session.execute(query.values(qa_status=status))

    def set_qa_statuses(self, lot_id: int, statuses: Mapping[str, str]) -> None:
        """Each serial of the lot gets its status (one statement per status and chunk)."""
        by_status: dict[str, list[str]] = {}
        for serial, status in statuses.items():
            by_status.setdefault(str(status), []).append(serial)
        for status, serials in by_status.items():
            for start in range(0, len(serials), CHUNK):
                self.set_qa_status(lot_id, status, serials[start : start + CHUNK])
        self.session.flush()
