"""Tables of the evidence vault: items, links, perceptual hashes, near-duplicate decisions,
the custody log and its signed checkpoints.

Incidents, units and other capabilities' tables are referred to by kind and id in
:class:`EvidenceLink` (no foreign key), so the vault does not depend on their migrations.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from sijill.store.base import Base, utcnow
from sijill.store.models import JSONType

RELATIONS = ("transcoded", "redacted", "translated", "screenshot-of", "extracted-from")
LINK_KINDS = ("incident", "person", "unit", "source")
VERIFICATION_STATUSES = ("unverified", "in-progress", "verified", "disputed", "false")
DUPLICATE_DECISIONS = ("pending", "same", "different")


class EvidenceItem(Base):
    """One preserved file and what the Berkeley Protocol asks a collector to record about it."""

    __tablename__ = "evidence_items"

    # Identity
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("evidence_items.id"))
    relation: Mapped[str | None] = mapped_column(String(20))
    original_name: Mapped[str | None] = mapped_column(Text)
    # Fixity (at collection)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    mime: Mapped[str] = mapped_column(String(120))
    # Source
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    url: Mapped[str | None] = mapped_column(Text)
    url_normalized: Mapped[str | None] = mapped_column(Text)
    platform: Mapped[str | None] = mapped_column(String(60))
    post_id: Mapped[str | None] = mapped_column(String(200))
    account: Mapped[str | None] = mapped_column(String(300))
    claimed_upload_time: Mapped[str | None] = mapped_column(String(40))
    # Collection context: who collected it and through which persona is sealed (encrypted).
    collected_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    clock: Mapped[str] = mapped_column(String(80), default="system clock, UTC")
    tool: Mapped[str] = mapped_column(String(100), default="sijill")
    tool_version: Mapped[str] = mapped_column(String(40), default="")
    collection_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    collector_commitment: Mapped[str | None] = mapped_column(String(64))
    # Transformations and verification notes
    transformations: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    verification: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    verification_status: Mapped[str] = mapped_column(String(20), default="unverified")
    # Sensitivity
    graphic: Mapped[bool] = mapped_column(Boolean, default=False)
    identifiable_people: Mapped[bool | None] = mapped_column(Boolean)
    consent_scope: Mapped[str | None] = mapped_column(Text)
    access: Mapped[str] = mapped_column(String(12), default="internal")
    # Extracted at intake (EXIF, image and media facts); GPS and owner fields are restricted.
    media_metadata: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class EvidenceLink(Base):
    """An item's link to an incident, person, unit or source (by kind and id, no foreign key)."""

    __tablename__ = "evidence_links"
    __table_args__ = (
        UniqueConstraint("item_id", "target_kind", "target_id", name="uq_evidence_links_target"),
        Index("ix_evidence_links_target", "target_kind", "target_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[str] = mapped_column(ForeignKey("evidence_items.id"))
    target_kind: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[str] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class PerceptualHash(Base):
    """A PDQ hash of an image, or of one sampled frame of an animation or video."""

    __tablename__ = "evidence_phashes"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[str] = mapped_column(ForeignKey("evidence_items.id"), index=True)
    frame: Mapped[int] = mapped_column(Integer, default=0)
    pdq: Mapped[str] = mapped_column(String(64))
    quality: Mapped[int] = mapped_column(Integer)


class NearDuplicate(Base):
    """A candidate match between two items, waiting for (or holding) a person's decision."""

    __tablename__ = "evidence_near_duplicates"
    __table_args__ = (
        UniqueConstraint("item_a", "item_b", name="uq_evidence_near_duplicates_pair"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_a: Mapped[str] = mapped_column(ForeignKey("evidence_items.id"), index=True)
    item_b: Mapped[str] = mapped_column(ForeignKey("evidence_items.id"), index=True)
    distance: Mapped[int] = mapped_column(Integer)
    decision: Mapped[str] = mapped_column(String(12), default="pending")
    decided_by: Mapped[str | None] = mapped_column(String(100))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    why: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class CustodyEntry(Base):
    """One leaf of the custody log: canonical JSON (no personal data in clear), never updated.

    ``openings`` holds the nonces and values that open the entry's commitments; it is outside the
    leaf, so it can be destroyed (crypto-shredding) without breaking any proof.
    """

    __tablename__ = "custody_log"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    entry: Mapped[str] = mapped_column(Text)
    item_id: Mapped[str | None] = mapped_column(String(36), index=True)
    event: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    openings: Mapped[bytes | None] = mapped_column(LargeBinary)


class Checkpoint(Base):
    """A signed statement of the log's size and root (a C2SP checkpoint in a signed note)."""

    __tablename__ = "custody_checkpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    tree_size: Mapped[int] = mapped_column(Integer, index=True)
    root_hash: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text)
    key_id: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    tsa_url: Mapped[str | None] = mapped_column(Text)
    tsa_token: Mapped[bytes | None] = mapped_column(LargeBinary)
