"""planning: the daily forecast and gap, as the worker computes it

Revision ID: planning_14_01
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "planning_14_01"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "gap_refreshes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("forecast_as_of", sa.Date(), nullable=False),
        sa.Column("horizon_days", sa.Integer(), nullable=False),
        sa.Column("model", sa.String(length=12), nullable=False),
        sa.Column("districts_short", sa.Integer(), nullable=False),
        sa.Column("devices_short", sa.Integer(), nullable=False),
        sa.Column("districts", sa.JSON(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gap_refreshes")),
        sa.UniqueConstraint("day", name=op.f("uq_gap_refreshes_day")),
    )


def downgrade() -> None:
    op.drop_table("gap_refreshes")
