"""A structure document of FORMATS.md §3 as SFM's sheets (:mod:`sijill.command.sfm`): the
cells kept as written at import come back, unless Sijill now says otherwise. Pure."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from sijill.command.dates import BadDate
from sijill.command.sfm import (
    CONFIDENCE_WORDS,
    INCIDENT_ID,
    LOCATION,
    LOCATION_HUMANE_ID,
    LOCATION_ID,
    LOCATION_NAME,
    PERSON_ID,
    POSTING,
    RELATION,
    SEPARATOR,
    UNIT_ID,
    UNIT_LIFE,
    DatedClaim,
    claim_confidence,
    claim_dates,
    claim_sources,
    date_columns,
    humane_name,
    sfm_date,
    unit_owns,
    written_dates,
)

UNIT_COLUMNS = (
    UNIT_ID,
    "unit:name",
    "unit:name:source",
    "unit:name:confidence",
    "unit:other_names",
    "unit:classification",
    "unit:country",
    UNIT_LIFE.first,
    UNIT_LIFE.start,
    UNIT_LIFE.last,
    UNIT_LIFE.end,
    "unit:relation_type",
    "unit:related_unit_id:admin",
    "unit:related_unit",
    "unit:related_unit:source",
    "unit:related_unit:confidence",
    "unit:related_unit_class",
    RELATION.first,
    RELATION.start,
    RELATION.last,
    RELATION.end,
    "unit:location_type",
    "unit:location",
    "unit:location:source",
    "unit:location:confidence",
    "unit:base_name",
    LOCATION.first,
    LOCATION.start,
    LOCATION.last,
    LOCATION.end,
)
PERSON_COLUMNS = (
    PERSON_ID,
    "person:name",
    "person:other_names",
    "person:posting_unit_id:admin",
    "person:posting_unit",
    "person:posting_unit:source",
    "person:posting_unit:confidence",
    "person:posting_role",
    "person:posting_title",
    "person:posting_rank",
    POSTING.first,
    POSTING.start,
    POSTING.last,
    POSTING.end,
)
INCIDENT_COLUMNS = (
    INCIDENT_ID,
    "incident:start_date",
    "incident:end_date",
    "incident:location",
    "incident:location_description",
    "incident:perpetrator_unit_id:admin",
    "incident:perpetrator_unit_name",
    "incident:all:source",
)
LOCATION_COLUMNS = (LOCATION_ID, LOCATION_HUMANE_ID, LOCATION_NAME)


def _cited(fact: Mapping[str, Any], owns: Any, main: str, cells: dict[str, str]) -> None:
    """Write a fact's sources and confidence into the columns of ``main``, unless the cells kept
    as written already cite the same sources with the same confidence."""
    ours = [s["id"] if isinstance(s, Mapping) else str(s) for s in fact.get("sources") or []]
    if set(claim_sources(cells, owns, main)) != set(ours):
        for column in [c for c in cells if owns(c) and c.endswith((":source", ":sources"))]:
            del cells[column]
        if ours:
            cells[main + ":source"] = SEPARATOR.join(ours)
    confidence = fact.get("confidence")
    if confidence and claim_confidence(cells, owns, main) != confidence:
        cells[main + ":confidence"] = CONFIDENCE_WORDS.get(confidence, str(confidence))


def _row(*parts: Mapping[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in parts:
        out.update((k, str(v)) for k, v in part.items() if v not in (None, ""))
    return out


def _unit_cells(org: Mapping[str, Any]) -> dict[str, str]:
    kept = dict(org.get("sfm") or {})
    cells = _row(
        kept,
        {
            UNIT_ID: org["id"],
            "unit:name": org.get("name"),
            "unit:other_names": SEPARATOR.join(org.get("aliases") or []),
            "unit:classification": org.get("classification"),
        },
    )
    ours = {"start_date": org.get("founding_date"), "end_date": org.get("dissolution_date")}
    try:
        life = claim_dates(UNIT_LIFE, kept)
        same = all(life.get(k) == (v or None) for k, v in ours.items())
    except BadDate:
        same = False
    if not same:  # a founding or dissolution date changed in Sijill: written from them
        for column in date_columns(UNIT_LIFE):
            cells.pop(column, None)
        cells.update(written_dates(UNIT_LIFE, ours))
    _cited(org, unit_owns, "unit:name", cells)
    return cells


def _kept_cells(fact: Mapping[str, Any]) -> dict[str, str]:
    """The cells kept with a fact, but for its location's row (written to the locations sheet)."""
    return {k: v for k, v in (fact.get("sfm") or {}).items() if not k.startswith("location:")}


