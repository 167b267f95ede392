"""Saving incidents, whichever door they come in by (structure file, CLI, JSON file): a new one
is added, a stored one (same external id) is updated with what the door states and each
difference is named. Alleged perpetrators are units or persons of the case, refused with the
close matches when unknown; citations name sources the case has."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sijill.command import resolve
from sijill.dates import normalize
from sijill.errors import NotFound, SijillError, about
from sijill.evidence.items import get_item, link_item
from sijill.evidence.models import EvidenceLink
from sijill.incidents.dates import range_span
from sijill.incidents.models import (
    ALLEGATION_STATUS,
    INVOLVEMENT,
    Incident,
    IncidentCharacterization,
    IncidentPerpetrator,
    IncidentPlace,
    IncidentVictim,
    IncidentViolation,
    LegalCharacterization,
    ViolationType,
)
from sijill.incidents.service import CONFIDENCE, find_incident, link_ids
from sijill.incidents.vocabulary import characterization, violation_type
from sijill.places.models import Place, PlaceName
from sijill.places.store import find_place, load_index, place_label, search_places
from sijill.store.base import ACCESS_LEVELS
from sijill.store.changelog import default_actor, log_change
from sijill.store.lookup import close_matches, require_source
from sijill.store.merges import surviving
from sijill.store.models import Citation, Person


@dataclass
class CitationInput:
    """A source for one claim, with a locator (page, timestamp) and a confidence."""

    source: str  # source name or numeric id
    locator: str | None = None
    confidence: str = "medium"


@dataclass
class PerpetratorInput:
    organization_ref: str | None = None  # a unit's id in the command structure
    person_id: int | None = None
    involvement: str | None = None  # None: not stated
    status: str = "alleged"
    note: str | None = None
    citations: list[CitationInput] = field(default_factory=list)


@dataclass
class IncidentInput:
    """Everything a door (structure file, CLI, JSON file, web form) states about one incident;
    each claim may carry its citations. ``None`` and empty lists are "not stated"."""

    title: str | None = None
    places: list[str] = field(default_factory=list)  # place ids, external ids or place strings
    start_date: str | None = None
    end_date: str | None = None
    title_ar: str | None = None
    description: str | None = None
    external_id: str | None = None
    parent: str | None = None  # parent incident's id or external id
    place: str | None = None  # the place as written (kept even when the gazetteer lacks it)
    violations: list[str] = field(default_factory=list)
    characterizations: list[str] = field(default_factory=list)
    # Sources for one violation or one characterization, by its code.
    violation_citations: dict[str, list[CitationInput]] = field(default_factory=dict)
    characterization_citations: dict[str, list[CitationInput]] = field(default_factory=dict)
    victim_persons: list[int] = field(default_factory=list)
    victim_count: int | None = None  # people whose names are not known
    perpetrators: list[PerpetratorInput] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)  # evidence item ids in the vault
    citations: list[CitationInput] = field(default_factory=list)  # for the incident as a whole
    victim_citations: list[CitationInput] = field(default_factory=list)
    access: str | None = None  # None: internal for a new incident, unchanged for a stored one
    confidence: str | None = None
    extra: dict[str, Any] | None = None
    synthetic: bool = False


@dataclass
class Saved:
    """What saving one incident did: ``added``, ``updated`` (with what differed) or
    ``unchanged``."""

    incident: Incident
    state: str
    changes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.incident.id,
            "external_id": self.incident.external_id,
            "state": self.state,
        }
        if self.changes:
            out["changes"] = self.changes
        return out


def save_incident(session: Session, data: IncidentInput, actor: str | None = None) -> Saved:
    """Store an incident, whichever door it came in by. An incident whose external id is
    already stored is updated with what ``data`` states, and the differences are named;
    nothing it does not state is removed."""
    existing = (
        session.scalar(select(Incident).where(Incident.external_id == data.external_id))
        if data.external_id
        else None
    )
    if existing is None:
        return Saved(create_incident(session, data, actor), "added")
    return save_changes(session, existing, data, actor)


def save_changes(
    session: Session,
    incident: Incident,
    data: IncidentInput,
    actor: str | None = None,
    why: str | None = None,
) -> Saved:
    """Apply what ``data`` states to a stored incident and log each difference with who made
    it and why (the change log keeps when)."""
    changes = update_incident(session, incident, data, actor)
    if changes:
        log_change(
            session,
            action="incidents.update",
            entity="incidents",
            entity_id=incident.id,
            detail={"external_id": incident.external_id, "changes": changes},
            why=why,
            actor=actor,
        )
    return Saved(incident, "updated" if changes else "unchanged", changes)


def default_title(external_id: str | None, place: str | None) -> str:
    """The title of an incident a door gave none (a structure file's incidents)."""
    name = f"Incident {external_id or ''}".strip()
    return f"{name} at {place}" if place else name


def create_incident(session: Session, data: IncidentInput, actor: str | None = None) -> Incident:
    """Store one new incident with its places, violations, victims, alleged perpetrators,
    evidence links and citations; place strings are resolved through the gazetteer."""
    access = data.access or "internal"
    if access not in ACCESS_LEVELS:
        raise SijillError(f"access must be one of {', '.join(ACCESS_LEVELS)}", field="access")
    start_date, end_date = _dates(data)
    start_day, end_day = range_span(start_date, end_date)
    with about("parent_id"):
        parent_id = find_incident(session, data.parent).id if data.parent else None
    incident = Incident(
        external_id=data.external_id,
        title=data.title or default_title(data.external_id, data.place),
        title_ar=data.title_ar,
        description=data.description,
        parent_id=parent_id,
        place=data.place,
        start_date=start_date,
        end_date=end_date,
        start_day=start_day,
        end_day=end_day,
        access=access,
        confidence=data.confidence,
        extra=data.extra,
        synthetic=data.synthetic,
        created_by=actor,
    )
    session.add(incident)
    session.flush()
    _add_claims(session, incident, data, actor)
    with about("sources"):
        cite(session, "incidents", incident.id, data.citations)
    session.flush()
    log_change(
        session,
        action="incidents.add",
        entity="incidents",
        entity_id=incident.id,
        detail={"title": incident.title, "external_id": data.external_id},
        actor=actor,
    )
    return incident


def _dates(data: IncidentInput) -> tuple[str | None, str | None]:
    """The incident's start and end in the one date grammar's canonical form; a bad date is
    refused naming its field."""
    with about("start_date"):
        start = normalize(data.start_date)
    with about("end_date"):
        end = normalize(data.end_date)
        range_span(start, end)
    return start, end


def _add_claims(
    session: Session, incident: Incident, data: IncidentInput, actor: str | None
) -> list[str]:
    """Add the places, violations, characterizations, victims, perpetrators and evidence
    ``data`` states that the incident lacks; name what was added."""
    added: list[str] = []
    have_places = set(
        session.scalars(
            select(IncidentPlace.place_id).where(IncidentPlace.incident_id == incident.id)
        )
    )
    refs = []
    for n, ref in enumerate(data.places):
        with about(f"places.{n}"):
            refs.append(resolve_place_ref(session, ref))
    if data.place and not data.places:
        refs += _gazetteer_place(session, data.place)
    for place_id in dict.fromkeys(refs):
        if place_id not in have_places:
            session.add(IncidentPlace(incident_id=incident.id, place_id=place_id))
            added.append(f"place {place_id} added")
    have_violations = set(
        session.scalars(
            select(ViolationType.code)
            .join(IncidentViolation, IncidentViolation.violation_type_id == ViolationType.id)
            .where(IncidentViolation.incident_id == incident.id)
        )
    )
    for code in dict.fromkeys(data.violations):
        if code in have_violations:
            continue
        with about("violations"):
            term = violation_type(session, code)
        violation = IncidentViolation(incident_id=incident.id, violation_type_id=term.id)
        session.add(violation)
        session.flush()
        with about("violations"):
            cite(
                session, "incident_violations", violation.id, data.violation_citations.get(code, [])
            )
        added.append(f"violation {code} added")
    have_codes = set(
        session.scalars(
            select(LegalCharacterization.code)
            .join(
                IncidentCharacterization,
                IncidentCharacterization.characterization_id == LegalCharacterization.id,
            )
            .where(IncidentCharacterization.incident_id == incident.id)
        )
    )
    for code in dict.fromkeys(data.characterizations):
        if code in have_codes:
            continue
        with about("characterizations"):
            term_id = characterization(session, code).id
        qualified = IncidentCharacterization(
            incident_id=incident.id, characterization_id=term_id, analyst=actor
        )
        session.add(qualified)
        session.flush()
        with about("characterizations"):
            cite(
                session,
                "incident_characterizations",
                qualified.id,
                data.characterization_citations.get(code, []),
            )
        added.append(f"characterization {code} added")
    victims = list(
        session.scalars(select(IncidentVictim).where(IncidentVictim.incident_id == incident.id))
    )
    named = {v.person_id for v in victims if v.person_id is not None}
    for person_id in dict.fromkeys(data.victim_persons):
        if session.get(Person, person_id) is None:
            raise NotFound(f"no person with id {person_id}", field="victims.persons")
        if person_id not in named:
            session.add(IncidentVictim(incident_id=incident.id, person_id=person_id, count=1))
            added.append(f"victim person {person_id} added")
    unnamed = next((v for v in victims if v.person_id is None), None)
    if data.victim_count and unnamed is None:
        unnamed = IncidentVictim(
            incident_id=incident.id, count=data.victim_count, note="names unknown"
        )
        session.add(unnamed)
        session.flush()
        with about("victims.sources"):
            cite(session, "incident_victims", unnamed.id, data.victim_citations, "count")
        added.append(f"victims without names: {data.victim_count}")
    elif data.victim_count and unnamed is not None and unnamed.count != data.victim_count:
        added.append(f"victims without names: {unnamed.count} -> {data.victim_count}")
        unnamed.count = data.victim_count
    added += _save_perpetrators(session, incident, data.perpetrators, actor)
    for ref in dict.fromkeys(data.evidence):
        with about("evidence"):
            if link_evidence(session, incident, ref, actor):
                added.append(f"evidence {ref} linked")
    return added


def update_incident(
    session: Session, incident: Incident, data: IncidentInput, actor: str | None = None
) -> list[str]:
    """Apply what ``data`` states to a stored incident; name each difference."""
    changes: list[str] = []
    if data.access is not None and data.access not in ACCESS_LEVELS:
        raise SijillError(f"access must be one of {', '.join(ACCESS_LEVELS)}", field="access")
    start_date, end_date = _dates(data)
    stated: dict[str, Any] = {
        "title": data.title,
        "title_ar": data.title_ar,
        "description": data.description,
        "place": data.place,
        "start_date": start_date,
        "end_date": end_date,
        "access": data.access,
        "confidence": data.confidence,
        "extra": data.extra,
    }
    if data.parent:
        with about("parent_id"):
            stated["parent_id"] = find_incident(session, data.parent).id
    if stated["start_date"] and not stated["end_date"] and incident.end_date is not None:
        # A start stated alone states the whole range: the end is left empty (its span is the
        # start's own, as range_span gives it).
        changes.append(f"end_date: {incident.end_date!r} -> None")
        incident.end_date = None
    for key, value in stated.items():
        if value is not None and getattr(incident, key) != value:
            changes.append(f"{key}: {getattr(incident, key)!r} -> {value!r}")
            setattr(incident, key, value)
    with about("end_date"):
        incident.start_day, incident.end_day = range_span(incident.start_date, incident.end_date)
    changes += _add_claims(session, incident, data, actor)
    before = len(session.new)
    with about("sources"):
        cite(session, "incidents", incident.id, data.citations)
    if len(session.new) > before:
        changes.append("citations added")
    session.flush()
    return changes


def _save_perpetrators(
    session: Session, incident: Incident, items: Sequence[PerpetratorInput], actor: str | None
) -> list[str]:
    """Add the alleged perpetrators the incident lacks; update the status (and a stated
    involvement) of those it has. Name every difference."""
    stored = list(
        session.scalars(
            select(IncidentPerpetrator).where(IncidentPerpetrator.incident_id == incident.id)
        )
    )
    by_target = {(p.organization_id, p.person_id): p for p in stored}
    changes: list[str] = []
    for position, item in enumerate(items, start=len(stored)):
        with about(f"perpetrators.{position - len(stored)}"):
            changes += _save_perpetrator(session, incident, item, position, by_target, actor)
    return changes


def _save_perpetrator(
    session: Session,
    incident: Incident,
    item: PerpetratorInput,
    position: int,
    by_target: dict[tuple[int | None, int | None], IncidentPerpetrator],
    actor: str | None,
) -> list[str]:
    """Add one alleged perpetrator, or update the one stored; name every difference."""
    target = perpetrator_target(session, item)
    row = by_target.get(target)
    label = item.organization_ref or f"person {item.person_id}"
    if row is None:
        row = add_perpetrator(session, incident, item, position, target, actor)
        by_target[target] = row
        return [f"perpetrator {label} added"]
    changes: list[str] = []
    if row.status != item.status:
        changes.append(f"perpetrator {label} status: {row.status} -> {item.status}")
        row.status = item.status
    if item.involvement is not None and row.involvement != item.involvement:
        changes.append(f"perpetrator {label} involvement: {row.involvement} -> {item.involvement}")
        row.involvement = item.involvement
    before = len(session.new)
    with about("sources"):
        cite(session, "incident_perpetrators", row.id, item.citations)
    if len(session.new) > before:
        changes.append(f"perpetrator {label} citations added")
    return changes


def perpetrator_target(session: Session, item: PerpetratorInput) -> tuple[int | None, int | None]:
    """``(organization id, person id)`` an alleged perpetrator names, merges followed; an
    unknown unit or person is refused with the close matches."""
    if not (item.organization_ref or item.person_id):
        raise SijillError("a perpetrator needs a unit id or a person id", field="organization_id")
    if item.involvement is not None and item.involvement not in INVOLVEMENT:
        raise SijillError(
            f"involvement must be one of {', '.join(INVOLVEMENT)}", field="involvement"
        )
    if item.status not in ALLEGATION_STATUS:
        raise SijillError(
            f"allegation status must be one of {', '.join(ALLEGATION_STATUS)}", field="status"
        )
    with about("organization_id"):
        org_id = (
            resolve.organization(session, item.organization_ref).id
            if item.organization_ref
            else None
        )
    person_id = None
    if item.person_id is not None:
        person = session.get(Person, item.person_id)
        if person is None:
            raise NotFound(f"no person with id {item.person_id}", field="person_id")
        person_id = surviving(session, person).id
    return org_id, person_id


def add_perpetrator(
    session: Session,
    incident: Incident,
    item: PerpetratorInput,
    position: int = 0,
    target: tuple[int | None, int | None] | None = None,
    actor: str | None = None,
) -> IncidentPerpetrator:
    """Attach an alleged perpetrator (unit or person) with involvement and allegation status,
    and who entered it."""
    org_id, person_id = target or perpetrator_target(session, item)
    row = IncidentPerpetrator(
        incident_id=incident.id,
        organization_id=org_id,
        person_id=person_id,
        involvement=item.involvement,
        status=item.status,
        note=item.note,
        position=position,
        entered_by=actor or default_actor(),
    )
    session.add(row)
    session.flush()
    with about("sources"):
        cite(session, "incident_perpetrators", row.id, item.citations)
    return row


def link_evidence(session: Session, incident: Incident, ref: str, actor: str | None) -> bool:
    """Link a vault item to the incident (the vault's one link table); False when linked."""
    item = get_item(session, ref)
    linked = session.scalar(
        select(EvidenceLink.id).where(
            EvidenceLink.item_id == item.id,
            EvidenceLink.target_kind == "incident",
            EvidenceLink.target_id.in_(link_ids(incident)),
        )
    )
    if linked is not None:
        return False
    link_item(session, item, "incident", str(incident.id), actor or default_actor())
    return True


def cite(
    session: Session,
    claim_table: str,
    claim_id: int,
    citations: Sequence[CitationInput],
    field_name: str | None = None,
) -> None:
    """Store the citations of one claim in the shared citation table (once each)."""
    for item in citations:
        if item.confidence not in CONFIDENCE:
            raise SijillError(f"confidence must be one of {', '.join(CONFIDENCE)}")
        source_id = require_source(session, item.source).id
        same = session.scalar(
            select(Citation.id).where(
                Citation.source_id == source_id,
                Citation.claim_table == claim_table,
                Citation.claim_id == str(claim_id),
                Citation.field.is_(None) if field_name is None else Citation.field == field_name,
                Citation.locator.is_(None)
                if item.locator is None
                else Citation.locator == item.locator,
            )
        )
        if same is None:
            session.add(
                Citation(
                    source_id=source_id,
                    claim_table=claim_table,
                    claim_id=str(claim_id),
                    field=field_name,
                    locator=item.locator,
                    confidence=item.confidence,
                )
            )


def resolve_place_ref(session: Session, ref: str) -> int:
    """A place id from an id, an external id or a place string matched through the gazetteer."""
    try:
        return find_place(session, ref).id
    except NotFound:
        match = load_index(session).match(ref)
        if match.place_id is None:
            near = [session.get(Place, c.place_id) for c in match.candidates]
            close = [place_label(p) for p in near if p is not None] or [
                place_label(p) for p in search_places(session, ref, 5)
            ]
            close = close or close_matches(ref, session.scalars(select(PlaceName.name)))
            hint = "; close matches: " + ", ".join(close) if close else ""
            raise NotFound(
                f"place {ref!r} not resolved ({match.method}){hint}; "
                "name a place of the gazetteer, or map it with `sijill places map`"
            ) from None
        return match.place_id


def _gazetteer_place(session: Session, text: str) -> list[int]:
    """The gazetteer's place for a place as written, when it knows one (else it stays text,
    for `sijill places map` to resolve later)."""
    try:
        return [resolve_place_ref(session, text)]
    except NotFound:
        return []
