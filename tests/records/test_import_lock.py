"""A long import does not hold SQLite's write lock while it reads and checks the list, and an
import that cannot get the lock says so (SQLite lets one writer in at a time)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import text

from sijill.records.importer import import_list
from sijill.store.engine import get_engine, session_factory
from tests.records.helpers import FICTIONAL_ROWS, run_cli, write_csv


def _database_file(url: str) -> str:
    return url.removeprefix("sqlite:///")


def test_other_writes_get_in_while_an_import_reads_its_list(
    sqlite_case_url: str, tmp_path: Path
) -> None:
    rows = [dict(r, record_id=f"{r['record_id']}-{i}") for i in range(3000) for r in FICTIONAL_ROWS]
    path = write_csv(tmp_path / "long.csv", rows)
    writes_during_reading: list[int] = []

    def another_write(done: int) -> None:  # called while the rows are read and checked
        other = sqlite3.connect(_database_file(sqlite_case_url), timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")  # fails at once if an import holds the lock
            other.execute("COMMIT")
            writes_during_reading.append(done)
        finally:
            other.close()

    with session_factory(get_engine(sqlite_case_url)).begin() as session:
        result = import_list(session, path, source="Long", progress=another_write)
    assert result.imported == len(rows)
    assert writes_during_reading and writes_during_reading[-1] == len(rows)


def test_an_import_that_cannot_get_the_write_lock_says_so(
    sqlite_case_url: str, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "list.csv", FICTIONAL_ROWS)
    holder = sqlite3.connect(_database_file(sqlite_case_url), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer that never lets go
    try:
        result = run_cli(
            "import", "records", str(path), "--source", "A", db=sqlite_case_url, cwd=tmp_path
        )
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.returncode != 0
    assert "another write held the case database" in result.stderr
    assert "Traceback" not in result.stderr
    with get_engine(sqlite_case_url).connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM records")).scalar_one() == 0
