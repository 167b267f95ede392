"""Capture histories from the case: each person's pattern of appearing on the lists, after linkage.

A person (``Record.person_id``, followed through ``Person.merged_into_id``) is on a list when one
of their records comes from a source of that list. Sources that are not independent are merged
into one list: by default a source declared a version of another (``Source.version_of_id``) or
derived from others (``Source.derived_from``) joins their list; ``merge`` adds groups by name.
Records not linked to a person, and aggregate records (``count`` above 1), are skipped and
counted in the notes.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from sijill.errors import SijillError
from sijill.estimate.histories import ALL_STRATA, CaptureData, table_from_patterns
from sijill.store.merges import survivor
from sijill.store.models import Person, Record, Source

STRATA = ("governorate", "district", "sex", "age-group", "civilian-status", "status")


def age_group(age_min: int | None, age_max: int | None) -> str | None:
    """child (under 18), adult (18–59), elderly (60+) when the age range falls in one group."""
    if age_min is None and age_max is None:
        return None
    lo = age_min if age_min is not None else age_max
    hi = age_max if age_max is not None else age_min
    assert lo is not None and hi is not None
    for name, start, end in (("child", 0, 17), ("adult", 18, 59), ("elderly", 60, 200)):
        if start <= lo and hi <= end:
            return name
    return None


def _stratum_value(record: Record, stratum: str) -> str | None:
    if stratum == "age-group":
        return age_group(record.age_min, record.age_max)
    value = getattr(record, stratum.replace("-", "_"))
    return str(value).strip() or None if value is not None else None


class _Groups:
    """Union–find over source ids."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def capture_data_from_case(
    session: Session,
    *,
    lists: Sequence[str] | None = None,
    merge: Sequence[Sequence[str]] = (),
    merge_dependent: bool = True,
    stratum: str | None = None,
) -> tuple[CaptureData, list[str]]:
    """Build capture histories from linked records; return them with notes for the user."""
    if stratum is not None and stratum not in STRATA:
        raise SijillError(f"unknown stratum {stratum!r}: use one of {', '.join(STRATA)}")
    sources = {s.id: s for s in session.scalars(select(Source)).all()}
    by_name = {s.name: s for s in sources.values()}

    def source_named(name: str) -> Source:
        if name not in by_name:
            known = ", ".join(sorted(by_name)) or "none"
            raise SijillError(f"no source named {name!r} in the case (sources: {known})")
        return by_name[name]

    if lists:
        chosen = {source_named(n).id for n in lists}
    else:  # every source with a record linked to a person (reports, videos, empty lists are not)
        chosen = set(
            session.scalars(
                select(Record.source_id).where(Record.person_id.is_not(None)).distinct()
            )
        )
    groups = _Groups()
    for sid in sources:
        groups.find(sid)
    if merge_dependent:
        for s in sources.values():
            if s.version_of_id is not None:
                groups.union(s.id, s.version_of_id)
            for other in s.derived_from or []:
                if int(other) in sources:
                    groups.union(s.id, int(other))
    for group in merge:
        ids = [source_named(n).id for n in group]
        for other in ids[1:]:
            groups.union(ids[0], other)
    members: dict[int, list[int]] = defaultdict(list)
    for sid in sorted(chosen):
        members[groups.find(sid)].append(sid)
    list_roots = sorted(members)
    if len(list_roots) < 2:
        raise SijillError(
            f"the case gives {len(list_roots)} independent list(s); at least 2 are needed"
        )
    list_names = tuple("+".join(sources[m].name for m in members[r]) for r in list_roots)
    column = {sid: list_roots.index(root) for root, ids in members.items() for sid in ids}

    merged_into: dict[int, int] = dict(
        session.execute(  # type: ignore[arg-type]
            select(Person.id, Person.merged_into_id).where(Person.merged_into_id.is_not(None))
        ).all()
    )

    def final(pid: int) -> int:
        return survivor(pid, merged_into.get)

    patterns: dict[int, set[int]] = defaultdict(set)
    values: dict[int, Counter[str]] = defaultdict(Counter)
    unlinked = aggregates = 0
    for record in session.scalars(select(Record).where(Record.source_id.in_(chosen))):
        if (record.count or 1) > 1:
            aggregates += 1
            continue
        if record.person_id is None:
            unlinked += 1
            continue
        pid = final(record.person_id)
        patterns[pid].add(column[record.source_id])
        if stratum is not None:
            value = _stratum_value(record, stratum)
            if value is not None:
                values[pid][value] += 1
    notes: list[str] = []
    if aggregates:
        notes.append(
            f"{aggregates} aggregate record(s) (count above 1, people without names) were left "
            "out: they cannot be matched across lists"
        )
    if unlinked:
        notes.append(
            f"{unlinked} record(s) not linked to a person were skipped (run `sijill link`)"
        )
    merged = [name for name in list_names if "+" in name]
    if merged:
        notes.append("sources merged into one list: " + "; ".join(merged))
    if not patterns:
        raise SijillError("no record of the chosen sources is linked to a person")
    grouped: dict[str, list[list[int]]] = defaultdict(list)
    for pid, cols in patterns.items():
        key = ALL_STRATA
        if stratum is not None:
            counts = values.get(pid)
            key = min(counts, key=lambda v: (-counts[v], v)) if counts else "unknown"
        grouped[key].append([1 if j in cols else 0 for j in range(len(list_names))])
    tables = {key: table_from_patterns(list_names, rows) for key, rows in sorted(grouped.items())}
    return CaptureData(list_names, tables, (stratum,) if stratum else ()), notes
