"""Documented deaths by place, date, sex, age group or source, under a verification policy.

The unit counted is a person (all the records matched to them), an unidentified row (one person
no name could match) or an aggregate row (``count`` people). "Reported" counts every unit;
"verified" counts the units the policy accepts, e.g. those documented by two independent
sources. Sources related by ``version_of`` or ``derived_from`` are one source for independence.
Named policies can be added in ``sijill.toml`` (or the file in ``$SIJILL_CONFIG``)::

    [policies.three-sources]
    min_independent_sources = 3
    statuses = ["killed"]
"""

from __future__ import annotations

import os
import tomllib
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from sijill.errors import ConfigError
from sijill.records.entry import record_in_state, states_at
from sijill.store.models import Record, Source

GROUPINGS = ("place", "date", "sex", "age-group", "source")
UNKNOWN = "unknown"


@dataclass(frozen=True)
class Policy:
    name: str
    min_independent_sources: int = 1
    statuses: tuple[str, ...] = ("killed",)
    description: str = ""


BUILTIN_POLICIES = {
    "any-source": Policy("any-source", 1, description="documented by at least one source"),
    "two-independent-sources": Policy(
        "two-independent-sources", 2, description="documented by two independent sources"
    ),
}


def load_policies(path: Path | None = None) -> dict[str, Policy]:
    """Built-in policies plus those named in the configuration file, if there is one."""
    policies = dict(BUILTIN_POLICIES)
    path = path or Path(os.environ.get("SIJILL_CONFIG") or "sijill.toml")
    if not path.is_file():
        return policies
    try:
        config = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    for name, spec in (config.get("policies") or {}).items():
        try:
            policies[name] = Policy(
                name=name,
                min_independent_sources=int(spec.get("min_independent_sources", 1)),
                statuses=tuple(spec.get("statuses", ("killed",))),
                description=str(spec.get("description", "")),
            )
        except (TypeError, ValueError, AttributeError) as exc:
            raise ConfigError(f"{path}: policy {name!r}: {exc}") from exc
    return policies


def named_policy(name: str, path: Path | None = None) -> Policy:
    """The policy called ``name`` (built in, or in the configuration file); else refused with
    the names known."""
    policies = load_policies(path)
    if name not in policies:
        raise ConfigError(f"no policy {name!r} (known: {', '.join(sorted(policies))})")
    return policies[name]


def source_families(
    sources: list[Source],
    *,
    dependent: bool = True,
    joined: Iterable[Iterable[int]] = (),
) -> dict[int, int]:
    """Source id -> the smallest id of its family: the sources it is a version of or derived
    from (unless ``dependent`` is false), and any group of ids in ``joined``."""
    parent = {s.id: s.id for s in sources}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def join(a: int, b: int) -> None:
        if a in parent and b in parent:
            ra, rb = find(a), find(b)
            parent[max(ra, rb)] = min(ra, rb)

    for s in sources if dependent else ():
        if s.version_of_id is not None:
            join(s.id, s.version_of_id)
        for other in s.derived_from or []:
            join(s.id, int(other))
    for group in joined:
        ids = list(group)
        for other in ids[1:]:
            join(ids[0], other)
    return {s.id: find(s.id) for s in sources}


def published_years(sources: list[Source]) -> dict[int, int]:
    """Source id -> the year its list was published, for the sources that say."""
    return {
        s.id: int(s.published[:4]) for s in sources if s.published and s.published[:4].isdecimal()
    }


def age_group(
    age_min: int | None,
    age_max: int | None,
    birth_year: int | None,
    death_year: int | None = None,
) -> str:
    """The age group of a record: from its ages, else its year of death less its birth year
    (the year of death: the record's own, else its list's date; else the group is unknown)."""
    if age_min is None and age_max is None and birth_year is not None and death_year is not None:
        age_min = age_max = death_year - birth_year
    low = age_min if age_min is not None else age_max
    high = age_max if age_max is not None else age_min
    if low is None or high is None:
        return UNKNOWN
    if high < 18:
        return "child (0-17)"
    if low >= 60:
        return "elderly (60+)"
    if low >= 18 and high < 60:
        return "adult (18-59)"
    return UNKNOWN


def modal(values: list[str | None]) -> str:
    """The most frequent value (the first in order on a tie); ``unknown`` when none."""
    present = [v for v in values if v]
    if not present:
        return UNKNOWN
    counts = Counter(present)
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


@dataclass(frozen=True)
class Unit:
    """What is counted: a person, an unidentified row, or an aggregate row."""

    kind: str  # person | unidentified | aggregate
    person_id: int | None
    records: tuple[Record, ...]
    size: int


