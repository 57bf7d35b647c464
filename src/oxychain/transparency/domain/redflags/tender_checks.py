"""Red flags within one tender (OCP Cardinal R003, R018, R024, R028, R030, R035, R036, R044,
R058; OECD: shared details, prices above the reference). Flags that name bidders wait until the
tender's bids have been opened."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from decimal import ROUND_DOWN, Decimal

from oxychain.core.i18n import N_
from oxychain.tendering.domain.tender import TenderStatus
from oxychain.transparency.domain.records import (
    BidRecord,
    BidStanding,
    ContractingRecords,
    TenderRecord,
)
from oxychain.transparency.domain.redflags.indicators import (
    RedFlag,
    RedFlagRules,
    bidder_names,
    money,
    percent,
)

Check = Callable[[TenderRecord, ContractingRecords, RedFlagRules], Iterator[RedFlag]]


def _priced(tender: TenderRecord, status: BidStanding | None = None) -> list[BidRecord]:
    """Submitted bids with an opened price (of one status, when given), cheapest first."""
    bids = [
        b
        for b in tender.submitted_bids
        if b.unit_price is not None and (status is None or b.status is status)
    ]
    return sorted(bids, key=lambda b: (b.unit_price, b.bidder))


def _winner_and_runner_up(tender: TenderRecord) -> tuple[BidRecord, BidRecord] | None:
    """L1 (the lowest valid bid, which won) and the next lowest valid bid of another bidder."""
    winners = {a.supplier for a in tender.active_awards}
    valid = _priced(tender, BidStanding.VALID)
    if not valid or valid[0].bidder not in winners:
        return None  # not awarded, or not to the lowest bid (Cardinal R024/R058's exclusion)
    others = [b for b in valid if b.bidder != valid[0].bidder]
    return (valid[0], others[0]) if others else None


def _single_bid(tender: TenderRecord, _r: ContractingRecords, _rules: RedFlagRules):
    """R018: a competitive (open) tender that closed with one bid."""
    if tender.closed and len(tender.submitted_bids) == 1:
        yield RedFlag(
            "single_bid", tender.reference, (), N_("Only one bid was received in an open tender.")
        )


def _short_bid_period(tender: TenderRecord, _r: ContractingRecords, rules: RedFlagRules):
    """R003: fewer than ``min_bid_period_days`` between publication and the deadline."""
    if tender.published_at is None or tender.status is TenderStatus.DRAFT:
        return
    days = Decimal((tender.deadline - tender.published_at).total_seconds()) / 86400
    if days < rules.min_bid_period_days:
        shown = days.quantize(Decimal("0.1"), rounding=ROUND_DOWN)  # 14.99 days is not 15.0
        yield RedFlag(
            "short_bid_period",
            tender.reference,
            (),
            N_("Bids were invited for {days} days, fewer than {minimum}."),
            {"days": percent(shown), "minimum": str(rules.min_bid_period_days)},
        )


def _identical_prices(tender: TenderRecord, records: ContractingRecords, _rules: RedFlagRules):
    """R028: different bidders offered the same price."""
    by_price: dict[Decimal, set[str]] = defaultdict(set)
    for bid in _priced(tender):
        by_price[bid.unit_price].add(bid.bidder)
    for price, bidders in sorted(by_price.items()):
        if len(bidders) > 1:
            codes = tuple(sorted(bidders))
            yield RedFlag(
                "identical_prices",
                tender.reference,
                codes,
                N_("{bidders} offered the same unit price, {price}."),
                {"bidders": bidder_names(records, codes), "price": money(price)},
            )


def _winner_gap(tender: TenderRecord, records: ContractingRecords, rules: RedFlagRules):
    """R024 (runner-up within ``close_bid_pct`` of the winner) and R058 (runner-up more
    than ``discount_pct`` above the winner: the winner far below the rest)."""
    pair = _winner_and_runner_up(tender)
    if pair is None:
        return
    winner, runner_up = pair
    gap = (runner_up.unit_price - winner.unit_price) / winner.unit_price * 100
    params = {
        "winner": records.bidder_name(winner.bidder),
        "winner_price": money(winner.unit_price),
        "runner_up": records.bidder_name(runner_up.bidder),
        "runner_up_price": money(runner_up.unit_price),
        "gap": percent(gap),
    }
    codes = (winner.bidder, runner_up.bidder)
    if 0 < gap <= rules.close_bid_pct:
        yield RedFlag(
            "close_to_winner",
            tender.reference,
            codes,
            N_(
                "The runner-up {runner_up} ({runner_up_price}) was only {gap} % above "
                "the winner {winner} ({winner_price})."
            ),
            params,
        )
    elif gap > rules.discount_pct:
        yield RedFlag(
            "heavy_discount",
            tender.reference,
            codes,
            N_(
                "The winner {winner} ({winner_price}) bid far below the rest: the runner-up "
                "{runner_up} ({runner_up_price}) was {gap} % higher."
            ),
            params,
        )


def _disqualifications(tender: TenderRecord, records: ContractingRecords, _rules: RedFlagRules):
    """R035 (every bid but the winner's disqualified) and R036 (the lowest priced bid
    disqualified). Under the two-bid system a technically disqualified bid's price is
    never opened, so R036 sees only bids disqualified after their financial opening."""
    if not tender.bids_opened:
        return
    winners = {a.supplier for a in tender.active_awards}
    losers = [b for b in tender.submitted_bids if b.bidder not in winners]
    if winners and losers and all(b.status is BidStanding.DISQUALIFIED for b in losers):
        yield RedFlag(
            "all_but_winner_disqualified",
            tender.reference,
            tuple(sorted({b.bidder for b in losers})),
            N_("All {count} bids other than the winner's were disqualified."),
            {"count": str(len(losers))},
        )
    priced = _priced(tender)
    if priced and priced[0].status is BidStanding.DISQUALIFIED and len(priced) > 1:
        lowest = priced[0]
        yield RedFlag(
            "lowest_bid_disqualified",
            tender.reference,
            (lowest.bidder,),
            N_("The lowest bid, {price} from {bidder}, was disqualified: {reason}"),
            {
                "price": money(lowest.unit_price),
                "bidder": records.bidder_name(lowest.bidder),
                "reason": lowest.reason or "—",
            },
        )


def _late_bid_won(tender: TenderRecord, records: ContractingRecords, _rules: RedFlagRules):
    """R030 (late bid won): a valid bid received after the submission deadline (the last
    one a corrigendum set) whose bidder holds an active award."""
    winners = {a.supplier for a in tender.active_awards}
    for bid in tender.submitted_bids:
        late = bid.submitted_at > tender.deadline
        if late and bid.status is BidStanding.VALID and bid.bidder in winners:
            hours = Decimal((bid.submitted_at - tender.deadline).total_seconds()) / 3600
            yield RedFlag(
                "late_bid_won",
                tender.reference,
                (bid.bidder,),
                N_("{bidder} won with a bid received {hours} hours after the deadline."),
                {
                    "bidder": records.bidder_name(bid.bidder),
                    "hours": percent(hours.quantize(Decimal("0.1"), rounding=ROUND_DOWN)),
                },
            )


_SHARED = (
    ("address", N_("{bidders} give the same address."), lambda s: _words(s)),
    ("phone", N_("{bidders} give the same phone number."), lambda s: _digits(s)),
    ("email", N_("{bidders} give the same e-mail address."), lambda s: s.strip().casefold()),
    ("bank_account", N_("{bidders} give the same bank account."), lambda s: _alnum(s)),
)


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.casefold()).split())


def _digits(text: str) -> str:
    digits = re.sub(r"\D", "", text)[-10:]  # the national number, without +91 or a 0
    return digits if len(digits) >= 6 else ""


def _alnum(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z]", "", text).upper()


def _shared_details(tender: TenderRecord, records: ContractingRecords, _rules: RedFlagRules):
    """R044 (business similarities between suppliers: the same address or contact point
    field) and OECD (bidders sharing a bank account, which Cardinal does not compare)."""
    if not tender.bids_opened:
        return
    codes = sorted({b.bidder for b in tender.submitted_bids})
    for attribute, message, normalise in _SHARED:
        groups: dict[str, list[str]] = defaultdict(list)
        for code in codes:
            key = normalise(getattr(records.bidders[code], attribute))
            if key:
                groups[key].append(code)
        for members in groups.values():
            if len(members) > 1:
                yield RedFlag(
                    "shared_details",
                    tender.reference,
                    tuple(members),
                    message,
                    {"bidders": bidder_names(records, members)},
                )


_ABOVE_ESTIMATE = N_(
    "{supplier} was awarded {price} a unit, {gap} % above the estimate of {reference}."
)
_ABOVE_LAST_RATE = N_(
    "{supplier} was awarded {price} a unit, {gap} % above the last purchase rate of {reference}."
)


def _above_reference(tender: TenderRecord, records: ContractingRecords, rules: RedFlagRules):
    """OECD (prices above estimates or earlier purchases): an awarded unit price more than
    ``over_reference_pct`` above the estimate or the last purchase rate."""
    references = (
        (tender.estimated_unit_price, _ABOVE_ESTIMATE),
        (tender.last_purchase_rate, _ABOVE_LAST_RATE),
    )
    for award in tender.active_awards:
        for reference, message in references:
            if not reference:
                continue
            gap = (award.unit_price - reference) / reference * 100
            if gap > rules.over_reference_pct:
                yield RedFlag(
                    "above_reference",
                    tender.reference,
                    (award.supplier,),
                    message,
                    {
                        "supplier": records.bidder_name(award.supplier),
                        "price": money(award.unit_price),
                        "reference": money(reference.quantize(Decimal("0.01"))),
                        "gap": percent(gap),
                    },
                )


TENDER_CHECKS: tuple[Check, ...] = (
    _single_bid,
    _short_bid_period,
    _identical_prices,
    _winner_gap,
    _disqualifications,
    _late_bid_won,
    _shared_details,
    _above_reference,
)
