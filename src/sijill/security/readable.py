"""What a reader may know: the one access condition on rows, and on persons.

:func:`readable_by` is the condition that a row's access level is one a role may read. A person
exists for a reader only through what the reader may read: :func:`person_readable` is the one
condition every person read (list, search, count, page, an incident's victims) applies, and
:func:`person_shown` the columns a reader sees in place of the person's own name and access
when some of the person's records are beyond the reader's levels (those names and that level
were drawn from every record). Used by the web's reads and by capabilities that answer for a
reader (incidents), so it lives in the shared security layer. :func:`persons_shown` applies
both to persons named by id (an allegation's person, a proceeding's subject, an actor).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from sqlalchemy import ColumnElement, and_, case, exists, literal, not_, or_, select, true
from sqlalchemy.orm import Session

from sijill.security.roles import readable_levels, reads_every_level
from sijill.store.models import Person, Record, Source


def readable_by(role: str, model: Any) -> ColumnElement[bool]:
    """The condition that ``model``'s row has an access level ``role`` may read.

    ``sijill.web.deps.visible`` adds it to a query's WHERE; an outer join puts it in its ON
    clause. For a role that reads every level it is plain ``true`` (dropped from an AND): the
    database then need not fetch the rows' levels (or join the tables that hold them) only to
    keep them all.
    """
    if reads_every_level(role):
        return true()
    return _level_readable(role, model.access)


def _level_readable(role: str, level: Any) -> ColumnElement[bool]:
    """The condition that the access level in the column ``level`` is one ``role`` reads."""
    # The levels as plain bound values, not one "expanding" list parameter that SQLAlchemy
    # would have to rewrite into the SQL at every execution.
    levels = [literal(lv) for lv in readable_levels(role)]
    return cast(ColumnElement[bool], level.in_(levels))


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


def person_readable(role: str, person: Any = Person) -> ColumnElement[bool]:
    """The condition that ``role`` may know of the person: its level is readable, and it has a
    record the role may read or no record at all (an actor known from a command structure).
    A person known only from records beyond the role's levels does not exist for it.

    Read from the person's row alone: ``open_access``, the most open level among its records
    (:mod:`sijill.store.open_access` keeps it at every write), is one the role reads exactly
    when one of its records is (the levels a role reads are a prefix of ``ACCESS_LEVELS``).
    """
    own = readable_by(role, person)
    if reads_every_level(role):
        return own
    return and_(own, or_(person.open_access.is_(None), _level_readable(role, person.open_access)))


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


def persons_shown(session: Session, role: str, ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Of the persons ``ids`` (row ids), those ``role`` may know of (:func:`person_readable`),
    each with the ``access``, ``display_name``, ``name_ar`` and ``name_latin`` it sees
    (:func:`person_shown`)."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    shown = person_shown(role, Person)
    names = ("access", "display_name", "name_ar", "name_latin")
    columns = [shown.get(name, getattr(Person, name)).label(name) for name in names]
    rows = session.execute(
        select(Person.id, *columns).where(Person.id.in_(wanted), person_readable(role))
    )
    return {row[0]: dict(zip(names, row[1:], strict=True)) for row in rows}
