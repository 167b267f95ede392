"""persons listed: an index of the persons not merged into another, by access level

Revision ID: 0008_persons_listed_index
Revises: 0001_foundation
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_persons_listed_index"
down_revision = "0001_foundation"
branch_labels = ("persons_listed",)
depends_on = None


def upgrade() -> None:
    # The person list's total counts the persons not merged into another (of the levels the
    # reader's role may read) on every page: an index-only scan of this small index, not a
    # scan of every person's row.
    op.create_index(
        "ix_persons_listed",
        "persons",
        ["access"],
        postgresql_where=sa.text("merged_into_id IS NULL"),
        sqlite_where=sa.text("merged_into_id IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_persons_listed", table_name="persons")
