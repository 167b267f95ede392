"""The chain of command above a unit on a day, and the units below it (FORMATS.md §4)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from sijill.command import resolve, traverse
from sijill.command.traverse import Link, Post, Reached


def _split(items: list[tuple[str, bool]]) -> tuple[list[str], list[str]]:
    """Sorted sure ids, and sorted ids that only possibly hold (not also surely)."""
    sure = {i for i, s in items if s}
    possible = {i for i, s in items if not s} - sure
    return sorted(sure), sorted(possible)


def _levels(
    session: Session,
    reached: list[Reached],
    links: list[Link],
    posts: list[Post],
    day: date,
    upward: bool,
    with_citations: bool,
) -> list[dict[str, Any]]:
    orgs = traverse.external_ids(session, [r.org for r in reached])
    ext = {i: o.external_id for i, o in orgs.items()}
    related: dict[int, list[tuple[str, bool, Link]]] = defaultdict(list)
    for link in links:
        if not link.bounds.possibly_on(day):
            continue
        near, far = (link.child, link.parent) if upward else (link.parent, link.child)
        if far in ext:
            related[near].append((ext[far], link.bounds.surely_on(day), link))
    commanders: dict[int, list[tuple[str, bool, Post]]] = defaultdict(list)
    for post in posts:
        if post.bounds.possibly_on(day):
            commanders[post.org].append((post.person_ext, post.bounds.surely_on(day), post))
    link_cites: dict[int, list[dict[str, Any]]] = {}
    post_cites: dict[int, list[dict[str, Any]]] = {}
    if with_citations:
        link_cites = traverse.citations(
            session, "command_compositions", [x[2].id for v in related.values() for x in v]
        )
        post_cites = traverse.citations(
            session, "command_memberships", [x[2].id for v in commanders.values() for x in v]
        )
    near_key, far_key = (
        ("parents", "possible_parents")
        if upward
        else (
            "children",
            "possible_children",
        )
    )
    levels = []
    for r in sorted(reached, key=lambda r: (r.depth, ext[r.org])):
        org = orgs[r.org]
        sure_rel, possible_rel = _split([(i, s) for i, s, _ in related[r.org]])
        sure_cmd, possible_cmd = _split([(i, s) for i, s, _ in commanders[r.org]])
        level: dict[str, Any] = {
            "depth": r.depth,
            "organization_id": org.external_id,
            "name": org.name,
            "classification": org.classification,
            near_key: sure_rel,
            far_key: possible_rel,
            "commanders": sure_cmd,
            "possible_commanders": possible_cmd,
            "possible": not r.sure,
        }
        if with_citations:
            level["citations"] = [
                {
                    "claim": "composition",
                    ("parent_id" if upward else "child_id"): far,
                    "certain": sure,
                    **cite,
                }
                for far, sure, link in sorted(related[r.org], key=lambda x: x[0])
                for cite in link_cites.get(link.id, [])
            ] + [
                {"claim": "membership", "person_id": person, "certain": sure, **cite}
                for person, sure, post in sorted(commanders[r.org], key=lambda x: x[0])
                for cite in post_cites.get(post.id, [])
            ]
        levels.append(level)
    return levels


def _walk(
    session: Session, unit: str, at: date, upward: bool, with_citations: bool
) -> dict[str, Any]:
    org = resolve.organization(session, unit)
    reached = traverse.reach(session, [org.id], [at], upward=upward)
    ids = [r.org for r in reached]
    links = traverse.links_of(session, ids, at, at, upward=upward)
    posts = traverse.posts_of(session, ids, at, at)
    levels = _levels(session, reached, links, posts, at, upward, with_citations)
    doc: dict[str, Any] = {"unit": org.external_id, "at": at.isoformat(), "levels": levels}
    if org.external_id != unit:
        doc["requested"] = unit
    return doc


def chain(session: Session, unit: str, at: date, with_citations: bool = True) -> dict[str, Any]:
    """The chain above ``unit`` on day ``at``: every organization reachable upward through
    compositions in force that day (depth 0 is the unit), each with its parents and its
    commanders, sure and possible apart."""
    return _walk(session, unit, at, upward=True, with_citations=with_citations)


def subordinates(
    session: Session, unit: str, at: date, with_citations: bool = False
) -> dict[str, Any]:
    """The units below ``unit`` on day ``at``: each with its children and commanders."""
    return _walk(session, unit, at, upward=False, with_citations=with_citations)
