"""Random, visibly synthetic command structures for tests and benchmarks.

Units sit in levels (ministry, corps, division, brigade, battalion); each is placed under a unit
of the level above over a sequence of dated spans (reassignments), some also under a second,
operational parent; commanders follow one another with dates of mixed precision (day, month,
year), some known only by first and last citation, some still in office. Names say "synthetic".
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

LEVELS = ("ministry", "corps", "division", "brigade", "battalion")
_EPOCH = date(2022, 1, 1)
_HORIZON_DAYS = 4 * 365


def _write(day: date, rng: random.Random, precision_mix: tuple[float, float]) -> str:
    """A day written at a random precision (day, month or year)."""
    roll = rng.random()
    if roll < precision_mix[0]:
        return day.isoformat()
    if roll < precision_mix[0] + precision_mix[1]:
        return day.strftime("%Y-%m")
    return str(day.year)


def _spans(rng: random.Random, count: int) -> list[tuple[date, date | None]]:
    """``count`` consecutive spans over the horizon; the last may be open."""
    cuts = sorted(rng.sample(range(30, _HORIZON_DAYS - 30), max(count - 1, 0)))
    starts = [rng.randint(0, 60)] + cuts
    out: list[tuple[date, date | None]] = []
    for i, s in enumerate(starts):
        end = starts[i + 1] - 1 + rng.randint(-5, 5) if i + 1 < len(starts) else None
        start_day = _EPOCH + timedelta(days=s)
        end_day = None if end is None else _EPOCH + timedelta(days=max(end, s))
        if end_day is None and rng.random() < 0.3:
            end_day = start_day + timedelta(days=rng.randint(30, 900))
        out.append((start_day, end_day))
    return out


def _dated(
    rng: random.Random, start: date, end: date | None, precision_mix: tuple[float, float]
) -> dict[str, str]:
    """Written dates for a fact from ``start`` to ``end``: real dates or citation dates."""
    if rng.random() < 0.2:  # known only from the sources that saw it
        seen_to = end or (start + timedelta(days=rng.randint(10, 400)))
        first = start + timedelta(days=rng.randint(0, 20))
        last = max(first, seen_to - timedelta(days=rng.randint(0, 20)))
        out = {"first_cited": _write(first, rng, precision_mix)}
        out["last_cited"] = _write(last, rng, precision_mix)
        if rng.random() < 0.3:
            out["start_date"] = _write(start, rng, precision_mix)
        return out
    return {
        "start_date": _write(start, rng, precision_mix),
        "end_date": "" if end is None else _write(end, rng, precision_mix),
    }


def generate_structure(
    units: int,
    seed: int = 0,
    members_per_unit: int = 2,
    second_parent_rate: float = 0.1,
    cycle_rate: float = 0.0,
    precision_mix: tuple[float, float] = (0.6, 0.3),
) -> dict[str, Any]:
    """A structure document (FORMATS.md §3) with ``units`` organizations."""
    rng = random.Random(seed)
    per_level = [1]
    while sum(per_level) < units:
        per_level.append(min(per_level[-1] * rng.randint(3, 6), units - sum(per_level)))
    organizations: list[dict[str, Any]] = []
    by_level: list[list[str]] = []
    for depth, count in enumerate(per_level):
        kind = LEVELS[min(depth, len(LEVELS) - 1)]
        ids = [f"u-{len(organizations) + i}" for i in range(count)]
        by_level.append(ids)
        for uid in ids:
            organizations.append(
                {
                    "id": uid,
                    "name": f"Synthetic {kind} {uid}",
                    "classification": kind,
                    "aliases": [],
                }
            )
    compositions: list[dict[str, Any]] = []
    for depth in range(1, len(by_level)):
        above = by_level[depth - 1]
        for uid in by_level[depth]:
            for start, end in _spans(rng, rng.choice((1, 1, 2, 3))):
                compositions.append(
                    {"parent_id": rng.choice(above), "child_id": uid}
                    | _dated(rng, start, end, precision_mix)
                )
            if rng.random() < second_parent_rate:
                start, end = _spans(rng, 1)[0]
                pool = above if depth < 2 or rng.random() < 0.5 else by_level[depth - 2]
                compositions.append(
                    {
                        "parent_id": rng.choice(pool),
                        "child_id": uid,
                        "classification": "operational",
                    }
                    | _dated(rng, start, end, precision_mix)
                )
            if depth + 1 < len(by_level) and rng.random() < cycle_rate:
                start, end = _spans(rng, 1)[0]
                compositions.append(
                    {"parent_id": rng.choice(by_level[depth + 1]), "child_id": uid}
                    | _dated(rng, start, end, precision_mix)
                )
    persons: list[dict[str, Any]] = []
    memberships: list[dict[str, Any]] = []
    for org in organizations:
        for start, end in _spans(rng, max(1, members_per_unit)):
            pid = f"p-{len(persons)}"
            persons.append({"id": pid, "name": f"Synthetic Person {len(persons)}", "aliases": []})
            memberships.append(
                {
                    "person_id": pid,
                    "organization_id": org["id"],
                    "role": "commander" if rng.random() < 0.8 else rng.choice(("deputy", "member")),
                    "rank": rng.choice(("colonel", "major", "brigadier general", "")),
                }
                | _dated(rng, start, end, precision_mix)
            )
    return {
        "organizations": organizations,
        "persons": persons,
        "memberships": memberships,
        "compositions": compositions,
        "areas": [],
        "incidents": [],
    }
