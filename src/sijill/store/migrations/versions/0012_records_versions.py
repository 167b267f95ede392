"""records versions: a record entered by hand (when, by whom) and the earlier states of a
corrected record, with who, when and why

Revision ID: 0012_records_versions
Revises: 0008_record_quality
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0012_records_versions"
down_revision = "0008_record_quality"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.add_column("records", sa.Column("entered_at", sa.DateTime(), nullable=True))
    op.add_column("records", sa.Column("entered_by", sa.String(length=100), nullable=True))
    op.create_table(
        "record_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("state", JSON, nullable=False),
        sa.Column("replaced_at", sa.DateTime(), nullable=False),
        sa.Column("replaced_by", sa.String(length=100), nullable=False),
        sa.Column("why", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["records.id"],
            name=op.f("fk_record_versions_record_id_records"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_versions")),
        sa.UniqueConstraint("record_id", "number", name="uq_record_versions_number"),
    )
    op.create_index(
        op.f("ix_record_versions_replaced_at"), "record_versions", ["replaced_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_record_versions_replaced_at"), table_name="record_versions")
    op.drop_table("record_versions")
    with op.batch_alter_table("records") as batch:
        batch.drop_column("entered_by")
        batch.drop_column("entered_at")