def units(
    session: Session,
    access: Collection[str] | None = None,
    as_of: datetime | None = None,
    leave_out: Collection[int] = (),
) -> list[Unit]:
    """Every counted unit of the case (only records at the given access levels, if given;
    with ``as_of``, only records of lists imported and records entered by hand by then, each
    as it stood then: a record corrected since is read in its earlier state; never the records
    numbered in ``leave_out``: those a recipient may not receive)."""
    by_person: dict[int, list[Record]] = defaultdict(list)
    out: list[Unit] = []
    stmt = select(Record).order_by(Record.id)
    if access is not None:
        stmt = stmt.where(Record.access.in_(list(access)))
    earlier: dict[int, dict[str, Any]] = {}
    if as_of is not None:
        stmt = stmt.where(
            Record.source_id.in_(select(Source.id).where(Source.created_at <= as_of)),
            or_(Record.entered_at.is_(None), Record.entered_at <= as_of),
        )
        earlier = states_at(session, as_of)
    for stored in session.scalars(stmt):
        if stored.id in leave_out:
            continue
        state = earlier.get(stored.id)
        record = record_in_state(stored, state) if state is not None else stored
        if record.count > 1:
            out.append(Unit("aggregate", None, (record,), record.count))
        elif record.person_id is not None:
            by_person[record.person_id].append(record)
        else:
            kind = "unidentified" if record.unidentified else "unlinked"
            out.append(Unit(kind, None, (record,), 1))
    out.extend(Unit("person", pid, tuple(recs), 1) for pid, recs in sorted(by_person.items()))
    return out


def _death_year(record: Record, published: dict[int, int]) -> int | None:
    return record.death_start.year if record.death_start else published.get(record.source_id)


def _keys(
    unit: Unit, by: str, source_names: dict[int, str], published: dict[int, int]
) -> list[str]:
    records = unit.records
    if by == "place":
        return [modal([r.place_of_death for r in records])]
    if by == "date":
        return [modal([r.date_of_death for r in records])]
    if by == "sex":
        return [modal([r.sex for r in records])]
    if by == "age-group":
        return [
            modal(
                [
                    age_group(r.age_min, r.age_max, r.birth_year, _death_year(r, published))
                    for r in records
                ]
            )
        ]
    return sorted({source_names.get(r.source_id, str(r.source_id)) for r in records})


def count(
    session: Session,
    by: str,
    policy: Policy,
    *,
    list_people: bool = False,
    access: Collection[str] | None = None,
    as_of: datetime | None = None,
    keep: Callable[[Unit], bool] | None = None,
    leave_out: Collection[int] = (),
) -> dict[str, Any]:
    """The count document: ``{"policy", "total", "groups": [{"key","verified","reported"}]}``;
    with ``as_of``, of the records the case held then, as they stood (people as linked now);
    with ``keep``, of the units it accepts only (a published figure's scope,
    :mod:`sijill.published.scope`)."""
    if by not in GROUPINGS:
        raise ConfigError(f"--by must be one of {', '.join(GROUPINGS)}, not {by!r}")
    sources = list(session.scalars(select(Source)))
    names = {s.id: s.name for s in sources}
    family = source_families(sources)
    published = published_years(sources)
    groups: dict[str, dict[str, Any]] = {}
    total_verified = total_reported = 0
    for unit in units(session, access, as_of, leave_out):
        if not any(r.status in policy.statuses for r in unit.records):
            continue
        if keep is not None and not keep(unit):
            continue
        independent = len({family.get(r.source_id, r.source_id) for r in unit.records})
        verified = independent >= policy.min_independent_sources
        total_reported += unit.size
        total_verified += unit.size if verified else 0
        for key in _keys(unit, by, names, published):
            group = groups.setdefault(key, {"key": key, "verified": 0, "reported": 0})
            group["reported"] += unit.size
            group["verified"] += unit.size if verified else 0
            if list_people:
                group.setdefault("people", []).append(_describe(unit, names, verified))
    ordered = sorted(groups.values(), key=lambda g: (-g["reported"], g["key"]))
    return {
        "policy": policy.name,
        "by": by,
        "total": total_verified,
        "reported_total": total_reported,
        "groups": ordered,
    }


def _describe(unit: Unit, names: dict[int, str], verified: bool) -> dict[str, Any]:
    return {
        "kind": unit.kind,
        "person_id": unit.person_id,
        "count": unit.size,
        "verified": verified,
        "records": [
            {"source": names.get(r.source_id, str(r.source_id)), "record_id": r.record_id}
            for r in unit.records
        ],
    }
