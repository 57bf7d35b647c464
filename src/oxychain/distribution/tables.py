"""Distribution and service tables: scan events, derived device state, challans, loans,
fault tickets and acceptance certificates.

``device_events`` is append-only (database triggers refuse UPDATE and DELETE, see
migration 0004) and holds one row per scan, unique by the client's idempotency key.
``device_state`` is derived: one row per device that has moved, updated in the same
transaction as the event that moved it, and indexed for the stock views. A challan line
carries the composite foreign key (device_id, device_qa_status) → devices(id, qa_status)
with ``device_qa_status = 'accepted'``: the database itself refuses to put a device that
did not pass inspection on a truck (var/coord/inspection.md).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Uuid,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from oxychain.core.tables import Base
from oxychain.distribution.domain.certificate import PaymentMilestone
from oxychain.distribution.domain.challan import ChallanSource, ChallanStatus, DiscrepancyKind
from oxychain.distribution.domain.lifecycle import DeviceState, PlaceKind
from oxychain.distribution.domain.loan import LoanStatus
from oxychain.distribution.domain.maintenance import Coverage
from oxychain.distribution.domain.ticket import TicketStatus
from oxychain.inspection.domain.device import QaStatus

BIGID = BigInteger().with_variant(Integer, "sqlite")


def _in(column: str, values: type[StrEnum]) -> str:
    """The CHECK that keeps a column to the values of the domain's enum."""
    return f"{column} in (" + ", ".join(f"'{v.value}'" for v in values) + ")"


def _partial(name: str, *columns: str) -> Index:
    """An index over the rows where its first column is set."""
    where = text(f"{columns[0]} IS NOT NULL")
    return Index(name, *columns, sqlite_where=where, postgresql_where=where)


class DeviceEvent(Base):
    """One scan: a device took an event at a place and a time, sent by a person."""

    __tablename__ = "device_events"
    id: Mapped[int] = mapped_column(BIGID, primary_key=True)
    idempotency_key: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id"))
    kind: Mapped[str] = mapped_column(String(16))
    state_before: Mapped[str] = mapped_column(String(16))
    state_after: Mapped[str] = mapped_column(String(16))
    place_kind: Mapped[str] = mapped_column(String(12))
    place_id: Mapped[int] = mapped_column(Integer)
    district_id: Mapped[int | None] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(64))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    challan_id: Mapped[int | None] = mapped_column(Integer)
    loan_id: Mapped[int | None] = mapped_column(Integer)
    ticket_id: Mapped[int | None] = mapped_column(Integer)
    __table_args__ = (
        Index("ix_device_events_device", "device_id", "id"),
        CheckConstraint(_in("state_after", DeviceState), name="state_after"),
        CheckConstraint(_in("place_kind", PlaceKind), name="place_kind"),
    )


class DevicePosition(Base):
    """Where a device is now and in which state: what its events leave behind."""

    __tablename__ = "device_state"
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id"), primary_key=True)
    state: Mapped[str] = mapped_column(String(16))
    place_kind: Mapped[str] = mapped_column(String(12))
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("suppliers.id"))
    warehouse_id: Mapped[int | None] = mapped_column(ForeignKey("warehouses.id"))
    facility_id: Mapped[int | None] = mapped_column(ForeignKey("facilities.id"))
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"))
    since: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer)
    challan_id: Mapped[int | None] = mapped_column(Integer)  # the challan it travels on
    loan_id: Mapped[int | None] = mapped_column(Integer)  # the open loan
    ticket_id: Mapped[int | None] = mapped_column(Integer)  # the open fault ticket
    installed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    maintained_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    __table_args__ = (
        # Partial indexes: a device at a facility is in the facility index only, one in a
        # store in the warehouse index only, so a move updates two indexes, not three.
        _partial("ix_device_state_facility", "facility_id", "state", "since"),
        _partial("ix_device_state_warehouse", "warehouse_id", "state", "since"),
        _partial("ix_device_state_district", "district_id", "state", "place_kind", "since"),
        CheckConstraint(_in("state", DeviceState), name="state"),
        CheckConstraint(_in("place_kind", PlaceKind), name="place_kind"),
    )


class Challan(Base):
    """A delivery challan: one truck, from a supplier or warehouse to a warehouse or facility."""

    __tablename__ = "challans"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(24), unique=True)
    idempotency_key: Mapped[uuid.UUID | None] = mapped_column(Uuid, unique=True)
    source: Mapped[str] = mapped_column(String(12))
    tranche_id: Mapped[int | None] = mapped_column(ForeignKey("po_tranches.id"), index=True)
    plan_ref: Mapped[str | None] = mapped_column(String(60))
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("suppliers.id"))
    from_warehouse_id: Mapped[int | None] = mapped_column(ForeignKey("warehouses.id"))
    from_district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"))
    to_warehouse_id: Mapped[int | None] = mapped_column(ForeignKey("warehouses.id"))
    to_facility_id: Mapped[int | None] = mapped_column(ForeignKey("facilities.id"))
    to_district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"))
    vehicle: Mapped[str] = mapped_column(String(16))
    driver: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(28))
    dispatched_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    dispatched_by: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    received_by: Mapped[str | None] = mapped_column(String(64))
    __table_args__ = (
        CheckConstraint(_in("source", ChallanSource), name="source"),
        CheckConstraint(_in("status", ChallanStatus), name="status"),
        CheckConstraint(
            "(to_warehouse_id IS NULL) <> (to_facility_id IS NULL)", name="one_destination"
        ),
        Index("ix_challans_to", "to_district_id", "status"),
    )


