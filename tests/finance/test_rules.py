"""Finance's pure rules: rounding to the rupee, payment terms, a bill's lines, its status and
payments, maker-checker, and each deduction with its source."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from oxychain.core.errors import Conflict, InvalidInput
from oxychain.core.states import IllegalTransition
from oxychain.finance.domain import deductions as d
from oxychain.finance.domain.bill import (
    BILL,
    BillStatus,
    DeviceRecord,
    Line,
    check_checker,
    check_claim,
    check_payment,
    check_reference,
    clean_serials,
    compute,
    price_before_gst,
)
from oxychain.finance.domain.ledger import Account, bucket
from oxychain.finance.domain.money import inr, to_rupee
from oxychain.finance.domain.terms import Event, check_editable, make_terms
from oxychain.tendering.domain.purchase_order import Delivery, liquidated_damages

# --- rounding: to the rupee, 50 paise up ---------------------------------------------------


@pytest.mark.parametrize(
    ("paise", "rupee"),
    [
        (0, 0),
        (49, 0),
        (50, 100),
        (149, 100),
        (150, 200),
        (12_345_649, 12_345_600),
        (12_345_650, 12_345_700),
        (-50, -100),
    ],
)
def test_amounts_round_to_the_rupee_half_up(paise: int, rupee: int) -> None:
    assert to_rupee(paise) == rupee


def test_a_line_rounds_its_value_then_its_gst_each_to_the_rupee() -> None:
    # 3 units at ₹41,500.33 × 80 % = ₹99,600.792 → ₹99,601; GST 12 % = ₹11,952.12 → ₹11,952.
    line = Line(1, 1, 1, 3, 41_500_33, 8000, 1200)
    assert (line.taxable_paise, line.gst_paise, line.gross_paise) == (
        99_601_00,
        11_952_00,
        111_553_00,
    )
    # exactly half a rupee goes up: 1 unit of ₹0.625 × 80 % = 50 paise
    assert Line(1, 1, 1, 1, 62, 8000, 0).taxable_paise == 0  # 49.6 paise: down
    assert Line(1, 1, 1, 1, 63, 8000, 0).taxable_paise == 100  # 50.4 paise: up
    assert Line(1, 1, 1, 1, 125, 4000, 0).taxable_paise == 100  # 50.0 paise: up


def test_money_in_reasons_reads_with_indian_grouping() -> None:
    assert inr(12_345_678_00) == "₹1,23,45,678"
    assert inr(1_234_50) == "₹1,234.50"


def test_the_price_before_gst_is_the_bids_own_or_l1s_landed_price_less_gst() -> None:
    assert price_before_gst(46_480_00, 41_500_00, 46_480_00, 1200) == 41_500_00
    # a bidder who matched L1's landed ₹46,480 at 18 % GST: 46,480 / 1.18 = 39,389.83
    assert price_before_gst(46_480_00, 44_000_00, 51_920_00, 1800) == 39_389_83


# --- payment terms -----------------------------------------------------------------------------


def test_terms_have_known_milestones_in_order_adding_up_to_a_hundred_percent() -> None:
    terms = make_terms([("receipt", 8000), ("installation", 2000)], 30, 500_00)
    assert terms.share(Event.RECEIPT) == 8000 and terms.events == (
        Event.RECEIPT,
        Event.INSTALLATION,
    )
    assert make_terms([("installation", 10_000)], 45, 0).share("installation") == 10_000
    for milestones in (
        [("receipt", 8000), ("installation", 1000)],
        [("installation", 2000), ("receipt", 8000)],
        [("receipt", 5000), ("receipt", 5000)],
        [("dispatch", 10_000)],
        [],
    ):
        with pytest.raises(InvalidInput):
            make_terms(milestones, 30, 0)
    with pytest.raises(InvalidInput):
        make_terms([("receipt", 10_000)], 0, 0)
    with pytest.raises(InvalidInput):
        make_terms([("receipt", 10_000)], 30, 50)  # not whole rupees
    with pytest.raises(InvalidInput):
        make_terms([("receipt", 10_000)], 30, 0).share(Event.INSTALLATION)


def test_terms_change_only_while_the_tender_is_a_draft() -> None:
    check_editable("draft")
    for status in ("published", "closed", "awarded", "cancelled"):
        with pytest.raises(Conflict):
            check_editable(status)


# --- what a bill may claim --------------------------------------------------------------------

TODAY = date(2026, 12, 7)


def _device(**kw) -> DeviceRecord:  # noqa: ANN003
    base = dict(
        device_id=1,
        serial="S-0001",
        qa_status="accepted",
        tranche_id=9,
        received_on=TODAY,
        missing=False,
        certified_on=None,
    )
    return DeviceRecord(**{**base, **kw})


def test_a_bill_claims_only_accepted_devices_that_reached_the_milestone_once() -> None:
    check_claim(_device(), "S-0001", Event.RECEIPT, None)
    check_claim(_device(certified_on=TODAY), "S-0001", Event.INSTALLATION, None)
    refusals = {
        "rejected in inspection": (_device(qa_status="rejected"), Event.RECEIPT, None),
        "replaced": (_device(qa_status="replaced"), Event.RECEIPT, None),
        "missing": (_device(received_on=None, missing=True), Event.RECEIPT, None),
        "not yet received": (_device(received_on=None), Event.RECEIPT, None),
        "not certified": (_device(), Event.INSTALLATION, None),
        "claimed twice": (_device(), Event.RECEIPT, "BILL-2026-000001"),
    }
    for why, (device, event, holder) in refusals.items():
        with pytest.raises(Conflict):
            check_claim(device, "S-0001", event, holder)
            pytest.fail(why)
    with pytest.raises(InvalidInput):
        check_claim(None, "S-9999", Event.RECEIPT, None)


def test_serials_are_cleaned_and_bounded() -> None:
    assert clean_serials([" s-1a ", "S-1A", "", "x-22"]) == ["S-1A", "X-22"]
    for bad in ([], ["   "], ["a"], ["BAD SERIAL"]):
        with pytest.raises(InvalidInput):
            clean_serials(bad)


# --- status, maker-checker, payments -------------------------------------------------------------


def test_a_bill_moves_only_by_its_lifecycle() -> None:
    assert BILL.move("draft", "submit") is BillStatus.SUBMITTED
    assert BILL.move("submitted", "pass") is BillStatus.PASSED
    assert BILL.move("submitted", "reject") is BillStatus.REJECTED
    assert BILL.allowed_actions("passed") == {"pay", "settle"}
    assert BILL.is_final("paid") and BILL.is_final("rejected")
    with pytest.raises(IllegalTransition):
        BILL.move("draft", "pass")
    with pytest.raises(IllegalTransition):
        BILL.move("paid", "settle")


def test_the_checker_is_neither_the_maker_nor_the_submitter() -> None:
    check_checker(entered_by=5, submitted_by=5, checker=7)
    for checker in (5, 6):
        with pytest.raises(Conflict):
            check_checker(entered_by=5, submitted_by=6, checker=checker)


def test_payments_are_partial_or_settle_never_more_than_is_left() -> None:
    args = dict(passed_on=TODAY - timedelta(days=3), today=TODAY, paid_on=TODAY)
    assert check_payment("passed", 1000_00, 0, 400_00, **args) == "pay"
    assert check_payment("partly_paid", 1000_00, 400_00, 600_00, **args) == "settle"
    with pytest.raises(Conflict):
        check_payment("partly_paid", 1000_00, 400_00, 600_01, **args)
    with pytest.raises(IllegalTransition):
        check_payment("submitted", 1000_00, 0, 1000_00, **args)
    with pytest.raises(IllegalTransition):
        check_payment("paid", 1000_00, 1000_00, 1_00, **args)
    with pytest.raises(InvalidInput):
        check_payment("passed", 1000_00, 0, 1_00, TODAY + timedelta(days=1), TODAY, TODAY)
    with pytest.raises(InvalidInput):
        check_payment(
            "passed", 1000_00, 0, 1_00, TODAY - timedelta(days=4), TODAY - timedelta(days=3), TODAY
        )
    assert check_reference(" sbinr52026120700001 ") == "SBINR52026120700001"
    with pytest.raises(InvalidInput):
        check_reference("12 34")


def test_deductions_larger_than_the_bill_are_refused() -> None:
    line = Line(1, 1, 1, 1, 1000_00, 10_000, 0)
    from oxychain.finance.domain.bill import Deduction

    with pytest.raises(Conflict):
        compute([line], [Deduction("recovery", 1001_00, "", {}, {})])
    assert compute([line], [Deduction("recovery", 1000_00, "", {}, {})]).net_paise == 0


# --- liquidated damages: tendering's rule, deducted once per tranche line -----------------------


def _line(deliveries) -> d.TrancheDeliveries:  # noqa: ANN001
    return d.TrancheDeliveries(
        "7:1:3", 1, "Lucknow", date(2026, 11, 1), 46_480_00, tuple(deliveries), 50, 1000
    )


def test_liquidated_damages_are_tendering_s_rule_on_the_late_part_rounded_to_the_rupee() -> None:
    deliveries = [(60, date(2026, 10, 30)), (30, date(2026, 11, 3)), (10, date(2026, 11, 20))]
    got = d.liquidated(_line(deliveries), 0, [])
    expected = liquidated_damages(
        quantity=100,
        unit_price_paise=46_480_00,
        due=date(2026, 11, 1),
        deliveries=[Delivery(q, on) for q, on in deliveries],
        as_of=date(2026, 11, 1),
        rate_bp_per_week=50,
        cap_bp=1000,
    )
    # 30 units 1 week late (0.5 %) and 10 units 3 weeks late (1.5 %)
    assert expected.total_paise == 30 * 46_480_00 * 50 // 10_000 + 10 * 46_480_00 * 150 // 10_000
    assert got.amount_paise == to_rupee(expected.total_paise)
    assert got.params["late"] == "40" and got.params["weeks"] == "3"
    # a later bill on the same line takes only what earlier bills did not
    later = d.liquidated(_line(deliveries), got.amount_paise - 500_00, ["BILL-2026-000001"])
    assert later.amount_paise == 500_00 and later.params["earlier"]
    assert d.liquidated(_line(deliveries), got.amount_paise, ["BILL-2026-000001"]) is None
    assert d.liquidated(_line([(100, date(2026, 11, 1))]), 0, []) is None  # on time


def test_liquidated_damages_are_capped() -> None:
    got = d.liquidated(_line([(10, date(2027, 6, 1))]), 0, [])
    assert got.amount_paise == 10 * 46_480_00 // 10  # 10 %


# --- statutory deductions as dated settings -----------------------------------------------------

GST = (d.DatedRate(date(2018, 10, 1), 200, 2_50_000_00, "CGST s. 51"),)
IT = (d.DatedRate(date(2021, 7, 1), 10, 50_00_000_00, "s. 194Q"),)


def test_tds_under_gst_applies_above_the_contracts_threshold_only() -> None:
    rate = d.in_force(GST, date(2026, 1, 1))
    assert d.in_force(GST, date(2018, 9, 30)) is None
    assert d.tds_gst(1_00_000_00, 2_50_000_00, rate) is None  # at the threshold: not above
    got = d.tds_gst(1_00_000_00, 2_50_000_01, rate)
    assert got.amount_paise == 2_000_00 and got.kind == "tds_gst"
    assert d.tds_gst(3_33_333_33, 10_00_000_00, rate).amount_paise == 6_667_00  # 6,666.67


def test_tds_under_income_tax_takes_the_part_of_the_year_above_the_threshold() -> None:
    rate = d.in_force(IT, date(2026, 5, 1))
    assert d.tds_income_tax(10_00_000_00, 30_00_000_00, rate, []) is None  # 40 lakh: under 50
    got = d.tds_income_tax(30_00_000_00, 30_00_000_00, rate, ["BILL-1"])
    assert got.amount_paise == 1_000_00  # 0.1 % of the 10 lakh above 50 lakh
    assert d.tds_income_tax(5_00_000_00, 60_00_000_00, rate, []).amount_paise == 500_00
    assert d.financial_year(date(2026, 3, 31)) == (date(2025, 4, 1), date(2026, 3, 31))
    assert d.financial_year(date(2026, 4, 1)) == (date(2026, 4, 1), date(2027, 3, 31))


def test_a_later_rate_takes_over_from_its_start() -> None:
    rates = (*GST, d.DatedRate(date(2027, 4, 1), 100, 5_00_000_00, "later"))
    assert d.in_force(rates, date(2027, 3, 31)).rate_bp == 200
    assert d.in_force(rates, date(2027, 4, 1)).rate_bp == 100


# --- recoveries for faults past the warranty SLA ----------------------------------------

DUE = datetime(2026, 11, 1, 12, tzinfo=UTC)


def test_a_fault_past_its_sla_costs_each_day_or_part_of_a_day() -> None:
    assert d.days_late(DUE, DUE) == 0
    assert d.days_late(DUE, DUE + timedelta(minutes=1)) == 1
    assert d.days_late(DUE, DUE + timedelta(days=2, hours=1)) == 3
    open_ticket = d.Breakdown("FT-1", "S-0001", DUE, None)
    got = d.recovery(open_ticket, DUE + timedelta(days=4), 500_00, 0, [])
    assert got.amount_paise == 2000_00 and got.params["days"] == "4"
    resolved = d.Breakdown("FT-1", "S-0001", DUE, DUE + timedelta(hours=30))
    assert d.recovery(resolved, DUE + timedelta(days=9), 500_00, 0, []).amount_paise == 1000_00
    later = d.recovery(open_ticket, DUE + timedelta(days=6), 500_00, 2000_00, ["BILL-1"])
    assert later.amount_paise == 1000_00 and later.params["earlier"] == "₹2,000"
    assert (
        d.recovery(d.Breakdown("FT-2", "S", DUE, DUE), DUE + timedelta(days=1), 500_00, 0, [])
        is None
    )


# --- the ledger -------------------------------------------------------------------------


def test_the_ledger_account_and_its_ageing() -> None:
    a = Account(billed=1000_00, unbilled=200_00, deducted=50_00, paid=600_00)
    assert a.delivered == 1200_00 and a.outstanding == 550_00
    assert [bucket(n) for n in (0, 30, 31, 60, 61, 90, 91, 400)] == [
        "0-30 days",
        "0-30 days",
        "31-60 days",
        "31-60 days",
        "61-90 days",
        "61-90 days",
        "over 90 days",
        "over 90 days",
    ]
