"""Recording, finding and describing proceedings, and the status table of everyone alleged.

Every reader's view is filtered by access: a proceeding above the reader's levels is answered as
one that does not exist, and an allegation of an incident the reader may not read is left out.
The ``reader`` is a role (the command line's operator reads every level); a person (a subject,
an alleged perpetrator) exists for it only as :mod:`sijill.security.readable` says, under the
name it may see.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select, true
from sqlalchemy.orm import Session

from sijill.accountability.models import KINDS, STANCES, VERDICTS, Proceeding, ProceedingSubject
from sijill.accountability.status import Event, derive_status
from sijill.command import resolve, traverse
from sijill.command.career import career
from sijill.command.models import Organization
from sijill.errors import SijillError
from sijill.incidents.dates import range_span
from sijill.incidents.models import Incident, IncidentPerpetrator
from sijill.incidents.saving import CitationInput, cite
from sijill.incidents.service import find_incident
from sijill.security.readable import person_readable, person_shown, persons_shown
from sijill.security.roles import OPERATOR, readable_levels
from sijill.store.base import ACCESS_LEVELS
from sijill.store.changelog import default_actor, log_change
from sijill.store.lookup import readable_by_number_or
from sijill.store.models import Person, Source

CLAIM_TABLE = "accountability_proceedings"


@dataclass
class ProceedingInput:
    """One proceeding as a door (CLI, JSON file) states it; subjects are referred to by the ids
    researchers use (incident number or id, actor id, unit id)."""

    kind: str
    title: str
    start_date: str | None = None
    end_date: str | None = None
    title_ar: str | None = None
    body: str | None = None
    stance: str | None = None
    outcome: str | None = None
    mandate: str | None = None
    members: list[str] = field(default_factory=list)
    extensions: list[dict[str, Any]] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)
    note: str | None = None
    incidents: list[str] = field(default_factory=list)
    persons: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    citations: list[CitationInput] = field(default_factory=list)
    access: str = "internal"
    external_id: str | None = None
    synthetic: bool = False


def _check(item: ProceedingInput) -> None:
    if item.kind not in KINDS:
        raise SijillError(f"kind {item.kind!r} is not one of {', '.join(KINDS)}")
    if not (item.title or "").strip():
        raise SijillError("a proceeding needs a title")
    if item.access not in ACCESS_LEVELS:
        raise SijillError(f"access must be one of {', '.join(ACCESS_LEVELS)}")
    if (item.kind == "official_statement") != (item.stance is not None):
        raise SijillError(
            f"an official statement, and only one, has a stance ({', '.join(STANCES)})"
        )
    if item.stance is not None and item.stance not in STANCES:
        raise SijillError(f"stance must be one of {', '.join(STANCES)}")
    if item.kind == "verdict" and item.outcome not in VERDICTS:
        raise SijillError(f"a verdict's outcome must be one of {', '.join(VERDICTS)}")
    for finding in item.findings:
        figures = finding.get("figures", {})
        if not isinstance(finding.get("text"), str) or not isinstance(figures, dict):
            raise SijillError('a finding is {"text": "...", "figures": {"name": number}}')
        if not all(isinstance(v, int | float) for v in figures.values()):
            raise SijillError(f"a finding's figures must be numbers: {figures}")
    if not (item.incidents or item.persons or item.units):
        raise SijillError("a proceeding concerns at least one incident, person or unit")


def add_proceeding(session: Session, item: ProceedingInput, actor: str | None = None) -> Proceeding:
    """Record one proceeding with its subjects and citations; the change is logged."""
    _check(item)
    if item.external_id and session.scalar(
        select(Proceeding.id).where(Proceeding.external_id == item.external_id)
    ):
        raise SijillError(f"a proceeding {item.external_id!r} is recorded already")
    first, last = range_span(item.start_date, item.end_date)
    subjects = [ProceedingSubject(incident_id=find_incident(session, r).id) for r in item.incidents]
    subjects += [ProceedingSubject(person_id=resolve.actor(session, r).id) for r in item.persons]
    subjects += [
        ProceedingSubject(organization_id=resolve.organization(session, r).id) for r in item.units
    ]
    who = actor or default_actor()
    row = Proceeding(
        external_id=item.external_id,
        kind=item.kind,
        title=item.title.strip(),
        title_ar=item.title_ar,
        body=item.body,
        start_date=item.start_date or None,
        end_date=item.end_date or None,
        start_day=first,
        end_day=last,
        stance=item.stance,
        outcome=item.outcome,
        mandate=item.mandate,
        members=item.members or None,
        extensions=item.extensions or None,
        findings=item.findings or None,
        note=item.note,
        access=item.access,
        synthetic=item.synthetic,
        recorded_by=who,
    )
    session.add(row)
    session.flush()
    for subject in subjects:
        subject.proceeding_id = row.id
        session.add(subject)
    cite(session, CLAIM_TABLE, row.id, item.citations)
    log_change(
        session,
        action="add",
        entity=CLAIM_TABLE,
        entity_id=row.id,
        detail={"kind": row.kind, "title": row.title},
        actor=who,
    )
    session.flush()
    return row


def find_proceeding(session: Session, ref: str, reader: str = OPERATOR) -> Proceeding:
    """The proceeding ``ref`` names (number or id) if ``reader`` may read it; else NotFound."""
    levels = readable_levels(reader)
    model, column = Proceeding, Proceeding.external_id
    return readable_by_number_or(session, model, column, ref, levels, "proceeding")


def _subjects(
    session: Session, ids: list[int], reader: str
) -> dict[int, dict[str, list[dict[str, Any]]]]:
    """Each proceeding's incidents, persons and units, incidents and persons only as far as
    ``reader`` may read them."""
    out: dict[int, dict[str, list[dict[str, Any]]]] = {
        i: {"incidents": [], "persons": [], "units": []} for i in ids
    }
    rows = list(
        session.execute(
            select(ProceedingSubject, Incident, Person, Organization)
            .outerjoin(Incident, Incident.id == ProceedingSubject.incident_id)
            .outerjoin(Person, Person.id == ProceedingSubject.person_id)
            .outerjoin(Organization, Organization.id == ProceedingSubject.organization_id)
            .where(ProceedingSubject.proceeding_id.in_(ids))
            .order_by(ProceedingSubject.id)
        )
    )
    levels = readable_levels(reader)
    shown = persons_shown(session, reader, [p.id for _s, _i, p, _o in rows if p is not None])
    for subject, incident, person, org in rows:
        doc = out[subject.proceeding_id]
        if incident is not None and incident.access in levels:
            doc["incidents"].append(
                {
                    "id": incident.id,
                    "external_id": incident.external_id,
                    "title": incident.title,
                }
            )
        if person is not None and person.id in shown:
            doc["persons"].append(
                {
                    "id": person.id,
                    "external_id": person.external_id,
                    "name": shown[person.id]["display_name"],
                }
            )
        if org is not None:
            doc["units"].append({"id": org.external_id, "name": org.name})
    return out


def describe(
    session: Session, rows: Sequence[Proceeding], reader: str = OPERATOR
) -> list[dict[str, Any]]:
    """Proceedings as documents, with their subjects (incidents and persons only as far as
    ``reader`` may read them) and citations (of sources ``reader`` may read, as an incident's
    are)."""
    ids = [r.id for r in rows]
    subjects = _subjects(session, ids, reader)
    cites = traverse.citations(session, CLAIM_TABLE, ids)
    names = {c["source"] for found in cites.values() for c in found}
    readable = set(
        session.scalars(
            select(Source.name).where(
                Source.name.in_(sorted(names)), Source.access.in_(readable_levels(reader))
            )
        )
    )
    docs = []
    for r in rows:
        about = subjects[r.id]
        docs.append(
            {
                "id": r.id,
                "external_id": r.external_id,
                "kind": r.kind,
                "title": r.title,
                "title_ar": r.title_ar,
                "body": r.body,
                "start_date": r.start_date,
                "end_date": r.end_date,
                "stance": r.stance,
                "outcome": r.outcome,
                "mandate": r.mandate,
                "members": r.members or [],
                "extensions": r.extensions or [],
                "findings": r.findings or [],
                "note": r.note,
                "access": r.access,
                "synthetic": r.synthetic,
                "recorded_at": r.recorded_at.isoformat(timespec="seconds"),
                "recorded_by": r.recorded_by,
                **about,
                "citations": [c for c in cites.get(r.id, []) if c["source"] in readable],
            }
        )
    return docs


def list_proceedings(
    session: Session,
    reader: str = OPERATOR,
    kind: str | None = None,
    incident: int | None = None,
    person: int | None = None,
    as_of: datetime | None = None,
    levels: Sequence[str] | None = None,
) -> list[dict[str, Any]]:
    """The proceedings ``reader`` may read in date order, optionally of one kind or about
    one incident or person (by row id), or only those recorded by ``as_of``, or only those at
    ``levels`` (a public output reads the public level only, whoever the reader)."""
    stmt = select(Proceeding).where(Proceeding.access.in_(_levels(reader, levels)))
    if as_of is not None:
        stmt = stmt.where(Proceeding.recorded_at <= as_of)
    if kind:
        stmt = stmt.where(Proceeding.kind == kind)
    for column, value in (
        (ProceedingSubject.incident_id, incident),
        (ProceedingSubject.person_id, person),
    ):
        if value is not None:
            about = select(ProceedingSubject.proceeding_id).where(column == value)
            stmt = stmt.where(Proceeding.id.in_(about))
    rows = sorted(session.scalars(stmt), key=lambda r: (r.start_day is None, r.start_day, r.id))
    return describe(session, rows, reader)


def _levels(reader: str, levels: Sequence[str] | None) -> list[str]:
    """The levels ``reader`` may read, narrowed to ``levels`` if given."""
    return [v for v in readable_levels(reader) if levels is None or v in levels]


def _events(
    session: Session, reader: str, as_of: datetime | None, levels: Sequence[str] | None
) -> tuple[dict[int, Event], list[ProceedingSubject]]:
    stmt = select(Proceeding).where(Proceeding.access.in_(_levels(reader, levels)))
    if as_of is not None:
        stmt = stmt.where(Proceeding.recorded_at <= as_of)
    rows = session.scalars(stmt)
    events = {
        r.id: Event(r.id, r.kind, r.end_day or r.start_day, r.outcome, r.stance, r.recorded_at)
        for r in rows
    }
    subjects = list(
        session.scalars(
            select(ProceedingSubject).where(ProceedingSubject.proceeding_id.in_(list(events)))
        )
    )
    return events, subjects


def _with_parents(incident_id: int, parents: dict[int, int | None]) -> set[int]:
    """The incident and every incident it is part of (a proceeding about a wave of killings
    covers each of its incidents)."""
    chain: set[int] = set()
    current: int | None = incident_id
    while current is not None and current not in chain:
        chain.add(current)
        current = parents.get(current)
    return chain


def status_table(
    session: Session,
    reader: str = OPERATOR,
    as_of: datetime | None = None,
    levels: Sequence[str] | None = None,
) -> list[dict[str, Any]]:
    """Everyone alleged in an incident ``reader`` may read (a person only when ``reader`` may
    know of them, under the name it may see) with their derived status and the proceedings
    behind it: those about them for this incident, for an incident it is part of, or for no
    incident in particular. With ``as_of``, only the incidents and proceedings recorded by
    then; with ``levels``, only incidents and proceedings at those levels."""
    events, subjects = _events(session, reader, as_of, levels)
    name = person_shown(reader, Person).get("display_name", Person.display_name)
    incidents_of: dict[int, set[int]] = {}  # proceeding → incidents it concerns
    about_person: dict[int, set[int]] = {}  # person → proceedings about them
    about_unit: dict[int, set[int]] = {}  # unit → proceedings about it
    for s in subjects:
        if s.incident_id is not None:
            incidents_of.setdefault(s.proceeding_id, set()).add(s.incident_id)
        if s.person_id is not None:
            about_person.setdefault(s.person_id, set()).add(s.proceeding_id)
        if s.organization_id is not None:
            about_unit.setdefault(s.organization_id, set()).add(s.proceeding_id)
    parents = {i: p for i, p in session.execute(select(Incident.id, Incident.parent_id))}
    rows = session.execute(
        select(IncidentPerpetrator, Incident, Person, name, Organization)
        .join(Incident, Incident.id == IncidentPerpetrator.incident_id)
        .outerjoin(Person, Person.id == IncidentPerpetrator.person_id)
        .outerjoin(Organization, Organization.id == IncidentPerpetrator.organization_id)
        .where(
            Incident.access.in_(_levels(reader, levels)),
            or_(Person.id.is_(None), person_readable(reader)),
            Incident.created_at <= as_of if as_of is not None else true(),
        )
        .order_by(Incident.start_day, Incident.id, IncidentPerpetrator.position)
    )
    table = []
    for perp, incident, person, person_name, org in rows:
        if person is not None:
            about = about_person.get(person.id, set())
        else:
            about = about_unit.get(org.id, set()) if org is not None else set()
        covered = _with_parents(incident.id, parents)
        behind = [
            events[i] for i in sorted(about) if not incidents_of.get(i) or incidents_of[i] & covered
        ]
        cutoff = incident.end_day or incident.start_day
        posts: list[dict[str, Any]] = []
        if person is not None and person.external_id and person.is_actor and cutoff:
            posts = career(session, person.external_id, after=cutoff)["posts"]
        table.append(
            {
                "incident": {
                    "id": incident.id,
                    "external_id": incident.external_id,
                    "title": incident.title,
                    "start_date": incident.start_date,
                    "end_date": incident.end_date,
                    "access": incident.access,
                },
                "subject": "person" if person is not None else "unit",
                "person": (
                    {
                        "id": person.id,
                        "external_id": person.external_id,
                        "name": person_name,
                    }
                    if person is not None
                    else None
                ),
                "unit": {"id": org.external_id, "name": org.name} if org is not None else None,
                "allegation_status": perp.status,
                "involvement": perp.involvement,
                **derive_status(behind, posts, cutoff),
            }
        )
    return table
