"""Each person's most open level, ``persons.open_access``, kept exact at every write.

A record's level is the stricter of its own and its source's; a person's ``open_access`` is the
most open level among the records that refer to it, NULL when none does. The levels a role reads
are a prefix of ``ACCESS_LEVELS`` (public, then internal, then restricted), so a role may read
one of the person's records exactly when it reads this level: the readable-person condition
(:func:`sijill.security.readable.person_readable`) reads the column instead of walking each
person's records on every read.

After every flush of a session, the persons whose records were added, removed, moved to another
person or given another level, and those with records in a source given another level, are
recomputed in the same transaction. A write that goes around the ORM (a Core ``UPDATE`` of
``records.person_id``) calls :func:`refresh` itself; migration 0010 filled the column once.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    case,
    event,
    func,
    inspect,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session, UOWTransaction

from sijill.store.base import ACCESS_LEVELS
from sijill.store.models import Person, Record, Source

_R = Record.__table__.c
_S = Source.__table__.c
#: Persons recomputed per statement (a bound parameter each; SQLite allows a few thousand).
CHUNK = 500


def _record_rank() -> ColumnElement[int]:
    """A record's level as its place in ``ACCESS_LEVELS``: the stricter of its own and its
    source's."""
    stricter = list(enumerate(ACCESS_LEVELS))[1:]
    return case(
        *[
            (or_(_R.access == literal(level), _S.access == literal(level)), rank)
            for rank, level in reversed(stricter)
        ],
        else_=0,
    )


def open_level(person_id: Any) -> ColumnElement[str | None]:
    """The most open level among the records of ``person_id`` (a column), NULL without one."""
    best = (
        select(func.min(_record_rank()))
        .select_from(Record.__table__.join(Source.__table__, _S.id == _R.source_id))
        .where(_R.person_id == person_id)
        .scalar_subquery()
    )
    return case(*[(best == rank, literal(level)) for rank, level in enumerate(ACCESS_LEVELS)])


def refresh(conn: Connection | Session, person_ids: Iterable[int] | None = None) -> None:
    """Recompute ``open_access`` of the persons ``person_ids`` (every person when None)."""
    stmt = update(Person).values(open_access=open_level(Person.id))
    if person_ids is None:
        conn.execute(stmt)
        return
    ids = sorted(set(person_ids))
    for start in range(0, len(ids), CHUNK):
        conn.execute(stmt.where(Person.id.in_(ids[start : start + CHUNK])))


def _changed(obj: object, *names: str) -> bool:
    attrs = inspect(obj).attrs
    return any(attrs[name].history.has_changes() for name in names)


def _touched(session: Session) -> tuple[set[int], set[int]]:
    """The persons whose records this flush wrote, and the sources whose level it changed."""
    persons: set[int] = set()
    sources: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Record) and (
            obj in session.new or obj in session.deleted or _changed(obj, "person_id", "access")
        ):
            history = inspect(obj).attrs.person_id.history
            persons |= {p for p in (*history.sum(), obj.person_id) if p is not None}
        elif isinstance(obj, Source) and obj not in session.new and _changed(obj, "access"):
            sources.add(obj.id)
    return persons, sources


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context: UOWTransaction) -> None:
    persons, sources = _touched(session)
    if sources:
        persons |= set(
            session.connection().scalars(
                select(_R.person_id).where(_R.source_id.in_(sources), _R.person_id.is_not(None))
            )
        )
    if persons:
        refresh(session.connection(), persons)
