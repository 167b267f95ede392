"""Streaming readers of CSV, XLSX and JSON-lines lists: rows as ``(row_number, {column: text})``.

Row numbers are what a person sees when they open the file: in CSV and XLSX the header is row 1
and the first record is row 2; in JSON lines, the line number.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

from sijill.errors import ImportRejected

FORMATS = ("csv", "xlsx", "jsonl")


@dataclass
class ByteCounter:
    """Counts bytes consumed from a file, for progress bars."""

    handle: BinaryIO
    done: int = 0

    def read(self, size: int = -1) -> bytes:
        chunk = self.handle.read(size)
        self.done += len(chunk)
        return chunk


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def detect_format(path: Path, explicit: str | None = None) -> str:
    if explicit:
        if explicit not in FORMATS:
            raise ImportRejected(str(path), reason=f"unknown format {explicit!r}; use {FORMATS}")
        return explicit
    suffix = path.suffix.lower().lstrip(".")
    if suffix in ("csv", "tsv", "txt"):
        return "csv"
    if suffix in ("xlsx", "xlsm"):
        return "xlsx"
    if suffix in ("jsonl", "ndjson", "json"):
        return "jsonl"
    raise ImportRejected(str(path), reason="cannot tell the format: use .csv, .xlsx or .jsonl")


class _Progress:
    """A position in the file that a reader keeps up to date (bytes or rows)."""

    def __init__(self) -> None:
        self.position = 0


def read_rows(
    path: Path, fmt: str, *, sheet: str | None = None, progress: _Progress | None = None
) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """The header and a lazy iterator of rows. Raises ImportRejected when the file is unreadable."""
    if fmt == "csv":
        return _read_csv(path, progress)
    if fmt == "xlsx":
        return _read_xlsx(path, sheet, progress)
    return _read_jsonl(path, progress)


def _sniff_delimiter(sample: str) -> str:
    first = sample.splitlines()[0] if sample else ""
    counts = {d: first.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv(
    path: Path, progress: _Progress | None
) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as probe:
            sample = probe.read(64 * 1024)
    except UnicodeDecodeError as exc:
        raise ImportRejected(
            str(path), reason=f"not UTF-8 text (byte {exc.start} of the file); save it as UTF-8"
        ) from exc
    delimiter = _sniff_delimiter(sample)
    handle = path.open(encoding="utf-8-sig", newline="")
    reader = csv.reader(handle, delimiter=delimiter)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        handle.close()
        raise ImportRejected(str(path), reason="the file is empty (no header row)") from None
    _check_header(path, header)

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        width = len(header)
        try:
            for line_no, values in enumerate(reader, start=2):
                if progress is not None:
                    progress.position = line_no
                if not values or (len(values) == 1 and not values[0].strip()):
                    continue
                if len(values) > width and any(v.strip() for v in values[width:]):
                    yield (
                        line_no,
                        {
                            "\x00extra": str(len(values) - width),
                            **dict(zip(header, values, strict=False)),
                        },
                    )
                    continue
                yield line_no, dict(zip(header, values, strict=False))
        except UnicodeDecodeError as exc:
            raise ImportRejected(
                str(path), reason=f"not UTF-8 text near row {reader.line_num}; save it as UTF-8"
            ) from exc
        except csv.Error as exc:
            raise ImportRejected(str(path), reason=f"row {reader.line_num}: {exc}") from exc
        finally:
            handle.close()

    return header, rows()


def _check_header(path: Path, header: list[str]) -> None:
    seen: set[str] = set()
    for index, name in enumerate(header, start=1):
        if not name:
            raise ImportRejected(str(path), reason=f"row 1, column {index}: empty column name")
        if name in seen:
            raise ImportRejected(str(path), reason=f"row 1: column {name!r} appears twice")
        seen.add(name)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.hour == value.minute == value.second == 0:
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(
    path: Path, sheet: str | None, progress: _Progress | None
) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds
        raise ImportRejected(str(path), reason=f"not a readable XLSX workbook ({exc})") from exc
    if sheet is not None and sheet not in book.sheetnames:
        raise ImportRejected(str(path), reason=f"no sheet named {sheet!r} (has {book.sheetnames})")
    worksheet = book[sheet] if sheet else book.worksheets[0]
    iterator = worksheet.iter_rows(values_only=True)
    try:
        header_cells = next(iterator)
    except StopIteration:
        book.close()
        raise ImportRejected(str(path), reason="the sheet is empty (no header row)") from None
    header = [_cell_text(c).strip() for c in header_cells]
    while header and not header[-1]:
        header.pop()
    _check_header(path, header)

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        try:
            for row_no, cells in enumerate(iterator, start=2):
                if progress is not None:
                    progress.position = row_no
                values = [_cell_text(c) for c in cells]
                if not any(v.strip() for v in values):
                    continue
                yield row_no, dict(zip(header, values, strict=False))
        finally:
            book.close()

    return header, rows()


def _read_jsonl(
    path: Path, progress: _Progress | None
) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        with path.open(encoding="utf-8-sig") as handle:
            for line_no, line in enumerate(handle, start=1):
                if progress is not None:
                    progress.position = line_no
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as exc:
                    yield line_no, {"\x00error": f"not valid JSON: {exc.msg} at column {exc.colno}"}
                    continue
                if not isinstance(obj, dict):
                    yield line_no, {"\x00error": "a line must hold one JSON object"}
                    continue
                yield line_no, {str(k): _json_text(v) for k, v in obj.items()}

    return [], rows()


def _json_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    return _cell_text(value)


def count_lines(path: Path) -> int:
    """A quick estimate of rows for a progress bar (newlines in the file)."""
    total = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            total += chunk.count(b"\n")
    return total
