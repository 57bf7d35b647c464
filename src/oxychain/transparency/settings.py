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
    ocds_documents_uri: str = Field(
        "https://example.invalid",
        description="The app's public address; OCDS documents (tender notice, corrigenda, "
        "letters of award, purchase orders) are linked from it.",
    )
    ocds_publisher_scheme: str = Field(
        "IN-MCA",
        description="The corporation's identifier scheme (org-id.guide code; IN-MCA: the "
        "Ministry of Corporate Affairs' corporate identity number, CIN). Also the buyer's.",
    )
    ocds_publisher_uid: str = Field(
        "",
        description="The corporation's identifier in that scheme (its CIN); required in "
        "production.",
    )
    ocds_publisher_uri: str = Field("", description="The corporation's web site, if any.")
    ocds_license: str = Field(
        "",
        description="URL of the license the data is published under (e.g. the Government Open "
        "Data License - India); required in production.",
    )
    ocds_publication_policy: str = Field(
        "",
        description="URL of the corporation's publication policy for this data; required in "
        "production.",
    )
    ocds_gstin_scheme: str = Field(
        "IN-GSTIN", description="Identifier scheme the export gives suppliers' GSTINs."
    )
    ocds_pan_scheme: str = Field(
        "IN-PAN", description="Identifier scheme the export gives suppliers' PANs."
    )
    ocds_udyam_scheme: str = Field(
        "IN-UDYAM",
        description="Identifier scheme the export gives suppliers' Udyam registration numbers.",
    )
    ocds_item_scheme: str = Field(
        "UNSPSC", description="Classification scheme of the items (OCDS itemClassificationScheme)."
    )
    ocds_item_code: str = Field(
        "42271702",
        description="The items' code in that scheme (UNSPSC 42271702, oxygen concentrators, as the "
        "issue gives it; not checked against the UNSPSC code set here).",
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
    redflag_disqualified_min_bids: int = Field(
        _DEFAULTS.disqualified_min_bids,
        description="OCP Cardinal R038: a tenderer with fewer submitted bids is not compared.",
    )
    redflag_rotation_min_tenders: int = Field(
        _DEFAULTS.rotation_min_tenders,
        description="Red flag when this many tenders in a row for one item go to different "
        "members of one group of bidders.",
    )
