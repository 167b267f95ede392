"""Capture histories: the table of how many people appear on exactly which lists.

A :class:`CaptureTable` holds one count per pattern of appearing. Patterns are indexed by a bit
mask: bit ``j`` is set when the person is on list ``j``; index 0 is the unobserved cell (its
count is unknown and kept at zero). Files follow FORMATS.md §2: one 0/1 column per list and
``count`` (aggregated form), or one row per person without ``count``; any other column is a
stratum column and splits the table.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sijill.errors import ImportRejected, RowProblem, SijillError

COUNT_COLUMN = "count"
ALL_STRATA = "all"


@dataclass(frozen=True)
class CaptureTable:
    """Counts of people by capture pattern over ``lists`` (``counts[0]`` is always 0)."""

    lists: tuple[str, ...]
    counts: np.ndarray  # int64, length 2**J, index = bit mask of the lists a person is on

    def __post_init__(self) -> None:
        if len(self.counts) != 2 ** len(self.lists):
            raise SijillError("capture table: counts must have 2**J entries")

    @property
    def n_lists(self) -> int:
        return len(self.lists)

    @property
    def observed(self) -> int:
        """The number of distinct people on at least one list."""
        return int(self.counts[1:].sum())

    def patterns(self) -> np.ndarray:
        """The 0/1 matrix of all 2**J patterns (row = pattern index, column = list)."""
        return patterns_matrix(self.n_lists)

    def list_totals(self) -> dict[str, int]:
        """People on each list."""
        pats = self.patterns()
        return {name: int(self.counts[pats[:, j] == 1].sum()) for j, name in enumerate(self.lists)}

    def as_rows(self) -> list[dict[str, int]]:
        """The aggregated form (FORMATS.md §2), all-zero pattern left out."""
        pats = self.patterns()
        return [
            {**{name: int(pats[i, j]) for j, name in enumerate(self.lists)}, "count": int(c)}
            for i, c in enumerate(self.counts)
            if i > 0
        ]


def patterns_matrix(n_lists: int) -> np.ndarray:
    """0/1 matrix of shape (2**J, J): row ``i`` has bit ``j`` of ``i`` in column ``j``."""
    idx = np.arange(2**n_lists)
    return ((idx[:, None] >> np.arange(n_lists)[None, :]) & 1).astype(np.int64)


def table_from_patterns(
    lists: Sequence[str], patterns: Iterable[Sequence[int]], counts: Iterable[int] | None = None
) -> CaptureTable:
    """Aggregate 0/1 patterns (with optional counts) into a :class:`CaptureTable`."""
    n = len(lists)
    table = np.zeros(2**n, dtype=np.int64)
    weights = counts if counts is not None else iter(lambda: 1, None)
    for pattern, weight in zip(patterns, weights, strict=False):
        index = sum(int(bit) << j for j, bit in enumerate(pattern))
        table[index] += int(weight)
    table[0] = 0
    return CaptureTable(tuple(lists), table)


@dataclass(frozen=True)
class CaptureData:
    """Capture tables by stratum (one stratum named ``all`` when there are none)."""

    lists: tuple[str, ...]
    strata: Mapping[str, CaptureTable]
    stratum_columns: tuple[str, ...] = ()

    @property
    def total(self) -> CaptureTable:
        """The table summed over strata."""
        counts = np.sum([t.counts for t in self.strata.values()], axis=0)
        return CaptureTable(self.lists, counts.astype(np.int64))


def _is_binary(value: str) -> bool:
    return value.strip() in {"0", "1"}


def read_capture_file(
    path: str | Path,
    *,
    lists: Sequence[str] | None = None,
    strata: Sequence[str] | None = None,
) -> CaptureData:
    """Read capture histories from a CSV file (aggregated with ``count``, or one row a person).

    Without ``lists``, every column whose values are all 0 or 1 is a list, except ``count``;
    the remaining columns are strata unless ``strata`` names them. Errors name the file, the row
    (as in a spreadsheet: the header is row 1) and the column.
    """
    path = Path(path)
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.reader(handle))
    except FileNotFoundError as exc:
        raise SijillError(f"{path}: no such file") from exc
    except UnicodeDecodeError as exc:
        raise ImportRejected(str(path), reason=f"not UTF-8 text ({exc.reason})") from exc
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise ImportRejected(str(path), reason="empty file: expected a header row")
    header = [cell.strip() for cell in rows[0]]
    body = [row for row in rows[1:] if any(cell.strip() for cell in row)]
    if len(set(header)) != len(header):
        raise ImportRejected(str(path), reason=f"duplicate column names in header {header}")
    problems: list[RowProblem] = []
    for offset, row in enumerate(rows[1:], start=2):
        if any(cell.strip() for cell in row) and len(row) != len(header):
            problems.append(RowProblem(offset, None, f"{len(row)} cells, header has {len(header)}"))
    if problems:
        raise ImportRejected(str(path), problems)
    lower = [h.lower() for h in header]
    count_col = lower.index(COUNT_COLUMN) if COUNT_COLUMN in lower else None
    list_cols, stratum_cols = _choose_columns(path, header, body, count_col, lists, strata)
    if len(list_cols) < 2:
        raise ImportRejected(
            str(path),
            reason=f"found {len(list_cols)} list column(s) of 0/1 values; at least 2 are needed",
        )
    for row_no, row in _numbered(rows):
        for c in list_cols:
            if not _is_binary(row[c]):
                problems.append(RowProblem(row_no, header[c], f"expected 0 or 1, got {row[c]!r}"))
        if count_col is not None:
            text = row[count_col].strip()
            if not text.isdecimal():
                problems.append(
                    RowProblem(row_no, header[count_col], f"expected a whole number, got {text!r}")
                )
        if all(row[c].strip() == "0" for c in list_cols) and _count(row, count_col) > 0:
            problems.append(
                RowProblem(row_no, None, "a person on no list cannot be observed (all-zero row)")
            )
    if problems:
        raise ImportRejected(str(path), problems)
    names = tuple(header[c] for c in list_cols)
    grouped: dict[str, list[list[str]]] = {}
    for _, row in _numbered(rows):
        key = " / ".join(row[c].strip() for c in stratum_cols) if stratum_cols else ALL_STRATA
        grouped.setdefault(key, []).append(row)
    tables = {
        key: table_from_patterns(
            names,
            ([int(r[c]) for c in list_cols] for r in group),
            (_count(r, count_col) for r in group),
        )
        for key, group in sorted(grouped.items())
    }
    if not tables:
        raise ImportRejected(str(path), reason="no data rows")
    return CaptureData(names, tables, tuple(header[c] for c in stratum_cols))


def _numbered(rows: list[list[str]]) -> Iterable[tuple[int, list[str]]]:
    for row_no, row in enumerate(rows[1:], start=2):
        if any(cell.strip() for cell in row):
            yield row_no, row


def _count(row: list[str], count_col: int | None) -> int:
    if count_col is None:
        return 1
    text = row[count_col].strip()
    return int(text) if text.isdecimal() else 0


def _choose_columns(
    path: Path,
    header: list[str],
    body: list[list[str]],
    count_col: int | None,
    lists: Sequence[str] | None,
    strata: Sequence[str] | None,
) -> tuple[list[int], list[int]]:
    def index_of(name: str) -> int:
        if name not in header:
            raise ImportRejected(str(path), reason=f"no column {name!r} (columns: {header})")
        return header.index(name)

    candidates = [i for i in range(len(header)) if i != count_col]
    if lists is not None:
        list_cols = [index_of(name) for name in lists]
    else:
        named_strata = {index_of(name) for name in strata or ()}
        list_cols = [
            i
            for i in candidates
            if i not in named_strata
            and header[i].lower() not in {"stratum", "strata"}
            and all(_is_binary(row[i]) for row in body)
        ]
    if strata is not None:
        stratum_cols = [index_of(name) for name in strata]
    else:
        stratum_cols = [i for i in candidates if i not in list_cols]
    overlap = set(list_cols) & set(stratum_cols)
    if overlap:
        raise ImportRejected(
            str(path), reason=f"column(s) {[header[i] for i in overlap]} both list and stratum"
        )
    return list_cols, stratum_cols
