"""accountability: proceedings (inquiries, trials, statements...) and what they concern

Revision ID: 0009_accountability
Revises: 0001_foundation
Depends on: 0004_command, 0008_one_incident
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0009_accountability"
down_revision = "0001_foundation"
branch_labels = ("accountability",)
depends_on = ("0004_command", "0008_one_incident")

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "accountability_proceedings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("title_ar", sa.Text(), nullable=True),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("start_date", sa.String(length=10), nullable=True),
        sa.Column("end_date", sa.String(length=10), nullable=True),
        sa.Column("start_day", sa.Date(), nullable=True),
        sa.Column("end_day", sa.Date(), nullable=True),
        sa.Column("stance", sa.String(length=20), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("mandate", sa.Text(), nullable=True),
        sa.Column("members", JSON, nullable=True),
        sa.Column("extensions", JSON, nullable=True),
        sa.Column("findings", JSON, nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("access", sa.String(length=12), nullable=False),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accountability_proceedings")),
        sa.UniqueConstraint("external_id", name=op.f("uq_accountability_proceedings_external_id")),
    )
    op.create_index(
        op.f("ix_accountability_proceedings_kind"), "accountability_proceedings", ["kind"]
    )
    op.create_table(
        "accountability_subjects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proceeding_id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["proceeding_id"],
            ["accountability_proceedings.id"],
            name=op.f("fk_accountability_subjects_proceeding_id_accountability_proceedings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_accountability_subjects_incident_id_incidents"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_accountability_subjects_person_id_persons")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["command_organizations.id"],
            name=op.f("fk_accountability_subjects_organization_id_command_organizations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accountability_subjects")),
    )
    for column in ("proceeding_id", "person_id", "organization_id", "incident_id"):
        op.create_index(f"ix_accountability_subjects_{column}", "accountability_subjects", [column])


def downgrade() -> None:
    op.drop_table("accountability_subjects")
    op.drop_table("accountability_proceedings")
