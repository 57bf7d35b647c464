"""Red flags that the tender data can show: reasons to open a file, never verdicts.

The flags are DOMAIN.md's list ("Red flags that the data can show"), each computed the
way its source defines it:

- OCP Cardinal: the Open Contracting Partnership's red-flag indicators (the Cardinal
  library, open-contracting/cardinal-rs), named by their codes: R003 short submission
  period, R018 single bid received, R024 price close to winning bid, R025 excessive
  unsuccessful bids, R028 identical bid prices, R035 all except winning bid
  disqualified, R036 lowest bid disqualified, R044 business similarities between
  suppliers, R058 heavily discounted bid. Where Cardinal compares with quartile fences
  over a whole data set, oxychain uses a fixed threshold (a setting).
- OECD: Guidelines for Fighting Bid Rigging in Public Procurement (2009), whose
  checklist names bid rotation, firms that always bid but never win, bidders sharing
  addresses or phone numbers, and prices above estimates or earlier purchases.

Flags that name bidders are computed only for tenders whose bids have been opened, so
the report never tells an officer who bid before the opening.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

from oxychain.core import formatting
from oxychain.core.i18n import N_
from oxychain.transparency.domain.records import (
    AwardRecord,
    BidRecord,
    BidStatus,
    ContractingRecords,
    TenderRecord,
    TenderStatus,
)

CARDINAL = "OCP Cardinal {code}"
OECD = "OECD Guidelines for Fighting Bid Rigging in Public Procurement (2009)"


@dataclass(frozen=True)
class Indicator:
    code: str
    title: str  # English; translated at the edge
    source: str


INDICATORS: dict[str, Indicator] = {
    i.code: i
    for i in (
        Indicator("single_bid", N_("Single bid received"), CARDINAL.format(code="R018")),
        Indicator("short_bid_period", N_("Short bid period"), CARDINAL.format(code="R003")),
        Indicator("identical_prices", N_("Identical bid prices"), CARDINAL.format(code="R028")),
        Indicator(
            "close_to_winner", N_("Price close to winning bid"), CARDINAL.format(code="R024")
        ),
        Indicator("heavy_discount", N_("Winner far below the rest"), CARDINAL.format(code="R058")),
        Indicator(
            "all_but_winner_disqualified",
            N_("All bids but the winner's disqualified"),
            CARDINAL.format(code="R035"),
        ),
        Indicator(
            "lowest_bid_disqualified", N_("Lowest bid disqualified"), CARDINAL.format(code="R036")
        ),
        Indicator(
            "shared_details",
            N_("Bidders share contact or bank details"),
            CARDINAL.format(code="R044") + "; " + OECD,
        ),
        Indicator("above_reference", N_("Price above the reference"), OECD),
        Indicator(
            "frequent_loser",
            N_("Frequent bidder that rarely wins"),
            CARDINAL.format(code="R025") + "; " + OECD,
        ),
        Indicator("rotation", N_("Rotation of winners"), OECD),
    )
}


@dataclass(frozen=True)
class RedFlagRules:
    """Thresholds; the defaults are the settings' defaults (config.py, ``redflag_*``)."""

    min_bid_period_days: int = 15
    close_bid_pct: Decimal = Decimal("1")
    discount_pct: Decimal = Decimal("25")
    over_reference_pct: Decimal = Decimal("0")
    frequent_bidder_min_bids: int = 4
    frequent_bidder_max_win_pct: Decimal = Decimal("20")
    rotation_min_tenders: int = 3


@dataclass(frozen=True)
class RedFlag:
    code: str
    tender: str | None  # the tender's reference; None for a flag about a bidder
    bidders: tuple[str, ...]
    message: str  # English template with {placeholders}, translated at the edge
    params: dict[str, str] = field(default_factory=dict)

    @property
    def indicator(self) -> Indicator:
        return INDICATORS[self.code]

    @property
    def text(self) -> str:
        return self.message.format(**self.params)

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "title": self.indicator.title,
            "source": self.indicator.source,
            "tender": self.tender,
            "bidders": list(self.bidders),
            "reason": self.text,
        }


def red_flags(records: ContractingRecords, rules: RedFlagRules | None = None) -> list[RedFlag]:
    """Every red flag in the records: per tender first (in the records' order), then per
    bidder, then rotations."""
    rules = rules or RedFlagRules()
    flags: list[RedFlag] = []
    for tender in records.tenders:
        for check in TENDER_CHECKS:
            flags.extend(check(tender, records, rules))
    flags.extend(_frequent_losers(records, rules))
    flags.extend(_rotations(records, rules))
    return flags


# --- helpers ------------------------------------------------------------------------------


def _money(value: Decimal) -> str:
    return formatting.rupees(value, paise=value != value.to_integral_value())


def _pct(value: Decimal) -> str:
    return formatting.number(value, digits=1)


def _names(records: ContractingRecords, codes: Iterable[str]) -> str:
    return ", ".join(records.bidder_name(c) for c in codes)


def _priced(tender: TenderRecord, status: BidStatus | None = None) -> list[BidRecord]:
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
    valid = _priced(tender, BidStatus.VALID)
    if not valid or valid[0].bidder not in winners:
        return None  # not awarded, or not to the lowest bid (Cardinal R024/R058's exclusion)
    others = [b for b in valid if b.bidder != valid[0].bidder]
    return (valid[0], others[0]) if others else None


# --- per tender ---------------------------------------------------------------------------


