"""places and incidents: gazetteer, place mappings, record places, incidents, vocabulary

Revision ID: 0005_places_incidents
Revises: 0001_foundation
"""

import sqlalchemy as sa
from alembic import op

from sijill.incidents.vocabulary import seed_vocabulary

revision = "0005_places_incidents"
down_revision = "0001_foundation"
branch_labels = ("places_incidents",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "incidents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("title_ar", sa.Text(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("start_date", sa.String(length=10), nullable=True),
        sa.Column("end_date", sa.String(length=10), nullable=True),
        sa.Column("start_day", sa.Date(), nullable=True),
        sa.Column("end_day", sa.Date(), nullable=True),
        sa.Column("access", sa.String(length=12), nullable=False),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["incidents.id"], name=op.f("fk_incidents_parent_id_incidents")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incidents")),
        sa.UniqueConstraint("external_id", name=op.f("uq_incidents_external_id")),
    )
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_incidents_end_day"), ["end_day"], unique=False)
        batch_op.create_index(batch_op.f("ix_incidents_parent_id"), ["parent_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_incidents_start_day"), ["start_day"], unique=False)

    op.create_table(
        "legal_characterizations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=80), nullable=False),
        sa.Column("label_en", sa.Text(), nullable=False),
        sa.Column("label_ar", sa.Text(), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("instrument", sa.String(length=80), nullable=False),
        sa.Column("article", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_legal_characterizations")),
        sa.UniqueConstraint("code", name=op.f("uq_legal_characterizations_code")),
    )
    op.create_table(
        "places",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=False),
        sa.Column("name_ar", sa.Text(), nullable=True),
        sa.Column("name_latin", sa.Text(), nullable=True),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("pcode", sa.String(length=40), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("gazetteer", sa.String(length=40), nullable=False),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["places.id"], name=op.f("fk_places_parent_id_places")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_places")),
        sa.UniqueConstraint("external_id", name=op.f("uq_places_external_id")),
    )
    with op.batch_alter_table("places", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_places_parent_id"), ["parent_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_places_pcode"), ["pcode"], unique=False)

    op.create_table(
        "violation_types",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=80), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("label_en", sa.Text(), nullable=False),
        sa.Column("label_ar", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["violation_types.id"],
            name=op.f("fk_violation_types_parent_id_violation_types"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_violation_types")),
        sa.UniqueConstraint("code", name=op.f("uq_violation_types_code")),
    )
    op.create_table(
        "incident_characterizations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("characterization_id", sa.Integer(), nullable=False),
        sa.Column("analyst", sa.String(length=100), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["characterization_id"],
            ["legal_characterizations.id"],
            name=op.f("fk_incident_characterizations_characterization_id_legal_characterizations"),
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_incident_characterizations_incident_id_incidents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_characterizations")),
    )
    op.create_table(
        "incident_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("evidence_ref", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_incident_evidence_incident_id_incidents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_evidence")),
        sa.UniqueConstraint("incident_id", "evidence_ref", name="uq_incident_evidence_pair"),
    )
    op.create_table(
        "incident_perpetrators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("organization_ref", sa.String(length=200), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("involvement", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_incident_perpetrators_incident_id_incidents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_incident_perpetrators_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_perpetrators")),
    )
    with op.batch_alter_table("incident_perpetrators", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_incident_perpetrators_organization_ref"),
            ["organization_ref"],
            unique=False,
        )

    op.create_table(
        "incident_places",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("place_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_incident_places_incident_id_incidents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["place_id"], ["places.id"], name=op.f("fk_incident_places_place_id_places")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_places")),
        sa.UniqueConstraint("incident_id", "place_id", name="uq_incident_places_pair"),
    )
    with op.batch_alter_table("incident_places", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_incident_places_place_id"), ["place_id"], unique=False)

    op.create_table(
        "incident_victims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_incident_victims_incident_id_incidents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_incident_victims_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_victims")),
    )
    op.create_table(
        "incident_violations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("violation_type_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_incident_violations_incident_id_incidents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["violation_type_id"],
            ["violation_types.id"],
            name=op.f("fk_incident_violations_violation_type_id_violation_types"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_violations")),
        sa.UniqueConstraint("incident_id", "violation_type_id", name="uq_incident_violations_pair"),
    )
    op.create_table(
        "place_mappings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text_key", sa.String(length=300), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("place_id", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("why", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["place_id"],
            ["places.id"],
            name=op.f("fk_place_mappings_place_id_places"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_place_mappings")),
        sa.UniqueConstraint("text_key", name=op.f("uq_place_mappings_text_key")),
    )
    op.create_table(
        "place_names",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("place_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("lang", sa.String(length=8), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(
            ["place_id"],
            ["places.id"],
            name=op.f("fk_place_names_place_id_places"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_place_names")),
    )
    with op.batch_alter_table("place_names", schema=None) as batch_op:
        batch_op.create_index("ix_place_names_key", ["key"], unique=False)
        batch_op.create_index(batch_op.f("ix_place_names_place_id"), ["place_id"], unique=False)

    op.create_table(
        "incident_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("reviewed_by", sa.String(length=100), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(), nullable=True),
        sa.Column("why", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_incident_records_incident_id_incidents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["records.id"],
            name=op.f("fk_incident_records_record_id_records"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_records")),
        sa.UniqueConstraint("incident_id", "record_id", name="uq_incident_records_pair"),
    )
    with op.batch_alter_table("incident_records", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_incident_records_record_id"), ["record_id"], unique=False
        )

    op.create_table(
        "record_places",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("place_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("candidates", sa.Integer(), nullable=False),
        sa.Column("resolved_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["place_id"], ["places.id"], name=op.f("fk_record_places_place_id_places")
        ),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["records.id"],
            name=op.f("fk_record_places_record_id_records"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_places")),
        sa.UniqueConstraint("record_id", name="uq_record_places_record"),
    )
    with op.batch_alter_table("record_places", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_record_places_place_id"), ["place_id"], unique=False)

    # The editable violation vocabulary and legal characterizations start from the seed.
    seed_vocabulary(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table("record_places", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_record_places_place_id"))

    op.drop_table("record_places")
    with op.batch_alter_table("incident_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incident_records_record_id"))

    op.drop_table("incident_records")
    with op.batch_alter_table("place_names", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_place_names_place_id"))
        batch_op.drop_index("ix_place_names_key")

    op.drop_table("place_names")
    op.drop_table("place_mappings")
    op.drop_table("incident_violations")
    op.drop_table("incident_victims")
    with op.batch_alter_table("incident_places", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incident_places_place_id"))

    op.drop_table("incident_places")
    with op.batch_alter_table("incident_perpetrators", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incident_perpetrators_organization_ref"))

    op.drop_table("incident_perpetrators")
    op.drop_table("incident_evidence")
    op.drop_table("incident_characterizations")
    op.drop_table("violation_types")
    with op.batch_alter_table("places", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_places_pcode"))
        batch_op.drop_index(batch_op.f("ix_places_parent_id"))

    op.drop_table("places")
    op.drop_table("legal_characterizations")
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incidents_start_day"))
        batch_op.drop_index(batch_op.f("ix_incidents_parent_id"))
        batch_op.drop_index(batch_op.f("ix_incidents_end_day"))

    op.drop_table("incidents")
