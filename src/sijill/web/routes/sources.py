"""Sources: API and pages."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sijill.security.audit import log_read
from sijill.security.redaction import source_view
from sijill.security.roles import can_edit
from sijill.security.users import Principal
from sijill.store.models import Record, Source
from sijill.web.deps import CurrentUser, DbSession, IdPath, Limit, Offset, visible
from sijill.web.queries import count_rows
from sijill.web.schemas import Access, SourceOut, SourcePage
from sijill.web.templating import NavItem, render

router = APIRouter()
nav = [NavItem("/sources", "core.nav.sources", order=10)]


def visible_source(session: Session, user: Principal, source_id: int) -> Source:
    """The source, if ``user`` may read it; else 404."""
    found = session.scalar(visible(select(Source).where(Source.id == source_id), user, Source))
    if found is None:
        raise HTTPException(404, "No such source")
    return found


@router.get(
    "/api/sources", response_model=SourcePage, response_model_exclude_unset=True, tags=["sources"]
)
def list_sources(
    session: DbSession,
    user: CurrentUser,
    limit: Limit = 50,
    offset: Offset = 0,
    access: Access | None = None,
    q: Annotated[str | None, Query(max_length=200, description="part of the name")] = None,
) -> SourcePage:
    """Sources the caller may read, newest first."""
    stmt = visible(select(Source), user, Source)
    if access:
        stmt = stmt.where(Source.access == access)
    if q:
        stmt = stmt.where(Source.name.contains(q, autoescape=True))
    total = count_rows(session, stmt)
    rows = session.scalars(
        stmt.order_by(Source.created_at.desc(), Source.id.desc()).limit(limit).offset(offset)
    ).all()
    restricted = [s.id for s in rows if s.access == "restricted"]
    log_read(session, user, entity="sources", ids=restricted)
    return SourcePage(
        total=total,
        limit=limit,
        offset=offset,
        items=[SourceOut(**source_view(s, user.role)) for s in rows],
    )


@router.get(
    "/api/sources/{source_id}",
    response_model=SourceOut,
    response_model_exclude_unset=True,
    tags=["sources"],
    responses={404: {"description": "No such source, or not readable by this role"}},
)
def get_source(session: DbSession, user: CurrentUser, source_id: IdPath) -> SourceOut:
    """One source."""
    found = visible_source(session, user, source_id)
    if found.access == "restricted":
        log_read(session, user, entity="sources", ids=[found.id])
    return SourceOut(**source_view(found, user.role))


@router.get("/sources", response_class=HTMLResponse, include_in_schema=False)
def sources_page(
    request: Request, session: DbSession, user: CurrentUser, offset: Offset = 0
) -> HTMLResponse:
    page = list_sources(session, user, limit=50, offset=offset)
    return render(request, "core/sources.html", {"page": page})


@router.get("/sources/{source_id}", response_class=HTMLResponse, include_in_schema=False)
def source_page(
    request: Request, session: DbSession, user: CurrentUser, source_id: IdPath
) -> HTMLResponse:
    found = visible_source(session, user, source_id)
    if found.access == "restricted":
        log_read(session, user, entity="sources", ids=[found.id])
    names: dict[int, str] = dict(  # type: ignore[arg-type]
        session.execute(
            visible(select(Source.id, Source.name), user, Source).where(
                Source.id.in_([found.version_of_id or 0, *(found.derived_from or [])])
            )
        ).all()
    )
    statuses = session.execute(
        visible(
            select(Record.status, func.count()).where(Record.source_id == found.id), user, Record
        ).group_by(Record.status)
    ).all()
    return render(
        request,
        "core/source.html",
        {
            "source": source_view(found, user.role),
            "names": names,
            "statuses": statuses,
            "can_edit": can_edit(user.role),
        },
    )
