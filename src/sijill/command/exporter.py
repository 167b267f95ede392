"""Export the stored command structure as the structure JSON of FORMATS.md §3.

The export is canonical (rows in the order they were stored, the same keys every time), so
importing an export into an empty case and exporting again gives the identical document.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sijill.command.models import (
    Area,
    Composition,
    Membership,
    Organization,
    PersonDetails,
    Succession,
)
from sijill.incidents.models import Incident, IncidentPerpetrator
from sijill.incidents.saving import default_title
from sijill.store.models import Citation, Person, Source

_CITED = (
    "command_organizations",
    "command_memberships",
    "command_compositions",
    "command_areas",
    "command_successions",
    "incidents",
)


def _citations(session: Session) -> dict[tuple[str, str], list[Any]]:
    rows = session.execute(
        select(Citation.claim_table, Citation.claim_id, Source.name, Citation.locator)
        .join(Source, Source.id == Citation.source_id)
        .where(Citation.claim_table.in_(_CITED))
        .order_by(Citation.id)
    )
    out: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for table, claim_id, name, locator in rows:
        out[(table, claim_id)].append({"id": name, "locator": locator} if locator else name)
    return out


def _dates(fact: Any) -> dict[str, str]:
    out = {"start_date": fact.start_date or "", "end_date": fact.end_date or ""}
    for key in ("first_cited", "last_cited"):
        if getattr(fact, key):
            out[key] = getattr(fact, key)
    return out


def _claim(fact: Any, sources: list[Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"sources": sources}
    if fact.confidence:
        out["confidence"] = fact.confidence
    return out


def _incidents(session: Session) -> list[tuple[Incident, list[IncidentPerpetrator]]]:
    links: dict[int, list[IncidentPerpetrator]] = defaultdict(list)
    for link in session.scalars(
        select(IncidentPerpetrator)
        .where(IncidentPerpetrator.organization_id.is_not(None))
        .order_by(IncidentPerpetrator.position, IncidentPerpetrator.id)
    ):
        links[link.incident_id].append(link)
    return [(i, links[i.id]) for i in session.scalars(select(Incident).order_by(Incident.id))]


def _incident(
    i: Incident, links: list[IncidentPerpetrator], org_ext: dict[int, str], sources: list[Any]
) -> dict[str, Any]:
    """An incident of the one model as a structure file writes it (its units, not persons)."""
    units = [org_ext[x.organization_id] for x in links if x.organization_id is not None]
    row: dict[str, Any] = {
        "id": i.external_id or f"incident-{i.id}",
        "place": i.place or "",
        "start_date": i.start_date or "",
        "end_date": i.end_date or "",
        "perpetrator_organization_ids": units,
    }
    statuses = dict(zip(units, (x.status for x in links), strict=True))
    if any(s != "alleged" for s in statuses.values()):
        row["perpetrator_status"] = statuses
    if i.title != default_title(i.external_id, i.place):
        row["title"] = i.title
    out = {**row, "sources": sources}
    if i.confidence:
        out["confidence"] = i.confidence
    return {**out, **(i.extra or {})}


def export_structure(session: Session) -> dict[str, Any]:
    """The whole stored structure as one JSON-ready document."""
    cites = _citations(session)
    orgs = list(session.scalars(select(Organization).order_by(Organization.id)))
    org_ext = {o.id: o.external_id for o in orgs}

    organizations = []
    for o in orgs:
        row: dict[str, Any] = {
            "id": o.external_id,
            "name": o.name or "",
            "name_ar": o.name_ar or "",
            "classification": o.classification or "",
            "aliases": list(o.aliases or []),
        }
        if o.founding_date:
            row["founding_date"] = o.founding_date
        if o.dissolution_date:
            row["dissolution_date"] = o.dissolution_date
        sources = cites.get(("command_organizations", str(o.id)), [])
        if sources:
            row["sources"] = sources
        if o.confidence:
            row["confidence"] = o.confidence
        if o.merged_into_id is not None:
            row["merged_into"] = org_ext[o.merged_into_id]
        organizations.append({**row, **(o.extra or {})})

    person_rows = session.execute(
        select(Person, PersonDetails)
        .join(PersonDetails, PersonDetails.person_id == Person.id)
        .order_by(Person.id)
    ).all()
    person_ext = {p.id: p.external_id for p, _ in person_rows}
    persons = []
    for p, d in person_rows:
        row = {
            "id": p.external_id,
            "name": p.name_latin or "",
            "name_ar": p.name_ar or "",
            "aliases": list(d.aliases or []),
        }
        if p.merged_into_id is not None and p.merged_into_id in person_ext:
            row["merged_into"] = person_ext[p.merged_into_id]
        persons.append({**row, **(d.extra or {})})

    def cited(fact: Any) -> list[Any]:
        return cites.get((fact.__tablename__, str(fact.id)), [])

    memberships = [
        {
            "person_id": person_ext[m.person_id],
            "organization_id": org_ext[m.organization_id],
            "role": m.role,
            "title": m.title or "",
            "rank": m.rank or "",
            **_dates(m),
            **_claim(m, cited(m)),
            **(m.extra or {}),
        }
        for m in session.scalars(select(Membership).order_by(Membership.id))
    ]
    compositions = [
        {
            "parent_id": org_ext[c.parent_id],
            "child_id": org_ext[c.child_id],
            "classification": c.classification,
            **_dates(c),
            **_claim(c, cited(c)),
            **(c.extra or {}),
        }
        for c in session.scalars(select(Composition).order_by(Composition.id))
    ]
    areas = [
        {
            "organization_id": org_ext[a.organization_id],
            "place": a.place,
            **_dates(a),
            **_claim(a, cited(a)),
            **(a.extra or {}),
        }
        for a in session.scalars(select(Area).order_by(Area.id))
    ]
    successions = [
        {
            "predecessor_id": org_ext[s.predecessor_id],
            "successor_id": org_ext[s.successor_id],
            "kind": s.kind,
            **_dates(s),
            **_claim(s, cited(s)),
            **(s.extra or {}),
        }
        for s in session.scalars(select(Succession).order_by(Succession.id))
    ]
    incidents = [
        _incident(i, links, org_ext, cites.get(("incidents", str(i.id)), []))
        for i, links in _incidents(session)
    ]

    doc: dict[str, Any] = {
        "organizations": organizations,
        "persons": persons,
        "memberships": memberships,
        "compositions": compositions,
        "areas": areas,
    }
    if successions:
        doc["successions"] = successions
    doc["incidents"] = incidents
    return doc
