"""The chain of command above a unit on a day, and the units below it (FORMATS.md §4)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from sijill.command import traverse
from sijill.command.traverse import Fact, Reached
from sijill.errors import NotFound


def _split(items: list[tuple[str, bool]]) -> tuple[list[str], list[str]]:
    """Sorted sure ids, and sorted ids that only possibly hold (not also surely)."""
    sure = {i for i, s in items if s}
    possible = {i for i, s in items if not s} - sure
    return sorted(sure), sorted(possible)


def levels_on(
    reached: list[Reached], facts: list[Fact], day: date, upward: bool, with_citations: bool
) -> list[dict[str, Any]]:
    """The levels of one walk on one day, from the reached units and the facts near them."""
    related: dict[int, list[tuple[str, bool, Fact]]] = defaultdict(list)
    commanders: dict[int, list[tuple[str, bool, Fact]]] = defaultdict(list)
    for fact in facts:
        if fact.bounds.possibly_on(day):
            target = related if fact.kind == "link" else commanders
            target[fact.near].append((fact.other, fact.bounds.surely_on(day), fact))
    near_key, far_key = (
        ("parents", "possible_parents")
        if upward
        else (
            "children",
            "possible_children",
        )
    )
    out = []
    for r in sorted(reached, key=lambda r: (r.depth, r.external_id)):
        sure_rel, possible_rel = _split([(i, s) for i, s, _ in related[r.org]])
        sure_cmd, possible_cmd = _split([(i, s) for i, s, _ in commanders[r.org]])
        level: dict[str, Any] = {
            "depth": r.depth,
            "organization_id": r.external_id,
            "name": r.name,
            "classification": r.classification,
            near_key: sure_rel,
            far_key: possible_rel,
            "commanders": sure_cmd,
            "possible_commanders": possible_cmd,
            "possible": not r.sure,
        }
        if with_citations:
            far_id = "parent_id" if upward else "child_id"
            level["citations"] = [
                {"claim": "composition", far_id: other, "certain": sure, **cite}
                for other, sure, fact in related[r.org]
                for cite in fact.citations
            ] + [
                {"claim": "membership", "person_id": other, "certain": sure, **cite}
                for other, sure, fact in commanders[r.org]
                for cite in fact.citations
            ]
        out.append(level)
    return out


def _walk(
    session: Session, unit: str, at: date, upward: bool, with_citations: bool
) -> dict[str, Any]:
    reached, facts = traverse.walk(session, [unit], [at], upward, with_citations)
    if not reached:
        raise NotFound(f"no organization with id {unit!r}")
    levels = levels_on(reached, facts, at, upward, with_citations)
    doc: dict[str, Any] = {"unit": levels[0]["organization_id"], "at": at.isoformat()}
    doc["levels"] = levels
    if doc["unit"] != unit:
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
