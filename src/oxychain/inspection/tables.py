"""Inspection tables: the device registry, lots, samples, test records, verdicts, switching.

Nothing of an inspection is edited: a test record corrected is a new version linked to the
old one (``unit_tests.previous_id``), a re-offered lot is a new version linked to the
rejected one (``lots.previous_id``), the switching state of a supplier × item is a history
of rows (the newest is the state). Statuses that move (a lot's, a device's QA status) move
only by their lifecycles (``domain.lot.LOT``, ``domain.device.QA``), each move audited; the
CHECK constraints list the same statuses as the domain's enums.

``devices`` carries UNIQUE (id, qa_status) so that a dispatch line can reference
(device_id, device_qa_status) with CHECK device_qa_status = 'accepted': the database
itself refuses to dispatch a device that inspection did not accept
(var/coord/inspection.md).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from oxychain.core.tables import Base
from oxychain.inspection.domain.device import QaStatus
from oxychain.inspection.domain.lot import LotStatus
from oxychain.masterdata.domain.sampling import Severity

QA_STATUSES = tuple(s.value for s in QaStatus)
LOT_STATUSES = tuple(s.value for s in LotStatus)
SEVERITIES = tuple(s.value for s in Severity)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} in (" + ", ".join(f"'{v}'" for v in values) + ")"


class Lot(Base):
    """A lot offered against a purchase-order tranche; version > 1 is a re-offer."""

    __tablename__ = "lots"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(60))
    version: Mapped[int] = mapped_column(Integer, default=1)
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("lots.id"))
    purchase_order_id: Mapped[int] = mapped_column(ForeignKey("purchase_orders.id"), index=True)
    tranche_id: Mapped[int] = mapped_column(ForeignKey("po_tranches.id"), index=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    place: Mapped[str] = mapped_column(String(200))
    ready_on: Mapped[date] = mapped_column(Date)
    offered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    offered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(16), default=LotStatus.OFFERED.value)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("inspection_agencies.id"), index=True)
    inspector_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    assigned_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    aql: Mapped[str] = mapped_column(String(8))
    inspection_level: Mapped[str] = mapped_column(String(4))
    # The plan, fixed when the sample is drawn.
    severity: Mapped[str | None] = mapped_column(String(12))
    code_letter: Mapped[str | None] = mapped_column(String(1))
    plan_letter: Mapped[str | None] = mapped_column(String(1))
    sample_size: Mapped[int | None] = mapped_column(Integer)
    accept_number: Mapped[int | None] = mapped_column(Integer)
    reject_number: Mapped[int | None] = mapped_column(Integer)
    seed: Mapped[str | None] = mapped_column(String(24))
    sampled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    __table_args__ = (
        UniqueConstraint("number", "version", name="uq_lots_number_version"),
        CheckConstraint(_in("status", LOT_STATUSES), name="status"),
        CheckConstraint("quantity >= 2", name="quantity_at_least_two"),
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint(f"severity is null or {_in('severity', SEVERITIES)}", name="severity"),
        Index("ix_lots_status", "status"),
    )


class Device(Base):
    """One concentrator by serial: the registry."""

    __tablename__ = "devices"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    serial: Mapped[str] = mapped_column(String(40), unique=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"), index=True)
    purchase_order_id: Mapped[int] = mapped_column(ForeignKey("purchase_orders.id"), index=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"), index=True)
    make: Mapped[str] = mapped_column(String(80))
    model: Mapped[str] = mapped_column(String(80))
    manufactured_on: Mapped[date] = mapped_column(Date)
    qa_status: Mapped[str] = mapped_column(String(16), default=QaStatus.OFFERED.value)
    registered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    __table_args__ = (
        UniqueConstraint("id", "qa_status", name="uq_devices_id_qa_status"),
        CheckConstraint(_in("qa_status", QA_STATUSES), name="qa_status"),
        Index("ix_devices_lot_qa_status", "lot_id", "qa_status"),
    )


class LotSample(Base):
    """A unit drawn into a lot's sample (position in the draw), or a replacement unit."""

    __tablename__ = "lot_samples"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"), index=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id"), unique=True)
    position: Mapped[int] = mapped_column(Integer)
    replacement_of_id: Mapped[int | None] = mapped_column(ForeignKey("lot_samples.id"))
    __table_args__ = (
        UniqueConstraint("lot_id", "position", name="uq_lot_samples_position"),
        CheckConstraint("position >= 1", name="position_positive"),
    )


class UnitTest(Base):
    """The acceptance test of one sampled unit; a correction is a new version."""

    __tablename__ = "unit_tests"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sample_id: Mapped[int] = mapped_column(ForeignKey("lot_samples.id"), index=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("unit_tests.id"), unique=True)
    warm_up_min: Mapped[Decimal] = mapped_column(Numeric(8, 2))
    passed: Mapped[bool] = mapped_column(Boolean)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    copied_from_id: Mapped[int | None] = mapped_column(ForeignKey("unit_tests.id"))
    note: Mapped[str | None] = mapped_column(String(300))
    # a draft until the inspector signs the unit; only signed units count for the verdict
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    signed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    __table_args__ = (
        UniqueConstraint("sample_id", "version", name="uq_unit_tests_sample_version"),
        CheckConstraint("version >= 1", name="version_positive"),
    )


class Reading(Base):
    """One reading of a unit test, judged against the item's limit when it was entered."""

    __tablename__ = "readings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_test_id: Mapped[int] = mapped_column(ForeignKey("unit_tests.id"))
    point: Mapped[str] = mapped_column(String(40))
    parameter: Mapped[str] = mapped_column(String(40))
    set_flow_lpm: Mapped[int | None] = mapped_column(Integer)
    value: Mapped[Decimal | None] = mapped_column(Numeric(14, 4))
    observed: Mapped[bool | None] = mapped_column(Boolean)
    passed: Mapped[bool] = mapped_column(Boolean)
    __table_args__ = (
        UniqueConstraint("unit_test_id", "point", name="uq_readings_unit_test_point"),
        Index("ix_readings_parameter", "parameter", "passed"),
    )


class Verdict(Base):
    """A lot's binding verdict, one per lot."""

    __tablename__ = "verdicts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"), unique=True)
    accepted: Mapped[bool] = mapped_column(Boolean)
    severity: Mapped[str] = mapped_column(String(12))
    sample_size: Mapped[int] = mapped_column(Integer)
    accept_number: Mapped[int] = mapped_column(Integer)
    reject_number: Mapped[int] = mapped_column(Integer)
    tested: Mapped[int] = mapped_column(Integer)
    failures: Mapped[int] = mapped_column(Integer)
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    __table_args__ = (CheckConstraint(_in("severity", SEVERITIES), name="severity"),)


class SwitchingRecord(Base):
    """The ISO 2859-1 clause-9 state of a supplier × item after each counted lot."""

    __tablename__ = "switching_records"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    seq: Mapped[int] = mapped_column(Integer)
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lots.id"))
    severity: Mapped[str] = mapped_column(String(12))
    recent: Mapped[str] = mapped_column(String(8))  # "A" accepted, "R" not, oldest first
    consecutive_accepted: Mapped[int] = mapped_column(Integer)
    switching_score: Mapped[int] = mapped_column(Integer)
    not_accepted_on_tightened: Mapped[int] = mapped_column(Integer)
    discontinued: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str | None] = mapped_column(String(40))  # a SwitchReason code
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    __table_args__ = (
        UniqueConstraint("supplier_id", "item_id", "seq", name="uq_switching_records_seq"),
        CheckConstraint(_in("severity", SEVERITIES), name="severity"),
    )
