"""SFM's sheets (:mod:`sijill.command.sfm`) as one structure document of FORMATS.md §3, with
every problem named by sheet, row and column. Pure: the caller stores the document with the one
structure importer (:func:`sijill.command.importer.import_structure`)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from sijill.command import fields as F
from sijill.command.dates import BadDate, fact_bounds
from sijill.command.sfm import (
    INCIDENT_ID,
    LOCATION,
    LOCATION_HUMANE_ID,
    LOCATION_ID,
    LOCATION_NAME,
    PERSON_ID,
    POSTING,
    RELATION,
    STATUS_DELETE,
    UNIT_ID,
    UNIT_LIFE,
    DatedClaim,
    Sheet,
    claim_confidence,
    claim_dates,
    claim_sources,
    flag,
    humane_name,
    sfm_date,
    split_cell,
    unit_owns,
)
from sijill.errors import ImportRejected, RowProblem


@dataclass
class PlaceRow:
    """A location of the ``<cc>_locations`` sheet, for the gazetteer (id ``sfm:<its id>``)."""

    external_id: str
    name: str


@dataclass
class Converted:
    """The §3 document made from SFM's sheets, and the locations they declare."""

    doc: dict[str, Any]
    places: list[PlaceRow] = field(default_factory=list)


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
            value = flag(cells, column)
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


def _role(written: str) -> str:
    """A posting's role: the three FORMATS.md names in lower case, any other role as written."""
    low = written.strip().lower()
    if low in ("commander", "deputy", "member", ""):
        return low or "member"
    return written.strip()


def _kept(cells: Mapping[str, str], owns: Any, leave: tuple[str, ...] = ()) -> dict[str, str]:
    return {c: v for c, v in cells.items() if v and owns(c) and c not in leave}


def _said(cells: Mapping[str, str], claim: DatedClaim, *columns: str) -> bool:
    """A row states the claim: it names what the claim links or gives one of its dates (a
    type, class or flag left in a template's cells alone states nothing)."""
    return any(cells.get(c) for c in (*columns, claim.first, claim.last))


def _filled(cells: Mapping[str, str], owns: Any) -> bool:
    return any(v for c, v in cells.items() if owns(c))


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
        self.by_name: dict[str, set[str]] = {}  # unit name → ids, for rows naming units only

    def unit_ref(
        self, at: tuple[str, int], cells: Mapping[str, str], column: str, *names: str
    ) -> str:
        """The id of the unit a row refers to: its id column, else (as WhoWasInCommand's own
        importer did) the one unit of the name the row gives; ``""`` once a problem is told."""
        if cells.get(column):
            return cells[column]
        name = next((cells[c] for c in names if cells.get(c)), "")
        ids = self.by_name.get(name, set())
        if len(ids) == 1:
            return next(iter(ids))
        why = f"{len(ids)} units are named {name!r}" if ids else f"no unit is named {name!r}"
        self.rows.add(*at, column, f"no id, and {why}" if name else "no id of the unit")
        return ""

    def of_kind(self, kind: str) -> Iterator[tuple[str, int, dict[str, str]]]:
        for sheet in self.sheets:
            if sheet.kind == kind:
                for number, cells in sheet.rows:
                    status = next((v for c, v in cells.items() if c.endswith(":status:admin")), "")
                    if status.strip().upper() != STATUS_DELETE:
                        yield sheet.name, number, cells

    def run(self) -> Converted:
        for _, _, cells in self.of_kind("units"):
            if cells.get(UNIT_ID) and cells.get("unit:name"):
                self.by_name.setdefault(cells["unit:name"], set()).add(cells[UNIT_ID])
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
        kept[LOCATION_NAME] = cells.get(LOCATION_NAME) or humane_name(ref)
        for key in (cells.get(LOCATION_ID), cells.get(LOCATION_HUMANE_ID)):
            if key:
                self.places[key] = kept
        self.place_rows.append(PlaceRow(f"sfm:{ref}", kept[LOCATION_NAME]))

    def place(self, ref: str) -> str:
        """The name of a location referred to by its human-readable id (or its id)."""
        return self.places[ref][LOCATION_NAME] if ref in self.places else humane_name(ref)

    def unit(self, sheet: str, row: int, cells: dict[str, str]) -> None:
        ref = cells.get(UNIT_ID, "")
        if not ref:
            self.rows.add(sheet, row, UNIT_ID, "missing id")
            return
        own = unit_owns
        self.rows.confidences(sheet, row, cells, own)
        if self.rows.claim(sheet, row, cells, UNIT_LIFE) and ref not in self.orgs:
            self.orgs[ref] = self.organization(ref, cells, own)
        elif ref in self.orgs:  # a later row of the same unit fills what the first left empty
            kept = self.orgs[ref].setdefault("sfm", {})
            for column, value in _kept(cells, own, (UNIT_ID,)).items():
                kept.setdefault(column, value)
        if _said(cells, RELATION, "unit:related_unit_id:admin", "unit:related_unit"):
            self.relation(sheet, row, ref, cells)
        if _said(cells, LOCATION, "unit:location"):
            self.area(sheet, row, ref, cells)

    def organization(self, ref: str, cells: dict[str, str], own: Any) -> dict[str, Any]:
        org: dict[str, Any] = {
            "id": ref,
            "name": cells.get("unit:name", ""),
            "classification": cells.get("unit:classification", ""),
            "aliases": split_cell(cells.get("unit:other_names", "")),
        }
        life = claim_dates(UNIT_LIFE, cells)
        if life.get("start_date"):
            org["founding_date"] = life["start_date"]
        if life.get("end_date"):
            org["dissolution_date"] = life["end_date"]
        sources = claim_sources(cells, own, "unit:name")
        if sources:
            org["sources"] = sources
        confidence = claim_confidence(cells, own, "unit:name")
        if confidence:
            org["confidence"] = confidence
        kept = _kept(cells, own, (UNIT_ID,))
        if kept:
            org["sfm"] = kept
        return org

    def relation(self, sheet: str, row: int, child: str, cells: dict[str, str]) -> None:
        parent = self.unit_ref(
            (sheet, row), cells, "unit:related_unit_id:admin", "unit:related_unit"
        )
        kind = cells.get("unit:relation_type", "").strip().lower() or "child"
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
        fact["sources"] = claim_sources(cells, claim.owns, claim.main)
        confidence = claim_confidence(cells, claim.owns, claim.main)
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
                "aliases": split_cell(cells.get("person:other_names", "")),
            }
            kept = _kept(cells, own, (PERSON_ID,))
            if kept:
                person["sfm"] = kept
            self.persons[ref] = person
        if not _filled(cells, POSTING.owns):
            return
        unit = self.unit_ref(
            (sheet, row),
            cells,
            "person:posting_unit_id:admin",
            "person:posting_unit",
            "person:posting",
        )
        if not self.rows.claim(sheet, row, cells, POSTING) or not unit:
            return
        name = cells.get("person:posting_unit") or cells.get("person:posting")
        if name:
            self.named.setdefault(unit, name)
        fact = {
            "person_id": ref,
            "organization_id": unit,
            "role": _role(cells.get("person:posting_role", "")),
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
        units = split_cell(cells.get("incident:perpetrator_unit_id:admin", ""))
        names = split_cell(cells.get("incident:perpetrator_unit_name", ""))
        if names and not units:
            column = "incident:perpetrator_unit_id:admin"
            units = [self.unit_ref((sheet, row), {"name": n}, column, "name") for n in names]
            units = [u for u in units if u]
        elif len(names) == len(units):  # names name undeclared units only when they pair up
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
            "sources": split_cell(cells.get("incident:all:source", "")),
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
