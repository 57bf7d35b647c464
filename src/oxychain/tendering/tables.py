"""Tendering tables: tenders, sealed bids, opening, evaluation, awards, purchase orders.

Money is stored in paise (BigInteger) and rates in basis points (1 bp = 0.01 %), so that
no float or SQLite "decimal" ever touches an amount. Times are UTC.

The server stores ciphertexts, public keys and hashes only: a bid's covers are sealed
envelopes (``bid_covers.envelope``) until k openers release their shares; only then is
``bid_covers.content`` filled with the decrypted cover.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

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
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from oxychain.core.tables import Base, UtcDateTime
from oxychain.tendering.domain.bid import BidStatus, CoverStatus
from oxychain.tendering.domain.contract import AwardStatus
from oxychain.tendering.domain.purchase_order import PoStatus
from oxychain.tendering.domain.securities import EmdStatus
from oxychain.tendering.domain.tender import TenderStatus

TENDER_STATUSES = tuple(TenderStatus)


def _in(column: str, values: Iterable[str]) -> str:
    """A CHECK that a column holds one of the domain's values (a status enum's, in order)."""
    return f"{column} in (" + ", ".join(f"'{v}'" for v in values) + ")"


class OpenerKey(Base):
    """An opener's public key, made on their own device; the private key never comes here."""

    __tablename__ = "opener_keys"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    public_key: Mapped[str] = mapped_column(String(100))
    fingerprint: Mapped[str] = mapped_column(String(16))
    registered_at: Mapped[datetime] = mapped_column(UtcDateTime)
    retired_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class Tender(Base):
    __tablename__ = "tenders"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    title_hi: Mapped[str] = mapped_column(String(200))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    estimated_value_paise: Mapped[int] = mapped_column(BigInteger)
    emd_bp: Mapped[int] = mapped_column(Integer)
    emd_paise: Mapped[int] = mapped_column(BigInteger)
    # GFR rule 170: "emd" (money) or "declaration" (no money; suspension for a breach)
    bid_security_mode: Mapped[str] = mapped_column(String(16), default="emd", server_default="emd")
    declaration_suspension_months: Mapped[int | None] = mapped_column(Integer, nullable=True)
    performance_security_bp: Mapped[int] = mapped_column(Integer)
    ld_bp_per_week: Mapped[int] = mapped_column(Integer)
    ld_cap_bp: Mapped[int] = mapped_column(Integer)
    warranty_months: Mapped[int] = mapped_column(Integer)
    bid_validity_days: Mapped[int] = mapped_column(Integer)
    mii_preference: Mapped[bool] = mapped_column(Boolean, default=False)
    mii_l1_share_bp: Mapped[int] = mapped_column(Integer)
    mii_margin_bp: Mapped[int] = mapped_column(Integer)
    mse_preference: Mapped[bool] = mapped_column(Boolean, default=False)
    mse_share_bp: Mapped[int] = mapped_column(Integer)
    mse_margin_bp: Mapped[int] = mapped_column(Integer)
    # which preference applies first when both do (a setting, frozen with the tender)
    preference_order: Mapped[str] = mapped_column(
        String(16), default="mse_first", server_default="mse_first"
    )
    # Make in India (Order 2017, rev. 16-09-2020), frozen with the tender: class thresholds
    # (%) for its item, the DoP list (only Class-I may bid), a global tender enquiry
    mii_class_i_pct: Mapped[int] = mapped_column(Integer, default=50, server_default="50")
    mii_class_ii_pct: Mapped[int] = mapped_column(Integer, default=20, server_default="20")
    mii_class_i_only: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    global_tender: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    openers_required: Mapped[int] = mapped_column(Integer)
    aql: Mapped[str] = mapped_column(String(8), default="2.5")  # ISO 2859-1, for inspection
    inspection_level: Mapped[str] = mapped_column(String(4), default="II")
    status: Mapped[str] = mapped_column(String(24), default=TenderStatus.DRAFT.value)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    deadline: Mapped[datetime] = mapped_column(UtcDateTime)
    opening_at: Mapped[datetime] = mapped_column(UtcDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    tender_date: Mapped[date | None] = mapped_column(Date)
    rules_sha256: Mapped[str | None] = mapped_column(String(64))
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    bid_count: Mapped[int | None] = mapped_column(Integer)
    bids_sha256: Mapped[str | None] = mapped_column(String(64))
    closing_receipts: Mapped[list | None] = mapped_column(JSON)
    technical_concluded_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    awarded_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    cancel_reason: Mapped[str | None] = mapped_column(String(500))
    # Raised by the worker when nothing can be awarded (domain.tender.unanswered).
    flagged_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    flag_reason: Mapped[str | None] = mapped_column(String(200))
    __table_args__ = (
        CheckConstraint(_in("status", TENDER_STATUSES), name="status"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("opening_at >= deadline", name="opening_after_deadline"),
        CheckConstraint("openers_required >= 1", name="openers_required_positive"),
    )


class TenderConsignee(Base):
    """Consignee-wise quantity of one delivery tranche, due so many days after the PO."""

    __tablename__ = "tender_consignees"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tenders.id"), index=True)
    tranche: Mapped[int] = mapped_column(Integer)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    due_days: Mapped[int] = mapped_column(Integer)
    __table_args__ = (
        UniqueConstraint("tender_id", "tranche", "warehouse_id", name="uq_tender_consignees_line"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("due_days > 0", name="due_days_positive"),
    )


class TenderCriterion(Base):
    """An eligibility or technical criterion; technical ones come from the item's spec."""

    __tablename__ = "tender_criteria"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tenders.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(16))
    label: Mapped[str] = mapped_column(String(200))
    label_hi: Mapped[str] = mapped_column(String(200))
    requirement: Mapped[str] = mapped_column(String(120))
    source: Mapped[str] = mapped_column(String(300))
    __table_args__ = (
        UniqueConstraint("tender_id", "key", name="uq_tender_criteria_key"),
        CheckConstraint("kind in ('eligibility', 'technical')", name="kind"),
    )


class Corrigendum(Base):
    """A published change to a tender's rules, before its deadline; ``changes`` holds
    {field: [before, after]}."""

    __tablename__ = "corrigenda"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tenders.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    published_at: Mapped[datetime] = mapped_column(UtcDateTime)
    text: Mapped[str] = mapped_column(String(2000))
    changes: Mapped[dict] = mapped_column(JSON)
    __table_args__ = (UniqueConstraint("tender_id", "number", name="uq_corrigenda_number"),)


class CommitteeMember(Base):
    """A seat on a tender's opening committee: the opener and the public key bids are sealed to.

    ``opener_id`` is the id written in each envelope's share list; ``position`` is the
    share's x (1..n).
    """

    __tablename__ = "committee_members"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tenders.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    opener_id: Mapped[str] = mapped_column(String(64))
    public_key: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer)
    added_at: Mapped[datetime] = mapped_column(UtcDateTime)
    __table_args__ = (
        UniqueConstraint("tender_id", "user_id", name="uq_committee_members_user"),
        UniqueConstraint("tender_id", "position", name="uq_committee_members_position"),
    )


BID_STATUSES = tuple(BidStatus)


class Bid(Base):
    """One submission by a supplier; never edited but for its status (a substitution is a
    new bid linked to the one it replaces)."""

    __tablename__ = "bids"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tenders.id"), index=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"), index=True)
    bidder: Mapped[str] = mapped_column(String(64))  # the id sealed into the envelopes
    status: Mapped[str] = mapped_column(String(16), default=BidStatus.SUBMITTED.value)
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("bids.id"))
    receipt_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    corrigenda_seen: Mapped[int] = mapped_column(Integer, default=0)
    emd_paise: Mapped[int] = mapped_column(BigInteger, default=0)
    emd_status: Mapped[str] = mapped_column(String(16), default=EmdStatus.HELD.value)
    responsive: Mapped[bool | None] = mapped_column(Boolean)
    __table_args__ = (
        CheckConstraint(_in("status", BID_STATUSES), name="status"),
        CheckConstraint(_in("emd_status", EmdStatus), name="emd_status"),
        # At most one live bid per supplier and tender, whatever the race.
        Index(
            "uq_bids_live",
            "tender_id",
            "supplier_id",
            unique=True,
            sqlite_where=text(f"status = '{BidStatus.SUBMITTED}'"),
            postgresql_where=text(f"status = '{BidStatus.SUBMITTED}'"),
        ),
    )


