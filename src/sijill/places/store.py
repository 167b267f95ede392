"""The database side of the gazetteer: store loaded places, build the index, resolve records."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from sijill.cells import neutralise_row
from sijill.errors import NotFound
from sijill.jobs.progress import Report, silent
from sijill.places.keys import mapping_key, place_key
from sijill.places.loaders import PlaceInput
from sijill.places.matching import Candidate, GazetteerEntry, Match, PlaceIndex
from sijill.places.models import Place, PlaceMapping, PlaceName, RecordPlace
from sijill.store.changelog import log_change
from sijill.store.lookup import by_number_or
from sijill.store.models import Record

#: How many records between two progress reports of place matching.
PROGRESS_EVERY = 2000


@dataclass(frozen=True)
class LoadResult:
    gazetteer: str
    added: int
    updated: int

    def as_dict(self) -> dict[str, Any]:
        return {"gazetteer": self.gazetteer, "added": self.added, "updated": self.updated}


def store_places(
    session: Session, places: Sequence[PlaceInput], gazetteer: str, actor: str | None = None
) -> LoadResult:
    """Insert or update places by external id, with their names; parents linked afterwards."""
    existing: dict[str, Place] = {}
    for chunk in _chunks([p.external_id for p in places], 900):
        existing.update(
            (p.external_id, p)
            for p in session.scalars(select(Place).where(Place.external_id.in_(chunk)))
        )
    added = updated = 0
    rows: dict[str, Place] = {}
    for item in places:
        place = existing.get(item.external_id)
        if place is None:
            place = Place(external_id=item.external_id)
            session.add(place)
            added += 1
        else:
            updated += 1
        place.type = item.type
        place.name_ar = item.name_ar
        place.name_latin = item.name_latin
        place.pcode = item.pcode
        place.latitude = item.latitude
        place.longitude = item.longitude
        place.gazetteer = gazetteer
        place.synthetic = item.synthetic
        rows[item.external_id] = place
    session.flush()
    parents = {p.external_id: p.id for p in rows.values()}
    missing_parents = {
        i.parent_external_id
        for i in places
        if i.parent_external_id and i.parent_external_id not in parents
    }
    if missing_parents:
        for p in session.scalars(select(Place).where(Place.external_id.in_(missing_parents))):
            parents[p.external_id] = p.id
    ids = [p.id for p in rows.values()]
    for chunk in _chunks(ids, 900):
        session.execute(delete(PlaceName).where(PlaceName.place_id.in_(chunk)))
    for item in places:
        place = rows[item.external_id]
        place.parent_id = parents.get(item.parent_external_id) if item.parent_external_id else None
        session.add_all(PlaceName(place_id=place.id, **n) for n in _names(item))
    session.flush()
    log_change(
        session,
        action="places.load",
        entity="places",
        entity_id=gazetteer,
        detail={"added": added, "updated": updated},
        actor=actor,
    )
    return LoadResult(gazetteer, added, updated)


def _names(item: PlaceInput) -> list[dict[str, object]]:
    seen: set[str] = set()
    out: list[dict[str, object]] = []
    candidates: list[tuple[str | None, str | None, str]] = [
        (item.name_ar, "ar", "primary"),
        (item.name_latin, "en", "primary"),
        *((name, lang, "alias") for name, lang in item.aliases),
    ]
    for name, lang, kind in candidates:
        if not name or name in seen:
            continue
        seen.add(name)
        out.append({"name": name, "lang": lang, "kind": kind, "key": place_key(name)[:300]})
    return out


def _chunks(values: list[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def load_index(session: Session) -> PlaceIndex:
    """The matching index of the whole gazetteer with the remembered manual mappings."""
    names: dict[int, list[tuple[str, str]]] = {}
    for place_id, name, kind in session.execute(
        select(PlaceName.place_id, PlaceName.name, PlaceName.kind)
    ):
        names.setdefault(place_id, []).append((name, kind))
    entries = [
        GazetteerEntry(pid, kind, parent, tuple(names.get(pid, ())))
        for pid, kind, parent in session.execute(select(Place.id, Place.type, Place.parent_id))
    ]
    # Keyed anew from each mapping's text (the newest last), so that a mapping stored under an
    # earlier folding of the key (before Arabic place keys used the names layer's table)
    # still applies.
    mappings = {
        mapping_key(text): place_id
        for text, place_id in session.execute(
            select(PlaceMapping.text, PlaceMapping.place_id).order_by(PlaceMapping.id)
        )
    }
    return PlaceIndex(entries, mappings)


def find_place(session: Session, ref: str | int) -> Place:
    """A place by numeric id or external id (``opensyria:sy-tartus``, ``demo:v01``)."""
    place = by_number_or(session, Place, Place.external_id, ref)
    if place is None:
        raise NotFound(f"no place {ref!r} in the gazetteer")
    return place


def search_places(session: Session, text: str, limit: int = 10) -> list[Place]:
    """Places a name being typed may mean, in either script: a name whose folded key begins
    with the text's, or a name holding the text as written; the gazetteer's fuzzy candidates
    when none does. For type-ahead and for naming close matches."""
    text = text.strip()
    key = place_key(text) if text else ""
    if not key[2:]:
        return []
    ids = list(
        dict.fromkeys(
            session.scalars(
                select(PlaceName.place_id)
                .where(or_(PlaceName.key.startswith(key), PlaceName.name.contains(text)))
                .order_by(PlaceName.place_id)
                .limit(limit * 4)
            )
        )
    )[:limit]
    if not ids:
        found = load_index(session).candidates(text).values()
        ids = [c.place_id for c in sorted(found, key=lambda c: -c.score)][:limit]
    by_id = {p.id: p for p in session.scalars(select(Place).where(Place.id.in_(ids)))}
    return [by_id[i] for i in ids if i in by_id]


def place_label(place: Place) -> str:
    """A place as a message names it: its names in both scripts and its id."""
    names = " / ".join(n for n in (place.name_latin, place.name_ar) if n)
    return f"{names} ({place.external_id})" if names else place.external_id


def remember_mapping(
    session: Session,
    text: str,
    place_ref: str | int,
    actor: str | None = None,
    why: str | None = None,
) -> PlaceMapping:
    """Remember that ``text`` means this place; every later match uses it first."""
    place = find_place(session, place_ref)
    key = mapping_key(text)
    mapping = session.scalar(select(PlaceMapping).where(PlaceMapping.text_key == key))
    if mapping is None:
        mapping = PlaceMapping(text_key=key, text=text, place_id=place.id)
        session.add(mapping)
    mapping.place_id = place.id
    mapping.created_by = actor or "cli"
    mapping.why = why
    session.flush()
    log_change(
        session,
        action="places.map",
        entity="place_mappings",
        entity_id=str(mapping.id),
        detail={"text": text, "place_id": place.id},
        why=why,
        actor=actor,
    )
    return mapping


@dataclass(frozen=True)
class ResolveSummary:
    records: int
    resolved: int
    unresolved: list[dict[str, object]]  # one row per distinct unresolved string

    def as_dict(self) -> dict[str, Any]:
        return {
            "records": self.records,
            "resolved": self.resolved,
            "unresolved_records": self.records - self.resolved,
            "unresolved": self.unresolved,
        }


def resolve_record_places(
    session: Session, threshold: float | None = None, progress: Report = silent
) -> ResolveSummary:
    """Resolve every record's place of death (with its admin columns as context) into
    ``record_places``; returns counts and the distinct strings that could not be resolved.
    ``progress(fraction, message)`` hears how far it is."""
    progress(0.0, "reading the gazetteer")
    index = load_index(session)
    total = session.scalar(select(func.count()).select_from(Record)) or 0
    matched: list[RecordPlace] = []  # written at the end: SQLite's write lock is held briefly
    cache: dict[tuple[str, ...], Match] = {}
    unresolved: Counter[tuple[str, ...]] = Counter()
    records = resolved = 0
    rows = session.execute(
        select(
            Record.id,
            Record.place_of_death,
            Record.subdistrict,
            Record.district,
            Record.governorate,
        )
    )
    for seen, (record_id, place, sub, dist, gov) in enumerate(rows):
        if seen % PROGRESS_EVERY == 0:
            progress(0.05 + 0.9 * seen / max(total, 1), f"matching places: {seen:,} of {total:,}")
        text = (place or sub or dist or gov or "").strip()
        if not text:
            continue
        records += 1
        key = (text, sub or "", dist or "", gov or "")
        if key not in cache:
            context = [c for c in (sub, dist, gov) if c and c != text]
            cache[key] = (
                index.match(text, context, threshold) if threshold else index.match(text, context)
            )
        match = cache[key]
        matched.append(
            RecordPlace(
                record_id=record_id,
                place_id=match.place_id,
                text=text,
                confidence=match.confidence,
                method=match.method,
                candidates=len(match.candidates),
            )
        )
        if match.resolved:
            resolved += 1
        else:
            unresolved[key] += 1
    progress(0.95, "writing the matches")
    session.execute(delete(RecordPlace))
    session.add_all(matched)
    session.flush()
    report = [
        _unresolved_row(cache[key], key, count, index) for key, count in unresolved.most_common()
    ]
    return ResolveSummary(records, resolved, report)


def _unresolved_row(
    match: Match, key: tuple[str, ...], count: int, index: PlaceIndex
) -> dict[str, object]:
    return {
        "text": key[0],
        "subdistrict": key[1],
        "district": key[2],
        "governorate": key[3],
        "records": count,
        "reason": match.method,
        "candidates": " | ".join(_candidate_label(index, c) for c in match.candidates),
    }


def _candidate_label(index: PlaceIndex, candidate: Candidate) -> str:
    entry = index.entries[candidate.place_id]
    name = entry.names[0][0] if entry.names else ""
    return f"{entry.id} {name} ({entry.type}) {candidate.score}"


def write_unresolved_report(rows: list[dict[str, object]], path: Path) -> None:
    """A CSV a person reads: each unresolved string, how many records, the best candidates
    (``id name (type) score``); ``sijill places map TEXT PLACE_ID`` then remembers the answer."""
    columns = ["text", "subdistrict", "district", "governorate", "records", "reason", "candidates"]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        writer.writerows(neutralise_row(row.get(c, "") for c in columns) for row in rows)


def describe_place(session: Session, place_id: int) -> dict[str, Any]:
    """A short description of a place for outputs."""
    place = session.get(Place, place_id)
    if place is None:
        raise NotFound(f"no place {place_id}")
    return {
        "id": place.id,
        "external_id": place.external_id,
        "name_ar": place.name_ar,
        "name_latin": place.name_latin,
        "type": place.type,
        "pcode": place.pcode,
        "latitude": place.latitude,
        "longitude": place.longitude,
        "synthetic": place.synthetic,
    }
