"""command: organizations, memberships, compositions, areas, successions, incidents

Revision ID: 0004_command
Revises: 0001_foundation
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004_command"
down_revision = "0001_foundation"
branch_labels = ("command",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "command_incidents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=False),
        sa.Column("place", sa.Text(), nullable=True),
        sa.Column("start_date", sa.String(length=10), nullable=True),
        sa.Column("end_date", sa.String(length=10), nullable=True),
        sa.Column("first_cited", sa.String(length=10), nullable=True),
        sa.Column("last_cited", sa.String(length=10), nullable=True),
        sa.Column("sure_start", sa.Date(), nullable=True),
        sa.Column("sure_end", sa.Date(), nullable=True),
        sa.Column("possible_start", sa.Date(), nullable=True),
        sa.Column("possible_end", sa.Date(), nullable=True),
        sa.Column("confidence", sa.String(length=8), nullable=True),
        sa.Column(
            "extra",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_command_incidents")),
        sa.UniqueConstraint("external_id", name=op.f("uq_command_incidents_external_id")),
    )
    op.create_table(
        "command_organizations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("name_ar", sa.Text(), nullable=True),
        sa.Column("classification", sa.String(length=60), nullable=True),
        sa.Column(
            "aliases",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("founding_date", sa.String(length=10), nullable=True),
        sa.Column("dissolution_date", sa.String(length=10), nullable=True),
        sa.Column("confidence", sa.String(length=8), nullable=True),
        sa.Column("merged_into_id", sa.Integer(), nullable=True),
        sa.Column(
            "extra",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.ForeignKeyConstraint(
            ["merged_into_id"],
            ["command_organizations.id"],
            name=op.f("fk_command_organizations_merged_into_id_command_organizations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_command_organizations")),
        sa.UniqueConstraint("external_id", name=op.f("uq_command_organizations_external_id")),
    )
    op.create_table(
        "command_areas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("place", sa.Text(), nullable=False),
        sa.Column("start_date", sa.String(length=10), nullable=True),
        sa.Column("end_date", sa.String(length=10), nullable=True),
        sa.Column("first_cited", sa.String(length=10), nullable=True),
        sa.Column("last_cited", sa.String(length=10), nullable=True),
        sa.Column("sure_start", sa.Date(), nullable=True),
        sa.Column("sure_end", sa.Date(), nullable=True),
        sa.Column("possible_start", sa.Date(), nullable=True),
        sa.Column("possible_end", sa.Date(), nullable=True),
        sa.Column("confidence", sa.String(length=8), nullable=True),
        sa.Column(
            "extra",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["command_organizations.id"],
            name=op.f("fk_command_areas_organization_id_command_organizations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_command_areas")),
    )
    op.create_index("ix_command_areas_org", "command_areas", ["organization_id"], unique=False)
    op.create_table(
        "command_compositions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=False),
        sa.Column("child_id", sa.Integer(), nullable=False),
        sa.Column("classification", sa.String(length=60), nullable=False),
        sa.Column("start_date", sa.String(length=10), nullable=True),
        sa.Column("end_date", sa.String(length=10), nullable=True),
        sa.Column("first_cited", sa.String(length=10), nullable=True),
        sa.Column("last_cited", sa.String(length=10), nullable=True),
        sa.Column("sure_start", sa.Date(), nullable=True),
        sa.Column("sure_end", sa.Date(), nullable=True),
        sa.Column("possible_start", sa.Date(), nullable=True),
        sa.Column("possible_end", sa.Date(), nullable=True),
        sa.Column("confidence", sa.String(length=8), nullable=True),
        sa.Column(
            "extra",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.ForeignKeyConstraint(
            ["child_id"],
            ["command_organizations.id"],
            name=op.f("fk_command_compositions_child_id_command_organizations"),
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["command_organizations.id"],
            name=op.f("fk_command_compositions_parent_id_command_organizations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_command_compositions")),
    )
    op.create_index(
        "ix_command_compositions_child",
        "command_compositions",
        ["child_id", "parent_id"],
        unique=False,
    )
    op.create_index(
        "ix_command_compositions_parent",
        "command_compositions",
        ["parent_id", "child_id"],
        unique=False,
    )
    op.create_table(
        "command_incident_perpetrators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["command_incidents.id"],
            name=op.f("fk_command_incident_perpetrators_incident_id_command_incidents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["command_organizations.id"],
            name=op.f("fk_command_incident_perpetrators_organization_id_command_organizations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_command_incident_perpetrators")),
    )
    op.create_index(
        op.f("ix_command_incident_perpetrators_incident_id"),
        "command_incident_perpetrators",
        ["incident_id"],
        unique=False,
    )
    op.create_index(
        "ix_command_incident_perpetrators_org",
        "command_incident_perpetrators",
        ["organization_id"],
        unique=False,
    )
    op.create_table(
        "command_memberships",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=60), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("rank", sa.Text(), nullable=True),
        sa.Column("start_date", sa.String(length=10), nullable=True),
        sa.Column("end_date", sa.String(length=10), nullable=True),
        sa.Column("first_cited", sa.String(length=10), nullable=True),
        sa.Column("last_cited", sa.String(length=10), nullable=True),
        sa.Column("sure_start", sa.Date(), nullable=True),
        sa.Column("sure_end", sa.Date(), nullable=True),
        sa.Column("possible_start", sa.Date(), nullable=True),
        sa.Column("possible_end", sa.Date(), nullable=True),
        sa.Column("confidence", sa.String(length=8), nullable=True),
        sa.Column(
            "extra",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["command_organizations.id"],
            name=op.f("fk_command_memberships_organization_id_command_organizations"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_command_memberships_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_command_memberships")),
    )
    op.create_index(
        "ix_command_memberships_org_role",
        "command_memberships",
        ["organization_id", "role"],
        unique=False,
    )
    op.create_index(
        "ix_command_memberships_person", "command_memberships", ["person_id"], unique=False
    )
    op.create_table(
        "command_person_details",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column(
            "aliases",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "extra",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_command_person_details_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_command_person_details")),
    )
    op.create_table(
        "command_successions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("predecessor_id", sa.Integer(), nullable=False),
        sa.Column("successor_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("start_date", sa.String(length=10), nullable=True),
        sa.Column("end_date", sa.String(length=10), nullable=True),
        sa.Column("first_cited", sa.String(length=10), nullable=True),
        sa.Column("last_cited", sa.String(length=10), nullable=True),
        sa.Column("sure_start", sa.Date(), nullable=True),
        sa.Column("sure_end", sa.Date(), nullable=True),
        sa.Column("possible_start", sa.Date(), nullable=True),
        sa.Column("possible_end", sa.Date(), nullable=True),
        sa.Column("confidence", sa.String(length=8), nullable=True),
        sa.Column(
            "extra",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.ForeignKeyConstraint(
            ["predecessor_id"],
            ["command_organizations.id"],
            name=op.f("fk_command_successions_predecessor_id_command_organizations"),
        ),
        sa.ForeignKeyConstraint(
            ["successor_id"],
            ["command_organizations.id"],
            name=op.f("fk_command_successions_successor_id_command_organizations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_command_successions")),
    )


def downgrade() -> None:

    op.drop_table("command_successions")
    op.drop_table("command_person_details")
    op.drop_index("ix_command_memberships_person", table_name="command_memberships")
    op.drop_index("ix_command_memberships_org_role", table_name="command_memberships")
    op.drop_table("command_memberships")
    op.drop_index(
        "ix_command_incident_perpetrators_org", table_name="command_incident_perpetrators"
    )
    op.drop_index(
        op.f("ix_command_incident_perpetrators_incident_id"),
        table_name="command_incident_perpetrators",
    )
    op.drop_table("command_incident_perpetrators")
    op.drop_index("ix_command_compositions_parent", table_name="command_compositions")
    op.drop_index("ix_command_compositions_child", table_name="command_compositions")
    op.drop_table("command_compositions")
    op.drop_index("ix_command_areas_org", table_name="command_areas")
    op.drop_table("command_areas")
    op.drop_table("command_organizations")
    op.drop_table("command_incidents")
