"""Consistency checks of a stored command structure.

* two commanders of one unit at once;
* two superiors of one unit at once through links of the same kind (two ``command`` parents;
  FORMATS allows parents of different kinds at once, say an administrative and an operational);
* a commander whose unit does not exist on those dates (when the unit's founding or dissolution
  date is known);
* a composition cycle (a unit above itself) whose links may hold on a common day;
* a commander's rank that does not fit the unit's level (a small, replaceable table).

Each problem says whether it is ``certain`` (the sure dates already conflict) or ``possible``
(only the imprecise dates allow a conflict).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Integer, String, and_, cast, literal, or_, select
from sqlalchemy.orm import Session, aliased

from sijill.command.dates import Bounds, fact_bounds
from sijill.command.models import Composition, Membership, Organization, Succession
from sijill.command.traverse import MAX_DEPTH
from sijill.store.models import Person

# Ranks that fit the commander of a unit of each classification. Ranks not listed anywhere are
# not judged (titles such as "sheikh" or a faction's own ranks).
DEFAULT_RANK_TABLE: dict[str, list[str]] = {
    "army": ["general", "lieutenant general", "major general"],
    "corps": ["general", "lieutenant general", "major general"],
    "division": ["lieutenant general", "major general", "brigadier general", "brigadier"],
    "brigade": ["major general", "brigadier general", "brigadier", "colonel"],
    "regiment": ["brigadier", "colonel", "lieutenant colonel"],
    "battalion": ["colonel", "lieutenant colonel", "major"],
    "company": ["major", "captain", "first lieutenant"],
    "platoon": ["captain", "first lieutenant", "lieutenant", "second lieutenant", "sergeant"],
}


def _overlap(
    a_start: date | None, a_end: date | None, b_start: date | None, b_end: date | None
) -> bool:
    if a_start is not None and a_end is not None and a_start > a_end:
        return False
    if b_start is not None and b_end is not None and b_start > b_end:
        return False
    return (a_start is None or b_end is None or a_start <= b_end) and (
        b_start is None or a_end is None or b_start <= a_end
    )


def _sure_overlap(a: Bounds, b: Bounds) -> bool:
    return _overlap(a.sure_start, a.sure_end, b.sure_start, b.sure_end)


def _bounds(row: Any) -> Bounds:
    return Bounds(row.sure_start, row.sure_end, row.possible_start, row.possible_end)


def overlapping_commanders(session: Session) -> list[dict[str, Any]]:
    """Two different persons commanding one unit on a common day."""
    m1, m2 = aliased(Membership), aliased(Membership)
    p1, p2 = aliased(Person), aliased(Person)
    query = (
        select(m1, m2, Organization.external_id, p1.external_id, p2.external_id)
        .join(m2, and_(m2.organization_id == m1.organization_id, m2.id > m1.id))
        .join(Organization, Organization.id == m1.organization_id)
        .join(p1, p1.id == m1.person_id)
        .join(p2, p2.id == m2.person_id)
        .where(
            m1.role == "commander",
            m2.role == "commander",
            m1.person_id != m2.person_id,
            or_(
                m1.possible_start.is_(None),
                m2.possible_end.is_(None),
                m1.possible_start <= m2.possible_end,
            ),
            or_(
                m2.possible_start.is_(None),
                m1.possible_end.is_(None),
                m2.possible_start <= m1.possible_end,
            ),
        )
    )
    out = []
    for a, b, org, pa, pb in session.execute(query):
        certain = _sure_overlap(_bounds(a), _bounds(b))
        out.append(
            {
                "check": "overlapping_commanders",
                "certainty": "certain" if certain else "possible",
                "organization_id": org,
                "persons": [pa, pb],
                "message": f"{pa} and {pb} both command {org} on some day"
                + ("" if certain else " (only if the imprecise dates allow it)"),
            }
        )
    return out


def superiors_at_once(session: Session) -> list[dict[str, Any]]:
    """Every unit with two different parents on a common day, each pair once, with the kind
    (classification) of each link: ``same_kind`` tells a conflict (two command parents) from
    what the format allows (say, an administrative and an operational parent)."""
    c1, c2 = aliased(Composition), aliased(Composition)
    o1, o2 = aliased(Organization), aliased(Organization)
    query = (
        select(c1, c2, Organization.external_id, o1.external_id, o2.external_id)
        .join(c2, and_(c2.child_id == c1.child_id, c2.id > c1.id))
        .join(Organization, Organization.id == c1.child_id)
        .join(o1, o1.id == c1.parent_id)
        .join(o2, o2.id == c2.parent_id)
        .where(
            c1.parent_id != c2.parent_id,
            or_(
                c1.possible_start.is_(None),
                c2.possible_end.is_(None),
                c1.possible_start <= c2.possible_end,
            ),
            or_(
                c2.possible_start.is_(None),
                c1.possible_end.is_(None),
                c2.possible_start <= c1.possible_end,
            ),
        )
    )
    out = []
    for a, b, org, pa, pb in session.execute(query):
        certain = _sure_overlap(_bounds(a), _bounds(b))
        kinds = (
            f"{a.classification}"
            if a.classification == b.classification
            else (f"{a.classification} and {b.classification}")
        )
        out.append(
            {
                "check": "overlapping_superiors",
                "certainty": "certain" if certain else "possible",
                "organization_id": org,
                "parents": [pa, pb],
                "classifications": [a.classification, b.classification],
                "same_kind": a.classification == b.classification,
                "message": f"{org} is under both {pa} and {pb} ({kinds}) on some day"
                + ("" if certain else " (only if the imprecise dates allow it)"),
            }
        )
    return out


def overlapping_superiors(session: Session) -> list[dict[str, Any]]:
    """Two different parents of one unit through links of the same kind on a common day."""
    return [p for p in superiors_at_once(session) if p.pop("same_kind")]


def several_superiors(session: Session) -> list[dict[str, Any]]:
    """Units under parents of different kinds at once: allowed, listed for a person to see
    who was in command on those days (not counted as problems)."""
    return [
        {**p, "check": "several_superiors"}
        for p in superiors_at_once(session)
        if not p.pop("same_kind")
    ]


def _endings(session: Session) -> dict[int, str]:
    """The day each unit ended as written: its dissolution date, else the date it was absorbed
    into (or renamed as) another unit — the earliest such succession."""
    ends: dict[int, tuple[date, str]] = {}
    for s in session.scalars(select(Succession).where(Succession.start_date.is_not(None))):
        day = s.possible_start or s.sure_start
        if day is not None and (s.predecessor_id not in ends or day < ends[s.predecessor_id][0]):
            ends[s.predecessor_id] = (day, s.start_date or "")
    return {org: written for org, (_, written) in ends.items()}


def posts_outside_existence(session: Session) -> list[dict[str, Any]]:
    """Commander posts surely held on days their unit did not (certain) or may not (possible)
    exist, by its founding and dissolution dates or its absorption into another unit."""
    endings = _endings(session)
    rows = session.execute(
        select(Membership, Organization, Person.external_id)
        .join(Organization, Organization.id == Membership.organization_id)
        .join(Person, Person.id == Membership.person_id)
        .where(Membership.role == "commander")
    )
    out = []
    for m, org, person in rows:
        ended = org.dissolution_date or endings.get(org.id)
        if not org.founding_date and not ended:
            continue
        exists = fact_bounds(org.founding_date, ended)
        post = _bounds(m)
        if post.sure_start and post.sure_end and post.sure_start > post.sure_end:
            continue  # never surely held: the imprecise dates alone prove nothing
        window = (post.sure_start, post.sure_end)
        certain = not _inside(*window, exists.possible_start, exists.possible_end)
        possible = not _inside(*window, exists.sure_start, exists.sure_end)
        if certain or possible:
            out.append(
                {
                    "check": "post_outside_unit_existence",
                    "certainty": "certain" if certain else "possible",
                    "organization_id": org.external_id,
                    "persons": [person],
                    "message": f"{person} commands {org.external_id} on days it "
                    f"{'did not' if certain else 'may not'} exist "
                    f"(founded {org.founding_date or '?'}, ended {ended or '-'})",
                }
            )
    return out


def _inside(
    start: date | None, end: date | None, outer_start: date | None, outer_end: date | None
) -> bool:
    starts_ok = outer_start is None or (start is not None and start >= outer_start)
    ends_ok = outer_end is None or (end is not None and end <= outer_end)
    return starts_ok and ends_ok


def composition_cycles(session: Session) -> list[dict[str, Any]]:
    """Units above themselves through compositions that may all hold on a common day."""
    link = Composition.__table__.alias("link")
    sep = literal("/")
    anchor = select(
        link.c.child_id.label("origin"),
        link.c.parent_id.label("org"),
        cast(
            sep + cast(link.c.child_id, String) + sep + cast(link.c.parent_id, String) + sep, String
        ).label("path"),
        cast(literal(1), Integer).label("depth"),
    ).where(link.c.child_id != link.c.parent_id)
    walk = anchor.cte("cyc", recursive=True)
    step_link = Composition.__table__.alias("step")
    step = select(
        walk.c.origin,
        step_link.c.parent_id,
        cast(walk.c.path + cast(step_link.c.parent_id, String) + sep, String),
        cast(walk.c.depth + 1, Integer),
    ).where(
        step_link.c.child_id == walk.c.org,
        walk.c.org != walk.c.origin,
        walk.c.depth < MAX_DEPTH,
        or_(
            step_link.c.parent_id == walk.c.origin,
            ~walk.c.path.contains(sep + cast(step_link.c.parent_id, String) + sep),
        ),
    )
    walk = walk.union_all(step)
    paths = session.execute(select(walk.c.path).where(walk.c.org == walk.c.origin)).scalars()
    cycles: dict[tuple[int, ...], list[int]] = {}
    self_loops = session.execute(
        select(link.c.child_id).where(link.c.child_id == link.c.parent_id)
    ).scalars()
    for node in self_loops:
        cycles[(node,)] = [node, node]
    for path in paths:
        nodes = [int(x) for x in path.strip("/").split("/")]
        ring = nodes[:-1]
        pivot = ring.index(min(ring))
        canonical = tuple(ring[pivot:] + ring[:pivot])
        cycles.setdefault(canonical, list(canonical) + [canonical[0]])
    if not cycles:
        return []
    edges: dict[tuple[int, int], list[Bounds]] = defaultdict(list)
    for c in session.scalars(select(Composition)):
        edges[(c.child_id, c.parent_id)].append(_bounds(c))
    ext = dict(session.execute(select(Organization.id, Organization.external_id)).all())
    out = []
    for nodes in cycles.values():
        steps = [edges[(a, b)] for a, b in zip(nodes, nodes[1:], strict=False)]
        certainty = _common_day(steps)
        if certainty is None:
            continue
        names = [ext[n] for n in nodes]
        out.append(
            {
                "check": "composition_cycle",
                "certainty": certainty,
                "organization_id": names[0],
                "cycle": names,
                "message": "composition cycle: " + " -> ".join(names),
            }
        )
    return out


def _common_day(steps: Sequence[list[Bounds]]) -> str | None:
    """'certain' if every step surely holds on a common day, 'possible' if possibly; else None."""

    def meet(pick: str) -> bool:
        lo: date | None = None
        hi: date | None = None
        for options in steps:
            s_lo, s_hi = _envelope(options, pick)
            if s_lo is False:
                return False
            lo = s_lo if lo is None or (s_lo is not None and s_lo > lo) else lo
            hi = s_hi if hi is None or (s_hi is not None and s_hi < hi) else hi
        return lo is None or hi is None or lo <= hi

    if meet("sure"):
        return "certain"
    if meet("possible"):
        return "possible"
    return None


def _envelope(options: list[Bounds], pick: str) -> tuple[Any, Any]:
    """The earliest start and latest end over a step's facts (False when none holds ever)."""
    spans = []
    for b in options:
        start, end = (
            (b.sure_start, b.sure_end) if pick == "sure" else (b.possible_start, b.possible_end)
        )
        if start is not None and end is not None and start > end:
            continue
        spans.append((start, end))
    if not spans:
        return False, False
    starts = [s for s, _ in spans if s is not None]
    ends = [e for _, e in spans if e is not None]
    lo = min(starts) if len(starts) == len(spans) else None
    hi = max(ends) if len(ends) == len(spans) else None
    return lo, hi


