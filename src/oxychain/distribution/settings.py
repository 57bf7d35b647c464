"""Distribution and service settings: warranty, SLA, maintenance, home loans."""

from __future__ import annotations

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class DistributionSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="OXYCHAIN_", extra="ignore")

    phone_hash_pepper: str = Field(
        "",
        description="Secret key of the keyed hash (HMAC-SHA256) of home-loan patients' mobile "
        "numbers. Required in production; development and test use a fixed development key.",
    )
    warranty_months: int = Field(
        24,
        description="Warranty from the consignee receipt when the tender names none (months; "
        "UNVERIFIED default).",
    )
    cmc_months: int = Field(
        36,
        description="Comprehensive maintenance contract after the warranty (months; "
        "UNVERIFIED default).",
    )
    service_sla_hours: dict[str, int] = Field(
        {"district_hospital": 24, "chc": 48, "phc": 72, "home": 48, "warehouse": 72},
        description="Hours to resolve a fault ticket, by place (JSON; UNVERIFIED defaults).",
    )
    pm_interval_days: int = Field(
        180,
        description="Preventive maintenance interval of an installed device (days; UNVERIFIED).",
    )
    loan_days: int = Field(30, description="Default length of a home loan (days).")
    loan_deposit_rupees: int = Field(
        5000, description="Default refundable deposit of a home loan (₹; UNVERIFIED default)."
    )

    ticket_escalation_hours: list[int] = Field(
        [0, 24, 72],
        description="Hours past a fault ticket's SLA at which it is told to the repairer and "
        "the place, then the district officer, then headquarters (JSON; UNVERIFIED defaults).",
    )
    reminder_pm_days_ahead: int = Field(
        7,
        description="Preventive maintenance is reminded to the facility this many days before "
        "it falls due (days).",
    )

    @model_validator(mode="after")
    def _pepper_in_production(self) -> DistributionSettings:
        # ``environment`` is core's setting; the composed Settings has both.
        if getattr(self, "environment", None) == "production" and len(self.phone_hash_pepper) < 16:
            raise ValueError(
                "OXYCHAIN_PHONE_HASH_PEPPER must be set (16+ characters) in production"
            )
        return self

    @property
    def loan_pepper(self) -> str:
        """The phone-hash key; a fixed development key outside production."""
        return self.phone_hash_pepper or "oxychain-development-pepper-not-secret"
