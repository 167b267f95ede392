"""What an evidence item is linked to: an incident, a person, a unit or a source the case
holds, named the way a user names it, in the vault's one link table (:class:`EvidenceLink`).
Every door (the API, the item page's form, ``sijill evidence link``) links through
:func:`link_target`.

A target is stored under the id its page is found by: an incident's and a person's number, a
unit's own id (merges followed to the survivor), a source's name. A target the reader may not
read is answered as one that does not exist, with the close matches among those it may.
"""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from sijill.command import resolve
from sijill.errors import SijillError
from sijill.evidence.items import link_item
from sijill.evidence.models import LINK_KINDS, EvidenceItem, EvidenceLink
from sijill.incidents.models import Incident
from sijill.incidents.service import link_ids
from sijill.security.readable import person_readable, readable_by
from sijill.security.roles import OPERATOR
from sijill.store.lookup import row_number, unknown
from sijill.store.merges import surviving
from sijill.store.models import Person, Source


class LinkExists(SijillError):
    """The item is already linked to that target."""


def target_ids(session: Session, kind: str, ref: str, reader: str = OPERATOR) -> list[str]:
    """Every id a link to the target ``ref`` names may be stored under, the one a new link
    is stored under first; an unknown target (or one ``reader`` may not read) is refused with
    the close matches."""
    ref = ref.strip()
    if kind == "unit":
        org = resolve.organization(session, ref)
        return [org.external_id]
    if kind == "incident":
        incident = session.scalar(
            select(Incident).where(
                or_(Incident.id == row_number(ref), Incident.external_id == ref),
                readable_by(reader, Incident),
            )
        )
        if incident is None:
            readable = session.execute(
                select(Incident.id, Incident.external_id).where(readable_by(reader, Incident))
            )
            raise unknown("incident", ref, (str(e or n) for n, e in readable))
        return link_ids(incident)
    if kind == "person":
        person = session.scalar(
            select(Person)
            .where(or_(Person.id == row_number(ref), Person.external_id == ref))
            .where(person_readable(reader))
        )
        if person is None:
            known = session.scalars(
                select(Person.external_id).where(
                    Person.external_id.is_not(None), person_readable(reader)
                )
            )
            raise unknown("person", ref, (k for k in known if k))
        person = surviving(session, person)
        return [str(person.id), *([person.external_id] if person.external_id else [])]
    if kind == "source":
        source = session.scalar(
            select(Source).where(
                or_(Source.id == row_number(ref), Source.name == ref), readable_by(reader, Source)
            )
        )
        if source is None:
            known = session.scalars(select(Source.name).where(readable_by(reader, Source)))
            raise unknown("source", ref, (k for k in known if k))
        return [source.name, str(source.id)]
    raise SijillError(f"a link goes to one of {', '.join(LINK_KINDS)}", field="kind")


def link_target(
    session: Session,
    item: EvidenceItem,
    kind: str,
    ref: str,
    actor: str,
    note: str | None = None,
    reader: str = OPERATOR,
) -> EvidenceLink:
    """Link ``item`` to the incident, person, unit or source ``ref`` names (custody logged);
    refused when the target is unknown to ``reader`` or already linked."""
    ids = target_ids(session, kind, ref, reader)
    linked = session.scalar(
        select(EvidenceLink.id).where(
            EvidenceLink.item_id == item.id,
            EvidenceLink.target_kind == kind,
            EvidenceLink.target_id.in_(ids),
        )
    )
    if linked is not None:
        raise LinkExists(f"the item is already linked to this {kind}", field="target")
    return link_item(session, item, kind, ids[0], actor, note)