class BidCover(Base):
    """A sealed cover (technical or financial): the envelope, its hash, and, once opened,
    its content."""

    __tablename__ = "bid_covers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bids.id"), index=True)
    cover: Mapped[str] = mapped_column(String(16))
    envelope: Mapped[dict] = mapped_column(JSON)
    sha256: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default=CoverStatus.SEALED.value)
    content: Mapped[str | None] = mapped_column(Text)
    opened_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    failure: Mapped[str | None] = mapped_column(String(300))
    __table_args__ = (
        UniqueConstraint("bid_id", "cover", name="uq_bid_covers_cover"),
        CheckConstraint("cover in ('technical', 'financial')", name="cover"),
        CheckConstraint(_in("status", CoverStatus), name="status"),
    )


class ShareRelease(Base):
    """One opener's released key share for one cover (checked against its commitment)."""

    __tablename__ = "share_releases"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bid_cover_id: Mapped[int] = mapped_column(ForeignKey("bid_covers.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("committee_members.id"))
    share: Mapped[dict] = mapped_column(JSON)
    released_at: Mapped[datetime] = mapped_column(UtcDateTime)
    __table_args__ = (UniqueConstraint("bid_cover_id", "member_id", name="uq_share_releases_slot"),)


class TechnicalEvaluation(Base):
    """The committee's finding on one criterion of one bid, with its reason."""

    __tablename__ = "technical_evaluations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bids.id"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("tender_criteria.id"))
    complies: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(String(500))
    evaluator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    __table_args__ = (
        UniqueConstraint("bid_id", "criterion_id", name="uq_technical_evaluations_finding"),
    )


class FinancialResult(Base):
    """A responsive bid's opened price and its rank (1 = L1) by evaluated price."""

    __tablename__ = "financial_results"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tenders.id"), index=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bids.id"), unique=True)
    unit_price_paise: Mapped[int] = mapped_column(BigInteger)
    gst_bp: Mapped[int] = mapped_column(Integer)
    evaluated_unit_paise: Mapped[int] = mapped_column(BigInteger)
    evaluated_total_paise: Mapped[int] = mapped_column(BigInteger)
    delivery_days: Mapped[int] = mapped_column(Integer)
    rank: Mapped[int] = mapped_column(Integer)


