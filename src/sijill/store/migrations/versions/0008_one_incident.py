"""one incident model: the structure's incidents and their units move into ``incidents``

Revision ID: 0008_one_incident
Revises: 0005_places_incidents
Depends on: 0004_command, 0006_evidence

Every incident, whichever door it came in by, is a row of ``incidents``; its alleged perpetrators
(``incident_perpetrators``) point at ``command_organizations`` or ``persons`` by foreign key.
``command_incidents`` rows (with their citations) and ``command_incident_perpetrators`` rows move
there: an incident of the same external id in both tables becomes one, its units' statuses joined
(a stated status wins over the default "alleged"). A free-text unit id naming no organization
becomes an organization with that id alone, as ``sijill import structure`` does for undeclared
ids. ``incident_evidence`` rows move into the vault's one link table (``evidence_links``); a
reference to no stored item is kept in the incident's ``extra`` (``evidence_not_in_vault``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from sijill.store.merges import survivor

revision = "0008_one_incident"
down_revision = "0005_places_incidents"
branch_labels = None
depends_on = ("0004_command", "0006_evidence")

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
STATUS_DEFAULT = "alleged"

incidents = sa.table(
    "incidents",
    sa.column("id", sa.Integer),
    sa.column("external_id", sa.String),
    sa.column("title", sa.Text),
    sa.column("place", sa.Text),
    sa.column("start_date", sa.String),
    sa.column("end_date", sa.String),
    sa.column("start_day", sa.Date),
    sa.column("end_day", sa.Date),
    sa.column("access", sa.String),
    sa.column("confidence", sa.String),
    sa.column("extra", JSON),
    sa.column("synthetic", sa.Boolean),
    sa.column("created_by", sa.String),
    sa.column("created_at", sa.DateTime),
)
perpetrators = sa.table(
    "incident_perpetrators",
    sa.column("id", sa.Integer),
    sa.column("incident_id", sa.Integer),
    sa.column("organization_ref", sa.String),
    sa.column("organization_id", sa.Integer),
    sa.column("person_id", sa.Integer),
    sa.column("involvement", sa.String),
    sa.column("status", sa.String),
    sa.column("position", sa.Integer),
)
organizations = sa.table(
    "command_organizations",
    sa.column("id", sa.Integer),
    sa.column("external_id", sa.String),
    sa.column("aliases", JSON),
    sa.column("merged_into_id", sa.Integer),
)
command_incidents = sa.table(
    "command_incidents",
    sa.column("id", sa.Integer),
    sa.column("external_id", sa.String),
    sa.column("place", sa.Text),
    sa.column("start_date", sa.String),
    sa.column("end_date", sa.String),
    sa.column("first_cited", sa.String),
    sa.column("last_cited", sa.String),
    sa.column("possible_start", sa.Date),
    sa.column("possible_end", sa.Date),
    sa.column("sure_start", sa.Date),
    sa.column("sure_end", sa.Date),
    sa.column("confidence", sa.String),
    sa.column("extra", JSON),
)
command_perpetrators = sa.table(
    "command_incident_perpetrators",
    sa.column("id", sa.Integer),
    sa.column("incident_id", sa.Integer),
    sa.column("organization_id", sa.Integer),
    sa.column("status", sa.String),
    sa.column("position", sa.Integer),
)
citations = sa.table(
    "citations",
    sa.column("id", sa.Integer),
    sa.column("source_id", sa.Integer),
    sa.column("claim_table", sa.String),
    sa.column("claim_id", sa.String),
    sa.column("field", sa.String),
    sa.column("locator", sa.String),
)
incident_evidence = sa.table(
    "incident_evidence",
    sa.column("incident_id", sa.Integer),
    sa.column("evidence_ref", sa.String),
    sa.column("note", sa.Text),
)
evidence_items = sa.table("evidence_items", sa.column("id", sa.String))
evidence_links = sa.table(
    "evidence_links",
    sa.column("id", sa.Integer),
    sa.column("item_id", sa.String),
    sa.column("target_kind", sa.String),
    sa.column("target_id", sa.String),
    sa.column("note", sa.Text),
    sa.column("created_at", sa.DateTime),
)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def upgrade() -> None:
    with op.batch_alter_table("incidents") as batch:
        batch.add_column(sa.Column("place", sa.Text(), nullable=True))
        batch.add_column(sa.Column("confidence", sa.String(length=8), nullable=True))
        batch.add_column(sa.Column("extra", JSON, nullable=True))
    with op.batch_alter_table("incident_perpetrators") as batch:
        batch.add_column(sa.Column("organization_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("position", sa.Integer(), nullable=False, server_default="0"))
        batch.alter_column("involvement", existing_type=sa.String(length=40), nullable=True)
    conn = op.get_bind()
    _unit_refs_to_keys(conn)
    with op.batch_alter_table("incident_perpetrators") as batch:
        batch.drop_index("ix_incident_perpetrators_organization_ref")
        batch.drop_column("organization_ref")
        batch.alter_column("position", existing_type=sa.Integer(), server_default=None)
        batch.create_foreign_key(
            op.f("fk_incident_perpetrators_organization_id_command_organizations"),
            "command_organizations",
            ["organization_id"],
            ["id"],
        )
        batch.create_index("ix_incident_perpetrators_organization_id", ["organization_id"])
        batch.create_index("ix_incident_perpetrators_incident_id", ["incident_id"])
    _move_command_incidents(conn)
    _move_evidence_links(conn)
    op.drop_table("incident_evidence")
    op.drop_index("ix_command_incident_perpetrators_org", "command_incident_perpetrators")
    op.drop_index(
        op.f("ix_command_incident_perpetrators_incident_id"), "command_incident_perpetrators"
    )
    op.drop_table("command_incident_perpetrators")
    op.drop_table("command_incidents")


def _org_ids(conn: sa.Connection) -> tuple[dict[str, int], dict[int, int | None]]:
    by_ext: dict[str, int] = {}
    merged: dict[int, int | None] = {}
    for org_id, ext, into in conn.execute(
        sa.select(organizations.c.id, organizations.c.external_id, organizations.c.merged_into_id)
    ):
        by_ext[ext] = org_id
        merged[org_id] = into
    return by_ext, merged


def _unit_refs_to_keys(conn: sa.Connection) -> None:
    """Free-text unit ids become foreign keys (merges followed); an unknown id becomes an
    organization with that id alone."""
    by_ext, merged = _org_ids(conn)
    refs = conn.execute(
        sa.select(perpetrators.c.id, perpetrators.c.organization_ref).where(
            perpetrators.c.organization_ref.is_not(None)
        )
    ).all()
    for row_id, ref in refs:
        ref = ref.strip()
        if ref not in by_ext:
            by_ext[ref] = conn.execute(
                organizations.insert()
                .values(external_id=ref, aliases=[])
                .returning(organizations.c.id)
            ).scalar_one()
            merged[by_ext[ref]] = None
        conn.execute(
            perpetrators.update()
            .where(perpetrators.c.id == row_id)
            .values(organization_id=survivor(by_ext[ref], merged.__getitem__))
        )


def _move_command_incidents(conn: sa.Connection) -> None:
    rows = conn.execute(sa.select(command_incidents).order_by(command_incidents.c.id)).all()
    for row in rows:
        target = conn.execute(
            sa.select(incidents.c.id).where(incidents.c.external_id == row.external_id)
        ).scalar()
        if target is None:
            extra: dict[str, Any] = {
                **{k: getattr(row, k) for k in ("first_cited", "last_cited") if getattr(row, k)},
                **(row.extra or {}),
            }
            title = f"Incident {row.external_id}" + (f" at {row.place}" if row.place else "")
            target = conn.execute(
                incidents.insert()
                .values(
                    external_id=row.external_id,
                    title=title,
                    place=row.place,
                    start_date=row.start_date,
                    end_date=row.end_date or None,
                    start_day=row.possible_start or row.sure_start,
                    end_day=row.possible_end or row.sure_end or row.possible_start,
                    access="internal",
                    confidence=row.confidence,
                    extra=extra or None,
                    synthetic=False,
                    created_by="migration 0008_one_incident",
                    created_at=_now(),
                )
                .returning(incidents.c.id)
            ).scalar_one()
        else:
            conn.execute(
                incidents.update()
                .where(incidents.c.id == target, incidents.c.place.is_(None))
                .values(place=row.place)
            )
        _move_citations(conn, str(row.id), str(target))
        _move_units(conn, row.id, target)


def _move_citations(conn: sa.Connection, old_id: str, new_id: str) -> None:
    have = {
        (c.source_id, c.field, c.locator)
        for c in conn.execute(
            sa.select(citations).where(
                citations.c.claim_table == "incidents", citations.c.claim_id == new_id
            )
        )
    }
    for c in conn.execute(
        sa.select(citations).where(
            citations.c.claim_table == "command_incidents", citations.c.claim_id == old_id
        )
    ).all():
        if (c.source_id, c.field, c.locator) in have:
            conn.execute(citations.delete().where(citations.c.id == c.id))
        else:
            conn.execute(
                citations.update()
                .where(citations.c.id == c.id)
                .values(claim_table="incidents", claim_id=new_id)
            )


def _move_units(conn: sa.Connection, old_id: int, new_id: int) -> None:
    stored = {
        r.organization_id: r
        for r in conn.execute(
            sa.select(
                perpetrators.c.id, perpetrators.c.organization_id, perpetrators.c.status
            ).where(perpetrators.c.incident_id == new_id)
        )
    }
    for link in conn.execute(
        sa.select(command_perpetrators)
        .where(command_perpetrators.c.incident_id == old_id)
        .order_by(command_perpetrators.c.position, command_perpetrators.c.id)
    ).all():
        have = stored.get(link.organization_id)
        if have is None:
            conn.execute(
                perpetrators.insert().values(
                    incident_id=new_id,
                    organization_id=link.organization_id,
                    involvement=None,
                    status=link.status or STATUS_DEFAULT,
                    position=link.position,
                )
            )
        elif have.status == STATUS_DEFAULT and link.status != STATUS_DEFAULT:
            conn.execute(
                perpetrators.update()
                .where(perpetrators.c.id == have.id)
                .values(status=link.status, position=link.position)
            )


def _move_evidence_links(conn: sa.Connection) -> None:
    items = set(conn.execute(sa.select(evidence_items.c.id)).scalars())
    missing: dict[int, list[str]] = {}
    for incident_id, ref, note in conn.execute(sa.select(incident_evidence)).all():
        item = ref if ref in items else _by_prefix(ref, items)
        if item is None:
            missing.setdefault(incident_id, []).append(ref)
            continue
        linked = conn.execute(
            sa.select(evidence_links.c.id).where(
                evidence_links.c.item_id == item,
                evidence_links.c.target_kind == "incident",
                evidence_links.c.target_id == str(incident_id),
            )
        ).scalar()
        if linked is None:
            conn.execute(
                evidence_links.insert().values(
                    item_id=item,
                    target_kind="incident",
                    target_id=str(incident_id),
                    note=note,
                    created_at=_now(),
                )
            )
    for incident_id, refs in missing.items():
        extra = conn.execute(
            sa.select(incidents.c.extra).where(incidents.c.id == incident_id)
        ).scalar()
        conn.execute(
            incidents.update()
            .where(incidents.c.id == incident_id)
            .values(extra={**(extra or {}), "evidence_not_in_vault": refs})
        )


def _by_prefix(ref: str, items: set[str]) -> str | None:
    found = [i for i in items if len(ref) >= 8 and i.startswith(ref)]
    return found[0] if len(found) == 1 else None


def downgrade() -> None:
    """The old tables come back; incidents and links stay in the one model (the structure's
    incidents are not copied back), and unit links get their free-text ids again."""
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
        sa.Column("extra", JSON, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_command_incidents")),
        sa.UniqueConstraint("external_id", name=op.f("uq_command_incidents_external_id")),
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
    )
    op.create_index(
        "ix_command_incident_perpetrators_org", "command_incident_perpetrators", ["organization_id"]
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
    with op.batch_alter_table("incident_perpetrators") as batch:
        batch.add_column(sa.Column("organization_ref", sa.String(length=200), nullable=True))
    conn = op.get_bind()
    ext = dict(conn.execute(sa.select(organizations.c.id, organizations.c.external_id)).all())
    for row_id, org_id in conn.execute(
        sa.select(perpetrators.c.id, perpetrators.c.organization_id).where(
            perpetrators.c.organization_id.is_not(None)
        )
    ).all():
        conn.execute(
            perpetrators.update()
            .where(perpetrators.c.id == row_id)
            .values(organization_ref=ext[org_id])
        )
    conn.execute(
        perpetrators.update()
        .where(perpetrators.c.involvement.is_(None))
        .values(involvement="carried_out")
    )
    with op.batch_alter_table("incident_perpetrators") as batch:
        batch.drop_index("ix_incident_perpetrators_incident_id")
        batch.drop_index("ix_incident_perpetrators_organization_id")
        batch.drop_constraint(
            op.f("fk_incident_perpetrators_organization_id_command_organizations"),
            type_="foreignkey",
        )
        batch.drop_column("organization_id")
        batch.drop_column("position")
        batch.alter_column("involvement", existing_type=sa.String(length=40), nullable=False)
        batch.create_index(
            "ix_incident_perpetrators_organization_ref", ["organization_ref"], unique=False
        )
    with op.batch_alter_table("incidents") as batch:
        batch.drop_column("extra")
        batch.drop_column("confidence")
        batch.drop_column("place")
