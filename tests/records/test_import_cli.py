"""Importing and exporting casualty lists from the command line, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from openpyxl import Workbook

from tests.records.helpers import FICTIONAL_ROWS, run_cli, snapshot, write_csv


def test_init_reports_database_and_schema(db_url: str, tmp_path: Path) -> None:
    result = run_cli("init", "--json", db=db_url, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert set(doc) >= {"database", "schema_version"}
    assert doc["schema_version"]


def test_import_then_export_round_trips_every_record(db_url: str, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "list_a.csv", FICTIONAL_ROWS)
    result = run_cli(
        "import", "records", str(path), "--source", "List A", "--json", db=db_url, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["source"] == "List A"
    assert doc["imported"] == len(FICTIONAL_ROWS)
    assert doc["rejected"] == []

    exported = run_cli("export", "records", "--format", "csv", db=db_url, cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    rows = list(csv.DictReader(io.StringIO(exported.stdout)))
    assert {"source", "record_id", "person_id"} <= set(rows[0])
    assert sorted((r["source"], r["record_id"]) for r in rows) == sorted(
        ("List A", r["record_id"]) for r in FICTIONAL_ROWS
    )
    by_id = {r["record_id"]: r for r in rows}
    for original in FICTIONAL_ROWS:
        raw = json.loads(by_id[original["record_id"]]["raw"])
        assert {k: raw[k] for k in original} == original  # kept exactly as written
    assert by_id["1"]["age_min"] == "35" and by_id["1"]["sex"] == "M"  # ٣٥ and ذكر
    assert by_id["2"]["age_min"] == "30" and by_id["2"]["age_max"] == "40"
    assert by_id["3"]["unidentified"] == "True"
    assert by_id["4"]["count"] == "5"


def test_bad_row_is_refused_and_database_unchanged(db_url: str, tmp_path: Path) -> None:
    good = write_csv(tmp_path / "good.csv", FICTIONAL_ROWS)
    assert (
        run_cli("import", "records", str(good), "--source", "A", db=db_url, cwd=tmp_path).returncode
        == 0
    )
    before = snapshot(db_url)
    bad_rows = [dict(r, record_id=f"b{r['record_id']}") for r in FICTIONAL_ROWS]
    bad_rows[2]["record_id"] = ""  # a row without its identifier, file row 4
    bad = write_csv(tmp_path / "bad.csv", bad_rows)
    result = run_cli("import", "records", str(bad), "--source", "B", db=db_url, cwd=tmp_path)
    assert result.returncode != 0
    assert "row 4" in result.stderr and "record_id" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert snapshot(db_url) == before


def test_every_problem_is_listed_with_row_and_column(sqlite_url: str, tmp_path: Path) -> None:
    rows = [
        {"record_id": "1", "full_name": "Ala Fictiv", "sex": "X", "age": "200"},
        {"record_id": "1", "full_name": "Bana Fictiv", "sex": "F", "age": ""},
        {"record_id": "", "full_name": "Cala Fictiv", "sex": "", "age": "abc"},
    ]
    path = write_csv(tmp_path / "bad.csv", rows)
    result = run_cli(
        "import", "records", str(path), "--source", "S", "--json", db=sqlite_url, cwd=tmp_path
    )
    assert result.returncode != 0
    for needle in (
        "row 3, column record_id: record_id '1' repeats row 2",
        "row 4, column record_id",
    ):
        assert needle in result.stderr, result.stderr
    assert "column age" not in result.stderr  # odd values never refuse a row


def test_keep_good_rows_writes_rejected_rows_beside_the_file(
    sqlite_url: str, tmp_path: Path
) -> None:
    rows = [dict(r) for r in FICTIONAL_ROWS]
    rows[1]["record_id"] = rows[0]["record_id"]
    path = write_csv(tmp_path / "mixed.csv", rows)
    result = run_cli(
        "import",
        "records",
        str(path),
        "--source",
        "M",
        "--keep-good-rows",
        "--json",
        db=sqlite_url,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["imported"] == len(rows) - 1
    assert doc["rejected"] == [
        {"row": 3, "column": "record_id", "error": "record_id '1' repeats row 2"}
    ]
    rejected = list(csv.DictReader((tmp_path / "mixed.csv.rejected.csv").open(encoding="utf-8")))
    assert [(r["record_id"], r["full_name"]) for r in rejected] == [("1", rows[1]["full_name"])]


def test_same_file_twice_is_refused_unless_asked(sqlite_url: str, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", FICTIONAL_ROWS)
    assert (
        run_cli(
            "import", "records", str(path), "--source", "A", db=sqlite_url, cwd=tmp_path
        ).returncode
        == 0
    )
    again = run_cli("import", "records", str(path), "--source", "A2", db=sqlite_url, cwd=tmp_path)
    assert again.returncode != 0 and "already imported" in again.stderr
    forced = run_cli(
        "import",
        "records",
        str(path),
        "--source",
        "A2",
        "--allow-same-file",
        db=sqlite_url,
        cwd=tmp_path,
    )
    assert forced.returncode == 0, forced.stderr


def test_xlsx_and_json_lines_with_a_mapping(db_url: str, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["الرقم", "الاسم", "الجنس", "تاريخ الوفاة", "هاتف الشاهد"])
    sheet.append([1, "علي حسن المثالي", "ذكر", "2025-03-08", "+963-000-0000"])
    sheet.append([2, "فاطمة خالد المثالي", "أنثى", "2025-03-09", ""])
    xlsx = tmp_path / "annex.xlsx"
    book.save(xlsx)
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(
        "columns:\n  الرقم: record_id\n  الاسم: full_name\n  الجنس: sex\n"
        "  تاريخ الوفاة: date_of_death\nsensitive: [هاتف الشاهد]\n",
        encoding="utf-8",
    )
    result = run_cli(
        "import",
        "records",
        str(xlsx),
        "--source",
        "Annex",
        "--mapping",
        str(mapping),
        "--json",
        db=db_url,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["imported"] == 2

    jsonl = tmp_path / "list.jsonl"
    jsonl.write_text(
        '{"record_id": "j1", "full_name": "Yusuf Example", "age": 41}\n'
        '{"record_id": "j2", "full_name": "Maryam Example", "sex": "female"}\n',
        encoding="utf-8",
    )
    result = run_cli(
        "import", "records", str(jsonl), "--source", "JL", "--json", db=db_url, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    exported = run_cli("export", "records", db=db_url, cwd=tmp_path).stdout
    rows = {(r["source"], r["record_id"]): r for r in csv.DictReader(io.StringIO(exported))}
    assert rows[("Annex", "1")]["full_name"] == "علي حسن المثالي"
    assert rows[("Annex", "2")]["sex"] == "F"
    assert rows[("JL", "j1")]["age_min"] == "41"
    assert "+963-000-0000" not in exported  # sensitive column sealed, not exported
    assert "هاتف الشاهد" not in json.loads(rows[("Annex", "1")]["raw"])


def test_sensitive_columns_are_not_in_the_database_file_in_clear(
    sqlite_url: str, tmp_path: Path
) -> None:
    secret = "WITNESS-Zaynab-Fictive-0999"
    path = write_csv(
        tmp_path / "w.csv", [{"record_id": "1", "full_name": "X Y", "witness": secret}]
    )
    result = run_cli(
        "import",
        "records",
        str(path),
        "--source",
        "W",
        "--map",
        "record_id=record_id",
        "--mapping",
        str(_sensitive_mapping(tmp_path)),
        db=sqlite_url,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    db_file = Path(sqlite_url.removeprefix("sqlite:///"))
    blob = b"".join(p.read_bytes() for p in db_file.parent.glob(db_file.name + "*"))
    assert secret.encode() not in blob


def _sensitive_mapping(tmp_path: Path) -> Path:
    path = tmp_path / "m.json"
    path.write_text(json.dumps({"sensitive": ["witness"]}), encoding="utf-8")
    return path


def test_public_export_leaves_out_restricted_and_says_so(sqlite_url: str, tmp_path: Path) -> None:
    pub = write_csv(tmp_path / "p.csv", FICTIONAL_ROWS)
    res = write_csv(tmp_path / "r.csv", [{"record_id": "r1", "full_name": "Secret Person"}])
    assert (
        run_cli(
            "import",
            "records",
            str(pub),
            "--source",
            "P",
            "--access",
            "public",
            db=sqlite_url,
            cwd=tmp_path,
        ).returncode
        == 0
    )
    assert (
        run_cli(
            "import",
            "records",
            str(res),
            "--source",
            "R",
            "--access",
            "restricted",
            db=sqlite_url,
            cwd=tmp_path,
        ).returncode
        == 0
    )
    out = tmp_path / "public.csv"
    result = run_cli(
        "export", "records", "--public", "--out", str(out), db=sqlite_url, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert "Secret Person" not in text and "raw" not in text.splitlines()[0]
    manifest = json.loads((tmp_path / "public.csv.manifest.json").read_text())
    assert manifest["withheld"]["restricted_records"] == 1
    assert manifest["records"] == len(FICTIONAL_ROWS)


def test_version_of_reports_the_diff(sqlite_url: str, tmp_path: Path) -> None:
    v1 = write_csv(tmp_path / "v1.csv", FICTIONAL_ROWS)
    rows = [dict(r) for r in FICTIONAL_ROWS[1:]]
    rows[0]["age"] = "33"
    rows.append({"record_id": "9", "full_name": "New Fictive"})
    v2 = write_csv(tmp_path / "v2.csv", rows)
    assert (
        run_cli(
            "import", "records", str(v1), "--source", "L", db=sqlite_url, cwd=tmp_path
        ).returncode
        == 0
    )
    args = ("import", "records", str(v2), "--source", "L v2", "--version-of")
    typo = run_cli(*args, "Lx", db=sqlite_url, cwd=tmp_path)  # named with the close matches
    assert typo.returncode == 1 and "no source with id 'Lx'; close matches: 'L'" in typo.stderr
    result = run_cli(*args, "L", "--json", db=sqlite_url, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["diff"] == {
        "added": 1,
        "removed": 1,
        "changed": 1,
        "unchanged": 2,
    }
    sources = json.loads(run_cli("sources", "--json", db=sqlite_url, cwd=tmp_path).stdout)
    assert sources[1]["version_of"] == sources[0]["id"]
