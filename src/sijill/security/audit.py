"""The read log: who read which restricted content, when (in the change log)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Table, insert

from sijill.security.users import Principal
from sijill.store.base import utcnow
from sijill.store.engine import Executes
from sijill.store.models import ChangeLogEntry

MAX_IDS_PER_ENTRY = 500


def log_read(
    session: Executes,
    user: Principal,
    *,
    entity: str,
    ids: Sequence[int | str],
    detail: dict[str, Any] | None = None,
) -> None:
    """Record that ``user`` read restricted or sealed content of ``entity`` rows ``ids``.

    One entry per call (a page of a list is one entry), written at once in the caller's
    transaction by a plain INSERT: no ORM object to flush later, so a read route's entry is
    stored before its answer is built.
    """
    log_read_by(session, f"web:{user.name}", entity=entity, ids=ids, detail=detail)


def log_read_by(
    session: Executes,
    actor: str,
    *,
    entity: str,
    ids: Sequence[int | str],
    detail: dict[str, Any] | None = None,
) -> None:
    """:func:`log_read` for any actor (a CLI user, a web user)."""
    if not ids:
        return
    body: dict[str, Any] = {"ids": [str(i) for i in ids[:MAX_IDS_PER_ENTRY]], "n": len(ids)}
    body.update(detail or {})
    session.execute(
        insert(cast(Table, ChangeLogEntry.__table__)),
        {
            "at": utcnow(),
            "actor": actor,
            "action": "read",
            "entity": entity,
            "entity_id": str(ids[0]) if len(ids) == 1 else None,
            "detail": body,
            "why": None,
        },
    )
