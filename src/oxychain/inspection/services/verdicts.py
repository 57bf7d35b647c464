"""Storing a unit's test, and the verdict and switching step that may follow it.

Called inside the unit of work of ``services.units``; nothing here commits.

* A unit tested again is a correction: a new version linked to the old one, with a note
  saying why (``domain.sample``). Readings are a draft until the inspector signs the unit;
  only signed units are counted, so the verdict follows the signed units alone.
* Once the lot is decided, its records are closed: the verdict is binding.
* The verdict sets every unit's QA status (``domain.lot.units_after_verdict``) in the same
  transaction, and the supplier × item switching state takes one step (ISO 2859-1
  clause 9; a re-offered lot does not count, 9.3.2 "on original inspection").
* A replacement unit (for a failed unit of an accepted lot) is tested on its own: its
  device becomes accepted when it passes, rejected when it fails; the lot's verdict stands.
"""

from __future__ import annotations

from dataclasses import dataclass

from oxychain.core import clock
from oxychain.core.uow import UnitOfWork
from oxychain.inspection.domain import lot as inspection
from oxychain.inspection.domain import sample as samples
from oxychain.inspection.domain.device import QA, QaStatus
from oxychain.inspection.domain.lot import LotStatus, Tally
from oxychain.inspection.domain.reading import UnitTest as JudgedUnit
from oxychain.inspection.repository import SampleRow
from oxychain.inspection.services.scope import user_id
from oxychain.inspection.tables import Lot, UnitTest


@dataclass(frozen=True)
class RecordOutcome:
    serial: str
    position: int
    version: int
    passed: bool
    failures: tuple[str, ...]
    signed: bool
    lot_status: str
    tested: int
    failed_units: int


def record(
    uow: UnitOfWork,
    lot: Lot,
    row: SampleRow,
    test: JudgedUnit,
    note: str,
    copied_from_id: int | None,
    reduced_approved: bool,
    sign: bool = False,
) -> RecordOutcome:
    """The unit's test stored and audited, a draft unless signed at once (then the verdict,
    when the signed units' counts decide it)."""
    replacement = row.sample.replacement_of_id is not None
    action = samples.check_recording(
        lot.status,
        lot.number,
        samples.unit_status(row.test),
        row.device.qa_status,
        replacement=replacement,
    )
    stored = uow.inspection.add_unit_test(
        row,
        samples.next_version(row.test),
        test,
        note=samples.record_note(action, note),
        copied_from_id=copied_from_id,
        by=user_id(uow),
        at=clock.now(),
    )
    _audit_test(uow, lot, row, test, stored)
    if sign:
        row = SampleRow(row.sample, row.device, stored)
        return signed(uow, lot, row, reduced_approved, test.failures)
    counts = _tally(uow, lot)
    return _outcome(row, stored, lot, counts, test.failures)


def signed(
    uow: UnitOfWork,
    lot: Lot,
    row: SampleRow,
    reduced_approved: bool,
    failures: tuple[str, ...] = (),
) -> RecordOutcome:
    """The unit's newest readings signed: now they count, and the verdict may follow."""
    samples.check_signing(
        lot.status,
        lot.number,
        samples.unit_status(row.test),
        row.device.qa_status,
        replacement=row.sample.replacement_of_id is not None,
    )
    stored = row.test
    stored.signed_by_id, stored.signed_at = user_id(uow), clock.now()
    after = {"lot_id": lot.id, "position": row.sample.position, "version": stored.version}
    uow.record(
        "unit_test.sign", "device", row.device.serial, None, after | {"passed": stored.passed}
    )
    if row.sample.replacement_of_id is not None:
        _settle_replacement(uow, row, stored.passed)
        counts = _tally(uow, lot)
    else:
        counts = decide(uow, lot, reduced_approved)
    return _outcome(row, stored, lot, counts, failures)


def _outcome(
    row: SampleRow, stored: UnitTest, lot: Lot, counts: Tally, failures: tuple[str, ...]
) -> RecordOutcome:
    return RecordOutcome(
        row.device.serial,
        row.sample.position,
        stored.version,
        stored.passed,
        failures,
        stored.signed_at is not None,
        lot.status,
        counts.tested,
        counts.failures,
    )


