"""The audit log (the change log: who read or changed what, when) for admins: the API
(FORMATS.md §5, ``GET /api/audit?user=&since=&action=``) and a page with the same filters.

The log is itself protected: only an admin reads it. Entries name ids and counts, never
protected content (the writers see to that); they are shown as logged.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, BeforeValidator
from sqlalchemy import select
from sqlalchemy.orm import Session

from sijill.security.users import Principal
from sijill.store.changelog import read_log
from sijill.store.models import ChangeLogEntry
from sijill.web.deps import DbSession, Limit, Offset, require_role
from sijill.web.templating import NavItem, render

router = APIRouter()
nav = [NavItem("/admin/audit", "core.nav.audit", min_role="admin", order=92)]

Admin = Annotated[Principal, Depends(require_role("admin"))]
Who = Annotated[str | None, Query(max_length=100, description="user name (web or CLI)")]
Action = Annotated[str | None, Query(max_length=60, description="read, change, import, ...")]
Entity = Annotated[str | None, Query(max_length=60, description="what was read or changed")]


def _blank_is_none(value: Any) -> Any:
    """A filter form sends its empty fields as empty strings: no filter."""
    return value or None


Since = Annotated[
    date | None, BeforeValidator(_blank_is_none), Query(description="from this day (YYYY-MM-DD)")
]
Until = Annotated[
    date | None, BeforeValidator(_blank_is_none), Query(description="up to and including this day")
]


class AuditEntry(BaseModel):
    id: int
    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: str | None = None
    detail: dict[str, Any] | None = None
    why: str | None = None


class AuditPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[AuditEntry]


def _page(
    session: Session,
    who: str | None,
    action: str | None,
    entity: str | None,
    since: date | None,
    until: date | None,
    limit: int,
    offset: int,
) -> AuditPage:
    total, entries = read_log(
        session,
        who=who or None,
        action=action or None,
        entity=entity or None,
        since=datetime.combine(since, time()) if since else None,
        until=datetime.combine(until + timedelta(days=1), time())
        if until and until < date.max
        else None,
        limit=limit,
        offset=offset,
    )
    items = [
        AuditEntry(
            id=e.id,
            at=e.at,
            actor=e.actor,
            action=e.action,
            entity=e.entity,
            entity_id=e.entity_id,
            detail=e.detail,
            why=e.why,
        )
        for e in entries
    ]
    return AuditPage(total=total, limit=limit, offset=offset, items=items)


@router.get("/api/audit", response_model=AuditPage, tags=["audit"])
def api_audit(
    session: DbSession,
    _admin: Admin,
    user: Who = None,
    action: Action = None,
    entity: Entity = None,
    since: Since = None,
    until: Until = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> AuditPage:
    """The audit log, newest first (admin): who read or changed what, when; paged."""
    return _page(session, user, action, entity, since, until, limit, offset)


@router.get("/admin/audit", response_class=HTMLResponse, include_in_schema=False)
def audit_page(
    request: Request,
    session: DbSession,
    _admin: Admin,
    user: Who = None,
    action: Action = None,
    entity: Entity = None,
    since: Since = None,
    until: Until = None,
    offset: Offset = 0,
) -> HTMLResponse:
    page = _page(session, user, action, entity, since, until, 50, offset)
    kinds = {
        column: sorted(session.scalars(select(getattr(ChangeLogEntry, column)).distinct()))
        for column in ("action", "entity")
    }
    filters = {
        "user": user or "",
        "action": action or "",
        "entity": entity or "",
        "since": since.isoformat() if since else "",
        "until": until.isoformat() if until else "",
    }
    return render(request, "core/audit.html", {"page": page, "filters": filters, "kinds": kinds})
