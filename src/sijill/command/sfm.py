"""Security Force Monitor's spreadsheet standard (WhoWasInCommand) to and from the structure
JSON of FORMATS.md §3. Pure functions over rows of cells; files are read and written by
:mod:`sijill.command.sfm_files`, and the §3 document is stored by the one structure importer.

Column names are SFM's own, as their research handbook (repository
``security-force-monitor/research-handbook``) documents them field by field:

* ``source/units.rst`` — "Unit: Unique Identifier" ``unit:id:admin``, "Unit: Name"
  ``unit:name``, "Unit: Other Names" ``unit:other_names``, "Unit: Classification",
  "Unit: First Cited Date" ``unit:first_cited_date`` with "… is also Unit's Start Date"
  ``unit:first_cited_date_start``, "Unit: Last Cited Date" with "… is Open-Ended"
  ``unit:last_cited_date_open``; "Unit: Type of Relationship" ``unit:relation_type``
  (``child`` | ``member``), "Unit: Related Unit Unique Identifier"
  ``unit:related_unit_id:admin``, "Unit: Related Unit" ``unit:related_unit``, "Unit: Related
  Unit Classification" ``unit:related_unit_class`` (``Command`` | ``Administrative`` |
  ``Informal``), "Unit: Related Unit First Cited Date" ``unit:related_unit_first_cited_date``,
  "Unit: Unit Relationship Start Date" ``unit:related_unit_first_cited_date_start``, "Unit:
  Related Unit Last Cited Date" ``unit:related_unit_last_cited_date``, "Unit: Related Unit is
  Open-Ended" ``unit:related_unit_open``; "Unit: Location Type" ``unit:location_type``
  (``site`` | ``aoo``), "Unit: Location" ``unit:location`` (a location's human-readable id),
  ``unit:location_first_cited_date`` with ``…_founding``, ``unit:location_last_cited_date``,
  ``unit:location_open``. Each field's sources and confidence are the columns
  ``<field>:source`` and ``<field>:confidence``.
* ``source/persons.rst`` — "Person: Unique Identifier" ``person:id:admin``, ``person:name``,
  ``person:other_names``, "Person: Posting …" ``person:posting_role``,
  ``person:posting_title``, ``person:posting_rank``, ``person:posting_first_cited_date`` with
  ``…_start``, ``person:posting_last_cited_date`` with ``…_end`` (``Y`` | ``N``); the posted
  unit's id ``person:posting_unit_id:admin`` (and its name, sources and confidence
  ``person:posting_unit[:source|:confidence]``) as WhoWasInCommand's importer reads them
  (sfm-cms ``membershipperson/models.py``).
* ``source/incidents.rst`` and sfm-cms ``violation/models.py`` — ``incident:id:admin``,
  ``incident:start_date``, ``incident:end_date``, ``incident:location`` (a location's
  human-readable id), ``incident:location_description``, ``incident:perpetrator_unit_id:admin``
  and ``incident:perpetrator_unit_name`` (``;``-separated), ``incident:all:source``.
* ``source/locations.rst`` — ``location:id:admin``, ``location:humane_id:admin``
  (``name (origin, geo type) uuid``), ``location:name``.

Dates as SFM writes them (``2013-01-`` and ``2017-`` are partial dates) become the §3 dates of
a fact (FORMATS.md §3, §4):

================================  ==========================================================
SFM                               §3
================================  ==========================================================
first cited F, start flag ``Y``   ``start_date`` = F: the fact did not hold before F
first cited F, flag ``N``/empty   ``first_cited`` = F: surely from F, possibly before
last cited L, open ``E``          ``end_date`` = L: the fact ended then (a posting's ``…_end``
                                  ``Y`` is the same)
last cited L, open ``N``/empty    ``last_cited`` = L: surely up to L, possibly after (a
                                  posting's ``…_end`` ``N`` is the same)
last cited L, open ``Y``          no end: SFM assumes the fact continues, so it surely holds
                                  after L (L stays in the fact's ``sfm`` columns)
no first cited date               nothing bounds the start (SFM's chart shows it too)
no last cited date                no end: still in force
================================  ==========================================================

A unit's own dates become its ``founding_date`` (flag ``Y``) and ``dissolution_date`` (``E``).
Relations ``child`` become compositions classified by ``unit:related_unit_class`` (lower case,
``command`` when empty); ``member`` relations (a unit attached to a joint operation or a
mission) become compositions classified ``member``. Each row of SFM's sheets is one relation,
location or posting of its unit or person: rows of one id are merged into one unit or person,
and identical relations on several rows into one fact citing all their sources. Every cell of
a row is also kept as written under the fact's (or the unit's, the person's) ``sfm`` key, so
that the export writes the same cells back; a value Sijill changed since wins over the kept one.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sijill.command import fields as F
from sijill.command.dates import BadDate, fact_bounds, normalize
from sijill.errors import ImportRejected, RowProblem

SHEET_KINDS = ("units", "persons", "incidents", "locations")
_PREFIXES = {"unit:": "units", "person:": "persons", "incident:": "incidents"}
_PREFIXES["location:"] = "locations"

UNIT_ID = "unit:id:admin"
PERSON_ID = "person:id:admin"
INCIDENT_ID = "incident:id:admin"
LOCATION_ID = "location:id:admin"
LOCATION_HUMANE_ID = "location:humane_id:admin"
LOCATION_NAME = "location:name"
STATUS_DELETE = "X"  # ``…:status:admin`` "Row should be deleted" (units.rst, Research Status)
SEPARATOR = ";"
_CONFIDENCES = {c: c.capitalize() for c in F.CONFIDENCES}


@dataclass(frozen=True)
class DatedClaim:
    """The columns of one dated claim on a row (a relation, a location, a posting, a unit's
    own existence): its prefix, the column whose sources and confidence carry it, and its four
    date columns. ``exact_end`` is the value of the end flag that makes the last date a real end
    (``E`` for the open-ended flags, ``Y`` for a posting's ``…_end``); ``continues`` the value
    saying the fact goes on after it (none for postings)."""

    prefixes: tuple[str, ...]
    main: str
    first: str
    start: str
    last: str
    end: str
    end_flags: tuple[str, ...]
    exact_end: str
    continues: str | None

    def owns(self, column: str) -> bool:
        return column.startswith(self.prefixes)


RELATION = DatedClaim(
    ("unit:relation_type", "unit:related_unit"),
    "unit:related_unit",
    "unit:related_unit_first_cited_date",
    "unit:related_unit_first_cited_date_start",
    "unit:related_unit_last_cited_date",
    "unit:related_unit_open",
    ("Y", "N", "E"),
    "E",
    "Y",
)
LOCATION = DatedClaim(
    ("unit:location", "unit:base_name"),
    "unit:location",
    "unit:location_first_cited_date",
    "unit:location_first_cited_date_founding",
    "unit:location_last_cited_date",
    "unit:location_open",
    ("Y", "N", "E"),
    "E",
    "Y",
)
POSTING = DatedClaim(
    ("person:posting",),
    "person:posting_unit",
    "person:posting_first_cited_date",
    "person:posting_first_cited_date_start",
    "person:posting_last_cited_date",
    "person:posting_last_cited_date_end",
    ("Y", "N"),
    "Y",
    None,
)
UNIT_LIFE = DatedClaim(
    ("unit:first_cited_date", "unit:last_cited_date"),
    "unit:name",
    "unit:first_cited_date",
    "unit:first_cited_date_start",
    "unit:last_cited_date",
    "unit:last_cited_date_open",
    ("Y", "N", "E"),
    "E",
    "Y",
)


@dataclass
class Sheet:
    """One sheet (or CSV/TSV file) of SFM's data: its name for messages, its kind, and its rows
    as ``(row number as a spreadsheet shows it, {column: cell text})``; the header is row 1."""

    name: str
    kind: str
    rows: list[tuple[int, dict[str, str]]]


@dataclass
class PlaceRow:
    """A location of the ``<cc>_locations`` sheet, for the gazetteer."""

    external_id: str
    name: str


@dataclass
class Converted:
    """The §3 document made from SFM's sheets, and the locations they declare."""

    doc: dict[str, Any]
    places: list[PlaceRow] = field(default_factory=list)


def sheet_kind(name: str, header: Iterable[str]) -> str | None:
    """``units`` | ``persons`` | ``incidents`` | ``locations`` from a sheet's name
    (``<cc>_units`` …) or, for a file named otherwise (a slim extract), from its columns."""
    stem = name.rsplit(".", 1)[0].lower()
    for kind in SHEET_KINDS:
        if stem == kind or stem.endswith("_" + kind):
            return kind
    counts = Counter(
        kind for column in header for prefix, kind in _PREFIXES.items() if column.startswith(prefix)
    )
    return counts.most_common(1)[0][0] if counts else None


def cell_text(value: Any) -> str:
    """A cell as text: a spreadsheet date as ``YYYY-MM-DD``, a whole number without ``.0``."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# ---------------------------------------------------------------------------- dates


def sfm_date(text: str) -> str | None:
    """SFM's fuzzy date (``2012``, ``2012-11``, ``2012-11-23``, ``2013-01-``, ``2017-``) in
    its canonical §3 form; empty text is ``None``; anything else raises ``BadDate``."""
    text = text.strip()
    while text.endswith("-00") or text.endswith("-0"):
        text = text.rsplit("-", 1)[0]
    return normalize(text.rstrip("-"))


def claim_dates(claim: DatedClaim, cells: Mapping[str, str]) -> dict[str, str]:
    """The §3 dates (``start_date`` / ``first_cited`` / ``end_date`` / ``last_cited``) of one
    claim's SFM date columns, as the module's table says."""
    out: dict[str, str] = {}
    first = sfm_date(cells.get(claim.first, ""))
    last = sfm_date(cells.get(claim.last, ""))
    if first:
        out["start_date" if _flag(cells, claim.start) == "Y" else "first_cited"] = first
    if last:
        end = _flag(cells, claim.end)
        if end == claim.exact_end:
            out["end_date"] = last
        elif claim.continues is None or end != claim.continues:
            out["last_cited"] = last
    return out


def written_dates(claim: DatedClaim, fact: Mapping[str, Any]) -> dict[str, str]:
    """A stored fact's dates in SFM's four columns: those kept as written when they still say
    what the fact's dates say, else written from the §3 dates (the inverse of the table)."""
    ours = {k: str(fact[k]) for k in F.DATE_KEYS if fact.get(k)}
    kept = {k: v for k, v in (fact.get("sfm") or {}).items() if k in _date_columns(claim)}
    try:
        if kept and claim_dates(claim, kept) == ours:
            return kept
    except BadDate:
        pass
    out: dict[str, str] = {}
    if ours.get("start_date"):
        out[claim.first], out[claim.start] = ours["start_date"], "Y"
    elif ours.get("first_cited"):
        out[claim.first], out[claim.start] = ours["first_cited"], "N"
    if ours.get("end_date"):
        out[claim.last], out[claim.end] = ours["end_date"], claim.exact_end
    elif ours.get("last_cited"):
        out[claim.last], out[claim.end] = ours["last_cited"], "N"
    elif claim.continues and out:
        out[claim.end] = claim.continues
    return out


def _date_columns(claim: DatedClaim) -> tuple[str, str, str, str]:
    return (claim.first, claim.start, claim.last, claim.end)


def date_label(claim: DatedClaim, fact: Mapping[str, Any]) -> str:
    """The dates of a fact as SFM's drawings label an edge: ``2016-08-31 (N) to 2018-07-12 (Y)``
    (first cited date and its start flag, last cited date and its open flag; ``None`` where a
    cell is empty)."""
    cells = written_dates(claim, fact)
    first, start, last, end = (cells.get(c) or "None" for c in _date_columns(claim))
    return f"{first} ({start}) to {last} ({end})"


def _flag(cells: Mapping[str, str], column: str) -> str:
    return cells.get(column, "").strip().upper()


# ---------------------------------------------------------------------------- SFM → §3


class _Rows:
    """Problems of one conversion, named by sheet, row and column."""

    def __init__(self) -> None:
        self.problems: list[RowProblem] = []

    def add(self, sheet: str, row: int, column: str, error: str) -> None:
        self.problems.append(RowProblem(row, f"{column} (sheet {sheet})", error))

    def date(self, sheet: str, row: int, cells: Mapping[str, str], column: str) -> None:
        try:
            sfm_date(cells.get(column, ""))
        except BadDate as exc:
            self.add(sheet, row, column, str(exc))

    def claim(self, sheet: str, row: int, cells: Mapping[str, str], claim: DatedClaim) -> bool:
        """Check a claim's dates, flags and confidences; ``True`` when all are readable."""
        before = len(self.problems)
        for column in (claim.first, claim.last):
            self.date(sheet, row, cells, column)
        for column, allowed in ((claim.start, ("Y", "N")), (claim.end, claim.end_flags)):
            value = _flag(cells, column)
            if value and value not in allowed:
                self.add(sheet, row, column, f"must be one of {', '.join(allowed)} (or empty)")
        self.confidences(sheet, row, cells, claim.owns)
        if len(self.problems) == before:
            bounds = fact_bounds(**claim_dates(claim, cells))  # type: ignore[arg-type]
            low, high = bounds.possible_start, bounds.possible_end
            if low is not None and high is not None and low > high:
                self.add(sheet, row, claim.last, "ends before it starts")
        return len(self.problems) == before

    def confidences(self, sheet: str, row: int, cells: Mapping[str, str], owns: Any = None) -> None:
        for column, value in cells.items():
            if column.endswith(":confidence") and (owns is None or owns(column)) and value:
                if value.strip().lower() not in F.CONFIDENCES:
                    self.add(sheet, row, column, "must be High, Medium or Low")


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(SEPARATOR) if part.strip()]


