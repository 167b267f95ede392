"""``sijill verify``: re-hash every stored item and check the custody log end to end.

Each problem names the item, entry or checkpoint that fails. The checks:

* every item's original is present and still has its recorded SHA-256 and size;
* every item has a ``collected`` custody entry naming it and its hash;
* log entries are numbered 0..n-1 without gaps, each records its own index and is canonical JSON;
* every checkpoint's signature verifies under the case's signing key, its text matches its row,
  the log's leaves reproduce its root, and each checkpoint is consistent with the one before;
* the copy of the latest checkpoint kept in the vault is covered by the database's log (a log
  truncated in the database, together with its checkpoints, is caught there);
* no entry lies beyond the latest signed checkpoint;
* with the TSA's root certificate, every RFC 3161 time-stamp of a checkpoint.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from sijill.evidence import merkle, tsa
from sijill.evidence.custody import canonical, checkpoint_copy_path
from sijill.evidence.models import Checkpoint, CustodyEntry, EvidenceItem
from sijill.evidence.signing import load_signing_key, log_origin, public_bytes
from sijill.evidence.vault import hash_file, original_path
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
        path = original_path(vault, item.sha256)
        label = f"item {item.id} ({item.original_name})"
        if not path.is_file():
            report.problems.append(f"{label}: file missing from the vault ({path})")
        else:
            sha, size = hash_file(path)
            if sha != item.sha256 or size != item.size:
                report.problems.append(
                    f"{label}: content changed (recorded sha256 {item.sha256}, now {sha})"
                )
        tick()


def check_entries(session: Session, report: Report) -> list[bytes]:
    """Check numbering, self-description and canonical form; return the leaf hashes."""
    leaves: list[bytes] = []
    collected: dict[str, str] = {}
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
        if body.get("event") == "collected" and body.get("item"):
            collected[body["item"]] = body.get("sha256") or ""
    for item_id, sha in session.execute(select(EvidenceItem.id, EvidenceItem.sha256)):
        if collected.get(item_id) != sha:
            report.problems.append(
                f"item {item_id}: no custody entry records its collection with sha256 {sha}"
            )
    return leaves


def check_checkpoints(session: Session, vault: Path, leaves: list[bytes], report: Report) -> None:
    """Signatures, roots and consistency of every checkpoint, and the vault's copy."""
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
    copy = checkpoint_copy_path(vault)
    if copy.is_file():
        text = open_note(copy.read_text(encoding="utf-8"), origin, public)
        if text is None:
            report.problems.append(f"{copy}: signature does not verify")
        else:
            _origin, size, root = parse_checkpoint(text)
            if size > len(leaves) or merkle.tree_root(leaves[:size]) != root:
                report.problems.append(
                    f"{copy}: the vault's checkpoint (size {size}) is not covered by the "
                    f"database's log of {len(leaves)} entries (truncated or rewritten)"
                )
    elif leaves:
        report.problems.append(f"{copy}: the vault's copy of the latest checkpoint is missing")


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
) -> Report:
    """Run every check; the report lists each failing item, entry and checkpoint. Time-stamps
    are checked when the TSA's root certificate (PEM) is given."""
    report = Report()
    check_items(session, vault, report, tick)
    leaves = check_entries(session, report)
    if leaves or session.scalar(select(Checkpoint.id).limit(1)) is not None:
        check_checkpoints(session, vault, leaves, report)
    if tsa_root is not None:
        check_timestamps(session, tsa_root, report)
    return report
