"""Finding organizations and actors by the ids researchers use, old (merged) ids included."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sijill.command.models import Organization
from sijill.errors import NotFound
from sijill.store.models import Person

_MAX_REDIRECTS = 50


def organization(session: Session, external_id: str) -> Organization:
    """The organization an id names, following merges to the one that survives."""
    org = session.scalars(
        select(Organization).where(Organization.external_id == external_id)
    ).first()
    if org is None:
        raise NotFound(f"no organization with id {external_id!r}")
    for _ in range(_MAX_REDIRECTS):
        if org.merged_into_id is None:
            return org
        org = session.get_one(Organization, org.merged_into_id)
    raise NotFound(f"organization {external_id!r}: merge redirects loop")


def actor(session: Session, external_id: str) -> Person:
    """The actor (person) an id names, following ``merged_into_id`` to the survivor."""
    person = session.scalars(
        select(Person)
        .where(Person.external_id == external_id, Person.is_actor.is_(True))
        .order_by(Person.id)
    ).first()
    if person is None:
        raise NotFound(f"no person with id {external_id!r}")
    for _ in range(_MAX_REDIRECTS):
        if person.merged_into_id is None:
            return person
        person = session.get_one(Person, person.merged_into_id)
    raise NotFound(f"person {external_id!r}: merge redirects loop")
