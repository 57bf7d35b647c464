"""Master-data tables: districts, warehouses, facilities, suppliers, inspection agencies, items."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from oxychain.core.tables import Base


class District(Base):
    __tablename__ = "districts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    name_hi: Mapped[str] = mapped_column(String(80))
    division: Mapped[str] = mapped_column(String(40))
    population_2011: Mapped[int | None] = mapped_column(BigInteger)
    area_km2: Mapped[int | None] = mapped_column(Integer)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)


class Warehouse(Base):
    __tablename__ = "warehouses"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(24), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    name_hi: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(16))  # central | district
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"), index=True)
    __table_args__ = (CheckConstraint("kind in ('central', 'district')", name="kind"),)


class Facility(Base):
    __tablename__ = "facilities"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(160))
    name_hi: Mapped[str] = mapped_column(String(160))
    kind: Mapped[str] = mapped_column(String(24))
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"))
    beds: Mapped[int] = mapped_column(Integer)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    __table_args__ = (
        CheckConstraint("beds >= 0", name="beds_non_negative"),
        Index("ix_facilities_district_kind", "district_id", "kind"),
    )


class Supplier(Base):
    __tablename__ = "suppliers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(24), unique=True)
    name: Mapped[str] = mapped_column(String(160))
    address: Mapped[str] = mapped_column(String(300), default="")
    email: Mapped[str] = mapped_column(String(160), default="")
    phone: Mapped[str] = mapped_column(String(32), default="")
    is_mse: Mapped[bool] = mapped_column(Boolean, default=False)
    # Identity (domain/suppliers.py checks each); "" when not given.
    gstin: Mapped[str] = mapped_column(String(15), default="", server_default="")
    pan: Mapped[str] = mapped_column(String(10), default="", server_default="")
    udyam: Mapped[str] = mapped_column(String(19), default="", server_default="")
    # For the yearly MSE report (MSE Order 2012: 4 % SC/ST-owned, 3 % women-owned).
    sc_st_owned: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    women_owned: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    is_startup: Mapped[bool] = mapped_column(Boolean, default=False)
    local_content_class: Mapped[str] = mapped_column(String(16), default="non-local")
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)


class InspectionAgency(Base):
    __tablename__ = "inspection_agencies"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(24), unique=True)
    name: Mapped[str] = mapped_column(String(160))
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)


class Item(Base):
    __tablename__ = "items"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(24), unique=True)
    name: Mapped[str] = mapped_column(String(160))
    name_hi: Mapped[str] = mapped_column(String(160))
    rated_flow_lpm: Mapped[int] = mapped_column(Integer)
