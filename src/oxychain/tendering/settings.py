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
