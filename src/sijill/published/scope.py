"""A published figure's scope as the case counts it, and the case's count beside theirs.

The case's count for a figure's scope is ``sijill count`` itself (:func:`sijill.linkage.counts.
count`, the same units and verification policy), restricted to the units the scope accepts:

- **place**: a unit's place is the gazetteer place most of its records resolve to
  (``record_places``, as ``sijill places match`` resolved them; a tie goes to the first in
  order, as ``count --by place`` breaks ties); it is in scope when that place is one of the
  figure's places or lies under one (a figure may cover villages or an admin area);
- **dates**: its date of death (the one most of its records give) lies within the figure's days;
  a unit with no date of death, or one wider than their days, is not in scope when the figure
  states days;
- **what they count**: the record statuses of :data:`~sijill.published.models.COUNTS`; for
  ``killed_civilians`` a unit any record calls a combatant or security forces is left out
  (``unknown`` counts as a civilian).

``sijill count --figure F`` gives the same count; :func:`compare` breaks it down by their
places (which of them the case holds, and how many each side has there) and by date.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sijill.dates import BadDate
from sijill.incidents.dates import date_span
from sijill.linkage.counts import UNKNOWN, Policy, Unit, count, modal
from sijill.places.models import Place, RecordPlace
from sijill.published.models import COUNTS, NOT_CIVILIAN, PublishedFigure, PublishedFigurePlace
from sijill.published.service import place_doc
from sijill.store.models import Source

UnitKey = tuple[Any, ...]


def unit_key(unit: Unit) -> UnitKey:
    """A counted unit's identity: its person, else its one row (source id, record id)."""
    if unit.person_id is not None:
        return ("person", unit.person_id)
    return ("record", unit.records[0].source_id, unit.records[0].record_id)


@dataclass
class Scope:
    """Accepts the units in a figure's scope (see the module's note) and remembers, for each
    accepted unit, the figure's place it falls under and its own gazetteer place."""

    under: dict[int, int]  # gazetteer place -> the figure's place it is or lies under
    record_place: dict[int, int]  # record row id -> its resolved gazetteer place (in scope)
    first: date | None
    last: date | None
    civilians_only: bool
    placed: dict[UnitKey, tuple[int, int]] = field(default_factory=dict)

    def __call__(self, unit: Unit) -> bool:
        site = modal([_text(self.record_place.get(r.id)) for r in unit.records])
        if site == UNKNOWN or int(site) not in self.under:
            return False
        if self.civilians_only and any(r.civilian_status in NOT_CIVILIAN for r in unit.records):
            return False
        if (self.first or self.last) and not self._within(unit):
            return False
        self.placed[unit_key(unit)] = (self.under[int(site)], int(site))
        return True

    def _within(self, unit: Unit) -> bool:
        try:
            span = date_span(modal([r.date_of_death for r in unit.records]))
        except BadDate:
            return False  # "unknown": no date of death
        if span is None:
            return False
        return (self.first is None or span[0] >= self.first) and (
            self.last is None or span[1] <= self.last
        )


def _text(value: int | None) -> str | None:
    return None if value is None else str(value)


def scope_of(session: Session, figure: PublishedFigure) -> Scope:
    """The scope of ``figure`` over the case's gazetteer and resolved records."""
    mine = set(
        session.scalars(
            select(PublishedFigurePlace.place_id).where(PublishedFigurePlace.figure_id == figure.id)
        )
    )
    parents = dict(session.execute(select(Place.id, Place.parent_id)).all())
    under: dict[int, int] = {}
    for place in parents:
        seen: set[int] = set()
        current: int | None = place
        while current is not None and current not in seen:
            if current in mine:
                under[place] = current
                break
            seen.add(current)
            current = parents.get(current)
    record_place = {
        record: place
        for record, place in session.execute(
            select(RecordPlace.record_id, RecordPlace.place_id).where(
                RecordPlace.place_id.is_not(None)
            )
        )
        if place in under
    }
    return Scope(
        under=under,
        record_place=record_place,
        first=figure.start_day,
        last=figure.end_day,
        civilians_only=figure.counts == "killed_civilians",
    )


