"""Inspection use cases on a sampled unit: record its readings (or the last unit's again)
as a draft, sign the unit, and replace a failed unit of an accepted lot.

The verdict is not an action: it follows from the signed units, in the transaction that
signs the deciding one (``services.verdicts.decide``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from oxychain.core import clock
from oxychain.core.access import require
from oxychain.core.errors import Conflict
from oxychain.core.uow import UnitOfWork
from oxychain.inspection.domain import device as devices
from oxychain.inspection.domain import lot as inspection
from oxychain.inspection.domain import reading as readings
from oxychain.inspection.domain.device import QA
from oxychain.inspection.services import verdicts
from oxychain.inspection.services.scope import load_lot, sample_at
from oxychain.inspection.services.verdicts import RecordOutcome
from oxychain.inspection.tables import Lot
from oxychain.masterdata.domain.catalogue import Item, item_by_code

__all__ = [
    "RecordOutcome",
    "RecordUnit",
    "ReplaceUnit",
    "copy_last_unit",
    "record_unit",
    "sign_unit",
]


@dataclass(frozen=True)
class RecordUnit:
    lot_id: int
    position: int
    warm_up_min: str
    values: dict[str, object]
    note: str = ""
    reduced_approved: bool = False
    sign: bool = False  # a draft unless the inspector signs the unit with these readings


@dataclass(frozen=True)
class ReplaceUnit:
    lot_id: int
    position: int
    serial: str
    make: str
    model: str
    manufactured_on: date


def item_of(uow: UnitOfWork, lot: Lot) -> Item:
    """The lot's item as the catalogue describes it (its limits)."""
    return item_by_code(uow.inspection.item(lot.item_id).code)


def record_unit(uow: UnitOfWork, cmd: RecordUnit) -> RecordOutcome:
    """The acceptance test of one sampled unit, judged; the verdict when it is decided."""
    require(uow.principal, "lot.inspect")
    with uow:
        lot = load_lot(uow, cmd.lot_id, "lot.inspect", for_update=True)
        row = sample_at(uow, lot, cmd.position)
        test = readings.judge_unit(item_of(uow, lot), cmd.warm_up_min, cmd.values)
        outcome = verdicts.record(
            uow, lot, row, test, cmd.note, None, cmd.reduced_approved, sign=cmd.sign
        )
        uow.commit()
        return outcome


def copy_last_unit(
    uow: UnitOfWork,
    lot_id: int,
    position: int,
    reduced_approved: bool = False,
    sign: bool = False,
) -> RecordOutcome:
    """The last unit's readings, recorded again for this unit (each reading stored and judged)."""
    require(uow.principal, "lot.inspect")
    with uow:
        lot = load_lot(uow, lot_id, "lot.inspect", for_update=True)
        row = sample_at(uow, lot, position)
        last = uow.inspection.last_test_of_lot(lot.id)
        if last is None:
            raise Conflict("No unit of this lot has readings yet to copy.")
        values = readings.values_of(uow.inspection.readings(last.id))
        test = readings.judge_unit(item_of(uow, lot), last.warm_up_min, values)
        outcome = verdicts.record(uow, lot, row, test, "", last.id, reduced_approved, sign=sign)
        uow.commit()
        return outcome


def sign_unit(
    uow: UnitOfWork, lot_id: int, position: int, reduced_approved: bool = False
) -> RecordOutcome:
    """The inspector signs the unit's newest readings: they count, the verdict may follow."""
    require(uow.principal, "lot.inspect")
    with uow:
        lot = load_lot(uow, lot_id, "lot.inspect", for_update=True)
        outcome = verdicts.signed(uow, lot, sample_at(uow, lot, position), reduced_approved)
        uow.commit()
        return outcome


def replace_unit(uow: UnitOfWork, cmd: ReplaceUnit) -> int:
    """A failed unit of an accepted lot replaced by another serial, which is then tested."""
    require(uow.principal, "lot.offer")
    with uow:
        lot = load_lot(uow, cmd.lot_id, "lot.offer", for_update=True)
        inspection.check_replace(lot.status)
        row = sample_at(uow, lot, cmd.position)
        failed = row.device.qa_status
        status = QA.move(failed, "replace", serial=row.device.serial)
        spec = devices.single_device(
            cmd.serial, cmd.make, cmd.model, cmd.manufactured_on, clock.today()
        )
        if uow.inspection.registered([spec.serial]):
            raise Conflict("Serial {serial} is already in the registry.", serial=spec.serial)
        uow.inspection.register(lot, [spec], clock.now())
        new = uow.inspection.device(spec.serial)
        row.device.qa_status = status.value
        position = uow.inspection.add_replacement(lot.id, new.id, row.sample)
        after = {"qa_status": status.value, "replacement": spec.serial}
        after |= {"lot_id": lot.id, "position": position}
        uow.record("device.replace", "device", row.device.serial, {"qa_status": failed}, after)
        uow.commit()
        return position
