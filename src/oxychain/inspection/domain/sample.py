"""A sampled unit and its test record: when readings may be recorded or corrected, and
when a unit may be replaced.

* A sampled unit's readings are recorded while its lot is under inspection (sampled);
  recording them again is a correction: a new version linked to the old one, with a note
  saying why (an inspection record is never edited). Once the lot is decided its records
  are closed: the verdict is binding.
* A replacement unit (for a failed unit of an accepted lot) is judged once, on its own:
  its result decides its own device's QA status, never the lot's verdict.
* A failed sampled unit of an accepted lot may be replaced by another serial.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol

from oxychain.core.errors import Conflict, InvalidInput
from oxychain.core.i18n import N_
from oxychain.core.states import Lifecycle
from oxychain.inspection.domain.device import QA, QaStatus
from oxychain.inspection.domain.lot import LOT, LotStatus

MAX_NOTE_CHARS = 300


class UnitStatus(StrEnum):
    UNTESTED = "untested"  # drawn into the sample, no readings yet
    TESTED = "tested"  # readings recorded (passed or failed: the record says which)


class Recorded(Protocol):
    """A stored test record, as far as these rules need it."""

    version: int


UNIT = Lifecycle(
    "sampled unit",
    UnitStatus,
    {
        "record": ((UnitStatus.UNTESTED,), UnitStatus.TESTED),
        "correct": ((UnitStatus.TESTED,), UnitStatus.TESTED),  # a new version, with a reason
    },
    message=N_("The sampled unit is {status}: it cannot become {target}."),
)


def unit_status(test: Recorded | None) -> UnitStatus:
    return UnitStatus.UNTESTED if test is None else UnitStatus.TESTED


def unit_actions(
    lot_status: LotStatus | str,
    status: UnitStatus,
    qa_status: QaStatus | str,
    *,
    replacement: bool,
) -> frozenset[str]:
    """What may be done to a sampled unit now: "record", "correct", "replace"."""
    if replacement:  # judged once, once its lot is accepted
        judged_once = UNIT.allowed_actions(status) - {"correct"}
        return judged_once if LOT.can(lot_status, "replace") else frozenset()
    actions = UNIT.allowed_actions(status) if LOT.can(lot_status, "record") else frozenset()
    if LOT.can(lot_status, "replace") and QA.can(qa_status, "replace"):
        actions |= {"replace"}
    return actions


def check_recording(
    lot_status: LotStatus | str,
    number: str,
    status: UnitStatus,
    qa_status: QaStatus | str,
    *,
    replacement: bool,
) -> str:
    """The action a new test record of this unit is ("record" or "correct"); Conflict when
    the unit's records are closed."""
    action = "correct" if status is UnitStatus.TESTED else "record"
    if action in unit_actions(lot_status, status, qa_status, replacement=replacement):
        return action
    if replacement:
        raise Conflict("This replacement unit has been judged already.")
    raise Conflict(
        "Lot {number} is {status}: its records are closed.",
        number=number,
        status=LotStatus(lot_status).value,
    )


def record_note(action: str, note: str) -> str | None:
    """The note of a test record, trimmed; a correction must say why it was made."""
    note = " ".join(note.split())[:MAX_NOTE_CHARS]
    if action == "correct" and not note:
        raise InvalidInput("Say why the readings are corrected (a correction is a new version).")
    return note or None


def next_version(previous: Recorded | None) -> int:
    """Version 1 for a first record, one up for a correction."""
    return 1 if previous is None else previous.version + 1
