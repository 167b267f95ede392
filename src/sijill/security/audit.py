"""The read log: who read which restricted content, when (in the change log)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from sijill.security.users import Principal
from sijill.store.changelog import log_change

MAX_IDS_PER_ENTRY = 500


def log_read(
    session: Session,
    user: Principal,
    *,
    entity: str,
    ids: Sequence[int | str],
    detail: dict[str, Any] | None = None,
) -> None:
    """Record that ``user`` read restricted or sealed content of ``entity`` rows ``ids``.

    One entry per call (a page of a list is one entry); written in the caller's transaction.
    """
    if not ids:
        return
    body: dict[str, Any] = {"ids": [str(i) for i in ids[:MAX_IDS_PER_ENTRY]], "n": len(ids)}
    body.update(detail or {})
    log_change(
        session,
        action="read",
        entity=entity,
        entity_id=str(ids[0]) if len(ids) == 1 else None,
        detail=body,
        actor=f"web:{user.name}",
    )
