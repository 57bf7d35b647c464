"""Inspection through its services, on SQLite and PostgreSQL: offer, assign, sample,
readings, verdict, re-offer, replacement; bad files change nothing; the database refuses
to dispatch a device that inspection did not accept."""

from __future__ import annotations

import os
from datetime import date

import pytest
from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKeyConstraint,
    Integer,
    MetaData,
    String,
    Table,
    func,
    select,
)
from sqlalchemy.exc import IntegrityError

from oxychain.core.bootstrap import Oxychain
from oxychain.core.errors import Conflict, FileRejected, Forbidden, InvalidInput
from oxychain.core.people import SYSTEM
from oxychain.core.tables import AuditEvent
from oxychain.inspection.domain import lot as inspection
from oxychain.inspection.services import lots as svc
from oxychain.inspection.services import units, views
from oxychain.inspection.services.serials import SerialFile
from oxychain.inspection.tables import Device, Lot, SwitchingRecord
from tests.inspection.support import BAD_UNIT, GOOD_UNIT, World, make_world, serial_csv

TODAY = date.today()


@pytest.fixture
def world(app: Oxychain) -> World:
    return make_world(app)


def offer(app: Oxychain, world: World, data: bytes, name: str = "serials.csv") -> int:
    cmd = svc.OfferLot(world.tranche_id, "Noida works, bay 3", TODAY, SerialFile(name, data))
    return svc.offer_lot(app.uow(world.supplier, write=True), cmd)


def assign_and_draw(app: Oxychain, world: World, lot_id: int) -> tuple[str, ...]:
    svc.assign_lot(
        app.uow(world.officer, write=True),
        svc.AssignLot(lot_id, world.agency_id, world.inspector.user_id),
    )
    return svc.draw_sample(app.uow(world.inspector, write=True), lot_id)


def record(  # noqa: ANN201
    app: Oxychain,
    world: World,
    lot_id: int,
    position: int,
    values: dict,
    note: str = "",
    sign: bool = True,
):
    cmd = units.RecordUnit(lot_id, position, "6", dict(values), note, sign=sign)
    return units.record_unit(app.uow(world.inspector, write=True), cmd)


def counts(app: Oxychain) -> tuple[int, int, int]:
    with app.uow(SYSTEM) as uow:
        s = uow.session
        return (
            s.scalar(select(func.count()).select_from(Device)),
            s.scalar(select(func.count()).select_from(Lot)),
            s.scalar(select(func.count()).select_from(AuditEvent)),
        )


def test_rejected_lot_reoffered_under_tightened_inspection(app: Oxychain, world: World) -> None:
    lot_id = offer(app, world, serial_csv(500, "REJ"))
    view = views.lot_view(app.uow(world.officer), lot_id)
    assert (view.plan.sample_size, view.plan.accept, view.plan.reject) == (50, 3, 4)
    sample = assign_and_draw(app, world, lot_id)
    assert len(sample) == 50
    for position in (1, 2, 3):
        outcome = record(app, world, lot_id, position, BAD_UNIT)
        assert not outcome.passed and outcome.lot_status == "sampled"
        assert set(outcome.failures) == {"noise_dba", "alarm_no_flow"}
    outcome = record(app, world, lot_id, 4, BAD_UNIT)
    assert outcome.lot_status == "rejected" and outcome.failed_units == 4
    with app.uow(SYSTEM) as uow:
        qa = uow.inspection.qa_counts(lot_id)
        history = uow.inspection.switching_history(world.supplier_id, view.lot.item_id)
    assert qa == {"rejected": 500}
    assert [(r.severity, r.recent) for r in history] == [("normal", "R")]
    # The verdict is binding: no more readings.
    with pytest.raises(Conflict, match="closed"):
        record(app, world, lot_id, 5, GOOD_UNIT)

    # The re-offer: the rejected units may not come back; other serials may.
    with pytest.raises(FileRejected) as refused:
        svc.reoffer_lot(
            app.uow(world.supplier, write=True),
            svc.ReofferLot(lot_id, "Noida", TODAY, SerialFile("s.csv", serial_csv(500, "REJ"))),
        )
    assert len(refused.value.rows) == 200 and refused.value.params["count"] == 500
    assert "already in the registry" in refused.value.rows[0][2]
    again = svc.reoffer_lot(
        app.uow(world.supplier, write=True),
        svc.ReofferLot(lot_id, "Noida", TODAY, SerialFile("s.csv", serial_csv(500, "NEW"))),
    )
    second = views.lot_view(app.uow(world.officer), again)
    assert second.lot.version == 2 and second.previous.id == lot_id
    assert (second.plan.sample_size, second.plan.accept, second.plan.reject) == (50, 2, 3)
    assign_and_draw(app, world, again)
    record(app, world, again, 1, GOOD_UNIT)
    for position in range(2, 51):
        outcome = units.copy_last_unit(
            app.uow(world.inspector, write=True), again, position, sign=True
        )
    assert outcome.lot_status == "accepted" and outcome.tested == 50
    with app.uow(SYSTEM) as uow:
        assert uow.inspection.qa_counts(again) == {"accepted": 500}
        assert uow.inspection.qa_counts(lot_id) == {"rejected": 500}
        # A re-offered lot does not count for switching (ISO 2859-1, 9.3.2).
        assert len(uow.inspection.switching_history(world.supplier_id, second.lot.item_id)) == 1
        assert uow.audit_log.verify() is None
    clock = views.tranche_inspection(app.uow(world.officer), world.tranche_id)
    assert (clock.accepted, clock.rejected, clock.under_inspection) == (500, 500, 0)


