"""disclosure: consent per recipient on sources and evidence items

Revision ID: 0011_disclosure
Revises: 0010_naming
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_disclosure"
down_revision = "0010_naming"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sharing_consents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target_kind", sa.String(length=20), nullable=False),
        sa.Column("target_id", sa.String(length=100), nullable=False),
        sa.Column("recipient", sa.String(length=40), nullable=False),
        sa.Column("why", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("withdrawn_by", sa.String(length=100), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(), nullable=True),
        sa.Column("withdrawn_why", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sharing_consents")),
    )
    op.create_index("ix_sharing_consents_target", "sharing_consents", ["target_kind", "target_id"])


def downgrade() -> None:
    op.drop_table("sharing_consents")
