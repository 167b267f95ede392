"""Shared query pieces for the core pages and API: name search, record and person reads.

A person exists for a reader only through what the reader may read: :func:`person_readable`
is the one condition every person read (list, search, count, page) applies, and
:func:`person_shown` the columns a reader sees in place of the person's own name and access
when some of the person's records are beyond the reader's levels (those names and that level
were drawn from every record).
"""

from __future__ import annotations

import functools
from types import SimpleNamespace
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, exists, func, literal, not_, or_, select
from sqlalchemy.orm import InstrumentedAttribute

from sijill.names.keys import name_key
from sijill.security.redaction import SOURCE_FIELDS, SOURCE_FIELDS_EDITORS
from sijill.security.roles import readable_levels, reads_every_level
from sijill.security.users import Principal
from sijill.store.engine import Executes
from sijill.store.models import Citation, Person, Record, Source
from sijill.web.deps import readable_by, visible

#: Source columns a source view reads, labelled ``source__<name>`` to sit beside other columns.
SOURCE_COLUMNS = [
    Source.__table__.c[name].label(f"source__{name}")
    for name in dict.fromkeys(("id", "access", "name", *SOURCE_FIELDS, *SOURCE_FIELDS_EDITORS))
]


def count_rows(session: Executes, statement: Select[Any]) -> int:
    """How many rows ``statement`` gives (a list's total over all its pages)."""
    return session.scalar(select(func.count()).select_from(statement.subquery())) or 0


def source_of(row: Any) -> SimpleNamespace:
    """The ``source__*`` columns of a row as an object ``source_view`` can read."""
    return columns_of(row, "source__")


def columns_of(row: Any, prefix: str) -> SimpleNamespace:
    """The columns of a row labelled ``<prefix><name>``, as an object with those names."""
    return SimpleNamespace(**{name: row[i] for i, name in _labelled(row._fields, prefix)})


@functools.lru_cache(maxsize=256)
def _labelled(fields: tuple[str, ...], prefix: str) -> tuple[tuple[int, str], ...]:
    """Positions and names of the ``<prefix><name>`` fields (rows of one query share them)."""
    return tuple((i, k[len(prefix) :]) for i, k in enumerate(fields) if k.startswith(prefix))


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def name_matches(column: InstrumentedAttribute[Any], query: str) -> ColumnElement[bool]:
    """Every word of ``query`` (keyed with ``name_key``) starts a word of ``column``'s key.

    Keys bring Arabic and Latin spellings together, so "Mohammad" finds محمد.
    """
    words = [w for w in name_key(query).split() if w]
    if not words:
        return literal(True)
    padded = literal(" ") + column
    return and_(*[padded.like(f"% {_escape_like(w)}%", escape="\\") for w in words])


def visible_records(user: Principal) -> Any:
    """``SELECT Record, Source.name`` limited to what ``user`` may read."""
    return visible(
        select(Record, Source.name).join(Source, Source.id == Record.source_id),
        user,
        Record,
        Source,
    )


_R = Record.__table__.c
_S = Source.__table__.c
_RECORDS = Record.__table__.join(Source.__table__, _S.id == _R.source_id)


def _records_of(person_id: Any, *where: ColumnElement[bool]) -> Any:
    """``SELECT … FROM records JOIN sources`` of one person (correlated), with ``where``."""
    return select(literal(1)).select_from(_RECORDS).where(_R.person_id == person_id, *where)


def hidden_records_exist(role: str, person_id: Any) -> ColumnElement[bool]:
    """The person has a record ``role`` may not read (its level or its source's)."""
    readable = and_(readable_by(role, _R), readable_by(role, _S))
    return exists(_records_of(person_id, not_(readable)))


