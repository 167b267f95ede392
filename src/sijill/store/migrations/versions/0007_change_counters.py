"""change counters: a version per table that every committed write to it raises

Revision ID: 0007_change_counters
Revises: 0001_foundation
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_change_counters"
down_revision = "0001_foundation"
branch_labels = ("change_counters",)
depends_on = None

#: Tables whose writes are counted.
COUNTED = ("persons",)

# PostgreSQL: a deferred constraint trigger raises the counter at commit, once per transaction
# (a transaction-local setting remembers it). Taken at commit, the counter row's lock is held
# only while the transaction commits, after every other lock it takes: concurrent writers wait
# for each other's commit there, but never in a cycle.
PG_FUNCTION = """
CREATE FUNCTION sijill_count_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  marker text := 'sijill.counted_' || TG_TABLE_NAME;
BEGIN
  IF current_setting(marker, true) IS DISTINCT FROM txid_current()::text THEN
    UPDATE change_counters SET version = version + 1 WHERE name = TG_TABLE_NAME;
    PERFORM set_config(marker, txid_current()::text, true);
  END IF;
  RETURN NULL;
END $$
"""


def upgrade() -> None:
    op.create_table(
        "change_counters",
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_change_counters")),
    )
    for table in COUNTED:
        op.execute(sa.text(f"INSERT INTO change_counters (name, version) VALUES ('{table}', 0)"))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_FUNCTION)
        for table in COUNTED:
            op.execute(
                f"CREATE CONSTRAINT TRIGGER {table}_count_change "
                f"AFTER INSERT OR UPDATE OR DELETE ON {table} "
                "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION sijill_count_change()"
            )
            op.execute(
                f"CREATE TRIGGER {table}_count_truncate AFTER TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION sijill_count_change()"
            )
    else:  # SQLite: one writer at a time; a row trigger raises it as each row changes
        for table in COUNTED:
            for event in ("INSERT", "UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_count_{event.lower()} AFTER {event} ON {table} "
                    "BEGIN UPDATE change_counters SET version = version + 1 "
                    f"WHERE name = '{table}'; END"
                )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in COUNTED:
            op.execute(f"DROP TRIGGER {table}_count_change ON {table}")
            op.execute(f"DROP TRIGGER {table}_count_truncate ON {table}")
        op.execute("DROP FUNCTION sijill_count_change()")
    else:
        for table in COUNTED:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER {table}_count_{event}")
    op.drop_table("change_counters")
