"""Finding organizations and actors by the ids researchers use, old (merged) ids included.

An id that names nothing is refused with the close matches (:mod:`sijill.store.lookup`).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sijill.command.models import Organization
from sijill.store.lookup import unknown
from sijill.store.merges import surviving
from sijill.store.models import Person

UNIT_HINT = "declare it in a structure file: sijill import structure"


def organization_or_none(session: Session, external_id: str) -> Organization | None:
    """The organization stored under exactly this id (merged or not), if any."""
    return session.scalars(
        select(Organization).where(Organization.external_id == external_id)
    ).first()


def organization(session: Session, external_id: str) -> Organization:
    """The organization an id names, following merges to the one that survives."""
    org = organization_or_none(session, external_id)
    if org is None:
        known = session.scalars(select(Organization.external_id))
        raise unknown("organization", external_id, known, UNIT_HINT)
    return surviving(session, org)


def actor(session: Session, external_id: str) -> Person:
    """The actor (person) an id names, following ``merged_into_id`` to the survivor."""
    person = session.scalars(
        select(Person)
        .where(Person.external_id == external_id, Person.is_actor.is_(True))
        .order_by(Person.id)
    ).first()
    if person is None:
        known = session.scalars(select(Person.external_id).where(Person.is_actor.is_(True)))
        raise unknown("person", external_id, (k for k in known if k), UNIT_HINT)
    return surviving(session, person)
