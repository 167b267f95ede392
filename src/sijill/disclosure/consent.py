"""Recording consent per recipient, and reading what may go to whom.

Recipients are a fixed vocabulary: the public, a UN commission, an accountability mechanism,
a court, partner organisations, journalists. A source (a list, and so its records and
statements) and an evidence item carry their own. A record (a casualty row, a witness
statement's row) may carry its own too, narrowing its source's: once any consent is recorded
for a record, it goes only to the recipients its own consent in force names (and, for a
disclosure package, only if its source may go there as well); a record with none follows its
source (:func:`records_held`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sijill.disclosure.models import SharingConsent
from sijill.errors import NotFound, SijillError
from sijill.evidence.items import get_item
from sijill.store.base import utcnow
from sijill.store.changelog import log_change
from sijill.store.lookup import require_source
from sijill.store.models import Record, Source

RECIPIENTS = (
    "public",
    "un_commission",
    "accountability_mechanism",
    "court",
    "partners",
    "journalists",
)
KINDS = ("source", "evidence", "record")


def _target(session: Session, kind: str, ref: str) -> str:
    """The stored id of the thing ``ref`` names (a source by name or number, an item by id, a
    record by number or ``SOURCE:RECORD_ID``)."""
    if kind == "source":
        return str(require_source(session, ref).id)
    if kind == "evidence":
        return get_item(session, ref).id
    if kind == "record":
        return str(_record(session, ref).id)
    raise SijillError(f"consent is given for a {' or '.join(KINDS)}, not {kind!r}")


def _record(session: Session, ref: str) -> Record:
    """The record ``ref`` names: its number, or its source (name or number) and its id in the
    list, ``SOURCE:RECORD_ID``."""
    source, sep, record_id = ref.rpartition(":")
    if sep:
        found = session.scalar(
            select(Record).where(
                Record.source_id == require_source(session, source).id,
                Record.record_id == record_id,
            )
        )
    else:
        found = session.get(Record, int(ref)) if ref.isdigit() and len(ref) < 10 else None
    if found is None:
        raise NotFound(f"no record {ref!r} (give its number, or SOURCE:RECORD_ID)")
    return found


def _recipient(recipient: str) -> str:
    if recipient not in RECIPIENTS:
        raise SijillError(f"recipient must be one of {', '.join(RECIPIENTS)}, not {recipient!r}")
    return recipient


def grant(
    session: Session, kind: str, ref: str, recipient: str, why: str, actor: str
) -> SharingConsent:
    """Record that the thing may be shared with ``recipient`` (once: a consent in force for
    the same recipient is refused)."""
    if not why.strip():
        raise SijillError("a consent needs its reason or reference (--why)")
    target = _target(session, kind, ref)
    if in_force(session, kind, target, _recipient(recipient)) is not None:
        raise SijillError(f"{kind} {ref} may already be shared with {recipient}")
    row = SharingConsent(
        target_kind=kind, target_id=target, recipient=recipient, why=why.strip(), recorded_by=actor
    )
    session.add(row)
    session.flush()
    log_change(
        session,
        action="consent.grant",
        entity=kind,
        entity_id=target,
        detail={"recipient": recipient},
        why=row.why,
        actor=actor,
    )
    return row


def withdraw(
    session: Session, kind: str, ref: str, recipient: str, why: str, actor: str
) -> SharingConsent:
    """Record that consent for ``recipient`` is withdrawn (kept, marked withdrawn)."""
    target = _target(session, kind, ref)
    row = in_force(session, kind, target, _recipient(recipient))
    if row is None:
        raise NotFound(f"no consent in force to share {kind} {ref} with {recipient}")
    row.withdrawn_by, row.withdrawn_at, row.withdrawn_why = actor, utcnow(), why.strip() or None
    log_change(
        session,
        action="consent.withdraw",
        entity=kind,
        entity_id=target,
        detail={"recipient": recipient},
        why=row.withdrawn_why,
        actor=actor,
    )
    session.flush()
    return row


def in_force(session: Session, kind: str, target: str, recipient: str) -> SharingConsent | None:
    """The consent in force to share the thing with ``recipient``, if any."""
    return session.scalar(
        select(SharingConsent).where(
            SharingConsent.target_kind == kind,
            SharingConsent.target_id == target,
            SharingConsent.recipient == recipient,
            SharingConsent.withdrawn_at.is_(None),
        )
    )


def consents(session: Session, recipient: str | None = None) -> list[dict[str, Any]]:
    """Every consent recorded (withdrawn ones too), oldest first."""
    stmt = select(SharingConsent).order_by(SharingConsent.id)
    if recipient is not None:
        stmt = stmt.where(SharingConsent.recipient == _recipient(recipient))
    return [
        {
            "id": c.id,
            "kind": c.target_kind,
            "target": c.target_id,
            "recipient": c.recipient,
            "why": c.why,
            "recorded_by": c.recorded_by,
            "recorded_at": c.recorded_at.isoformat(timespec="seconds"),
            "withdrawn_at": c.withdrawn_at.isoformat(timespec="seconds")
            if c.withdrawn_at
            else None,
            "withdrawn_by": c.withdrawn_by,
            "withdrawn_why": c.withdrawn_why,
        }
        for c in session.scalars(stmt)
    ]


def shareable(session: Session, recipient: str) -> dict[tuple[str, str], SharingConsent]:
    """``(kind, target id) → consent`` of everything that may go to ``recipient`` now."""
    rows = session.scalars(
        select(SharingConsent).where(
            SharingConsent.recipient == _recipient(recipient),
            SharingConsent.withdrawn_at.is_(None),
        )
    )
    return {(c.target_kind, c.target_id): c for c in rows}


def withdrawn(session: Session, recipient: str) -> dict[tuple[str, str], SharingConsent]:
    """``(kind, target id) → the latest withdrawn consent`` for ``recipient``."""
    rows = session.scalars(
        select(SharingConsent)
        .where(SharingConsent.recipient == recipient, SharingConsent.withdrawn_at.is_not(None))
        .order_by(SharingConsent.id)
    )
    return {(c.target_kind, c.target_id): c for c in rows}


def records_held(session: Session, recipient: str) -> dict[int, str]:
    """Record number → why it may not go to ``recipient``: the records that carry consent of
    their own with none in force for ``recipient`` (never given, or withdrawn). Records with
    no consent of their own follow their source and are not listed."""
    own: dict[str, list[SharingConsent]] = {}
    for row in session.scalars(
        select(SharingConsent)
        .where(SharingConsent.target_kind == "record")
        .order_by(SharingConsent.id)
    ):
        own.setdefault(row.target_id, []).append(row)
    held: dict[int, str] = {}
    for target, rows in own.items():
        mine = [c for c in rows if c.recipient == _recipient(recipient)]
        if any(c.withdrawn_at is None for c in mine):
            continue
        if mine and mine[-1].withdrawn_at is not None:
            when = f"{mine[-1].withdrawn_at:%Y-%m-%d}"
            held[int(target)] = (
                f"the record's consent to share with {recipient} withdrawn on {when}"
            )
        else:
            held[int(target)] = f"the record's own consent does not name {recipient}"
    return held


def held_from_public(session: Session, held: dict[int, str]) -> list[dict[str, Any]]:
    """The records of ``held`` (:func:`records_held` for the public) that a public output
    leaves out for their own consent alone: the public records of public sources (the others
    are not public anyway), by number with their source and the reason, never content."""
    rows = session.execute(
        select(Record.id, Source.name, Source.id)
        .join(Source, Source.id == Record.source_id)
        .where(Record.id.in_(list(held) or [0]), Record.access == "public")
        .where(Source.access == "public")
        .order_by(Record.id)
    )
    return [
        {"record": number, "source": name, "source_id": sid, "reason": held[number]}
        for number, name, sid in rows
    ]