def _sources(cells: Mapping[str, str], owns: Any, main: str) -> list[str]:
    """Every source id cited by a claim's columns, the main field's first, each once."""
    columns = [main + ":source", main + ":sources"]
    columns += [c for c in cells if c.endswith((":source", ":sources")) and owns(c)]
    out: dict[str, None] = {}
    for column in columns:
        out.update((s, None) for s in _split(cells.get(column, "")))
    return list(out)


def _confidence(cells: Mapping[str, str], owns: Any, main: str) -> str | None:
    """The claim's confidence: its main field's, else the first its columns give."""
    values = [cells.get(main + ":confidence", "")]
    values += [v for c, v in cells.items() if c.endswith(":confidence") and owns(c)]
    for value in values:
        if value.strip():
            return value.strip().lower()
    return None


def _kept(cells: Mapping[str, str], owns: Any, leave: tuple[str, ...] = ()) -> dict[str, str]:
    return {c: v for c, v in cells.items() if v and owns(c) and c not in leave}


def _filled(cells: Mapping[str, str], owns: Any) -> bool:
    return any(v for c, v in cells.items() if owns(c))


def _humane_name(humane_id: str) -> str:
    """The name part of a location's human-readable id (``Potiskum (osm, point) <uuid>``)."""
    match = re.match(r"^(.*?)\s*\([^()]*,[^()]*\)\s*[0-9a-fA-F-]{8,}$", humane_id)
    return match.group(1) if match else humane_id


