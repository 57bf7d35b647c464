"""Tender use cases on in-memory repositories: a refused command changes and records nothing;
the award splits the quantity and settles the EMDs. No database: these run in milliseconds."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from oxychain.core import access
from oxychain.core.errors import Conflict, InvalidInput
from oxychain.core.people import Principal, Role
from oxychain.core.states import IllegalTransition
from oxychain.masterdata.tables import Supplier
from oxychain.tendering import permissions
from oxychain.tendering.domain.tender import TenderStatus
from oxychain.tendering.services import award as results
from oxychain.tendering.services import bids as bidding
from oxychain.tendering.services import tenders as tendering
from oxychain.tendering.tables import (
    Award,
    Bid,
    BidCover,
    CommitteeMember,
    FinancialResult,
    PurchaseOrder,
    Tender,
)
from tests.fakes import FakeUnitOfWork
from tests.tendering.fakes import FakeContracts, FakeTenders

NOW = datetime(2026, 3, 2, 4, 30, tzinfo=UTC)
OFFICER = Principal(1, "officer", Role.PROCUREMENT_OFFICER, "en")
S = TenderStatus


@pytest.fixture(autouse=True)
def _policy() -> None:
    access.register(permissions.PERMISSIONS)


def _tender(status: S, *, deadline: datetime = NOW + timedelta(days=7), **terms) -> Tender:  # noqa: ANN003
    return Tender(
        reference="T-UNIT-01",
        status=status,
        quantity=100,
        deadline=deadline,
        opening_at=deadline + timedelta(minutes=30),
        openers_required=2,
        performance_security_bp=300,
        emd_bp=200,
        emd_paise=1_00_000_00,
        bid_security_mode="emd",
        **terms,
    )


def _uow(*rows, principal: Principal = OFFICER) -> FakeUnitOfWork:  # noqa: ANN002
    return FakeUnitOfWork(principal, tenders=FakeTenders(*rows), contracts=FakeContracts())


def _seats(tender: Tender, n: int = 2) -> list[CommitteeMember]:
    return [
        CommitteeMember(tender_id=tender.id, opener_id=f"o{i}", public_key="k", position=i)
        for i in range(1, n + 1)
    ]


def _nothing_happened(uow: FakeUnitOfWork) -> None:
    assert uow.commits == 0 and uow.events == []


# --- publish, close, cancel -------------------------------------------------------------------


def test_a_draft_with_a_committee_is_published_and_its_rules_fingerprinted() -> None:
    tender = _tender(S.DRAFT)
    uow = _uow(tender)
    uow.tenders.add(*_seats(tender))
    tendering.publish_tender(uow, tender.reference, now=NOW)
    assert tender.status == S.PUBLISHED and len(tender.rules_sha256) == 64
    assert uow.actions == ["tender.publish"] and uow.commits == 1
    assert uow.events[0]["before"] == {"status": "draft"}


@pytest.mark.parametrize("status", [s for s in S if s is not S.DRAFT])
def test_publishing_anything_but_a_draft_is_refused_and_records_nothing(status: S) -> None:
    tender = _tender(status)
    uow = _uow(tender)
    uow.tenders.add(*_seats(tender))
    with pytest.raises(IllegalTransition, match="cannot become"):
        tendering.publish_tender(uow, tender.reference, now=NOW)
    assert tender.status == status and tender.rules_sha256 is None
    _nothing_happened(uow)


@pytest.mark.parametrize(
    ("day", "rate_bp", "published"),
    [
        # GFR rule 171 with the DoE OMs of 12-11-2020 (3 % to 31-03-2023) and 03-04-2023
        (datetime(2022, 6, 1, 4, 30, tzinfo=UTC), 300, True),  # issue 11's case
        (datetime(2023, 3, 31, 4, 30, tzinfo=UTC), 300, True),
        (datetime(2023, 4, 1, 4, 30, tzinfo=UTC), 300, False),
        (datetime(2023, 4, 3, 4, 30, tzinfo=UTC), 300, True),
        (datetime(2023, 4, 3, 4, 30, tzinfo=UTC), 1100, False),
    ],
)
def test_publication_checks_the_performance_security_rate_of_its_day(
    day: datetime, rate_bp: int, published: bool
) -> None:
    tender = _tender(S.DRAFT, deadline=day + timedelta(days=7))
    tender.performance_security_bp = rate_bp
    uow = _uow(tender)
    uow.tenders.add(*_seats(tender))
    if published:
        tendering.publish_tender(uow, tender.reference, now=day)
        assert tender.status == S.PUBLISHED
    else:
        with pytest.raises(InvalidInput, match="Performance security on"):
            tendering.publish_tender(uow, tender.reference, now=day)
        assert tender.status == S.DRAFT
        _nothing_happened(uow)


def test_a_draft_without_enough_openers_is_not_published() -> None:
    tender = _tender(S.DRAFT)
    uow = _uow(tender)
    uow.tenders.add(*_seats(tender, 1))
    with pytest.raises(Conflict, match="openers with keys"):
        tendering.publish_tender(uow, tender.reference, now=NOW)
    _nothing_happened(uow)


def test_a_published_tender_closes_only_past_its_deadline() -> None:
    tender = _tender(S.PUBLISHED)
    uow = _uow(tender)
    with pytest.raises(Conflict, match="past its deadline"):
        tendering.close_tender(uow, tender.reference, now=NOW)
    assert tender.status == S.PUBLISHED
    _nothing_happened(uow)
    tendering.close_tender(uow, tender.reference, now=tender.deadline)
    assert tender.status == S.CLOSED and tender.bid_count == 0
    assert uow.actions == ["tender.close"]


@pytest.mark.parametrize("status", [S.DRAFT, S.CLOSED, S.AWARDED, S.CANCELLED])
def test_closing_a_tender_that_is_not_published_is_refused(status: S) -> None:
    tender = _tender(status, deadline=NOW - timedelta(days=1))
    uow = _uow(tender)
    with pytest.raises(IllegalTransition):
        tendering.close_tender(uow, tender.reference, now=NOW)
    assert tender.status == status and tender.closed_at is None
    _nothing_happened(uow)


@pytest.mark.parametrize("status", [S.AWARDED, S.CANCELLED])
def test_an_awarded_or_cancelled_tender_is_not_cancelled(status: S) -> None:
    tender = _tender(status)
    uow = _uow(tender)
    with pytest.raises(IllegalTransition):
        tendering.cancel_tender(uow, tender.reference, "Requirement withdrawn.", now=NOW)
    assert tender.status == status and tender.cancel_reason is None
    _nothing_happened(uow)


def test_a_cancelled_tender_refunds_the_emds_it_holds() -> None:
    tender = _tender(S.PUBLISHED)
    uow = _uow(tender)
    held = Bid(tender_id=tender.id, status="submitted", emd_status="held")
    exempt = Bid(tender_id=tender.id, status="submitted", emd_status="exempt")
    uow.tenders.add(held, exempt)
    with pytest.raises(InvalidInput):
        tendering.cancel_tender(uow, tender.reference, "  ", now=NOW)
    tendering.cancel_tender(uow, tender.reference, "Requirement withdrawn.", now=NOW)
    assert tender.status == S.CANCELLED
    assert (held.emd_status, exempt.emd_status) == ("refunded", "exempt")
    assert uow.actions == ["tender.cancel"]


# --- bids -------------------------------------------------------------------------------------

SUPPLIER = Principal(2, "supplier", Role.SUPPLIER, "en", supplier_id=7)


def test_a_bid_after_the_deadline_is_refused_and_nothing_is_stored() -> None:
    tender = _tender(S.PUBLISHED)
    uow = _uow(tender, principal=SUPPLIER)
    with pytest.raises(Conflict) as refused:
        bidding.submit_bid(uow, tender.reference, {}, {}, now=tender.deadline)
    assert refused.value.code == "bid_late"
    assert uow.tenders.bids(tender.id) == []
    _nothing_happened(uow)


def test_a_bid_is_not_withdrawn_after_the_deadline() -> None:
    tender = _tender(S.PUBLISHED)
    uow = _uow(tender, principal=SUPPLIER)
    bid = Bid(tender_id=tender.id, supplier_id=7, status="submitted", emd_status="held")
    uow.tenders.add(bid)
    with pytest.raises(Conflict, match="deadline"):
        bidding.withdraw_bid(uow, bid.id, now=tender.deadline + timedelta(seconds=1))
    assert (bid.status, bid.emd_status) == ("submitted", "held")
    _nothing_happened(uow)
    bidding.withdraw_bid(uow, bid.id, now=NOW)
    assert (bid.status, bid.emd_status) == ("withdrawn", "refunded")
    with pytest.raises(IllegalTransition, match="only a submitted bid"):
        bidding.withdraw_bid(uow, bid.id, now=NOW)


# --- award ------------------------------------------------------------------------------------


def _priced(tender: Tender, *offers: tuple[Supplier, int]) -> list:
    """A bid per supplier with its opened price (ranked L1 first, as the opening leaves them)."""
    rows: list = []
    for rank, (supplier, price) in enumerate(offers, start=1):
        bid = Bid(
            tender_id=tender.id,
            supplier_id=supplier.id,
            bidder=supplier.code,
            status="submitted",
            emd_status="exempt" if supplier.is_mse else "held",
            received_at=NOW + timedelta(minutes=rank),
        )
        rows += [supplier, bid]
        rows.append(
            FinancialResult(tender_id=tender.id, bid_id=None, evaluated_unit_paise=price, rank=rank)
        )
    return rows


def _awardable(
    offered_as: str = "manufacturer", local: dict[str, str | None] | None = None, **terms
) -> tuple[FakeUnitOfWork, Tender, list[Bid]]:  # noqa: ANN003
    tender = _tender(
        S.FINANCIAL_OPENING,
        mse_preference=True,
        mse_share_bp=2500,
        mse_margin_bp=1500,
        mii_preference=False,
        mii_l1_share_bp=5000,
        mii_margin_bp=2000,
        preference_order="mse_first",
        mii_class_i_pct=50,
        mii_class_ii_pct=20,
        mii_class_i_only=False,
        global_tender=True,
    )
    for name, value in terms.items():
        setattr(tender, name, value)
    uow = _uow(tender)
    rows = _priced(
        tender,
        (Supplier(id=11, code="L1CO", is_mse=False, local_content_class="non-local"), 40_000_00),
        (Supplier(id=12, code="MSECO", is_mse=True, local_content_class="class-i"), 44_000_00),
        (Supplier(id=13, code="BIGCO", is_mse=False, local_content_class="class-i"), 47_000_00),
    )
    uow.tenders.add(*rows)
    bids = [r for r in rows if isinstance(r, Bid)]
    for result, bid in zip((r for r in rows if isinstance(r, FinancialResult)), bids, strict=True):
        result.bid_id = bid.id
    local = local or {}
    uow.tenders.add(
        *(_technical_cover(tender, b, offered_as, local.get(b.bidder, "60")) for b in bids)
    )
    return uow, tender, bids


def _technical_cover(tender: Tender, bid: Bid, offered_as: str, local: str | None) -> BidCover:
    """An opened technical cover with what the bid self-declared (MSE Order: maker/trader)."""
    content = {
        "v": 1,
        "kind": "technical",
        "tender": tender.reference,
        "bidder": bid.bidder,
        "make": "Acme",
        "model": "O2",
        "offered_as": offered_as,
        "local_content_pct": local,
        "declarations": {},
    }
    return BidCover(bid_id=bid.id, cover="technical", status="opened", content=json.dumps(content))


def test_the_award_splits_l1_and_the_matching_mse_and_refunds_the_others() -> None:
    uow, tender, (l1, mse, third) = _awardable()
    awards = results.award_tender(uow, tender.reference, {mse.id}, now=NOW)
    assert [(a.bid_id, a.quantity, a.basis) for a in awards] == [
        (l1.id, 75, "l1"),
        (mse.id, 25, "mse_match"),
    ]
    assert {a.unit_price_paise for a in awards} == {40_000_00}  # the MSE matches L1's price
    assert awards[0].letter_number == "LOA/T-UNIT-01/1"
    assert awards[0].performance_security_paise == 75 * 40_000_00 * 3 // 100
    assert (l1.emd_status, mse.emd_status, third.emd_status) == ("held", "exempt", "refunded")
    assert tender.status == S.AWARDED and uow.actions == ["tender.award"]
    assert uow.contracts.awards(tender.id) == awards


@pytest.mark.parametrize("offered_as", ["trader", ""])
def test_an_mse_offering_as_trader_or_undeclared_takes_no_mse_share(offered_as: str) -> None:
    """MSE Order 2012: traders are excluded; a bid that does not say it makes what it offers
    is not taken for a maker."""
    uow, tender, (l1, mse, _) = _awardable(offered_as)
    with pytest.raises(InvalidInput, match="Only invited bidders"):
        results.award_tender(uow, tender.reference, {mse.id}, now=NOW)
    _nothing_happened(uow)
    awards = results.award_tender(uow, tender.reference, set(), now=NOW)
    assert [(a.bid_id, a.quantity, a.basis) for a in awards] == [(l1.id, 100, "l1")]


# Make in India Order 2017 (revised 16-09-2020): the class comes from the local content each
# bid self-certifies (L1CO 40,000, MSECO 44,000, BIGCO 47,000; all within L1 + 20 %).
@pytest.mark.parametrize(
    ("local", "matched", "taken", "expected"),
    [
        # both Class-I by their own declaration; MSECO (rank 2) matches and takes all 50
        ({"L1CO": "10"}, {"MSECO"}, {}, [("L1CO", 50), ("MSECO", 50)]),
        # the case: the first Class-I takes 20 of 50, the rest passes to the next
        (
            {"L1CO": "10"},
            {"MSECO", "BIGCO"},
            {"MSECO": 20},
            [("L1CO", 50), ("MSECO", 20), ("BIGCO", 30)],
        ),
        # what no Class-I takes goes to L1
        (
            {"L1CO": "10"},
            {"MSECO", "BIGCO"},
            {"MSECO": 20, "BIGCO": 5},
            [("L1CO", 75), ("MSECO", 20), ("BIGCO", 5)],
        ),
        ({"L1CO": "10"}, {"MSECO"}, {"MSECO": 0}, [("L1CO", 100)]),
        # the supplier's old label says class-i, the bid declares 49.99 %: Class-II, not invited
        ({"L1CO": "10", "MSECO": "49.99"}, {"BIGCO"}, {}, [("L1CO", 50), ("BIGCO", 50)]),
        # L1 itself certifies 50 %: Class-I, no Make in India split
        ({"L1CO": "50"}, set(), {}, [("L1CO", 100)]),
    ],
)
def test_make_in_india_uses_each_bids_own_class_and_passes_on_what_is_not_taken(
    local, matched, taken, expected
) -> None:  # noqa: ANN001
    uow, tender, bids = _awardable(local=local, mse_preference=False, mii_preference=True)
    by_code = {b.bidder: b.id for b in bids}
    awards = results.award_tender(
        uow,
        tender.reference,
        {by_code[c] for c in matched},
        now=NOW,
        taken={by_code[c]: q for c, q in taken.items()},
    )
    code = {v: k for k, v in by_code.items()}
    assert [(code[a.bid_id], a.quantity) for a in awards] == expected


def test_a_class_ii_bid_cannot_take_a_make_in_india_share() -> None:
    uow, tender, bids = _awardable(
        local={"L1CO": "10", "MSECO": "35", "BIGCO": "20"},
        mse_preference=False,
        mii_preference=True,
    )
    with pytest.raises(InvalidInput, match="Only invited bidders"):
        results.award_tender(uow, tender.reference, {bids[1].id}, now=NOW)
    _nothing_happened(uow)


def test_an_award_before_the_financial_opening_is_refused_and_records_nothing() -> None:
    uow, tender, bids = _awardable()
    tender.status = S.TECHNICAL_EVALUATION
    with pytest.raises(IllegalTransition):
        results.award_tender(uow, tender.reference, set(), now=NOW)
    assert uow.contracts.awards(tender.id) == []
    assert [b.emd_status for b in bids] == ["held", "exempt", "held"]
    _nothing_happened(uow)


def test_an_award_with_a_purchase_order_is_not_declined() -> None:
    uow, tender, (l1, _, _) = _awardable()
    (award, *_) = results.award_tender(uow, tender.reference, set(), now=NOW)
    uow.contracts.add(PurchaseOrder(tender_id=tender.id, award_id=award.id, status="issued"))
    with pytest.raises(Conflict, match="without a purchase order"):
        results.decline_award(uow, tender.reference, award.id, "Did not furnish security.")
    assert award.status == "awarded" and l1.emd_status == "held"
    assert uow.actions == ["tender.award"]


def test_a_declined_award_forfeits_the_emd_once() -> None:
    uow, tender, (l1, _, _) = _awardable()
    (award, *_) = results.award_tender(uow, tender.reference, set(), now=NOW)
    results.decline_award(uow, tender.reference, award.id, "Did not furnish security.")
    assert (award.status, l1.emd_status) == ("declined", "forfeited")
    with pytest.raises(IllegalTransition):
        results.decline_award(uow, tender.reference, award.id, "Again.")
    assert isinstance(award, Award) and uow.actions == ["tender.award", "award.decline"]
