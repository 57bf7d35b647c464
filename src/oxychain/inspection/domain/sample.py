"""A sampled unit and its test record: when readings may be recorded or corrected, and
when a unit may be replaced.

* A sampled unit's readings are recorded while its lot is under inspection (sampled);
  they are a draft until the inspector signs the unit: a mistyped reading is corrected,
  not judged. Recording them again is a correction: a new version linked to the old one,
  with a note saying why (an inspection record is never edited). Only signed units count
  towards the verdict; a signed unit's record is closed, and so are all once the lot is
  decided: the verdict is binding.
* A replacement unit (for a failed unit of an accepted lot) is judged on its own, when
  signed: its result decides its own device's QA status, never the lot's verdict.
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
    DRAFT = "draft"  # readings recorded, not yet signed: they may be corrected
    SIGNED = "signed"  # signed by the inspector: counts towards the verdict, closed


class Recorded(Protocol):
    """A stored test record, as far as these rules need it."""

    version: int
    signed_at: object | None


UNIT = Lifecycle(
    "sampled unit",
    UnitStatus,
    {
        "record": ((UnitStatus.UNTESTED,), UnitStatus.DRAFT),
        "correct": ((UnitStatus.DRAFT,), UnitStatus.DRAFT),  # a new version, with a reason
        "sign": ((UnitStatus.DRAFT,), UnitStatus.SIGNED),
    },
    message=N_("The sampled unit is {status}: it cannot become {target}."),
)


def unit_status(test: Recorded | None) -> UnitStatus:
    if test is None:
        return UnitStatus.UNTESTED
    return UnitStatus.DRAFT if test.signed_at is None else UnitStatus.SIGNED


def unit_actions(
    lot_status: LotStatus | str,
    status: UnitStatus,
    qa_status: QaStatus | str,
    *,
    replacement: bool,
) -> frozenset[str]:
    """What may be done to a sampled unit now: "record", "correct", "sign", "replace"."""
    if replacement:  # judged on its own, once its lot is accepted
        return UNIT.allowed_actions(status) if LOT.can(lot_status, "replace") else frozenset()
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
    action = "record" if status is UnitStatus.UNTESTED else "correct"
    if action in unit_actions(lot_status, status, qa_status, replacement=replacement):
        return action
    if status is UnitStatus.SIGNED and (replacement or LOT.can(lot_status, "record")):
        raise Conflict("This unit is signed: its readings are closed.")
    raise Conflict(
        "Lot {number} is {status}: its records are closed.",
        number=number,
        status=LotStatus(lot_status).value,
    )


def check_signing(
    lot_status: LotStatus | str,
    number: str,
    status: UnitStatus,
    qa_status: QaStatus | str,
    *,
    replacement: bool,
) -> None:
    """A unit is signed once, with readings, while its records are open; Conflict otherwise."""
    if "sign" in unit_actions(lot_status, status, qa_status, replacement=replacement):
        return
    if status is UnitStatus.UNTESTED:
        raise Conflict("Record the unit's readings before signing it.")
    if status is UnitStatus.SIGNED:
        raise Conflict("This unit is signed already.")
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
