"""Small factories for casualty-list tests: write lists, run the CLI, snapshot a database."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import text

from sijill.store.engine import get_engine

FICTIONAL_ROWS = [
    {
        "record_id": "1",
        "full_name": "محمد علي الوهمي",
        "sex": "ذكر",
        "age": "٣٥",
        "date_of_death": "2025-03-08",
        "place_of_death": "قرية المثال",
    },
    {
        "record_id": "2",
        "full_name": "Ahmad Hasan Fictiv",
        "sex": "M",
        "age": "30-40",
        "date_of_death": "2025-03",
        "place_of_death": "Mithal Village",
    },
    {
        "record_id": "3",
        "full_name": "مجهول",
        "sex": "",
        "age": "طفل",
        "date_of_death": "2025-03-07",
        "place_of_death": "",
    },
    {
        "record_id": "4",
        "full_name": "",
        "sex": "",
        "age": "",
        "count": "5",
        "date_of_death": "2025-03-09",
        "place_of_death": "Mithal Village",
    },
]


def write_csv(path: Path, rows: list[dict[str, str]], columns: list[str] | None = None) -> Path:
    columns = columns or sorted({k for r in rows for k in r})
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
    return path


def run_cli(
    *args: str, db: str, cwd: Path, env: dict[str, str] | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "SIJILL_KEY_FILE": str(cwd / "test.key"), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "sijill.cli.main", *args, "--db", db],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        input=stdin,
        timeout=600,
    )


def snapshot(db_url: str) -> dict[str, Any]:
    """Every row of the foundation tables, for 'exactly as before' comparisons."""
    engine = get_engine(db_url)
    state: dict[str, Any] = {}
    with engine.connect() as conn:
        for table in ("sources", "records", "persons", "citations", "change_log"):
            rows = conn.execute(text(f"SELECT * FROM {table} ORDER BY 1")).all()
            state[table] = [json.dumps([str(v) for v in row]) for row in rows]
    return state
