"""Each red flag fires on a seeded dataset and stays silent on a clean one."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest

from oxychain.tendering.domain.tender import TenderStatus
from oxychain.transparency.domain.records import BidStanding
from oxychain.transparency.domain.redflags import INDICATORS, RedFlagRules, red_flags
from oxychain.transparency.domain.redflags.outliers import quantile, upper_fence
from tests.transparency.records_data import (
    SEEDED,
    T0,
    award,
    bid,
    clean_records,
    records,
    seeded_records,
    tender,
)


def test_clean_records_raise_no_flag() -> None:
    assert red_flags(clean_records()) == []


def test_every_indicator_has_a_seeded_case() -> None:
    assert set(SEEDED) == set(INDICATORS)


@pytest.mark.parametrize("code", sorted(SEEDED))
def test_flag_fires_on_its_seeded_case_and_only_it(code: str) -> None:
    flags = red_flags(seeded_records(code))
    assert {f.code for f in flags} == {code}, [f.as_dict() for f in flags]
    flag = flags[0]
    assert flag.tender == SEEDED[code][2]
    assert flag.indicator.source.startswith(("OCP Cardinal R", "OECD"))
    assert flag.text and "{" not in flag.text  # says why, with its figures filled in


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("single_bid", "Only one bid was received in an open tender."),
        ("short_bid_period", "Bids were invited for 14.9 days, fewer than 15."),
        ("identical_prices", "Awadh Healthcare (synthetic), Bharat Oxy Systems (synthetic) "
         "offered the same unit price, ₹42,000."),
        ("close_to_winner", "The runner-up Awadh Healthcare (synthetic) (₹40,300) was only 0.8 % "
         "above the winner Ganga Medical Devices (synthetic) (₹40,000)."),
        ("heavy_discount", "The winner Ganga Medical Devices (synthetic) (₹30,000) bid far below "
         "the rest: the runner-up Awadh Healthcare (synthetic) (₹42,000) was 40.0 % higher."),
        ("all_but_winner_disqualified", "All 2 bids other than the winner's were disqualified."),
        ("lowest_bid_disqualified", "The lowest bid, ₹38,000 from Bharat Oxy Systems (synthetic), "
         "was disqualified: bid validity too short"),
        ("shared_details", "Ganga Medical Devices (synthetic), Purvanchal Surgicals (synthetic) "
         "give the same bank account."),
        ("above_reference", "Ganga Medical Devices (synthetic) was awarded ₹43,000 a unit, 4.9 % "
         "above the estimate of ₹41,000."),
        ("frequent_loser", "Northern Respiratory (synthetic) bid in 5 decided tenders and won 0."),
        ("late_bid_won", "Ganga Medical Devices (synthetic) won with a bid received 2.0 hours "
         "after the deadline."),
        ("disqualified_often", "Northern Respiratory (synthetic) had 2 of 3 bids disqualified "
         "(66.7 %)."),
        ("heterogeneous_supplier", "Bharat Oxy Systems (synthetic) was awarded items of 3 "
         "different UNSPSC segments."),
        ("rotation", "Tenders SMSC/2025/OC5-1, SMSC/2025/OC5-2, SMSC/2025/OC5-3 went in turn to "
         "Ganga Medical Devices (synthetic), Awadh Healthcare (synthetic), Bharat Oxy Systems "
         "(synthetic), each of whom bid in all of them."),
    ],
)  # fmt: skip
def test_flag_says_why_it_fired(code: str, reason: str) -> None:
    assert [f.text for f in red_flags(seeded_records(code))] == [reason]


def test_thresholds_are_settings() -> None:
    rules = RedFlagRules(min_bid_period_days=10, close_bid_pct=Decimal("0.5"))
    assert red_flags(seeded_records("short_bid_period"), rules) == []
    assert red_flags(seeded_records("close_to_winner"), rules) == []
    exactly_15_days = tender(
        "Y/1",
        [bid("SUP-A", 40_000), bid("SUP-B", 42_000)],
        deadline=T0 + timedelta(days=15),
        awards=(),
    )
    assert red_flags(records([exactly_15_days])) == []


def test_no_flag_names_a_bidder_before_the_opening() -> None:
    shared = {"SUP-B": {"email": "same@example.in"}, "SUP-C": {"email": "SAME@example.in "}}
    sealed = tender(
        "Y/2",
        [bid("SUP-B", None, "pending"), bid("SUP-C", None, "pending")],
        status=TenderStatus.CLOSED,
    )
    assert red_flags(records([sealed], **shared)) == []
    opened = tender("Y/2", sealed.bids, status=TenderStatus.TECHNICAL_EVALUATION)
    assert [f.code for f in red_flags(records([opened], **shared))] == ["shared_details"]


def test_single_bid_waits_for_the_deadline() -> None:
    open_tender = tender("Y/3", [bid("SUP-A", None, "pending")], status=TenderStatus.PUBLISHED)
    assert red_flags(records([open_tender])) == []
    closed = tender("Y/3", open_tender.bids, status=TenderStatus.CLOSED)
    assert [f.code for f in red_flags(records([closed]))] == ["single_bid"]


def test_flags_serialise_with_their_source() -> None:
    flag = red_flags(seeded_records("identical_prices"))[0].as_dict()
    assert flag["source"] == "OCP Cardinal R028"
    assert flag["bidders"] == ["SUP-B", "SUP-C"]
    assert flag["tender"] == "X/3"


@pytest.mark.parametrize(
    ("after_deadline", "status", "wins", "fires"),
    [
        (timedelta(0), BidStanding.VALID, True, False),  # at the deadline: on time
        (timedelta(seconds=1), BidStanding.VALID, True, True),
        (timedelta(seconds=1), BidStanding.VALID, False, False),  # late but lost
        (timedelta(seconds=1), BidStanding.DISQUALIFIED, True, False),  # not a valid bid
    ],
)
def test_late_bid_won_boundaries(after_deadline, status, wins: bool, fires: bool) -> None:  # noqa: ANN001
    deadline = T0 + timedelta(days=21)
    late = replace(bid("SUP-A", 40_000, status), submitted_at=deadline + after_deadline)
    winner = "SUP-A" if wins else "SUP-B"
    case = tender("Y/30", [late, bid("SUP-B", 42_000)], [award(winner, 40_000)])
    found = [f.code for f in red_flags(records([case]))]
    assert ("late_bid_won" in found) is fires


@pytest.mark.parametrize(
    ("values", "p", "expected"),
    [
        ([1, 2, 3, 4], 0.5, 2.5),
        ([1, 2, 3, 4], 0.25, 1 + 5 / 12),  # h = (4 + 1/3)/4 + 1/3 = 1.4167
        ([0, 0, 0, 0, 2 / 3], 0.75, 2 / 9),  # h = 4.3333: a third of the way to 2/3
        ([5], 0.75, 5),
        ([1, 9], 0.0, 1),  # below the first order statistic: the minimum
        ([1, 9], 1.0, 9),
    ],
)
def test_quartiles_are_hyndman_fan_8(values: list[float], p: float, expected: float) -> None:
    assert quantile(values, p) == pytest.approx(expected)


def test_the_fence_counts_a_ratio_at_it_and_never_a_clean_tenderer() -> None:
    assert upper_fence([0, 0, 0, 0, 2 / 3]) == pytest.approx(2 / 9 + 1.5 * 2 / 9)
    # Everyone clean: the fence is 0 and nobody is flagged (Cardinal would flag all).
    assert red_flags(clean_records()) == []
    # One commodity: every supplier has one segment and none is heterogeneous.
    flags = red_flags(seeded_records("heterogeneous_supplier"), RedFlagRules())
    assert [f.bidders for f in flags] == [("SUP-C",)]