class Award(Base):
    """A supplier's share of a tender, with its letter of award and performance security."""

    __tablename__ = "awards"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tenders.id"), index=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bids.id"))
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price_paise: Mapped[int] = mapped_column(BigInteger)
    basis: Mapped[str] = mapped_column(String(16))
    letter_number: Mapped[str] = mapped_column(String(60), unique=True)
    awarded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(16), default=AwardStatus.AWARDED.value)
    performance_security_bp: Mapped[int] = mapped_column(Integer)
    performance_security_paise: Mapped[int] = mapped_column(BigInteger)
    ps_reference: Mapped[str | None] = mapped_column(String(120))
    ps_received_on: Mapped[date | None] = mapped_column(Date)
    ps_valid_until: Mapped[date | None] = mapped_column(Date)
    ps_released_on: Mapped[date | None] = mapped_column(Date)
    __table_args__ = (
        CheckConstraint("basis in ('l1', 'mii_match', 'mse_match')", name="basis"),
        CheckConstraint(_in("status", AwardStatus), name="status"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
    )


class PurchaseOrder(Base):
    """A purchase order from an award; an amendment is a new version linked to the previous."""

    __tablename__ = "purchase_orders"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(60), unique=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("purchase_orders.id"))
    tender_id: Mapped[int] = mapped_column(ForeignKey("tenders.id"), index=True)
    award_id: Mapped[int] = mapped_column(ForeignKey("awards.id"))
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price_paise: Mapped[int] = mapped_column(BigInteger)
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(16), default=PoStatus.ISSUED.value)
    amendment_reason: Mapped[str | None] = mapped_column(String(500))
    __table_args__ = (
        CheckConstraint(_in("status", PoStatus), name="status"),
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
    )


class PoTranche(Base):
    """One consignee's quantity in one delivery tranche of a purchase order version.

    ``delivered_quantity``/``delivered_on`` sum up ``po_deliveries`` (the last delivery's
    date); record deliveries through ``services.contracts.record_delivery``.
    """

    __tablename__ = "po_tranches"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    purchase_order_id: Mapped[int] = mapped_column(ForeignKey("purchase_orders.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    consignee_warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer)
    due_date: Mapped[date] = mapped_column(Date)
    delivered_quantity: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    delivered_on: Mapped[date | None] = mapped_column(Date)
    __table_args__ = (
        UniqueConstraint(
            "purchase_order_id", "number", "consignee_warehouse_id", name="uq_po_tranches_line"
        ),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint(
            "delivered_quantity >= 0 AND delivered_quantity <= quantity", name="delivered_range"
        ),
    )


class PoDelivery(Base):
    """One delivery against a tranche (a challan received), the record LD is computed from."""

    __tablename__ = "po_deliveries"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tranche_id: Mapped[int] = mapped_column(ForeignKey("po_tranches.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer)
    delivered_on: Mapped[date] = mapped_column(Date)
    reference: Mapped[str] = mapped_column(String(80))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    __table_args__ = (
        UniqueConstraint("tranche_id", "reference", name="uq_po_deliveries_reference"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
    )
