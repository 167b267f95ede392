"""Intake: preserve files in the vault, record what the Berkeley Protocol asks, log collection.

One call handles a batch: every file is hashed and copied in one streaming pass, sniffed,
described (EXIF, media headers), perceptually hashed, recorded as an item with a ``collected``
custody entry, and compared with earlier items for near-duplicates. One checkpoint signs the
batch. A file first preserved for a restricted item is sealed at rest when that is configured
(``atrest``), once its metadata and perceptual hashes are taken. The caller's transaction
makes the database part all or nothing.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sijill import __version__
from sijill.errors import NotFound, SijillError
from sijill.evidence import atrest, custody
from sijill.evidence.media import extract_metadata
from sijill.evidence.models import (
    RELATIONS,
    Checkpoint,
    EvidenceItem,
    NearDuplicate,
    PerceptualHash,
)
from sijill.evidence.neardup import closest, perceptual_hashes
from sijill.evidence.sniff import sniff_mime
from sijill.evidence.urls import parse_source_url
from sijill.evidence.vault import seal_original, store_file
from sijill.security.sealing import seal
from sijill.store.base import ACCESS_LEVELS, utcnow
from sijill.store.models import Source

log = logging.getLogger(__name__)


@dataclass
class Collection:
    """What the collector says about a batch of files (the same for every file in it)."""

    source: str
    collector: str
    access: str = "internal"
    url: str | None = None
    platform: str | None = None
    post_id: str | None = None
    account: str | None = None
    claimed_upload_time: str | None = None
    persona: str | None = None
    tool: str = "sijill"
    tool_version: str = __version__
    clock: str = "system clock, UTC"
    parent_id: str | None = None
    relation: str | None = None
    graphic: bool = False
    identifiable_people: bool | None = None
    consent_scope: str | None = None


@dataclass
class Added:
    """One preserved file: where it came from, its hash, its item, its near-duplicates."""

    path: str
    sha256: str
    id: str
    mime: str
    size: int
    near_duplicates: dict[str, int] = field(default_factory=dict)
    same_content_as: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "sha256": self.sha256,
            "id": self.id,
            "mime": self.mime,
            "size": self.size,
            "near_duplicates": [
                {"id": k, "distance": v} for k, v in sorted(self.near_duplicates.items())
            ],
            "same_content_as": self.same_content_as,
        }


def collection_aad(item_id: str) -> str:
    return f"evidence_items:{item_id}:collection"


def _check(collection: Collection, session: Session) -> None:
    if collection.access not in ACCESS_LEVELS:
        raise SijillError(f"access must be one of {', '.join(ACCESS_LEVELS)}")
    if (collection.parent_id is None) != (collection.relation is None):
        raise SijillError("a parent item and its relation go together (--parent with --relation)")
    if collection.relation is not None and collection.relation not in RELATIONS:
        raise SijillError(f"relation must be one of {', '.join(RELATIONS)}")
    if collection.parent_id and session.get(EvidenceItem, collection.parent_id) is None:
        raise NotFound(f"no evidence item {collection.parent_id}")
    if not collection.collector.strip():
        raise SijillError("a collector is required")


def _source(session: Session, name: str, access: str) -> Source:
    found = session.scalars(select(Source).where(Source.name == name)).first()
    if found is not None:
        return found
    created = Source(name=name, kind="evidence", access=access, derived_from=[], record_count=0)
    session.add(created)
    session.flush()
    return created


def known_hashes(session: Session) -> dict[str, list[str]]:
    """Every stored perceptual hash, by item."""
    known: dict[str, list[str]] = {}
    for item_id, pdq in session.execute(select(PerceptualHash.item_id, PerceptualHash.pdq)):
        known.setdefault(item_id, []).append(pdq)
    return known


def add_files(
    session: Session,
    vault: Path,
    paths: list[Path],
    collection: Collection,
    *,
    progress: Any = None,
) -> tuple[list[Added], Checkpoint | None]:
    """Preserve ``paths`` and record them; returns what was added and the signing checkpoint."""
    custody.serialize(session)
    _check(collection, session)
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise SijillError(f"not a readable file: {', '.join(missing)}")
    source = _source(session, collection.source, collection.access)
    source_url = parse_source_url(collection.url) if collection.url else None
    known = known_hashes(session)
    added: list[Added] = []
    for path in paths:
        stored = store_file(vault, path)
        mime = sniff_mime(stored.head)
        item_id = str(uuid.uuid4())
        commitment = custody.commit(collection.collector)
        item = EvidenceItem(
            id=item_id,
            parent_id=collection.parent_id,
            relation=collection.relation,
            original_name=path.name,
            sha256=stored.sha256,
            size=stored.size,
            mime=mime,
            source_id=source.id,
            url=collection.url,
            url_normalized=source_url.normalized if source_url else None,
            platform=collection.platform or (source_url.platform if source_url else None),
            post_id=collection.post_id or (source_url.post_id if source_url else None),
            account=collection.account or (source_url.account if source_url else None),
            claimed_upload_time=collection.claimed_upload_time,
            collected_at=utcnow(),
            clock=collection.clock,
            tool=collection.tool,
            tool_version=collection.tool_version,
            collection_sealed=seal(
                {
                    "collector": collection.collector,
                    "collector_nonce": commitment.nonce,
                    "persona": collection.persona,
                },
                aad=collection_aad(item_id),
            ),
            collector_commitment=commitment.commitment,
            transformations=[],
            verification={},
            graphic=collection.graphic,
            identifiable_people=collection.identifiable_people,
            consent_scope=collection.consent_scope,
            access=collection.access,
            media_metadata=extract_metadata(stored.path, mime),
        )
        session.add(item)
        session.flush()
        same = [
            row
            for row in session.scalars(
                select(EvidenceItem.id).where(
                    EvidenceItem.sha256 == stored.sha256, EvidenceItem.id != item_id
                )
            )
        ]
        hashes, no_hash = perceptual_hashes(stored.path, mime)
        if no_hash:
            log.warning(
                "evidence item %s (%s): no perceptual hash: %s", item_id, path.name, no_hash
            )
        for h in hashes:
            session.add(
                PerceptualHash(item_id=item_id, frame=h.frame, pdq=h.pdq, quality=h.quality)
            )
        matches = closest([h.pdq for h in hashes], known) if hashes else {}
        for other, distance in matches.items():
            session.add(NearDuplicate(item_a=other, item_b=item_id, distance=distance))
        if hashes:
            known[item_id] = [h.pdq for h in hashes]
        if collection.access == "restricted" and atrest.enabled() and not stored.already_present:
            seal_original(vault, stored.sha256)
        custody.append(
            session,
            event="collected",
            item_id=item_id,
            sha256=stored.sha256,
            actor=collection.collector,
            detail={
                "size": stored.size,
                "mime": mime,
                "source": source.id,
                "parent": collection.parent_id,
                "relation": collection.relation,
                "url_sha256": _url_digest(source_url.normalized) if source_url else None,
                "record_sha256": custody.record_sha256(item),
            },
        )
        added.append(Added(str(path), stored.sha256, item_id, mime, stored.size, matches, same))
        if progress is not None:
            progress(stored.size)
    return added, custody.make_checkpoint(session)


def _url_digest(url: str) -> str:
    """The log names a source URL by its hash: a URL can point at a witness's own account."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()
