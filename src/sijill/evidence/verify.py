"""``sijill verify``: re-hash every stored item and check the custody log end to end.

Each problem names the item, entry or checkpoint that fails. The checks:

* every item's original is present and still has its recorded SHA-256 and size (a sealed one
  is decrypted as a stream to be hashed); no other file
  lies among the originals (stray files are named);
* every item has a ``collected`` custody entry naming it and its hash, and its recorded fields
  (access, URL, collection time, ...) still hash to what that entry committed; its analysis
  notes to what its last ``analysed`` entry committed;
* every item the log ever took in is still in the database and the vault, unless a later
  ``removed`` entry (``sijill evidence remove``, signed by the next checkpoint) records its
  removal; an item the log records as removed is no longer in the database;
* log entries are numbered 0..n-1 without gaps, each records its own index and is canonical JSON;
* every checkpoint's signature verifies under the case's signing key, its text matches its row,
  the log's leaves reproduce its root, and each checkpoint is consistent with the one before;
* the log extends each kept checkpoint (a consistency proof to the newest signed checkpoint):
  the copy in the vault, the witness beside the signing key, and any file the caller kept
  (``--checkpoint FILE``). A log truncated or rolled back in the database together with its
  checkpoints (and the vault's copy rewritten) is caught against the witness;
* no entry lies beyond the latest signed checkpoint;
* with the TSA's root certificate, every RFC 3161 time-stamp of a checkpoint.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sijill.errors import ConfigError
from sijill.evidence import merkle, tsa
from sijill.evidence.custody import (
    canonical,
    checkpoint_copy_path,
    notes_sha256,
    record_sha256,
    witness_path,
)
from sijill.evidence.models import Checkpoint, CustodyEntry, EvidenceItem
from sijill.evidence.signing import load_signing_key, log_origin, public_bytes
from sijill.evidence.vault import hash_original, original_path, stored_original, stray_files
from sijill.evidence.verify_bundle import open_note, parse_checkpoint


@dataclass
class Report:
    """What ``verify`` checked and every problem it found."""

    items: int = 0
    entries: int = 0
    checkpoints: int = 0
    timestamps: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, object]:
        return {
            "intact": self.intact,
            "items": self.items,
            "entries": self.entries,
            "checkpoints": self.checkpoints,
            "timestamps": self.timestamps,
            "problems": self.problems,
        }


def check_items(session: Session, vault: Path, report: Report, tick: Callable[[], None]) -> None:
    """Re-hash every original and compare with its item."""
    for item in session.scalars(select(EvidenceItem).order_by(EvidenceItem.created_at)):
        report.items += 1
        path = stored_original(vault, item.sha256)
        label = f"item {item.id} ({item.original_name})"
        if path is None:
            missing = original_path(vault, item.sha256)
            report.problems.append(f"{label}: file missing from the vault ({missing})")
        else:
            try:
                sha, size = hash_original(path)
            except ConfigError as exc:
                report.problems.append(f"{label}: sealed original cannot be read: {exc}")
                tick()
                continue
            if sha != item.sha256 or size != item.size:
                report.problems.append(
                    f"{label}: content changed (recorded sha256 {item.sha256}, now {sha})"
                )
        tick()
    known = set(session.scalars(select(EvidenceItem.sha256)))
    for path in stray_files(vault, known):
        report.problems.append(f"{path}: stray file in the vault (no item records it)")


def check_entries(session: Session, vault: Path, report: Report) -> list[bytes]:
    """Check numbering, self-description and canonical form, and that the items the log took in
    are still as it committed; return the leaf hashes."""
    leaves: list[bytes] = []
    collected: dict[str, tuple[int, dict[str, Any]]] = {}  # item -> (seq, body) of collection
    removed: dict[str, int] = {}  # item -> seq of its logged removal
    notes: dict[str, str | None] = {}  # item -> notes_sha256 of its last analysis (None: older
    # entries, which committed no notes)
    for expected, row in enumerate(
        session.scalars(select(CustodyEntry).order_by(CustodyEntry.seq))
    ):
        report.entries += 1
        leaves.append(merkle.leaf_hash(row.entry.encode("utf-8")))
        if row.seq != expected:
            report.problems.append(f"custody entry {expected}: missing (next entry is {row.seq})")
        try:
            body = json.loads(row.entry)
        except ValueError:
            report.problems.append(f"custody entry {row.seq}: not valid JSON (edited)")
            continue
        if canonical(body) != row.entry:
            report.problems.append(f"custody entry {row.seq}: not in canonical form (edited)")
        if body.get("index") != row.seq:
            report.problems.append(
                f"custody entry {row.seq}: records index {body.get('index')} (moved or swapped)"
            )
        if body.get("item") != row.item_id or body.get("event") != row.event:
            report.problems.append(f"custody entry {row.seq}: row and entry disagree (edited)")
        detail = body.get("detail") or {}
        if body.get("event") == "collected" and body.get("item"):
            collected[body["item"]] = (row.seq, body)
            removed.pop(body["item"], None)
        elif body.get("event") == "removed" and body.get("item"):
            removed[body["item"]] = row.seq
        elif body.get("event") == "analysed" and detail.get("kind") != "near-duplicate":
            notes[body["item"]] = detail.get("notes_sha256")
    present: set[str] = set()
    for item in session.scalars(select(EvidenceItem).order_by(EvidenceItem.created_at)):
        present.add(item.id)
        if item.id in removed:
            report.problems.append(
                f"item {item.id}: custody entry {removed[item.id]} records its removal, but it "
                "is in the database (restored or re-inserted)"
            )
        _check_committed(item, collected.get(item.id), notes.get(item.id, ""), report)
    for item_id, (seq, body) in collected.items():
        if item_id not in present and item_id not in removed:
            on_disk = stored_original(vault, str(body.get("sha256"))) is not None
            gone = "" if on_disk else " and its file is gone from the vault"
            report.problems.append(
                f"item {item_id}: taken in by custody entry {seq} but missing from the "
                f"database{gone} (deleted; no logged removal)"
            )
    return leaves


INITIAL_NOTES = {"transformations": [], "verification": {}, "verification_status": "unverified"}


def _check_committed(
    item: EvidenceItem,
    collection: tuple[int, dict[str, Any]] | None,
    notes: str | None,
    report: Report,
) -> None:
    """The item's fields against what its ``collected`` and last ``analysed`` entries commit
    (``notes``: "" when never analysed, None when analysed by an older entry)."""
    if collection is None or collection[1].get("sha256") != item.sha256:
        report.problems.append(
            f"item {item.id}: no custody entry records its collection with sha256 {item.sha256}"
        )
        return
    seq, body = collection
    detail = body.get("detail") or {}
    committed = detail.get("record_sha256")
    if committed is not None and committed != record_sha256(item):
        report.problems.append(
            f"item {item.id}: its recorded fields (access, URL, collection time, ...) differ "
            f"from those custody entry {seq} committed (edited)"
        )
    elif committed is None and (detail.get("size"), detail.get("mime")) != (item.size, item.mime):
        report.problems.append(f"item {item.id}: size or type differ from custody entry {seq}")
    if notes == "":
        untouched = all(getattr(item, k) == v for k, v in INITIAL_NOTES.items())
        if not untouched:
            report.problems.append(
                f"item {item.id}: has analysis notes or a status no custody entry records (edited)"
            )
    elif notes is not None and notes != notes_sha256(item):
        report.problems.append(
            f"item {item.id}: its analysis notes or status differ from those its last "
            "'analysed' custody entry committed (edited)"
        )


def check_checkpoints(
    session: Session, vault: Path, leaves: list[bytes], report: Report
) -> tuple[int, bytes] | None:
    """Signatures, roots and consistency of every checkpoint, and the kept copies (the
    vault's, the witness); returns the newest valid signed (size, root)."""
    public = public_bytes(load_signing_key(create=False))
    origin = log_origin(public)
    checkpoints = list(
        session.scalars(select(Checkpoint).order_by(Checkpoint.tree_size, Checkpoint.id))
    )
    roots = merkle.roots_at(leaves, [min(cp.tree_size, len(leaves)) for cp in checkpoints])
    good: list[tuple[int, bytes]] = []  # (size, root) of checkpoints the leaves reproduce
    for cp in checkpoints:
        report.checkpoints += 1
        label = f"checkpoint {cp.id} (size {cp.tree_size})"
        text = open_note(cp.note, origin, public)
        if text is None:
            report.problems.append(f"{label}: signature does not verify under the case's key")
            continue
        _origin, size, root = parse_checkpoint(text)
        if size != cp.tree_size or root.hex() != cp.root_hash:
            report.problems.append(f"{label}: signed text differs from its database row")
        if size > len(leaves):
            report.problems.append(
                f"{label}: the log holds only {len(leaves)} entries (truncated; "
                f"entries {len(leaves)}..{size - 1} missing)"
            )
        elif roots.get(size) != root:
            first = good[-1][0] if good else 0
            report.problems.append(
                f"{label}: entries {first}..{size - 1} no longer reproduce the signed root "
                "(edited, swapped or replaced)"
            )
        else:
            good.append((size, root))
    if len(good) >= 2:
        # All roots come from the same leaves, so each checkpoint extends the earlier ones; the
        # proof from the first to the last is the one a partner holding the first would check.
        (size1, root1), (size2, root2) = good[0], good[-1]
        proof = merkle.consistency_proof(size1, leaves[:size2])
        if not merkle.verify_consistency(size1, size2, root1, root2, proof):
            report.problems.append(f"checkpoints of size {size1} and {size2} are not consistent")
    signed = good[-1][0] if good else 0
    if len(leaves) > signed:
        report.problems.append(
            f"custody entries {signed}..{len(leaves) - 1}: not covered by a valid signed checkpoint"
        )
    newest = good[-1] if good else None
    copy = checkpoint_copy_path(vault)
    witness = witness_path()
    for path, name in ((copy, "the vault's copy"), (witness, "the witness")):
        if path.is_file():
            check_kept(path.read_text(encoding="utf-8"), f"{path}: {name}", leaves, newest, report)
        elif leaves:
            report.problems.append(f"{path}: {name} of the latest checkpoint is missing")
    return newest


def check_kept(
    note: str,
    label: str,
    leaves: list[bytes],
    newest: tuple[int, bytes] | None,
    report: Report,
) -> None:
    """A kept checkpoint (signed note) is one the log extends: its signature verifies and a
    consistency proof leads from it to the newest valid signed checkpoint ``newest``."""
    public = public_bytes(load_signing_key(create=False))
    text = open_note(note, log_origin(public), public)
    if text is None:
        report.problems.append(f"{label}: signature does not verify under the case's key")
        return
    _origin, size, root = parse_checkpoint(text)
    signed = newest[0] if newest else 0
    if size > signed:
        report.problems.append(
            f"{label}: kept checkpoint of size {size} is newer than the database's newest valid "
            f"signed checkpoint (size {signed}; the log holds {len(leaves)} entries): "
            "the log was truncated or rolled back"
        )
        return
    assert newest is not None or size == 0
    new_size, new_root = newest if newest else (0, merkle.tree_root([]))
    proof = merkle.consistency_proof(size, leaves[:new_size])
    if not merkle.verify_consistency(size, new_size, root, new_root, proof):
        report.problems.append(
            f"{label}: the log does not extend the kept checkpoint of size {size} (no "
            f"consistency proof to the signed checkpoint of size {new_size}; rewritten)"
        )


def check_timestamps(session: Session, tsa_root: Path, report: Report) -> None:
    """Every RFC 3161 time-stamp stored with a checkpoint verifies under the TSA's root."""
    for cp in session.scalars(select(Checkpoint).where(Checkpoint.tsa_token.is_not(None))):
        report.timestamps += 1
        if not tsa.check(cp, tsa_root):
            report.problems.append(
                f"checkpoint {cp.id} (size {cp.tree_size}): time-stamp from {cp.tsa_url} does "
                f"not verify under {tsa_root}"
            )


def verify(
    session: Session,
    vault: Path,
    tick: Callable[[], None] = lambda: None,
    tsa_root: Path | None = None,
    kept: Path | None = None,
) -> Report:
    """Run every check; the report lists each failing item, entry and checkpoint. Time-stamps
    are checked when the TSA's root certificate (PEM) is given; with ``kept`` (a checkpoint
    file someone kept), that the log extends it."""
    report = Report()
    check_items(session, vault, report, tick)
    leaves = check_entries(session, vault, report)
    newest: tuple[int, bytes] | None = None
    if leaves or session.scalar(select(Checkpoint.id).limit(1)) is not None:
        newest = check_checkpoints(session, vault, leaves, report)
    if kept is not None:
        check_kept(kept.read_text(encoding="utf-8"), str(kept), leaves, newest, report)
    if tsa_root is not None:
        check_timestamps(session, tsa_root, report)
    return report
