"""Inspection settings."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class InspectionSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="OXYCHAIN_", extra="ignore")

    inspection_reduced_approved: bool = Field(
        False,
        description=(
            "The corporation approves reduced inspection (ISO 2859-1, 9.3.3) for a supplier's "
            "item once its switching score reaches 30 with steady production."
        ),
    )
    reminder_lot_waiting_days: int = Field(
        3,
        description="A lot waiting this many days for an inspector, its sample or its "
        "readings is reminded to whoever takes the next step (days).",
    )
