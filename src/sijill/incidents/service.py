"""Find, list and describe incidents (saving them is :mod:`sijill.incidents.saving`).
Perpetrator links are always worded as allegations.

Every nested reference (citations and their sources, evidence items, victims, record links,
sub-incidents) holds only what the ``reader`` role may read; the default reader, the case's
own operator at the command line, reads every level. Which incidents a user may read at all
is :mod:`sijill.incidents.access`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from sijill.command.models import Organization
from sijill.evidence.items import items_linked
from sijill.incidents.models import (
    Incident,
    IncidentCharacterization,
    IncidentPerpetrator,
    IncidentPlace,
    IncidentRecord,
    IncidentVictim,
    IncidentViolation,
    LegalCharacterization,
    ViolationType,
)
from sijill.places.models import Place
from sijill.security.readable import person_readable, readable_by
from sijill.security.roles import OPERATOR, readable_levels
from sijill.store.base import ACCESS_LEVELS
from sijill.store.lookup import by_number_or, unknown
from sijill.store.models import Citation, Person, Record, Source

CONFIDENCE = ("low", "medium", "high")
ALLEGATION_WORDING = {
    "alleged": "alleged",
    "corroborated": "alleged, corroborated by more than one source",
    "established_by_court": "established by a court",
}


def find_incident(session: Session, ref: str | int) -> Incident:
    """An incident by numeric id or external id; an unknown one is refused naming the close
    matches among every incident (the operator's view: a door for readers of fewer levels asks
    through :func:`sijill.incidents.access.visible_incident`)."""
    found = by_number_or(session, Incident, Incident.external_id, ref)
    if found is None:
        known = session.execute(select(Incident.id, Incident.external_id))
        raise unknown("incident", str(ref), (str(e or n) for n, e in known))
    return found


def link_ids(incident: Incident) -> list[str]:
    """The ids an evidence link may name the incident by (``sijill evidence link`` takes
    either its number or its own id)."""
    return [str(incident.id), *([incident.external_id] if incident.external_id else [])]


def label(incident: dict[str, Any], lang: str = "en") -> str:
    """How every page names an incident: its number and title (in Arabic when it has one and
    ``lang`` is ``ar``)."""
    title = incident.get("title_ar") if lang == "ar" else None
    return f"#{incident['id']} {title or incident['title']}"


# ---------------------------------------------------------------- reading


def victim_counts(
    session: Session,
    incident_ids: Sequence[int],
    reader: str = OPERATOR,
    leave_out: Collection[int] = (),
) -> dict[int, dict[str, int]]:
    """Per incident: ``named`` (distinct identified victims: linked persons and confirmed
    identified records) and ``documented`` (named plus people counted without names), counting
    only persons and records ``reader`` may know of, never the records numbered in
    ``leave_out`` (those a recipient may not receive, :func:`~sijill.disclosure.consent.
    records_held`) nor a person known only from them.
    :func:`list_incidents` adds ``with_sub_incidents`` (documented, summed down the tree)."""
    out = {i: {"named": 0, "documented": 0} for i in incident_ids}
    named: dict[int, set[str]] = {i: set() for i in incident_ids}
    unnamed: dict[int, int] = dict.fromkeys(incident_ids, 0)
    if not incident_ids:
        return out
    hidden = _known_only_from(session, incident_ids, reader, leave_out) if leave_out else set()
    for incident_id, person_id, count in session.execute(
        select(IncidentVictim.incident_id, IncidentVictim.person_id, IncidentVictim.count)
        .outerjoin(Person, Person.id == IncidentVictim.person_id)
        .where(
            IncidentVictim.incident_id.in_(incident_ids),
            or_(IncidentVictim.person_id.is_(None), person_readable(reader)),
        )
    ):
        if person_id is None:
            unnamed[incident_id] += count
        elif person_id not in hidden:
            named[incident_id].add(f"p{person_id}")
    for incident_id, record_id, person_id, unidentified, count in session.execute(
        select(
            IncidentRecord.incident_id,
            Record.id,
            Record.person_id,
            Record.unidentified,
            Record.count,
        )
        .join(Record, Record.id == IncidentRecord.record_id)
        .join(Source, Source.id == Record.source_id)
        .where(
            IncidentRecord.incident_id.in_(incident_ids),
            IncidentRecord.status == "confirmed",
            readable_by(reader, Record),
            readable_by(reader, Source),
        )
    ):
        if record_id in leave_out:
            continue
        if unidentified or (count or 1) > 1:
            unnamed[incident_id] += count or 1
        else:
            named[incident_id].add(f"p{person_id}" if person_id else f"r{record_id}")
    for incident_id in incident_ids:
        out[incident_id] = {
            "named": len(named[incident_id]),
            "documented": len(named[incident_id]) + unnamed[incident_id],
        }
    return out


def _known_only_from(
    session: Session, incident_ids: Sequence[int], reader: str, leave_out: Collection[int]
) -> set[int]:
    """The persons named as victims of the incidents whose every record ``reader`` may read is
    numbered in ``leave_out``: known only from records held back, they are not counted."""
    victims = select(IncidentVictim.person_id).where(
        IncidentVictim.incident_id.in_(incident_ids), IncidentVictim.person_id.is_not(None)
    )
    held = set(leave_out)
    records: dict[int | None, set[int]] = {}
    for person_id, record_id in session.execute(
        select(Record.person_id, Record.id)
        .join(Source, Source.id == Record.source_id)
        .where(
            Record.person_id.in_(victims),
            readable_by(reader, Record),
            readable_by(reader, Source),
        )
    ):
        records.setdefault(person_id, set()).add(record_id)
    return {pid for pid, ids in records.items() if pid is not None and ids <= held}


def incidents_of_victim(
    session: Session, person_id: int, reader: str = OPERATOR
) -> list[dict[str, Any]]:
    """The incidents ``reader`` may read that count the person among their victims: named
    as a victim, or through a confirmed link to one of the person's records it may read."""
    named = select(IncidentVictim.incident_id).where(IncidentVictim.person_id == person_id)
    linked = (
        select(IncidentRecord.incident_id)
        .join(Record, Record.id == IncidentRecord.record_id)
        .join(Source, Source.id == Record.source_id)
        .where(
            Record.person_id == person_id,
            IncidentRecord.status == "confirmed",
            readable_by(reader, Record),
            readable_by(reader, Source),
        )
    )
    rows = session.execute(
        select(Incident.id, Incident.title, Incident.title_ar, Incident.start_date)
        .where(or_(Incident.id.in_(named), Incident.id.in_(linked)), readable_by(reader, Incident))
        .order_by(Incident.start_day, Incident.id)
    )
    return [dict(row._mapping) for row in rows]


