"""Bad input (issue 19): every finding gives a clear error naming file, row and column, or is
read correctly; never a traceback, never a silent loss. One test per finding."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from sqlalchemy import text

from sijill.records.readers import MAX_CELL_CHARS
from sijill.store.engine import get_engine
from tests.records.helpers import run_cli

ARABIC_ROWS = [("1", "محمد علي الوهمي", "ذكر"), ("2", "فاطمة خالد المثالي", "أنثى")]


def _import(path: Path, db: str, tmp_path: Path, *extra: str):  # type: ignore[no-untyped-def]
    return run_cli("import", "records", str(path), "--source", "S", *extra, db=db, cwd=tmp_path)


def _xlsx_with_shared_strings(path: Path, rows: list[list[str]]) -> Path:
    """A minimal workbook whose cells are all shared strings (openpyxl writes inline strings
    and cuts cells at 32,767 characters, so a hostile file is written by hand)."""
    strings: list[str] = []
    sheet_rows = []
    for r, row in enumerate(rows, start=1):
        cells = []
        for c, value in enumerate(row):
            strings.append(value)
            cells.append(f'<c r="{chr(65 + c)}{r}" t="s"><v>{len(strings) - 1}</v></c>')
        sheet_rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{ct}.worksheet+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{ct}.sharedStrings+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{pkg}"><Relationship Id="rId1" Target="xl/workbook.xml" '
            f'Type="{rel}/officeDocument"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
            '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{pkg}">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": (
            f'<worksheet xmlns="{main}"><sheetData>{"".join(sheet_rows)}</sheetData></worksheet>'
        ),
        "xl/sharedStrings.xml": (
            f'<sst xmlns="{main}" count="{len(strings)}" uniqueCount="{len(strings)}">'
            + "".join(f"<si><t>{escape(v)}</t></si>" for v in strings)
            + "</sst>"
        ),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in parts.items():
            archive.writestr(name, body)
    return path


def _names(db: str) -> list[str]:
    with get_engine(db).connect() as conn:
        return list(
            conn.execute(text("SELECT full_name FROM records ORDER BY row_number")).scalars()
        )


def _refused(result, *needles: str) -> None:  # type: ignore[no-untyped-def]
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in result.stderr, result.stderr


def test_unterminated_quote_swallowing_rows_names_the_row(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "quote.csv"
    path.write_text(
        'record_id,full_name,age\n1,Ala Fictiv,30\n2,"Bana Fictiv,31\n3,Cala Fictiv,32\n'
        "4,Dala Fictiv,33\n",
        encoding="utf-8",
    )
    _refused(
        _import(path, db_url, tmp_path),
        "row 3",
        "a quote in column 'full_name' is not closed on line 3",
    )
    assert _names(db_url) == []


def test_nul_bytes_give_a_clear_error_on_both_engines(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "nul.csv"
    path.write_bytes(b"record_id,full_name\n1,Ala Fictiv\n2,Bana\x00Fictiv\n")
    _refused(_import(path, db_url, tmp_path), "row 3, column full_name", "NUL character")
    jsonl = tmp_path / "nul.jsonl"
    jsonl.write_text('{"record_id": "1", "full_name": "Ala\\u0000Fictiv"}\n', encoding="utf-8")
    _refused(_import(jsonl, db_url, tmp_path), "row 1, column full_name", "NUL character")


def test_utf16_without_bom_is_read_not_missing_record_id(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "utf16.csv"
    body = "record_id,full_name,sex\n" + "".join(f"{r},{n},{s}\n" for r, n, s in ARABIC_ROWS)
    path.write_bytes(body.encode("utf-16-le"))
    result = _import(path, db_url, tmp_path, "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["encoding"] == "utf-16-le (UTF-16 pattern)"
    assert _names(db_url) == [n for _, n, _ in ARABIC_ROWS]


def test_windows_1256_arabic_is_detected_and_named(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "cp1256.csv"
    rows = ARABIC_ROWS + [
        ("3", "عبد الرحمن يوسف الافتراضي", "ذكر"),
        ("4", "زينب حسن الوهمية", "أنثى"),
    ]
    body = "record_id,الاسم,الجنس\n" + "".join(f"{r},{n},{s}\n" for r, n, s in rows)
    path.write_bytes(body.encode("cp1256"))
    result = _import(path, db_url, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Read as cp1256 (detected)" in result.stderr
    assert _names(db_url) == [n for _, n, _ in rows]


def test_encoding_option_is_used_as_given(sqlite_url: str, tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes("record_id,full_name\n1,Zoë Fictivé\n".encode("latin-1"))
    result = _import(path, sqlite_url, tmp_path, "--encoding", "latin-1", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["encoding"] == "iso8859-1 (given)"
    assert _names(sqlite_url) == ["Zoë Fictivé"]
    unknown = run_cli(
        "import",
        "records",
        str(path),
        "--source",
        "K",
        "--allow-same-file",
        "--encoding",
        "klingon",
        db=sqlite_url,
        cwd=tmp_path,
    )
    _refused(unknown, "unknown encoding 'klingon'")


def test_deeply_nested_json_is_a_clear_error(sqlite_url: str, tmp_path: Path) -> None:
    path = tmp_path / "deep.jsonl"
    deep = "[" * 100_000 + "]" * 100_000
    path.write_text(
        '{"record_id": "1", "full_name": "Ala Fictiv"}\n'
        f'{{"record_id": "2", "full_name": "Bana Fictiv", "notes": {deep}}}\n',
        encoding="utf-8",
    )
    _refused(_import(path, sqlite_url, tmp_path), "row 2", "nested too deeply")
    assert "RecursionError" not in _import(path, sqlite_url, tmp_path).stderr


def test_cell_over_the_size_limit_is_refused_alike_in_csv_xlsx_and_json_lines(
    sqlite_url: str, tmp_path: Path
) -> None:
    long = "x" * (MAX_CELL_CHARS + 1)
    csv_path = tmp_path / "long.csv"
    csv_path.write_text(f"record_id,full_name,notes\n1,Ala Fictiv,{long}\n", encoding="utf-8")
    xlsx_path = _xlsx_with_shared_strings(
        tmp_path / "long.xlsx", [["record_id", "full_name", "notes"], ["1", "Ala Fictiv", long]]
    )
    jsonl_path = tmp_path / "long.jsonl"
    jsonl_path.write_text(
        json.dumps({"record_id": "1", "full_name": "Ala Fictiv", "notes": long}) + "\n",
        encoding="utf-8",
    )
    limit = f"a cell of {MAX_CELL_CHARS + 1:,} characters, over the limit of {MAX_CELL_CHARS:,}"
    _refused(_import(csv_path, sqlite_url, tmp_path), "row 2, column notes", limit)
    _refused(_import(xlsx_path, sqlite_url, tmp_path), "row 2, column notes", limit)
    _refused(_import(jsonl_path, sqlite_url, tmp_path), "row 1, column notes", limit)
    just_fits = tmp_path / "fits.csv"
    just_fits.write_text(f"record_id,full_name,notes\n1,Ala Fictiv,{long[1:]}\n", encoding="utf-8")
    assert _import(just_fits, sqlite_url, tmp_path).returncode == 0


def test_xlsx_shared_strings_expanding_past_the_cap_are_refused(
    sqlite_url: str, tmp_path: Path
) -> None:
    rows = [["record_id", "full_name", "notes"]]
    rows += [[f"r{i}", f"Fictiv {i}", "A" * 5000 + str(i)] for i in range(200)]
    path = _xlsx_with_shared_strings(tmp_path / "bomb.xlsx", rows)  # 1 MB of strings unzipped
    assert path.stat().st_size < 100_000
    fits = run_cli("import", "records", str(path), "--source", "fits", db=sqlite_url, cwd=tmp_path)
    assert fits.returncode == 0, fits.stderr  # readable under the default cap
    result = run_cli(
        "import",
        "records",
        str(path),
        "--source",
        "capped",
        "--allow-same-file",
        db=sqlite_url,
        cwd=tmp_path,
        env={"SIJILL_MAX_XLSX_SHARED_STRINGS": "200000"},
    )
    _refused(result, "shared strings unzip to", "over the limit of 200,000")
    assert len(_names(sqlite_url)) == 200  # only the first import
