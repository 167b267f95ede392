"""The dashboard: counts and the latest imports, within what the user's role may read."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel
from sqlalchemy import func, select

from sijill.security.readable import person_readable
from sijill.security.users import Principal
from sijill.store.models import Person, Record, Source
from sijill.web.deps import CurrentUser, DbSession, visible
from sijill.web.templating import NavItem, render

router = APIRouter()
nav = [NavItem("/", "core.nav.dashboard", order=0)]


class Summary(BaseModel):
    sources: int
    records: int
    persons: int
    unidentified: int
    by_status: dict[str, int]


def summary(session: DbSession, user: Principal) -> Summary:
    """Counts over what ``user`` may read (restricted content is not counted for viewers)."""
    records = visible(
        select(Record.status, Record.unidentified, func.count())
        .join(Source, Source.id == Record.source_id)
        .group_by(Record.status, Record.unidentified),
        user,
        Record,
        Source,
    )
    by_status: dict[str, int] = {}
    unidentified = 0
    for status, unknown, n in session.execute(records):
        by_status[status] = by_status.get(status, 0) + n
        unidentified += n if unknown else 0
    n_sources = session.scalar(visible(select(func.count()).select_from(Source), user, Source))
    n_persons = session.scalar(
        select(func.count())
        .select_from(Person)
        .where(Person.merged_into_id.is_(None), person_readable(user.role))
    )
    return Summary(
        sources=n_sources or 0,
        records=sum(by_status.values()),
        persons=n_persons or 0,
        unidentified=unidentified,
        by_status=by_status,
    )


@router.get("/api/summary", response_model=Summary, tags=["dashboard"])
def api_summary(session: DbSession, user: CurrentUser) -> Summary:
    """Counts of sources, records and persons the caller may read."""
    return summary(session, user)


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def dashboard(request: Request, session: DbSession, user: CurrentUser) -> HTMLResponse:
    latest = session.scalars(
        visible(select(Source), user, Source)
        .where(Source.kind == "list")  # evidence and cited sources are not imported lists
        .order_by(Source.created_at.desc(), Source.id.desc())
        .limit(8)
    ).all()
    return render(
        request, "core/dashboard.html", {"summary": summary(session, user), "latest": latest}
    )
