"""A device as a use case meets it: its identity, its verdict from inspection, and where
its events so far have left it (with the challan, loan and ticket it is tied to)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from oxychain.core.errors import InvalidInput
from oxychain.core.people import ObjectScope
from oxychain.distribution.domain.lifecycle import EventKind, Position
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


@dataclass
class Located:
    """A device with its current position (``accepted`` at its supplier until it first moves)."""

    device_id: int
    serial: str
    supplier_id: int
    purchase_order_id: int
    qa_status: str
    position: Position
    has_state: bool = False
    challan_id: int | None = None
    loan_id: int | None = None
    ticket_id: int | None = None
    installed_at: datetime | None = None
    maintained_at: datetime | None = None

    @property
    def scope(self) -> ObjectScope:
        """The organisations the device's place belongs to, for the access policy."""
        return self.position.place.scope(self.supplier_id)

    def check_inspected(self) -> None:
        """Only a device that passed inspection ever moves."""
        if not self.has_state and not is_dispatchable(self.qa_status):
            raise InvalidInput(
                "Device {serial} has not passed inspection ({status}); it cannot move.",
                serial=self.serial,
                status=self.qa_status,
            )

    def take(self, event: EventKind, after: Position, at: datetime, links: Links) -> None:
        """The device after an event: its position, its open challan, loan and ticket, and
        its service dates."""
        if event is E.DISPATCH:
            self.challan_id = links.challan_id
        elif event is E.RECEIVE:
            self.challan_id = None
        if event is E.LEND:
            self.loan_id = links.loan_id
        elif event is E.RETURN:
            self.loan_id = None
        if event is E.REPORT_FAULT:
            self.ticket_id = links.ticket_id
        elif event in (E.REPAIR, E.CONDEMN):
            self.ticket_id = None
        if event is E.INSTALL and self.installed_at is None:
            self.installed_at = at
        elif event in _LEAVES_SERVICE:
            self.installed_at = None
        if event is E.MAINTAIN:
            self.maintained_at = at
        self.position, self.has_state = after, True
