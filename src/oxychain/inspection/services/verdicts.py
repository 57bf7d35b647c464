"""Storing a unit's test, and the verdict and switching step that may follow it.

Called inside the unit of work of ``services.inspection``; nothing here commits.

* A unit tested again is a correction: a new version linked to the old one, with a note
  saying why (an inspection record is never edited).
* Once the lot is decided, its records are closed: the verdict is binding.
* The verdict sets every unit's QA status in the same transaction, and the supplier ×
  item switching state takes one step (ISO 2859-1 clause 9; a re-offered lot does not
  count, 9.3.2 "on original inspection").
* A replacement unit (for a failed unit of an accepted lot) is tested on its own: its
  device becomes accepted when it passes, rejected when it fails; the lot's verdict stands.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from oxychain.core.errors import Conflict, InvalidInput
from oxychain.core.people import ObjectScope
from oxychain.core.uow import UnitOfWork
from oxychain.inspection.domain import lot as inspection
from oxychain.inspection.domain import switching
from oxychain.inspection.domain.device import QaStatus
from oxychain.inspection.domain.lot import LotStatus, Tally
from oxychain.inspection.domain.reading import HOUR_METER_ABSENT
from oxychain.inspection.domain.reading import UnitTest as JudgedUnit
from oxychain.inspection.repository import SampleRow
from oxychain.inspection.tables import Lot, SwitchingRecord, UnitTest, Verdict
from oxychain.inspection.tables import Reading as ReadingRow
from oxychain.masterdata.domain.sampling import Severity

__all__ = ["RecordOutcome", "SampleRow", "lot_scope", "record", "switching_state", "user_id"]
MAX_NOTE_CHARS = 300


@dataclass(frozen=True)
class RecordOutcome:
    serial: str
    position: int
    version: int
    passed: bool
    failures: tuple[str, ...]
    lot_status: str
    tested: int
    failed_units: int


def lot_scope(lot: Lot) -> ObjectScope:
    return ObjectScope(supplier_id=lot.supplier_id, agency_id=lot.agency_id)


def user_id(uow: UnitOfWork) -> int | None:
    """The acting user's id; None for the system (demo loader, migrations)."""
    return uow.principal.user_id or None


def _now() -> datetime:
    return datetime.now(UTC)


def record(
    uow: UnitOfWork,
    lot: Lot,
    row: SampleRow,
    test: JudgedUnit,
    note: str,
    copied_from_id: int | None,
    reduced_approved: bool,
) -> RecordOutcome:
    replacement = row.sample.replacement_of_id is not None
    _check_open(lot, row, replacement)
    note = " ".join(note.split())[:MAX_NOTE_CHARS]
    if row.test is not None and not note:
        raise InvalidInput("Say why the readings are corrected (a correction is a new version).")
    stored = UnitTest(
        sample_id=row.sample.id,
        lot_id=lot.id,
        version=row.test.version + 1 if row.test else 1,
        previous_id=row.test.id if row.test else None,
        warm_up_min=test.warm_up_min,
        passed=test.passed,
        recorded_by_id=user_id(uow),
        recorded_at=_now(),
        copied_from_id=copied_from_id,
        note=note or None,
    )
    uow.inspection.add(stored)
    uow.inspection.flush()
    for reading in test.readings:
        uow.inspection.add(
            ReadingRow(
                unit_test_id=stored.id,
                point=reading.point,
                parameter=reading.parameter,
                set_flow_lpm=reading.set_flow_lpm,
                value=reading.value,
                observed=reading.observed,
                passed=reading.passed,
            )
        )
    uow.record(
        "unit_test.correct" if row.test else "unit_test.record",
        "device",
        row.device.serial,
        {"version": row.test.version, "passed": row.test.passed} if row.test else None,
        {
            "lot_id": lot.id,
            "position": row.sample.position,
            "version": stored.version,
            "passed": test.passed,
            "warm_up_min": str(test.warm_up_min),
            "readings": [r.as_dict() for r in test.readings],
            "copied_from": copied_from_id,
            "note": stored.note,
        },
    )
    if replacement:
        _settle_replacement(uow, row, test.passed)
        tally = _tally(uow, lot)
    else:
        tally = decide(uow, lot, reduced_approved)
    return RecordOutcome(
        row.device.serial,
        row.sample.position,
        stored.version,
        test.passed,
        test.failures,
        lot.status,
        tally.tested,
        tally.failures,
    )


def _check_open(lot: Lot, row: SampleRow, replacement: bool) -> None:
    if replacement:
        if lot.status != LotStatus.ACCEPTED.value or row.test is not None:
            raise Conflict("This replacement unit has been judged already.")
        return
    if lot.status != LotStatus.SAMPLED.value:
        raise Conflict(
            "Lot {number} is {status}: its records are closed.",
            number=lot.number,
            status=lot.status,
        )


def _settle_replacement(uow: UnitOfWork, row: SampleRow, passed: bool) -> None:
    status = QaStatus.ACCEPTED if passed else QaStatus.REJECTED
    row.device.qa_status = status.value
    uow.record(
        "device.qa",
        "device",
        row.device.serial,
        {"qa_status": "offered"},
        {"qa_status": status.value, "replacement": True},
    )


