"""Importing one casualty list, all or nothing (FORMATS.md §1, §4 ``sijill import records``).

The whole import runs in the caller's transaction: a list with a row of broken structure (no
record_id, a repeated one, more values than columns) is refused with every problem listed, and
nothing of it is stored; a killed process leaves the database as it was. With
``keep_good_rows`` the good rows are kept and the rejected ones written beside the file. Odd
values never refuse a row: they are read tolerantly or left empty with a quality flag
(:mod:`sijill.records.rows`), and the result counts the flags by column and kind.

Every row is read, parsed and checked before anything is written (the parsed rows wait in an
encrypted temporary spool), so the write itself is one short step at the end: on SQLite, which
lets one writer in at a time, sign-ins and other writes during a long import wait for that step
only, not for the whole run. A write that cannot get in within SQLite's busy timeout (10 s)
refuses the import clearly; nothing is stored.
"""

from __future__ import annotations

import csv
import json
import os
import pickle
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Table, insert, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from sijill.cells import neutralise_row
from sijill.errors import ImportRejected, RowProblem, SameFileRejected
from sijill.records.mapping import Mapping
from sijill.records.readers import detect_format, file_sha256, read_rows, text_encoding
from sijill.records.rows import normalize_row, plan_columns
from sijill.records.values import FLAG_KINDS
from sijill.security.sealing import load_key, record_aad, seal
from sijill.store.base import ACCESS_LEVELS
from sijill.store.changelog import log_change
from sijill.store.lookup import unknown_source
from sijill.store.models import Record, Source

BATCH_ROWS = 5000
MAX_PROBLEMS_KEPT = 10_000


@dataclass
class ImportResult:
    source: str
    source_id: int
    imported: int
    rejected: list[RowProblem] = field(default_factory=list)
    rejected_file: str | None = None
    file_sha256: str = ""
    diff: dict[str, int] | None = None
    quality: list[dict[str, Any]] = field(default_factory=list)
    encoding: str | None = None  # of a text file, and how it was chosen

    def as_json(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "source": self.source,
            "source_id": self.source_id,
            "imported": self.imported,
            "rejected": [p.as_dict() for p in self.rejected],
            "file_sha256": self.file_sha256,
            "quality": self.quality,
            "encoding": self.encoding,
        }
        if self.rejected_file:
            doc["rejected_file"] = self.rejected_file
        if self.diff is not None:
            doc["diff"] = self.diff
        return doc


def _resolve_source(session: Session, name: str, path: str) -> Source:
    found = session.scalar(select(Source).where(Source.name == name))
    if found is None:
        raise ImportRejected(path, reason=str(unknown_source(session, name)))
    return found


