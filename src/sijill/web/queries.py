"""Shared query pieces for the core pages and API: name search, record and person reads."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, literal, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from sijill.names.keys import name_key
from sijill.security.users import Principal
from sijill.store.models import Citation, Person, Record, Source
from sijill.web.deps import visible


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


def person_filter(query: str | None, user: Principal) -> ColumnElement[bool]:
    """Persons whose own key, or the key of one of their records ``user`` may read, matches.

    Records the user may not read never make a person match (no existence oracle).
    """
    if not query:
        return literal(True)
    via_records = visible(
        select(Record.person_id)
        .join(Source, Source.id == Record.source_id)
        .where(Record.person_id.is_not(None), name_matches(Record.name_key, query)),
        user,
        Record,
        Source,
    )
    return or_(name_matches(Person.name_key, query), Person.id.in_(via_records))


def person_citations(
    session: Session, user: Principal, person_id: int
) -> list[tuple[Citation, Source]]:
    """Citations about the person whose source ``user`` may read."""
    stmt = visible(
        select(Citation, Source)
        .join(Source, Source.id == Citation.source_id)
        .where(
            Citation.claim_table.in_(("persons", "person")), Citation.claim_id == str(person_id)
        ),
        user,
        Source,
    )
    return [(c, s) for c, s in session.execute(stmt.order_by(Citation.id))]