def policy_for(figure: PublishedFigure, policy: Policy) -> Policy:
    """The verification policy ``policy`` counting what the figure counts."""
    return replace(policy, statuses=COUNTS[figure.counts])


def scoped_count(
    session: Session,
    figure: PublishedFigure,
    by: str,
    policy: Policy,
    *,
    list_people: bool = False,
    access: Collection[str] | None = None,
    as_of: datetime | None = None,
    leave_out: Collection[int] = (),
) -> tuple[dict[str, Any], Scope]:
    """``sijill count --by BY --figure F``: the count document of the figure's scope (with the
    scope it read, saying which of their places each unit falls under)."""
    scope = scope_of(session, figure)
    doc = count(
        session,
        by,
        policy_for(figure, policy),
        list_people=list_people,
        access=access,
        as_of=as_of,
        keep=scope,
        leave_out=leave_out,
    )
    doc["scope"] = {
        "figure": figure.id,
        "counts": figure.counts,
        "statuses": list(COUNTS[figure.counts]),
        "civilians_only": scope.civilians_only,
        "start_date": figure.start_date,
        "end_date": figure.end_date,
        "places": sorted(set(scope.under.values())),
    }
    return doc, scope


def compare(
    session: Session,
    figure: PublishedFigure,
    policy: Policy,
    *,
    list_people: bool = False,
    access: Collection[str] | None = None,
    as_of: datetime | None = None,
    leave_out: Collection[int] = (),
) -> dict[str, Any]:
    """The case's count beside the figure: totals, and the difference by their places (their
    figure for each when published, ours verified and reported, whether the case holds anyone
    there, and the case's own places under an area) and by date of death (ours). With
    ``list_people``, each group lists the units behind it as ``count --list-people`` does."""
    found, scope = scoped_count(
        session,
        figure,
        "date",
        policy,
        list_people=True,
        access=access,
        as_of=as_of,
        leave_out=leave_out,
    )
    source_ids = dict(session.execute(select(Source.name, Source.id)).all())
    links = list(
        session.execute(
            select(PublishedFigurePlace, Place)
            .join(Place, Place.id == PublishedFigurePlace.place_id)
            .where(PublishedFigurePlace.figure_id == figure.id)
            .order_by(PublishedFigurePlace.id)
        )
    )
    rows: dict[int, dict[str, Any]] = {
        link.place_id: {
            "place": place_doc(place),
            "theirs": link.count,
            "verified": 0,
            "reported": 0,
            "sites": {},
            "people": [],
        }
        for link, place in links
    }
    for group in found["groups"]:
        people = group["people"] if list_people else group.pop("people")
        for person in people:
            first = person["records"][0]
            key = (
                ("person", person["person_id"])
                if person["person_id"] is not None
                else ("record", source_ids.get(first["source"]), first["record_id"])
            )
            theirs, site = scope.placed[key]
            row = rows[theirs]
            size = person["count"]
            counted = size if person["verified"] else 0
            row["verified"] += counted
            row["reported"] += size
            row["people"].append(person)
            spot = row["sites"].setdefault(site, {"place": site, "verified": 0, "reported": 0})
            spot["verified"] += counted
            spot["reported"] += size
    sites = {
        p.id: place_doc(p)
        for p in session.scalars(
            select(Place).where(Place.id.in_([s for r in rows.values() for s in r["sites"]] or [0]))
        )
    }
    by_place = []
    for row in rows.values():
        row["held"] = row["reported"] > 0
        row["difference"] = None if row["theirs"] is None else row["theirs"] - row["verified"]
        row["sites"] = [
            {**spot, "place": sites[spot["place"]]}
            for spot in sorted(row["sites"].values(), key=lambda s: -s["reported"])
        ]
        if not list_people:
            row.pop("people")
        by_place.append(row)
    return {
        "figure": figure.id,
        "policy": found["policy"],
        "scope": found["scope"],
        "theirs": figure.total,
        "ours": {"verified": found["total"], "reported": found["reported_total"]},
        "difference": figure.total - found["total"],
        "by_place": by_place,
        "by_date": found["groups"],
    }
