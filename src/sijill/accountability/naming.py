"""Naming rules for public outputs: the sign-off that lets one name a person, and the one
function every public output calls to name one.

- A person (an alleged perpetrator, or a commander in a chain of command) appears by name in a
  public output only after a sign-off recorded with who, when and why, by an investigator or
  admin other than anyone who entered an allegation against the person; until then the output
  says "the commander of Unit X (not named)", or "(not named)".
- A victim under 18 is never named in a public output; another victim only when a public
  record of a public source names them. The case keeps no consent of victims' families
  (nothing records it), so "from a public source" is the whole rule for now.
- Witnesses are never named: the case keeps their identities only in sealed (encrypted)
  columns, which no public output reads.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from sijill.accountability.models import NamingSignoff
from sijill.command import resolve
from sijill.errors import NotFound, SijillError
from sijill.incidents.models import IncidentPerpetrator
from sijill.security.roles import can_edit
from sijill.security.users import get_user
from sijill.store.base import utcnow
from sijill.store.changelog import log_change
from sijill.store.merges import surviving
from sijill.store.models import Person

NOT_NAMED = {"en": "(not named)", "ar": "(لم يُذكر اسمه)"}
ROLE_OF = {
    "en": {"commander": "the commander of {unit}", "alleged": "a person alleged in {unit}"},
    "ar": {"commander": "قائد {unit}", "alleged": "شخص مزعوم في {unit}"},
}
MINOR_AGE = 18


class NamingRefused(SijillError):
    """A sign-off the rules do not allow."""


def find_person(session: Session, ref: str) -> Person:
    """The person ``ref`` names: an actor's id (``p-1``) or a person number, merges followed."""
    if ref.isdigit():
        person = session.get(Person, int(ref))
        if person is None:
            raise NotFound(f"no person {ref!r}")
        return surviving(session, person)
    return resolve.actor(session, ref)


def _who(actor: str) -> str:
    """An actor as a comparable name: ``cli:amal`` and ``web:Amal`` are the user amal."""
    for prefix in ("cli:", "web:"):
        if actor.startswith(prefix):
            actor = actor[len(prefix) :]
    return actor.strip().lower()


def allegation_enterers(session: Session, person_id: int) -> set[str]:
    """Who entered an allegation against the person (in any incident)."""
    rows = session.scalars(
        select(IncidentPerpetrator.entered_by).where(IncidentPerpetrator.person_id == person_id)
    )
    return {r for r in rows if r}


def current_signoff(session: Session, person_id: int) -> NamingSignoff | None:
    """The sign-off in force for the person (the latest not revoked), if any."""
    return session.scalar(
        select(NamingSignoff)
        .where(NamingSignoff.person_id == person_id, NamingSignoff.revoked_at.is_(None))
        .order_by(NamingSignoff.id.desc())
        .limit(1)
    )


def sign_off(session: Session, person_ref: str, by: str, why: str) -> NamingSignoff:
    """Record that the person may be named in public outputs. ``by`` is a user account with
    the right to sign off (investigator or admin) who entered no allegation against the person;
    ``why`` is required."""
    if not why.strip():
        raise NamingRefused("a sign-off needs a reason (--why)")
    user = get_user(session, by)
    if not can_edit(user.role):
        raise NamingRefused(
            f"{user.name} is {user.role}: only an investigator or an admin may sign off naming"
        )
    person = find_person(session, person_ref)
    entered = sorted(e for e in allegation_enterers(session, person.id) if _who(e) == _who(by))
    if entered:
        raise NamingRefused(
            f"{user.name} entered an allegation against {person_ref} ({', '.join(entered)}): "
            "naming needs the sign-off of another investigator"
        )
    if current_signoff(session, person.id) is not None:
        raise NamingRefused(f"{person_ref} is signed off already (sijill naming list)")
    row = NamingSignoff(person_id=person.id, signed_by=user.name, why=why.strip())
    session.add(row)
    session.flush()
    log_change(
        session,
        action="naming.sign_off",
        entity="persons",
        entity_id=person.id,
        why=row.why,
        actor=user.name,
    )
    return row


