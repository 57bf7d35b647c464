"""Red flags across tenders: a bidder that bids often and rarely wins (OCP Cardinal R025,
OECD), and winners taking turns (OECD bid rotation). Only decided tenders count."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from oxychain.core.i18n import N_
from oxychain.tendering.domain.tender import TenderStatus
from oxychain.transparency.domain.records import AwardRecord, ContractingRecords, TenderRecord
from oxychain.transparency.domain.redflags.indicators import RedFlag, RedFlagRules, bidder_names


def _decided(records: ContractingRecords) -> list[TenderRecord]:
    return [t for t in records.tenders if t.status is TenderStatus.AWARDED and t.active_awards]


def frequent_losers(records: ContractingRecords, rules: RedFlagRules) -> Iterator[RedFlag]:
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


def rotations(records: ContractingRecords, rules: RedFlagRules) -> Iterator[RedFlag]:
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
                    "bidders": bidder_names(records, winners),
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
