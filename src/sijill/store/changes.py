"""Change counters: a number per table that every committed write to the table raises.

The triggers of migration ``0007_change_counters`` keep them (on PostgreSQL once per
transaction, as it commits; on SQLite once per row written), whoever writes: this process,
another worker, the command line. A reader that took a table's version before reading the
table knows, by finding the same version later, that nothing written to it since has been
committed: what it computed from the table still holds.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, MetaData, String, Table, bindparam, select

from sijill.store.engine import Executes

CHANGE_COUNTERS = Table(
    "change_counters",
    MetaData(),
    Column("name", String(60), primary_key=True),
    Column("version", BigInteger, nullable=False),
)
VERSION = select(CHANGE_COUNTERS.c.version).where(
    CHANGE_COUNTERS.c.name == bindparam("table", type_=String)
)


def version_of(session: Executes, table: str) -> int:
    """The version of ``table`` (one the migration counts): raised by every committed write."""
    return int(session.execute(VERSION, {"table": table}).scalar_one())
