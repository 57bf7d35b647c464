"""tendering: Make in India per tender: class thresholds, the DoP list, global tender enquiry

Revision ID: tendering_11a_03
Revises: tendering_11a_02
"""

import sqlalchemy as sa
from alembic import op

revision = "tendering_11a_03"
down_revision = "tendering_11a_02"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tenders", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("mii_class_i_pct", sa.Integer(), nullable=False, server_default="50")
        )
        batch_op.add_column(
            sa.Column("mii_class_ii_pct", sa.Integer(), nullable=False, server_default="20")
        )
        batch_op.add_column(
            sa.Column("mii_class_i_only", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("global_tender", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("tenders", schema=None) as batch_op:
        batch_op.drop_column("global_tender")
        batch_op.drop_column("mii_class_i_only")
        batch_op.drop_column("mii_class_ii_pct")
        batch_op.drop_column("mii_class_i_pct")
