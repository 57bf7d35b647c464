"""Challans, receipts, loans, coverage, the SLA clock, uptime and maintenance: the rules."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from oxychain.core.errors import InvalidInput
from oxychain.distribution.domain import challan as challans
from oxychain.distribution.domain import loan as loans
from oxychain.distribution.domain import maintenance, ticket
from oxychain.distribution.domain.maintenance import Coverage, Interval, Uptime

PEPPER = "test-pepper-not-secret"


@pytest.mark.parametrize(
    ("typed", "mark"),
    [("UP 32 AB 1234", "UP32AB1234"), ("up-78-t-9", "UP78T9"), ("DL1C0001", "DL1C0001")],
)
def test_vehicle_numbers_are_read_as_indian_registration_marks(typed: str, mark: str) -> None:
    assert challans.check_truck(typed, "  Ram   Kumar ") == challans.Truck(mark, "Ram Kumar")


@pytest.mark.parametrize(("vehicle", "driver"), [("TRUCK 1", "Ram"), ("UP32AB1234", " ")])
def test_a_challan_needs_a_readable_vehicle_and_a_driver(vehicle: str, driver: str) -> None:
    with pytest.raises(InvalidInput):
        challans.check_truck(vehicle, driver)


def test_serials_are_trimmed_deduplicated_and_junk_refused() -> None:
    assert challans.clean_serials([" oc-1", "OC-2", "", "OC-1"]) == ["OC-1", "OC-2"]
    with pytest.raises(InvalidInput, match="not a serial"):
        challans.clean_serials(["OC-1", "<script>"])
    with pytest.raises(InvalidInput, match="at least one"):
        challans.check_load([])


def test_a_receipt_reports_missing_and_extra_serials() -> None:
    got = challans.reconcile(["A1", "A2", "A3", "A4"], ["A2", "X9", "A1", "A2", "A4"])
    assert got.received == ["A1", "A2", "A4"]
    assert got.missing == ["A3"]
    assert got.extra == ["X9"]
    assert got.status is challans.ChallanStatus.DISCREPANT
    clean = challans.reconcile(["A1", "A2"], ["A2", "A1"])
    assert clean.status is challans.ChallanStatus.RECEIVED


def test_tranche_delivery_counts_up_to_the_quantity_and_keeps_the_latest_date() -> None:
    first = challans.deliver_to_tranche(100, 0, None, 60, date(2021, 5, 10))
    assert first == challans.TrancheDelivery(60, date(2021, 5, 10))
    second = challans.deliver_to_tranche(100, 60, first.delivered_on, 50, date(2021, 5, 20))
    assert second == challans.TrancheDelivery(100, date(2021, 5, 20))
    # Surplus beyond the tranche is not a delivery against it: the date stays.
    third = challans.deliver_to_tranche(100, 100, second.delivered_on, 5, date(2021, 6, 1))
    assert third == second


@pytest.mark.parametrize(
    "typed", ["9876543210", "+91 98765 43210", "098765-43210", "0091 9876543210"]
)
def test_mobile_numbers_normalise_to_ten_digits_and_hash_alike(typed: str) -> None:
    assert loans.normalise_mobile(typed) == "9876543210"
    assert loans.phone_hash(typed, PEPPER) == loans.phone_hash("9876543210", PEPPER)


def test_the_phone_hash_is_keyed_and_never_the_number() -> None:
    digest = loans.phone_hash("9876543210", PEPPER)
    assert "9876543210" not in digest and len(digest) == 64
    assert digest != loans.phone_hash("9876543210", "another-pepper")
    with pytest.raises(ValueError):
        loans.phone_hash("9876543210", "")


@pytest.mark.parametrize("typed", ["12345", "5876543210", "98765432101", "phone"])
def test_bad_mobile_numbers_are_refused(typed: str) -> None:
    with pytest.raises(InvalidInput, match="10 digits"):
        loans.normalise_mobile(typed)


def test_loan_terms_check_each_field() -> None:
    day = date(2021, 5, 1)
    terms = loans.loan_terms(
        "RX/2021/77", "LKO-HP-0042", "9876543210", day, day + timedelta(30), 5000, PEPPER
    )
    assert terms.deposit_paise == 5_00_000 and terms.due_on == date(2021, 5, 31)
    bad = [
        ("", "P-1", "9876543210", day + timedelta(30), 0),
        ("RX-1", "P-1", "9876543210", day, 0),
        ("RX-1", "P-1", "9876543210", day + timedelta(400), 0),
        ("RX-1", "P-1", "9876543210", day + timedelta(30), -5),
        ("RX-1", "<b>", "9876543210", day + timedelta(30), 0),
    ]
    for rx, patient, phone, due, deposit in bad:
        with pytest.raises(InvalidInput):
            loans.loan_terms(rx, patient, phone, day, due, deposit, PEPPER)
    assert loans.days_overdue(date(2021, 5, 31), date(2021, 6, 3)) == 3
    assert loans.days_overdue(date(2021, 5, 31), date(2021, 5, 3)) == 0


def test_warranty_then_cmc_then_nothing() -> None:
    start = date(2021, 5, 31)
    cover = maintenance.coverage(start, 24, 36, date(2023, 5, 30))
    assert cover.kind is Coverage.WARRANTY and cover.until == date(2023, 5, 30)
    cover = maintenance.coverage(start, 24, 36, date(2023, 5, 31))
    assert cover.kind is Coverage.CMC and cover.until == date(2026, 5, 30)
    assert maintenance.coverage(start, 24, 36, date(2026, 5, 31)).kind is Coverage.NONE
    assert maintenance.coverage(None, 24, 36, date(2022, 1, 1)).kind is Coverage.NONE
    assert maintenance.add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)


def test_the_sla_clock_runs_until_the_ticket_closes() -> None:
    opened = datetime(2021, 5, 1, 9, tzinfo=UTC)
    running = ticket.sla_clock(opened, 24, opened + timedelta(hours=20), None)
    assert not running.breached and running.hours_left == 4.0
    late = ticket.sla_clock(opened, 24, opened + timedelta(hours=30), None)
    assert late.breached and late.hours_left == -6.0
    closed = ticket.sla_clock(opened, 24, opened + timedelta(days=9), opened + timedelta(hours=5))
    assert not closed.breached
    assert ticket.sla_hours("chc", {"chc": 48}) == 48
    with pytest.raises(InvalidInput):
        ticket.sla_hours("moon", {"chc": 48})


def test_uptime_counts_faults_within_the_service_window() -> None:
    start, end = datetime(2021, 5, 1, tzinfo=UTC), datetime(2021, 5, 31, tzinfo=UTC)
    installed = Interval(datetime(2021, 5, 11, tzinfo=UTC), None)  # 20 days in the window
    faults = [
        Interval(datetime(2021, 5, 1, tzinfo=UTC), datetime(2021, 5, 12, tzinfo=UTC)),  # 1 day
        Interval(datetime(2021, 5, 30, tzinfo=UTC), None),  # open: 1 day to the window's end
    ]
    up = maintenance.device_uptime(installed, faults, start, end)
    assert up == Uptime(20 * 86400, 2 * 86400) and up.percent == 90.0
    assert maintenance.meets_target("chc", up) is True
    assert maintenance.meets_target("district_hospital", up) is False
    assert maintenance.meets_target("home", up) is None
    later = Interval(datetime(2021, 6, 5, tzinfo=UTC), None)
    assert maintenance.device_uptime(later, [], start, end).percent is None
    assert (up + up).percent == 90.0
    with pytest.raises(InvalidInput):
        maintenance.device_uptime(installed, [], end, start)


def test_bmmp_targets_are_95_90_85() -> None:
    assert maintenance.UPTIME_TARGETS == {"district_hospital": 95.0, "chc": 90.0, "phc": 85.0}


def test_preventive_maintenance_falls_due_after_the_interval() -> None:
    due = maintenance.next_maintenance(date(2021, 1, 1), None, 90, date(2021, 4, 10))
    assert due.due_on == date(2021, 4, 1) and due.overdue_days == 9
    done = maintenance.next_maintenance(date(2021, 1, 1), date(2021, 4, 5), 90, date(2021, 4, 10))
    assert done.due_on == date(2021, 7, 4) and done.overdue_days == 0