def ranks_misfit(session: Session, table: Mapping[str, Sequence[str]]) -> list[dict[str, Any]]:
    """Commanders whose rank, known to the table, is not one the table allows for the unit."""
    allowed = {k.lower(): {r.lower() for r in v} for k, v in table.items()}
    known = set().union(*allowed.values()) if allowed else set()
    rows = session.execute(
        select(
            Membership.rank,
            Organization.external_id,
            Organization.classification,
            Person.external_id,
        )
        .join(Organization, Organization.id == Membership.organization_id)
        .join(Person, Person.id == Membership.person_id)
        .where(Membership.role == "commander", Membership.rank.is_not(None))
    )
    out = []
    for rank, org, classification, person in rows:
        level = (classification or "").lower()
        r = (rank or "").strip().lower()
        if level in allowed and r in known and r not in allowed[level]:
            out.append(
                {
                    "check": "rank_misfit",
                    "certainty": "certain",
                    "organization_id": org,
                    "persons": [person],
                    "message": f"{person}, {rank}, commands {org}, a {classification}; "
                    f"the table expects {', '.join(sorted(allowed[level]))}",
                }
            )
    return out


def check_structure(
    session: Session, rank_table: Mapping[str, Sequence[str]] | None = None
) -> list[dict[str, Any]]:
    """Every problem the checks find, certain ones first."""
    found = (
        overlapping_commanders(session)
        + overlapping_superiors(session)
        + posts_outside_existence(session)
        + composition_cycles(session)
        + ranks_misfit(session, rank_table if rank_table is not None else DEFAULT_RANK_TABLE)
    )
    return sorted(
        found, key=lambda p: (p["certainty"] != "certain", p["check"], p["organization_id"])
    )
