"""Dispatch, receipt with discrepancies, installation, acceptance, loans, faults and stock,
through the services, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, text

from oxychain.core.bootstrap import Oxychain
from oxychain.core.errors import Conflict, Forbidden, InvalidInput
from oxychain.core.people import SYSTEM, Role
from oxychain.distribution.services import acceptance, challans, loans, scanning, stock, tickets
from oxychain.distribution.services.scanning import ScanIn
from oxychain.distribution.tables import ChallanLine, DeviceEvent
from tests.distribution.support import make_world, person

TERMS = tickets.ServiceTerms(24, 36, {"district_hospital": 24, "chc": 48, "phc": 72, "home": 48})
PEPPER = "test-pepper-0123456789"


def now() -> datetime:
    return datetime.now(UTC)


def scan(serial: str, event: str, **kw) -> ScanIn:  # noqa: ANN003
    return ScanIn(key=uuid.uuid4(), serial=serial, event=event, at=now(), **kw)


def scans(app: Oxychain, who, batch: list[ScanIn]) -> list[scanning.ScanOut]:  # noqa: ANN001
    return scanning.record_scans(app.uow(who, write=True), batch, now())


def dispatch(app: Oxychain, world, serials: list[str]):  # noqa: ANN001, ANN201
    load = challans.Load(serials=tuple(serials), vehicle="UP 32 AB 1234", driver="Ram Kumar")
    return challans.dispatch_from_tranche(
        app.uow(world.people["supplier"], write=True),
        challans.TrancheChallan(world.tranche_id, load),
        now(),
    )


def count_events(app: Oxychain) -> int:
    with app.uow(SYSTEM) as uow:
        return uow.session.scalar(select(func.count()).select_from(DeviceEvent))


def test_dispatch_receipt_with_discrepancies_feeds_the_tranche(app: Oxychain) -> None:
    world = make_world(app, count=12)
    keeper = world.people["warehouse_keeper"]
    challan = dispatch(app, world, world.serials[:10])
    assert challan.number.startswith("DC-") and challan.status == "in_transit"
    # A device from a rejected lot never goes on a truck, and nothing changes.
    before = count_events(app)
    with pytest.raises(InvalidInput, match="has not passed inspection"):
        dispatch(app, world, [world.serials[10], world.rejected[0]])
    assert count_events(app) == before
    received = [scan(s, "receive", challan=challan.number) for s in world.serials[:9]]
    extra = scan(world.serials[11], "receive", challan=challan.number)  # not on this challan
    results = scans(app, keeper, [*received, extra])
    assert [r.status for r in results] == ["stored"] * 9 + ["extra"]
    assert all(r.state == "received" for r in results[:9])
    with pytest.raises(Conflict, match="never scanned: confirm"):  # nothing marked missing
        challans.close_receipt(app.uow(keeper, write=True), challan.number, now())
    assert challans.get_challan(app.uow(keeper), challan.number).discrepancies[0].kind == "extra"
    result = challans.close_receipt(app.uow(keeper, write=True), challan.number, now(), True)
    assert result.missing == [world.serials[9]] and result.extra == [world.serials[11]]
    view = challans.get_challan(app.uow(keeper), challan.number)
    assert view.challan.status == "received_with_discrepancies"
    assert {(d.kind, d.serial) for d in view.discrepancies} == {
        ("missing", world.serials[9]),
        ("extra", world.serials[11]),
    }
    with app.uow(SYSTEM) as uow:
        tranche = uow.contracts.tranche(world.tranche_id)
        assert tranche.delivered_quantity == 9
        assert tranche.delivered_on == now().date()
    with pytest.raises(Conflict, match="already received"):
        challans.close_receipt(app.uow(keeper, write=True), challan.number, now(), True)


def test_a_full_challan_closes_itself_when_every_serial_is_scanned(app: Oxychain) -> None:
    world = make_world(app, count=4)
    challan = dispatch(app, world, world.serials)
    scans(
        app,
        world.people["warehouse_keeper"],
        [scan(s, "receive", challan=challan.number) for s in world.serials],
    )
    view = challans.get_challan(app.uow(world.people["auditor"]), challan.number)
    assert view.challan.status == "received" and view.discrepancies == []
    assert all(at is not None for _serial, at in view.lines)


def test_the_same_scan_twice_makes_one_event(app: Oxychain) -> None:
    world = make_world(app, count=2)
    dispatch(app, world, world.serials)
    keeper = world.people["warehouse_keeper"]
    once = scan(world.serials[0], "receive")
    first = scans(app, keeper, [once, once])
    assert [r.status for r in first] == ["stored", "duplicate"]
    again = scans(app, keeper, [once])
    assert again[0].status == "duplicate" and again[0].state == "received"
    with app.uow(SYSTEM) as uow:
        n = uow.session.scalar(
            select(func.count())
            .select_from(DeviceEvent)
            .where(DeviceEvent.idempotency_key == once.key)
        )
    assert n == 1


def test_illegal_and_out_of_scope_scans_are_refused_one_by_one(app: Oxychain) -> None:
    world = make_world(app, count=3)
    dispatch(app, world, world.serials[:2])
    keeper = world.people["warehouse_keeper"]
    stranger = person(app, Role.WAREHOUSE_KEEPER, _other_warehouse(app, world))
    out = scans(app, stranger, [scan(world.serials[0], "receive")])
    assert out[0].status == "refused" and out[0].error == "forbidden"
    # The district officer may install in the district, but not a device still on a truck.
    officer = world.people["district_officer"]
    out = scans(app, officer, [scan(world.serials[0], "install")])
    assert out[0].status == "refused" and out[0].error == "illegal_transition"
    assert out[0].params["state"] == "dispatched" and "dispatched" in out[0].message.format(
        **out[0].params
    )
    out = scans(
        app,
        keeper,
        [
            scan(world.serials[2], "receive"),  # never dispatched: still at the supplier's
            scan("NO-SUCH-SERIAL", "receive"),
            scan(world.serials[1], "dispatch"),  # only on a challan
            scan(world.serials[1], "receive"),
        ],
    )
    assert [r.status for r in out] == ["refused"] * 3 + ["stored"]
    assert [r.error for r in out[:3]] == ["forbidden", "not_found", "invalid_input"]
    with pytest.raises(Forbidden):
        scans(app, world.people["auditor"], [scan(world.serials[1], "issue")])


def test_a_refused_move_in_the_keepers_district_says_why(app: Oxychain) -> None:
    """Issuing again a device the keeper issued says "it is issued", not "not allowed"
    (issue 13); of a device in another district a keeper learns nothing: "forbidden"."""
    world = make_world(app, count=1)
    keeper = world.people["warehouse_keeper"]
    challan = dispatch(app, world, world.serials)
    scans(app, keeper, [scan(world.serials[0], "receive", challan=challan.number)])
    issue = {"to_kind": "facility", "to_code": world.facility_code}
    assert scans(app, keeper, [scan(world.serials[0], "issue", **issue)])[0].status == "stored"
    again = scans(app, keeper, [scan(world.serials[0], "issue", **issue)])[0]
    assert (again.status, again.error) == ("refused", "illegal_transition")
    assert again.params["state"] == "issued" and again.params["event"] == "issue"
    elsewhere = make_world(app, count=1).people["warehouse_keeper"]
    far = scans(app, elsewhere, [scan(world.serials[0], "issue", **issue)])[0]
    assert (far.status, far.error) == ("refused", "forbidden") and "state" not in far.params


def _other_warehouse(app: Oxychain, world) -> int:  # noqa: ANN001
    with app.uow(SYSTEM) as uow:
        return uow.dispatch.warehouse_by_code(world.other_warehouse_code).id


def _to_facility(app: Oxychain, world, serials: list[str]) -> None:  # noqa: ANN001
    challan = dispatch(app, world, serials)
    keeper, incharge = world.people["warehouse_keeper"], world.people["facility_incharge"]
    scans(app, keeper, [scan(s, "receive", challan=challan.number) for s in serials])
    issued = scans(
        app,
        keeper,
        [scan(s, "issue", to_kind="facility", to_code=world.facility_code) for s in serials],
    )
    assert {r.status for r in issued} == {"stored"}
    installed = scans(app, incharge, [scan(s, "install") for s in serials])
    assert {r.state for r in installed} == {"installed"}


def test_installation_acceptance_certificate_and_warranty(app: Oxychain) -> None:
    world = make_world(app, count=3)
    _to_facility(app, world, world.serials[:2])
    incharge = world.people["facility_incharge"]
    certificate = acceptance.issue_certificate(
        app.uow(incharge, write=True), world.facility_code, world.serials[:2], TERMS, now()
    )
    assert certificate.payment_milestone == "due" and certificate.warranty_months == 24
    assert certificate.value_paise == 2 * 4_500_000
    with pytest.raises(Conflict, match="already on an acceptance certificate"):
        acceptance.issue_certificate(
            app.uow(incharge, write=True), world.facility_code, world.serials[:1], TERMS, now()
        )
    with pytest.raises(Conflict, match="not installed at this facility"):
        acceptance.issue_certificate(
            app.uow(incharge, write=True), world.facility_code, [world.serials[2]], TERMS, now()
        )
    ticket = tickets.report_fault(
        app.uow(incharge, write=True), world.serials[0], "No flow at 5 LPM", TERMS, now()
    )
    assert ticket.coverage == "warranty" and ticket.sla_hours == 24
    supplier = world.people["supplier"]
    tickets.start_repair(app.uow(supplier, write=True), ticket.number, now())
    done = tickets.resolve(
        app.uow(supplier, write=True), ticket.number, "Sieve bed replaced", now()
    )
    assert done.status == "resolved"
    out = scans(app, incharge, [scan(world.serials[0], "install")])
    assert out[0].state == "installed"
    report = stock.uptime_report(app.uow(incharge), "facility", world.facility_code, 30, now())
    assert {line.label for line in report.lines} == set(world.serials[:2])
    assert report.total.down_seconds >= 0 and report.lines[0].target == 95.0


def test_home_loan_and_back_to_available(app: Oxychain) -> None:
    world = make_world(app, count=2)
    challan = dispatch(app, world, world.serials)
    keeper, officer = world.people["warehouse_keeper"], world.people["district_officer"]
    scans(app, keeper, [scan(s, "receive", challan=challan.number) for s in world.serials])
    due = now().date() + timedelta(days=14)
    cmd = loans.IssueLoan(
        world.serials[0], "RX/21/0042", "HP-LKO-0042", "+91 98765 43210", due, 5000
    )
    loan = loans.issue_loan(app.uow(officer, write=True), cmd, PEPPER, now())
    assert loan.status == "open" and len(loan.phone_hash) == 64
    second = loans.IssueLoan(world.serials[1], "RX/21/0043", "HP-LKO-0043", "9876543210", due, 0)
    with pytest.raises(Conflict, match="one device per household"):
        loans.issue_loan(app.uow(officer, write=True), second, PEPPER, now())
    late = loans.list_loans(app.uow(officer), due + timedelta(days=3), overdue=True)
    assert [(r.loan.number, r.days_overdue) for r in late] == [(loan.number, 3)]
    loans.return_loan(app.uow(officer, write=True), loan.number, now())
    steps = scans(
        app, keeper, [scan(world.serials[0], e) for e in ("sanitise", "retest", "release")]
    )
    assert [r.state for r in steps] == ["sanitised", "retested", "available"]
    with app.uow(SYSTEM) as uow:
        dumped = " ".join(str(v) for v in uow.session.execute(text("SELECT * FROM loans")).one())
    assert "98765" not in dumped


def test_stock_views_count_by_state_with_ageing(app: Oxychain) -> None:
    world = make_world(app, count=5)
    _to_facility(app, world, world.serials[:2])
    challan = dispatch(app, world, world.serials[2:])
    scans(
        app,
        world.people["warehouse_keeper"],
        [scan(world.serials[2], "receive", challan=challan.number)],
    )
    officer = world.people["district_officer"]
    district = stock.place_stock(app.uow(officer), "district", world.district_code, now())
    assert district.by_state() == {"installed": 2, "received": 1, "dispatched": 2}
    assert district.installed_by_kind == {"district_hospital": 2}
    facility = stock.place_stock(
        app.uow(world.people["facility_incharge"]), "facility", world.facility_code, now()
    )
    assert facility.by_state() == {"installed": 2}
    assert facility.rows[0].by_age == (2, 0, 0, 0)
    warehouse = stock.place_stock(
        app.uow(world.people["warehouse_keeper"]), "warehouse", world.warehouse_code, now()
    )
    assert warehouse.by_state() == {"received": 1, "dispatched": 2}
    with pytest.raises(Forbidden):
        stock.place_stock(
            app.uow(world.people["warehouse_keeper"]), "facility", world.facility_code, now()
        )


def test_challan_lines_refuse_a_device_that_did_not_pass_inspection(app: Oxychain) -> None:
    world = make_world(app, count=1)
    challan = dispatch(app, world, world.serials)
    with app.uow(SYSTEM, write=True) as uow:
        rejected = uow.ledger.device(world.rejected[0])
        with pytest.raises(Exception, match="(?i)foreign key|violates|constraint"):
            uow.session.add(ChallanLine(challan_id=challan.id, device_id=rejected.id))
            uow.session.flush()
    with app.uow(SYSTEM, write=True) as uow:
        device = uow.ledger.device(world.serials[0])
        with pytest.raises(Exception, match="(?i)foreign key|violates|constraint"):
            device.qa_status = "rejected"  # a dispatched device's verdict cannot be undone
            uow.session.flush()


def test_scan_events_are_append_only(app: Oxychain) -> None:
    world = make_world(app, count=1)
    dispatch(app, world, world.serials)
    for statement in ("UPDATE device_events SET actor = 'x'", "DELETE FROM device_events"):
        with app.uow(SYSTEM, write=True) as uow, pytest.raises(Exception, match="append-only"):
            uow.session.execute(text(statement))
