"""Finance tables: payment terms per tender, bills with their lines, claimed devices,
deductions and payments, and the securities register's own records.

Money is in paise (BigInteger), rates in basis points. A bill's status moves only by
``domain.bill.BILL``; its claimed devices carry ``holding`` (true while the bill holds
them: draft to paid), and a partial unique index on (device, milestone) where holding
refuses a second claim whatever the race. A payment's bank reference (UTR) is unique.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from oxychain.core.tables import Base, UtcDateTime
from oxychain.finance.domain.bill import BillStatus
from oxychain.finance.domain.deductions import DeductionKind
from oxychain.finance.domain.terms import Event


def _in(column: str, values: type[StrEnum]) -> str:
    return f"{column} in (" + ", ".join(f"'{v.value}'" for v in values) + ")"


class PaymentTermsRow(Base):
    """A tender's payment terms: milestones [[event, share_bp], …] in order."""

    __tablename__ = "finance_payment_terms"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tenders.id"), unique=True)
    milestones: Mapped[list] = mapped_column(JSON)
    pay_within_days: Mapped[int] = mapped_column(Integer)
    recovery_paise_per_day: Mapped[int] = mapped_column(BigInteger)
    source: Mapped[str] = mapped_column(String(12))  # tender | defaults (frozen at first bill)
    set_by: Mapped[str] = mapped_column(String(64))
    set_at: Mapped[datetime] = mapped_column(UtcDateTime)
    __table_args__ = (CheckConstraint("source in ('tender', 'defaults')", name="source"),)


class Bill(Base):
    """A supplier's bill on one purchase order (its first version's id) and one milestone."""

    __tablename__ = "finance_bills"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(24), unique=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"), index=True)
    purchase_order_id: Mapped[int] = mapped_column(ForeignKey("purchase_orders.id"), index=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tenders.id"))
    milestone: Mapped[str] = mapped_column(String(16))
    share_bp: Mapped[int] = mapped_column(Integer)
    supplier_reference: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(16), default=BillStatus.DRAFT.value)
    taxable_paise: Mapped[int] = mapped_column(BigInteger)
    gst_paise: Mapped[int] = mapped_column(BigInteger)
    deducted_paise: Mapped[int] = mapped_column(BigInteger)
    net_paise: Mapped[int] = mapped_column(BigInteger)
    paid_paise: Mapped[int] = mapped_column(BigInteger, default=0)
    computed_at: Mapped[datetime] = mapped_column(UtcDateTime)  # the records it was drawn from
    inputs: Mapped[dict] = mapped_column(JSON)  # what earlier bills took (computation.Earlier)
    bill_date: Mapped[date] = mapped_column(Date)
    entered_by_id: Mapped[int | None] = mapped_column(Integer)
    entered_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    submitted_by_id: Mapped[int | None] = mapped_column(Integer)
    submitted_by: Mapped[str | None] = mapped_column(String(64))
    submitted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    checked_by_id: Mapped[int | None] = mapped_column(Integer)
    checked_by: Mapped[str | None] = mapped_column(String(64))
    checked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    reject_reason: Mapped[str | None] = mapped_column(String(500))
    __table_args__ = (
        CheckConstraint(_in("status", BillStatus), name="status"),
        CheckConstraint(_in("milestone", Event), name="milestone"),
        CheckConstraint("net_paise = taxable_paise + gst_paise - deducted_paise", name="net"),
        CheckConstraint("net_paise >= 0 AND deducted_paise >= 0", name="amounts"),
        CheckConstraint("paid_paise >= 0 AND paid_paise <= net_paise", name="paid_range"),
        Index("ix_finance_bills_status", "status"),
    )