def _fact_cells(fact: Mapping[str, Any], claim: DatedClaim, mapped: dict[str, Any]) -> dict:
    cells = _row(_kept_cells(fact), mapped)
    for column in date_columns(claim):
        cells.pop(column, None)
    cells.update(written_dates(claim, fact))
    _cited(fact, claim.owns, claim.main, cells)
    return cells


def _relation_cells(comp: Mapping[str, Any], names: Mapping[str, str]) -> dict[str, str]:
    kept = comp.get("sfm") or {}
    member = comp.get("classification") == "member"
    written_class = kept.get("unit:related_unit_class", "")
    same_class = member or written_class.strip().lower() == comp.get("classification")
    classification = str(comp.get("classification") or "command")
    return _fact_cells(
        comp,
        RELATION,
        {
            "unit:relation_type": "member" if member else "child",
            "unit:related_unit_id:admin": comp["parent_id"],
            "unit:related_unit": names.get(comp["parent_id"], ""),
            "unit:related_unit_class": written_class if same_class else classification.capitalize(),
        },
    )


def _written_place(fact: Mapping[str, Any], column: str, place: str) -> str:
    """The location reference kept as written when it still names the fact's place."""
    kept = fact.get("sfm") or {}
    written = str(kept.get(column) or "")
    named = kept.get(LOCATION_NAME) or humane_name(written)
    return written if written and named == place else ""


def _area_cells(area: Mapping[str, Any]) -> dict[str, str]:
    where = _written_place(area, "unit:location", area["place"]) or area["place"]
    return _fact_cells(area, LOCATION, {"unit:location": where})


def _posting_cells(m: Mapping[str, Any], names: Mapping[str, str]) -> dict[str, str]:
    written_role = (m.get("sfm") or {}).get("person:posting_role", "")
    role = str(m.get("role") or "member")
    if written_role.strip().lower() != role.lower():
        written_role = role.capitalize() if role in ("commander", "deputy", "member") else role
    return _fact_cells(
        m,
        POSTING,
        {
            "person:posting_unit_id:admin": m["organization_id"],
            "person:posting_unit": names.get(m["organization_id"], ""),
            "person:posting_role": written_role,
            "person:posting_title": m.get("title"),
            "person:posting_rank": m.get("rank"),
        },
    )


def _incident_cells(i: Mapping[str, Any], names: Mapping[str, str]) -> dict[str, str]:
    kept = _kept_cells(i)
    if not _written_place(i, "incident:location", str(i.get("place") or "")):
        kept.pop("incident:location", None)
        kept["incident:location_description"] = str(i.get("place") or "")
    units = [str(u) for u in i.get("perpetrator_organization_ids") or []]
    sources = [s["id"] if isinstance(s, Mapping) else str(s) for s in i.get("sources") or []]
    cells = _row(
        kept,
        {
            INCIDENT_ID: i["id"],
            "incident:perpetrator_unit_id:admin": SEPARATOR.join(units),
            "incident:perpetrator_unit_name": SEPARATOR.join(names.get(u, "") for u in units),
            "incident:all:source": SEPARATOR.join(sources),
        },
    )
    for key, column in (("start_date", "incident:start_date"), ("end_date", "incident:end_date")):
        written = kept.get(column, "")
        try:
            same = sfm_date(written) == (i.get(key) or None)
        except BadDate:
            same = False
        if not same:
            cells.pop(column, None)
            if i.get(key):
                cells[column] = str(i[key])
    return cells


