"""inspection: a unit's readings are a draft until the inspector signs the unit

Revision ID: inspection_10_01
Revises: 0005

Records made before signing existed were binding when made: they are signed as recorded.
"""

import sqlalchemy as sa
from alembic import op

revision = "inspection_10_01"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("unit_tests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("signed_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("signed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(
            "fk_unit_tests_signed_by_id_users", "users", ["signed_by_id"], ["id"]
        )
    op.execute("UPDATE unit_tests SET signed_at = recorded_at, signed_by_id = recorded_by_id")


def downgrade() -> None:
    with op.batch_alter_table("unit_tests", schema=None) as batch_op:
        batch_op.drop_constraint("fk_unit_tests_signed_by_id_users", type_="foreignkey")
        batch_op.drop_column("signed_at")
        batch_op.drop_column("signed_by_id")
