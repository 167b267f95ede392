"""persons.open_access: each person's most open level among its records, filled and indexed

Revision ID: 0010_persons_open_access
Revises: 0008_persons_listed_index
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_persons_open_access"
down_revision = "0008_persons_listed_index"
branch_labels = None
depends_on = None

#: A record's level: the stricter of its own and its source's (public < internal < restricted).
FILL = """
UPDATE persons SET open_access = (
    SELECT CASE MIN(CASE
        WHEN r.access = 'restricted' OR s.access = 'restricted' THEN 2
        WHEN r.access = 'internal' OR s.access = 'internal' THEN 1
        ELSE 0 END)
        WHEN 0 THEN 'public' WHEN 1 THEN 'internal' WHEN 2 THEN 'restricted' END
    FROM records r JOIN sources s ON s.id = r.source_id
    WHERE r.person_id = persons.id
)
"""


def upgrade() -> None:
    # Derived from the records, kept at every write (sijill.store.open_access): a viewer's
    # readable-person condition reads it instead of walking each person's records.
    op.add_column("persons", sa.Column("open_access", sa.String(12), nullable=True))
    op.execute(FILL)
    # The list's total, a viewer's too, counted from the index alone.
    op.drop_index("ix_persons_listed", table_name="persons")
    _listed("access", "open_access")


def downgrade() -> None:
    op.drop_index("ix_persons_listed", table_name="persons")
    with op.batch_alter_table("persons") as batch:
        batch.drop_column("open_access")
    _listed("access")


def _listed(*columns: str) -> None:
    op.create_index(
        "ix_persons_listed",
        "persons",
        list(columns),
        postgresql_where=sa.text("merged_into_id IS NULL"),
        sqlite_where=sa.text("merged_into_id IS NULL"),
    )
