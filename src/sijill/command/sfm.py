"""Security Force Monitor's spreadsheet standard (WhoWasInCommand): its columns, its dated
claims and how their dates map onto the structure JSON of FORMATS.md §3. Pure functions over
rows of cells; :mod:`~sijill.command.sfm_import` turns SFM's sheets into a §3 document (stored by
the one structure importer), :mod:`~sijill.command.sfm_export` writes one back, and
:mod:`~sijill.command.sfm_files` reads and writes the files.

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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sijill.cells import recover
from sijill.command import fields as F
from sijill.command.dates import BadDate, normalize

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
CONFIDENCE_WORDS = {c: c.capitalize() for c in F.CONFIDENCES}


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
    """A cell as text: a spreadsheet date as ``YYYY-MM-DD``, a whole number without ``.0``, a
    cell Sijill wrote inert (:func:`sijill.cells.recover`) as it was."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return recover(str(value)).strip()


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
        out["start_date" if flag(cells, claim.start) == "Y" else "first_cited"] = first
    if last:
        end = flag(cells, claim.end)
        if end == claim.exact_end:
            out["end_date"] = last
        elif claim.continues is None or end != claim.continues:
            out["last_cited"] = last
    return out


def written_dates(claim: DatedClaim, fact: Mapping[str, Any]) -> dict[str, str]:
    """A stored fact's dates in SFM's four columns: those kept as written when they still say
    what the fact's dates say, else written from the §3 dates (the inverse of the table)."""
    ours = {k: str(fact[k]) for k in F.DATE_KEYS if fact.get(k)}
    kept = {k: v for k, v in (fact.get("sfm") or {}).items() if k in date_columns(claim)}
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


def date_columns(claim: DatedClaim) -> tuple[str, str, str, str]:
    return (claim.first, claim.start, claim.last, claim.end)


def date_label(claim: DatedClaim, fact: Mapping[str, Any]) -> str:
    """The dates of a fact as SFM's drawings label an edge: ``2016-08-31 (N) to 2018-07-12 (Y)``
    (first cited date and its start flag, last cited date and its open flag; ``None`` where a
    cell is empty)."""
    cells = written_dates(claim, fact)
    first, start, last, end = (cells.get(c) or "None" for c in date_columns(claim))
    return f"{first} ({start}) to {last} ({end})"


def flag(cells: Mapping[str, str], column: str) -> str:
    return cells.get(column, "").strip().upper()


def split_cell(text: str) -> list[str]:
    return [part.strip() for part in text.split(SEPARATOR) if part.strip()]


def claim_sources(cells: Mapping[str, str], owns: Any, main: str) -> list[str]:
    """Every source id cited by a claim's columns, the main field's first, each once."""
    columns = [main + ":source", main + ":sources"]
    columns += [c for c in cells if c.endswith((":source", ":sources")) and owns(c)]
    out: dict[str, None] = {}
    for column in columns:
        out.update((s, None) for s in split_cell(cells.get(column, "")))
    return list(out)


def claim_confidence(cells: Mapping[str, str], owns: Any, main: str) -> str | None:
    """The claim's confidence: its main field's, else the first its columns give."""
    values = [cells.get(main + ":confidence", "")]
    values += [v for c, v in cells.items() if c.endswith(":confidence") and owns(c)]
    for value in values:
        if value.strip():
            return value.strip().lower()
    return None


def humane_name(humane_id: str) -> str:
    """The name part of a location's human-readable id (``Potiskum (osm, point) <uuid>``)."""
    match = re.match(r"^(.*?)\s*\([^()]*,[^()]*\)\s*[0-9a-fA-F-]{8,}$", humane_id)
    return match.group(1) if match else humane_id


def unit_owns(column: str) -> bool:
    """A column of a unit itself (not of one of its relations or locations)."""
    return column.startswith("unit:") and not (RELATION.owns(column) or LOCATION.owns(column))
