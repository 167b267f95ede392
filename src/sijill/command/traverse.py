"""Recursive SQL over dated compositions, the same statement on SQLite and PostgreSQL.

One statement answers a chain question (:func:`walk`):

* a recursive part walks up (or down) the compositions in force on each asked day, from one or
  more units at once, giving ``(start, day, org, depth, sure)``: ``depth`` is the fewest steps
  over any path in force (sure or possible) and ``sure`` says whether a path of
  surely-in-force links reaches the organization;
* beside those rows come the links and commander posts of the reached organizations that may
  hold on some day of the range, with their day bounds and citations; they are judged per day
  in Python (:class:`~sijill.command.dates.Bounds`).

The statement is built once per shape and reused with bound parameters (unit ids as an
expanding ``IN`` list), so a chain costs one round trip.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Integer,
    String,
    and_,
    bindparam,
    case,
    cast,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from sijill.command.dates import Bounds
from sijill.command.models import Composition, Membership, Organization
from sijill.store.models import Citation, Person, Source

MAX_DEPTH = 64
MAX_DAYS = 400  # days are a compound SELECT; SQLite allows 500 terms
_CHUNK = 5000


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


def possibly_within(table: Any, first: Any, last: Any) -> ColumnElement[bool]:
    """SQL: the fact of ``table`` holds or may hold on some day from ``first`` to ``last``."""
    return and_(
        or_(table.possible_start.is_(None), table.possible_start <= last),
        or_(table.possible_end.is_(None), table.possible_end >= first),
    )


@dataclass(frozen=True)
class Reached:
    """An organization reached from unit ``start`` on ``day``."""

    start: int
    day: date
    org: int
    depth: int
    sure: bool
    external_id: str
    name: str | None
    classification: str | None


def _int(value: Any) -> Any:
    return cast(literal(value), Integer)


def _null(type_: Any) -> Any:
    return cast(null(), type_)


@dataclass
class Fact:
    """A link (composition) or a post (membership) near an organization, with day bounds."""

    kind: str  # "link" | "post"
    id: int
    near: int  # the link's child (upward) or parent (downward); the post's unit
    other: str  # the far organization's or the person's external id
    label: str | None  # a link's classification, a post's role
    title: str | None
    rank: str | None
    person_name: str | None
    bounds: Bounds
    written: dict[str, str | None]
    confidence: str | None
    citations: list[dict[str, Any]] = field(default_factory=list)


_COLUMNS = (
    "kind",
    "id",
    "near",
    "other",
    "label",
    "title",
    "rank",
    "person_name",
    "start_date",
    "end_date",
    "first_cited",
    "last_cited",
    "sure_start",
    "sure_end",
    "possible_start",
    "possible_end",
    "confidence",
    "day",
    "depth",
    "sure",
    "cite_id",
    "source",
    "locator",
    "citation_confidence",
)


@cache
def _statement(n_days: int, upward: bool, with_citations: bool) -> Any:
    """The walk from the units named by ``:units`` on ``:day_0 .. :day_{n-1}``, and the facts
    near the units reached that may hold from ``:first`` to ``:last``, as one UNION ALL."""
    # Days as a UNION ALL of one-row selects: VALUES cannot name its columns on SQLite, and a
    # bound date must not be CAST (SQLite would turn the text into a number).
    heads = [select(bindparam(f"day_{i}", type_=Date).label("day")) for i in range(n_days)]
    days = (heads[0] if n_days == 1 else union_all(*heads)).cte("seed_days")
    # A merged unit's id resolves to the unit it was merged into (merges keep one level).
    seed = Organization.__table__.alias("seed")
    unit = func.coalesce(seed.c.merged_into_id, seed.c.id)
    anchor = (
        select(
            unit.label("start"),
            days.c.day.label("day"),
            unit.label("org"),
            _int(0).label("depth"),
            _int(1).label("sure"),
        )
        .select_from(seed.join(days, literal(True)))
        .where(seed.c.external_id.in_(bindparam("units", expanding=True)))
    )
    walk = anchor.cte("walk", recursive=True)
    link = Composition.__table__.alias("link")
    step_near, step_far = (
        (link.c.child_id, link.c.parent_id) if upward else (link.c.parent_id, link.c.child_id)
    )
    step = select(
        walk.c.start,
        walk.c.day,
        step_far,
        cast(walk.c.depth + 1, Integer),
        cast(case((and_(walk.c.sure == 1, surely_on(link.c, walk.c.day)), 1), else_=0), Integer),
    ).where(step_near == walk.c.org, possibly_on(link.c, walk.c.day), walk.c.depth < MAX_DEPTH)
    walk = walk.union(step)
    best = (
        select(
            walk.c.start,
            walk.c.day,
            walk.c.org,
            func.min(walk.c.depth).label("depth"),
            func.max(walk.c.sure).label("sure"),
        )
        .group_by(walk.c.start, walk.c.day, walk.c.org)
        .cte("best")
    )
    reached_ids = select(best.c.org)
    first = bindparam("first", type_=Date)
    last = bindparam("last", type_=Date)
    org = Organization.__table__
    no_dates = [_null(String)] * 4 + [_null(Date)] * 4 + [_null(String)]
    no_cite = [_null(Integer), _null(String), _null(String), _null(String)]

    def describe(column: Any) -> Any:
        # A correlated lookup by primary key: a handful of rows never scan the whole table.
        return select(column).where(org.c.id == best.c.org).scalar_subquery()

    orgs = select(
        literal("org"),
        best.c.org,
        best.c.start,
        describe(org.c.external_id),
        describe(org.c.classification),
        describe(org.c.name),
        _null(String),
        _null(String),
        *no_dates,
        best.c.day,
        cast(best.c.depth, Integer),
        cast(best.c.sure, Integer),
        *no_cite,
    )

    def dated(table: Any) -> list[Any]:
        cols = (
            "start_date",
            "end_date",
            "first_cited",
            "last_cited",
            "sure_start",
            "sure_end",
            "possible_start",
            "possible_end",
            "confidence",
        )
        return [table.c[c] for c in cols] + [_null(Date), _null(Integer), _null(Integer)]

    def cited(query: Any, table: Any, claim: str) -> Any:
        if not with_citations:
            return query.add_columns(*no_cite)
        cite = Citation.__table__.alias(f"cite_{claim}")
        src = Source.__table__.alias(f"src_{claim}")
        on = and_(cite.c.claim_table == claim, cite.c.claim_id == cast(table.c.id, String))
        return (
            query.add_columns(cite.c.id, src.c.name, cite.c.locator, cite.c.confidence)
            .outerjoin(cite, on)
            .outerjoin(src, src.c.id == cite.c.source_id)
        )

    comp = Composition.__table__
    near, far = (
        (comp.c.child_id, comp.c.parent_id) if upward else (comp.c.parent_id, comp.c.child_id)
    )
    far_org = org.alias("far_org")
    links = cited(
        select(
            literal("link"),
            comp.c.id,
            near,
            far_org.c.external_id,
            comp.c.classification,
            _null(String),
            _null(String),
            _null(String),
            *dated(comp),
        )
        .join_from(comp, far_org, far_org.c.id == far)
        .where(near.in_(reached_ids), possibly_within(comp.c, first, last)),
        comp,
        "command_compositions",
    )
    mem = Membership.__table__
    person = Person.__table__
    posts = cited(
        select(
            literal("post"),
            mem.c.id,
            mem.c.organization_id,
            person.c.external_id,
            mem.c.role,
            mem.c.title,
            mem.c.rank,
            person.c.display_name,
            *dated(mem),
        )
        .join_from(mem, person, person.c.id == mem.c.person_id)
        .where(
            mem.c.organization_id.in_(reached_ids),
            mem.c.role == "commander",
            possibly_within(mem.c, first, last),
        ),
        mem,
        "command_memberships",
    )
    return union_all(orgs, links, posts)


def walk(
    session: Session,
    units: Sequence[str],
    days: Sequence[date],
    upward: bool = True,
    with_citations: bool = True,
) -> tuple[list[Reached], list[Fact]]:
    """Every organization reachable from each unit (by external id) on each day through links
    in force that day — upward child → parent, downward parent → child; each unit is itself
    reached at depth 0, surely — and the links and commander posts near them that may hold on
    some of those days."""
    days = sorted(set(days))
    if not units or not days:
        return [], []
    if len(days) > MAX_DAYS:
        raise ValueError(f"at most {MAX_DAYS} days in one walk")
    params: dict[str, Any] = {"units": list(units), "first": days[0], "last": days[-1]}
    params.update({f"day_{i}": day for i, day in enumerate(days)})
    reached: list[Reached] = []
    found: dict[tuple[str, int], Fact] = {}
    cites: dict[tuple[str, int], list[tuple[int, dict[str, Any]]]] = {}
    for row in session.execute(_statement(len(days), upward, with_citations), params):
        r = dict(zip(_COLUMNS, row, strict=True))
        if r["kind"] == "org":
            reached.append(
                Reached(
                    r["near"],
                    _as_date(r["day"]),  # type: ignore[arg-type]
                    r["id"],
                    int(r["depth"]),
                    bool(r["sure"]),
                    r["other"],
                    r["title"],
                    r["label"],
                )
            )
            continue
        key = (r["kind"], r["id"])
        if key not in found:
            found[key] = Fact(
                kind=r["kind"],
                id=r["id"],
                near=r["near"],
                other=r["other"] or str(r["id"]),
                label=r["label"],
                title=r["title"],
                rank=r["rank"],
                person_name=r["person_name"],
                bounds=Bounds(
                    _as_date(r["sure_start"]),
                    _as_date(r["sure_end"]),
                    _as_date(r["possible_start"]),
                    _as_date(r["possible_end"]),
                ),
                written={k: r[k] for k in ("start_date", "end_date", "first_cited", "last_cited")},
                confidence=r["confidence"],
            )
        if r["source"] is not None:
            cite = {
                "source": r["source"],
                "locator": r["locator"],
                "confidence": r["citation_confidence"],
            }
            cites.setdefault(key, []).append((r["cite_id"], cite))
    for key, items in cites.items():
        found[key].citations = [cite for _, cite in sorted(items, key=lambda x: x[0])]
    facts = sorted(found.values(), key=lambda f: (f.kind, f.other, f.id))
    return reached, facts


def _as_date(value: Any) -> date | None:
    """Dates from a UNION come back untyped on SQLite (ISO text)."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def citations(session: Session, table: str, ids: Iterable[int]) -> dict[int, list[dict[str, Any]]]:
    """The citations of claims of ``table``, by claim id: source, locator, confidence."""
    out: dict[int, list[dict[str, Any]]] = {}
    items = sorted(set(ids))
    for i in range(0, len(items), _CHUNK):
        rows = session.execute(
            select(Citation.claim_id, Source.name, Citation.locator, Citation.confidence)
            .join(Source, Source.id == Citation.source_id)
            .where(
                Citation.claim_table == table,
                Citation.claim_id.in_([str(x) for x in items[i : i + _CHUNK]]),
            )
            .order_by(Citation.id)
        )
        for claim_id, name, locator, confidence in rows:
            out.setdefault(int(claim_id), []).append(
                {"source": name, "locator": locator, "confidence": confidence}
            )
    return out
