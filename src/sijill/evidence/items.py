"""Reading and annotating items: views, links, analysis notes, working copies, decisions.

Every action on an item that the Berkeley Protocol counts as custody (copy, analysis, linking,
removal) appends a custody entry in the caller's transaction and is signed by a checkpoint.
Views are reads: they go to the read log, so readers never grow the custody log.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import and_, delete, not_, or_, select
from sqlalchemy.orm import Session

from sijill.errors import NotFound, SijillError
from sijill.evidence import custody
from sijill.evidence.intake import collection_aad
from sijill.evidence.media import public_metadata
from sijill.evidence.models import (
    DUPLICATE_DECISIONS,
    LINK_KINDS,
    VERIFICATION_STATUSES,
    CustodyEntry,
    EvidenceItem,
    EvidenceLink,
    NearDuplicate,
    PerceptualHash,
)
from sijill.evidence.vault import make_working_copy
from sijill.incidents.models import Incident
from sijill.security.audit import log_read_by
from sijill.security.readable import person_readable, readable_by
from sijill.security.roles import OPERATOR, readable_levels, reads_every_level
from sijill.security.sealing import unseal
from sijill.store.base import ACCESS_LEVELS, utcnow
from sijill.store.models import Person, Source

ANALYSIS_KINDS = (
    "source",
    "technical",
    "content",
    "geolocation",
    "chronolocation",
    "transformation",
)


def get_item(session: Session, item_id: str) -> EvidenceItem:
    """The item with this id (a unique prefix of at least 8 characters is enough)."""
    item = session.get(EvidenceItem, item_id)
    if item is not None:
        return item
    if len(item_id) >= 8:
        found = list(
            session.scalars(
                select(EvidenceItem).where(EvidenceItem.id.startswith(item_id)).limit(2)
            )
        )
        if len(found) == 1:
            return found[0]
    raise NotFound(f"no evidence item {item_id}")


def item_view(
    session: Session,
    item: EvidenceItem,
    *,
    restricted: bool = False,
    reader: str = OPERATOR,
) -> dict[str, Any]:
    """Everything recorded about an item; restricted fields only when ``restricted`` is true.
    Other items (parent, derived items, near-duplicates) and what the item is linked to are
    named only when the ``reader`` role may read them."""
    readable = readable_levels(reader)
    parent_access = (
        session.scalar(select(EvidenceItem.access).where(EvidenceItem.id == item.parent_id))
        if item.parent_id
        else None
    )
    view: dict[str, Any] = {
        "id": item.id,
        "access": item.access,
        "parent_id": item.parent_id if parent_access in readable else None,
        "relation": item.relation,
        "original_name": item.original_name,
        "fixity": {"sha256": item.sha256, "size": item.size, "mime": item.mime},
        "source": {
            "source_id": item.source_id,
            "url": item.url,
            "url_normalized": item.url_normalized,
            "platform": item.platform,
            "post_id": item.post_id,
            "account": item.account,
            "claimed_upload_time": item.claimed_upload_time,
        },
        "collection": {
            "collected_at": item.collected_at.isoformat() + "Z",
            "clock": item.clock,
            "tool": item.tool,
            "tool_version": item.tool_version,
            "collector_commitment": item.collector_commitment,
        },
        "transformations": item.transformations,
        "verification": {"status": item.verification_status, **item.verification},
        "sensitivity": {
            "graphic": item.graphic,
            "identifiable_people": item.identifiable_people,
            "consent_scope": item.consent_scope,
            "access": item.access,
        },
        "metadata": item.media_metadata if restricted else public_metadata(item.media_metadata),
        "links": [
            {"kind": link.target_kind, "id": link.target_id, "note": link.note}
            for link in readable_links(session, item.id, reader)
        ],
        "derived": list(
            session.scalars(
                select(EvidenceItem.id).where(
                    EvidenceItem.parent_id == item.id, EvidenceItem.access.in_(readable)
                )
            )
        ),
        "near_duplicates": near_duplicates(session, item.id, readable),
        "custody": [
            custody.entry_body(e)
            for e in session.scalars(
                select(CustodyEntry)
                .where(CustodyEntry.item_id == item.id)
                .order_by(CustodyEntry.seq)
            )
        ],
    }
    if restricted and item.collection_sealed is not None:
        sealed = unseal(item.collection_sealed, aad=collection_aad(item.id))
        view["collection"]["collector"] = sealed.get("collector")
        view["collection"]["persona"] = sealed.get("persona")
    return view


def readable_links(session: Session, item_id: str, reader: str) -> list[EvidenceLink]:
    """The item's links but those to an incident, person or source ``reader`` may not read
    (a target named by number or by its external id or name; a target the case does not hold
    names nothing and is kept)."""
    links = list(
        session.scalars(
            select(EvidenceLink).where(EvidenceLink.item_id == item_id).order_by(EvidenceLink.id)
        )
    )
    if reads_every_level(reader):
        return links
    targets: dict[str, set[str]] = {}
    for link in links:
        targets.setdefault(link.target_kind, set()).add(link.target_id)
    hidden: dict[str, set[str]] = {}
    for kind, model, other, condition in (
        ("incident", Incident, Incident.external_id, readable_by(reader, Incident)),
        ("person", Person, Person.external_id, person_readable(reader)),
        ("source", Source, Source.name, readable_by(reader, Source)),
    ):
        named = sorted(targets.get(kind, ()))
        numbers = [int(t) for t in named if t.isdigit() and len(t) < 10]
        rows = session.execute(
            select(model.id, other).where(
                or_(model.id.in_(numbers), other.in_(named)), not_(condition)
            )
        )
        hidden[kind] = {str(value) for row in rows for value in row if value is not None}
    return [link for link in links if link.target_id not in hidden.get(link.target_kind, ())]


def items_linked(
    session: Session, kind: str, ids: Sequence[str], reader: str = OPERATOR
) -> list[str]:
    """The ids of the items ``reader`` may read linked to the target stored under ``ids`` (an
    incident's, a person's or a unit's)."""
    return list(
        session.scalars(
            select(EvidenceLink.item_id)
            .join(EvidenceItem, EvidenceItem.id == EvidenceLink.item_id)
            .where(
                EvidenceLink.target_kind == kind,
                EvidenceLink.target_id.in_(list(ids)),
                readable_by(reader, EvidenceItem),
            )
            .order_by(EvidenceLink.id)
        )
    )


def list_items(session: Session, *, limit: int = 100, offset: int = 0) -> list[EvidenceItem]:
    return list(
        session.scalars(
            select(EvidenceItem)
            .order_by(EvidenceItem.created_at, EvidenceItem.id)
            .limit(limit)
            .offset(offset)
        )
    )


def record_view(
    session: Session, item: EvidenceItem, actor: str, purpose: str = "record viewed"
) -> None:
    """Log in the read log that someone viewed an item's record or content (not in the
    custody log: readers must not grow it)."""
    log_read_by(session, actor, entity="evidence_items", ids=[item.id], detail={"purpose": purpose})


def link_item(
    session: Session,
    item: EvidenceItem,
    kind: str,
    target_id: str,
    actor: str,
    note: str | None = None,
) -> EvidenceLink:
    """Link an item to an incident, person, unit or source."""
    if kind not in LINK_KINDS:
        raise SijillError(f"link kind must be one of {', '.join(LINK_KINDS)}")
    link = EvidenceLink(item_id=item.id, target_kind=kind, target_id=str(target_id), note=note)
    session.add(link)
    custody.append(
        session,
        event="linked",
        item_id=item.id,
        sha256=item.sha256,
        actor=actor,
        detail={"kind": kind, "target": str(target_id)},
    )
    return link


def add_analysis(
    session: Session,
    item: EvidenceItem,
    kind: str,
    note: str,
    actor: str,
    status: str | None = None,
) -> None:
    """Record a verification note (source, technical, content analysis; geo-/chronolocation)."""
    if kind not in ANALYSIS_KINDS:
        raise SijillError(f"analysis kind must be one of {', '.join(ANALYSIS_KINDS)}")
    if status is not None and status not in VERIFICATION_STATUSES:
        raise SijillError(f"status must be one of {', '.join(VERIFICATION_STATUSES)}")
    at = utcnow().isoformat() + "Z"
    if kind == "transformation":
        item.transformations = [*item.transformations, {"at": at, "note": note}]
    else:
        notes = dict(item.verification)
        notes[kind] = [*notes.get(kind, []), {"at": at, "note": note}]
        item.verification = notes
    if status is not None:
        item.verification_status = status
    custody.append(
        session,
        event="analysed",
        item_id=item.id,
        sha256=item.sha256,
        actor=actor,
        detail={"kind": kind, "status": status, "notes_sha256": custody.notes_sha256(item)},
    )


def copy_item(session: Session, vault: Path, item: EvidenceItem, actor: str) -> Path:
    """Make a working copy (the original stays untouched) and log it."""
    target = make_working_copy(vault, item.sha256, item.id, item.original_name or item.id)
    custody.append(
        session,
        event="copied",
        item_id=item.id,
        sha256=item.sha256,
        actor=actor,
        detail={"to": "working copy"},
    )
    return target


def near_duplicates(
    session: Session, item_id: str, readable: tuple[str, ...] = ACCESS_LEVELS
) -> list[dict[str, Any]]:
    """Candidate matches of an item with their distance and decision: only those whose other
    item has one of the ``readable`` access levels."""
    rows = session.scalars(
        select(NearDuplicate)
        .join(
            EvidenceItem,
            or_(
                and_(NearDuplicate.item_a == item_id, EvidenceItem.id == NearDuplicate.item_b),
                and_(NearDuplicate.item_b == item_id, EvidenceItem.id == NearDuplicate.item_a),
            ),
        )
        .where(EvidenceItem.access.in_(readable))
        .order_by(NearDuplicate.distance)
    )
    return [
        {
            "id": row.item_b if row.item_a == item_id else row.item_a,
            "distance": row.distance,
            "decision": row.decision,
            "decided_by": row.decided_by,
            "why": row.why,
        }
        for row in rows
    ]


def pending_duplicates(session: Session) -> list[NearDuplicate]:
    return list(
        session.scalars(
            select(NearDuplicate)
            .where(NearDuplicate.decision == "pending")
            .order_by(NearDuplicate.distance)
        )
    )


def decide_duplicate(
    session: Session, a: str, b: str, decision: str, actor: str, why: str | None = None
) -> NearDuplicate:
    """Store a person's decision on a candidate pair (items are never merged or deleted)."""
    if decision not in DUPLICATE_DECISIONS[1:]:
        raise SijillError("decision must be 'same' or 'different'")
    row = session.scalars(
        select(NearDuplicate).where(
            or_(
                (NearDuplicate.item_a == a) & (NearDuplicate.item_b == b),
                (NearDuplicate.item_a == b) & (NearDuplicate.item_b == a),
            )
        )
    ).first()
    if row is None:
        raise NotFound(f"no candidate match between {a} and {b}")
    row.decision, row.decided_by, row.decided_at, row.why = decision, actor, utcnow(), why
    for item_id in (row.item_a, row.item_b):
        item = get_item(session, item_id)
        custody.append(
            session,
            event="analysed",
            item_id=item.id,
            sha256=item.sha256,
            actor=actor,
            detail={
                "kind": "near-duplicate",
                "decision": decision,
                "pair": [row.item_a, row.item_b],
            },
        )
    return row


def remove_item(session: Session, item: EvidenceItem, actor: str, why: str) -> bool:
    """Remove an item's rows (its links, perceptual hashes and near-duplicate pairs too) and
    log the removal: a ``removed`` custody entry naming the item and its SHA-256, with ``why``
    committed (its opening sealed, like the actor's). The caller signs a checkpoint in the same
    transaction and, after the commit, deletes the files (``vault.remove_files``) when this
    returns True: no other item holds the same content. An item others derive from is kept
    (remove those first)."""
    if not why.strip():
        raise SijillError("say why the item is removed (--why)")
    derived = list(
        session.scalars(select(EvidenceItem.id).where(EvidenceItem.parent_id == item.id))
    )
    if derived:
        raise SijillError(
            f"item {item.id} has derived items ({', '.join(derived)}): remove them first"
        )
    session.execute(delete(EvidenceLink).where(EvidenceLink.item_id == item.id))
    session.execute(delete(PerceptualHash).where(PerceptualHash.item_id == item.id))
    session.execute(
        delete(NearDuplicate).where(
            or_(NearDuplicate.item_a == item.id, NearDuplicate.item_b == item.id)
        )
    )
    custody.append(
        session,
        event="removed",
        item_id=item.id,
        sha256=item.sha256,
        actor=actor,
        private={"why": why.strip()},
    )
    sha256 = item.sha256
    session.delete(item)
    session.flush()
    shared = session.scalar(select(EvidenceItem.id).where(EvidenceItem.sha256 == sha256).limit(1))
    return shared is None
