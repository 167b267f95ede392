"""Recursive SQL over dated compositions, the same statements on SQLite and PostgreSQL.

Two statements answer every chain question:

1. :func:`reach` — one recursive query walks up (or down) the compositions in force on each
   asked day, from one or more units at once. Its rows are ``(start, day, org, depth, sure)``:
   ``depth`` is the fewest steps over any path in force (sure or possible) and ``sure`` says
   whether a path of surely-in-force links reaches the organization.
2. :func:`facts` — the links and commander posts of the reached organizations that may hold on
   some day of the range, with their day bounds and citations, judged per day in Python.

Statements are built once per shape and reused with bound parameters (ids as an expanding
``IN`` list), so a query costs two round trips.
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
    Select,
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
MAX_DAYS_PER_QUERY = 400  # SQLite allows 500 terms in a compound SELECT
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


@cache
def _reach_statement(n_days: int, upward: bool) -> Select[Any]:
    """The recursive walk from the units named by ``:units`` over ``:day_0 .. :day_{n-1}``."""
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
    best = (
        select(
            walk.c.start,
            walk.c.day,
            walk.c.org,
            func.min(walk.c.depth).label("depth"),
            func.max(walk.c.sure).label("sure"),
        )
        .group_by(walk.c.start, walk.c.day, walk.c.org)
        .subquery("best")
    )
    org = Organization.__table__
    return select(
        best.c.start,
        best.c.day,
        best.c.org,
        best.c.depth,
        best.c.sure,
        org.c.external_id,
        org.c.name,
        org.c.classification,
    ).join_from(best, org, org.c.id == best.c.org)


def reach(
    session: Session, units: Sequence[str], days: Sequence[date], upward: bool = True
) -> list[Reached]:
    """Every organization reachable from each unit (by external id) on each day through links
    in force that day. Upward follows child → parent, downward parent → child. Each unit is
    itself reached at depth 0, surely, on every day."""
    out: list[Reached] = []
    days = list(dict.fromkeys(days))
    for i in range(0, len(days), MAX_DAYS_PER_QUERY):
        part = days[i : i + MAX_DAYS_PER_QUERY]
        params: dict[str, Any] = {"units": list(units)}
        params.update({f"day_{j}": day for j, day in enumerate(part)})
        for row in session.execute(_reach_statement(len(part), upward), params):
            out.append(
                Reached(
                    row.start,
                    row.day,
                    row.org,
                    int(row.depth),
                    bool(row.sure),
                    row.external_id,
                    row.name,
                    row.classification,
                )
            )
    return out


@dataclass
class Fact:
    """A link (composition) or a post (membership) near an organization, with day bounds."""

    kind: str  # "link" | "post"
    id: int
    near: int  # the organization it hangs from: the child (upward) or parent (downward), or
    # the unit of the post
    other: str  # the far organization's or the person's external id
    label: str | None  # a link's classification, a post's role
    title: str | None
    rank: str | None
    person_name: str | None
    bounds: Bounds
    written: dict[str, str | None]
    confidence: str | None
    citations: list[dict[str, Any]] = field(default_factory=list)


_FACT_COLUMNS = (
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
    "cite_id",
    "source",
    "locator",
    "citation_confidence",
)


@cache
def _facts_statement(upward: bool, with_citations: bool) -> Select[Any]:
    """Links and commander posts near ``:ids`` that may hold from ``:first`` to ``:last``."""
    first = bindparam("first", type_=Date)
    last = bindparam("last", type_=Date)
    ids = bindparam("ids", expanding=True)
    comp = Composition.__table__
    mem = Membership.__table__
    far_org = Organization.__table__.alias("far_org")
    person = Person.__table__
    near_col, far_col = (
        (comp.c.child_id, comp.c.parent_id)
        if upward
        else (
            comp.c.parent_id,
            comp.c.child_id,
        )
    )

    def dated(table: Any) -> list[Any]:
        return [
            table.c.start_date,
            table.c.end_date,
            table.c.first_cited,
            table.c.last_cited,
            table.c.sure_start,
            table.c.sure_end,
            table.c.possible_start,
            table.c.possible_end,
            table.c.confidence,
        ]

    def cited(query: Select[Any], table: Any, claim: str) -> Select[Any]:
        if not with_citations:
            return query.add_columns(
                cast(null(), Integer).label("cite_id"),
                cast(null(), String).label("source"),
                cast(null(), String).label("locator"),
                cast(null(), String).label("cconf"),
            )
        cite = Citation.__table__.alias(f"cite_{claim}")
        src = Source.__table__.alias(f"src_{claim}")
        return (
            query.add_columns(cite.c.id, src.c.name, cite.c.locator, cite.c.confidence)
            .outerjoin(
                cite,
                and_(
                    cite.c.claim_table == claim,
                    cite.c.claim_id == cast(table.c.id, String),
                ),
            )
            .outerjoin(src, src.c.id == cite.c.source_id)
        )

    links = cited(
        select(
            literal("link").label("kind"),
            comp.c.id,
            near_col.label("near"),
            far_org.c.external_id.label("other"),
            comp.c.classification.label("label"),
            cast(null(), String).label("title"),
            cast(null(), String).label("rank"),
            cast(null(), String).label("person_name"),
            *dated(comp),
        )
        .join_from(comp, far_org, far_org.c.id == far_col)
        .where(near_col.in_(ids), possibly_within(comp.c, first, last)),
        comp,
        "command_compositions",
    )
    posts = cited(
        select(
            literal("post").label("kind"),
            mem.c.id,
            mem.c.organization_id.label("near"),
            person.c.external_id.label("other"),
            mem.c.role.label("label"),
            mem.c.title,
            mem.c.rank,
            person.c.display_name.label("person_name"),
            *dated(mem),
        )
        .join_from(mem, person, person.c.id == mem.c.person_id)
        .where(
            mem.c.organization_id.in_(ids),
            mem.c.role == "commander",
            possibly_within(mem.c, first, last),
        ),
        mem,
        "command_memberships",
    )
    return union_all(links, posts)  # type: ignore[return-value]


def facts(
    session: Session,
    org_ids: Iterable[int],
    first: date,
    last: date,
    upward: bool = True,
    with_citations: bool = True,
) -> list[Fact]:
    """Links near ``org_ids`` (as child when upward, as parent when downward) and commander
    posts in them that hold or may hold on some day from ``first`` to ``last``."""
    found: dict[tuple[str, int], Fact] = {}
    cites: dict[tuple[str, int], list[tuple[int, dict[str, Any]]]] = {}
    statement = _facts_statement(upward, with_citations)
    items = sorted(set(org_ids))
    for i in range(0, len(items), _CHUNK):
        params = {"ids": items[i : i + _CHUNK], "first": first, "last": last}
        for row in session.execute(statement, params):
            r = dict(zip(_FACT_COLUMNS, row, strict=True))
            key = (r["kind"], r["id"])
            fact = found.get(key)
            if fact is None:
                fact = found[key] = Fact(
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
                    written={
                        k: r[k] for k in ("start_date", "end_date", "first_cited", "last_cited")
                    },
                    confidence=r["confidence"],
                )
            if r["source"] is not None:
                cites.setdefault(key, []).append(
                    (
                        r["cite_id"],
                        {
                            "source": r["source"],
                            "locator": r["locator"],
                            "confidence": r["citation_confidence"],
                        },
                    )
                )
    for key, items in cites.items():
        found[key].citations = [cite for _, cite in sorted(items, key=lambda x: x[0])]
    return sorted(found.values(), key=lambda f: (f.kind, f.other, f.id))


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
