"""The device registry: serials, their lots and QA statuses."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from oxychain.inspection.domain.device import DeviceSpec, QaStatus
from oxychain.inspection.tables import Device, Lot

CHUNK = 500


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
