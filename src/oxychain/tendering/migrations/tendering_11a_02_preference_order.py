"""tendering: the order in which the MSE and Make in India preferences apply, per tender

Revision ID: tendering_11a_02
Revises: tendering_11a_01
"""

import sqlalchemy as sa
from alembic import op

revision = "tendering_11a_02"
down_revision = "tendering_11a_01"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tenders", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "preference_order",
                sa.String(length=16),
                nullable=False,
                server_default="mse_first",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("tenders", schema=None) as batch_op:
        batch_op.drop_column("preference_order")
