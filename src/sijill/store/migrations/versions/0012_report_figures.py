"""report: other organisations' published figures and the places they cover; estimate
sign-offs (an estimate goes into a public report only once signed off)

Revision ID: 0012_report_figures
Revises: 0011_disclosure
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0012_report_figures"
down_revision = "0011_disclosure"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "published_figures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=True),
        sa.Column("organisation", sa.Text(), nullable=False),
        sa.Column("organisation_ar", sa.Text(), nullable=True),
        sa.Column("published", sa.String(length=10), nullable=True),
        sa.Column("counts", sa.String(length=30), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.String(length=10), nullable=True),
        sa.Column("end_date", sa.String(length=10), nullable=True),
        sa.Column("start_day", sa.Date(), nullable=True),
        sa.Column("end_day", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("access", sa.String(length=12), nullable=False),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_published_figures")),
        sa.UniqueConstraint("external_id", name=op.f("uq_published_figures_external_id")),
    )
    op.create_table(
        "published_figure_places",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("figure_id", sa.Integer(), nullable=False),
        sa.Column("place_id", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["figure_id"],
            ["published_figures.id"],
            name=op.f("fk_published_figure_places_figure_id_published_figures"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["place_id"], ["places.id"], name=op.f("fk_published_figure_places_place_id_places")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_published_figure_places")),
    )
    op.create_index(
        "ix_published_figure_places_figure_id", "published_figure_places", ["figure_id"]
    )
    op.create_table(
        "estimate_signoffs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("signed_by", sa.String(length=100), nullable=False),
        sa.Column("signed_at", sa.DateTime(), nullable=False),
        sa.Column("why", sa.Text(), nullable=False),
        sa.Column("case_digest", sa.String(length=64), nullable=False),
        sa.Column("result", JSON, nullable=False),
        sa.Column("revoked_by", sa.String(length=100), nullable=True),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_why", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_estimate_signoffs")),
    )


def downgrade() -> None:
    op.drop_table("estimate_signoffs")
    op.drop_table("published_figure_places")
    op.drop_table("published_figures")
