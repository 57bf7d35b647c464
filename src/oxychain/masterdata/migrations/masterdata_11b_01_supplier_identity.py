"""masterdata: a supplier's GSTIN, PAN, Udyam number and MSE owner categories

Revision ID: masterdata_11b_01
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "masterdata_11b_01"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("suppliers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("gstin", sa.String(15), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("pan", sa.String(10), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("udyam", sa.String(19), nullable=False, server_default=""))
        batch_op.add_column(
            sa.Column("sc_st_owned", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("women_owned", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("suppliers", schema=None) as batch_op:
        for column in ("women_owned", "sc_st_owned", "udyam", "pan", "gstin"):
            batch_op.drop_column(column)
