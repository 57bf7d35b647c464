"""The device state machine: every state × every event, written out as a table."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from oxychain.core.errors import InvalidInput
from oxychain.distribution.domain.lifecycle import (
    DESTINATIONS,
    TRANSITIONS,
    WHERE,
    DeviceState,
    EventKind,
    IllegalTransition,
    Place,
    PlaceKind,
    Position,
    Step,
    accepted_at,
    allowed_events,
    decide,
    replay,
)

T0 = datetime(2021, 5, 1, 10, tzinfo=UTC)
T1 = datetime(2021, 5, 2, 10, tzinfo=UTC)
DISTRICT = 7

# The table: a row per state, a column per event; a cell is the state the event leads to,
# "-" where it is refused. Abbreviations below, so that the table reads at a glance.
STATES = {
    "acc": "accepted", "dsp": "dispatched", "rcv": "received", "iss": "issued",
    "ins": "installed", "loan": "on_loan", "ret": "returned", "san": "sanitised",
    "rtst": "retested", "avl": "available", "flt": "faulty", "urep": "under_repair",
    "rep": "repaired", "cond": "condemned",
}  # fmt: skip
EVENTS = {
    "DSP": "dispatch", "RCV": "receive", "ISS": "issue", "INS": "install", "LEND": "lend",
    "RET": "return", "SAN": "sanitise", "RTST": "retest", "REL": "release",
    "FLT": "report_fault", "UREP": "start_repair", "REP": "repair", "COND": "condemn",
    "PM": "maintain",
}  # fmt: skip
TABLE = """
      DSP  RCV  ISS  INS  LEND RET  SAN  RTST REL  FLT  UREP REP  COND PM