def _audit_test(
    uow: UnitOfWork, lot: Lot, row: SampleRow, test: JudgedUnit, stored: UnitTest
) -> None:
    before = {"version": row.test.version, "passed": row.test.passed} if row.test else None
    after = {
        "lot_id": lot.id,
        "position": row.sample.position,
        "version": stored.version,
        "passed": test.passed,
        "warm_up_min": str(test.warm_up_min),
        "readings": [r.as_dict() for r in test.readings],
        "copied_from": stored.copied_from_id,
        "note": stored.note,
    }
    action = "unit_test.correct" if row.test else "unit_test.record"
    uow.record(action, "device", row.device.serial, before, after)


def _settle_replacement(uow: UnitOfWork, row: SampleRow, passed: bool) -> None:
    before = row.device.qa_status
    status = QA.move(before, "accept" if passed else "reject", serial=row.device.serial)
    row.device.qa_status = status.value
    after = {"qa_status": status.value, "replacement": True}
    uow.record("device.qa", "device", row.device.serial, {"qa_status": before}, after)


def _tally(uow: UnitOfWork, lot: Lot) -> Tally:
    """The originally sampled units' newest signed results (drafts do not count yet;
    replacements never decide a lot)."""
    uow.inspection.flush()
    latest = uow.inspection.latest_tests(lot.id)
    originals = [s for s in uow.inspection.samples(lot.id) if s.sample.replacement_of_id is None]
    results = [
        latest[s.sample.id].passed
        if s.sample.id in latest and latest[s.sample.id].signed_at is not None
        else None
        for s in originals
    ]
    return inspection.tally(lot.sample_size or 0, results)


def decide(uow: UnitOfWork, lot: Lot, reduced_approved: bool) -> Tally:
    """The verdict, when the counts decide it: lot status, verdict row, QA statuses, switching."""
    uow.inspection.flush()
    counts = _tally(uow, lot)
    status = inspection.decide(lot.status, lot.accept_number or 0, lot.reject_number or 1, counts)
    if status is None:
        return counts
    before = lot.status
    lot.status = status.value
    uow.inspection.add_verdict(lot, counts, by=user_id(uow), at=clock.now())
    _settle_units(uow, lot, status)
    step = _switch(uow, lot, status, counts.failures, reduced_approved)
    after = {
        "status": status.value,
        "tested": counts.tested,
        "failures": counts.failures,
        "accept": lot.accept_number,
        "reject": lot.reject_number,
        "severity": lot.severity,
        "switching": step,
    }
    uow.record("lot.verdict", "lot", lot.id, {"status": before}, after)
    return counts


def _settle_units(uow: UnitOfWork, lot: Lot, status: LotStatus) -> None:
    """Every unit's QA status after the verdict, by the domain's rule, in one audit event."""
    rows = uow.inspection.samples(lot.id)
    failed = [
        s.device.serial
        for s in rows
        if s.test is not None and s.test.signed_at is not None and not s.test.passed
    ]
    units = inspection.units_after_verdict(status, uow.inspection.qa_statuses(lot.id), failed)
    uow.inspection.set_qa_statuses(lot.id, units)
    accepted = sum(1 for qa in units.values() if qa is QaStatus.ACCEPTED)
    after = {"accepted": accepted, "rejected": len(units) - accepted, "rejected_serials": failed}
    uow.record("device.qa", "lot", lot.id, {"qa_status": QaStatus.OFFERED.value}, after)


def _switch(
    uow: UnitOfWork, lot: Lot, status: LotStatus, failures: int, reduced_approved: bool
) -> dict | None:
    """One step of the supplier × item's switching state (none for a re-offered lot)."""
    state = uow.inspection.switching_state(lot.supplier_id, lot.item_id)
    step = inspection.switching_step(
        state,
        status,
        lot.accept_number or 0,
        failures,
        resubmitted=lot.version > 1,
        reduced_approved=reduced_approved,
    )
    if step is None:
        return None
    new, reason = step
    code = reason.code if reason else None
    uow.inspection.append_switching(
        lot.supplier_id, lot.item_id, new, code, lot_id=lot.id, at=clock.now()
    )
    return {"severity": new.severity.value, "reason": code}
