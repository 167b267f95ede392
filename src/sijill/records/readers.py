"""Streaming readers of CSV, XLSX and JSON-lines lists: rows as ``(row_number, {column: text})``.

Row numbers are what a person sees when they open the file: in CSV and XLSX the header is row 1
and the first record is row 2; in JSON lines, the line number.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import json
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

from sijill.errors import ImportRejected

FORMATS = ("csv", "xlsx", "jsonl")

#: The longest cell any list may hold, in characters (a spreadsheet's own limit per cell); a
#: longer cell refuses its row, the same in CSV, XLSX and JSON lines (see ``rows.py``).
MAX_CELL_CHARS = 32_767
#: Beyond this the CSV reader stops: a cell this long is a quote never closed, not a value.
_CSV_FIELD_CAP = 1 << 24
#: The default cap on the size of an XLSX workbook's shared strings once unzipped (they are
#: read into memory whole); ``$SIJILL_MAX_XLSX_SHARED_STRINGS`` (bytes) sets another.
MAX_XLSX_SHARED_STRINGS = 256 << 20


@dataclass(frozen=True)
class TextEncoding:
    """The encoding a text file is read with, and how it was chosen."""

    name: str
    how: str  # "given" | "byte order mark" | "UTF-8" | "UTF-16 pattern" | "detected"

    def __str__(self) -> str:
        return self.name if self.how == "UTF-8" else f"{self.name} ({self.how})"


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def text_encoding(path: Path, explicit: str | None = None) -> TextEncoding:
    """The encoding of a text list: the one given, a byte order mark's, UTF-16 by its pattern
    of zero bytes, UTF-8 when the whole file decodes as UTF-8, else charset-normalizer's guess.
    A file no encoding fits is refused."""
    if explicit:
        try:
            return TextEncoding(codecs.lookup(explicit).name, "given")
        except LookupError:
            raise ImportRejected(str(path), reason=f"unknown encoding {explicit!r}") from None
    with path.open("rb") as handle:
        head = handle.read(4096)
    for bom, name in _BOMS:
        if head.startswith(bom):
            return TextEncoding(name, "byte order mark")
    if utf16 := _utf16_by_zero_bytes(head):
        return TextEncoding(utf16, "UTF-16 pattern")
    if _decodes_as_utf8(path):
        return TextEncoding("utf-8", "UTF-8")
    from charset_normalizer import from_path

    best = from_path(path).best()
    if best is None:
        raise ImportRejected(
            str(path),
            reason="unreadable text: not UTF-8 and no other encoding fits; "
            "save it as UTF-8 or name its encoding with --encoding",
        )
    return TextEncoding(codecs.lookup(best.encoding).name, "detected")


def _utf16_by_zero_bytes(head: bytes) -> str | None:
    """UTF-16 without a byte order mark: ASCII (headers, digits, commas) leaves a zero byte in
    every other position."""
    even, odd = head[0::2], head[1::2]
    if len(head) < 8:
        return None
    if odd.count(0) > len(odd) // 4 and even.count(0) < len(even) // 20:
        return "utf-16-le"
    if even.count(0) > len(even) // 4 and odd.count(0) < len(odd) // 20:
        return "utf-16-be"
    return None


def _decodes_as_utf8(path: Path) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


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
    path: Path,
    fmt: str,
    *,
    sheet: str | None = None,
    encoding: str = "utf-8-sig",
    progress: _Progress | None = None,
) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """The header and a lazy iterator of rows. Raises ImportRejected when the file is unreadable.

    ``encoding`` is that of a text file (CSV, JSON lines; see :func:`text_encoding`).
    """
    if fmt == "csv":
        return _read_csv(path, encoding, progress)
    if fmt == "xlsx":
        return _read_xlsx(path, sheet, progress)
    return _read_jsonl(path, encoding, progress)


def _sniff_delimiter(sample: str) -> str:
    first = sample.splitlines()[0] if sample else ""
    counts = {d: first.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv(
    path: Path, encoding: str, progress: _Progress | None
) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    try:
        with path.open(encoding=encoding, newline="") as probe:
            sample = probe.read(64 * 1024)
    except UnicodeDecodeError as exc:
        raise ImportRejected(
            str(path), reason=f"not {encoding} text (byte {exc.start}); pass --encoding"
        ) from exc
    delimiter = _sniff_delimiter(sample)
    csv.field_size_limit(max(csv.field_size_limit(), _CSV_FIELD_CAP))
    handle = path.open(encoding=encoding, newline="")
    reader = csv.reader(handle, delimiter=delimiter)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        handle.close()
        raise ImportRejected(str(path), reason="the file is empty (no header row)") from None
    _check_header(path, header)

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        width = len(header)
        line = reader.line_num
        try:
            for row_no, values in enumerate(reader, start=2):
                first_line, line = line + 1, reader.line_num
                if progress is not None:
                    progress.position = row_no
                if not values or (len(values) == 1 and not values[0].strip()):
                    continue
                if line > first_line and (swallowed := _swallowed(values, header, delimiter)):
                    yield row_no, {"\x00error": _unclosed_quote(swallowed, first_line, line)}
                    continue
                if len(values) > width and any(v.strip() for v in values[width:]):
                    yield (
                        row_no,
                        {
                            "\x00extra": str(len(values) - width),
                            **dict(zip(header, values, strict=False)),
                        },
                    )
                    continue
                yield row_no, dict(zip(header, values, strict=False))
        except UnicodeDecodeError as exc:
            raise ImportRejected(
                str(path),
                reason=f"not {encoding} text near line {reader.line_num}; pass --encoding",
            ) from exc
        except csv.Error as exc:
            raise ImportRejected(
                str(path), reason=f"line {reader.line_num}: {exc} (is a quote never closed?)"
            ) from exc
        finally:
            handle.close()

    return header, rows()


def _swallowed(values: list[str], header: list[str], delimiter: str) -> str | None:
    """The column whose quoted cell took in lines that look like rows of their own (a line
    break, then as many delimiters as the header has), if any."""
    for column, value in zip(header, values, strict=False):
        if any(part.count(delimiter) >= len(header) - 1 for part in value.splitlines()[1:]):
            return column
    return None


def _unclosed_quote(column: str, first_line: int, last_line: int) -> str:
    return (
        f"a quote in column {column!r} is not closed on line {first_line}: the cell runs to "
        f"line {last_line} and takes in the rows between; close or remove the quote"
    )


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


def _check_shared_strings(path: Path) -> None:
    """Refuse a workbook whose shared strings, read into memory whole, would unzip past the cap
    (the size each zip entry declares bounds what can be read from it)."""
    cap = int(os.environ.get("SIJILL_MAX_XLSX_SHARED_STRINGS") or MAX_XLSX_SHARED_STRINGS)
    try:
        with zipfile.ZipFile(path) as archive:
            size = sum(
                info.file_size
                for info in archive.infolist()
                if info.filename.lower().lstrip("/").startswith("xl/sharedstrings")
            )
    except (zipfile.BadZipFile, OSError) as exc:
        raise ImportRejected(str(path), reason=f"not a readable XLSX workbook ({exc})") from exc
    if size > cap:
        raise ImportRejected(
            str(path),
            reason=f"the workbook's shared strings unzip to {size:,} bytes, over the limit of "
            f"{cap:,} (SIJILL_MAX_XLSX_SHARED_STRINGS); save the list as CSV",
        )


def _read_xlsx(
    path: Path, sheet: str | None, progress: _Progress | None
) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    from openpyxl import load_workbook

    _check_shared_strings(path)
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
    path: Path, encoding: str, progress: _Progress | None
) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        with path.open(encoding=encoding) as handle:
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
                except RecursionError:
                    yield line_no, {"\x00error": "JSON nested too deeply to read"}
                    continue
                if not isinstance(obj, dict):
                    yield line_no, {"\x00error": "a line must hold one JSON object"}
                    continue
                try:
                    yield line_no, {str(k): _json_text(v) for k, v in obj.items()}
                except RecursionError:
                    yield line_no, {"\x00error": "JSON nested too deeply to read"}

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