def citations_of(
    session: Session, claim_table: str, claim_id: int, reader: str = OPERATOR
) -> list[dict[str, Any]]:
    """The citations of one claim whose source ``reader`` may read."""
    rows = session.execute(
        select(Citation, Source.name)
        .join(Source, Source.id == Citation.source_id)
        .where(
            Citation.claim_table == claim_table,
            Citation.claim_id == str(claim_id),
            readable_by(reader, Source),
        )
        .order_by(Citation.id)
    )
    return [
        {"source": name, "field": c.field, "locator": c.locator, "confidence": c.confidence}
        for c, name in rows
    ]


def list_incidents(
    session: Session,
    access: Sequence[str] = ACCESS_LEVELS,
    reader: str = OPERATOR,
    only: Sequence[int] | None = None,
    leave_out: Collection[int] = (),
) -> list[dict[str, Any]]:
    """Every incident (of the given access levels; ``only`` those ids) in date order, with
    places, violations, victim counts (of what ``reader`` may read, never the records numbered
    in ``leave_out``) and alleged perpetrators (an allegation against a person ``reader`` may
    not know of is left out)."""
    stmt = select(Incident).where(Incident.access.in_(list(access)))
    if only is not None:
        stmt = stmt.where(Incident.id.in_(list(only)))
    incidents = list(session.scalars(stmt.order_by(Incident.start_day, Incident.id)))
    ids = [i.id for i in incidents]
    if not ids:
        return []
    places: dict[int, list[Place]] = {i: [] for i in ids}
    for incident_id, place in session.execute(
        select(IncidentPlace.incident_id, Place)
        .join(Place, Place.id == IncidentPlace.place_id)
        .where(IncidentPlace.incident_id.in_(ids))
        .order_by(IncidentPlace.id)
    ):
        places[incident_id].append(place)
    violations: dict[int, list[ViolationType]] = {i: [] for i in ids}
    for incident_id, term in session.execute(
        select(IncidentViolation.incident_id, ViolationType)
        .join(ViolationType, ViolationType.id == IncidentViolation.violation_type_id)
        .where(IncidentViolation.incident_id.in_(ids))
    ):
        violations[incident_id].append(term)
    perpetrators: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
    for row, unit, name, name_ar in session.execute(
        select(
            IncidentPerpetrator, Organization.external_id, Organization.name, Organization.name_ar
        )
        .outerjoin(Organization, Organization.id == IncidentPerpetrator.organization_id)
        .outerjoin(Person, Person.id == IncidentPerpetrator.person_id)
        .where(
            IncidentPerpetrator.incident_id.in_(ids),
            or_(IncidentPerpetrator.person_id.is_(None), person_readable(reader)),
        )
        .order_by(IncidentPerpetrator.position, IncidentPerpetrator.id)
    ):
        perpetrators[row.incident_id].append(_perpetrator_summary(row, unit, name, name_ar))
    counts = victim_counts(session, ids, reader, leave_out)
    children = _children((i.id, i.parent_id) for i in incidents)
    for incident_id in ids:
        counts[incident_id]["with_sub_incidents"] = sum(
            counts[d]["documented"] for d in _descendants(incident_id, children, {incident_id})
        )
    return [
        {
            "id": i.id,
            "external_id": i.external_id,
            "title": i.title,
            "title_ar": i.title_ar,
            "parent_id": i.parent_id,
            "start_date": i.start_date,
            "end_date": i.end_date,
            "start_day": i.start_day.isoformat() if i.start_day else None,
            "end_day": i.end_day.isoformat() if i.end_day else None,
            "access": i.access,
            "synthetic": i.synthetic,
            "places": [_place_summary(p) for p in places[i.id]],
            "violations": [
                {"code": v.code, "label_en": v.label_en, "label_ar": v.label_ar}
                for v in violations[i.id]
            ],
            "victims": counts[i.id],
            "place": i.place,
            "perpetrators": perpetrators[i.id],
        }
        for i in incidents
    ]


