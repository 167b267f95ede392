"""The spreadsheet template: one sheet (XLSX) or one CSV file per kind of fact.

A sheet's columns are the keys of that kind in the structure JSON (FORMATS.md §3). Cells holding
lists (aliases, sources, perpetrator ids) separate items with ``"; "``; a cited source with a
locator is written ``source-id [locator]``; a cell holding a JSON object or list (an unknown key's
value, a per-unit perpetrator status) is written as JSON. Reading a template gives the same
structure document the JSON import takes.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook  # type: ignore[import-untyped]

from sijill.cells import neutralise_row, recover
from sijill.command import fields as F
from sijill.errors import ImportRejected

SEPARATOR = "; "
_LOCATED = re.compile(r"^(.*?)\s*\[(.*)\]$")


def _columns(kind: str, rows: Iterable[Mapping[str, Any]]) -> list[str]:
    columns = list(F.KNOWN_KEYS[kind])
    for row in rows:
        for key in row:
            if key not in columns:
                columns.append(key)
    return columns


def _cell(key: str, value: Any) -> str:
    if value is None:
        return ""
    if key in F.LIST_KEYS and isinstance(value, list):
        items = []
        for item in value:
            if isinstance(item, Mapping) and key == "sources":
                name = str(item.get("id") or "")
                items.append(f"{name} [{item['locator']}]" if item.get("locator") else name)
            else:
                items.append(str(item))
        return SEPARATOR.join(items)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _value(key: str, cell: Any) -> Any:
    text = "" if cell is None else recover(str(cell)).strip()
    if key in F.LIST_KEYS:
        if not text:
            return []
        items: list[Any] = [part.strip() for part in text.split(";") if part.strip()]
        if key == "sources":
            parsed = []
            for item in items:
                match = _LOCATED.match(item)
                parsed.append({"id": match.group(1), "locator": match.group(2)} if match else item)
            return parsed
        return items
    if text[:1] in ("{", "[") and text[-1:] in ("}", "]"):
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            return text
    return text


def _rows_to_table(kind: str, rows: list[Mapping[str, Any]]) -> list[list[str]]:
    columns = _columns(kind, rows)
    return [columns] + [[_cell(c, row.get(c)) for c in columns] for row in rows]


def _table_to_rows(table: list[list[Any]]) -> list[dict[str, Any]]:
    if not table:
        return []
    header = [str(h).strip() if h is not None else "" for h in table[0]]
    rows = []
    for raw in table[1:]:
        if raw is None or all(c in (None, "") for c in raw):
            continue
        row: dict[str, Any] = {}
        for key, cell in zip(header, raw, strict=False):
            if not key:
                continue
            value = _value(key, cell)
            if value not in ("", [], None) or key in ("id",):
                row[key] = value
        rows.append(row)
    return rows


def write_xlsx(doc: Mapping[str, Any], path: Path) -> None:
    """Write a structure document as a workbook with one sheet per kind."""
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for kind in F.KINDS:
        sheet = book.create_sheet(kind)
        for line in _rows_to_table(kind, list(doc.get(kind) or [])):
            sheet.append(neutralise_row(line))
    book.save(path)


def read_xlsx(path: Path) -> dict[str, Any]:
    """Read a workbook of the template back into a structure document."""
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds
        raise ImportRejected(str(path), reason=f"not a readable XLSX workbook ({exc})") from exc
    doc: dict[str, Any] = {}
    for kind in F.KINDS:
        if kind in book.sheetnames:
            doc[kind] = _table_to_rows([list(r) for r in book[kind].iter_rows(values_only=True)])
    return doc


def write_csv_folder(doc: Mapping[str, Any], folder: Path) -> None:
    """Write a structure document as one CSV file per kind in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for kind in F.KINDS:
        with (folder / f"{kind}.csv").open("w", newline="", encoding="utf-8") as handle:
            table = _rows_to_table(kind, list(doc.get(kind) or []))
            csv.writer(handle).writerows(neutralise_row(line) for line in table)


def read_csv_folder(folder: Path) -> dict[str, Any]:
    """Read a folder of the template's CSV files back into a structure document."""
    doc: dict[str, Any] = {}
    for kind in F.KINDS:
        path = folder / f"{kind}.csv"
        if path.is_file():
            with path.open(newline="", encoding="utf-8-sig") as handle:
                doc[kind] = _table_to_rows([list(r) for r in csv.reader(handle)])
    return doc
