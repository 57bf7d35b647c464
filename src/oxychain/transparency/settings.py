"""Open-contracting and red-flag settings."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from oxychain.transparency.domain.redflags import RedFlagRules

# The red flags' thresholds have one set of defaults: the domain's.
_DEFAULTS = RedFlagRules()


class TransparencySettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="OXYCHAIN_", extra="ignore")

    ocds_ocid_prefix: str = Field(
        "ocds-XXXXXX-oxychain",
        description="OCDS ocid prefix: 'ocds-' and the 6 characters registered for the publisher. "
        "The default is a TEST value, not a registered prefix.",
    )
    ocds_base_uri: str = Field(
        "https://example.invalid/ocds",
        description="Where release packages are published; each package's uri starts with it.",
    )
    redflag_min_bid_period_days: int = Field(
        _DEFAULTS.min_bid_period_days,
        description="Red flag when a tender's bid period is shorter than this (days).",
    )
    redflag_close_bid_pct: float = Field(
        float(_DEFAULTS.close_bid_pct),
        description="Red flag when the runner-up's price is within this % of the winner's.",
    )
    redflag_discount_pct: float = Field(
        float(_DEFAULTS.discount_pct),
        description="Red flag when the runner-up's price is more than this % above the winner's.",
    )
    redflag_over_reference_pct: float = Field(
        float(_DEFAULTS.over_reference_pct),
        description="Red flag when an award's unit price is more than this % above its reference.",
    )
    redflag_frequent_bidder_min_bids: int = Field(
        _DEFAULTS.frequent_bidder_min_bids,
        description="A bidder with at least this many bids that rarely wins is flagged.",
    )
    redflag_frequent_bidder_max_win_pct: float = Field(
        float(_DEFAULTS.frequent_bidder_max_win_pct),
        description="'Rarely wins': at most this % of a frequent bidder's bids won.",
    )
    redflag_rotation_min_tenders: int = Field(
        _DEFAULTS.rotation_min_tenders,
        description="Red flag when this many tenders in a row for one item go to different "
        "members of one group of bidders.",
    )
