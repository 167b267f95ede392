"""Create, read and describe incidents. Perpetrator links are always worded as allegations."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sijill.dates import normalize
from sijill.errors import NotFound, SijillError
from sijill.incidents.dates import range_span
from sijill.incidents.models import (
    ALLEGATION_STATUS,
    INVOLVEMENT,
    Incident,
    IncidentCharacterization,
    IncidentEvidence,
    IncidentPerpetrator,
    IncidentPlace,
    IncidentRecord,
    IncidentVictim,
    IncidentViolation,
    LegalCharacterization,
    ViolationType,
)
from sijill.incidents.vocabulary import characterization, violation_type
from sijill.places.models import Place
from sijill.places.store import find_place, load_index
from sijill.store.base import ACCESS_LEVELS
from sijill.store.changelog import log_change
from sijill.store.models import Citation, Record, Source

CONFIDENCE = ("low", "medium", "high")
ALLEGATION_WORDING = {
    "alleged": "alleged",
    "corroborated": "alleged, corroborated by more than one source",
    "established_by_court": "established by a court",
}


@dataclass
class CitationInput:
    """A source for one claim, with a locator (page, timestamp) and a confidence."""

    source: str  # source name or numeric id
    locator: str | None = None
    confidence: str = "medium"


@dataclass
class PerpetratorInput:
    organization_ref: str | None = None  # a unit's external id (as in the command structure)
    person_id: int | None = None
    involvement: str = "carried_out"
    status: str = "alleged"
    note: str | None = None
    citations: list[CitationInput] = field(default_factory=list)


@dataclass
class IncidentInput:
    """Everything an analyst states about one incident; each claim may carry its citations."""

    title: str
    places: list[str] = field(default_factory=list)  # place ids, external ids or place strings
    start_date: str | None = None
    end_date: str | None = None
    title_ar: str | None = None
    description: str | None = None
    external_id: str | None = None
    parent: str | None = None  # parent incident's id or external id
    violations: list[str] = field(default_factory=list)
    characterizations: list[str] = field(default_factory=list)
    # Sources for one violation or one characterization, by its code.
    violation_citations: dict[str, list[CitationInput]] = field(default_factory=dict)
    characterization_citations: dict[str, list[CitationInput]] = field(default_factory=dict)
    victim_persons: list[int] = field(default_factory=list)
    victim_count: int | None = None  # people whose names are not known
    perpetrators: list[PerpetratorInput] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    citations: list[CitationInput] = field(default_factory=list)  # for the incident as a whole
    victim_citations: list[CitationInput] = field(default_factory=list)
    access: str = "internal"
    synthetic: bool = False


def create_incident(session: Session, data: IncidentInput, actor: str | None = None) -> Incident:
    """Store one incident with its places, violations, victims, alleged perpetrators,
    evidence and citations; place strings are resolved through the gazetteer."""
    if data.access not in ACCESS_LEVELS:
        raise SijillError(f"access must be one of {', '.join(ACCESS_LEVELS)}")
    start_day, end_day = range_span(data.start_date, data.end_date)
    incident = Incident(
        external_id=data.external_id,
        title=data.title,
        title_ar=data.title_ar,
        description=data.description,
        parent_id=find_incident(session, data.parent).id if data.parent else None,
        start_date=normalize(data.start_date),
        end_date=normalize(data.end_date or data.start_date),
        start_day=start_day,
        end_day=end_day,
        access=data.access,
        synthetic=data.synthetic,
        created_by=actor,
    )
    session.add(incident)
    session.flush()
    for place_id in {resolve_place_ref(session, ref) for ref in data.places}:
        session.add(IncidentPlace(incident_id=incident.id, place_id=place_id))
    for code in dict.fromkeys(data.violations):
        violation = IncidentViolation(
            incident_id=incident.id, violation_type_id=violation_type(session, code).id
        )
        session.add(violation)
        session.flush()
        cite(session, "incident_violations", violation.id, data.violation_citations.get(code, []))
    for code in dict.fromkeys(data.characterizations):
        qualified = IncidentCharacterization(
            incident_id=incident.id,
            characterization_id=characterization(session, code).id,
            analyst=actor,
        )
        session.add(qualified)
        session.flush()
        cite(
            session,
            "incident_characterizations",
            qualified.id,
            data.characterization_citations.get(code, []),
        )
    for person_id in dict.fromkeys(data.victim_persons):
        session.add(IncidentVictim(incident_id=incident.id, person_id=person_id, count=1))
    if data.victim_count:
        victims = IncidentVictim(
            incident_id=incident.id, count=data.victim_count, note="names unknown"
        )
        session.add(victims)
        session.flush()
        cite(session, "incident_victims", victims.id, data.victim_citations, "count")
    for item in data.perpetrators:
        add_perpetrator(session, incident, item)
    for ref in dict.fromkeys(data.evidence):
        session.add(IncidentEvidence(incident_id=incident.id, evidence_ref=ref))
    cite(session, "incidents", incident.id, data.citations)
    session.flush()
    log_change(
        session,
        action="incidents.add",
        entity="incidents",
        entity_id=incident.id,
        detail={"title": data.title, "external_id": data.external_id},
        actor=actor,
    )
    return incident


def add_perpetrator(
    session: Session, incident: Incident, item: PerpetratorInput
) -> IncidentPerpetrator:
    """Attach an alleged perpetrator (unit or person) with involvement and allegation status."""
    if not (item.organization_ref or item.person_id):
        raise SijillError("a perpetrator needs a unit id or a person id")
    if item.involvement not in INVOLVEMENT:
        raise SijillError(f"involvement must be one of {', '.join(INVOLVEMENT)}")
    if item.status not in ALLEGATION_STATUS:
        raise SijillError(f"allegation status must be one of {', '.join(ALLEGATION_STATUS)}")
    row = IncidentPerpetrator(
        incident_id=incident.id,
        organization_ref=item.organization_ref,
        person_id=item.person_id,
        involvement=item.involvement,
        status=item.status,
        note=item.note,
    )
    session.add(row)
    session.flush()
    cite(session, "incident_perpetrators", row.id, item.citations)
    return row


def cite(
    session: Session,
    claim_table: str,
    claim_id: int,
    citations: Sequence[CitationInput],
    field_name: str | None = None,
) -> None:
    """Store the citations of one claim in the shared citation table."""
    for item in citations:
        if item.confidence not in CONFIDENCE:
            raise SijillError(f"confidence must be one of {', '.join(CONFIDENCE)}")
        session.add(
            Citation(
                source_id=find_source(session, item.source).id,
                claim_table=claim_table,
                claim_id=str(claim_id),
                field=field_name,
                locator=item.locator,
                confidence=item.confidence,
            )
        )


def find_source(session: Session, ref: str) -> Source:
    source = session.get(Source, int(ref)) if ref.isdigit() else None
    source = source or session.scalar(select(Source).where(Source.name == ref))
    if source is None:
        raise NotFound(f"no source {ref!r}; import or register it first")
    return source


def find_incident(session: Session, ref: str | int) -> Incident:
    """An incident by numeric id or external id."""
    ref = str(ref)
    found = session.get(Incident, int(ref)) if ref.isdigit() else None
    found = found or session.scalar(select(Incident).where(Incident.external_id == ref))
    if found is None:
        raise NotFound(f"no incident {ref!r}")
    return found


def resolve_place_ref(session: Session, ref: str) -> int:
    """A place id from an id, an external id or a place string matched through the gazetteer."""
    try:
        return find_place(session, ref).id
    except NotFound:
        match = load_index(session).match(ref)
        if match.place_id is None:
            raise NotFound(
                f"place {ref!r} not resolved ({match.method}); map it with `sijill places map`"
            ) from None
        return match.place_id


# ---------------------------------------------------------------- reading


def victim_counts(session: Session, incident_ids: Sequence[int]) -> dict[int, dict[str, int]]:
    """Per incident: ``named`` (distinct identified victims: linked persons and confirmed
    identified records) and ``documented`` (named plus people counted without names).
    :func:`list_incidents` adds ``with_sub_incidents`` (documented, summed down the tree)."""
    out = {i: {"named": 0, "documented": 0} for i in incident_ids}
    named: dict[int, set[str]] = {i: set() for i in incident_ids}
    unnamed: dict[int, int] = dict.fromkeys(incident_ids, 0)
    if not incident_ids:
        return out
    for incident_id, person_id, count in session.execute(
        select(IncidentVictim.incident_id, IncidentVictim.person_id, IncidentVictim.count).where(
            IncidentVictim.incident_id.in_(incident_ids)
        )
    ):
        if person_id is not None:
            named[incident_id].add(f"p{person_id}")
        else:
            unnamed[incident_id] += count
    for incident_id, record_id, person_id, unidentified, count in session.execute(
        select(
            IncidentRecord.incident_id,
            Record.id,
            Record.person_id,
            Record.unidentified,
            Record.count,
        )
        .join(Record, Record.id == IncidentRecord.record_id)
        .where(IncidentRecord.incident_id.in_(incident_ids), IncidentRecord.status == "confirmed")
    ):
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


def citations_of(session: Session, claim_table: str, claim_id: int) -> list[dict[str, Any]]:
    rows = session.execute(
        select(Citation, Source.name)
        .join(Source, Source.id == Citation.source_id)
        .where(Citation.claim_table == claim_table, Citation.claim_id == str(claim_id))
    )
    return [
        {"source": name, "field": c.field, "locator": c.locator, "confidence": c.confidence}
        for c, name in rows
    ]


def list_incidents(session: Session, access: Sequence[str] = ACCESS_LEVELS) -> list[dict[str, Any]]:
    """Every incident (of the given access levels) in date order, with places, violations,
    victim counts and alleged perpetrator units."""
    incidents = list(
        session.scalars(
            select(Incident)
            .where(Incident.access.in_(list(access)))
            .order_by(Incident.start_day, Incident.id)
        )
    )
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
    perpetrators: dict[int, list[IncidentPerpetrator]] = {i: [] for i in ids}
    for row in session.scalars(
        select(IncidentPerpetrator).where(IncidentPerpetrator.incident_id.in_(ids))
    ):
        perpetrators[row.incident_id].append(row)
    counts = victim_counts(session, ids)
    children: dict[int, list[int]] = {}
    for i in incidents:
        if i.parent_id is not None:
            children.setdefault(i.parent_id, []).append(i.id)
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
            "perpetrators": [_perpetrator_summary(p) for p in perpetrators[i.id]],
        }
        for i in incidents
    ]


def show_incident(session: Session, ref: str | int) -> dict[str, Any]:
    """One incident with every claim and its citations, sub-incidents and record links."""
    incident = find_incident(session, ref)
    doc = next(d for d in list_incidents(session) if d["id"] == incident.id)
    doc["description"] = incident.description
    doc["citations"] = citations_of(session, "incidents", incident.id)
    for perp in doc["perpetrators"]:
        perp["citations"] = citations_of(session, "incident_perpetrators", perp["id"])
    doc["victims"]["unnamed_groups"] = [
        {
            "count": v.count,
            "note": v.note,
            "citations": citations_of(session, "incident_victims", v.id),
        }
        for v in session.scalars(
            select(IncidentVictim).where(
                IncidentVictim.incident_id == incident.id, IncidentVictim.person_id.is_(None)
            )
        )
    ]
    doc["victims"]["persons"] = list(
        session.scalars(
            select(IncidentVictim.person_id).where(
                IncidentVictim.incident_id == incident.id, IncidentVictim.person_id.is_not(None)
            )
        )
    )
    for violation_id, code in session.execute(
        select(IncidentViolation.id, ViolationType.code)
        .join(ViolationType, ViolationType.id == IncidentViolation.violation_type_id)
        .where(IncidentViolation.incident_id == incident.id)
    ):
        for item in doc["violations"]:
            if item["code"] == code:
                item["citations"] = citations_of(session, "incident_violations", violation_id)
    doc["characterizations"] = [
        {
            "code": c.code,
            "label_en": c.label_en,
            "label_ar": c.label_ar,
            "instrument": c.instrument,
            "article": c.article,
            "analyst": ic.analyst,
            "wording": "an analyst's legal characterization, not a judicial finding",
            "citations": citations_of(session, "incident_characterizations", ic.id),
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
    doc["evidence"] = list(
        session.scalars(
            select(IncidentEvidence.evidence_ref).where(IncidentEvidence.incident_id == incident.id)
        )
    )
    doc["sub_incidents"] = list(
        session.scalars(select(Incident.id).where(Incident.parent_id == incident.id))
    )
    doc["record_links"] = dict(
        session.execute(
            select(IncidentRecord.status, func.count())
            .where(IncidentRecord.incident_id == incident.id)
            .group_by(IncidentRecord.status)
        ).all()
    )
    return doc


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


def _perpetrator_summary(row: IncidentPerpetrator) -> dict[str, Any]:
    return {
        "id": row.id,
        "organization_id": row.organization_ref,
        "person_id": row.person_id,
        "involvement": row.involvement,
        "allegation_status": row.status,
        "wording": ALLEGATION_WORDING[row.status],
    }
