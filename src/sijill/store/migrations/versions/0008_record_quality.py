"""record quality: the age in months and the quality flags an import gives odd values

Revision ID: 0008_record_quality
Revises: 0001_foundation
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0008_record_quality"
down_revision = "0001_foundation"
branch_labels = ("record_quality",)
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.add_column("records", sa.Column("age_months", sa.Integer(), nullable=True))
    op.add_column("records", sa.Column("quality", JSON, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("records") as batch:
        batch.drop_column("quality")
        batch.drop_column("age_months")
