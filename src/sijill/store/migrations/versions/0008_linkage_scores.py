"""linkage: the last run's scored pairs, for re-forming people at other thresholds

Revision ID: 0008_linkage_scores
Revises: 0003_linkage
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_linkage_scores"
down_revision = "0003_linkage"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "linkage_scores",
        sa.Column("record_a_id", sa.Integer(), nullable=False),
        sa.Column("record_b_id", sa.Integer(), nullable=False),
        sa.Column("probability", sa.Float(), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_a_id"],
            ["records.id"],
            name=op.f("fk_linkage_scores_record_a_id_records"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["record_b_id"],
            ["records.id"],
            name=op.f("fk_linkage_scores_record_b_id_records"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("record_a_id", "record_b_id", name=op.f("pk_linkage_scores")),
    )


def downgrade() -> None:
    op.drop_table("linkage_scores")
