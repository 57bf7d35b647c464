"""tendering: tenders, sealed bids, opening, evaluation, awards, purchase orders

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 04:26:53.904860
"""

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('opener_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('public_key', sa.String(length=100), nullable=False),
    sa.Column('fingerprint', sa.String(length=16), nullable=False),
    sa.Column('registered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_opener_keys_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_opener_keys'))
    )
    with op.batch_alter_table('opener_keys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_opener_keys_user_id'), ['user_id'], unique=False)

    op.create_table('tenders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('title_hi', sa.String(length=200), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('estimated_value_paise', sa.BigInteger(), nullable=False),
    sa.Column('emd_bp', sa.Integer(), nullable=False),
    sa.Column('emd_paise', sa.BigInteger(), nullable=False),
    sa.Column('performance_security_bp', sa.Integer(), nullable=False),
    sa.Column('ld_bp_per_week', sa.Integer(), nullable=False),
    sa.Column('ld_cap_bp', sa.Integer(), nullable=False),
    sa.Column('warranty_months', sa.Integer(), nullable=False),
    sa.Column('bid_validity_days', sa.Integer(), nullable=False),
    sa.Column('mii_preference', sa.Boolean(), nullable=False),
    sa.Column('mii_l1_share_bp', sa.Integer(), nullable=False),
    sa.Column('mii_margin_bp', sa.Integer(), nullable=False),
    sa.Column('mse_preference', sa.Boolean(), nullable=False),
    sa.Column('mse_share_bp', sa.Integer(), nullable=False),
    sa.Column('mse_margin_bp', sa.Integer(), nullable=False),
    sa.Column('openers_required', sa.Integer(), nullable=False),
    sa.Column('aql', sa.String(length=8), nullable=False),
    sa.Column('inspection_level', sa.String(length=4), nullable=False),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deadline', sa.DateTime(timezone=True), nullable=False),
    sa.Column('opening_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('tender_date', sa.Date(), nullable=True),
    sa.Column('rules_sha256', sa.String(length=64), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('bid_count', sa.Integer(), nullable=True),
    sa.Column('bids_sha256', sa.String(length=64), nullable=True),
    sa.Column('closing_receipts', sa.JSON(), nullable=True),
    sa.Column('technical_concluded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('awarded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancel_reason', sa.String(length=500), nullable=True),
    sa.CheckConstraint("status in ('draft', 'published', 'closed', 'technical_opening', 'technical_evaluation', 'financial_opening', 'awarded', 'cancelled')", name=op.f('ck_tenders_status')),
    sa.CheckConstraint('openers_required >= 1', name=op.f('ck_tenders_openers_required_positive')),
    sa.CheckConstraint('opening_at >= deadline', name=op.f('ck_tenders_opening_after_deadline')),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_tenders_quantity_positive')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_tenders_created_by_id_users')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_tenders_item_id_items')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tenders')),
    sa.UniqueConstraint('reference', name=op.f('uq_tenders_reference'))
    )
    op.create_table('bids',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tender_id', sa.Integer(), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('bidder', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('previous_id', sa.Integer(), nullable=True),
    sa.Column('receipt_sha256', sa.String(length=64), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('corrigenda_seen', sa.Integer(), nullable=False),
    sa.Column('emd_paise', sa.BigInteger(), nullable=False),
    sa.Column('emd_status', sa.String(length=16), nullable=False),
    sa.Column('responsive', sa.Boolean(), nullable=True),
    sa.CheckConstraint("emd_status in ('held', 'exempt', 'refunded', 'forfeited')", name=op.f('ck_bids_emd_status')),
    sa.CheckConstraint("status in ('submitted', 'withdrawn', 'substituted')", name=op.f('ck_bids_status')),
    sa.ForeignKeyConstraint(['previous_id'], ['bids.id'], name=op.f('fk_bids_previous_id_bids')),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_bids_supplier_id_suppliers')),
    sa.ForeignKeyConstraint(['tender_id'], ['tenders.id'], name=op.f('fk_bids_tender_id_tenders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bids')),
    sa.UniqueConstraint('receipt_sha256', name=op.f('uq_bids_receipt_sha256'))
    )
    with op.batch_alter_table('bids', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bids_supplier_id'), ['supplier_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bids_tender_id'), ['tender_id'], unique=False)
        batch_op.create_index('uq_bids_live', ['tender_id', 'supplier_id'], unique=True, sqlite_where=sa.text("status = 'submitted'"), postgresql_where=sa.text("status = 'submitted'"))

    op.create_table('committee_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tender_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('opener_id', sa.String(length=64), nullable=False),
    sa.Column('public_key', sa.String(length=100), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tender_id'], ['tenders.id'], name=op.f('fk_committee_members_tender_id_tenders')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_committee_members_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_committee_members')),
    sa.UniqueConstraint('tender_id', 'position', name='uq_committee_members_position'),
    sa.UniqueConstraint('tender_id', 'user_id', name='uq_committee_members_user')
    )
    with op.batch_alter_table('committee_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_committee_members_tender_id'), ['tender_id'], unique=False)

    op.create_table('corrigenda',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tender_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('text', sa.String(length=2000), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['tender_id'], ['tenders.id'], name=op.f('fk_corrigenda_tender_id_tenders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_corrigenda')),
    sa.UniqueConstraint('tender_id', 'number', name='uq_corrigenda_number')
    )
    with op.batch_alter_table('corrigenda', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_corrigenda_tender_id'), ['tender_id'], unique=False)

    op.create_table('tender_consignees',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tender_id', sa.Integer(), nullable=False),
    sa.Column('tranche', sa.Integer(), nullable=False),
    sa.Column('warehouse_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('due_days', sa.Integer(), nullable=False),
    sa.CheckConstraint('due_days > 0', name=op.f('ck_tender_consignees_due_days_positive')),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_tender_consignees_quantity_positive')),
    sa.ForeignKeyConstraint(['tender_id'], ['tenders.id'], name=op.f('fk_tender_consignees_tender_id_tenders')),
    sa.ForeignKeyConstraint(['warehouse_id'], ['warehouses.id'], name=op.f('fk_tender_consignees_warehouse_id_warehouses')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tender_consignees')),
    sa.UniqueConstraint('tender_id', 'tranche', 'warehouse_id', name='uq_tender_consignees_line')
    )
    with op.batch_alter_table('tender_consignees', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tender_consignees_tender_id'), ['tender_id'], unique=False)

    op.create_table('tender_criteria',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tender_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('label_hi', sa.String(length=200), nullable=False),
    sa.Column('requirement', sa.String(length=120), nullable=False),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.CheckConstraint("kind in ('eligibility', 'technical')", name=op.f('ck_tender_criteria_kind')),
    sa.ForeignKeyConstraint(['tender_id'], ['tenders.id'], name=op.f('fk_tender_criteria_tender_id_tenders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tender_criteria')),
    sa.UniqueConstraint('tender_id', 'key', name='uq_tender_criteria_key')
    )
    with op.batch_alter_table('tender_criteria', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tender_criteria_tender_id'), ['tender_id'], unique=False)

    op.create_table('awards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tender_id', sa.Integer(), nullable=False),
    sa.Column('bid_id', sa.Integer(), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('unit_price_paise', sa.BigInteger(), nullable=False),
    sa.Column('basis', sa.String(length=16), nullable=False),
    sa.Column('letter_number', sa.String(length=60), nullable=False),
    sa.Column('awarded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('performance_security_bp', sa.Integer(), nullable=False),
    sa.Column('performance_security_paise', sa.BigInteger(), nullable=False),
    sa.Column('ps_reference', sa.String(length=120), nullable=True),
    sa.Column('ps_received_on', sa.Date(), nullable=True),
    sa.Column('ps_valid_until', sa.Date(), nullable=True),
    sa.Column('ps_released_on', sa.Date(), nullable=True),
    sa.CheckConstraint("basis in ('l1', 'mii_match', 'mse_match')", name=op.f('ck_awards_basis')),
    sa.CheckConstraint("status in ('awarded', 'declined')", name=op.f('ck_awards_status')),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_awards_quantity_positive')),
    sa.ForeignKeyConstraint(['bid_id'], ['bids.id'], name=op.f('fk_awards_bid_id_bids')),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_awards_supplier_id_suppliers')),
    sa.ForeignKeyConstraint(['tender_id'], ['tenders.id'], name=op.f('fk_awards_tender_id_tenders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_awards')),
    sa.UniqueConstraint('letter_number', name=op.f('uq_awards_letter_number'))
    )
    with op.batch_alter_table('awards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_awards_supplier_id'), ['supplier_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_awards_tender_id'), ['tender_id'], unique=False)

    op.create_table('bid_covers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bid_id', sa.Integer(), nullable=False),
    sa.Column('cover', sa.String(length=16), nullable=False),
    sa.Column('envelope', sa.JSON(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('content', sa.Text(), nullable=True),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('failure', sa.String(length=300), nullable=True),
    sa.CheckConstraint("cover in ('technical', 'financial')", name=op.f('ck_bid_covers_cover')),
    sa.CheckConstraint("status in ('sealed', 'opened', 'failed')", name=op.f('ck_bid_covers_status')),
    sa.ForeignKeyConstraint(['bid_id'], ['bids.id'], name=op.f('fk_bid_covers_bid_id_bids')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bid_covers')),
    sa.UniqueConstraint('bid_id', 'cover', name='uq_bid_covers_cover')
    )
    with op.batch_alter_table('bid_covers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bid_covers_bid_id'), ['bid_id'], unique=False)

    op.create_table('financial_results',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tender_id', sa.Integer(), nullable=False),
    sa.Column('bid_id', sa.Integer(), nullable=False),
    sa.Column('unit_price_paise', sa.BigInteger(), nullable=False),
    sa.Column('gst_bp', sa.Integer(), nullable=False),
    sa.Column('evaluated_unit_paise', sa.BigInteger(), nullable=False),
    sa.Column('evaluated_total_paise', sa.BigInteger(), nullable=False),
    sa.Column('delivery_days', sa.Integer(), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['bid_id'], ['bids.id'], name=op.f('fk_financial_results_bid_id_bids')),
    sa.ForeignKeyConstraint(['tender_id'], ['tenders.id'], name=op.f('fk_financial_results_tender_id_tenders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_financial_results')),
    sa.UniqueConstraint('bid_id', name=op.f('uq_financial_results_bid_id'))
    )
    with op.batch_alter_table('financial_results', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_financial_results_tender_id'), ['tender_id'], unique=False)

    op.create_table('technical_evaluations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bid_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('complies', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('evaluator_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['bid_id'], ['bids.id'], name=op.f('fk_technical_evaluations_bid_id_bids')),
    sa.ForeignKeyConstraint(['criterion_id'], ['tender_criteria.id'], name=op.f('fk_technical_evaluations_criterion_id_tender_criteria')),
    sa.ForeignKeyConstraint(['evaluator_id'], ['users.id'], name=op.f('fk_technical_evaluations_evaluator_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_technical_evaluations')),
    sa.UniqueConstraint('bid_id', 'criterion_id', name='uq_technical_evaluations_finding')
    )
    with op.batch_alter_table('technical_evaluations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_technical_evaluations_bid_id'), ['bid_id'], unique=False)

    op.create_table('purchase_orders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=60), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('previous_id', sa.Integer(), nullable=True),
    sa.Column('tender_id', sa.Integer(), nullable=False),
    sa.Column('award_id', sa.Integer(), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('unit_price_paise', sa.BigInteger(), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('amendment_reason', sa.String(length=500), nullable=True),
    sa.CheckConstraint("status in ('issued', 'superseded')", name=op.f('ck_purchase_orders_status')),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_purchase_orders_quantity_positive')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_purchase_orders_version_positive')),
    sa.ForeignKeyConstraint(['award_id'], ['awards.id'], name=op.f('fk_purchase_orders_award_id_awards')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_purchase_orders_item_id_items')),
    sa.ForeignKeyConstraint(['previous_id'], ['purchase_orders.id'], name=op.f('fk_purchase_orders_previous_id_purchase_orders')),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_purchase_orders_supplier_id_suppliers')),
    sa.ForeignKeyConstraint(['tender_id'], ['tenders.id'], name=op.f('fk_purchase_orders_tender_id_tenders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_purchase_orders')),
    sa.UniqueConstraint('number', name=op.f('uq_purchase_orders_number'))
    )
    with op.batch_alter_table('purchase_orders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_purchase_orders_supplier_id'), ['supplier_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_purchase_orders_tender_id'), ['tender_id'], unique=False)

    op.create_table('share_releases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bid_cover_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('share', sa.JSON(), nullable=False),
    sa.Column('released_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['bid_cover_id'], ['bid_covers.id'], name=op.f('fk_share_releases_bid_cover_id_bid_covers')),
    sa.ForeignKeyConstraint(['member_id'], ['committee_members.id'], name=op.f('fk_share_releases_member_id_committee_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_share_releases')),
    sa.UniqueConstraint('bid_cover_id', 'member_id', name='uq_share_releases_slot')
    )
    with op.batch_alter_table('share_releases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_share_releases_bid_cover_id'), ['bid_cover_id'], unique=False)

    op.create_table('po_tranches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('purchase_order_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('consignee_warehouse_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('delivered_quantity', sa.Integer(), server_default='0', nullable=False),
    sa.Column('delivered_on', sa.Date(), nullable=True),
    sa.CheckConstraint('delivered_quantity >= 0 AND delivered_quantity <= quantity', name=op.f('ck_po_tranches_delivered_range')),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_po_tranches_quantity_positive')),
    sa.ForeignKeyConstraint(['consignee_warehouse_id'], ['warehouses.id'], name=op.f('fk_po_tranches_consignee_warehouse_id_warehouses')),
    sa.ForeignKeyConstraint(['purchase_order_id'], ['purchase_orders.id'], name=op.f('fk_po_tranches_purchase_order_id_purchase_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_po_tranches')),
    sa.UniqueConstraint('purchase_order_id', 'number', 'consignee_warehouse_id', name='uq_po_tranches_line')
    )
    with op.batch_alter_table('po_tranches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_po_tranches_consignee_warehouse_id'), ['consignee_warehouse_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_po_tranches_purchase_order_id'), ['purchase_order_id'], unique=False)

    op.create_table('po_deliveries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tranche_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('delivered_on', sa.Date(), nullable=False),
    sa.Column('reference', sa.String(length=80), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_po_deliveries_quantity_positive')),
    sa.ForeignKeyConstraint(['tranche_id'], ['po_tranches.id'], name=op.f('fk_po_deliveries_tranche_id_po_tranches')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_po_deliveries')),
    sa.UniqueConstraint('tranche_id', 'reference', name='uq_po_deliveries_reference')
    )
    with op.batch_alter_table('po_deliveries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_po_deliveries_tranche_id'), ['tranche_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('po_deliveries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_po_deliveries_tranche_id'))

    op.drop_table('po_deliveries')
    with op.batch_alter_table('po_tranches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_po_tranches_purchase_order_id'))
        batch_op.drop_index(batch_op.f('ix_po_tranches_consignee_warehouse_id'))

    op.drop_table('po_tranches')
    with op.batch_alter_table('share_releases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_share_releases_bid_cover_id'))

    op.drop_table('share_releases')
    with op.batch_alter_table('purchase_orders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_purchase_orders_tender_id'))
        batch_op.drop_index(batch_op.f('ix_purchase_orders_supplier_id'))

    op.drop_table('purchase_orders')
    with op.batch_alter_table('technical_evaluations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_technical_evaluations_bid_id'))

    op.drop_table('technical_evaluations')
    with op.batch_alter_table('financial_results', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_financial_results_tender_id'))

    op.drop_table('financial_results')
    with op.batch_alter_table('bid_covers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bid_covers_bid_id'))

    op.drop_table('bid_covers')
    with op.batch_alter_table('awards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_awards_tender_id'))
        batch_op.drop_index(batch_op.f('ix_awards_supplier_id'))

    op.drop_table('awards')
    with op.batch_alter_table('tender_criteria', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tender_criteria_tender_id'))

    op.drop_table('tender_criteria')
    with op.batch_alter_table('tender_consignees', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tender_consignees_tender_id'))

    op.drop_table('tender_consignees')
    with op.batch_alter_table('corrigenda', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_corrigenda_tender_id'))

    op.drop_table('corrigenda')
    with op.batch_alter_table('committee_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_committee_members_tender_id'))

    op.drop_table('committee_members')
    with op.batch_alter_table('bids', schema=None) as batch_op:
        batch_op.drop_index('uq_bids_live', sqlite_where=sa.text("status = 'submitted'"), postgresql_where=sa.text("status = 'submitted'"))
        batch_op.drop_index(batch_op.f('ix_bids_tender_id'))
        batch_op.drop_index(batch_op.f('ix_bids_supplier_id'))

    op.drop_table('bids')
    op.drop_table('tenders')
    with op.batch_alter_table('opener_keys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_opener_keys_user_id'))

    op.drop_table('opener_keys')
