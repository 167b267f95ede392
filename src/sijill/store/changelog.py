"""Writing to the append-only change log."""

from __future__ import annotations

import getpass
from typing import Any

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
