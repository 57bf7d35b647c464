"""Planning settings: the forecast model, demand parameters, the supply network."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class TransferLink(BaseModel):
    """A transfer link's own figures (ALLOCATION.md version 2)."""

    model_config = ConfigDict(extra="forbid")
    lead_days: int = Field(ge=1, le=60)
    cost_per_unit: float = Field(ge=0, le=10**6)


class PlanningSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="OXYCHAIN_", extra="ignore")

    forecast_model: Literal[
        "blend", "holt3", "robust", "holt", "renewal", "ensemble", "growth", "naive"
    ] = Field(
        "blend",
        description="Case forecast model; blend (damped trends on log cases, from the 7-day "
        "average and robustly from daily counts) won bench/backtest_forecast.py.",
    )
    case_import_max_rows: int = Field(
        100_000,
        description="Most rows a district series file may hold (a state's districts over two "
        "years are about 55,000).",
    )
    case_import_state: str = Field(
        "Uttar Pradesh",
        description="State whose districts a tracker's district series file is read for; "
        "rows of other states are skipped.",
    )
    planning_priorities: dict[str, int] = Field(
        {"district_hospital": 10, "chc": 5, "phc": 3, "home": 1},
        description="Weight of one device-day short by facility kind (ALLOCATION.md's example "
        "policy; JSON). A home is a district's home-patient pool.",
    )
    planning_dispatch_capacity: dict[str, int] = Field(
        {"central": 400, "district": 100},
        description="Most devices a warehouse can send out in one day, by warehouse kind (JSON; "
        "UNVERIFIED defaults).",
    )
    planning_rupees_per_km: float = Field(
        1.0, description="Transport cost of one device per road km (₹; UNVERIFIED default)."
    )
    planning_km_per_day: float = Field(
        300.0, description="Road km a truck covers in a day, for lead days (UNVERIFIED default)."
    )
    planning_road_factor: float = Field(
        1.3,
        description="Road km per straight-line km between two places (UNVERIFIED default).",
    )
    planning_transfer_max_km: float = Field(
        150.0,
        ge=0,
        le=2000,
        description="District warehouses may transfer stock to one another when their "
        "headquarters are at most this many road km apart; the central warehouse reaches every "
        "district (ALLOCATION.md version 2; 0: no district-to-district links; UNVERIFIED default).",
    )
    planning_transfer_links: dict[str, TransferLink | None] = Field(
        {},
        description='Transfer links set by hand, by "FROM>TO" warehouse codes: '
        '{"lead_days": N, "cost_per_unit": RUPEES} for a link\'s own lead and cost, or null to '
        "drop a link the road-distance rule would make (JSON).",
    )
    planning_truck_capacity: int = Field(
        50, description="Concentrators one truck carries: one challan each (UNVERIFIED default)."
    )
    planning_horizon_days: int = Field(14, description="Default planning horizon (days, 1-42).")
    planning_severe_share: float = Field(
        0.15, description="Share of active cases that are severe (DOMAIN.md: early WHO figures)."
    )
    planning_on_concentrator_share: float = Field(
        1.0,
        description="Share of severe patients on a concentrator (1.0: all; lower it where piped "
        "or cylinder oxygen carries part of the load).",
    )
    planning_flow_lpm: float = Field(
        10.0, description="Oxygen flow per severe patient (LPM; DOMAIN.md: WHO)."
    )
    planning_device_lpm: float = Field(
        5.0, description="Rated flow of a concentrator (LPM; DOMAIN.md: MoHFW advisory, May 2021)."
    )
    planning_uptime: float = Field(
        0.9, description="Share of time a concentrator works (DOMAIN.md: NHM BMMP, CHC target)."
    )
    planning_home_share: float = Field(
        0.3,
        description="Share of patients on concentrators cared for at home, from the district's "
        "concentrator bank (UNVERIFIED default).",
    )
    planning_supplier_days: int = Field(
        3,
        description="Days from acceptance at a supplier's works to the consignee warehouse "
        "(UNVERIFIED default).",
    )
    planning_inspection_days: int = Field(
        7, description="Days from a lot's readiness to its verdict (UNVERIFIED default)."
    )
    planning_reoffer_days: int = Field(
        14,
        description="Days after a failed inspection until the supplier offers a replacement lot "
        "(UNVERIFIED default).",
    )
    planning_late_truck_days: int = Field(
        2,
        description="A truck past its expected arrival is counted on this many days from now "
        "(UNVERIFIED default).",
    )
