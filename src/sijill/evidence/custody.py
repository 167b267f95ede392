"""The custody log: append-only canonical-JSON entries under a Merkle tree, signed checkpoints.

An entry names the event, the item and its SHA-256, the time, and *commitments* to the people
involved (SHA-256 of a random nonce and the name), never the names themselves. The nonces that
open the commitments are sealed (encrypted) outside the leaf, in ``openings``: destroying them
or the key leaves every proof intact.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import rfc8785
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from sijill import __version__
from sijill.errors import NotFound, SijillError
from sijill.evidence import merkle
from sijill.evidence.models import Checkpoint, CustodyEntry, EvidenceItem
from sijill.evidence.signing import (
    checkpoint_text,
    load_signing_key,
    log_origin,
    public_bytes,
    sign_note,
    signing_key_path,
)
from sijill.evidence.vault import file_lock, private_dir, write_private
from sijill.security.sealing import seal, unseal
from sijill.store.base import utcnow

EVENTS = (
    "collected",
    "accessed",
    "copied",
    "transferred",
    "analysed",
    "exported",
    "linked",
    "removed",
)
ENTRY_VERSION = 1
ADVISORY_LOCK = 0x51_6A_11_07  # serializes appends on PostgreSQL


@dataclass(frozen=True)
class Commitment:
    commitment: str
    nonce: str


def commit(value: str) -> Commitment:
    """A hiding commitment to ``value``: SHA-256(nonce || value) with a fresh 32-byte nonce."""
    nonce = os.urandom(32)
    digest = hashlib.sha256(nonce + value.encode("utf-8")).hexdigest()
    return Commitment(digest, nonce.hex())


def opens(commitment: str, nonce: str, value: str) -> bool:
    """True when (nonce, value) opens ``commitment``."""
    return hashlib.sha256(bytes.fromhex(nonce) + value.encode("utf-8")).hexdigest() == commitment


def canonical(body: dict[str, Any]) -> str:
    """The RFC 8785 canonical JSON text of an entry."""
    return rfc8785.dumps(body).decode("utf-8")


#: The item fields a ``collected`` entry commits to (by one hash): everything recorded at intake
#: except the sealed collection context (re-sealed by key rotation; its collector is committed
#: by ``collector_commitment``) and the analysis notes (committed by each ``analysed`` entry).
RECORD_FIELDS = (
    "id",
    "parent_id",
    "relation",
    "original_name",
    "sha256",
    "size",
    "mime",
    "source_id",
    "url",
    "url_normalized",
    "platform",
    "post_id",
    "account",
    "claimed_upload_time",
    "collected_at",
    "clock",
    "tool",
    "tool_version",
    "collector_commitment",
    "graphic",
    "identifiable_people",
    "consent_scope",
    "access",
    "media_metadata",
)


def _digest(body: dict[str, Any]) -> str:
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def record_sha256(item: EvidenceItem) -> str:
    """SHA-256 of the canonical JSON of the item's committed fields (``RECORD_FIELDS``)."""
    body = {name: getattr(item, name) for name in RECORD_FIELDS}
    body["collected_at"] = item.collected_at.isoformat(timespec="microseconds")
    return _digest(body)


def notes_sha256(item: EvidenceItem) -> str:
    """SHA-256 of the item's analysis state: transformations, verification notes, status."""
    return _digest(
        {
            "transformations": item.transformations,
            "verification": item.verification,
            "status": item.verification_status,
        }
    )


def _openings_aad(seq: int) -> str:
    return f"custody_log:{seq}:openings"


def serialize(session: Session) -> None:
    """Take the case's write lock for the rest of the transaction, so concurrent writers of the
    log (and get-or-create of sources) run one after the other: an advisory lock on
    PostgreSQL; on SQLite, a write that matches nothing (it starts the write transaction)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": ADVISORY_LOCK})
    else:
        session.execute(text("UPDATE custody_log SET seq = seq WHERE 1 = 0"))


def append(
    session: Session,
    *,
    event: str,
    item_id: str | None,
    sha256: str | None,
    actor: str,
    detail: dict[str, Any] | None = None,
    private: dict[str, str] | None = None,
) -> CustodyEntry:
    """Append one entry in the caller's transaction and return it.

    ``private`` values (a recipient, a person) enter the entry's detail only as commitments;
    their openings are sealed beside the entry, like the actor's."""
    if event not in EVENTS:
        raise ValueError(f"unknown custody event {event!r}")
    serialize(session)
    session.flush()
    seq = session.scalar(select(func.coalesce(func.max(CustodyEntry.seq) + 1, 0)))
    assert seq is not None
    at = utcnow()
    actor_commitment = commit(actor)
    openings = {"actor": {"nonce": actor_commitment.nonce, "value": actor}}
    detail = dict(detail or {})
    for key, value in (private or {}).items():
        commitment = commit(value)
        detail[key] = commitment.commitment
        openings[key] = {"nonce": commitment.nonce, "value": value}
    body = {
        "v": ENTRY_VERSION,
        "index": seq,
        "event": event,
        "item": item_id,
        "sha256": sha256,
        "at": at.isoformat(timespec="microseconds") + "Z",
        "actor": actor_commitment.commitment,
        "tool": f"sijill {__version__}",
        "detail": detail,
    }
    entry = CustodyEntry(
        seq=seq,
        entry=canonical(body),
        item_id=item_id,
        event=event,
        at=at,
        openings=seal(openings, aad=_openings_aad(seq)),
    )
    session.add(entry)
    session.flush()
    return entry


