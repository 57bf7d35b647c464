"""The allocation scenario and plan as ALLOCATION.md writes them, for the OpenAPI document.

The API passes these documents through as sent and as solved (the domain checks a scenario
field by field, and a plan is replayed against its scenario), so these models document
the shapes (``core.web.openapi.documented``) and never parse them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

_FROM = {"alias": "from"}


class ArrivalDoc(BaseModel):
    day: int = Field(ge=0, description="0 … horizon_days − 1.")
    quantity: int = Field(ge=0, description="Devices.")


class WarehouseDoc(BaseModel):
    id: str
    district: str
    on_hand: int = Field(ge=0, description="Devices accepted and ready on day 0.")
    arrivals: list[ArrivalDoc] = []
    dispatch_capacity: int | None = Field(None, description="Most devices sent in one day.")


class FacilityDoc(BaseModel):
    id: str
    district: str
    kind: str
    priority: int = Field(ge=1, description="Weight of one device-day short.")
    installed: int = Field(ge=0, description="Devices in service on day 0.")
    requirement: int | list[int] = Field(
        description="Devices needed in service each day: one number or horizon_days numbers."
    )


class RouteDoc(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    from_: str = Field(alias="from", description="Warehouse id.")
    to: str = Field(description="Facility id (routes) or warehouse id (transfers).")
    lead_days: int = Field(ge=0)
    cost_per_unit: float = Field(ge=0, description="Rupees per device, at most two decimals.")


class FairnessDoc(BaseModel):
    kind: Literal["fill_floor"]
    min_fill: float = Field(ge=0, le=1)
    min_fill_by_kind: dict[str, float] = {}


class PolicyDoc(BaseModel):
    fairness: FairnessDoc | None = None


class ScenarioDocument(BaseModel):
    """An allocation scenario (ALLOCATION.md, versions 1 and 2); unknown fields are errors."""

    name: str
    horizon_days: int = Field(ge=1)
    warehouses: list[WarehouseDoc]
    facilities: list[FacilityDoc]
    routes: list[RouteDoc]
    transfers: list[RouteDoc] = []
    policy: PolicyDoc = Field(default_factory=PolicyDoc)


class ShipmentDoc(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    from_: str = Field(alias="from")
    to: str
    day: int
    quantity: int


class ShortfallDoc(BaseModel):
    facility: str
    day: int
    quantity: int


class PlanDocument(BaseModel):
    """A plan (ALLOCATION.md): what to ship, what stays short, and the objectives."""

    status: str = Field(description="optimal, or what it is (time_limit, ...).")
    weighted_shortfall: float
    transport_cost: float = Field(description="Rupees.")
    floor_shortfall: float | None = Field(None, description="With a fairness policy.")
    shipments: list[ShipmentDoc]
    transfers: list[ShipmentDoc] = []
    shortfall: list[ShortfallDoc]
    district_fill: dict[str, float] = Field(description="Per district, 0 … 1.")
    solve_seconds: float = Field(description="Seconds.")