def person_readable(
    role: str, person: Any = Person, *, counting: bool = False
) -> ColumnElement[bool]:
    """The condition that ``role`` may know of the person: its level is readable, and it has a
    record the role may read or no record at all (an actor known from a command structure).
    A person known only from records beyond the role's levels does not exist for it.

    Two plans for one condition. By default a correlated aggregate over the person's records
    (an index lookup per person: cheap for a page of persons). ``counting``: the person is not
    among those whose records are all unreadable, a set the database builds once by one pass
    over the records (cheap for counting every person; a lookup per person would cost ~9 µs
    each). Not ``EXISTS … OR NOT EXISTS …``, which PostgreSQL answers by hashing every record
    on each request, however few persons it needs.
    """
    own = readable_by(role, person)
    if reads_every_level(role):
        return own
    readable = case((and_(readable_by(role, _R), readable_by(role, _S)), 1), else_=0)
    if counting:
        hidden_only = (
            select(_R.person_id)
            .select_from(_RECORDS)
            .where(_R.person_id.is_not(None))
            .group_by(_R.person_id)
            .having(func.max(readable) == 0)
        )
        return and_(own, person.id.not_in(hidden_only))
    # 1 when a record is readable, 0 when none is, NULL when there is none.
    best = (
        select(func.max(readable))
        .select_from(_RECORDS)
        .where(_R.person_id == person.id)
        .scalar_subquery()
    )
    return and_(own, func.coalesce(best, 1) == 1)


def person_shown(role: str, person: Any) -> dict[str, ColumnElement[Any]]:
    """What ``role`` sees of the person's access and names (``person``: a table or subquery
    with its columns): when it has records the role may not read, the most restrictive level
    among the records it may read, and names taken from the first of them (by id), not the
    person's own, which were drawn from every record. Empty for a role that reads every level.
    """
    if reads_every_level(role):
        return {}
    hidden = hidden_records_exist(role, person.id)
    readable = (readable_by(role, _R), readable_by(role, _S))

    def first_name(*where: ColumnElement[bool]) -> Any:
        return (
            select(_R.full_name)
            .select_from(_RECORDS)
            .where(_R.person_id == person.id, *readable, *where)
            .order_by(_R.id)
            .limit(1)
            .scalar_subquery()
        )

    levels = list(readable_levels(role))
    level = case(
        *[
            (
                exists(
                    _records_of(
                        person.id,
                        *readable,
                        or_(_R.access == literal(lv), _S.access == literal(lv)),
                    )
                ),
                literal(lv),
            )
            for lv in reversed(levels[1:])
        ],
        else_=literal(levels[0]),
    )
    return {
        "access": case((hidden, level), else_=person.access),
        "display_name": case((hidden, first_name()), else_=person.display_name),
        "name_ar": case((hidden, first_name(_R.script == literal("arabic"))), else_=person.name_ar),
        "name_latin": case(
            (hidden, first_name(_R.script == literal("latin"))), else_=person.name_latin
        ),
    }


def person_filter(query: str | None, role: str) -> ColumnElement[bool]:
    """Persons whose own key, or the key of one of their records ``role`` may read, matches.

    Records the role may not read never make a person match (no existence oracle): the
    person's own key counts only when the role may read all of its records.
    """
    if not query:
        return literal(True)
    via_records = (
        select(Record.person_id)
        .join(Source, Source.id == Record.source_id)
        .where(
            Record.person_id.is_not(None),
            name_matches(Record.name_key, query),
            readable_by(role, Record),
            readable_by(role, Source),
        )
    )
    own = name_matches(Person.name_key, query)
    if not reads_every_level(role):
        own = and_(own, not_(hidden_records_exist(role, Person.id)))
    return or_(own, Person.id.in_(via_records))


def about_person(claim_id: str | ColumnElement[str]) -> ColumnElement[bool]:
    """Citations whose claim is about the person with this id (as text, or a bound parameter)."""
    cited = Citation.__table__.c
    return and_(
        cited.claim_table.in_([literal("persons"), literal("person")]), cited.claim_id == claim_id
    )


def person_citations(session: Executes, user: Principal, person_id: int) -> list[Any]:
    """Citations about the person whose source ``user`` may read.

    Rows of the citation's columns and its source's columns labelled ``source__<name>``.
    """
    cited, source = Citation.__table__.c, Source.__table__.c
    stmt = visible(
        select(cited.source_id, cited.field, cited.locator, cited.confidence, *SOURCE_COLUMNS)
        .select_from(Citation.__table__.join(Source.__table__, source.id == cited.source_id))
        .where(about_person(str(person_id))),
        user,
        source,
    )
    return list(session.execute(stmt.order_by(cited.id)).all())