def revoke(session: Session, person_ref: str, by: str, why: str) -> NamingSignoff:
    """Withdraw the sign-off in force for the person (kept, marked revoked with who, when and
    why); public outputs stop naming the person."""
    if not why.strip():
        raise NamingRefused("a revocation needs a reason (--why)")
    user = get_user(session, by)
    if not can_edit(user.role):
        raise NamingRefused(f"{user.name} is {user.role}: only an investigator or an admin may")
    person = find_person(session, person_ref)
    row = current_signoff(session, person.id)
    if row is None:
        raise NotFound(f"{person_ref} has no sign-off in force")
    row.revoked_by, row.revoked_at, row.revoked_why = user.name, utcnow(), why.strip()
    log_change(
        session,
        action="naming.revoke",
        entity="persons",
        entity_id=person.id,
        why=row.revoked_why,
        actor=user.name,
    )
    session.flush()
    return row


def list_signoffs(session: Session, include_revoked: bool = False) -> list[dict[str, Any]]:
    """The sign-offs (in force, or every one), oldest first."""
    stmt = select(NamingSignoff, Person).join(Person, Person.id == NamingSignoff.person_id)
    if not include_revoked:
        stmt = stmt.where(NamingSignoff.revoked_at.is_(None))
    return [
        {
            "id": s.id,
            "person": {"id": p.id, "external_id": p.external_id, "name": p.display_name},
            "signed_by": s.signed_by,
            "signed_at": s.signed_at.isoformat(timespec="seconds"),
            "why": s.why,
            "revoked_by": s.revoked_by,
            "revoked_at": s.revoked_at.isoformat(timespec="seconds") if s.revoked_at else None,
            "revoked_why": s.revoked_why,
        }
        for s, p in session.execute(stmt.order_by(NamingSignoff.id))
    ]


def signed_off(session: Session, as_of: datetime | None = None) -> set[int]:
    """The persons (row ids) a public output may name (now, or as the sign-offs stood at
    ``as_of``: signed by then and not yet revoked)."""
    if as_of is None:
        stmt = select(NamingSignoff.person_id).where(NamingSignoff.revoked_at.is_(None))
    else:
        stmt = select(NamingSignoff.person_id).where(
            NamingSignoff.signed_at <= as_of,
            or_(NamingSignoff.revoked_at.is_(None), NamingSignoff.revoked_at > as_of),
        )
    return set(session.scalars(stmt))


@dataclass(frozen=True)
class Naming:
    """What a public output needs to name people: whether it is public, and who is signed off."""

    public: bool
    signed: frozenset[int] = frozenset()
    lang: str = "en"

    @classmethod
    def of(
        cls, session: Session, public: bool, lang: str = "en", as_of: datetime | None = None
    ) -> Naming:
        signed = frozenset(signed_off(session, as_of)) if public else frozenset[int]()
        return cls(public, signed, lang)


def public_name(
    naming: Naming,
    person_id: int | None,
    name: str | None,
    unit: str | None = None,
    role: str = "commander",
) -> str:
    """The name a report or export prints for a person: the name itself inside the team or
    once signed off; in a public output otherwise "the commander of Unit X (not named)" (the
    unit where one is known) or "(not named)"."""
    if not naming.public or (person_id is not None and person_id in naming.signed):
        return name or str(person_id or "")
    hidden = NOT_NAMED[naming.lang]
    if unit:
        return f"{ROLE_OF[naming.lang][role].format(unit=unit)} {hidden}"
    return hidden


def victim_nameable(ages: Iterable[tuple[int | None, int | None]], public_record: bool) -> bool:
    """May a public output name a victim? Never one a record says was, or may have been,
    under 18 (an age, or the bottom of an age range, under 18); else only when a public record
    of a public source names them (no consent is recorded in the case: the module's note)."""
    for low, high in ages:
        bottom = low if low is not None else high
        if bottom is not None and bottom < MINOR_AGE:
            return False
    return public_record
