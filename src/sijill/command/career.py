"""A person's career: posts, ranks and units in time order, with what was gained after a date.

A post or rank gained after an incident is shown as a fact about the career, not as proof of
reward.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sijill.command import resolve, traverse
from sijill.command.models import Membership, Organization
from sijill.errors import SijillError
from sijill.incidents.service import find_incident

CAREER_NOTE = (
    "A post or rank gained after the incident is a fact about the career, not proof of reward."
)


def _began_after(post: Membership, cutoff: date) -> str | None:
    """'certain' when the post surely began after ``cutoff``, 'possible' when it may have."""
    if post.possible_start is not None and post.possible_start > cutoff:
        return "certain"
    if post.sure_start is not None and post.sure_start > cutoff:
        return "possible"
    return None


def _cutoff(session: Session, incident_ref: str) -> tuple[date, dict[str, Any]]:
    incident = find_incident(session, incident_ref)
    last = incident.end_day or incident.start_day
    if last is None:
        raise SijillError(f"incident {incident_ref!r} has no dates")
    return last, {
        "incident": incident.id,
        "external_id": incident.external_id,
        "title": incident.title,
        "start_date": incident.start_date or "",
        "end_date": incident.end_date or "",
    }


def career(
    session: Session,
    person: str,
    after_incident: str | None = None,
    after: date | None = None,
) -> dict[str, Any]:
    """Every post of ``person`` in time order; with a cutoff (an incident's last day, or a date)
    each post says whether it was gained after it, and whether its rank was new then."""
    actor = resolve.actor(session, person)
    cutoff: date | None = after
    cutoff_doc: dict[str, Any] | None = None
    if after_incident:
        cutoff, cutoff_doc = _cutoff(session, after_incident)
    elif after is not None:
        cutoff_doc = {}
    rows: list[tuple[Membership, Organization]] = [
        (m, org)
        for m, org in session.execute(
            select(Membership, Organization)
            .join(Organization, Organization.id == Membership.organization_id)
            .where(Membership.person_id == actor.id)
        )
    ]
    rows.sort(
        key=lambda r: (
            r[0].possible_start or date.min,
            r[0].sure_start or date.min,
            r[0].id,
        )
    )
    cites = traverse.citations(session, "command_memberships", [m.id for m, _ in rows])
    ranks_before = {
        m.rank for m, _ in rows if m.rank and cutoff is not None and _began_after(m, cutoff) is None
    }
    posts = []
    for m, org in rows:
        post: dict[str, Any] = {
            "organization_id": org.external_id,
            "organization": org.name,
            "classification": org.classification,
            "role": m.role,
            "title": m.title,
            "rank": m.rank,
            "start_date": m.start_date or "",
            "end_date": m.end_date or "",
            "first_cited": m.first_cited or "",
            "last_cited": m.last_cited or "",
            "surely_from": m.sure_start.isoformat() if m.sure_start else None,
            "surely_to": m.sure_end.isoformat() if m.sure_end else None,
            "possibly_from": m.possible_start.isoformat() if m.possible_start else None,
            "possibly_to": m.possible_end.isoformat() if m.possible_end else None,
            "confidence": m.confidence,
            "citations": cites.get(m.id, []),
        }
        if cutoff is not None:
            gained = _began_after(m, cutoff)
            post["gained_after"] = gained
            post["new_rank_after"] = bool(gained and m.rank and m.rank not in ranks_before)
        posts.append(post)
    doc: dict[str, Any] = {
        "person": {
            "id": actor.external_id,
            "name": actor.display_name,
            "name_ar": actor.name_ar,
        },
        "posts": posts,
    }
    if person != actor.external_id:
        doc["requested"] = person
    if cutoff is not None:
        doc["after"] = {"date": cutoff.isoformat(), **(cutoff_doc or {})}
        doc["note"] = CAREER_NOTE
    return doc


def as_text(doc: dict[str, Any]) -> str:
    """A plain-text rendering of a career for the terminal."""
    person = doc["person"]
    lines = [f"{person['id']} {person['name'] or ''}".rstrip()]
    for p in doc["posts"]:
        when = f"{p['start_date'] or p['first_cited'] or '?'} .. {p['end_date'] or p['last_cited']}"
        flag = ""
        if p.get("gained_after"):
            flag = f"  <- gained after {doc['after']['date']} ({p['gained_after']})"
            if p.get("new_rank_after"):
                flag += ", new rank"
        lines.append(
            f"  {when:25} {p['role']:10} {p['organization_id']} {p['rank'] or ''} "
            f"{p['title'] or ''}{flag}"
        )
    if "note" in doc:
        lines.append(doc["note"])
    return "\n".join(lines)
