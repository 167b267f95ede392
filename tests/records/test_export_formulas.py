"""Exports neutralise formulas (issue 19): no CSV or XLSX Sijill writes holds a cell a
spreadsheet would run, and every original is recoverable by the stated rule."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from openpyxl import load_workbook

from sijill.cells import RULE, neutralise, recover
from sijill.command.spreadsheet import read_csv_folder, read_xlsx, write_csv_folder, write_xlsx
from tests.command.sample import sample
from tests.records.helpers import run_cli, write_csv

FORMULAS = [
    '=HYPERLINK("http://example.invalid","x")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,2)",
    "\tTabbed Fictiv",
    "\rReturn Fictiv",
    "'=already quoted",
]
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def test_neutralised_cells_never_start_a_formula_and_recover_exactly() -> None:
    for value in [*FORMULAS, "Plain Fictiv", "'plain", ""]:
        written = neutralise(value)
        assert isinstance(written, str) and not written.startswith(DANGEROUS)
        assert recover(written) == value
    assert neutralise(-5) == -5  # numbers are numbers, not formulas


def test_csv_export_neutralises_formulas(db_url: str, tmp_path: Path) -> None:
    rows = [
        {"record_id": str(i), "full_name": f"Fictiv {i}", "place_of_death": value}
        for i, value in enumerate(FORMULAS, start=1)
    ]
    rows.append({"record_id": "=1+1", "full_name": "@Fictiv", "place_of_death": "Mithal"})
    path = write_csv(tmp_path / "formulas.csv", rows)
    imported = run_cli(
        "import",
        "records",
        str(path),
        "--source",
        "F",
        "--access",
        "public",
        db=db_url,
        cwd=tmp_path,
    )
    assert imported.returncode == 0, imported.stderr
    out = tmp_path / "export.csv"
    result = run_cli("export", "records", "--public", "--out", str(out), db=db_url, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    exported = list(csv.DictReader(io.StringIO(text)))
    for row in exported:
        for value in row.values():
            assert not value.startswith(DANGEROUS), value
    by_id = {recover(r["record_id"]): r for r in exported}
    for original in rows:
        row = by_id[original["record_id"]]
        assert recover(row["place_of_death"]) == original["place_of_death"].strip()
        assert recover(row["full_name"]) == original["full_name"]
    manifest = json.loads((tmp_path / "export.csv.manifest.json").read_text(encoding="utf-8"))
    # five places (the tab and carriage return are trimmed at import), an id and a name
    assert manifest["formula_cells"] == {"neutralised": 7, "rule": RULE}


def test_rejected_rows_file_neutralises_formulas(sqlite_url: str, tmp_path: Path) -> None:
    rows = [
        {"record_id": "1", "full_name": "Ala Fictiv"},
        {"record_id": "1", "full_name": '=HYPERLINK("http://example.invalid")'},
    ]
    path = write_csv(tmp_path / "dup.csv", rows)
    result = run_cli(
        "import",
        "records",
        str(path),
        "--source",
        "D",
        "--keep-good-rows",
        db=sqlite_url,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    rejected = list(csv.DictReader((tmp_path / "dup.csv.rejected.csv").open(encoding="utf-8")))
    assert rejected[0]["full_name"] == "'" + rows[1]["full_name"]


def test_structure_template_neutralises_formulas_and_reads_back(tmp_path: Path) -> None:
    doc = sample()
    doc["organizations"][0]["name"] = FORMULAS[0]
    doc["organizations"][1]["name"] = "'=already quoted"
    xlsx = tmp_path / "structure.xlsx"
    write_xlsx(doc, xlsx)
    sheet = load_workbook(xlsx)["organizations"]
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.value
            assert not str(cell.value or "").startswith(DANGEROUS)
    folder = tmp_path / "csv"
    write_csv_folder(doc, folder)
    assert FORMULAS[0] not in (folder / "organizations.csv").read_text(encoding="utf-8").replace(
        "'" + FORMULAS[0], ""
    ).replace('"', "")
    for read in (read_xlsx(xlsx), read_csv_folder(folder)):
        names = [o["name"] for o in read["organizations"]]
        assert names[:2] == [FORMULAS[0], "'=already quoted"]


def test_sfm_sheets_neutralise_formulas_and_read_back(tmp_path: Path) -> None:
    from sijill.command.sfm_files import read_sheets, write_sheets

    for out in (tmp_path / "sfm.xlsx", tmp_path / "sfm"):
        # XML stores a carriage return as a line feed, so an XLSX cannot keep "\r..." as it was
        names = [v for v in FORMULAS if out.suffix != ".xlsx" or not v.startswith("\r")]
        units = [{"unit:id:admin": f"zz-{i}", "unit:name": v} for i, v in enumerate(names)]
        write_sheets({"zz_units": units}, out)
        if out.suffix == ".xlsx":
            cells = [c for row in load_workbook(out)["zz_units"].iter_rows() for c in row]
            assert all(c.data_type != "f" for c in cells)
            texts = [str(c.value or "") for c in cells]
        else:
            with (out / "zz_units.csv").open(newline="", encoding="utf-8") as handle:
                texts = [t for row in csv.reader(handle) for t in row]
        assert not [t for t in texts if t.startswith(DANGEROUS)], out
        (sheet,) = read_sheets(out)
        read = [cells["unit:name"] for _, cells in sheet.rows]
        assert read == [v.strip() for v in names], out  # cells are read trimmed