def _single_bid(tender: TenderRecord, _r: ContractingRecords, _rules: RedFlagRules):
    """R018: a competitive (open) tender that closed with one bid."""
    if tender.status.closed and len(tender.submitted_bids) == 1:
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
            {"days": _pct(shown), "minimum": str(rules.min_bid_period_days)},
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
                {"bidders": _names(records, codes), "price": _money(price)},
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
        "winner_price": _money(winner.unit_price),
        "runner_up": records.bidder_name(runner_up.bidder),
        "runner_up_price": _money(runner_up.unit_price),
        "gap": _pct(gap),
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
    if not tender.status.bids_opened:
        return
    winners = {a.supplier for a in tender.active_awards}
    losers = [b for b in tender.submitted_bids if b.bidder not in winners]
    if winners and losers and all(b.status is BidStatus.DISQUALIFIED for b in losers):
        yield RedFlag(
            "all_but_winner_disqualified",
            tender.reference,
            tuple(sorted({b.bidder for b in losers})),
            N_("All {count} bids other than the winner's were disqualified."),
            {"count": str(len(losers))},
        )
    priced = _priced(tender)
    if priced and priced[0].status is BidStatus.DISQUALIFIED and len(priced) > 1:
        lowest = priced[0]
        yield RedFlag(
            "lowest_bid_disqualified",
            tender.reference,
            (lowest.bidder,),
            N_("The lowest bid, {price} from {bidder}, was disqualified: {reason}"),
            {
                "price": _money(lowest.unit_price),
                "bidder": records.bidder_name(lowest.bidder),
                "reason": lowest.reason or "—",
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
    """R044 and OECD: different bidders in one tender with the same address, phone,
    e-mail or bank account."""
    if not tender.status.bids_opened:
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
                    {"bidders": _names(records, members)},
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
                        "price": _money(award.unit_price),
                        "reference": _money(reference.quantize(Decimal("0.01"))),
                        "gap": _pct(gap),
                    },
                )


TENDER_CHECKS: tuple[
    Callable[[TenderRecord, ContractingRecords, RedFlagRules], Iterator[RedFlag]], ...
] = (
    _single_bid,
    _short_bid_period,
    _identical_prices,
    _winner_gap,
    _disqualifications,
    _shared_details,
    _above_reference,
)


# --- across tenders -----------------------------------------------------------------------


def _decided(records: ContractingRecords) -> list[TenderRecord]:
    return [t for t in records.tenders if t.status is TenderStatus.AWARDED and t.active_awards]


def _frequent_losers(records: ContractingRecords, rules: RedFlagRules) -> Iterator[RedFlag]:
    """R025 and OECD ("certain companies always bid but never win"): a bidder in at least
    ``frequent_bidder_min_bids`` decided tenders that won at most
    ``frequent_bidder_max_win_pct`` % of them."""
    bids: dict[str, int] = defaultdict(int)
    wins: dict[str, int] = defaultdict(int)
    for tender in _decided(records):
        winners = {a.supplier for a in tender.active_awards}
        for code in {b.bidder for b in tender.submitted_bids}:
            bids[code] += 1
            wins[code] += code in winners
    for code in sorted(bids):
        if bids[code] < rules.frequent_bidder_min_bids:
            continue
        if wins[code] * 100 <= rules.frequent_bidder_max_win_pct * bids[code]:
            yield RedFlag(
                "frequent_loser",
                None,
                (code,),
                N_("{bidder} bid in {bids} decided tenders and won {wins}."),
                {
                    "bidder": records.bidder_name(code),
                    "bids": str(bids[code]),
                    "wins": str(wins[code]),
                },
            )


def _lead_winner(tender: TenderRecord) -> AwardRecord:
    """The award at the lowest price (L1 in a split award)."""
    return min(tender.active_awards, key=lambda a: (a.unit_price, -a.quantity, a.supplier))


def _rotations(records: ContractingRecords, rules: RedFlagRules) -> Iterator[RedFlag]:
    """OECD bid rotation: ``rotation_min_tenders`` or more tenders in a row for one item,
    each won by a different bidder, every winner having bid in all of them."""
    by_item: dict[str, list[TenderRecord]] = defaultdict(list)
    for tender in _decided(records):
        by_item[tender.item_code].append(tender)
    size = max(rules.rotation_min_tenders, 2)
    for tenders in by_item.values():
        tenders.sort(key=lambda t: (min(a.date for a in t.active_awards), t.reference))
        for run in _rotation_runs(tenders, size):
            winners = tuple(_lead_winner(t).supplier for t in run)
            yield RedFlag(
                "rotation",
                run[-1].reference,
                winners,
                N_("Tenders {tenders} went in turn to {bidders}, each of whom bid in all of them."),
                {
                    "tenders": ", ".join(t.reference for t in run),
                    "bidders": _names(records, winners),
                },
            )


def _rotation_runs(tenders: list[TenderRecord], size: int) -> Iterator[list[TenderRecord]]:
    """Maximal runs of consecutive tenders in which every window of ``size`` rotates."""
    start = None
    for end in range(size, len(tenders) + 1):
        window = tenders[end - size : end]
        if _rotates(window):
            start = end - size if start is None else start
            if end == len(tenders) or not _rotates(tenders[end - size + 1 : end + 1]):
                yield tenders[start:end]
                start = None


def _rotates(window: list[TenderRecord]) -> bool:
    winners = [_lead_winner(t).supplier for t in window]
    if len(set(winners)) != len(winners):
        return False
    return all(set(winners) <= {b.bidder for b in t.submitted_bids} for t in window)
