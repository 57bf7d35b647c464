"""Devices as use cases load them: by the serial a person typed, or by a record's device."""

from __future__ import annotations

from oxychain.core.errors import NotFound
from oxychain.core.uow import UnitOfWork
from oxychain.distribution.domain.device import Located
from oxychain.inspection.domain.device import normal_serial


def by_serial(uow: UnitOfWork, serial: str, *, lock: bool = True) -> Located:
    """The device with this serial (its state row locked unless told); NotFound otherwise."""
    serial = normal_serial(serial)
    device = uow.ledger.locate([serial], lock=lock).get(serial)
    if device is None:
        raise NotFound("No device with serial {serial}.", serial=serial[:40])
    return device


def of_record(uow: UnitOfWork, device_id: int) -> Located:
    """The device a loan or a ticket is about, its state row locked."""
    serial = uow.dispatch.serials([device_id])[device_id]
    return uow.ledger.locate([serial])[serial]
