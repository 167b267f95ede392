"""SFM's sheets on disk: a workbook with ``<cc>_units``, ``<cc>_persons``, ``<cc>_incidents``
and ``<cc>_locations`` sheets, CSV or TSV files with the same columns (one file, a slim extract
with only some columns, or a folder of them). Thin I/O around :mod:`sijill.command.sfm`; cells
a spreadsheet would run are written inert and read back as they were (:mod:`sijill.cells`)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook  # type: ignore[import-untyped]

from sijill.cells import neutralise_row
from sijill.command.sfm import Sheet, cell_text, sheet_kind
from sijill.command.sfm_export import header
from sijill.errors import ImportRejected

SUFFIXES = (".xlsx", ".csv", ".tsv")


def _sheet(name: str, table: Iterable[Iterable[Any]]) -> Sheet | None:
    rows = iter(table)
    columns = [cell_text(c) for c in next(rows, [])]
    kind = sheet_kind(name, columns)
    if kind is None:
        return None
    out = []
    for number, raw in enumerate(rows, start=2):
        cells = {c: cell_text(v) for c, v in zip(columns, raw, strict=False) if c}
        if any(cells.values()):
            out.append((number, cells))
    return Sheet(name, kind, out)


def _read_text(path: Path) -> list[Sheet]:
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            sheet = _sheet(path.name, csv.reader(handle, delimiter=delimiter))
    except UnicodeDecodeError as exc:
        raise ImportRejected(str(path), reason=f"not UTF-8 text ({exc})") from exc
    return [sheet] if sheet else []


def _read_xlsx(path: Path) -> list[Sheet]:
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds
        raise ImportRejected(str(path), reason=f"not a readable XLSX workbook ({exc})") from exc
    sheets = [_sheet(name, book[name].iter_rows(values_only=True)) for name in book.sheetnames]
    book.close()
    return [s for s in sheets if s]


def read_sheets(path: Path) -> list[Sheet]:
    """Every sheet of SFM data in ``path`` (a workbook, a CSV/TSV file, or a folder of them);
    sheets of other kinds (sources, persons_extra) are left out."""
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in SUFFIXES)
        return [s for f in files for s in read_sheets(f)]
    if not path.is_file():
        raise ImportRejected(str(path), reason="no such file")
    if path.suffix.lower() == ".xlsx":
        return _read_xlsx(path)
    if path.suffix.lower() in (".csv", ".tsv"):
        return _read_text(path)
    raise ImportRejected(str(path), reason="SFM data is read from .xlsx, .csv or .tsv files")


def write_sheets(sheets: Mapping[str, list[dict[str, str]]], out: Path) -> list[Path]:
    """Write the sheets as a workbook (``out`` ending ``.xlsx``) or as one CSV file per sheet in
    the folder ``out``; returns what was written."""
    tables = {name: header(name, rows) for name, rows in sheets.items()}
    if out.suffix.lower() == ".xlsx":
        book = Workbook()
        book.remove(book.active)  # type: ignore[arg-type]
        for name, rows in sheets.items():
            sheet = book.create_sheet(name)
            sheet.append(neutralise_row(tables[name]))
            for cells in rows:
                sheet.append(neutralise_row(cells.get(c, "") for c in tables[name]))
        book.save(out)
        return [out]
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, rows in sheets.items():
        path = out / f"{name}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            columns = tables[name]
            writer.writerow(neutralise_row(columns))
            writer.writerows(neutralise_row(cells.get(c, "") for c in columns) for cells in rows)
        written.append(path)
    return written