class BillLine(Base):
    """One tranche line's devices on a bill: quantity × price before GST × share, and GST."""

    __tablename__ = "finance_bill_lines"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bill_id: Mapped[int] = mapped_column(ForeignKey("finance_bills.id"), index=True)
    tranche_id: Mapped[int] = mapped_column(ForeignKey("po_tranches.id"))
    tranche_number: Mapped[int] = mapped_column(Integer)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_before_gst_paise: Mapped[int] = mapped_column(BigInteger)
    share_bp: Mapped[int] = mapped_column(Integer)
    gst_bp: Mapped[int] = mapped_column(Integer)
    taxable_paise: Mapped[int] = mapped_column(BigInteger)
    gst_paise: Mapped[int] = mapped_column(BigInteger)
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)


class BillDevice(Base):
    """A device claimed on a bill for its milestone."""

    __tablename__ = "finance_bill_devices"
    bill_id: Mapped[int] = mapped_column(ForeignKey("finance_bills.id"), primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id"), primary_key=True)
    milestone: Mapped[str] = mapped_column(String(16))
    tranche_id: Mapped[int] = mapped_column(ForeignKey("po_tranches.id"))
    holding: Mapped[bool] = mapped_column(Boolean, default=True)
    __table_args__ = (
        # One claim per device and milestone among the bills that hold their devices.
        Index(
            "uq_finance_bill_devices_claim",
            "device_id",
            "milestone",
            unique=True,
            sqlite_where=text("holding"),
            postgresql_where=text("holding"),
        ),
    )


class Deduction(Base):
    """An amount a bill holds back, with its reason (template and params) and basis."""

    __tablename__ = "finance_deductions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bill_id: Mapped[int] = mapped_column(ForeignKey("finance_bills.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(24))
    amount_paise: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(String(600))
    params: Mapped[dict] = mapped_column(JSON)
    basis: Mapped[dict] = mapped_column(JSON)
    __table_args__ = (
        CheckConstraint(_in("kind", DeductionKind), name="kind"),
        CheckConstraint("amount_paise > 0", name="amount_positive"),
        UniqueConstraint("bill_id", "position", name="uq_finance_deductions_position"),
    )


class Payment(Base):
    """Money paid on a passed bill: the day, the bank's reference (UTR) and the amount."""

    __tablename__ = "finance_payments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bill_id: Mapped[int] = mapped_column(ForeignKey("finance_bills.id"), index=True)
    paid_on: Mapped[date] = mapped_column(Date)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    amount_paise: Mapped[int] = mapped_column(BigInteger)
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    __table_args__ = (CheckConstraint("amount_paise > 0", name="amount_positive"),)


class DepositRecord(Base):
    """Finance's record of a bid security: its refund paid back, or its forfeiture."""

    __tablename__ = "finance_deposit_records"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bids.id"), unique=True)
    kind: Mapped[str] = mapped_column(String(12))
    on: Mapped[date] = mapped_column(Date)
    amount_paise: Mapped[int] = mapped_column(BigInteger)
    reference: Mapped[str | None] = mapped_column(String(40), unique=True)  # refund UTR
    reason: Mapped[str | None] = mapped_column(String(500))
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    __table_args__ = (CheckConstraint("kind in ('refund', 'forfeit')", name="kind"),)


class Guarantee(Base):
    """A performance security (bank guarantee) as the bank confirmed it, and its release."""

    __tablename__ = "finance_guarantees"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    award_id: Mapped[int] = mapped_column(ForeignKey("awards.id"), index=True)
    number: Mapped[str] = mapped_column(String(120))
    bank: Mapped[str] = mapped_column(String(120))
    amount_paise: Mapped[int] = mapped_column(BigInteger)
    valid_until: Mapped[date] = mapped_column(Date)
    verified_by: Mapped[str] = mapped_column(String(64))
    verified_at: Mapped[datetime] = mapped_column(UtcDateTime)
    released_on: Mapped[date | None] = mapped_column(Date)
    released_by: Mapped[str | None] = mapped_column(String(64))
    __table_args__ = (
        UniqueConstraint("award_id", "number", name="uq_finance_guarantees_number"),
        CheckConstraint("amount_paise > 0", name="amount_positive"),
    )
