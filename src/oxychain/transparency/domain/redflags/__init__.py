"""Red flags that the tender data can show: reasons to open a file, never verdicts.

The flags are DOMAIN.md's list ("Red flags that the data can show"), each computed the
way its source defines it:

- OCP Cardinal: the Open Contracting Partnership's red-flag indicators (the Cardinal
  library, open-contracting/cardinal-rs), named by their codes: R003 short submission
  period, R018 single bid received, R024 price close to winning bid, R025 excessive
  unsuccessful bids, R028 identical bid prices, R030 late bid won, R035 all except
  winning bid disqualified, R036 lowest bid disqualified, R038 excessive disqualified
  bids, R044 business similarities between suppliers, R048 heterogeneous supplier, R058
  heavily discounted bid. Where Cardinal compares with quartile fences
  over a whole data set, oxychain uses a fixed threshold (a setting).
- OECD: Guidelines for Fighting Bid Rigging in Public Procurement (2009), whose
  checklist names bid rotation, firms that always bid but never win, bidders sharing
  addresses or phone numbers, and prices above estimates or earlier purchases.

Flags that name bidders are computed only for tenders whose bids have been opened, so
the report never tells an officer who bid before the opening.
"""

from __future__ import annotations

from oxychain.transparency.domain.records import ContractingRecords
from oxychain.transparency.domain.redflags.across_tenders import frequent_losers, rotations
from oxychain.transparency.domain.redflags.indicators import (
    INDICATORS,
    Indicator,
    RedFlag,
    RedFlagRules,
)
from oxychain.transparency.domain.redflags.outliers import (
    disqualified_often,
    heterogeneous_suppliers,
)
from oxychain.transparency.domain.redflags.tender_checks import TENDER_CHECKS

__all__ = ["INDICATORS", "Indicator", "RedFlag", "RedFlagRules", "red_flags"]


def red_flags(records: ContractingRecords, rules: RedFlagRules | None = None) -> list[RedFlag]:
    """Every red flag in the records: per tender first (in the records' order), then per
    bidder (frequent losers, disqualified often, heterogeneous), then rotations."""
    rules = rules or RedFlagRules()
    flags: list[RedFlag] = []
    for tender in records.tenders:
        for check in TENDER_CHECKS:
            flags.extend(check(tender, records, rules))
    flags.extend(frequent_losers(records, rules))
    flags.extend(disqualified_often(records, rules))
    flags.extend(heterogeneous_suppliers(records, rules))
    flags.extend(rotations(records, rules))
    return flags