def import_list(
    session: Session,
    path: Path,
    *,
    source: str,
    mapping: Mapping | None = None,
    access: str = "internal",
    version_of: str | None = None,
    derived_from: list[str] | None = None,
    allow_same_file: bool = False,
    keep_good_rows: bool = False,
    actor: str | None = None,
    publisher: str | None = None,
    published: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Import one list into a new source. Raises :class:`ImportRejected`; the caller rolls back."""
    mapping = mapping or Mapping()
    where = str(path)
    if not path.is_file():
        raise ImportRejected(where, reason="no such file")
    if access not in ACCESS_LEVELS:
        raise ImportRejected(where, reason=f"access must be one of {', '.join(ACCESS_LEVELS)}")
    if not source.strip():
        raise ImportRejected(where, reason="the source needs a name (--source)")
    fmt = detect_format(path, mapping.format)
    digest = file_sha256(path)
    if session.scalar(select(Source.id).where(Source.name == source)) is not None:
        raise ImportRejected(
            where,
            reason=f"a source named {source!r} exists; give this list a new name "
            f"(and --version-of {source!r} if it is a new version)",
        )
    if not allow_same_file:
        twin = session.scalar(select(Source.name).where(Source.file_sha256 == digest))
        if twin is not None:
            raise SameFileRejected(
                where,
                reason=f"this exact file was already imported as source {twin!r} "
                "(same SHA-256); pass --allow-same-file to import it again",
                twin=twin,
            )
    predecessor = _resolve_source(session, version_of, where) if version_of else None
    parents = [_resolve_source(session, n, where) for n in derived_from or []]

    encoding = text_encoding(path, mapping.encoding) if fmt != "xlsx" else None
    header, rows = read_rows(
        path, fmt, sheet=mapping.sheet, encoding=encoding.name if encoding else "utf-8"
    )
    plan, header_problems = plan_columns(header, mapping) if header else (None, [])
    if header_problems:
        raise ImportRejected(where, problems=header_problems)

    # First every row is read, parsed and checked, holding no write lock; then one short
    # write transaction stores the list (SQLite lets one writer in at a time).
    problems: list[RowProblem] = []
    problem_rows = 0
    seen_ids: dict[str, int] = {}
    spool = _Spool()
    writer = _RecordWriter(session)
    rejected_writer: _RejectedWriter | None = None
    quality = QualityReport()
    today = date.today()
    if keep_good_rows:
        rejected_writer = _RejectedWriter(path)

    for row_number, row in rows:
        row_plan, jl_problems = plan, []
        if row_plan is None:  # JSON lines: each line names its own columns
            row_plan, line_problems = plan_columns(list(row), mapping, need_name=False)
            jl_problems = [RowProblem(row_number, p.column, p.error) for p in line_problems]
        fields, sealed, row_problems = normalize_row(
            row_number, dict(row), row_plan, mapping, today=today
        )
        row_problems = jl_problems + row_problems
        record_id = fields.get("record_id")
        if record_id:
            first = seen_ids.get(record_id)
            if first is not None:
                row_problems.append(
                    RowProblem(
                        row_number,
                        row_plan.by_standard.get("record_id", "record_id"),
                        f"record_id {record_id!r} repeats row {first}",
                    )
                )
            else:
                seen_ids[record_id] = row_number
        if row_problems:
            problem_rows += 1
            if len(problems) < MAX_PROBLEMS_KEPT:
                problems.extend(row_problems[: MAX_PROBLEMS_KEPT - len(problems)])
            if rejected_writer is not None:
                rejected_writer.write(row_number, row, row_problems)
            continue
        quality.add(row_number, fields["quality"])
        spool.add((str(record_id), sealed, writer.prepare(fields)))
        if progress and spool.count % BATCH_ROWS == 0:
            progress(spool.count + problem_rows)
    if progress:
        progress(spool.count + problem_rows)
    if rejected_writer is not None:
        rejected_writer.close()

    if problems and not keep_good_rows:
        spool.close()
        if problem_rows and len(problems) >= MAX_PROBLEMS_KEPT:
            problems.append(RowProblem(0, None, f"... {problem_rows} rows had problems in all"))
        raise ImportRejected(where, problems=problems)
    if spool.count == 0:
        spool.close()
        raise ImportRejected(where, reason="no records in the file", problems=problems)

    src = Source(
        name=source,
        kind="list",
        publisher=publisher,
        published=published,
        file_name=path.name,
        file_sha256=digest,
        access=access,
        version_of_id=predecessor.id if predecessor else None,
        derived_from=[p.id for p in parents],
        mapping=mapping.as_dict(),
        imported_by=actor,
        locator=path.name,
    )
    key = load_key() if mapping.sensitive else None
    try:
        session.add(src)
        session.flush()
        imported = 0
        for batch in spool.batches():
            writer.write(
                src.id,
                access,
                [
                    (seal(sealed, aad=record_aad(src.id, rid), key=key) if sealed else None, row)
                    for rid, sealed, row in batch
                ],
            )
            imported += len(batch)
    except OperationalError as exc:
        if "locked" not in str(exc):
            raise
        raise ImportRejected(
            where,
            reason="another write held the case database too long; nothing was imported, "
            "import the list again",
        ) from exc
    finally:
        spool.close()

    src.record_count = imported
    if key is not None:
        from sijill.security.blind import index_records

        index_records(session, key, source_id=src.id)  # keyed (HMAC) search over sealed fields
    diff = _diff_versions(session, predecessor.id, src.id) if predecessor else None
    log_change(
        session,
        action="import",
        entity="source",
        entity_id=src.id,
        actor=actor,
        detail={
            "file": path.name,
            "encoding": str(encoding) if encoding else None,
            "sha256": digest,
            "imported": imported,
            "rejected_rows": problem_rows,
            "quality": {f"{q['column']}: {q['kind']}": q["records"] for q in quality.entries()},
            "access": access,
            "diff": diff,
        },
    )
    session.flush()
    return ImportResult(
        source=source,
        source_id=src.id,
        imported=imported,
        rejected=problems,
        rejected_file=str(rejected_writer.path) if rejected_writer and problem_rows else None,
        file_sha256=digest,
        diff=diff,
        quality=quality.entries(),
        encoding=str(encoding) if encoding else None,
    )


class _Spool:
    """Parsed rows kept between reading and writing: pickled in batches to an anonymous
    temporary file, each batch encrypted (AES-GCM) with a key that lives only in this process,
    since sensitive cells are still in clear until they are sealed at the write."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()
        self._aead = AESGCM(AESGCM.generate_key(bit_length=128))
        self._parts: list[tuple[bytes, int]] = []  # nonce and length of each batch
        self._batch: list[Any] = []
        self.count = 0

    def add(self, item: Any) -> None:
        self._batch.append(item)
        self.count += 1
        if len(self._batch) >= BATCH_ROWS:
            self._flush()

    def _flush(self) -> None:
        if self._batch:
            nonce = os.urandom(12)
            blob = self._aead.encrypt(nonce, pickle.dumps(self._batch, protocol=5), None)
            self._file.write(blob)
            self._parts.append((nonce, len(blob)))
            self._batch = []

    def batches(self) -> Iterator[list[Any]]:
        self._flush()
        self._file.seek(0)
        for nonce, length in self._parts:
            yield pickle.loads(self._aead.decrypt(nonce, self._file.read(length), None))

    def close(self) -> None:
        self._file.close()


class QualityReport:
    """Counts of the quality flags an import gave, by column and kind, with example rows."""

    EXAMPLE_ROWS = 5

    def __init__(self) -> None:
        self._found: dict[tuple[str, str], dict[str, Any]] = {}

    def add(self, row_number: int, flags: list[dict[str, str]] | None) -> None:
        for flag in flags or []:
            entry = self._found.setdefault(
                (flag["column"], flag["kind"]),
                {
                    "column": flag["column"],
                    "kind": flag["kind"],
                    "what": FLAG_KINDS[flag["kind"]],
                    "records": 0,
                    "rows": [],
                    "example": flag["message"],
                },
            )
            entry["records"] += 1
            if len(entry["rows"]) < self.EXAMPLE_ROWS:
                entry["rows"].append(row_number)

    def entries(self) -> list[dict[str, Any]]:
        return [self._found[key] for key in sorted(self._found)]


class _RecordWriter:
    """Inserts records in the session's transaction, each prepared for the insert while the
    list is read (so that the write step only inserts).

    On SQLite a record is prepared as the tuple the driver's ``executemany`` takes (the
    import's hot path); elsewhere it stays a dict for SQLAlchemy Core's multi-row insert.
    """

    _AT_WRITE = ("source_id", "access", "sealed")

    def __init__(self, session: Session) -> None:
        self._session = session
        self._sqlite = session.get_bind().dialect.name == "sqlite"
        table = Record.__table__
        assert isinstance(table, Table)
        self._table = table
        self._names = [c.name for c in table.columns if c.name not in ("id", *self._AT_WRITE)]

    def prepare(self, fields: dict[str, Any]) -> Any:
        if not self._sqlite:
            return fields
        fields["raw"] = json.dumps(fields["raw"], ensure_ascii=False)
        if fields["quality"] is not None:
            fields["quality"] = json.dumps(fields["quality"], ensure_ascii=False)
        if fields["death_start"] is not None:
            fields["death_start"] = fields["death_start"].isoformat()
            fields["death_end"] = fields["death_end"].isoformat()
        fields["unidentified"] = int(fields["unidentified"])
        return tuple(fields.get(name) for name in self._names)

    def write(self, source_id: int, access: str, batch: list[tuple[bytes | None, Any]]) -> None:
        """Insert prepared records with their source, access and sealed cells."""
        connection = self._session.connection()
        if not self._sqlite:
            rows = [
                {**fields, "source_id": source_id, "access": access, "sealed": sealed}
                for sealed, fields in batch
            ]
            connection.execute(insert(self._table), rows)
            return
        names = [*self._AT_WRITE, *self._names]
        sql = f"INSERT INTO records ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
        connection.exec_driver_sql(
            sql, [(source_id, access, sealed, *row) for sealed, row in batch]
        )


def _diff_versions(session: Session, old_id: int, new_id: int) -> dict[str, int]:
    """Records added, removed, changed and unchanged from one version of a list to the next."""

    def by_id(source_id: int) -> dict[str, Any]:
        rows = session.execute(
            select(Record.record_id, Record.raw).where(Record.source_id == source_id)
        )
        return {rid: raw for rid, raw in rows}

    old, new = by_id(old_id), by_id(new_id)
    common = old.keys() & new.keys()
    changed = sum(1 for rid in common if old[rid] != new[rid])
    return {
        "added": len(new.keys() - old.keys()),
        "removed": len(old.keys() - new.keys()),
        "changed": changed,
        "unchanged": len(common) - changed,
    }


class _RejectedWriter:
    """Writes rejected rows, as written plus their problems, to ``<file>.rejected.csv`` (cells a
    spreadsheet would run get a ``'`` in front: :mod:`sijill.cells`)."""

    def __init__(self, path: Path) -> None:
        self.path = path.with_name(path.name + ".rejected.csv")
        self._handle = self.path.open("w", encoding="utf-8", newline="")
        self._writer: Any = None
        self._columns: list[str] = []

    def write(self, row_number: int, row: dict[str, str], problems: list[RowProblem]) -> None:
        if self._writer is None:
            self._columns = [c for c in row if not c.startswith("\x00")]
            self._writer = csv.writer(self._handle)
            self._writer.writerow(neutralise_row(["row", "problems", *self._columns]))
        text = "; ".join(f"{p.column or '-'}: {p.error}" for p in problems)
        cells = [row_number, text, *(row.get(c, "") for c in self._columns)]
        self._writer.writerow(neutralise_row(cells))

    def close(self) -> None:
        self._handle.close()
        if self._writer is None:
            self.path.unlink(missing_ok=True)
