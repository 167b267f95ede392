"""Shared query pieces for the core pages and API: name search, record and person reads.

Who may know of a person (and what they see of one) is decided in the security layer
(:mod:`sijill.security.readable`); this module builds the web's reads on it.
"""

from __future__ import annotations

import functools
from types import SimpleNamespace
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, literal, not_, or_, select
from sqlalchemy.orm import InstrumentedAttribute

from sijill.names.keys import name_key
from sijill.security.readable import (
    hidden_records_exist,
    readable_by,
)
from sijill.security.redaction import SOURCE_FIELDS, SOURCE_FIELDS_EDITORS
from sijill.security.roles import reads_every_level
from sijill.security.users import Principal
from sijill.store.engine import Executes
from sijill.store.models import Citation, Person, Record, Source
from sijill.web.deps import visible

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
