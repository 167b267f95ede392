"""linkage: runs, review queue, reviewers' decisions

Revision ID: 0003_linkage
Revises: 0001_foundation
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003_linkage"
down_revision = "0001_foundation"
branch_labels = ("linkage",)
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "linkage_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("engine", sa.String(length=20), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("threshold", sa.Float(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("summary", JSON, nullable=False),
        sa.Column("model", JSON, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_linkage_runs")),
    )
    op.create_table(
        "linkage_review_pairs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_a_id", sa.Integer(), nullable=False),
        sa.Column("record_b_id", sa.Integer(), nullable=False),
        sa.Column("probability", sa.Float(), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_a_id"],
            ["records.id"],
            name=op.f("fk_linkage_review_pairs_record_a_id_records"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["record_b_id"],
            ["records.id"],
            name=op.f("fk_linkage_review_pairs_record_b_id_records"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["linkage_runs.id"],
            name=op.f("fk_linkage_review_pairs_run_id_linkage_runs"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_linkage_review_pairs")),
        sa.UniqueConstraint("record_a_id", "record_b_id", name="uq_linkage_review_pairs_records"),
    )
    op.create_index(
        "ix_linkage_review_pairs_status", "linkage_review_pairs", ["status"], unique=False
    )
    op.create_table(
        "linkage_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_a_id", sa.Integer(), nullable=False),
        sa.Column("record_b_id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=12), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("why", sa.Text(), nullable=True),
        sa.Column("pair_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["record_a_id"],
            ["records.id"],
            name=op.f("fk_linkage_decisions_record_a_id_records"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["record_b_id"],
            ["records.id"],
            name=op.f("fk_linkage_decisions_record_b_id_records"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["pair_id"],
            ["linkage_review_pairs.id"],
            name=op.f("fk_linkage_decisions_pair_id_linkage_review_pairs"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_linkage_decisions")),
    )
    op.create_index(
        "ix_linkage_decisions_records",
        "linkage_decisions",
        ["record_a_id", "record_b_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_linkage_decisions_records", table_name="linkage_decisions")
    op.drop_table("linkage_decisions")
    op.drop_index("ix_linkage_review_pairs_status", table_name="linkage_review_pairs")
    op.drop_table("linkage_review_pairs")
    op.drop_table("linkage_runs")
