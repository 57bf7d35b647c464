"""Finance: payment terms, bills (lines, claimed devices, deductions), payments, and the
securities register's own records (deposit refunds and forfeitures, verified guarantees).

Revision ID: finance_12_01
Revises: 0005
Create Date: 2026-12-07 04:46:43.296155
"""

import sqlalchemy as sa
from alembic import op

revision = "finance_12_01"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "finance_payment_terms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tender_id", sa.Integer(), nullable=False),
        sa.Column("milestones", sa.JSON(), nullable=False),
        sa.Column("pay_within_days", sa.Integer(), nullable=False),
        sa.Column("recovery_paise_per_day", sa.BigInteger(), nullable=False),
        sa.Column("source", sa.String(length=12), nullable=False),
        sa.Column("set_by", sa.String(length=64), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "source in ('tender', 'defaults')", name=op.f("ck_finance_payment_terms_source")
        ),
        sa.ForeignKeyConstraint(
            ["tender_id"], ["tenders.id"], name=op.f("fk_finance_payment_terms_tender_id_tenders")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finance_payment_terms")),
        sa.UniqueConstraint("tender_id", name=op.f("uq_finance_payment_terms_tender_id")),
    )
    op.create_table(
        "finance_deposit_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bid_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("amount_paise", sa.BigInteger(), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind in ('refund', 'forfeit')", name=op.f("ck_finance_deposit_records_kind")
        ),
        sa.ForeignKeyConstraint(
            ["bid_id"], ["bids.id"], name=op.f("fk_finance_deposit_records_bid_id_bids")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finance_deposit_records")),
        sa.UniqueConstraint("bid_id", name=op.f("uq_finance_deposit_records_bid_id")),
        sa.UniqueConstraint("reference", name=op.f("uq_finance_deposit_records_reference")),
    )
    op.create_table(
        "finance_guarantees",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("award_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=120), nullable=False),
        sa.Column("bank", sa.String(length=120), nullable=False),
        sa.Column("amount_paise", sa.BigInteger(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("verified_by", sa.String(length=64), nullable=False),
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("released_on", sa.Date(), nullable=True),
        sa.Column("released_by", sa.String(length=64), nullable=True),
        sa.CheckConstraint("amount_paise > 0", name=op.f("ck_finance_guarantees_amount_positive")),
        sa.ForeignKeyConstraint(
            ["award_id"], ["awards.id"], name=op.f("fk_finance_guarantees_award_id_awards")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finance_guarantees")),
        sa.UniqueConstraint("award_id", "number", name="uq_finance_guarantees_number"),
    )
    with op.batch_alter_table("finance_guarantees", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_finance_guarantees_award_id"), ["award_id"], unique=False
        )

    op.create_table(
        "finance_bills",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=24), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("purchase_order_id", sa.Integer(), nullable=False),
        sa.Column("tender_id", sa.Integer(), nullable=False),
        sa.Column("milestone", sa.String(length=16), nullable=False),
        sa.Column("share_bp", sa.Integer(), nullable=False),
        sa.Column("supplier_reference", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("taxable_paise", sa.BigInteger(), nullable=False),
        sa.Column("gst_paise", sa.BigInteger(), nullable=False),
        sa.Column("deducted_paise", sa.BigInteger(), nullable=False),
        sa.Column("net_paise", sa.BigInteger(), nullable=False),
        sa.Column("paid_paise", sa.BigInteger(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("inputs", sa.JSON(), nullable=False),
        sa.Column("bill_date", sa.Date(), nullable=False),
        sa.Column("entered_by_id", sa.Integer(), nullable=True),
        sa.Column("entered_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_by_id", sa.Integer(), nullable=True),
        sa.Column("submitted_by", sa.String(length=64), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("checked_by_id", sa.Integer(), nullable=True),
        sa.Column("checked_by", sa.String(length=64), nullable=True),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reject_reason", sa.String(length=500), nullable=True),
        sa.CheckConstraint(
            "milestone in ('receipt', 'installation')", name=op.f("ck_finance_bills_milestone")
        ),
        sa.CheckConstraint(
            "status in ('draft', 'submitted', 'passed', 'partly_paid', 'paid', 'rejected', "
            "'discarded')",
            name=op.f("ck_finance_bills_status"),
        ),
        sa.CheckConstraint(
            "net_paise = taxable_paise + gst_paise - deducted_paise",
            name=op.f("ck_finance_bills_net"),
        ),
        sa.CheckConstraint(
            "net_paise >= 0 AND deducted_paise >= 0", name=op.f("ck_finance_bills_amounts")
        ),
        sa.CheckConstraint(
            "paid_paise >= 0 AND paid_paise <= net_paise", name=op.f("ck_finance_bills_paid_range")
        ),
        sa.ForeignKeyConstraint(
            ["purchase_order_id"],
            ["purchase_orders.id"],
            name=op.f("fk_finance_bills_purchase_order_id_purchase_orders"),
        ),
        sa.ForeignKeyConstraint(
            ["supplier_id"], ["suppliers.id"], name=op.f("fk_finance_bills_supplier_id_suppliers")
        ),
        sa.ForeignKeyConstraint(
            ["tender_id"], ["tenders.id"], name=op.f("fk_finance_bills_tender_id_tenders")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finance_bills")),
        sa.UniqueConstraint("number", name=op.f("uq_finance_bills_number")),
    )
    with op.batch_alter_table("finance_bills", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_finance_bills_purchase_order_id"), ["purchase_order_id"], unique=False
        )
        batch_op.create_index("ix_finance_bills_status", ["status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_finance_bills_supplier_id"), ["supplier_id"], unique=False
        )

    op.create_table(
        "finance_bill_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bill_id", sa.Integer(), nullable=False),
        sa.Column("tranche_id", sa.Integer(), nullable=False),
        sa.Column("tranche_number", sa.Integer(), nullable=False),
        sa.Column("warehouse_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_before_gst_paise", sa.BigInteger(), nullable=False),
        sa.Column("share_bp", sa.Integer(), nullable=False),
        sa.Column("gst_bp", sa.Integer(), nullable=False),
        sa.Column("taxable_paise", sa.BigInteger(), nullable=False),
        sa.Column("gst_paise", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_finance_bill_lines_quantity_positive")),
        sa.ForeignKeyConstraint(
            ["bill_id"],
            ["finance_bills.id"],
            name=op.f("fk_finance_bill_lines_bill_id_finance_bills"),
        ),
        sa.ForeignKeyConstraint(
            ["tranche_id"],
            ["po_tranches.id"],
            name=op.f("fk_finance_bill_lines_tranche_id_po_tranches"),
        ),
        sa.ForeignKeyConstraint(
            ["warehouse_id"],
            ["warehouses.id"],
            name=op.f("fk_finance_bill_lines_warehouse_id_warehouses"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finance_bill_lines")),
    )
    with op.batch_alter_table("finance_bill_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_finance_bill_lines_bill_id"), ["bill_id"], unique=False
        )

    op.create_table(
        "finance_deductions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bill_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("amount_paise", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.String(length=600), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("basis", sa.JSON(), nullable=False),
        sa.CheckConstraint(
            "kind in ('liquidated_damages', 'tds_gst', 'tds_income_tax', 'recovery')",
            name=op.f("ck_finance_deductions_kind"),
        ),
        sa.CheckConstraint("amount_paise > 0", name=op.f("ck_finance_deductions_amount_positive")),
        sa.ForeignKeyConstraint(
            ["bill_id"],
            ["finance_bills.id"],
            name=op.f("fk_finance_deductions_bill_id_finance_bills"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finance_deductions")),
        sa.UniqueConstraint("bill_id", "position", name="uq_finance_deductions_position"),
    )
    with op.batch_alter_table("finance_deductions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_finance_deductions_bill_id"), ["bill_id"], unique=False
        )

    op.create_table(
        "finance_payments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bill_id", sa.Integer(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("amount_paise", sa.BigInteger(), nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount_paise > 0", name=op.f("ck_finance_payments_amount_positive")),
        sa.ForeignKeyConstraint(
            ["bill_id"],
            ["finance_bills.id"],
            name=op.f("fk_finance_payments_bill_id_finance_bills"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finance_payments")),
        sa.UniqueConstraint("reference", name=op.f("uq_finance_payments_reference")),
    )
    with op.batch_alter_table("finance_payments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_finance_payments_bill_id"), ["bill_id"], unique=False)

    op.create_table(
        "finance_bill_devices",
        sa.Column("bill_id", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.Integer(), nullable=False),
        sa.Column("milestone", sa.String(length=16), nullable=False),
        sa.Column("tranche_id", sa.Integer(), nullable=False),
        sa.Column("holding", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["bill_id"],
            ["finance_bills.id"],
            name=op.f("fk_finance_bill_devices_bill_id_finance_bills"),
        ),
        sa.ForeignKeyConstraint(
            ["device_id"], ["devices.id"], name=op.f("fk_finance_bill_devices_device_id_devices")
        ),
        sa.ForeignKeyConstraint(
            ["tranche_id"],
            ["po_tranches.id"],
            name=op.f("fk_finance_bill_devices_tranche_id_po_tranches"),
        ),
        sa.PrimaryKeyConstraint("bill_id", "device_id", name=op.f("pk_finance_bill_devices")),
    )
    with op.batch_alter_table("finance_bill_devices", schema=None) as batch_op:
        batch_op.create_index(
            "uq_finance_bill_devices_claim",
            ["device_id", "milestone"],
            unique=True,
            sqlite_where=sa.text("holding"),
            postgresql_where=sa.text("holding"),
        )


def downgrade() -> None:
    with op.batch_alter_table("finance_bill_devices", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_finance_bill_devices_claim",
            sqlite_where=sa.text("holding"),
            postgresql_where=sa.text("holding"),
        )

    op.drop_table("finance_bill_devices")
    with op.batch_alter_table("finance_payments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_finance_payments_bill_id"))

    op.drop_table("finance_payments")
    with op.batch_alter_table("finance_deductions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_finance_deductions_bill_id"))

    op.drop_table("finance_deductions")
    with op.batch_alter_table("finance_bill_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_finance_bill_lines_bill_id"))

    op.drop_table("finance_bill_lines")
    with op.batch_alter_table("finance_bills", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_finance_bills_supplier_id"))
        batch_op.drop_index("ix_finance_bills_status")
        batch_op.drop_index(batch_op.f("ix_finance_bills_purchase_order_id"))

    op.drop_table("finance_bills")
    with op.batch_alter_table("finance_guarantees", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_finance_guarantees_award_id"))

    op.drop_table("finance_guarantees")
    op.drop_table("finance_deposit_records")
    op.drop_table("finance_payment_terms")
