"""Recursive SQL over dated compositions, the same statement on SQLite and PostgreSQL.

One recursive query walks up (or down) the compositions in force on each asked day, from many
starting units and many days at once: its rows are ``(start, day, org, depth, sure)``, where
``depth`` is the fewest steps over any path in force (sure or possible) and ``sure`` says whether
some path of surely-in-force links reaches the organization. The facts along the way (links and
commanders) are then fetched with their day bounds and judged per day in Python.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Integer,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from sijill.command.dates import Bounds
from sijill.command.models import Composition, Membership, Organization
from sijill.store.models import Citation, Person, Source

MAX_DEPTH = 64
_CHUNK = 5000
_COMPOUND = 400  # SQLite allows 500 terms in a compound SELECT


def possibly_on(table: Any, day: Any) -> ColumnElement[bool]:
    """SQL: the fact of ``table`` holds or may hold on ``day`` (a value or a column)."""
    return and_(
        or_(table.possible_start.is_(None), table.possible_start <= day),
        or_(table.possible_end.is_(None), table.possible_end >= day),
    )


def surely_on(table: Any, day: Any) -> ColumnElement[bool]:
    """SQL: the fact of ``table`` surely holds on ``day``."""
    return and_(
        or_(table.sure_start.is_(None), table.sure_start <= day),
        or_(table.sure_end.is_(None), table.sure_end >= day),
    )


def possibly_within(table: Any, first: date, last: date) -> ColumnElement[bool]:
    """SQL: the fact of ``table`` holds or may hold on some day from ``first`` to ``last``."""
    return and_(
        or_(table.possible_start.is_(None), table.possible_start <= last),
        or_(table.possible_end.is_(None), table.possible_end >= first),
    )


@dataclass(frozen=True)
class Reached:
    """An organization reached from ``start`` on ``day``."""

    start: int
    day: date
    org: int
    depth: int
    sure: bool


def _values(rows: Sequence[Any], column: str, type_: Any, name: str) -> Any:
    """A small constant table as a CTE (a UNION ALL of one-row selects; no VALUES, which
    SQLite cannot name columns of)."""
    heads = [select(type_(value).label(column)) for value in rows]
    return (heads[0] if len(heads) == 1 else union_all(*heads)).cte(name)


def _int(value: Any) -> Any:
    return cast(literal(value), Integer)


def _day(value: Any) -> Any:
    return literal(value, Date)  # no CAST: SQLite would turn the text into a number


def reach(
    session: Session, units: Sequence[int], days: Sequence[date], upward: bool = True
) -> list[Reached]:
    """Every organization reachable from each unit on each day through links in force that day.

    Upward follows child → parent, downward parent → child. Each unit itself is reached at
    depth 0, surely, on every day.
    """
    out: list[Reached] = []
    for i in range(0, len(units), _COMPOUND):
        for j in range(0, len(days), _COMPOUND):
            out.extend(_reach(session, units[i : i + _COMPOUND], days[j : j + _COMPOUND], upward))
    return out


def _reach(
    session: Session, units: Sequence[int], days: Sequence[date], upward: bool
) -> list[Reached]:
    if not units or not days:
        return []
    unit_rows = _values(list(dict.fromkeys(units)), "unit", _int, "seed_units")
    day_rows = _values(list(dict.fromkeys(days)), "day", _day, "seed_days")
    anchor = select(
        unit_rows.c.unit.label("start"),
        day_rows.c.day.label("day"),
        unit_rows.c.unit.label("org"),
        _int(0).label("depth"),
        _int(1).label("sure"),
    ).select_from(unit_rows.join(day_rows, literal(True)))
    walk = anchor.cte("walk", recursive=True)
    link = Composition.__table__.alias("link")
    near, far = (
        (link.c.child_id, link.c.parent_id) if upward else (link.c.parent_id, link.c.child_id)
    )
    step = select(
        walk.c.start,
        walk.c.day,
        far,
        cast(walk.c.depth + 1, Integer),
        cast(case((and_(walk.c.sure == 1, surely_on(link.c, walk.c.day)), 1), else_=0), Integer),
    ).where(near == walk.c.org, possibly_on(link.c, walk.c.day), walk.c.depth < MAX_DEPTH)
    walk = walk.union(step)
    query = select(
        walk.c.start, walk.c.day, walk.c.org, func.min(walk.c.depth), func.max(walk.c.sure)
    ).group_by(walk.c.start, walk.c.day, walk.c.org)
    return [
        Reached(start, day, org, int(depth), bool(sure))
        for start, day, org, depth, sure in session.execute(query)
    ]


@dataclass(frozen=True)
class Link:
    """A composition fact between two organizations, with its day bounds."""

    id: int
    parent: int
    child: int
    classification: str
    bounds: Bounds
    written: dict[str, str | None]
    confidence: str | None


@dataclass(frozen=True)
class Post:
    """A membership fact (a post held), with its day bounds."""

    id: int
    org: int
    person: int
    person_ext: str
    role: str
    title: str | None
    rank: str | None
    bounds: Bounds
    written: dict[str, str | None]
    confidence: str | None


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    items = sorted(set(ids))
    for i in range(0, len(items), _CHUNK):
        yield items[i : i + _CHUNK]


def _bounds(row: Any) -> Bounds:
    return Bounds(row.sure_start, row.sure_end, row.possible_start, row.possible_end)


def _written(row: Any) -> dict[str, str | None]:
    return {
        "start_date": row.start_date,
        "end_date": row.end_date,
        "first_cited": row.first_cited,
        "last_cited": row.last_cited,
    }


def links_of(
    session: Session, org_ids: Iterable[int], first: date, last: date, upward: bool = True
) -> list[Link]:
    """Compositions touching ``org_ids`` (as child when upward, as parent when downward) that
    hold or may hold on some day from ``first`` to ``last``."""
    out = []
    near = Composition.child_id if upward else Composition.parent_id
    for chunk in _chunks(org_ids):
        for c in session.scalars(
            select(Composition).where(near.in_(chunk), possibly_within(Composition, first, last))
        ):
            out.append(
                Link(
                    c.id,
                    c.parent_id,
                    c.child_id,
                    c.classification,
                    _bounds(c),
                    _written(c),
                    c.confidence,
                )
            )
    return out


def posts_of(
    session: Session,
    org_ids: Iterable[int],
    first: date,
    last: date,
    roles: Sequence[str] | None = ("commander",),
) -> list[Post]:
    """Memberships in ``org_ids`` (of the given roles; all roles for None) that hold or may
    hold on some day from ``first`` to ``last``."""
    out = []
    for chunk in _chunks(org_ids):
        query = (
            select(Membership, Person.external_id)
            .join(Person, Person.id == Membership.person_id)
            .where(Membership.organization_id.in_(chunk), possibly_within(Membership, first, last))
        )
        if roles is not None:
            query = query.where(Membership.role.in_(roles))
        for m, ext in session.execute(query):
            out.append(
                Post(
                    m.id,
                    m.organization_id,
                    m.person_id,
                    ext or str(m.person_id),
                    m.role,
                    m.title,
                    m.rank,
                    _bounds(m),
                    _written(m),
                    m.confidence,
                )
            )
    return out


def external_ids(session: Session, org_ids: Iterable[int]) -> dict[int, Organization]:
    """Organizations by database id."""
    out: dict[int, Organization] = {}
    for chunk in _chunks(org_ids):
        for org in session.scalars(select(Organization).where(Organization.id.in_(chunk))):
            out[org.id] = org
    return out


def citations(session: Session, table: str, ids: Iterable[int]) -> dict[int, list[dict[str, Any]]]:
    """The citations of claims of ``table``, by claim id: source, locator, confidence."""
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for chunk in _chunks(ids):
        rows = session.execute(
            select(Citation.claim_id, Source.name, Citation.locator, Citation.confidence)
            .join(Source, Source.id == Citation.source_id)
            .where(Citation.claim_table == table, Citation.claim_id.in_([str(i) for i in chunk]))
            .order_by(Citation.id)
        )
        for claim_id, name, locator, confidence in rows:
            out[int(claim_id)].append(
                {"source": name, "locator": locator, "confidence": confidence}
            )
    return out
