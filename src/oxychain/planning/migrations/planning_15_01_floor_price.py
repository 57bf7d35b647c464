"""planning: the price of a plan's fill floor (ALLOCATION.md version 2)

Revision ID: planning_15_01
Revises: planning_14_01
"""

import sqlalchemy as sa
from alembic import op

revision = "planning_15_01"
down_revision = "planning_14_01"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("plans") as batch:
        batch.add_column(sa.Column("floor_price", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("plans") as batch:
        batch.drop_column("floor_price")
