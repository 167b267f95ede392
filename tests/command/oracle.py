"""A reference implementation of FORMATS.md §4 chain semantics, in plain Python.

Written apart from ``sijill.command``: it reads the structure document directly, decides for
each fact and day whether it surely, possibly or not holds straight from the written dates, and
walks the graph breadth-first. Tests compare the SQL answers with it.
"""

from __future__ import annotations

from collections import defaultdict, deque
from datetime import date, timedelta
from typing import Any


def _first_last(text: str | None) -> tuple[date, date] | None:
    if not text:
        return None
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 3:
        d = date(*parts)
        return d, d
    if len(parts) == 2:
        y, m = parts
        nxt = date(y + 1, 1, 1) if m == 12 else date(y, m + 1, 1)
        return date(y, m, 1), nxt - timedelta(days=1)
    return date(parts[0], 1, 1), date(parts[0], 12, 31)


def status(fact: dict[str, Any], day: date) -> str | None:
    """'sure', 'possible' or None for ``fact`` on ``day``."""
    s = _first_last(fact.get("start_date"))
    e = _first_last(fact.get("end_date"))
    fc = _first_last(fact.get("first_cited"))
    lc = _first_last(fact.get("last_cited"))
    sure = True
    # Start side.
    if s is not None:
        earliest = s[0] if fc is None else min(s[0], fc[0])
        if day < earliest:
            return None
        if day < (s[1] if fc is None else min(s[1], fc[1])):
            sure = False
    elif fc is not None:
        if day < fc[1]:
            sure = False
    elif lc is not None:
        if day < lc[1]:
            sure = False
    # End side.
    if e is not None:
        latest = e[1] if lc is None else max(e[1], lc[1])
        if day > latest:
            return None
        if day > (e[0] if lc is None else max(e[0], lc[0])):
            sure = False
    elif lc is not None:
        if day > lc[0]:
            sure = False
    return "sure" if sure else "possible"


def chain(doc: dict[str, Any], unit: str, day: date) -> dict[str, Any]:
    """The chain document FORMATS.md §4 describes, for ``unit`` on ``day``."""
    up: dict[str, dict[str, str]] = defaultdict(dict)  # child -> parent -> best status
    for c in doc.get("compositions", []):
        st = status(c, day)
        if st is None:
            continue
        prev = up[c["child_id"]].get(c["parent_id"])
        if prev != "sure":
            up[c["child_id"]][c["parent_id"]] = st
    commanders: dict[str, dict[str, str]] = defaultdict(dict)
    for m in doc.get("memberships", []):
        if m.get("role") != "commander":
            continue
        st = status(m, day)
        if st is None:
            continue
        if commanders[m["organization_id"]].get(m["person_id"]) != "sure":
            commanders[m["organization_id"]][m["person_id"]] = st

    depth = {unit: 0}
    queue = deque([unit])
    while queue:
        node = queue.popleft()
        for parent in up[node]:
            if parent not in depth:
                depth[parent] = depth[node] + 1
                queue.append(parent)
    surely = {unit}
    queue = deque([unit])
    while queue:
        node = queue.popleft()
        for parent, st in up[node].items():
            if st == "sure" and parent not in surely:
                surely.add(parent)
                queue.append(parent)

    levels = []
    for org in sorted(depth, key=lambda o: (depth[o], o)):
        levels.append(
            {
                "depth": depth[org],
                "organization_id": org,
                "parents": sorted(p for p, st in up[org].items() if st == "sure"),
                "possible_parents": sorted(p for p, st in up[org].items() if st == "possible"),
                "commanders": sorted(p for p, st in commanders[org].items() if st == "sure"),
                "possible_commanders": sorted(
                    p for p, st in commanders[org].items() if st == "possible"
                ),
                "possible": org not in surely,
            }
        )
    return {"unit": unit, "at": day.isoformat(), "levels": levels}


KEYS = (
    "depth",
    "organization_id",
    "parents",
    "possible_parents",
    "commanders",
    "possible_commanders",
    "possible",
)


def comparable(doc: dict[str, Any]) -> dict[str, Any]:
    """The keys FORMATS.md §4 fixes, for comparing two chain documents."""
    return {
        "unit": doc["unit"],
        "at": doc["at"],
        "levels": [{k: level[k] for k in KEYS} for level in doc["levels"]],
    }