def _locations(written: Iterable[tuple[str, Mapping[str, Any]]]) -> list[dict[str, str]]:
    """The locations sheet: for each location a unit or incident row refers to (by its
    human-readable id), the location's row kept at import, else one made from that id."""
    out: dict[str, dict[str, str]] = {}
    for humane, fact in written:
        if not humane or humane in out:
            continue
        kept = {k: v for k, v in (fact.get("sfm") or {}).items() if k.startswith("location:")}
        if humane in (kept.get(LOCATION_HUMANE_ID), kept.get(LOCATION_ID)):
            out[humane] = _row(kept)
            continue
        match = re.search(r"([0-9a-fA-F-]{8,})$", humane)
        name = humane_name(humane)
        uuid = match.group(1) if match and name != humane else humane
        out[humane] = {LOCATION_ID: uuid, LOCATION_HUMANE_ID: humane, LOCATION_NAME: name}
    return list(out.values())


def country_code(doc: Mapping[str, Any]) -> str:
    """The country of most units (``unit:country`` as SFM wrote it), else ``xx``."""
    codes = Counter(
        str((o.get("sfm") or {}).get("unit:country", "")).strip().lower()
        for o in doc.get("organizations") or []
    )
    codes.pop("", None)
    return codes.most_common(1)[0][0] if codes else "xx"


def from_structure(doc: Mapping[str, Any]) -> dict[str, list[dict[str, str]]]:
    """A §3 structure document as SFM's sheets ``<cc>_units``, ``<cc>_persons``,
    ``<cc>_incidents`` and ``<cc>_locations``: one row per relation, location or posting
    (a unit or person with none has one row of its own)."""
    names = {o["id"]: str(o.get("name") or "") for o in doc.get("organizations") or []}
    parents: dict[str, list[Mapping[str, Any]]] = {}
    for comp in doc.get("compositions") or []:
        parents.setdefault(comp["child_id"], []).append(comp)
    areas: dict[str, list[Mapping[str, Any]]] = {}
    for area in doc.get("areas") or []:
        areas.setdefault(area["organization_id"], []).append(area)
    units: list[dict[str, str]] = []
    located: list[tuple[str, Mapping[str, Any]]] = []
    for org in doc.get("organizations") or []:
        base = _unit_cells(org)
        own = [_relation_cells(c, names) for c in parents.get(org["id"], [])]
        for area in areas.get(org["id"], []):
            own.append(_area_cells(area))
            located.append((own[-1]["unit:location"], area))
        units += [{**base, **cells} for cells in own] or [base]

    posts: dict[str, list[Mapping[str, Any]]] = {}
    for m in doc.get("memberships") or []:
        posts.setdefault(m["person_id"], []).append(m)
    persons: list[dict[str, str]] = []
    for p in doc.get("persons") or []:
        base = _row(
            p.get("sfm") or {},
            {
                PERSON_ID: p["id"],
                "person:name": p.get("name"),
                "person:other_names": SEPARATOR.join(p.get("aliases") or []),
            },
        )
        rows = [{**base, **_posting_cells(m, names)} for m in posts.get(p["id"], [])]
        persons += rows or [base]

    incidents = []
    for incident in doc.get("incidents") or []:
        incidents.append(_incident_cells(incident, names))
        located.append((incidents[-1].get("incident:location", ""), incident))
    cc = country_code(doc)
    return {
        f"{cc}_units": units,
        f"{cc}_persons": persons,
        f"{cc}_incidents": incidents,
        f"{cc}_locations": _locations(located),
    }


def header(sheet: str, rows: list[dict[str, str]]) -> list[str]:
    """A sheet's columns: SFM's usual ones of its kind first, then any others in order seen."""
    kind = sheet.rsplit("_", 1)[-1]
    standard = {
        "units": UNIT_COLUMNS,
        "persons": PERSON_COLUMNS,
        "incidents": INCIDENT_COLUMNS,
        "locations": LOCATION_COLUMNS,
    }[kind]
    columns = dict.fromkeys(standard)
    for cells in rows:
        columns.update(dict.fromkeys(cells))
    return list(columns)
