"""Records entered by hand into a named source, and corrections that keep every earlier state.

A hand-entered record is one row of FORMATS.md §1's columns, read by the same function an
imported row is (:func:`sijill.records.rows.normalize_row`), so its derived columns are what
an import of that row would give. A correction changes cells of the row as written (a list
imported with a mapping keeps its own column names: the cell of the column mapped to the
standard one is changed) and derives the record again; the state it replaces is kept as a
:class:`~sijill.store.models.RecordVersion` with who, when and why, so that the record's page
shows its history and ``count``/``report --as-of`` read a record as it stood then
(:func:`state_at`).
"""

from __future__ import annotations

from collections.abc import Mapping as MappingType
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sijill.errors import ImportRejected, RowProblem, SijillError
from sijill.records.columns import STANDARD_COLUMNS
from sijill.records.mapping import Mapping, mapping_from_dict
from sijill.records.rows import normalize_row, plan_columns
from sijill.store.base import ACCESS_LEVELS, utcnow
from sijill.store.changelog import default_actor, log_change
from sijill.store.lookup import require_source
from sijill.store.models import Record, RecordVersion, Source

#: The columns of a record a correction re-derives, kept whole in each earlier state.
STATE_COLUMNS = tuple(
    c.name
    for c in Record.__table__.columns
    if c.name not in ("id", "source_id", "record_id", "sealed", "person_id")
)
_DATES = ("death_start", "death_end")
_WHEN = ("entered_at",)


class RecordConflict(SijillError):
    """The record cannot be written as asked (its id is taken in the source): 409."""


@dataclass(frozen=True)
class Version:
    """One state of a record, the newest last: its number, the state, who made it, when and
    why (the first: the import or the hand entry; the others: a correction's reason)."""

    number: int
    state: dict[str, Any]
    by: str | None
    at: datetime | None
    why: str | None
    current: bool


def _refused(column: str, error: str) -> ImportRejected:
    return ImportRejected("record", problems=[RowProblem(1, column, error)])


def _cells(values: MappingType[str, Any]) -> dict[str, str]:
    """The §1 cells given, as text ("" for none); unknown columns are refused by name."""
    cells: dict[str, str] = {}
    for column, value in values.items():
        if column not in STANDARD_COLUMNS:
            known = ", ".join(STANDARD_COLUMNS)
            raise _refused(column, f"not a column of a casualty list ({known})")
        cells[column] = "" if value is None else str(value)
    return cells


def _derive(
    row_number: int, row: dict[str, str], mapping: Mapping
) -> tuple[dict[str, Any], dict[str, str]]:
    """The record's columns from its row as written, as the importer derives them."""
    plan, problems = plan_columns(list(row), mapping, need_name=False)
    fields, _sealed, row_problems = normalize_row(
        row_number, dict(row), plan, mapping, today=date.today()
    )
    problems = [*problems, *row_problems]
    if problems:
        raise ImportRejected("record", problems=problems)
    return fields, plan.by_standard


def enter_record(
    session: Session,
    source: str,
    values: MappingType[str, Any],
    *,
    access: str | None = None,
    actor: str | None = None,
) -> Record:
    """Store one record entered by hand into the source named ``source`` (its name or number;
    an unknown one is refused with the close matches). ``values`` are §1's columns, at least
    ``record_id``; ``access`` defaults to the source's. Raises :class:`ImportRejected` naming
    the column, :class:`RecordConflict` when the record id is taken in that source."""
    found = require_source(session, source)
    cells = _cells(values)
    level = access or found.access
    if level not in ACCESS_LEVELS:
        raise _refused("access", f"access must be one of {', '.join(ACCESS_LEVELS)}")
    record_id = cells.get("record_id", "").strip()
    if record_id and session.scalar(
        select(Record.id).where(Record.source_id == found.id, Record.record_id == record_id)
    ):
        raise RecordConflict(f"source {found.name!r} already has a record {record_id!r}")
    last = session.scalar(select(func.max(Record.row_number)).where(Record.source_id == found.id))
    fields, _ = _derive((last or 0) + 1, {k: v for k, v in cells.items() if v.strip()}, Mapping())
    actor = actor or default_actor()
    record = Record(
        source_id=found.id,
        access=level,
        entered_at=utcnow(),
        entered_by=actor,
        **fields,
    )
    session.add(record)
    found.record_count = (found.record_count or 0) + 1
    session.flush()
    log_change(
        session,
        action="create",
        entity="record",
        entity_id=record.id,
        actor=actor,
        detail={"source": found.name, "record_id": record.record_id, "access": level},
    )
    return record


