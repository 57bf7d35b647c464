"""The inspection use cases whose rule matters, on in-memory repositories: a refused
command changes and records nothing; the deciding reading decides the lot, its units and
the switching state in one transaction; a discontinued supplier × item resumes on
tightened inspection."""

from __future__ import annotations

import pytest

from oxychain.core import clock
from oxychain.core.errors import Conflict, Forbidden, InvalidInput
from oxychain.core.states import IllegalTransition
from oxychain.inspection.domain.lot import LotStatus
from oxychain.inspection.domain.switching import SwitchingState, SwitchingStatus
from oxychain.inspection.services import lots, switching, units
from oxychain.masterdata.domain.sampling import Severity
from tests.fakes import FakeUnitOfWork
from tests.inspection.fakes import AUDITOR, INSPECTOR, NOW, OFFICER, FakeInspection, lot
from tests.inspection.support import BAD_UNIT, GOOD_UNIT


@pytest.fixture(autouse=True)
def _frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: NOW)


def test_assigning_an_offered_lot_names_the_agency_and_the_inspector() -> None:
    offered = lot()
    uow = FakeUnitOfWork(OFFICER, inspection=FakeInspection([offered]))
    lots.assign_lot(uow, lots.AssignLot(offered.id, 7, 31))
    assert (offered.status, offered.agency_id, offered.inspector_id) == ("assigned", 7, 31)
    assert offered.assigned_at == NOW
    assert uow.commits == 1 and uow.actions == ["lot.assign"]


@pytest.mark.parametrize("status", [LotStatus.SAMPLED, LotStatus.ACCEPTED, LotStatus.REJECTED])
def test_assigning_a_lot_past_its_sampling_is_refused_and_records_nothing(
    status: LotStatus,
) -> None:
    decided = lot(status, inspector_id=None)
    uow = FakeUnitOfWork(OFFICER, inspection=FakeInspection([decided]))
    with pytest.raises(IllegalTransition, match=f"The lot is {status.value}"):
        lots.assign_lot(uow, lots.AssignLot(decided.id, 7, 31))
    assert (decided.status, decided.inspector_id) == (status.value, None)
    assert uow.commits == 0 and uow.events == []


def _record(  # noqa: ANN202
    uow: FakeUnitOfWork, of_lot: int, position: int, values: dict, note: str = "", sign: bool = True
):
    cmd = units.RecordUnit(of_lot, position, "6", dict(values), note, sign=sign)
    return units.record_unit(uow, cmd)


def test_the_deciding_reading_rejects_the_lot_its_units_and_steps_switching() -> None:
    repo = FakeInspection()
    sampled = repo.sampled(lot(LotStatus.SAMPLED), sample_size=3, accept=0, reject=1)
    uow = FakeUnitOfWork(INSPECTOR, inspection=repo)
    outcome = _record(uow, sampled.id, 1, BAD_UNIT)  # Re 1: the first failure decides
    assert outcome.lot_status == "rejected" and (outcome.tested, outcome.failed_units) == (1, 1)
    assert sampled.status == "rejected" and len(repo.verdicts) == 1
    assert {d.qa_status for d in repo.devices.values()} == {"rejected"}
    assert [(s.state.recent, s.reason, s.lot_id) for s in repo.history] == [
        ((False,), None, sampled.id)
    ]
    assert uow.commits == 1
    assert uow.actions == ["unit_test.record", "unit_test.sign", "device.qa", "lot.verdict"]


def test_an_accepted_lot_rejects_only_its_failed_sampled_units() -> None:
    repo = FakeInspection()
    sampled = repo.sampled(lot(LotStatus.SAMPLED), sample_size=3, accept=1, reject=2)
    uow = FakeUnitOfWork(INSPECTOR, inspection=repo)
    assert _record(uow, sampled.id, 1, BAD_UNIT).lot_status == "sampled"
    assert _record(uow, sampled.id, 2, GOOD_UNIT).lot_status == "sampled"
    assert not repo.verdicts and {d.qa_status for d in repo.devices.values()} == {"offered"}
    outcome = _record(uow, sampled.id, 3, GOOD_UNIT)
    assert outcome.lot_status == "accepted"
    statuses = {serial: d.qa_status for serial, d in repo.devices.items()}
    assert statuses.pop(f"U{sampled.id}-001") == "rejected"
    assert set(statuses.values()) == {"accepted"} and len(statuses) == 4


