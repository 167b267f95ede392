"""evidence: vault items, links, perceptual hashes, near-duplicates, custody log, checkpoints

Revision ID: 0006_evidence
Revises: 0001_foundation
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0006_evidence"
down_revision = "0001_foundation"
branch_labels = ("evidence",)
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "evidence_items",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("parent_id", sa.String(length=36), nullable=True),
        sa.Column("relation", sa.String(length=20), nullable=True),
        sa.Column("original_name", sa.Text(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("mime", sa.String(length=120), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("url_normalized", sa.Text(), nullable=True),
        sa.Column("platform", sa.String(length=60), nullable=True),
        sa.Column("post_id", sa.String(length=200), nullable=True),
        sa.Column("account", sa.String(length=300), nullable=True),
        sa.Column("claimed_upload_time", sa.String(length=40), nullable=True),
        sa.Column("collected_at", sa.DateTime(), nullable=False),
        sa.Column("clock", sa.String(length=80), nullable=False),
        sa.Column("tool", sa.String(length=100), nullable=False),
        sa.Column("tool_version", sa.String(length=40), nullable=False),
        sa.Column("collection_sealed", sa.LargeBinary(), nullable=True),
        sa.Column("collector_commitment", sa.String(length=64), nullable=True),
        sa.Column("transformations", JSON, nullable=False),
        sa.Column("verification", JSON, nullable=False),
        sa.Column("verification_status", sa.String(length=20), nullable=False),
        sa.Column("graphic", sa.Boolean(), nullable=False),
        sa.Column("identifiable_people", sa.Boolean(), nullable=True),
        sa.Column("consent_scope", sa.Text(), nullable=True),
        sa.Column("access", sa.String(length=12), nullable=False),
        sa.Column("media_metadata", JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["evidence_items.id"],
            name=op.f("fk_evidence_items_parent_id_evidence_items"),
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_evidence_items_source_id_sources")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_items")),
    )
    op.create_index(op.f("ix_evidence_items_sha256"), "evidence_items", ["sha256"])

    op.create_table(
        "evidence_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.String(length=36), nullable=False),
        sa.Column("target_kind", sa.String(length=20), nullable=False),
        sa.Column("target_id", sa.String(length=100), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["evidence_items.id"],
            name=op.f("fk_evidence_links_item_id_evidence_items"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_links")),
        sa.UniqueConstraint("item_id", "target_kind", "target_id", name="uq_evidence_links_target"),
    )
    op.create_index("ix_evidence_links_target", "evidence_links", ["target_kind", "target_id"])

    op.create_table(
        "evidence_phashes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.String(length=36), nullable=False),
        sa.Column("frame", sa.Integer(), nullable=False),
        sa.Column("pdq", sa.String(length=64), nullable=False),
        sa.Column("quality", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["evidence_items.id"],
            name=op.f("fk_evidence_phashes_item_id_evidence_items"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_phashes")),
    )
    op.create_index(op.f("ix_evidence_phashes_item_id"), "evidence_phashes", ["item_id"])

    op.create_table(
        "evidence_near_duplicates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_a", sa.String(length=36), nullable=False),
        sa.Column("item_b", sa.String(length=36), nullable=False),
        sa.Column("distance", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=12), nullable=False),
        sa.Column("decided_by", sa.String(length=100), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("why", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_a"],
            ["evidence_items.id"],
            name=op.f("fk_evidence_near_duplicates_item_a_evidence_items"),
        ),
        sa.ForeignKeyConstraint(
            ["item_b"],
            ["evidence_items.id"],
            name=op.f("fk_evidence_near_duplicates_item_b_evidence_items"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_near_duplicates")),
        sa.UniqueConstraint("item_a", "item_b", name="uq_evidence_near_duplicates_pair"),
    )
    op.create_index(
        op.f("ix_evidence_near_duplicates_item_a"), "evidence_near_duplicates", ["item_a"]
    )
    op.create_index(
        op.f("ix_evidence_near_duplicates_item_b"), "evidence_near_duplicates", ["item_b"]
    )

    op.create_table(
        "custody_log",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("entry", sa.Text(), nullable=False),
        sa.Column("item_id", sa.String(length=36), nullable=True),
        sa.Column("event", sa.String(length=20), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("openings", sa.LargeBinary(), nullable=True),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_custody_log")),
    )
    op.create_index(op.f("ix_custody_log_item_id"), "custody_log", ["item_id"])

    op.create_table(
        "custody_checkpoints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tree_size", sa.Integer(), nullable=False),
        sa.Column("root_hash", sa.String(length=64), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("key_id", sa.String(length=8), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("tsa_url", sa.Text(), nullable=True),
        sa.Column("tsa_token", sa.LargeBinary(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_custody_checkpoints")),
    )
    op.create_index(op.f("ix_custody_checkpoints_tree_size"), "custody_checkpoints", ["tree_size"])


def downgrade() -> None:
    op.drop_table("custody_checkpoints")
    op.drop_table("custody_log")
    op.drop_table("evidence_near_duplicates")
    op.drop_table("evidence_phashes")
    op.drop_table("evidence_links")
    op.drop_table("evidence_items")