def correct_record(
    session: Session,
    record: Record,
    values: MappingType[str, Any],
    *,
    why: str,
    actor: str | None = None,
) -> Record:
    """Correct cells of ``record`` (§1's columns; an empty value clears a cell) with a reason;
    the state it had is kept as a version. The record id cannot change (it names the row in
    its list). Raises :class:`ImportRejected` naming the column."""
    if not why or not why.strip():
        raise _refused("why", "a correction needs its reason")
    cells = _cells(values)
    if "record_id" in cells and cells["record_id"].strip() != record.record_id:
        raise _refused("record_id", "the record id names the row in its list; it cannot change")
    source = session.get(Source, record.source_id)
    mapping = mapping_from_dict(source.mapping or {}) if source is not None else Mapping()
    row = dict(record.raw or {})
    _, by_standard = _derive(record.row_number, row, mapping)
    for column, value in cells.items():
        row[by_standard.get(column, column)] = value
    fields, _ = _derive(record.row_number, row, mapping)
    before = record.raw or {}
    changed = sorted(
        c for c in cells if (before.get(by_standard.get(c, c)) or "") != row[by_standard.get(c, c)]
    )
    if not changed:
        raise _refused(next(iter(cells), "record"), "nothing to correct: the values are as stored")
    actor = actor or default_actor()
    number = 1 + (
        session.scalar(
            select(func.count())
            .select_from(RecordVersion)
            .where(RecordVersion.record_id == record.id)
        )
        or 0
    )
    session.add(
        RecordVersion(
            record_id=record.id,
            number=number,
            state=state_of(record),
            replaced_at=utcnow(),
            replaced_by=actor,
            why=why.strip(),
        )
    )
    for name, value in fields.items():
        if name != "row_number":
            setattr(record, name, value)
    session.flush()
    log_change(
        session,
        action="correct",
        entity="record",
        entity_id=record.id,
        actor=actor,
        why=why.strip(),
        detail={"version": number + 1, "changed": changed},
    )
    return record


def state_of(record: Record) -> dict[str, Any]:
    """The record's state as JSON: its row as written and every derived column."""
    state: dict[str, Any] = {}
    for name in STATE_COLUMNS:
        value = getattr(record, name)
        state[name] = value.isoformat() if isinstance(value, date) else value
    return state


def record_in_state(record: Record, state: dict[str, Any]) -> Record:
    """A detached copy of ``record`` as it stood in ``state`` (for reading only)."""
    values = {k: v for k, v in state.items() if k in STATE_COLUMNS}
    for name in _DATES:
        if values.get(name):
            values[name] = date.fromisoformat(values[name])
    for name in _WHEN:
        if values.get(name):
            values[name] = datetime.fromisoformat(values[name])
    return Record(
        id=record.id,
        source_id=record.source_id,
        record_id=record.record_id,
        person_id=record.person_id,
        sealed=record.sealed,
        **values,
    )


def states_at(session: Session, moment: datetime) -> dict[int, dict[str, Any]]:
    """Record id -> its state at ``moment``, for the records corrected since then (the
    earliest version replaced after it)."""
    rows = session.execute(
        select(RecordVersion.record_id, RecordVersion.state)
        .where(RecordVersion.replaced_at > moment)
        .order_by(RecordVersion.record_id, RecordVersion.number.desc())
    )
    return {record_id: state for record_id, state in rows}  # the lowest number wins


def history(session: Session, record: Record) -> list[Version]:
    """Every state of ``record``, the first (as imported or entered) first, the current last."""
    source = session.get(Source, record.source_id)
    earlier = list(
        session.scalars(
            select(RecordVersion)
            .where(RecordVersion.record_id == record.id)
            .order_by(RecordVersion.number)
        )
    )
    made_by: str | None = record.entered_by or (source.imported_by if source else None)
    made_at: datetime | None = record.entered_at or (source.created_at if source else None)
    made_why: str | None = None
    versions = []
    for old in earlier:
        versions.append(Version(old.number, old.state, made_by, made_at, made_why, False))
        made_by, made_at, made_why = old.replaced_by, old.replaced_at, old.why
    versions.append(Version(len(earlier) + 1, state_of(record), made_by, made_at, made_why, True))
    return versions
