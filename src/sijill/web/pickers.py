"""What a writing form's pickers offer: the units, the actors and the sources of the case that
the user may read (the incident form and the command facts page share them)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sijill.command.models import Organization
from sijill.security.readable import readable_by
from sijill.security.users import Principal
from sijill.store.models import Person, Source


def pickers(session: Session, user: Principal) -> dict[str, Any]:
    """``units`` (id, name, Arabic name), ``actors`` (number, id, Latin and Arabic names) and
    ``sources`` (names), merged ones left out, each in id order."""
    return {
        "units": session.execute(
            select(Organization.external_id, Organization.name, Organization.name_ar)
            .where(Organization.merged_into_id.is_(None))
            .order_by(Organization.external_id)
        ).all(),
        "actors": session.execute(
            select(Person.id, Person.external_id, Person.name_latin, Person.name_ar)
            .where(
                Person.is_actor.is_(True),
                Person.merged_into_id.is_(None),
                readable_by(user.role, Person),
            )
            .order_by(Person.external_id)
        ).all(),
        "sources": list(
            session.scalars(
                select(Source.name).where(readable_by(user.role, Source)).order_by(Source.name)
            )
        ),
    }
