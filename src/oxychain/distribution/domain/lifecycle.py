"""The life of one concentrator after inspection: an explicit state machine of scans.

A device enters with ``accepted`` (its lot passed inspection, issue 4) and moves only by
events, each a scan by a person at a place and a time::

    accepted ─dispatch─► dispatched ─receive─► received ─issue─► issued ─install─► installed
                                                  │                 └─lend─► on_loan
    available ◄─release─ retested ◄─retest─ sanitised ◄─sanitise─ returned ◄─return─┘
        └─issue / dispatch (again)
    faulty ─start_repair─► under_repair ─repair─► repaired (then install or retest)
                                        └────────────condemn─► condemned

The flow is DESIGN.md's ("dispatch → receipt → installation / home loan; loans returned,
sanitised, re-tested, re-issued") and DOMAIN.md's "Home loans of concentrators" (a device
is issued to a home patient, returned after recovery, sanitised, re-tested, re-issued) and
"Equipment maintenance" (breakdowns, repair, condemnation: the Biomedical Equipment
Maintenance Programme, NHM). An event that the device's current state does not allow is
refused with core's :class:`IllegalTransition` (a ``Conflict``, the refusal every status
in oxychain gives), which names that state: the moves are a ``core.states.Lifecycle``
(``DEVICE``); :func:`decide` adds the rules of place.

Events are facts, never edited: the current state and place are what the events, applied
in order, leave behind (:func:`replay`). Each event says where the device is afterwards
(``place``); a move (dispatch, issue, return) names its destination, the others happen
where the device already is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from oxychain.core.errors import InvalidInput
from oxychain.core.i18n import N_
from oxychain.core.people import ObjectScope
from oxychain.core.states import IllegalTransition, Lifecycle

__all__ = ["IllegalTransition"]  # the refusal of a move, core's, re-exported for callers here


class DeviceState(StrEnum):
    ACCEPTED = "accepted"
    DISPATCHED = "dispatched"
    RECEIVED = "received"
    ISSUED = "issued"
    INSTALLED = "installed"
    ON_LOAN = "on_loan"
    RETURNED = "returned"
    SANITISED = "sanitised"
    RETESTED = "retested"
    AVAILABLE = "available"
    FAULTY = "faulty"
    UNDER_REPAIR = "under_repair"
    REPAIRED = "repaired"
    CONDEMNED = "condemned"


class EventKind(StrEnum):
    DISPATCH = "dispatch"
    RECEIVE = "receive"
    ISSUE = "issue"
    INSTALL = "install"
    LEND = "lend"
    RETURN = "return"
    SANITISE = "sanitise"
    RETEST = "retest"
    RELEASE = "release"
    REPORT_FAULT = "report_fault"
    START_REPAIR = "start_repair"
    REPAIR = "repair"
    CONDEMN = "condemn"
    MAINTAIN = "maintain"


class PlaceKind(StrEnum):
    SUPPLIER = "supplier"  # accepted at the supplier's works, not yet dispatched
    WAREHOUSE = "warehouse"
    FACILITY = "facility"
    HOME = "home"  # a home patient's, on loan; the id is the district's


S, E, P = DeviceState, EventKind, PlaceKind

#: event → (states it may happen in, state it leads to).
TRANSITIONS: dict[EventKind, tuple[frozenset[DeviceState], DeviceState]] = {
    E.DISPATCH: (frozenset({S.ACCEPTED, S.RECEIVED, S.AVAILABLE}), S.DISPATCHED),
    E.RECEIVE: (frozenset({S.DISPATCHED}), S.RECEIVED),
    E.ISSUE: (frozenset({S.RECEIVED, S.AVAILABLE}), S.ISSUED),
    E.INSTALL: (frozenset({S.ISSUED, S.RECEIVED, S.REPAIRED}), S.INSTALLED),
    E.LEND: (frozenset({S.ISSUED}), S.ON_LOAN),
    E.RETURN: (frozenset({S.INSTALLED, S.ON_LOAN, S.REPAIRED}), S.RETURNED),
    E.SANITISE: (frozenset({S.RETURNED}), S.SANITISED),
    E.RETEST: (frozenset({S.SANITISED, S.REPAIRED}), S.RETESTED),
    E.RELEASE: (frozenset({S.RETESTED}), S.AVAILABLE),
    E.REPORT_FAULT: (
        frozenset(
            {
                S.RECEIVED,
                S.ISSUED,
                S.INSTALLED,
                S.ON_LOAN,
                S.RETURNED,
                S.SANITISED,
                S.RETESTED,
                S.AVAILABLE,
                S.REPAIRED,
            }
        ),
        S.FAULTY,
    ),
    E.START_REPAIR: (frozenset({S.FAULTY}), S.UNDER_REPAIR),
    E.REPAIR: (frozenset({S.UNDER_REPAIR}), S.REPAIRED),
    E.CONDEMN: (frozenset({S.FAULTY, S.UNDER_REPAIR}), S.CONDEMNED),
    E.MAINTAIN: (frozenset({S.INSTALLED}), S.INSTALLED),
}

#: The same table as the one mechanism every status in oxychain moves by.
DEVICE: Lifecycle[DeviceState] = Lifecycle(
    "device",
    DeviceState,
    {event.value: move for event, move in TRANSITIONS.items()},
    message=N_("Device {serial} is {state}; it cannot take the event {event}."),
)

#: Moves: the event names where the device goes, of one of these kinds.
DESTINATIONS: dict[EventKind, frozenset[PlaceKind]] = {
    E.DISPATCH: frozenset({P.WAREHOUSE, P.FACILITY}),
    E.ISSUE: frozenset({P.FACILITY, P.HOME}),
    E.RETURN: frozenset({P.WAREHOUSE}),
}

#: Where the device must already be for the event (a move: where it leaves from).
WHERE: dict[EventKind, frozenset[PlaceKind]] = {
    E.DISPATCH: frozenset({P.SUPPLIER, P.WAREHOUSE}),
    E.RECEIVE: frozenset({P.WAREHOUSE, P.FACILITY}),
    E.ISSUE: frozenset({P.WAREHOUSE}),
    E.INSTALL: frozenset({P.FACILITY}),
    E.LEND: frozenset({P.HOME}),
    E.RETURN: frozenset({P.FACILITY, P.HOME}),
    E.SANITISE: frozenset({P.WAREHOUSE}),
    E.RETEST: frozenset({P.WAREHOUSE}),
    E.RELEASE: frozenset({P.WAREHOUSE}),
}

#: Events a person may send as a plain scan; the others need their form (a challan for a
#: dispatch, a loan for a lend, a fault ticket for a fault, a repair or a condemnation).
SCAN_EVENTS = frozenset(
    {E.RECEIVE, E.ISSUE, E.INSTALL, E.RETURN, E.SANITISE, E.RETEST, E.RELEASE, E.MAINTAIN}
)

#: The scan events in the order a device meets them (for forms).
SCAN_EVENTS_ORDER = (
    E.RECEIVE,
    E.ISSUE,
    E.INSTALL,
    E.MAINTAIN,
    E.RETURN,
    E.SANITISE,
    E.RETEST,
    E.RELEASE,
)

#: Devices that count as working equipment in service, and as down (BMMP uptime).
IN_SERVICE = frozenset({S.INSTALLED, S.ON_LOAN})
DOWN = frozenset({S.FAULTY, S.UNDER_REPAIR})
#: Stock that can be issued at a warehouse.
ISSUABLE = frozenset({S.RECEIVED, S.AVAILABLE})

#: The permission (domain/access.py) each event needs over the device's place.
PERMISSION: dict[EventKind, str] = {
    E.DISPATCH: "challan.write",
    E.RECEIVE: "device.receive",
    E.ISSUE: "device.issue",
    E.INSTALL: "device.install",
    E.LEND: "loan.write",
    E.RETURN: "device.return",
    E.SANITISE: "device.refurbish",
    E.RETEST: "device.refurbish",
    E.RELEASE: "device.refurbish",
    E.REPORT_FAULT: "ticket.write",
    E.START_REPAIR: "ticket.service",
    E.REPAIR: "ticket.service",
    E.CONDEMN: "ticket.condemn",
    E.MAINTAIN: "device.maintain",
}

STATE_LABELS: dict[DeviceState, str] = {
    S.ACCEPTED: N_("accepted in inspection"),
    S.DISPATCHED: N_("dispatched"),
    S.RECEIVED: N_("received"),
    S.ISSUED: N_("issued"),
    S.INSTALLED: N_("installed"),
    S.ON_LOAN: N_("on loan"),
    S.RETURNED: N_("returned"),
    S.SANITISED: N_("sanitised"),
    S.RETESTED: N_("re-tested"),
    S.AVAILABLE: N_("available"),
    S.FAULTY: N_("faulty"),
    S.UNDER_REPAIR: N_("under repair"),
    S.REPAIRED: N_("repaired"),
    S.CONDEMNED: N_("condemned"),
}
EVENT_LABELS: dict[EventKind, str] = {
    E.DISPATCH: N_("dispatch"),
    E.RECEIVE: N_("receive"),
    E.ISSUE: N_("issue"),
    E.INSTALL: N_("install"),
    E.LEND: N_("lend to a home patient"),
    E.RETURN: N_("return"),
    E.SANITISE: N_("sanitise"),
    E.RETEST: N_("re-test"),
    E.RELEASE: N_("make available"),
    E.REPORT_FAULT: N_("report a fault"),
    E.START_REPAIR: N_("start repair"),
    E.REPAIR: N_("mark repaired"),
    E.CONDEMN: N_("condemn"),
    E.MAINTAIN: N_("preventive maintenance"),
}
PLACE_LABELS: dict[PlaceKind, str] = {
    P.SUPPLIER: N_("supplier"),
    P.WAREHOUSE: N_("warehouse"),
    P.FACILITY: N_("facility"),
    P.HOME: N_("home patient"),
}


@dataclass(frozen=True, slots=True)
class Place:
    """Where a device is: a supplier's works, a warehouse, a facility, or a home (district)."""

    kind: PlaceKind
    id: int
    district_id: int | None

    def scope(self, supplier_id: int | None = None) -> ObjectScope:
        """The organisations this place belongs to, for the access policy."""
        return ObjectScope(
            district_id=self.district_id,
            warehouse_id=self.id if self.kind is P.WAREHOUSE else None,
            facility_id=self.id if self.kind is P.FACILITY else None,
            supplier_id=supplier_id if supplier_id is not None else self._supplier(),
        )

    def _supplier(self) -> int | None:
        return self.id if self.kind is P.SUPPLIER else None


