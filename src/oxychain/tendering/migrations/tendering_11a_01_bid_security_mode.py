"""tendering: a tender's bid security is EMD or a bid security declaration (GFR rule 170)

Revision ID: tendering_11a_01
Revises: tendering_14_01
"""

import sqlalchemy as sa
from alembic import op

revision = "tendering_11a_01"
down_revision = "tendering_14_01"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tenders", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "bid_security_mode", sa.String(length=16), nullable=False, server_default="emd"
            )
        )
        batch_op.add_column(sa.Column("declaration_suspension_months", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("tenders", schema=None) as batch_op:
        batch_op.drop_column("declaration_suspension_months")
        batch_op.drop_column("bid_security_mode")
