"""naming: who entered each allegation, and the sign-offs that let public outputs name a person

Revision ID: 0010_naming
Revises: 0009_accountability
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_naming"
down_revision = "0009_accountability"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("incident_perpetrators") as batch:
        batch.add_column(sa.Column("entered_by", sa.String(length=100), nullable=True))
    # Allegations stored before: entered by whoever created their incident, when it says.
    op.execute(
        "UPDATE incident_perpetrators SET entered_by = (SELECT created_by FROM incidents"
        " WHERE incidents.id = incident_perpetrators.incident_id)"
    )
    op.create_table(
        "naming_signoffs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("signed_by", sa.String(length=100), nullable=False),
        sa.Column("signed_at", sa.DateTime(), nullable=False),
        sa.Column("why", sa.Text(), nullable=False),
        sa.Column("revoked_by", sa.String(length=100), nullable=True),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_why", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_naming_signoffs_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_naming_signoffs")),
    )
    op.create_index("ix_naming_signoffs_person_id", "naming_signoffs", ["person_id"])


def downgrade() -> None:
    op.drop_table("naming_signoffs")
    with op.batch_alter_table("incident_perpetrators") as batch:
        batch.drop_column("entered_by")