@dataclass(frozen=True, slots=True)
class Position:
    """A device's derived state: what its events so far leave behind."""

    state: DeviceState
    place: Place
    since: datetime
    version: int = 0


def allowed_events(state: DeviceState) -> list[EventKind]:
    """The events the state allows, in the order of :class:`EventKind`."""
    allowed = DEVICE.allowed_actions(state)
    return [kind for kind in EventKind if kind in allowed]


def decide(
    serial: str,
    position: Position,
    event: EventKind,
    at: datetime,
    destination: Place | None = None,
) -> Position:
    """The position after ``event``; IllegalTransition naming the current state if refused."""
    target = DEVICE.move(
        position.state, event, serial=serial, state=position.state.value, event=event.value
    )
    where = WHERE.get(event)
    if where is not None and position.place.kind not in where:
        raise IllegalTransition(
            N_("Device {serial} is {state} at a {place}; {event} happens elsewhere."),
            serial=serial,
            state=position.state.value,
            place=position.place.kind.value,
            event=event.value,
        )
    place = _destination(serial, position, event, destination)
    if target is position.state and place == position.place:
        at = position.since  # maintenance: still installed, since the same moment
    return Position(target, place, at, position.version + 1)


def _destination(
    serial: str, position: Position, event: EventKind, destination: Place | None
) -> Place:
    kinds = DESTINATIONS.get(event)
    if kinds is None:
        if destination is not None and destination != position.place:
            raise InvalidInput(
                "The event {event} happens where device {serial} is; it does not move it.",
                serial=serial,
                event=event.value,
            )
        return position.place
    if destination is None or destination.kind not in kinds:
        raise InvalidInput(
            "The event {event} needs a destination for device {serial}.",
            serial=serial,
            event=event.value,
        )
    if destination == position.place:
        raise InvalidInput("Device {serial} is already there.", serial=serial)
    if event in (E.ISSUE, E.RETURN) and destination.district_id != position.place.district_id:
        raise InvalidInput(
            "Device {serial} can be issued or returned only within its district; "
            "a transfer between districts goes on a challan.",
            serial=serial,
        )
    return destination


@dataclass(frozen=True, slots=True)
class Step:
    """One stored event, as :func:`replay` reads it."""

    event: EventKind
    at: datetime
    place: Place


def replay(serial: str, start: Position, steps: Iterable[Step]) -> Position:
    """The position a device's events lead to; IllegalTransition at the first illegal one."""
    position = start
    for step in steps:
        dest = step.place if step.event in DESTINATIONS else None
        position = decide(serial, position, step.event, step.at, dest)
        if position.place != step.place:
            raise IllegalTransition(
                N_("Device {serial} is recorded at a place its events do not lead to."),
                serial=serial,
            )
    return position


def accepted_at(supplier_id: int, at: datetime) -> Position:
    """Where every device starts: accepted at its supplier's works."""
    return Position(S.ACCEPTED, Place(P.SUPPLIER, supplier_id, None), at, 0)


def with_version(position: Position, version: int) -> Position:
    return replace(position, version=version)
