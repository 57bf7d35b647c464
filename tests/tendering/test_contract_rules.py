"""Award and contract rules: L1 and the split, tranche allocation, liquidated damages (week
or part of a week, capped), the performance security's state."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from oxychain.core.errors import Conflict, InvalidInput
from oxychain.tendering.domain import contract as contracts
from oxychain.tendering.domain import purchase_order as orders
from oxychain.tendering.domain.contract import Offer
from oxychain.tendering.domain.purchase_order import Delivery
from oxychain.tendering.domain.tender import Policy

T = datetime(2026, 3, 1, tzinfo=UTC)


def offer(
    bid: int,
    price: int,
    *,
    mse: bool = False,
    local: bool = False,
    minutes: int = 0,
    trader: bool = False,
) -> Offer:
    return Offer(
        bid,
        f"S{bid}",
        price,
        T + timedelta(minutes=minutes),
        is_mse=mse,
        is_class_i=local,
        is_trader=trader,
    )


def test_l1_is_the_lowest_evaluated_price_and_ties_go_to_the_earlier_receipt() -> None:
    ranked = contracts.rank([offer(1, 500), offer(2, 400, minutes=5), offer(3, 400, minutes=1)])
    assert [o.bid_id for o in ranked] == [3, 2, 1]


BOTH = Policy(mii_preference=True, mse_preference=True)
MII_FIRST = Policy(mii_preference=True, mse_preference=True, preference_order="mii_first")


@pytest.mark.parametrize(
    ("offers", "policy", "matched", "expected"),
    [
        # No preference: everything to L1.
        ([offer(1, 100), offer(2, 101, mse=True)], Policy(), set(), [(1, 100, "l1")]),
        # MSE within L1 + 15 % matches: 25 % to the MSE.
        (
            [offer(1, 100), offer(2, 115, mse=True)],
            BOTH,
            {2},
            [(1, 75, "l1"), (2, 25, "mse_match")],
        ),
        # MSE invited but declines: all to L1.
        ([offer(1, 100), offer(2, 110, mse=True)], BOTH, set(), [(1, 100, "l1")]),
        # Class-I matches a non-local L1: 50/50.
        (
            [offer(1, 100), offer(2, 119, local=True)],
            BOTH,
            {2},
            [(1, 50, "l1"), (2, 50, "mii_match")],
        ),
        # Issue 11: a non-Class-I L1 ended with 38 of 100 when the MSE share came first and
        # L1's 50 % was taken of the 75 left. Make in India Order 2017 (rev. 16-09-2020): L1
        # keeps 50 % of the whole; MSE Order 2012: the MSE 25 %; Class-I the rest.
        (
            [offer(1, 100), offer(2, 105, mse=True), offer(3, 110, local=True)],
            BOTH,
            {2, 3},
            [(1, 50, "l1"), (2, 25, "mse_match"), (3, 25, "mii_match")],
        ),
        # The same with Make in India applied first (the setting): Class-I takes all above
        # L1's 50 %, nothing is left for the MSE above L1's half.
        (
            [offer(1, 100), offer(2, 105, mse=True), offer(3, 110, local=True)],
            MII_FIRST,
            {2, 3},
            [(1, 50, "l1"), (3, 50, "mii_match")],
        ),
        # Only the MSE matched: 75/25 in either order.
        (
            [offer(1, 100), offer(2, 105, mse=True), offer(3, 110, local=True)],
            MII_FIRST,
            {2},
            [(1, 75, "l1"), (2, 25, "mse_match")],
        ),
        # Only the Class-I matched: 50/50 in either order.
        (
            [offer(1, 100), offer(2, 105, mse=True), offer(3, 110, local=True)],
            BOTH,
            {3},
            [(1, 50, "l1"), (3, 50, "mii_match")],
        ),
        # MSE Order 2012 excludes traders: an MSE trader is not invited, L1 takes its share.
        (
            [offer(1, 100), offer(2, 105, mse=True, trader=True), offer(3, 110, local=True)],
            BOTH,
            {3},
            [(1, 50, "l1"), (3, 50, "mii_match")],
        ),
        # Two MSEs share the 25 % equally, the better ranked taking the odd unit.
        (
            [offer(1, 100), offer(2, 105, mse=True), offer(3, 106, mse=True)],
            Policy(mse_preference=True),
            {2, 3},
            [(1, 75, "l1"), (2, 13, "mse_match"), (3, 12, "mse_match")],
        ),
    ],
)
def test_award_to_l1_with_the_split_the_policy_gives(offers, policy, matched, expected) -> None:  # noqa: ANN001
    ranked = contracts.rank(offers)
    lines = contracts.plan_award(ranked, 100, policy, matched)
    assert [(line.bid_id, line.quantity, line.basis) for line in lines] == expected
    assert sum(line.quantity for line in lines) == 100
    assert {line.unit_price_paise for line in lines} == {ranked[0].evaluated_unit_paise}


@pytest.mark.parametrize(
    ("offers", "invited"),
    [
        ([offer(1, 100), offer(2, 116, mse=True)], []),  # beyond L1 + 15 %
        ([offer(1, 100, mse=True), offer(2, 105, mse=True)], []),  # L1 is itself an MSE
        ([offer(1, 100, local=True), offer(2, 105, local=True)], []),  # L1 is Class-I
        ([offer(1, 100), offer(2, 121, local=True)], []),  # beyond the 20 % margin
        ([offer(1, 100), offer(2, 120, local=True)], [(2, "mii_match")]),  # the margin is inclusive
        (
            [offer(1, 100), offer(2, 110, mse=True, local=True)],
            [(2, "mse_match")],
        ),  # one basis only
    ],
)
def test_who_is_invited_to_match_l1(offers, invited) -> None:  # noqa: ANN001
    got = contracts.invitations(contracts.rank(offers), BOTH)
    assert [(i.bid_id, i.basis) for i in got] == invited


@pytest.mark.parametrize(
    ("quantity", "order", "mse", "mii", "expected"),
    [
        # (MSE units, Class-I units); L1 keeps the rest, at least 50 % when Class-I matched
        (100, "mse_first", True, True, (25, 25)),
        (101, "mse_first", True, True, (25, 25)),  # L1 51: its 50 % rounds up
        (99, "mse_first", True, True, (24, 25)),  # MSE 25 % rounds down
        (1, "mse_first", True, True, (0, 0)),  # one unit stays with L1
        (2, "mse_first", True, True, (0, 1)),
        (4, "mse_first", True, True, (1, 1)),
        (100, "mii_first", True, True, (0, 50)),
        (101, "mii_first", True, True, (0, 50)),
        (100, "mse_first", True, False, (25, 0)),
        (100, "mii_first", True, False, (25, 0)),
        (100, "mse_first", False, True, (0, 50)),
        (100, "mii_first", False, True, (0, 50)),
        (100, "mse_first", False, False, (0, 0)),
    ],
)
def test_shares_of_the_quantity_by_the_order_of_application(
    quantity, order, mse, mii, expected
) -> None:  # noqa: ANN001
    policy = Policy(mii_preference=True, mse_preference=True, preference_order=order)
    assert contracts.shares(quantity, policy, mse, mii) == expected
    mse_q, mii_q = expected
    if mii:
        assert quantity - mse_q - mii_q >= quantity / 2  # L1 keeps its 50 % (MII Order)


def test_an_mse_trader_is_not_invited_to_match_l1() -> None:
    ranked = contracts.rank([offer(1, 100), offer(2, 105, mse=True, trader=True)])
    assert contracts.invitations(ranked, BOTH) == []
    with pytest.raises(InvalidInput):
        contracts.plan_award(ranked, 100, BOTH, {2})


@pytest.mark.parametrize(
    ("basis", "bases", "policy", "says", "note"),
    [
        ("l1", {"l1"}, BOTH, "Lowest evaluated bid (L1).", False),
        ("l1", {"l1", "mii_match"}, BOTH, "keeps 50 %", False),
        ("mse_match", {"l1", "mse_match"}, BOTH, "up to 25 % of the quantity", False),
        ("mii_match", {"l1", "mii_match"}, BOTH, "L1 + 20 %", False),
        ("mse_match", {"l1", "mse_match", "mii_match"}, BOTH, "MSE share first", True),
        ("mii_match", {"l1", "mse_match", "mii_match"}, MII_FIRST, "Make in India first", True),
    ],
)
def test_the_award_says_which_preference_applied_and_why(basis, bases, policy, says, note) -> None:  # noqa: ANN001
    why = contracts.preference(basis, policy, bases)
    assert says in why.english()
    assert (why.order_note is not None) is note


MII = Policy(mii_preference=True)
CLASS_I_BIDS = [offer(1, 100), offer(2, 105, local=True), offer(3, 110, local=True)]


@pytest.mark.parametrize(
    ("matched", "taken", "expected"),
    [
        # Make in India Order 2017 (rev. 16-09-2020): the lowest Class-I matches for the rest
        ({2, 3}, {}, [(1, 50, "l1"), (2, 50, "mii_match")]),
        # it takes less: the rest passes to the next Class-I
        ({2, 3}, {2: 30}, [(1, 50, "l1"), (2, 30, "mii_match"), (3, 20, "mii_match")]),
        # the next takes less too: what no one takes goes to L1
        ({2, 3}, {2: 30, 3: 5}, [(1, 65, "l1"), (2, 30, "mii_match"), (3, 5, "mii_match")]),
        # the first declines outright (takes 0)
        ({2, 3}, {2: 0}, [(1, 50, "l1"), (3, 50, "mii_match")]),
        # taking more than offered takes only what is offered
        ({2}, {2: 80}, [(1, 50, "l1"), (2, 50, "mii_match")]),
        # the next Class-I did not agree to match: L1 gets the rest
        ({2}, {2: 10}, [(1, 90, "l1"), (2, 10, "mii_match")]),
    ],
)
def test_a_class_i_bidder_taking_less_passes_the_rest_on(matched, taken, expected) -> None:  # noqa: ANN001
    lines = contracts.plan_award(contracts.rank(CLASS_I_BIDS), 100, MII, matched, taken)
    assert [(line.bid_id, line.quantity, line.basis) for line in lines] == expected
    assert sum(line.quantity for line in lines) == 100


@pytest.mark.parametrize("taken", [{1: 10}, {3: 10}, {2: -1}])
def test_only_a_matching_class_i_takes_a_quantity(taken) -> None:  # noqa: ANN001
    with pytest.raises(InvalidInput):
        contracts.plan_award(contracts.rank(CLASS_I_BIDS), 100, MII, {2}, taken)


def test_an_award_refuses_uninvited_matchers_and_no_bids() -> None:
    with pytest.raises(InvalidInput):
        contracts.plan_award(contracts.rank([offer(1, 100), offer(2, 200)]), 10, BOTH, {2})
    with pytest.raises(Conflict):
        contracts.plan_award([], 10, BOTH, set())


@pytest.mark.parametrize(
    ("rows", "shares"),
    [
        ([250, 200, 150, 100], [700]),
        ([200, 150, 150, 100], [225, 150, 225]),
        ([7, 5, 3], [8, 4, 3]),
        ([1, 1, 1], [2, 1, 0]),
    ],
)
def test_consignee_lines_split_exactly_among_the_awards(rows, shares) -> None:  # noqa: ANN001
    cells = orders.split_lines(rows, shares)
    assert [sum(row) for row in cells] == rows
    assert [sum(row[j] for row in cells) for j in range(len(shares))] == shares
    for i, row in enumerate(cells):  # never far from proportional
        for j, cell in enumerate(row):
            assert abs(cell - rows[i] * shares[j] / sum(rows)) < 2


DUE = date(2026, 5, 1)


@pytest.mark.parametrize(
    ("on", "weeks"),
    [
        (DUE, 0),
        (DUE - timedelta(days=3), 0),
        (DUE + timedelta(days=1), 1),
        (DUE + timedelta(days=7), 1),
        (DUE + timedelta(days=8), 2),
        (DUE + timedelta(days=140), 20),
    ],
)
def test_a_part_of_a_week_counts_as_a_week(on: date, weeks: int) -> None:
    assert orders.weeks_late(DUE, on) == weeks


def _ld(deliveries, as_of, quantity=100):  # noqa: ANN001, ANN202
    return orders.liquidated_damages(
        quantity=quantity,
        unit_price_paise=50_000_00,
        due=DUE,
        deliveries=deliveries,
        as_of=as_of,
        rate_bp_per_week=50,
        cap_bp=1000,
    )


def test_ld_is_half_a_percent_of_the_delayed_goods_per_week_or_part() -> None:
    on_time = Delivery(60, DUE)
    late = Delivery(40, DUE + timedelta(days=9))  # 2 weeks: 1 % of 40 × ₹50,000
    ld = _ld([on_time, late], DUE + timedelta(days=30))
    assert ld.total_paise == 20_000_00
    assert [(line.quantity, line.weeks_late) for line in ld.lines] == [(40, 2)]


def test_ld_is_capped_at_ten_percent_of_the_delayed_goods() -> None:
    ld = _ld([Delivery(100, DUE + timedelta(days=365))], DUE + timedelta(days=400))
    assert ld.total_paise == 5_00_000_00  # 10 % of ₹50,00,000, not 26 weeks × 0.5 %


def test_undelivered_goods_accrue_ld_until_the_as_of_date() -> None:
    ld = _ld([Delivery(70, DUE)], DUE + timedelta(days=15))  # 30 units, 3 weeks
    assert [(line.quantity, line.delivered_on, line.weeks_late) for line in ld.lines] == [
        (30, None, 3)
    ]
    assert ld.total_paise == 30 * 50_000_00 * 150 // 10_000
    assert _ld([], DUE).total_paise == 0  # not yet late


@pytest.mark.parametrize(
    ("received", "valid", "today", "state"),
    [
        (None, None, date(2026, 1, 1), "pending"),
        (date(2026, 1, 1), date(2028, 6, 1), date(2026, 2, 1), "valid"),
        (date(2026, 1, 1), date(2027, 1, 1), date(2026, 2, 1), "short"),
        (date(2026, 1, 1), date(2028, 6, 1), date(2028, 5, 15), "expiring"),
        (date(2026, 1, 1), date(2028, 6, 1), date(2028, 6, 2), "expired"),
    ],
)
def test_performance_security_is_tracked_to_its_expiry(received, valid, today, state) -> None:  # noqa: ANN001
    assert contracts.security_state(date(2028, 5, 1), received, valid, today) == state
