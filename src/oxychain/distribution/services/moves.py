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
from dataclasses import dataclass
from datetime import datetime

from oxychain.core.access import require
from oxychain.core.errors import InvalidInput
from oxychain.core.uow import UnitOfWork
from oxychain.distribution.domain import lifecycle
from oxychain.distribution.domain.lifecycle import EventKind, Place, Position
from oxychain.distribution.repositories.events import Located, place_columns
from oxychain.inspection.domain.device import is_dispatchable

E = EventKind
#: Events after which the device no longer serves at the facility it was installed at.
_LEAVES_SERVICE = frozenset({E.RETURN, E.DISPATCH, E.ISSUE, E.CONDEMN})


@dataclass(frozen=True)
class Links:
    """What an event belongs to, if anything: a challan, a loan, a fault ticket."""

    challan_id: int | None = None
    loan_id: int | None = None
    ticket_id: int | None = None


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
    ) -> Position:
        """Decide one event for a device; the device's position is updated in place."""
        if not device.has_state and not is_dispatchable(device.qa_status):
            raise InvalidInput(
                "Device {serial} has not passed inspection ({status}); it cannot move.",
                serial=device.serial,
                status=device.qa_status,
            )
        scope = device.position.place.scope(device.supplier_id)
        require(self.uow.principal, lifecycle.PERMISSION[event], scope)
        before = device.position
        after = lifecycle.decide(device.serial, before, event, at, destination)
        self.events.append(self._event_row(device, event, at, before, after, key, links, lat, lon))
        self._carry_links(device, event, at, links)
        device.position = after
        device.has_state = True
        self._states[device.device_id] = self._state_row(device)
        return after

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
    def _carry_links(device: Located, event: EventKind, at: datetime, links: Links) -> None:
        """The device's open challan, loan and ticket, and its service dates, after the event."""
        if event is E.DISPATCH:
            device.challan_id = links.challan_id
        elif event is E.RECEIVE:
            device.challan_id = None
        if event is E.LEND:
            device.loan_id = links.loan_id
        elif event is E.RETURN:
            device.loan_id = None
        if event is E.REPORT_FAULT:
            device.ticket_id = links.ticket_id
        elif event in (E.REPAIR, E.CONDEMN):
            device.ticket_id = None
        if event is E.INSTALL and device.installed_at is None:
            device.installed_at = at
        elif event in _LEAVES_SERVICE:
            device.installed_at = None
        if event is E.MAINTAIN:
            device.maintained_at = at

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