def show_incident(session: Session, ref: str | int, reader: str = OPERATOR) -> dict[str, Any]:
    """One incident with every claim and its citations, sub-incidents and record links, each
    nested reference limited to what ``reader`` may read (the incident itself is not checked:
    :func:`sijill.incidents.access.read_incident` does that)."""
    incident = find_incident(session, ref)
    # Its summary as the list gives it, from the incident and its sub-incidents alone; those
    # beyond the reader's levels add nothing to its counts, as in the list.
    levels = [lv for lv in ACCESS_LEVELS if lv in readable_levels(reader) or lv == incident.access]
    children = _children(
        session.execute(
            select(Incident.id, Incident.parent_id).where(
                Incident.parent_id.is_not(None), Incident.access.in_(levels)
            )
        )
    )
    tree = _descendants(incident.id, children, {incident.id})
    (doc,) = (
        d for d in list_incidents(session, levels, reader, sorted(tree)) if d["id"] == incident.id
    )

    def cited(table: str, claim_id: int) -> list[dict[str, Any]]:
        return citations_of(session, table, claim_id, reader)

    doc["description"] = incident.description
    doc["citations"] = cited("incidents", incident.id)
    for perp in doc["perpetrators"]:
        perp["citations"] = cited("incident_perpetrators", perp["id"])
    doc["victims"]["unnamed_groups"] = [
        {
            "count": v.count,
            "note": v.note,
            "citations": cited("incident_victims", v.id),
        }
        for v in session.scalars(
            select(IncidentVictim).where(
                IncidentVictim.incident_id == incident.id, IncidentVictim.person_id.is_(None)
            )
        )
    ]
    doc["victims"]["persons"] = list(
        session.scalars(
            select(IncidentVictim.person_id)
            .join(Person, Person.id == IncidentVictim.person_id)
            .where(IncidentVictim.incident_id == incident.id, person_readable(reader))
        )
    )
    for violation_id, code in session.execute(
        select(IncidentViolation.id, ViolationType.code)
        .join(ViolationType, ViolationType.id == IncidentViolation.violation_type_id)
        .where(IncidentViolation.incident_id == incident.id)
    ):
        for item in doc["violations"]:
            if item["code"] == code:
                item["citations"] = cited("incident_violations", violation_id)
    doc["characterizations"] = [
        {
            "code": c.code,
            "label_en": c.label_en,
            "label_ar": c.label_ar,
            "instrument": c.instrument,
            "article": c.article,
            "analyst": ic.analyst,
            "wording": "an analyst's legal characterization, not a judicial finding",
            "citations": cited("incident_characterizations", ic.id),
        }
        for ic, c in session.execute(
            select(IncidentCharacterization, LegalCharacterization)
            .join(
                LegalCharacterization,
                LegalCharacterization.id == IncidentCharacterization.characterization_id,
            )
            .where(IncidentCharacterization.incident_id == incident.id)
        )
    ]
    doc["evidence"] = items_linked(session, "incident", link_ids(incident), reader)
    doc["sub_incidents"] = list(
        session.scalars(
            select(Incident.id).where(
                Incident.parent_id == incident.id, readable_by(reader, Incident)
            )
        )
    )
    doc["record_links"] = dict(
        session.execute(
            select(IncidentRecord.status, func.count())
            .join(Record, Record.id == IncidentRecord.record_id)
            .join(Source, Source.id == Record.source_id)
            .where(
                IncidentRecord.incident_id == incident.id,
                readable_by(reader, Record),
                readable_by(reader, Source),
            )
            .group_by(IncidentRecord.status)
        ).all()
    )
    return doc