class _Converter:
    def __init__(self, sheets: list[Sheet]) -> None:
        self.sheets = sheets
        self.rows = _Rows()
        self.orgs: dict[str, dict[str, Any]] = {}
        self.named: dict[str, str] = {}  # ids only named by a relation, with the name given
        self.persons: dict[str, dict[str, Any]] = {}
        self.facts: dict[str, dict[tuple[Any, ...], dict[str, Any]]] = {
            k: {} for k in ("memberships", "compositions", "areas")
        }
        self.incidents: dict[str, dict[str, Any]] = {}
        self.places: dict[str, dict[str, str]] = {}  # humane id or id → the location's row
        self.place_rows: list[PlaceRow] = []

    def of_kind(self, kind: str) -> Iterator[tuple[str, int, dict[str, str]]]:
        for sheet in self.sheets:
            if sheet.kind == kind:
                for number, cells in sheet.rows:
                    status = next((v for c, v in cells.items() if c.endswith(":status:admin")), "")
                    if status.strip().upper() != STATUS_DELETE:
                        yield sheet.name, number, cells

    def run(self) -> Converted:
        for sheet, row, cells in self.of_kind("locations"):
            self.location(sheet, row, cells)
        for sheet, row, cells in self.of_kind("units"):
            self.unit(sheet, row, cells)
        for sheet, row, cells in self.of_kind("persons"):
            self.person(sheet, row, cells)
        for sheet, row, cells in self.of_kind("incidents"):
            self.incident(sheet, row, cells)
        for ref, name in self.named.items():
            if ref not in self.orgs:
                self.orgs[ref] = {"id": ref, "name": name}
        doc: dict[str, Any] = {
            "organizations": list(self.orgs.values()),
            "persons": list(self.persons.values()),
            **{kind: list(facts.values()) for kind, facts in self.facts.items()},
            "incidents": list(self.incidents.values()),
        }
        return Converted(doc, self.place_rows)

    # ------------------------------------------------------------------ sheets
    def location(self, sheet: str, row: int, cells: dict[str, str]) -> None:
        ref = cells.get(LOCATION_ID, "") or cells.get(LOCATION_HUMANE_ID, "")
        if not ref:
            self.rows.add(sheet, row, LOCATION_ID, "missing id")
            return
        kept = {c: v for c, v in cells.items() if v}
        kept[LOCATION_NAME] = cells.get(LOCATION_NAME) or _humane_name(ref)
        for key in (cells.get(LOCATION_ID), cells.get(LOCATION_HUMANE_ID)):
            if key:
                self.places[key] = kept
        self.place_rows.append(PlaceRow(ref, kept[LOCATION_NAME]))

    def place(self, ref: str) -> str:
        """The name of a location referred to by its human-readable id (or its id)."""
        return self.places[ref][LOCATION_NAME] if ref in self.places else _humane_name(ref)

    def unit(self, sheet: str, row: int, cells: dict[str, str]) -> None:
        ref = cells.get(UNIT_ID, "")
        if not ref:
            self.rows.add(sheet, row, UNIT_ID, "missing id")
            return
        own = _unit_owns
        self.rows.confidences(sheet, row, cells, own)
        if self.rows.claim(sheet, row, cells, UNIT_LIFE) and ref not in self.orgs:
            self.orgs[ref] = self.organization(ref, cells, own)
        elif ref in self.orgs:  # a later row of the same unit fills what the first left empty
            kept = self.orgs[ref].setdefault("sfm", {})
            for column, value in _kept(cells, own, (UNIT_ID,)).items():
                kept.setdefault(column, value)
        if _filled(cells, RELATION.owns):
            self.relation(sheet, row, ref, cells)
        if _filled(cells, LOCATION.owns):
            self.area(sheet, row, ref, cells)

    def organization(self, ref: str, cells: dict[str, str], own: Any) -> dict[str, Any]:
        org: dict[str, Any] = {
            "id": ref,
            "name": cells.get("unit:name", ""),
            "classification": cells.get("unit:classification", ""),
            "aliases": _split(cells.get("unit:other_names", "")),
        }
        life = claim_dates(UNIT_LIFE, cells)
        if life.get("start_date"):
            org["founding_date"] = life["start_date"]
        if life.get("end_date"):
            org["dissolution_date"] = life["end_date"]
        sources = _sources(cells, own, "unit:name")
        if sources:
            org["sources"] = sources
        confidence = _confidence(cells, own, "unit:name")
        if confidence:
            org["confidence"] = confidence
        kept = _kept(cells, own, (UNIT_ID,))
        if kept:
            org["sfm"] = kept
        return org

    def relation(self, sheet: str, row: int, child: str, cells: dict[str, str]) -> None:
        parent = cells.get("unit:related_unit_id:admin", "")
        kind = cells.get("unit:relation_type", "").strip().lower() or "child"
        if not parent:
            self.rows.add(sheet, row, "unit:related_unit_id:admin", "a relation without the id")
        if kind not in ("child", "member"):
            self.rows.add(sheet, row, "unit:relation_type", "must be child or member")
        if parent == child:
            self.rows.add(sheet, row, "unit:related_unit_id:admin", "a unit related to itself")
        if not self.rows.claim(sheet, row, cells, RELATION) or not parent or parent == child:
            return
        if cells.get("unit:related_unit"):
            self.named.setdefault(parent, cells["unit:related_unit"])
        classification = (
            "member"
            if kind == "member"
            else cells.get("unit:related_unit_class", "").strip().lower() or "command"
        )
        fact = {"parent_id": parent, "child_id": child, "classification": classification}
        self.add_fact("compositions", fact, cells, RELATION, ("unit:related_unit_id:admin",))

    def area(self, sheet: str, row: int, ref: str, cells: dict[str, str]) -> None:
        where = cells.get("unit:location", "")
        if not where:
            self.rows.add(sheet, row, "unit:location", "a location's dates without the location")
        kind = cells.get("unit:location_type", "").strip().lower()
        if kind and kind not in ("site", "aoo"):
            self.rows.add(sheet, row, "unit:location_type", "must be site or aoo")
        if self.rows.claim(sheet, row, cells, LOCATION) and where:
            fact = {"organization_id": ref, "place": self.place(where)}
            self.add_fact("areas", fact, cells, LOCATION, more=self.places.get(where, {}))

    def add_fact(
        self,
        kind: str,
        fact: dict[str, Any],
        cells: dict[str, str],
        claim: DatedClaim,
        leave: tuple[str, ...] = (),
        more: Mapping[str, str] | None = None,
    ) -> None:
        """One fact of a row; a fact already given by an earlier row gains its sources.
        ``more``: cells of another sheet kept with the fact (its location's row)."""
        fact.update(claim_dates(claim, cells))
        fact["sources"] = _sources(cells, claim.owns, claim.main)
        confidence = _confidence(cells, claim.owns, claim.main)
        if confidence:
            fact["confidence"] = confidence
        key = tuple(sorted((k, str(v)) for k, v in fact.items() if k != "sources"))
        seen = self.facts[kind].get(key)
        if seen is not None:
            seen["sources"] += [s for s in fact["sources"] if s not in seen["sources"]]
            return
        kept = {**_kept(cells, claim.owns, leave), **(more or {})}
        if kept:
            fact["sfm"] = kept
        self.facts[kind][key] = fact

    def person(self, sheet: str, row: int, cells: dict[str, str]) -> None:
        ref = cells.get(PERSON_ID, "")
        if not ref:
            self.rows.add(sheet, row, PERSON_ID, "missing id")
            return
        own = lambda c: c.startswith("person:") and not POSTING.owns(c)  # noqa: E731
        self.rows.confidences(sheet, row, cells, own)
        if ref not in self.persons:
            person: dict[str, Any] = {
                "id": ref,
                "name": cells.get("person:name", ""),
                "aliases": _split(cells.get("person:other_names", "")),
            }
            kept = _kept(cells, own, (PERSON_ID,))
            if kept:
                person["sfm"] = kept
            self.persons[ref] = person
        if not _filled(cells, POSTING.owns):
            return
        unit = cells.get("person:posting_unit_id:admin", "")
        if not unit:
            self.rows.add(sheet, row, "person:posting_unit_id:admin", "a posting without the unit")
        if not self.rows.claim(sheet, row, cells, POSTING) or not unit:
            return
        name = cells.get("person:posting_unit") or cells.get("person:posting")
        if name:
            self.named.setdefault(unit, name)
        fact = {
            "person_id": ref,
            "organization_id": unit,
            "role": cells.get("person:posting_role", "") or "member",
            "title": cells.get("person:posting_title", ""),
            "rank": cells.get("person:posting_rank", ""),
        }
        self.add_fact("memberships", fact, cells, POSTING, ("person:posting_unit_id:admin",))

    def incident(self, sheet: str, row: int, cells: dict[str, str]) -> None:
        ref = cells.get(INCIDENT_ID, "")
        if not ref:
            self.rows.add(sheet, row, INCIDENT_ID, "missing id")
            return
        if ref in self.incidents:
            self.rows.add(sheet, row, INCIDENT_ID, f"incident {ref!r} is on an earlier row too")
            return
        for column in ("incident:start_date", "incident:end_date"):
            self.rows.date(sheet, row, cells, column)
        units = _split(cells.get("incident:perpetrator_unit_id:admin", ""))
        names = _split(cells.get("incident:perpetrator_unit_name", ""))
        if len(names) == len(units):  # names name undeclared units only when they pair up
            for unit, name in zip(units, names, strict=True):
                self.named.setdefault(unit, name)
        where = cells.get("incident:location", "")
        try:
            dates = {
                "start_date": sfm_date(cells.get("incident:start_date", "")) or "",
                "end_date": sfm_date(cells.get("incident:end_date", "")) or "",
            }
        except BadDate:
            return
        incident: dict[str, Any] = {
            "id": ref,
            "place": self.place(where) if where else cells.get("incident:location_description", ""),
            **dates,
            "perpetrator_organization_ids": units,
            "sources": _split(cells.get("incident:all:source", "")),
        }
        kept = _kept(cells, lambda c: c.startswith("incident:"), (INCIDENT_ID,))
        kept.update(self.places.get(where, {}))
        if kept:
            incident["sfm"] = kept
        self.incidents[ref] = incident


