"""Writing to the append-only change log, and reading it (the audit log)."""

from __future__ import annotations

import getpass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sijill.store.models import ChangeLogEntry


def default_actor() -> str:
    """The operating-system user, for changes made from the command line."""
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # noqa: BLE001 - no login name in some containers
        return "cli:unknown"


def log_change(
    session: Session,
    *,
    action: str,
    entity: str,
    entity_id: str | int | None = None,
    detail: dict[str, Any] | None = None,
    why: str | None = None,
    actor: str | None = None,
) -> ChangeLogEntry:
    """Append one entry in the caller's transaction (it commits or rolls back with the change)."""
    entry = ChangeLogEntry(
        actor=actor or default_actor(),
        action=action,
        entity=entity,
        entity_id=None if entity_id is None else str(entity_id),
        detail=detail,
        why=why,
    )
    session.add(entry)
    return entry


def read_log(
    session: Session,
    *,
    who: str | None = None,
    action: str | None = None,
    entity: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[int, list[ChangeLogEntry]]:
    """A page of the log, newest first, and the number of entries that match: by ``who`` (a
    user name, whether they acted in the web, ``web:NAME``, or the command line, ``cli:NAME``,
    or the actor exactly as logged), ``action`` (``read``, ``change``, ``import``, ``export``,
    ``download``...), ``entity`` and the time span [``since``, ``until``)."""
    query = select(ChangeLogEntry)
    if who:
        query = query.where(ChangeLogEntry.actor.in_([who, f"web:{who}", f"cli:{who}"]))
    if action:
        query = query.where(ChangeLogEntry.action == action)
    if entity:
        query = query.where(ChangeLogEntry.entity == entity)
    if since is not None:
        query = query.where(ChangeLogEntry.at >= since)
    if until is not None:
        query = query.where(ChangeLogEntry.at < until)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = session.scalars(
        query.order_by(ChangeLogEntry.at.desc(), ChangeLogEntry.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return total, list(page)
