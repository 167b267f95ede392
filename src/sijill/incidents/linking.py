"""Propose links from casualty records to incidents by place and date; a person reviews them.

A record is proposed for an incident when its resolved place (``record_places``) is one of the
incident's places, nested in one, or the area just above one, and its date of death can fall in the
incident's span. Confirmed and rejected links are decisions: later runs never change them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sijill.errors import NotFound, SijillError
from sijill.incidents.dates import overlaps
from sijill.incidents.models import LINK_STATUS, Incident, IncidentPlace, IncidentRecord
from sijill.places.models import Place, RecordPlace
from sijill.store.base import utcnow
from sijill.store.changelog import log_change
from sijill.store.models import Record

PLACE_SCORE = {"same": 0.6, "inside": 0.55, "area": 0.3}
PROPOSE_AT = 0.5


@dataclass(frozen=True)
class LinkSummary:
    proposed: int
    updated: int
    kept_decisions: int

    def as_dict(self) -> dict[str, int]:
        return {
            "proposed": self.proposed,
            "updated": self.updated,
            "kept_decisions": self.kept_decisions,
        }


def score_link(
    place_relation: str,
    record_span: tuple[date | None, date | None],
    incident_span: tuple[date | None, date | None],
) -> float:
    """How strongly a record belongs to an incident (0 when the dates exclude it)."""
    if record_span == (None, None):
        date_part = 0.1
    elif not overlaps(*record_span, *incident_span):
        return 0.0
    elif (
        record_span[0] is not None
        and record_span[1] is not None
        and incident_span[0] is not None
        and incident_span[1] is not None
        and incident_span[0] <= record_span[0]
        and record_span[1] <= incident_span[1]
    ):
        date_part = 0.4
    else:
        date_part = 0.3
    return round(PLACE_SCORE[place_relation] + date_part, 3)


def link_records(session: Session, actor: str | None = None) -> LinkSummary:
    """Propose (or refresh) record → incident links for every incident with places."""
    parents = dict(session.execute(select(Place.id, Place.parent_id)).all())
    record_rows = session.execute(
        select(RecordPlace.place_id, Record.id, Record.death_start, Record.death_end)
        .join(Record, Record.id == RecordPlace.record_id)
        .where(RecordPlace.place_id.is_not(None))
    ).all()
    by_place: dict[int, list[tuple[int, date | None, date | None]]] = {}
    for place_id, record_id, start, end in record_rows:
        if place_id is not None:
            by_place.setdefault(place_id, []).append((record_id, start, end))
    existing = {
        (link.incident_id, link.record_id): link for link in session.scalars(select(IncidentRecord))
    }
    proposed = updated = kept = 0
    for incident in session.scalars(select(Incident)):
        places = set(
            session.scalars(
                select(IncidentPlace.place_id).where(IncidentPlace.incident_id == incident.id)
            )
        )
        best: dict[int, tuple[float, str]] = {}
        for record_place, records in by_place.items():
            relation = _relation(record_place, places, parents)
            if relation is None:
                continue
            for record_id, start, end in records:
                score = score_link(relation, (start, end), (incident.start_day, incident.end_day))
                if score >= PROPOSE_AT and score > best.get(record_id, (0.0, ""))[0]:
                    best[record_id] = (score, f"place: {relation}; date score {score}")
        for record_id, (score, reason) in best.items():
            link = existing.get((incident.id, record_id))
            if link is None:
                session.add(
                    IncidentRecord(
                        incident_id=incident.id, record_id=record_id, score=score, reason=reason
                    )
                )
                proposed += 1
            elif link.status == "proposed":
                link.score, link.reason = score, reason
                updated += 1
            else:
                kept += 1
    session.flush()
    log_change(
        session,
        action="incidents.link_records",
        entity="incident_records",
        detail={"proposed": proposed, "updated": updated},
        actor=actor,
    )
    return LinkSummary(proposed, updated, kept)


def _relation(
    record_place: int, incident_places: set[int], parents: dict[int, int | None]
) -> str | None:
    if record_place in incident_places:
        return "same"
    if _ancestors(record_place, parents) & incident_places:
        return "inside"  # the record names a neighbourhood of the incident's town
    if any(parents.get(p) == record_place for p in incident_places):
        return "area"  # the record only names the area just above the incident's place
    return None


def _ancestors(place_id: int, parents: dict[int, int | None]) -> set[int]:
    seen: set[int] = set()
    parent = parents.get(place_id)
    while parent is not None and parent not in seen:
        seen.add(parent)
        parent = parents.get(parent)
    return seen


def list_links(
    session: Session, incident_id: int | None = None, status: str | None = None
) -> list[dict[str, Any]]:
    """Record → incident links (of one incident, of one status) with what a reviewer needs."""
    stmt = (
        select(IncidentRecord, Record)
        .join(Record, Record.id == IncidentRecord.record_id)
        .order_by(IncidentRecord.incident_id, IncidentRecord.score.desc(), IncidentRecord.id)
    )
    if incident_id is not None:
        stmt = stmt.where(IncidentRecord.incident_id == incident_id)
    if status is not None:
        stmt = stmt.where(IncidentRecord.status == status)
    return [
        {
            "id": link.id,
            "incident_id": link.incident_id,
            "record_id": record.id,
            "source_id": record.source_id,
            "source_record_id": record.record_id,
            "full_name": record.full_name,
            "place_of_death": record.place_of_death,
            "date_of_death": record.date_of_death,
            "access": record.access,
            "status": link.status,
            "score": link.score,
            "reason": link.reason,
        }
        for link, record in session.execute(stmt)
    ]


def review_link(
    session: Session, link_id: int, status: str, actor: str | None = None, why: str | None = None
) -> IncidentRecord:
    """Record a person's decision on a proposed link (confirmed or rejected)."""
    if status not in LINK_STATUS:
        raise SijillError(f"status must be one of {', '.join(LINK_STATUS)}")
    link = session.get(IncidentRecord, link_id)
    if link is None:
        raise NotFound(f"no incident-record link {link_id}")
    link.status = status
    link.reviewed_by = actor
    link.reviewed_at = utcnow()
    link.why = why
    session.flush()
    log_change(
        session,
        action=f"incidents.link_{status}",
        entity="incident_records",
        entity_id=link.id,
        detail={"incident_id": link.incident_id, "record_id": link.record_id},
        why=why,
        actor=actor,
    )
    return link
