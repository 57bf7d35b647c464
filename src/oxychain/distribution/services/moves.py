"""Applying lifecycle events inside a unit of work: the one path every move takes.

Scans, challans, loans and fault tickets all move devices through :class:`Moves`: it
checks the person's permission over the device's current place (domain/access.py via
``lifecycle.PERMISSION``), asks the state machine (``lifecycle.decide``) for the new
position, and collects the event row and the new state row; :meth:`Moves.flush` writes
them all at once, inside the caller's transaction, so an event is stored exactly when the
state it leads to is.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from oxychain.core.access import can, require
from oxychain.core.people import ObjectScope
from oxychain.core.uow import UnitOfWork
from oxychain.distribution.domain import lifecycle
from oxychain.distribution.domain.device import Links, Located
from oxychain.distribution.domain.lifecycle import EventKind, Place, Position
from oxychain.distribution.repositories.events import place_columns

__all__ = ["Links", "Moves"]


class Moves:
    """Events decided in memory and written in one go (see the module's docstring)."""

    def __init__(self, uow: UnitOfWork, now: datetime) -> None:
        self.uow = uow
        self.now = now
        self.events: list[dict] = []
        self._states: dict[int, dict] = {}

    def apply(
        self,
        device: Located,
        event: EventKind,
        at: datetime,
        destination: Place | None = None,
        *,
        key: uuid.UUID | None = None,
        links: Links = Links(),
        lat: float | None = None,
        lon: float | None = None,
        scope: ObjectScope | None = None,
    ) -> Position:
        """Decide one event for a device; the device's position is updated in place.
        ``scope``: where the act is authorised when it is not the device's current place
        (a loan is lent from its bank warehouse, though the device is with the patient by
        the time it is lent)."""
        device.check_inspected()
        permission = lifecycle.PERMISSION[event]
        if not can(self.uow.principal, permission, scope or device.scope):
            self._refuse(device, event, at, destination, permission, scope)
        before = device.position
        after = lifecycle.decide(device.serial, before, event, at, destination)
        self.events.append(self._event_row(device, event, at, before, after, key, links, lat, lon))
        device.take(event, after, at, links)
        self._states[device.device_id] = self._state_row(device)
        return after

    def _refuse(
        self,
        device: Located,
        event: EventKind,
        at: datetime,
        destination: Place | None,
        permission: str,
        scope: ObjectScope | None = None,
    ) -> None:
        """Why this person may not move this device. A device in their own district that
        would refuse the event anyway says why (a keeper scanning again a device they
        issued hears "it is issued", not "not allowed"); of a device elsewhere nothing is
        told: Forbidden."""
        principal = self.uow.principal
        if principal.district_id is not None and principal.district_id == device.scope.district_id:
            lifecycle.decide(device.serial, device.position, event, at, destination)
        require(principal, permission, scope or device.scope)

    def _event_row(
        self,
        device: Located,
        event: EventKind,
        at: datetime,
        before: Position,
        after: Position,
        key: uuid.UUID | None,
        links: Links,
        lat: float | None,
        lon: float | None,
    ) -> dict:
        return {
            "idempotency_key": key or uuid.uuid4(),
            "device_id": device.device_id,
            "kind": event.value,
            "state_before": before.state.value,
            "state_after": after.state.value,
            "place_kind": after.place.kind.value,
            "place_id": after.place.id,
            "district_id": after.place.district_id,
            "at": at,
            "recorded_at": self.now,
            "actor": self.uow.principal.username,
            "lat": lat,
            "lon": lon,
            "challan_id": links.challan_id,
            "loan_id": links.loan_id,
            "ticket_id": links.ticket_id,
        }

    @staticmethod
    def _state_row(device: Located) -> dict:
        position = device.position
        return {
            "device_id": device.device_id,
            "state": position.state.value,
            **place_columns(position.place),
            "since": position.since,
            "version": position.version,
            "challan_id": device.challan_id,
            "loan_id": device.loan_id,
            "ticket_id": device.ticket_id,
            "installed_at": device.installed_at,
            "maintained_at": device.maintained_at,
        }

    def flush(self) -> int:
        """Write the collected events and states; the number of events written."""
        self.uow.ledger.append(self.events)
        self.uow.ledger.save(list(self._states.values()))
        written = len(self.events)
        self.events, self._states = [], {}
        return written