class ChallanLine(Base):
    """A serial on a challan; only a device that passed inspection can be one (composite FK)."""

    __tablename__ = "challan_lines"
    challan_id: Mapped[int] = mapped_column(ForeignKey("challans.id"), primary_key=True)
    device_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    device_qa_status: Mapped[str] = mapped_column(String(16), default=QaStatus.ACCEPTED.value)
    received_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    __table_args__ = (
        ForeignKeyConstraint(
            ["device_id", "device_qa_status"],
            ["devices.id", "devices.qa_status"],
            name="fk_challan_lines_device_accepted",
        ),
        CheckConstraint(f"device_qa_status = '{QaStatus.ACCEPTED.value}'", name="device_accepted"),
        Index("ix_challan_lines_device", "device_id"),
    )


class ChallanDiscrepancy(Base):
    """A serial missing from a receipt, or scanned on receipt though not on the challan."""

    __tablename__ = "challan_discrepancies"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    challan_id: Mapped[int] = mapped_column(ForeignKey("challans.id"), index=True)
    serial: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(8))
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    recorded_by: Mapped[str] = mapped_column(String(64))
    __table_args__ = (
        CheckConstraint(_in("kind", DiscrepancyKind), name="kind"),
        Index("uq_challan_discrepancies_serial", "challan_id", "serial", unique=True),
    )


class Loan(Base):
    """A home loan from a district's concentrator bank: no name, a keyed hash of the phone."""

    __tablename__ = "loans"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(24), unique=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id"), index=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"))
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))
    prescription_ref: Mapped[str] = mapped_column(String(40))
    patient_ref: Mapped[str] = mapped_column(String(40))
    phone_hash: Mapped[str] = mapped_column(String(64), index=True)
    issued_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    deposit_paise: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(12))
    returned_on: Mapped[date | None] = mapped_column(Date)
    issued_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    __table_args__ = (
        CheckConstraint(_in("status", LoanStatus), name="status"),
        CheckConstraint("deposit_paise >= 0", name="deposit_non_negative"),
        Index("ix_loans_district_status_due", "district_id", "status", "due_on"),
    )


class FaultTicket(Base):
    """A breakdown reported by a facility or a loan holder, with its SLA clock."""

    __tablename__ = "fault_tickets"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(24), unique=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id"), index=True)
    place_kind: Mapped[str] = mapped_column(String(12))
    facility_id: Mapped[int | None] = mapped_column(ForeignKey("facilities.id"))
    warehouse_id: Mapped[int | None] = mapped_column(ForeignKey("warehouses.id"))
    loan_id: Mapped[int | None] = mapped_column(ForeignKey("loans.id"))
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"))
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"))
    description: Mapped[str] = mapped_column(String(500))
    coverage: Mapped[str] = mapped_column(String(8))
    covered_until: Mapped[date | None] = mapped_column(Date)
    sla_hours: Mapped[int] = mapped_column(Integer)
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(12))
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    opened_by: Mapped[str] = mapped_column(String(64))
    repair_started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolution: Mapped[str | None] = mapped_column(String(500))
    resolved_by: Mapped[str | None] = mapped_column(String(64))
    __table_args__ = (
        CheckConstraint(_in("coverage", Coverage), name="coverage"),
        CheckConstraint(_in("status", TicketStatus), name="status"),
        Index("ix_fault_tickets_district", "district_id", "status"),
        Index("ix_fault_tickets_facility", "facility_id", "opened_at"),
    )


class AcceptanceCertificate(Base):
    """A consignee receipt and acceptance certificate: starts the warranty, marks payment due."""

    __tablename__ = "acceptance_certificates"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(24), unique=True)
    facility_id: Mapped[int] = mapped_column(ForeignKey("facilities.id"), index=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"))
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"), index=True)
    purchase_order_id: Mapped[int | None] = mapped_column(ForeignKey("purchase_orders.id"))
    issued_on: Mapped[date] = mapped_column(Date)
    issued_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    warranty_months: Mapped[int] = mapped_column(Integer)
    cmc_months: Mapped[int] = mapped_column(Integer)
    value_paise: Mapped[int] = mapped_column(BigInteger)
    payment_milestone: Mapped[str] = mapped_column(String(24))
    __table_args__ = (
        CheckConstraint(_in("payment_milestone", PaymentMilestone), name="payment_milestone"),
    )


class CertifiedDevice(Base):
    """A device on an acceptance certificate; each device is accepted at a facility once."""

    __tablename__ = "certified_devices"
    certificate_id: Mapped[int] = mapped_column(
        ForeignKey("acceptance_certificates.id"), primary_key=True
    )
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id"), primary_key=True)
    warranty_start: Mapped[date] = mapped_column(Date)
    __table_args__ = (Index("uq_certified_devices_device", "device_id", unique=True),)
