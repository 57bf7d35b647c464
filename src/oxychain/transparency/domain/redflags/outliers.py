"""Red flags that compare suppliers with each other, as OCP Cardinal does: a tenderer is
flagged when its figure reaches the upper fence Q3 + 1.5 × IQR of everyone's figures.

- R038 (excessive disqualified bids, docs/cli/indicators/R/038.md): per tenderer, the
  share of its submitted bids that were disqualified, over tenderers with at least
  ``disqualified_min_bids`` bids in tenders whose technical evaluation is done. Cardinal
  also compares buyers and procuring entities; oxychain has one buyer, so that half says
  nothing and is left out.
- R048 (heterogeneous supplier, docs/cli/indicators/R/048.md): per supplier, the number of
  distinct first levels (the first two digits: the UNSPSC segment) of the classifications
  of the items awarded to it.

Quartiles are Hyndman and Fan's method 8, which statrs (Cardinal's statistics library)
documents for its quantiles. One departure: a figure of 0 (no disqualified bid) or 1 (one
segment) is never flagged, where Cardinal flags any figure that reaches a fence of 0 or 1:
with oxychain's few suppliers and one commodity that fence is common, and the flag would
name every supplier.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction

from oxychain.core.i18n import N_
from oxychain.transparency.domain.records import BidStanding, ContractingRecords
from oxychain.transparency.domain.redflags.indicators import RedFlag, RedFlagRules, percent


def quantile(values: list[float], p: float) -> float:
    """Hyndman and Fan's sample quantile, method 8 (median-unbiased)."""
    data = sorted(values)
    n = len(data)
    h = (n + 1 / 3) * p + 1 / 3
    if h <= 1:
        return data[0]
    if h >= n:
        return data[-1]
    low = math.floor(h)
    return data[low - 1] + (h - low) * (data[low] - data[low - 1])


def upper_fence(values: list[float]) -> float:
    q1, q3 = quantile(values, 0.25), quantile(values, 0.75)
    return q3 + 1.5 * (q3 - q1)


def disqualified_often(records: ContractingRecords, rules: RedFlagRules) -> Iterator[RedFlag]:
    bids: dict[str, int] = defaultdict(int)
    disqualified: dict[str, int] = defaultdict(int)
    for tender in records.tenders:
        submitted = tender.submitted_bids
        if not tender.bids_opened or any(b.status is BidStanding.PENDING for b in submitted):
            continue  # the technical evaluation is not done: no bid is disqualified yet
        for bid in submitted:
            bids[bid.bidder] += 1
            disqualified[bid.bidder] += bid.status is BidStanding.DISQUALIFIED
    ratios = {
        code: Fraction(disqualified[code], n)
        for code, n in bids.items()
        if n >= rules.disqualified_min_bids
    }
    if not ratios:
        return
    fence = upper_fence([float(r) for r in ratios.values()])
    for code in sorted(ratios):
        ratio = ratios[code]
        if ratio > 0 and float(ratio) >= fence:
            yield RedFlag(
                "disqualified_often",
                None,
                (code,),
                N_("{bidder} had {disqualified} of {bids} bids disqualified ({share} %)."),
                {
                    "bidder": records.bidder_name(code),
                    "disqualified": str(disqualified[code]),
                    "bids": str(bids[code]),
                    "share": percent(Decimal(ratio.numerator * 100) / ratio.denominator),
                },
            )


def heterogeneous_suppliers(records: ContractingRecords, rules: RedFlagRules) -> Iterator[RedFlag]:
    segments: dict[str, set[str]] = defaultdict(set)
    for tender in records.tenders:
        code = tender.item_classification or rules.item_classification
        for award in tender.active_awards:
            segments[award.supplier].add(code[:2])
    if not segments:
        return
    fence = upper_fence([float(len(s)) for s in segments.values()])
    for supplier in sorted(segments):
        variety = len(segments[supplier])
        if variety > 1 and variety >= fence:
            yield RedFlag(
                "heterogeneous_supplier",
                None,
                (supplier,),
                N_("{bidder} was awarded items of {count} different UNSPSC segments."),
                {"bidder": records.bidder_name(supplier), "count": str(variety)},
            )
