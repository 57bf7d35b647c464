"""Tender rules: the lifecycle table, EMD, performance security by date, criteria, corrigenda,
submission on the server's clock, covers."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from oxychain.core.errors import Conflict, InvalidInput
from oxychain.masterdata.domain.catalogue import item_by_code
from oxychain.tendering.domain import bid as bids
from oxychain.tendering.domain import corrigendum, published_rules, securities
from oxychain.tendering.domain import tender as tendering
from oxychain.tendering.domain.criteria import criteria_for
from oxychain.tendering.domain.tender import TENDER, S, TenderStatus

ALLOWED = {
    (S.DRAFT, S.PUBLISHED),
    (S.PUBLISHED, S.CLOSED),
    (S.CLOSED, S.TECHNICAL_OPENING),
    (S.TECHNICAL_OPENING, S.TECHNICAL_EVALUATION),
    (S.TECHNICAL_EVALUATION, S.FINANCIAL_OPENING),
    (S.FINANCIAL_OPENING, S.AWARDED),
    *((s, S.CANCELLED) for s in S if s not in (S.AWARDED, S.CANCELLED)),
}


#: The action that leads to each status (none leads back to a draft).
ACTION = {move.target: action for action, move in TENDER.moves.items()}


@pytest.mark.parametrize("current", list(TenderStatus))
@pytest.mark.parametrize("target", list(TenderStatus))
def test_every_move_of_the_lifecycle_table(current: TenderStatus, target: TenderStatus) -> None:
    if (current, target) in ALLOWED:
        assert TENDER.move(current.value, ACTION[target]) is target
    else:
        assert target not in TENDER.targets(current)
        if target in ACTION:
            with pytest.raises(Conflict, match="cannot become"):
                TENDER.move(current.value, ACTION[target])


@pytest.mark.parametrize(
    ("value", "bp", "emd"),
    [
        (7_00_00_000_00, 200, 14_00_000_00),
        (3_15_00_000_00, 500, 15_75_000_00),
        (12_345_67, 200, 247_00),
    ],
)
def test_emd_is_2_to_5_percent_in_whole_rupees(value: int, bp: int, emd: int) -> None:
    assert securities.emd_amount(value, bp) == emd


@pytest.mark.parametrize("bp", [0, 199, 501, 1000])
def test_emd_outside_2_to_5_percent_is_refused(bp: int) -> None:
    with pytest.raises(InvalidInput, match="GFR rule 170"):
        securities.emd_amount(1_00_000_00, bp)


def test_mse_and_startups_are_exempt_from_emd() -> None:
    assert securities.emd_exempt(True, False) and securities.emd_exempt(False, True)
    assert not securities.emd_exempt(False, False)


@pytest.mark.parametrize(
    ("day", "low", "high"),
    [
        # GFR 2017 rule 171 before the OM of 12-11-2020: 5-10 %
        (date(2019, 6, 1), 500, 1000),
        (date(2020, 11, 11), 500, 1000),
        # DoE OM F.9/4/2020-PPD of 12-11-2020: 3 %, extended to 31-03-2023
        (date(2020, 11, 12), 300, 300),
        (date(2021, 12, 31), 300, 300),
        (date(2022, 1, 1), 300, 300),  # issue 11: 3 % was wrongly refused from here
        (date(2022, 6, 1), 300, 300),  # issue 11's contract of 2022-06-01 at 3 %
        (date(2023, 3, 31), 300, 300),
        # the relaxation ended; the OM of 03-04-2023 had not yet come: rule 171, 5-10 %
        (date(2023, 4, 1), 500, 1000),
        (date(2023, 4, 2), 500, 1000),
        # DoE OM of 03-04-2023: 3-10 % (not from 01-04)
        (date(2023, 4, 3), 300, 1000),
        (date(2023, 12, 28), 300, 1000),
        # DoE OM of 29-12-2023: 3-5 % for goods
        (date(2023, 12, 29), 300, 500),
        (date(2026, 11, 27), 300, 500),
    ],
)
def test_performance_security_rate_is_the_one_in_force_on_the_date(day, low, high) -> None:  # noqa: ANN001
    rate = securities.performance_security_rate(day)
    assert (rate.min_bp, rate.max_bp) == (low, high)
    securities.check_performance_security(low, day)
    with pytest.raises(InvalidInput):
        securities.check_performance_security(high + 1, day)


@pytest.mark.parametrize(
    ("day", "rate_bp", "accepted"),
    [
        (date(2022, 6, 1), 300, True),  # the issue's case: 3 % on 2022-06-01 is the rule
        (date(2022, 6, 1), 500, False),  # 3 % exactly while the OM of 12-11-2020 ran
        (date(2023, 3, 31), 300, True),
        (date(2023, 4, 1), 300, False),
        (date(2023, 4, 2), 300, False),
        (date(2023, 4, 3), 300, True),
        (date(2023, 4, 3), 1000, True),
        (date(2023, 4, 3), 1001, False),
        (date(2023, 4, 3), 299, False),
        (date(2023, 12, 29), 500, True),
        (date(2023, 12, 29), 501, False),
    ],
)
def test_a_tenders_rate_is_accepted_only_within_the_band_of_its_date(
    day: date, rate_bp: int, accepted: bool
) -> None:
    if accepted:
        securities.check_performance_security(rate_bp, day)
    else:
        with pytest.raises(InvalidInput, match="Performance security on"):
            securities.check_performance_security(rate_bp, day)


def test_the_rate_table_has_no_gap_and_no_overlap() -> None:
    day = date(2015, 1, 1)
    while day < date(2030, 1, 1):
        assert sum(r.covers(day) for r in securities.PERFORMANCE_SECURITY_RATES) == 1, day
        day += timedelta(days=1)


@pytest.mark.parametrize(
    ("due", "delivered", "accepted", "all_accepted", "months", "until"),
    [
        # GFR 2017 rule 171: latest acceptance + warranty + 60 days (issue 11's case)
        ([date(2024, 1, 1)], [], [date(2024, 3, 1)], True, 24, date(2026, 4, 29)),
        # counted from the due date it was 2026-03-02; on time it is 60 days past 31-12-2025
        ([date(2024, 1, 1)], [], [date(2024, 1, 1)], True, 24, date(2026, 3, 1)),
        # accepted early: the acceptance, not the later due date, starts the warranty
        ([date(2024, 1, 1)], [], [date(2023, 12, 20)], True, 24, date(2026, 2, 17)),
        # not all accepted yet: a late delivery pushes the date out past the due date
        ([date(2024, 1, 1)], [date(2024, 2, 10)], [], False, 24, date(2026, 4, 10)),
        # part accepted: the due date still holds the rest
        ([date(2024, 5, 1)], [], [date(2024, 3, 1)], False, 12, date(2025, 6, 29)),
        # nothing delivered: from the last due date
        ([date(2024, 1, 1), date(2024, 2, 1)], [], [], False, 24, date(2026, 4, 1)),
        # a leap day: 12 months from 29-02-2024 end on 27-02-2025
        ([date(2024, 2, 29)], [], [date(2024, 2, 29)], True, 12, date(2025, 4, 28)),
        # no warranty: 60 days past the acceptance
        ([date(2026, 11, 27)], [], [date(2026, 11, 27)], True, 0, date(2027, 1, 26)),
    ],
)
def test_performance_security_runs_60_days_past_the_warranty_of_the_last_acceptance(
    due, delivered, accepted, all_accepted, months, until
) -> None:  # noqa: ANN001
    got = securities.performance_security_required_until(
        due, delivered, accepted, months, all_accepted=all_accepted
    )
    assert got == until


@pytest.mark.parametrize(
    ("required", "valid", "short"),
    [
        (date(2026, 4, 29), date(2026, 3, 2), 58),  # the old date is 58 days short
        (date(2026, 4, 29), date(2026, 4, 28), 1),
        (date(2026, 4, 29), date(2026, 4, 29), 0),
        (date(2026, 4, 29), date(2026, 5, 30), 0),
        (date(2026, 4, 29), None, 0),
    ],
)
def test_a_guarantee_ending_early_is_short_by_its_days(required, valid, short) -> None:  # noqa: ANN001
    assert securities.days_short(required, valid) == short


def test_criteria_come_from_the_items_specification() -> None:
    item = item_by_code("OC-10")
    criteria = criteria_for(item)
    technical = [c for c in criteria if c.kind == "technical"]
    assert [c.key for c in technical] == [limit.key for limit in item.limits]
    power = next(c for c in technical if c.key == "power_w")
    assert power.requirement == "< 700 W" and power.source
    assert {c.kind for c in criteria} == {"eligibility", "technical"}
    assert len({c.key for c in criteria}) == len(criteria)


NOW = datetime(2026, 3, 2, 4, 30, tzinfo=UTC)


def test_consignee_lines_must_add_up_to_the_quantity() -> None:
    line = tendering.ConsigneeLine
    tendering.check_consignees([line(1, 1, 60, 30), line(2, 1, 40, 60)], 100)
    with pytest.raises(InvalidInput, match="add up"):
        tendering.check_consignees([line(1, 1, 60, 30)], 100)
    with pytest.raises(InvalidInput, match="twice"):
        tendering.check_consignees([line(1, 1, 50, 30), line(1, 1, 50, 30)], 100)
    with pytest.raises(InvalidInput):
        tendering.check_consignees([], 100)


def test_a_committee_needs_at_least_two_and_never_more_than_sit() -> None:
    tendering.check_committee(2, 3)
    with pytest.raises(InvalidInput):
        tendering.check_committee(1, 3)
    with pytest.raises(Conflict):
        tendering.check_committee(3, 2)


def test_corrigenda_only_before_the_deadline_and_may_move_it() -> None:
    deadline, opening = NOW + timedelta(days=7), NOW + timedelta(days=7, hours=1)
    later = deadline + timedelta(days=7)
    corrigendum.check_corrigendum(
        "published",
        deadline,
        opening,
        NOW,
        {"deadline": (deadline, later), "opening_at": (opening, later)},
        "Extended.",
    )
    with pytest.raises(InvalidInput, match="opening time"):  # a deadline past the old opening
        corrigendum.check_corrigendum(
            "published", deadline, opening, NOW, {"deadline": (deadline, later)}, "x"
        )
    with pytest.raises(Conflict, match="passed"):
        corrigendum.check_corrigendum(
            "published", deadline, opening, deadline, {"emd_bp": (200, 300)}, "x"
        )
    with pytest.raises(Conflict):
        corrigendum.check_corrigendum("closed", deadline, opening, NOW, {"emd_bp": (200, 300)}, "x")
    with pytest.raises(InvalidInput, match="cannot change"):
        corrigendum.check_corrigendum(
            "published", deadline, opening, NOW, {"quantity": (1, 2)}, "x"
        )
    with pytest.raises(InvalidInput, match="what changes"):
        corrigendum.check_corrigendum(
            "published", deadline, opening, NOW, {"emd_bp": (200, 300)}, " "
        )


def test_the_rules_hash_changes_with_any_rule() -> None:
    rules = {"quantity": 100, "criteria": [["o2_purity_pct", "90–96 %"]]}
    digest = published_rules.rules_hash
    assert digest(rules) == digest(dict(reversed(rules.items())))
    assert digest(rules) != digest({**rules, "quantity": 101})


@pytest.mark.parametrize(
    ("status", "offset", "refused"),
    [
        ("published", -1, None),
        ("published", 0, "bid_late"),  # at the deadline: late
        ("published", 1, "bid_late"),
        ("closed", -1, "bid_late"),
        ("draft", -1, "tender_not_open"),
        ("cancelled", -1, "tender_not_open"),
    ],
)
def test_submission_runs_on_the_servers_clock(
    status: str, offset: int, refused: str | None
) -> None:
    deadline = NOW + timedelta(days=10)
    now = deadline + timedelta(microseconds=offset)
    if refused is None:
        bids.check_submission(status, deadline, now)
    else:
        with pytest.raises(Conflict) as exc:
            bids.check_submission(status, deadline, now)
        assert exc.value.code == refused


def test_only_a_live_bid_is_withdrawn_and_only_before_the_deadline() -> None:
    deadline = NOW + timedelta(days=1)
    bids.withdraw("submitted", "published", deadline, NOW)
    for status in ("withdrawn", "substituted"):
        with pytest.raises(Conflict):
            bids.withdraw(status, "published", deadline, NOW)
    with pytest.raises(Conflict):
        bids.withdraw("submitted", "published", deadline, deadline)


@pytest.mark.parametrize(
    ("tender", "cover", "bid", "responsive", "ok"),
    [
        ("closed", "technical", "submitted", None, True),
        ("technical_opening", "technical", "submitted", None, True),
        ("technical_opening", "technical", "withdrawn", None, False),
        ("technical_opening", "technical", "substituted", None, False),
        ("technical_opening", "financial", "submitted", None, False),
        ("financial_opening", "financial", "submitted", True, True),
        ("financial_opening", "financial", "submitted", False, False),
        ("financial_opening", "technical", "submitted", True, False),
        ("published", "technical", "submitted", None, False),
    ],
)
def test_which_covers_take_a_share(tender, cover, bid, responsive, ok) -> None:  # noqa: ANN001
    assert (bids.openable(tender, cover, bid, responsive) is None) is ok


def test_receipts_and_the_closing_hash_bind_everything() -> None:
    r = bids.receipt_hash("T-1", "SUP-01", "a" * 64, "b" * 64, NOW)
    assert r != bids.receipt_hash(
        "T-1", "SUP-01", "a" * 64, "b" * 64, NOW + timedelta(microseconds=1)
    )
    assert r != bids.receipt_hash("T-1", "SUP-02", "a" * 64, "b" * 64, NOW)
    assert bids.closing_hash("T-1", ["x", "y"]) == bids.closing_hash("T-1", ["y", "x"])
    assert bids.closing_hash("T-1", ["x"]) != bids.closing_hash("T-1", ["x", "y"])


def test_covers_are_checked_when_opened() -> None:
    fin = {
        "v": 1,
        "kind": "financial",
        "tender": "T",
        "bidder": "B",
        "unit_price_paise": 4_199_950,
        "gst_bp": 1200,
        "delivery_days": 45,
    }
    assert bids.parse_financial(json.dumps(fin), "T", "B").unit_price_paise == 4_199_950
    for bad in (
        {"unit_price_paise": 4.5},
        {"gst_bp": 3000},
        {"unit_price_paise": 0},
        {"bidder": "X"},
    ):
        with pytest.raises(InvalidInput):
            bids.parse_financial(json.dumps({**fin, **bad}), "T", "B")
    with pytest.raises(InvalidInput):
        bids.parse_technical("not json", "T", "B")
    assert bids.evaluated_unit(40_000_00, 1200) == 44_800_00


@pytest.mark.parametrize(
    ("text", "paise"), [("41,999.50", 4_199_950), ("₹ 1,00,000", 1_00_000_00), ("7", 700)]
)
def test_rupees_to_paise(text: str, paise: int) -> None:
    assert bids.rupees_to_paise(text) == paise


@pytest.mark.parametrize("text", ["", "-5", "1.234", "abc", "NaN", "Infinity"])
def test_bad_amounts_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput):
        bids.rupees_to_paise(text)


def test_concluding_needs_every_finding_and_fails_unopened_covers() -> None:
    found = {
        (1, 10): bids.Finding(True, "ok"),
        (1, 11): bids.Finding(True, "ok"),
        (2, 10): bids.Finding(True, "ok"),
        (2, 11): bids.Finding(False, "92 % < 93 %"),
    }
    verdict = bids.conclude_technical([10, 11], {1: "opened", 2: "opened", 3: "failed"}, found)
    assert verdict == {1: True, 2: False, 3: False}
    with pytest.raises(Conflict, match="without a finding"):
        bids.conclude_technical([10, 11, 12], {1: "opened"}, found)
    with pytest.raises(Conflict):
        bids.conclude_technical([10], {4: "sealed"}, found)


@pytest.mark.parametrize(
    ("status", "offset", "orders", "expected"),
    [
        ("draft", -1, False, {"publish", "seat_opener", "cancel"}),
        ("published", -1, False, {"bid", "corrigendum", "release_shares", "cancel"}),
        ("published", 0, False, {"close", "release_shares", "cancel"}),  # at the deadline
        ("technical_evaluation", 1, False, {"record_findings", "conclude_technical"}),
        ("financial_opening", 1, False, {"award", "compare", "release_shares", "cancel"}),
        ("awarded", 1, False, {"issue_orders", "compare", "release_shares"}),
        ("awarded", 1, True, {"compare", "release_shares"}),
        ("cancelled", -1, False, set()),
    ],
)
def test_pages_ask_the_domain_what_may_be_done_next(
    status: str, offset: int, orders: bool, expected: set[str]
) -> None:
    deadline = NOW + timedelta(days=10)
    now = deadline + timedelta(seconds=offset)
    steps = tendering.next_steps(status, deadline, now, orders_issued=orders)
    assert expected <= steps
    assert not steps & ({"bid", "corrigendum"} if offset >= 0 else {"close"})
    if status in ("awarded", "cancelled"):
        assert "cancel" not in steps


def test_a_published_tender_past_its_deadline_reads_as_closed() -> None:
    deadline = NOW + timedelta(days=1)
    assert tendering.effective_status("published", deadline, NOW) is S.PUBLISHED
    assert tendering.effective_status("published", deadline, deadline) is S.CLOSED
    assert tendering.effective_status("draft", deadline, deadline) is S.DRAFT
    assert bids.bid_steps("submitted", "published", deadline, NOW) == {"withdraw"}
    assert bids.bid_steps("submitted", "published", deadline, deadline) == frozenset()
    assert bids.bid_steps("withdrawn", "published", deadline, NOW) == frozenset()


@pytest.mark.parametrize(
    ("asked", "emd_bp", "months", "issued", "expected"),
    [
        # DoE OM F.9/4/2020-PPD of 12-11-2020: a declaration, by default and only, for
        # tenders issued 12-11-2020 to 31-12-2021 (GFR rule 170, DOMAIN.md)
        (None, 200, 12, date(2020, 11, 12), ("declaration", 0, 12)),
        (None, 200, 24, date(2021, 12, 31), ("declaration", 0, 24)),
        ("declaration", 0, 36, date(2021, 5, 1), ("declaration", 0, 36)),
        ("emd", 200, None, date(2021, 5, 1), None),  # EMD refused in the window
        (None, 200, None, date(2021, 5, 1), None),  # a declaration names its suspension
        # outside the window EMD is the default, 2-5 %
        (None, 200, None, date(2020, 11, 11), ("emd", 200, None)),
        (None, 500, None, date(2022, 1, 1), ("emd", 500, None)),
        (None, 199, None, date(2022, 1, 1), None),
        (None, 501, None, date(2022, 1, 1), None),
        ("emd", 300, 12, date(2026, 3, 2), ("emd", 300, None)),  # an EMD suspends no one
        # a declaration may still be chosen; suspension 1-36 months (rule 151: up to 3 years)
        ("declaration", 200, 1, date(2026, 3, 2), ("declaration", 0, 1)),
        ("declaration", 0, 0, date(2026, 3, 2), None),
        ("declaration", 0, 37, date(2026, 3, 2), None),
        ("cheque", 200, None, date(2026, 3, 2), None),
    ],
)
def test_bid_security_is_emd_or_a_declaration_by_the_issue_date(
    asked, emd_bp, months, issued, expected
) -> None:  # noqa: ANN001
    if expected is None:
        with pytest.raises(InvalidInput):
            securities.bid_security_mode(asked, emd_bp, months, issued)
        return
    mode, bp, suspension = securities.bid_security_mode(asked, emd_bp, months, issued)
    assert (mode.value, bp, suspension) == expected


def test_a_declaration_holds_no_money() -> None:
    assert securities.tender_emd_paise("declaration", 10**9, 0) == 0
    assert securities.tender_emd_paise("emd", 5_00_00_000_00, 200) == 10_00_000_00