def to_structure(sheets: list[Sheet], origin: str) -> Converted:
    """SFM's sheets as one §3 structure document (and the locations they declare).

    Raises ``ImportRejected`` naming every problem by sheet, row and column; nothing is
    converted then."""
    if not any(s.kind in ("units", "persons", "incidents") for s in sheets):
        raise ImportRejected(
            origin, reason="no sheet of SFM units, persons or incidents (unit:id:admin …) found"
        )
    converter = _Converter(sheets)
    converted = converter.run()
    if converter.rows.problems:
        raise ImportRejected(origin, converter.rows.problems)
    return converted


# ---------------------------------------------------------------------------- §3 → SFM

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
    if set(_sources(cells, owns, main)) != set(ours):
        for column in [c for c in cells if owns(c) and c.endswith((":source", ":sources"))]:
            del cells[column]
        if ours:
            cells[main + ":source"] = SEPARATOR.join(ours)
    confidence = fact.get("confidence")
    if confidence and _confidence(cells, owns, main) != confidence:
        cells[main + ":confidence"] = _CONFIDENCES.get(confidence, str(confidence))


def _row(*parts: Mapping[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in parts:
        out.update((k, str(v)) for k, v in part.items() if v not in (None, ""))
    return out


def _unit_owns(column: str) -> bool:
    return column.startswith("unit:") and not (RELATION.owns(column) or LOCATION.owns(column))


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
        for column in _date_columns(UNIT_LIFE):
            cells.pop(column, None)
        cells.update(written_dates(UNIT_LIFE, ours))
    _cited(org, _unit_owns, "unit:name", cells)
    return cells


def _kept_cells(fact: Mapping[str, Any]) -> dict[str, str]:
    """The cells kept with a fact, but for its location's row (written to the locations sheet)."""
    return {k: v for k, v in (fact.get("sfm") or {}).items() if not k.startswith("location:")}


def _fact_cells(fact: Mapping[str, Any], claim: DatedClaim, mapped: dict[str, Any]) -> dict:
    cells = _row(_kept_cells(fact), mapped)
    for column in _date_columns(claim):
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


def _area_cells(area: Mapping[str, Any]) -> dict[str, str]:
    written = (area.get("sfm") or {}).get("unit:location", "")
    where = written if written and _humane_name(written) == area["place"] else area["place"]
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
    where = kept.get("incident:location", "")
    if where and _humane_name(where) != i.get("place"):
        kept.pop("incident:location")
        kept["incident:location_description"] = str(i.get("place") or "")
    elif not where:
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
        name = _humane_name(humane)
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
