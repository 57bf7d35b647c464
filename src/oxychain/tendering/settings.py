"""Tendering settings: liquidated damages, purchase preferences, the demo's opener keys."""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class TenderingSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="OXYCHAIN_", extra="ignore")

    ld_bp_per_week: int = Field(
        50,
        description="Liquidated damages per week or part of a week of delay, in basis points of "
        "the value of the delayed goods (50 = 0.5 %; UNVERIFIED default, DOMAIN.md).",
    )
    ld_cap_bp: int = Field(
        1000,
        description="Cap of liquidated damages, in basis points of the value of the delayed goods "
        "(1000 = 10 %; UNVERIFIED default, DOMAIN.md).",
    )
    mse_share_bp: int = Field(
        2500,
        description="Share of a tender's quantity for MSEs matching L1, in basis points (2500 = "
        "25 %; older text says 20 %; UNVERIFIED default).",
    )
    mii_margin_bp: int = Field(
        2000,
        description="Make in India margin of purchase preference: Class-I bidders within L1 plus "
        "this many basis points may match L1 (2000 = 20 %; UNVERIFIED default).",
    )
    preference_order: Literal["mse_first", "mii_first"] = Field(
        "mse_first",
        description="When a tender applies both the MSE and the Make in India purchase "
        "preference, which applies first (neither Order settles it, DOMAIN.md): mse_first gives "
        "matching MSEs their share, then Class-I the rest above L1's 50 %; mii_first gives "
        "Class-I all above L1's 50 % first. Frozen with each tender at its creation.",
    )
    mii_class_i_pct: int = Field(
        50,
        ge=1,
        le=100,
        description="Make in India: self-certified local content (%) from which a bid is "
        "Class-I (Public Procurement (Preference to Make in India) Order 2017, revised "
        "16-09-2020: 50 %), for items without their own thresholds.",
    )
    mii_class_ii_pct: int = Field(
        20,
        ge=0,
        le=99,
        description="Make in India: local content (%) above which a bid below the Class-I "
        "threshold is Class-II (the Order of 16-09-2020: 20 %); at or below it, non-local.",
    )
    mii_item_thresholds: dict[str, tuple[int, int]] = Field(
        default_factory=dict,
        description="Per-item Class-I and Class-II local content thresholds (%), as JSON: "
        '{"OC-10": [60, 30]} (a ministry may notify higher ones; the Order of 16-09-2020).',
    )
    mii_class_i_only_items: list[str] = Field(
        default_factory=list,
        description="Item codes on the Department of Pharmaceuticals' list, for which only "
        'Class-I local suppliers may bid, as JSON: ["OC-10"]. Empty by default: which '
        "concentrators the list names is not verified here; set it from the DoP's notification.",
    )
    demo_keys_dir: str = Field(
        "var/demo-opener-keys",
        description="Where the demo loader keeps the DEMO-ONLY opener private keys and passwords "
        "(files 0600; reused when present).",
    )
    reminder_bids_due_hours: int = Field(
        24,
        description="Suppliers who have not bid are reminded this many hours before a "
        "tender's deadline.",
    )
    reminder_security_days: int = Field(
        30,
        description="The supplier and the officers are told this many days before a "
        "performance security expires.",
    )