acc   dsp  -    -    -    -    -    -    -    -    -    -    -    -    -
dsp   -    rcv  -    -    -    -    -    -    -    -    -    -    -    -
rcv   dsp  -    iss  ins  -    -    -    -    -    flt  -    -    -    -
iss   -    -    -    ins  loan -    -    -    -    flt  -    -    -    -
ins   -    -    -    -    -    ret  -    -    -    flt  -    -    -    ins
loan  -    -    -    -    -    ret  -    -    -    flt  -    -    -    -
ret   -    -    -    -    -    -    san  -    -    flt  -    -    -    -
san   -    -    -    -    -    -    -    rtst -    flt  -    -    -    -
rtst  -    -    -    -    -    -    -    -    avl  flt  -    -    -    -
avl   dsp  -    iss  -    -    -    -    -    -    flt  -    -    -    -
flt   -    -    -    -    -    -    -    -    -    -    urep -    cond -
urep  -    -    -    -    -    -    -    -    -    -    -    rep  cond -
rep   -    -    -    ins  -    ret  -    rtst -    flt  -    -    -    -
cond  -    -    -    -    -    -    -    -    -    -    -    -    -    -
"""


def _cases() -> list[tuple[DeviceState, EventKind, DeviceState | None]]:
    header, *rows = TABLE.strip().splitlines()
    events = [EventKind(EVENTS[e]) for e in header.split()]
    cases = []
    for line in rows:
        state, *cells = line.split()
        assert len(cells) == len(events), line
        for event, cell in zip(events, cells, strict=True):
            after = None if cell == "-" else DeviceState(STATES[cell])
            cases.append((DeviceState(STATES[state]), event, after))
    return cases


CASES = _cases()


def _place(kind: PlaceKind, ident: int = 1) -> Place:
    return Place(kind, ident, None if kind is PlaceKind.SUPPLIER else DISTRICT)


def _setting(event: EventKind) -> tuple[Place, Place | None]:
    """A place where the event may happen, and a destination when it is a move."""
    here = _place(sorted(WHERE.get(event, {PlaceKind.FACILITY}))[0])
    if event is EventKind.DISPATCH:
        here = _place(PlaceKind.WAREHOUSE)
    dest = None
    if event in DESTINATIONS:
        dest = _place(sorted(DESTINATIONS[event])[-1], 99)
    return here, dest


def test_the_table_covers_every_state_and_every_event() -> None:
    assert len(CASES) == len(DeviceState) * len(EventKind)
    assert {s for s, _e, _t in CASES} == set(DeviceState)


@pytest.mark.parametrize(("state", "event", "expected"), CASES, ids=lambda v: str(v))
def test_every_state_and_event(state: DeviceState, event: EventKind, expected) -> None:  # noqa: ANN001
    here, dest = _setting(event)
    position = Position(state, here, T0, 3)
    if expected is None:
        with pytest.raises(IllegalTransition) as refused:
            decide("SN-1", position, event, T1, dest)
        assert refused.value.params["state"] == state.value  # names the current state
        assert state.value in refused.value.message
        assert refused.value.code == "illegal_transition"
        return
    after = decide("SN-1", position, event, T1, dest)
    assert after.state is expected
    stays = expected is state and dest is None  # maintenance: in the same state since T0
    assert after.version == 4 and after.since == (T0 if stays else T1)
    assert after.place == (dest if dest is not None else here)


def test_allowed_events_agree_with_the_table() -> None:
    for state in DeviceState:
        legal = {e for s, e, t in CASES if s is state and t is not None}
        assert set(allowed_events(state)) == legal
        assert all(state in TRANSITIONS[e][0] for e in legal)


def test_install_only_at_a_facility_and_issue_only_from_a_warehouse() -> None:
    at_warehouse = Position(DeviceState.RECEIVED, _place(PlaceKind.WAREHOUSE), T0)
    with pytest.raises(IllegalTransition, match="received at a warehouse"):
        decide("SN-2", at_warehouse, EventKind.INSTALL, T1)
    at_facility = Position(DeviceState.RECEIVED, _place(PlaceKind.FACILITY), T0)
    assert decide("SN-2", at_facility, EventKind.INSTALL, T1).state is DeviceState.INSTALLED
    with pytest.raises(IllegalTransition):
        decide("SN-2", at_facility, EventKind.ISSUE, T1, _place(PlaceKind.HOME, 5))


def test_moves_need_a_destination_in_the_same_district() -> None:
    stock = Position(DeviceState.RECEIVED, _place(PlaceKind.WAREHOUSE), T0)
    with pytest.raises(InvalidInput, match="needs a destination"):
        decide("SN-3", stock, EventKind.ISSUE, T1)
    with pytest.raises(InvalidInput, match="within its district"):
        decide("SN-3", stock, EventKind.ISSUE, T1, Place(PlaceKind.FACILITY, 4, DISTRICT + 1))
    with pytest.raises(InvalidInput, match="needs a destination"):
        decide("SN-3", stock, EventKind.ISSUE, T1, _place(PlaceKind.WAREHOUSE, 8))
    installed = Position(DeviceState.INSTALLED, _place(PlaceKind.FACILITY), T0)
    with pytest.raises(InvalidInput, match="does not move it"):
        decide("SN-3", installed, EventKind.MAINTAIN, T1, _place(PlaceKind.FACILITY, 2))


def test_a_whole_life_replays_to_its_derived_state() -> None:
    supplier, warehouse = 3, _place(PlaceKind.WAREHOUSE, 11)
    facility, home = _place(PlaceKind.FACILITY, 21), _place(PlaceKind.HOME, DISTRICT)
    steps = [
        Step(EventKind.DISPATCH, T1, warehouse),
        Step(EventKind.RECEIVE, T1, warehouse),
        Step(EventKind.ISSUE, T1, home),
        Step(EventKind.LEND, T1, home),
        Step(EventKind.RETURN, T1, warehouse),
        Step(EventKind.SANITISE, T1, warehouse),
        Step(EventKind.RETEST, T1, warehouse),
        Step(EventKind.RELEASE, T1, warehouse),
        Step(EventKind.ISSUE, T1, facility),
        Step(EventKind.INSTALL, T1, facility),
        Step(EventKind.REPORT_FAULT, T1, facility),
        Step(EventKind.START_REPAIR, T1, facility),
        Step(EventKind.REPAIR, T1, facility),
        Step(EventKind.INSTALL, T1, facility),
    ]
    end = replay("SN-4", accepted_at(supplier, T0), steps)
    assert end.state is DeviceState.INSTALLED and end.place == facility
    assert end.version == len(steps)
    # The same issue twice is the double issue that the state machine refuses.
    with pytest.raises(IllegalTransition, match="is issued"):
        replay("SN-4", accepted_at(supplier, T0), [*steps[:3], steps[2]])