def read_openings(entry: CustodyEntry) -> dict[str, Any]:
    """Decrypt an entry's openings (needs the field-encryption key)."""
    if entry.openings is None:
        return {}
    return dict(unseal(entry.openings, aad=_openings_aad(entry.seq)))


def leaf_hashes(session: Session, upto: int | None = None) -> list[bytes]:
    """The Merkle leaf hashes of the log (in order)."""
    rows = session.execute(
        select(CustodyEntry.entry).order_by(CustodyEntry.seq).limit(upto)
        if upto is not None
        else select(CustodyEntry.entry).order_by(CustodyEntry.seq)
    )
    return [merkle.leaf_hash(row[0].encode("utf-8")) for row in rows]


def latest_checkpoint(session: Session) -> Checkpoint | None:
    return session.scalars(
        select(Checkpoint).order_by(Checkpoint.tree_size.desc(), Checkpoint.id.desc()).limit(1)
    ).first()


def make_checkpoint(session: Session) -> Checkpoint | None:
    """Sign the log's current size and root (None when the log is empty or already signed)."""
    session.flush()
    leaves = leaf_hashes(session)
    if not leaves:
        return None
    latest = latest_checkpoint(session)
    if latest is not None and latest.tree_size == len(leaves):
        return latest
    key = load_signing_key()
    public = public_bytes(key)
    root = merkle.tree_root(leaves)
    note = sign_note(checkpoint_text(log_origin(public), len(leaves), root), key)
    checkpoint = Checkpoint(
        tree_size=len(leaves),
        root_hash=root.hex(),
        note=note,
        key_id=hashlib.sha256(public).hexdigest()[:8],
    )
    session.add(checkpoint)
    session.flush()
    return checkpoint


def checkpoint_copy_path(vault: Path) -> Path:
    return vault / "log" / "checkpoint"


def witness_path() -> Path:
    """The witness: the newest checkpoint, kept beside the signing key, where whoever can
    rewrite the database and the vault cannot (``<signing key file>.witness``)."""
    key = signing_key_path()
    return key.with_name(key.name + ".witness")


def note_size(note: str) -> int:
    """The tree size a checkpoint note states (0 when it is not a checkpoint)."""
    lines = note.split("\n")
    return int(lines[1]) if len(lines) > 2 and lines[1].isdecimal() else 0


def publish_checkpoint(vault: Path, checkpoint: Checkpoint) -> None:
    """Write the latest checkpoint beside the vault and to the witness (after commit), so a log
    truncated in the database is caught against them. Both only move forward: a checkpoint
    older than the one a file holds (a slower concurrent writer) leaves it as it is."""
    copy = checkpoint_copy_path(vault)
    private_dir(copy.parent)
    for path in (copy, witness_path()):
        _advance(path, checkpoint)


def _advance(path: Path, checkpoint: Checkpoint) -> None:
    """Replace the checkpoint ``path`` keeps by ``checkpoint`` unless it keeps a newer one:
    read, compare and write under a lock held across processes (two intakes finishing at once
    cannot regress it), the write atomic (a reader sees the old note or the new one)."""
    with file_lock(path):
        if path.is_file() and note_size(path.read_text("utf-8")) > checkpoint.tree_size:
            return
        write_private(path, checkpoint.note)


def entry_body(entry: CustodyEntry) -> dict[str, Any]:
    return dict(json.loads(entry.entry))


def entry_b64(entry: CustodyEntry) -> str:
    return base64.b64encode(entry.entry.encode("utf-8")).decode()


def item_proofs(session: Session, item_id: str) -> dict[str, Any]:
    """Every custody entry of an item with its inclusion proof up to the latest checkpoint."""
    checkpoint = latest_checkpoint(session)
    if checkpoint is None:
        return {"checkpoint": None, "entries": []}
    leaves = leaf_hashes(session, checkpoint.tree_size)
    rows = session.scalars(
        select(CustodyEntry)
        .where(CustodyEntry.item_id == item_id, CustodyEntry.seq < checkpoint.tree_size)
        .order_by(CustodyEntry.seq)
    )
    return {
        "checkpoint": checkpoint.note,
        "tree_size": checkpoint.tree_size,
        "entries": [
            {
                "index": row.seq,
                "entry_b64": entry_b64(row),
                "leaf_hash": leaves[row.seq].hex(),
                "proof": [h.hex() for h in merkle.inclusion_proof(row.seq, leaves)],
            }
            for row in rows
        ],
    }


def consistency(session: Session, old_size: int, new_size: int | None = None) -> dict[str, Any]:
    """A consistency proof from an earlier tree size to a signed checkpoint (the latest by
    default), for a partner who kept the earlier checkpoint."""
    query = select(Checkpoint).order_by(Checkpoint.tree_size.desc(), Checkpoint.id.desc())
    if new_size is not None:
        query = query.where(Checkpoint.tree_size == new_size)
    checkpoint = session.scalars(query.limit(1)).first()
    if checkpoint is None:
        raise NotFound(f"no signed checkpoint of size {new_size}" if new_size else "log is empty")
    if not 0 <= old_size <= checkpoint.tree_size:
        raise SijillError(f"size {old_size} is not within 0..{checkpoint.tree_size}")
    leaves = leaf_hashes(session, checkpoint.tree_size)
    return {
        "old_size": old_size,
        "old_root": merkle.tree_root(leaves[:old_size]).hex(),
        "new_size": checkpoint.tree_size,
        "checkpoint": checkpoint.note,
        "proof": [h.hex() for h in merkle.consistency_proof(old_size, leaves)],
    }