def test_the_seed_in_the_audit_trail_reproduces_the_sample(app: Oxychain, world: World) -> None:
    lot_id = offer(app, world, serial_csv(300))
    sample = assign_and_draw(app, world, lot_id)
    with app.uow(SYSTEM) as uow:
        event = uow.session.scalar(
            select(AuditEvent).where(
                AuditEvent.action == "lot.sample", AuditEvent.entity_id == str(lot_id)
            )
        )
        serials = [d.serial for d in uow.inspection.devices_of_lot(lot_id)]
    seed = event.after["seed"]
    assert tuple(event.after["sample"]) == sample
    assert inspection.draw_sample(serials, len(sample), seed) == sample
    assert event.after["plan"]["sample_size"] == len(sample) == 50


def test_accepted_lot_with_failed_units_and_a_replacement(app: Oxychain, world: World) -> None:
    # AQL 4.0, lot of 100: n = 20, Ac 2, Re 3.
    po_world = make_world(app, quantity=100, aql="4.0")
    lot_id = offer(app, po_world, serial_csv(100, "ACC4"))
    assign_and_draw(app, po_world, lot_id)
    plan = views.lot_view(app.uow(po_world.officer), lot_id).plan
    assert (plan.sample_size, plan.accept, plan.reject) == (20, 2, 3)
    record(app, po_world, lot_id, 1, BAD_UNIT)
    for position in range(2, 21):
        record(app, po_world, lot_id, position, GOOD_UNIT)
    lot_view = views.lot_view(app.uow(po_world.officer), lot_id)
    assert lot_view.lot.status == "accepted" and lot_view.qa_counts == {
        "accepted": 99,
        "rejected": 1,
    }
    failed = lot_view.samples[0].device.serial
    # The supplier replaces the failed unit; the replacement is tested on its own.
    position = units.replace_unit(
        app.uow(po_world.supplier, write=True),
        units.ReplaceUnit(lot_id, 1, "REPL-0001", "Ganga", "GX-5", date(2026, 1, 20)),
    )
    assert position == 21
    outcome = record(app, po_world, lot_id, 21, GOOD_UNIT)
    assert outcome.passed and outcome.lot_status == "accepted"
    with app.uow(SYSTEM) as uow:
        assert uow.inspection.device(failed).qa_status == "replaced"
        assert uow.inspection.device("REPL-0001").qa_status == "accepted"
    with pytest.raises(Conflict):
        units.replace_unit(
            app.uow(po_world.supplier, write=True),
            units.ReplaceUnit(lot_id, 1, "REPL-0002", "Ganga", "GX-5", date(2026, 1, 20)),
        )


