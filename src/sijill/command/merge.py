"""Merging duplicate units or actors: facts move to the one kept; the old id keeps resolving.

The duplicate's row stays, pointing at the one kept (``merged_into_id``), so every place that
looks an id up (``sijill.command.resolve``) lands on the survivor. The merge is logged.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from sijill.accountability.models import ProceedingSubject
from sijill.command import resolve
from sijill.command.models import (
    Area,
    Composition,
    Membership,
    Organization,
    Succession,
)
from sijill.errors import SijillError
from sijill.incidents.models import ALLEGATION_STATUS, IncidentPerpetrator
from sijill.store.changelog import log_change
from sijill.store.models import Citation, Person


def join_allegations(session: Session, column: str, kept_id: int) -> int:
    """After a merge, an incident alleging both the duplicate and the one kept alleges the one
    kept once: the most advanced status stays, the citations of both are kept. Returns how many
    links were joined."""
    rows = session.scalars(
        select(IncidentPerpetrator)
        .where(getattr(IncidentPerpetrator, column) == kept_id)
        .order_by(IncidentPerpetrator.position, IncidentPerpetrator.id)
    ).all()
    first: dict[int, IncidentPerpetrator] = {}
    joined = 0
    for row in rows:
        keep = first.setdefault(row.incident_id, row)
        if keep is row:
            continue
        if ALLEGATION_STATUS.index(row.status) > ALLEGATION_STATUS.index(keep.status):
            keep.status = row.status
        keep.involvement = keep.involvement or row.involvement
        session.execute(
            update(Citation)
            .where(
                Citation.claim_table == "incident_perpetrators",
                Citation.claim_id == str(row.id),
            )
            .values(claim_id=str(keep.id))
        )
        session.delete(row)
        joined += 1
    session.flush()
    return joined


def merge_units(session: Session, keep: str, drop: str, why: str | None = None) -> dict[str, Any]:
    """Merge unit ``drop`` into ``keep``."""
    kept = resolve.organization(session, keep)
    gone = resolve.organization(session, drop)
    if kept.id == gone.id:
        raise SijillError(f"{drop!r} and {keep!r} are already the same unit")
    moved: dict[str, int] = {}
    for name, column in (
        ("memberships", Membership.organization_id),
        ("areas", Area.organization_id),
        ("incident_links", IncidentPerpetrator.organization_id),
        ("proceedings", ProceedingSubject.organization_id),
        ("compositions_as_parent", Composition.parent_id),
        ("compositions_as_child", Composition.child_id),
        ("successions_as_predecessor", Succession.predecessor_id),
        ("successions_as_successor", Succession.successor_id),
    ):
        table = column.class_
        result = session.execute(
            update(table).where(column == gone.id).values({column.key: kept.id})
        )
        moved[name] = result.rowcount or 0  # type: ignore[attr-defined]
    moved["incident_links_joined"] = join_allegations(session, "organization_id", kept.id)
    gone.merged_into_id = kept.id
    # Ids merged into the duplicate earlier now point straight at the unit kept (one level).
    session.execute(
        update(Organization)
        .where(Organization.merged_into_id == gone.id)
        .values(merged_into_id=kept.id)
    )
    for alias in [gone.external_id, *(gone.aliases or [])]:
        if alias not in (kept.aliases or []) and alias != kept.external_id:
            kept.aliases = [*(kept.aliases or []), alias]
    session.flush()
    log_change(
        session,
        action="merge",
        entity="command_organizations",
        entity_id=kept.external_id,
        detail={"merged": gone.external_id, "moved": moved},
        why=why,
    )
    return {"kept": kept.external_id, "merged": gone.external_id, "moved": moved}


def merge_actors(session: Session, keep: str, drop: str, why: str | None = None) -> dict[str, Any]:
    """Merge actor ``drop`` into ``keep`` (the shared ``persons.merged_into_id``)."""
    kept = resolve.actor(session, keep)
    gone = resolve.actor(session, drop)
    if kept.id == gone.id:
        raise SijillError(f"{drop!r} and {keep!r} are already the same person")
    moved: dict[str, int] = {}
    for name, column in (
        ("memberships", Membership.person_id),
        ("incident_links", IncidentPerpetrator.person_id),
        ("proceedings", ProceedingSubject.person_id),
    ):
        result = session.execute(
            update(column.class_).where(column == gone.id).values({column.key: kept.id})
        )
        moved[name] = result.rowcount or 0  # type: ignore[attr-defined]
    moved["incident_links_joined"] = join_allegations(session, "person_id", kept.id)
    gone.merged_into_id = kept.id
    session.execute(
        update(Person).where(Person.merged_into_id == gone.id).values(merged_into_id=kept.id)
    )
    session.flush()
    log_change(
        session,
        action="merge",
        entity="persons",
        entity_id=kept.external_id,
        detail={"merged": gone.external_id, "moved": moved},
        why=why,
    )
    return {"kept": kept.external_id, "merged": gone.external_id, "moved": moved}