def _children(pairs: Iterable[tuple[int, int | None]]) -> dict[int, list[int]]:
    """Each incident's sub-incidents, from ``(id, parent id)`` pairs."""
    children: dict[int, list[int]] = {}
    for incident_id, parent_id in pairs:
        if parent_id is not None:
            children.setdefault(parent_id, []).append(incident_id)
    return children


def _descendants(incident_id: int, children: dict[int, list[int]], seen: set[int]) -> set[int]:
    """The incident and every sub-incident below it (among those listed)."""
    for child in children.get(incident_id, []):
        if child not in seen:
            seen.add(child)
            _descendants(child, children, seen)
    return seen


def _place_summary(place: Place) -> dict[str, Any]:
    return {
        "id": place.id,
        "external_id": place.external_id,
        "name_ar": place.name_ar,
        "name_latin": place.name_latin,
        "type": place.type,
        "latitude": place.latitude,
        "longitude": place.longitude,
    }


def _perpetrator_summary(
    row: IncidentPerpetrator, unit: str | None, name: str | None, name_ar: str | None
) -> dict[str, Any]:
    return {
        "id": row.id,
        "organization_id": unit,
        "organization_name": name,
        "organization_name_ar": name_ar,
        "person_id": row.person_id,
        "involvement": row.involvement,
        "allegation_status": row.status,
        "wording": ALLEGATION_WORDING[row.status],
    }
