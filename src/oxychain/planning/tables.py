"""Planning tables: imported case counts, scenarios, plans and the truck loads of approved
plans.

A scenario keeps the JSON document of ALLOCATION.md it was solved on, and a plan its
JSON (and the pro-rata baseline's, for the side-by-side), so anyone can replay it
later. A plan's figures are never edited; its status moves proposed → approved →
superseded, and a re-plan is a new plan whose ``previous_id`` names the old one.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from oxychain.core.tables import Base
from oxychain.planning.domain.case_file import Level
from oxychain.planning.domain.loads import Destination
from oxychain.planning.domain.plan import PlanStatus, ScenarioSource


def one_of(column: str, values: type[StrEnum]) -> str:
    """A check that a column holds one of the domain's values (the enum is the list)."""
    return f"{column} in ({', '.join(repr(v.value) for v in values)})"


class CaseImport(Base):
    """One uploaded file of case counts, stored all or nothing."""

    __tablename__ = "case_imports"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    filename: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    level: Mapped[str] = mapped_column(String(12))
    rows: Mapped[int] = mapped_column(Integer)
    regions: Mapped[int] = mapped_column(Integer)
    first_date: Mapped[date] = mapped_column(Date)
    last_date: Mapped[date] = mapped_column(Date)
    replaced: Mapped[int] = mapped_column(Integer, default=0)
    imported_by: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    __table_args__ = (CheckConstraint(one_of("level", Level), name="level"),)


class CaseCount(Base):
    """A cumulative count of confirmed cases of a region on a day, as reported."""

    __tablename__ = "case_counts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("case_imports.id"), index=True)
    level: Mapped[str] = mapped_column(String(12))
    region: Mapped[str] = mapped_column(String(80))
    day: Mapped[date] = mapped_column(Date)
    confirmed: Mapped[int] = mapped_column(BigInteger)
    __table_args__ = (
        UniqueConstraint("level", "region", "day", name="uq_case_counts_region_day"),
        CheckConstraint("confirmed >= 0", name="confirmed_non_negative"),
    )


class PlanScenario(Base):
    """A scenario as it was solved: the planner's choices, what it was built from, and the
    scenario document of ALLOCATION.md."""

    __tablename__ = "plan_scenarios"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    source: Mapped[str] = mapped_column(String(12))
    base_id: Mapped[int | None] = mapped_column(ForeignKey("plan_scenarios.id"))
    choice: Mapped[dict] = mapped_column(JSON)
    # Large (a UP scenario's document is about a megabyte): loaded only when asked for.
    inputs: Mapped[dict] = mapped_column(JSON, deferred=True)
    document: Mapped[dict] = mapped_column(JSON, deferred=True)
    horizon_days: Mapped[int] = mapped_column(Integer)
    warehouses: Mapped[int] = mapped_column(Integer)
    facilities: Mapped[int] = mapped_column(Integer)
    routes: Mapped[int] = mapped_column(Integer)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    __table_args__ = (CheckConstraint(one_of("source", ScenarioSource), name="source"),)


class Plan(Base):
    """An allocation plan of a scenario, with its pro-rata baseline and its replay check."""

    __tablename__ = "plans"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("plan_scenarios.id"), index=True)
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id"))
    status: Mapped[str] = mapped_column(String(12))
    solver_status: Mapped[str] = mapped_column(String(16))
    weighted_shortfall: Mapped[int] = mapped_column(BigInteger)
    transport_paise: Mapped[int] = mapped_column(BigInteger)
    prorata_weighted_shortfall: Mapped[int] = mapped_column(BigInteger)
    prorata_transport_paise: Mapped[int] = mapped_column(BigInteger)
    solve_seconds: Mapped[float] = mapped_column(Float)
    result: Mapped[dict] = mapped_column(JSON, deferred=True)
    prorata: Mapped[dict] = mapped_column(JSON, deferred=True)
    # with a fill floor: weighted shortfall, cost and lowest district fill with and without
    floor_price: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    replay_ok: Mapped[bool] = mapped_column(Boolean)
    replay_problems: Mapped[list] = mapped_column(JSON)
    reason: Mapped[str | None] = mapped_column(String(200))
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    approved_by: Mapped[str | None] = mapped_column(String(64))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    superseded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    __table_args__ = (
        CheckConstraint(one_of("status", PlanStatus), name="status"),
        Index("ix_plans_status", "status", "id"),
    )


class PlanLoad(Base):
    """One truck of an approved plan: devices from a warehouse on a day to one place.

    ``key`` is the dispatch challan's idempotency key, fixed when the plan is approved,
    so loading the same truck twice never makes a second challan."""

    __tablename__ = "plan_loads"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    day: Mapped[int] = mapped_column(Integer)
    from_warehouse: Mapped[str] = mapped_column(String(24))
    to_kind: Mapped[str] = mapped_column(String(12))
    to_code: Mapped[str] = mapped_column(String(32))
    serves: Mapped[str] = mapped_column(String(40))
    quantity: Mapped[int] = mapped_column(Integer)
    truck: Mapped[int] = mapped_column(Integer)
    key: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True)
    challan_number: Mapped[str | None] = mapped_column(String(24))
    dispatched_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    dispatched_by: Mapped[str | None] = mapped_column(String(64))
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint(one_of("to_kind", Destination), name="to_kind"),
    )


class GapRefresh(Base):
    """The daily forecast and gap, computed by the worker (``planning.jobs``): one row per
    day in India, each district's peak requirement, installed, pipeline and peak gap."""

    __tablename__ = "gap_refreshes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date] = mapped_column(Date, unique=True)
    forecast_as_of: Mapped[date] = mapped_column(Date)
    horizon_days: Mapped[int] = mapped_column(Integer)
    model: Mapped[str] = mapped_column(String(12))
    districts_short: Mapped[int] = mapped_column(Integer)
    devices_short: Mapped[int] = mapped_column(Integer)
    districts: Mapped[list] = mapped_column(JSON)
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