def test_readings_after_the_verdict_are_refused_and_record_nothing() -> None:
    repo = FakeInspection()
    sampled = repo.sampled(lot(LotStatus.SAMPLED), sample_size=3, accept=0, reject=1)
    _record(FakeUnitOfWork(INSPECTOR, inspection=repo), sampled.id, 1, BAD_UNIT)
    uow = FakeUnitOfWork(INSPECTOR, inspection=repo)
    with pytest.raises(Conflict, match="its records are closed"):
        _record(uow, sampled.id, 2, GOOD_UNIT)
    with pytest.raises(Conflict, match="its records are closed"):  # nor corrected
        _record(uow, sampled.id, 1, GOOD_UNIT, note="analyser recalibrated")
    assert uow.commits == 0 and uow.events == [] and len(repo.tests) == 1


def test_a_correction_needs_its_reason_and_is_a_new_version() -> None:
    repo = FakeInspection()
    sampled = repo.sampled(lot(LotStatus.SAMPLED), sample_size=3, accept=1, reject=2)
    uow = FakeUnitOfWork(INSPECTOR, inspection=repo)
    _record(uow, sampled.id, 1, BAD_UNIT, sign=False)
    with pytest.raises(InvalidInput, match="Say why"):
        _record(uow, sampled.id, 1, GOOD_UNIT)
    outcome = _record(uow, sampled.id, 1, GOOD_UNIT, note="analyser was not calibrated")
    assert outcome.version == 2 and outcome.failed_units == 0
    assert uow.actions == ["unit_test.record", "unit_test.correct", "unit_test.sign"]


def test_a_mistyped_draft_never_rejects_the_lot_only_signed_units_count() -> None:
    repo = FakeInspection()
    sampled = repo.sampled(lot(LotStatus.SAMPLED), sample_size=3, accept=0, reject=1)
    uow = FakeUnitOfWork(INSPECTOR, inspection=repo)
    draft = _record(uow, sampled.id, 1, BAD_UNIT, sign=False)  # Ac 0 / Re 1: would reject
    assert draft.lot_status == "sampled" and not draft.signed and draft.tested == 0
    fixed = _record(uow, sampled.id, 1, GOOD_UNIT, note="typo in noise", sign=False)
    assert fixed.version == 2 and fixed.lot_status == "sampled"
    signed = units.sign_unit(uow, sampled.id, 1)
    assert signed.signed and signed.passed and signed.tested == 1
    assert signed.lot_status == "sampled"  # two units still to test
    with pytest.raises(Conflict, match="signed already"):
        units.sign_unit(uow, sampled.id, 1)
    with pytest.raises(Conflict, match="before signing"):
        units.sign_unit(uow, sampled.id, 2)


def _discontinued() -> FakeInspection:
    repo = FakeInspection()
    stopped = SwitchingState(Severity.TIGHTENED, not_accepted_on_tightened=5, discontinued=True)
    repo.append_switching(11, 21, stopped, "discontinued", lot_id=99, at=NOW)
    return repo


RESUME = switching.ResumeInspection("SUP-11", "OC-5", "New sieve beds; QA audit on 1-3-2026")


def test_a_discontinued_item_resumes_on_tightened_inspection() -> None:
    repo = _discontinued()
    uow = FakeUnitOfWork(OFFICER, inspection=repo)
    state = switching.resume_inspection(uow, RESUME)
    assert state == SwitchingState(Severity.TIGHTENED)
    assert state.status is SwitchingStatus.TIGHTENED
    assert [(s.seq, s.reason, s.lot_id) for s in repo.history] == [
        (1, "discontinued", 99),
        (2, "resumed_on_tightened", None),
    ]
    assert uow.commits == 1 and uow.actions == ["switching.resume"]
    event = uow.events[0]
    assert event["entity_id"] == "SUP-11/OC-5" and event["before"]["discontinued"] is True
    assert event["after"]["severity"] == "tightened" and "sieve" in event["after"]["note"]


def test_resuming_what_is_not_discontinued_is_refused_and_records_nothing() -> None:
    repo = FakeInspection()
    uow = FakeUnitOfWork(OFFICER, inspection=repo)
    with pytest.raises(IllegalTransition, match="is normal"):
        switching.resume_inspection(uow, RESUME)
    assert repo.history == [] and uow.commits == 0 and uow.events == []


def test_resuming_needs_the_corrective_action() -> None:
    repo = _discontinued()
    uow = FakeUnitOfWork(OFFICER, inspection=repo)
    with pytest.raises(InvalidInput, match="corrective action"):
        switching.resume_inspection(uow, switching.ResumeInspection("SUP-11", "OC-5", "  "))
    assert len(repo.history) == 1 and uow.events == []


@pytest.mark.parametrize("who", [AUDITOR, INSPECTOR], ids=["auditor", "inspector"])
def test_only_the_procurement_officer_resumes(who) -> None:  # noqa: ANN001
    repo = _discontinued()
    uow = FakeUnitOfWork(who, inspection=repo)
    with pytest.raises(Forbidden):
        switching.resume_inspection(uow, RESUME)
    assert len(repo.history) == 1 and uow.events == []
