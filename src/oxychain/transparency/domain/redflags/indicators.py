"""The red-flag indicators with their sources, the thresholds, and a flag as reported."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from oxychain.core import formatting
from oxychain.core.i18n import N_
from oxychain.transparency.domain.records import ContractingRecords

# The Open Contracting Partnership's Cardinal library (open-contracting/cardinal-rs): each
# indicator's definition is docs/cli/indicators/R/<number>.md there.
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
        Indicator("late_bid_won", N_("Late bid won"), CARDINAL.format(code="R030")),
        Indicator(
            "shared_details",
            N_("Bidders share contact or bank details"),
            CARDINAL.format(code="R044") + " (business similarities between suppliers: "
            "address, contact point); " + OECD + " (bank account)",
        ),
        Indicator(
            "disqualified_often",
            N_("Excessive disqualified bids"),
            CARDINAL.format(code="R038") + " (per tenderer)",
        ),
        Indicator(
            "heterogeneous_supplier",
            N_("Heterogeneous supplier"),
            CARDINAL.format(code="R048"),
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
    """Thresholds; the settings (``redflag_*``) take their defaults from these."""

    min_bid_period_days: int = 15
    close_bid_pct: Decimal = Decimal("1")
    discount_pct: Decimal = Decimal("25")
    over_reference_pct: Decimal = Decimal("0")
    frequent_bidder_min_bids: int = 4
    frequent_bidder_max_win_pct: Decimal = Decimal("20")
    rotation_min_tenders: int = 3
    # R038: tenderers with fewer submitted bids are left out (Cardinal's default, 2).
    disqualified_min_bids: int = 2
    # R048: the classification of a tender's items when the records give none.
    item_classification: str = "42271702"


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


# --- how a flag shows its figures ---------------------------------------------------------


def money(value: Decimal) -> str:
    return formatting.rupees(value, paise=value != value.to_integral_value())


def percent(value: Decimal) -> str:
    return formatting.number(value, digits=1)


def bidder_names(records: ContractingRecords, codes: Iterable[str]) -> str:
    return ", ".join(records.bidder_name(c) for c in codes)
