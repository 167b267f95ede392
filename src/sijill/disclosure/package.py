"""The disclosure package for one recipient (``sijill export disclosure``).

Layout of ``OUT``::

    README.txt                 what this is, for whom, when, the case's digest, what was held back
    metadata.csv               one row per item, numbered in order (DISC-0001, ...), with the ICC
                               e-Court Protocol's fields where they apply: identifier, date,
                               title, type, source, author, language, confidentiality, SHA-256
    held_back.csv              what the recipient may not receive and why (no titles: a held-back
                               item is named only by its kind, internal number and level)
    lists/DISC-nnnn.csv        a casualty list's rows as its source wrote them (sealed columns
                               are never written; a row whose own consent leaves the recipient
                               out is not there, and held_back.csv names it)
    bundle/                    the evidence items' originals in a BagIt bag with their custody
                               entries, inclusion proofs and the signed checkpoint
                               (:mod:`sijill.evidence.bundle`; the hand-over is logged)

Only what a consent in force names the recipient for goes in (:mod:`sijill.disclosure.consent`):
a list shared with the recipient goes without the records whose own consent is narrower.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sijill.cells import neutralise
from sijill.disclosure.consent import records_held, shareable, withdrawn
from sijill.errors import SijillError
from sijill.evidence.bundle import build_bundle
from sijill.evidence.models import Checkpoint, EvidenceItem
from sijill.report.digest import case_digest
from sijill.store.base import utcnow
from sijill.store.models import Record, Source
from sijill.store.settings import DEMO_MARK, is_demo

METADATA = (
    "identifier",
    "date",
    "title",
    "type",
    "source",
    "author",
    "language",
    "confidentiality",
    "sha256",
    "file",
)


def _reason(kind: str, target: str, recipient: str, gone: dict[tuple[str, str], Any]) -> str:
    old = gone.get((kind, target))
    if old is not None:
        return f"consent to share with {recipient} withdrawn on {old.withdrawn_at:%Y-%m-%d}"
    return f"no consent recorded to share with {recipient}"


def write_package(
    session: Session, vault: Path, recipient: str, out: Path, actor: str
) -> tuple[dict[str, Any], Checkpoint | None]:
    """Write the package for ``recipient`` into ``out`` (absent or empty); returns its summary
    and the custody checkpoint the bundle signed (to publish after commit), if any."""
    if out.exists() and any(out.iterdir()):
        raise SijillError(f"{out}: folder exists and is not empty")
    allowed = shareable(session, recipient)
    gone = withdrawn(session, recipient)
    narrower = records_held(session, recipient)
    rows: list[dict[str, str]] = []
    held: list[dict[str, str]] = []
    lists: list[tuple[str, Source]] = []
    evidence: list[tuple[str, EvidenceItem]] = []
    number = 0

    def next_id() -> str:
        nonlocal number
        number += 1
        return f"DISC-{number:04d}"

    names = {s.id: s.name for s in session.scalars(select(Source))}
    for source in session.scalars(select(Source).order_by(Source.id)):
        if source.record_count == 0 and source.file_sha256 is None:
            continue  # a report or a channel only cited, or an evidence item's source
        if ("source", str(source.id)) not in allowed:
            held.append(
                {
                    "kind": "list",
                    "internal_id": f"source {source.id}",
                    "confidentiality": source.access,
                    "reason": _reason("source", str(source.id), recipient, gone),
                }
            )
            continue
        ident = next_id()
        lists.append((ident, source))
        held.extend(_records_held(session, source, narrower))
        rows.append(
            {
                "identifier": ident,
                "date": source.published or source.created_at.date().isoformat(),
                "title": source.name,
                "type": f"casualty list ({source.kind})",
                "source": source.publisher or "",
                "author": source.publisher or "",  # not who imported it: the team's own
                "language": "",
                "confidentiality": source.access,
                "sha256": source.file_sha256 or "",
                "file": f"lists/{ident}.csv",
            }
        )
    for item in session.scalars(select(EvidenceItem).order_by(EvidenceItem.collected_at)):
        if ("evidence", item.id) not in allowed:
            held.append(
                {
                    "kind": "evidence",
                    "internal_id": item.id,
                    "confidentiality": item.access,
                    "reason": _reason("evidence", item.id, recipient, gone),
                }
            )
            continue
        ident = next_id()
        evidence.append((ident, item))
        rows.append(
            {
                "identifier": ident,
                "date": item.collected_at.date().isoformat(),
                "title": item.original_name or item.id,
                "type": item.mime,
                "source": names.get(item.source_id, "") if item.source_id else "",
                "author": item.account or "",
                "language": "",
                "confidentiality": item.access,
                "sha256": item.sha256,
                "file": f"bundle/data/items/{item.id}/",
            }
        )
    if not rows:
        raise SijillError(
            f"nothing may go to {recipient}: record consent first (sijill consent grant)"
        )
    out.mkdir(parents=True, exist_ok=True)
    checkpoint = None
    if evidence:
        _, checkpoint = build_bundle(
            session, vault, [i.id for _, i in evidence], out / "bundle", actor=actor,
            recipient=recipient,
        )  # fmt: skip
    for ident, source in lists:
        _write_list(session, source, out / "lists" / f"{ident}.csv", set(narrower))
    _write_csv(out / "metadata.csv", METADATA, rows)
    _write_csv(out / "held_back.csv", ("kind", "internal_id", "confidentiality", "reason"), held)
    summary = {
        "recipient": recipient,
        "out": str(out),
        "items": len(rows),
        "lists": len(lists),
        "evidence": len(evidence),
        "held_back": len(held),
        "digest": case_digest(session),
        "made_at": utcnow().isoformat(timespec="seconds"),
        **({"mark": DEMO_MARK} if is_demo(session) else {}),
    }
    _readme(out / "README.txt", summary)
    return summary, checkpoint


def _write_csv(path: Path, columns: tuple[str, ...], rows: list[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns))
        writer.writeheader()
        writer.writerows({k: neutralise(v) for k, v in row.items()} for row in rows)


def _records_held(
    session: Session, source: Source, narrower: dict[int, str]
) -> list[dict[str, str]]:
    """The rows of ``source`` held back by their own consent, by internal number and level
    only (no content, not even the list's own row id)."""
    rows = session.execute(
        select(Record.id, Record.access)
        .where(Record.source_id == source.id, Record.id.in_(list(narrower) or [0]))
        .order_by(Record.id)
    )
    return [
        {
            "kind": "record",
            "internal_id": f"record {number} (source {source.id})",
            "confidentiality": access,
            "reason": narrower[number],
        }
        for number, access in rows
    ]


def _write_list(session: Session, source: Source, path: Path, leave_out: set[int]) -> None:
    """The list's rows as its source wrote them (``raw``: sealed columns were never there),
    but those in ``leave_out`` (held back by their own consent)."""
    records = [
        r
        for r in session.scalars(
            select(Record).where(Record.source_id == source.id).order_by(Record.id)
        )
        if r.id not in leave_out
    ]
    columns: list[str] = []
    for record in records:
        columns.extend(c for c in record.raw if c not in columns)
    _write_csv(path, tuple(columns), [{k: str(v) for k, v in r.raw.items()} for r in records])


def _readme(path: Path, summary: dict[str, Any]) -> None:
    lines = [
        f"Disclosure package for: {summary['recipient']}",
        f"Made at (UTC): {summary['made_at']}",
        f"Case digest (SHA-256): {summary['digest']}",
        f"Items: {summary['items']} ({summary['lists']} lists, {summary['evidence']} evidence"
        f" items), listed in metadata.csv in order.",
        f"Held back: {summary['held_back']} (held_back.csv says why).",
        "Evidence originals: bundle/ (BagIt; check with python3 bundle/verify_bundle.py bundle).",
    ]
    if "mark" in summary:
        lines.insert(
            0, f"*** {summary['mark'].upper()}: every person, place and event is invented ***"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