def _tally(uow: UnitOfWork, lot: Lot) -> Tally:
    latest = uow.inspection.latest_tests(lot.id)
    originals = [s for s in uow.inspection.samples(lot.id) if s.sample.replacement_of_id is None]
    tested = [latest[s.sample.id] for s in originals if s.sample.id in latest]
    return Tally(lot.sample_size or 0, len(tested), sum(1 for t in tested if not t.passed))


def decide(uow: UnitOfWork, lot: Lot, reduced_approved: bool) -> Tally:
    """The verdict, when the counts decide it: lot status, verdict row, QA statuses, switching."""
    uow.inspection.flush()
    tally = _tally(uow, lot)
    status = inspection.verdict(lot.accept_number or 0, lot.reject_number or 1, tally)
    if status is None:
        return tally
    lot.status = inspection.check_transition(lot.status, status).value
    uow.inspection.add(
        Verdict(
            lot_id=lot.id,
            accepted=status is LotStatus.ACCEPTED,
            severity=lot.severity or "normal",
            sample_size=tally.sample_size,
            accept_number=lot.accept_number or 0,
            reject_number=lot.reject_number or 1,
            tested=tally.tested,
            failures=tally.failures,
            decided_at=_now(),
            decided_by_id=user_id(uow),
        )
    )
    _set_units(uow, lot, status)
    step = _switch(uow, lot, status, tally.failures, reduced_approved)
    uow.record(
        "lot.verdict",
        "lot",
        lot.id,
        {"status": LotStatus.SAMPLED.value},
        {
            "status": status.value,
            "tested": tally.tested,
            "failures": tally.failures,
            "accept": lot.accept_number,
            "reject": lot.reject_number,
            "severity": lot.severity,
            "switching": step,
        },
    )
    return tally


def _set_units(uow: UnitOfWork, lot: Lot, status: LotStatus) -> None:
    samples = uow.inspection.samples(lot.id)
    failed = [s.device.serial for s in samples if s.test is not None and not s.test.passed]
    if status is LotStatus.REJECTED:
        uow.inspection.set_qa_status(lot.id, QaStatus.REJECTED.value)
    else:
        uow.inspection.set_qa_status(lot.id, QaStatus.ACCEPTED.value)
        if failed:
            uow.inspection.set_qa_status(lot.id, QaStatus.REJECTED.value, failed)
    uow.inspection.flush()
    uow.record(
        "device.qa",
        "lot",
        lot.id,
        {"qa_status": QaStatus.OFFERED.value},
        {
            "accepted": 0 if status is LotStatus.REJECTED else lot.quantity - len(failed),
            "rejected": lot.quantity if status is LotStatus.REJECTED else len(failed),
            "rejected_serials": failed,
        },
    )


# --- switching (ISO 2859-1 clause 9) ------------------------------------------------------


def state_of(row: SwitchingRecord | None) -> switching.SwitchingState:
    if row is None:
        return switching.SwitchingState()
    return switching.SwitchingState(
        severity=Severity(row.severity),
        recent=tuple(mark == "A" for mark in row.recent),
        consecutive_accepted=row.consecutive_accepted,
        switching_score=row.switching_score,
        not_accepted_on_tightened=row.not_accepted_on_tightened,
        discontinued=row.discontinued,
    )


def stored_state(state: switching.SwitchingState) -> dict[str, object]:
    """The columns of ``switching_records`` that hold a state (``state_of`` reads them back)."""
    return {
        "severity": state.severity.value,
        "recent": "".join("A" if ok else "R" for ok in state.recent),
        "consecutive_accepted": state.consecutive_accepted,
        "switching_score": state.switching_score,
        "not_accepted_on_tightened": state.not_accepted_on_tightened,
        "discontinued": state.discontinued,
    }


def switching_state(uow: UnitOfWork, supplier_id: int, item_id: int) -> switching.SwitchingState:
    return state_of(uow.inspection.switching_latest(supplier_id, item_id))


def _switch(
    uow: UnitOfWork, lot: Lot, status: LotStatus, failures: int, reduced_approved: bool
) -> dict | None:
    resubmitted = lot.version > 1
    result = inspection.lot_result(
        status is LotStatus.ACCEPTED, lot.accept_number or 0, failures, resubmitted
    )
    if resubmitted:
        return None
    latest = uow.inspection.switching_latest(lot.supplier_id, lot.item_id)
    new, reason = switching.next_state(state_of(latest), result, reduced_approved=reduced_approved)
    uow.inspection.add(
        SwitchingRecord(
            supplier_id=lot.supplier_id,
            item_id=lot.item_id,
            seq=(latest.seq + 1) if latest else 1,
            lot_id=lot.id,
            reason=reason.code if reason else None,
            at=_now(),
            **stored_state(new),
        )
    )
    return {"severity": new.severity.value, "reason": reason.code if reason else None}


def values_of(rows: Sequence[ReadingRow]) -> dict[str, object]:
    """Stored readings back into form values (to copy one unit's readings to the next)."""
    values: dict[str, object] = {}
    for r in rows:
        if r.value is not None:
            values[r.point] = str(r.value)
        elif r.point == "hour_meter":
            values[r.point] = HOUR_METER_ABSENT
        else:
            values[r.point] = "yes" if r.observed else "no"
    return values
