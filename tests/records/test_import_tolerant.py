"""Tolerant, honest import (issue 16): odd values are read or left empty with a quality flag,
never refuse the list and never lose the row; the report counts each kind with its message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text

from sijill.store.engine import get_engine
from tests.records.helpers import run_cli, write_csv
from tests.shared_data import SHARED_DATA

COLUMNS = ["record_id", "full_name", "age", "date_of_birth", "date_of_death"]
ODD_ROWS = [
    {"record_id": "infant", "full_name": "Rida Fictiv", "age": "0.33"},
    {"record_id": "newborn", "full_name": "Sama Fictiv", "age": "0.08"},
    {"record_id": "year", "full_name": "Tala Fictiv", "age": "1991"},
    {"record_id": "placeholder", "full_name": "Wafa Fictiv", "date_of_birth": "01/01/1000"},
    {
        "record_id": "after-death",
        "full_name": "Yara Fictiv",
        "date_of_birth": "2025-05-01",
        "date_of_death": "2025-03-08",
    },
    {"record_id": "future", "full_name": "Zina Fictiv", "date_of_birth": "2999-01-01"},
    {"record_id": "unreadable", "full_name": "Huda Fictiv", "age": "very old"},
]


def _import(db_url: str, tmp_path: Path, *extra: str) -> dict:  # type: ignore[type-arg]
    path = write_csv(tmp_path / "odd.csv", ODD_ROWS, COLUMNS)
    result = run_cli(
        "import", "records", str(path), "--source", "Odd", *extra, db=db_url, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    return (
        json.loads(result.stdout) if "--json" in extra else {"text": result.stdout + result.stderr}
    )


def _records(db_url: str) -> dict[str, dict]:  # type: ignore[type-arg]
    with get_engine(db_url).connect() as conn:
        rows = conn.execute(
            text(
                "SELECT record_id, full_name, age_min, age_max, age_months, birth_year, "
                "date_of_birth, raw, quality FROM records"
            )
        ).mappings()
        out = {}
        for row in rows:
            doc = dict(row)
            for key in ("raw", "quality"):
                if isinstance(doc[key], str):
                    doc[key] = json.loads(doc[key])
            out[doc["record_id"]] = doc
        return out


def test_odd_values_are_kept_read_or_flagged_never_refused(db_url: str, tmp_path: Path) -> None:
    doc = _import(db_url, tmp_path, "--json")
    assert doc["imported"] == len(ODD_ROWS) and doc["rejected"] == []
    records = _records(db_url)
    assert set(records) == {r["record_id"] for r in ODD_ROWS}
    infant, newborn, year = records["infant"], records["newborn"], records["year"]
    assert (infant["age_min"], infant["age_max"], infant["age_months"]) == (0, 0, 4)
    assert newborn["age_months"] == 1
    assert year["birth_year"] == 1991 and year["age_min"] is None
    for rid in ("placeholder", "after-death", "future"):
        assert records[rid]["date_of_birth"] is None
    assert records["unreadable"]["age_min"] is None
    for original in ODD_ROWS:  # every cell kept as written, name included
        record = records[original["record_id"]]
        assert {k: record["raw"][k] for k in original} == original
    kinds = {rid: [q["kind"] for q in r["quality"] or []] for rid, r in records.items()}
    assert kinds == {
        "infant": ["age_fraction"],
        "newborn": ["age_fraction"],
        "year": ["age_is_birth_year"],
        "placeholder": ["implausible_date"],
        "after-death": ["birth_after_death"],
        "future": ["future_date"],
        "unreadable": ["unreadable"],
    }


def test_report_counts_each_kind_with_an_accurate_message(sqlite_url: str, tmp_path: Path) -> None:
    report = {
        (q["column"], q["kind"]): q for q in _import(sqlite_url, tmp_path, "--json")["quality"]
    }
    assert {key: q["records"] for key, q in report.items()} == {
        ("age", "age_fraction"): 2,
        ("age", "age_is_birth_year"): 1,
        ("age", "unreadable"): 1,
        ("date_of_birth", "implausible_date"): 1,
        ("date_of_birth", "birth_after_death"): 1,
        ("date_of_birth", "future_date"): 1,
    }
    year = report[("age", "age_is_birth_year")]
    assert year["rows"] == [4] and "read as the year of birth" in year["example"]
    assert "not a number" not in year["example"]
    assert "0 year(s) 4 month(s)" in report[("age", "age_fraction")]["example"]
    assert "'01/01/1000'" in report[("date_of_birth", "implausible_date")]["example"]


def test_report_in_text_names_each_kind(sqlite_url: str, tmp_path: Path) -> None:
    out = " ".join(_import(sqlite_url, tmp_path)["text"].split())
    assert "Imported 7 records" in out
    assert "age: 2 record(s), a fraction of a year; read as years and months" in out
    assert "date_of_birth: 1 record(s), after the date of death; left empty" in out


def test_a_list_without_a_name_column_is_refused(sqlite_url: str, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "nameless.csv", [{"record_id": "1", "age": "30"}])
    result = run_cli("import", "records", str(path), "--source", "N", db=sqlite_url, cwd=tmp_path)
    assert result.returncode != 0
    assert "no name column" in result.stderr and "--map COLUMN=full_name" in result.stderr


def test_a_name_header_is_read_as_the_full_name(sqlite_url: str, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "plain.csv", [{"record_id": "1", "name": "Nadia Fictiv"}])
    result = run_cli("import", "records", str(path), "--source", "P", db=sqlite_url, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert _records(sqlite_url)["1"]["full_name"] == "Nadia Fictiv"


@pytest.mark.parametrize("release", ["release_2024_june.csv", "release_2024_september.csv"])
def test_real_lists_import_whole(sqlite_url: str, tmp_path: Path, release: str) -> None:
    path = SHARED_DATA / "real-lists" / release
    assert path.is_file(), f"the real lists are missing: {path}"
    with path.open(encoding="utf-8") as handle:
        rows = sum(1 for _ in handle) - 1
    result = run_cli(
        "import", "records", str(path), "--source", "R", "--json", db=sqlite_url, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["imported"] == rows and doc["rejected"] == []
    with get_engine(sqlite_url).connect() as conn:
        named = conn.execute(text("SELECT count(*) FROM records WHERE full_name IS NOT NULL"))
        assert named.scalar_one() == rows