def test_a_correction_is_a_new_version_with_a_reason(app: Oxychain, world: World) -> None:
    lot_id = offer(app, world, serial_csv(100))
    assign_and_draw(app, world, lot_id)
    draft = record(app, world, lot_id, 1, BAD_UNIT, sign=False)
    assert not draft.signed and draft.failed_units == 0  # a draft does not count
    with pytest.raises(InvalidInput, match="Say why"):
        record(app, world, lot_id, 1, GOOD_UNIT)
    outcome = record(app, world, lot_id, 1, GOOD_UNIT, note="analyser was not calibrated")
    assert outcome.version == 2 and outcome.passed and outcome.failed_units == 0
    assert outcome.signed and outcome.tested == 1
    with pytest.raises(Conflict, match="signed"):  # a signed unit's readings are closed
        record(app, world, lot_id, 1, BAD_UNIT, note="second thoughts")
    versions = views.unit_readings(app.uow(world.officer), lot_id, 1)
    assert [v for v, _ in versions] == [1, 2]
    assert any(not r.passed for r in versions[0][1]) and all(r.passed for r in versions[1][1])


def test_warm_up_and_incomplete_readings_change_nothing(app: Oxychain, world: World) -> None:
    lot_id = offer(app, world, serial_csv(100))
    assign_and_draw(app, world, lot_id)
    before = counts(app)
    with pytest.raises(InvalidInput, match="warm-up"):
        units.record_unit(
            app.uow(world.inspector, write=True),
            units.RecordUnit(lot_id, 1, "3", dict(GOOD_UNIT), sign=True),
        )
    partial = {k: v for k, v in GOOD_UNIT.items() if k != "noise_dba"}
    with pytest.raises(InvalidInput, match="noise_dba"):
        record(app, world, lot_id, 1, partial)
    with pytest.raises(InvalidInput):
        record(app, world, lot_id, 1, {**GOOD_UNIT, "noise_dba": "quiet"})
    assert counts(app) == before


def test_scope_suppliers_and_agencies(app: Oxychain, world: World) -> None:
    with pytest.raises(Forbidden):
        svc.offer_lot(
            app.uow(world.other_supplier, write=True),
            svc.OfferLot(world.tranche_id, "X", TODAY, SerialFile("s.csv", serial_csv(10))),
        )
    lot_id = offer(app, world, serial_csv(10))
    with pytest.raises(Forbidden):  # not yet assigned to any agency
        svc.draw_sample(app.uow(world.inspector, write=True), lot_id)
    svc.assign_lot(
        app.uow(world.officer, write=True),
        svc.AssignLot(lot_id, world.agency_id, world.inspector.user_id),
    )
    with pytest.raises(Forbidden):
        svc.draw_sample(app.uow(world.other_inspector, write=True), lot_id)
    with pytest.raises(Forbidden):
        views.lot_view(app.uow(world.other_supplier), lot_id)
    with pytest.raises(Forbidden):
        svc.assign_lot(
            app.uow(world.auditor, write=True),
            svc.AssignLot(lot_id, world.agency_id, world.inspector.user_id),
        )
    with pytest.raises(InvalidInput, match="does not work for"):
        svc.assign_lot(
            app.uow(world.officer, write=True),
            svc.AssignLot(lot_id, world.other_agency_id, world.inspector.user_id),
        )
    assert [s.lot.id for s in views.list_lots(app.uow(world.other_supplier))] == []
    assert [s.lot.id for s in views.list_lots(app.uow(world.other_inspector))] == []
    assert [s.lot.id for s in views.list_lots(app.uow(world.inspector))] == [lot_id]


def _xlsx_junk() -> bytes:
    return b"PK\x03\x04" + os.urandom(2000)


