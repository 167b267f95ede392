"""Capture histories from the case: each person's pattern of appearing on the lists, after linkage.

A person (``Record.person_id``, followed through ``Person.merged_into_id``) is on a list when one
of their records comes from a source of that list. Sources that are not independent are merged
into one list: by default a source declared a version of another (``Source.version_of_id``) or
derived from others (``Source.derived_from``) joins their list (``linkage.counts.
source_families``, the families the counts use); ``merge`` adds groups by name. Records not linked
to a person, and aggregate records (``count`` above 1), are skipped and counted in the notes.

Governorate and district strata come from the gazetteer: the place a record's place of death was
resolved to (``sijill places match``) and its ancestors, not the raw text, so that "Hama",
"حماة" and "Hama governorate" are one stratum.

Reading the case (``read_case``) is kept apart from counting patterns (``capture_data``), so that
the same records can be counted with people formed otherwise (see ``estimate.linkage``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from sijill.errors import SijillError
from sijill.estimate.histories import ALL_STRATA, CaptureData, table_from_patterns
from sijill.linkage.counts import source_families
from sijill.places.models import Place, RecordPlace
from sijill.store.merges import survivor
from sijill.store.models import Person, Record, Source

STRATA = ("governorate", "district", "sex", "age-group", "civilian-status", "status")
GAZETTEER_STRATA = ("governorate", "district")
UNRESOLVED = "unresolved place"


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


@dataclass(frozen=True)
class CaseRecord:
    """One counted record: its list (column), its person and its stratum value."""

    record_id: int
    column: int
    person_id: int
    stratum: str | None = None


@dataclass
class CaseLists:
    """The case read for estimation: the lists, the records on them, notes for the user."""

    lists: tuple[str, ...]
    records: list[CaseRecord]
    stratum: str | None = None
    notes: list[str] = field(default_factory=list)


def _areas(session: Session, kind: str, record_ids: set[int]) -> dict[int, str]:
    """Record id -> the name of the gazetteer area of type ``kind`` holding its place."""
    places = {
        pid: (ptype, parent, latin or arabic or str(pid))
        for pid, ptype, parent, latin, arabic in session.execute(
            select(Place.id, Place.type, Place.parent_id, Place.name_latin, Place.name_ar)
        )
    }

    def area(place_id: int) -> str | None:
        seen: set[int] = set()
        current: int | None = place_id
        while current is not None and current in places and current not in seen:
            seen.add(current)
            ptype, parent, name = places[current]
            if ptype == kind:
                return name
            current = parent
        return None

    found: dict[int, str] = {}
    cache: dict[int, str | None] = {}
    for record_id, place_id in session.execute(
        select(RecordPlace.record_id, RecordPlace.place_id).where(RecordPlace.place_id.is_not(None))
    ):
        if record_id in record_ids and place_id is not None:
            if place_id not in cache:
                cache[place_id] = area(place_id)
            name = cache[place_id]
            if name is not None:
                found[record_id] = name
    return found


def read_case(
    session: Session,
    *,
    lists: Sequence[str] | None = None,
    merge: Sequence[Sequence[str]] = (),
    merge_dependent: bool = True,
    stratum: str | None = None,
) -> CaseLists:
    """The lists of the case and every record on them linked to a person."""
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
    family = source_families(
        list(sources.values()),
        dependent=merge_dependent,
        joined=[[source_named(n).id for n in group] for group in merge],
    )
    members: dict[int, list[int]] = defaultdict(list)
    for sid in sorted(chosen):
        members[family[sid]].append(sid)
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

    linked: list[Record] = []
    unlinked = aggregates = 0
    for record in session.scalars(
        select(Record).where(Record.source_id.in_(chosen)).order_by(Record.id)
    ):
        if (record.count or 1) > 1:
            aggregates += 1
        elif record.person_id is None:
            unlinked += 1
        else:
            linked.append(record)
    notes: list[str] = []
    areas: dict[int, str] = {}
    if stratum in GAZETTEER_STRATA:
        areas = _areas(session, stratum, {r.id for r in linked})
        missing = len(linked) - len(areas)
        if missing:
            notes.append(
                f"{missing} record(s) have no {stratum} in the gazetteer (place of death not "
                f"resolved, or resolved above the {stratum}): counted under {UNRESOLVED!r}; "
                "run `sijill places match` after loading a gazetteer"
            )
    records = [
        CaseRecord(
            record_id=r.id,
            column=column[r.source_id],
            person_id=final(r.person_id),  # type: ignore[arg-type]
            stratum=(
                None
                if stratum is None
                else areas.get(r.id, UNRESOLVED)
                if stratum in GAZETTEER_STRATA
                else _stratum_value(r, stratum)
            ),
        )
        for r in linked
    ]
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
    if not records:
        raise SijillError("no record of the chosen sources is linked to a person")
    return CaseLists(list_names, records, stratum, notes)


def capture_data(case: CaseLists, people: Mapping[int, Hashable] | None = None) -> CaptureData:
    """Count each person's pattern over the lists (by stratum: the person's commonest value).

    ``people`` maps record ids to other person keys (people formed otherwise); records it does
    not name keep their person.
    """
    patterns: dict[Hashable, set[int]] = defaultdict(set)
    values: dict[Hashable, Counter[str]] = defaultdict(Counter)
    for record in case.records:
        person: Hashable = record.person_id
        if people is not None and record.record_id in people:
            person = ("formed", people[record.record_id])
        patterns[person].add(record.column)
        if record.stratum is not None:
            values[person][record.stratum] += 1
    grouped: dict[str, list[list[int]]] = defaultdict(list)
    for person, cols in patterns.items():
        key = ALL_STRATA
        if case.stratum is not None:
            counts = values.get(person)
            key = min(counts, key=lambda v: (-counts[v], v)) if counts else "unknown"
        grouped[key].append([1 if j in cols else 0 for j in range(len(case.lists))])
    tables = {key: table_from_patterns(case.lists, rows) for key, rows in sorted(grouped.items())}
    return CaptureData(case.lists, tables, (case.stratum,) if case.stratum else ())


def capture_data_from_case(
    session: Session,
    *,
    lists: Sequence[str] | None = None,
    merge: Sequence[Sequence[str]] = (),
    merge_dependent: bool = True,
    stratum: str | None = None,
) -> tuple[CaptureData, list[str]]:
    """Build capture histories from linked records; return them with notes for the user."""
    case = read_case(
        session, lists=lists, merge=merge, merge_dependent=merge_dependent, stratum=stratum
    )
    return capture_data(case), case.notes