@pytest.mark.parametrize(
    ("case", "fragment"),
    [
        ("wrong_columns", "Wrong columns"),
        ("duplicates", "also on row"),
        ("registered", "already in the registry"),
        ("junk", "not a CSV text"),
        ("too_many", "needs only"),
    ],
)
def test_bad_serial_files_change_nothing(
    app: Oxychain, world: World, case: str, fragment: str
) -> None:
    offer(app, world, serial_csv(5, "TAKEN"))
    before = counts(app)
    data = {
        "wrong_columns": b"serial,brand,model\nX-1,a,b\n",
        "duplicates": serial_csv(3, "DUP") + b"DUP-00001,Ganga,GX-5,2026-01-01\n",
        "registered": serial_csv(3, "FRESH") + b"TAKEN-00002,Ganga,GX-5,2026-01-01\n",
        "junk": _xlsx_junk(),
        "too_many": serial_csv(996, "MANY"),
    }[case]
    name = "serials.xlsx" if case == "junk" else "serials.csv"
    with pytest.raises((FileRejected, InvalidInput)) as refused:
        offer(app, world, data, name)
    error = refused.value
    text = " ".join(r[2] for r in getattr(error, "rows", [])) + error.message
    assert fragment in text
    assert counts(app) == before


def test_the_database_refuses_to_dispatch_a_device_inspection_did_not_accept(
    app: Oxychain, world: World
) -> None:
    """The distribution area's dispatch lines carry (device_id, device_qa_status) → devices
    (id, qa_status) with CHECK = 'accepted'; a stand-in table here checks the constraint."""
    accepted_lot = offer(app, world, serial_csv(10, "OKAY"))
    rejected_lot = offer(app, world, serial_csv(10, "BAD"))
    with app.uow(SYSTEM, write=True) as uow:
        uow.inspection.set_qa_status(accepted_lot, "accepted")
        uow.inspection.set_qa_status(rejected_lot, "rejected")
        uow.commit()
    meta = MetaData()
    meta.reflect(app.engine, only=["devices"])
    lines = Table(
        "test_dispatch_lines",
        meta,
        Column("id", Integer, primary_key=True),
        Column("device_id", Integer, nullable=False),
        Column("device_qa_status", String(16), nullable=False, default="accepted"),
        ForeignKeyConstraint(
            ["device_id", "device_qa_status"], ["devices.id", "devices.qa_status"]
        ),
        CheckConstraint("device_qa_status = 'accepted'", name="ck_test_dispatch_accepted"),
    )
    meta.create_all(app.engine, tables=[lines])
    with app.uow(SYSTEM) as uow:
        good = uow.inspection.devices_of_lot(accepted_lot)[0]
        bad = uow.inspection.devices_of_lot(rejected_lot)[0]
    with app.engine.begin() as conn:
        conn.execute(lines.insert().values(device_id=good.id, device_qa_status="accepted"))
    for status in ("accepted", "rejected"):
        with pytest.raises(IntegrityError), app.engine.begin() as conn:
            conn.execute(lines.insert().values(device_id=bad.id, device_qa_status=status))
    # A device on a dispatch line cannot be turned back into something else.
    with pytest.raises(IntegrityError), app.engine.begin() as conn:
        conn.execute(
            Device.__table__.update().where(Device.id == good.id).values(qa_status="rejected")
        )
    with app.engine.begin() as conn:
        assert conn.scalar(select(func.count()).select_from(lines)) == 1


def test_switching_history_moves_to_tightened_after_two_rejections(
    app: Oxychain, world: World
) -> None:
    states = []
    for _ in range(2):
        lot_id = offer(app, world, serial_csv(20))
        assign_and_draw(app, world, lot_id)  # n = 5, Ac 0, Re 1
        record(app, world, lot_id, 1, BAD_UNIT)
        with app.uow(SYSTEM) as uow:
            states.append(
                uow.session.scalars(select(SwitchingRecord).order_by(SwitchingRecord.id)).all()[-1]
            )
    assert [(s.severity, s.reason) for s in states] == [
        ("normal", None),
        ("tightened", "normal_to_tightened"),
    ]
    lot_id = offer(app, world, serial_csv(20))
    view = views.lot_view(app.uow(world.officer), lot_id)
    assert view.plan.sample_size == 8  # tightened: C → 2-B's arrow to D (n = 8, Ac 0)
