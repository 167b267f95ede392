"""Persons: API and pages; a person's page lists every source that mentions them."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import func, select

from sijill.security.audit import log_read
from sijill.security.redaction import person_view, source_view
from sijill.security.users import Principal
from sijill.store.models import Person, Record, Source
from sijill.web import totals
from sijill.web.deps import CurrentUser, DbSession, IdPath, Limit, Offset, visible
from sijill.web.queries import person_citations, person_filter
from sijill.web.routes.records import record_views
from sijill.web.schemas import (
    CitationOut,
    PersonDetail,
    PersonOut,
    PersonPage,
    RecordOut,
    SourceOut,
)
from sijill.web.templating import NavItem, render

router = APIRouter()
nav = [NavItem("/persons", "core.nav.persons", order=25)]

NameQuery = Annotated[str | None, Query(max_length=200, description="name, any script")]


def query_persons(
    session: DbSession,
    user: Principal,
    *,
    limit: int,
    offset: int,
    q: str | None = None,
    role: str | None = None,
) -> PersonPage:
    stmt = visible(select(Person).where(Person.merged_into_id.is_(None)), user, Person)
    if q:
        stmt = stmt.where(person_filter(q, user))
    if role == "victim":
        stmt = stmt.where(Person.is_victim.is_(True))
    elif role == "actor":
        stmt = stmt.where(Person.is_actor.is_(True))
    total = totals.total(session, stmt)
    persons = session.scalars(stmt.order_by(Person.id).limit(limit).offset(offset)).all()
    counts: dict[int, int] = {}
    if persons:
        counted = visible(
            select(Record.person_id, func.count())
            .join(Source, Source.id == Record.source_id)
            .where(Record.person_id.in_([p.id for p in persons]))
            .group_by(Record.person_id),
            user,
            Record,
            Source,
        )
        counts = {pid: n for pid, n in session.execute(counted) if pid is not None}
    log_read(
        session, user, entity="persons", ids=[p.id for p in persons if p.access == "restricted"]
    )
    items = [PersonOut(**person_view(p), n_records=counts.get(p.id, 0)) for p in persons]
    return PersonPage(total=total, limit=limit, offset=offset, items=items)


@router.get(
    "/api/persons", response_model=PersonPage, response_model_exclude_unset=True, tags=["persons"]
)
def list_persons(
    session: DbSession,
    user: CurrentUser,
    limit: Limit = 50,
    offset: Offset = 0,
    q: NameQuery = None,
    role: Annotated[str | None, Query(pattern="^(victim|actor)$")] = None,
) -> PersonPage:
    """Persons the caller may read; ``q`` searches their names and their records' names."""
    return query_persons(session, user, limit=limit, offset=offset, q=q, role=role)


MAX_PERSON_RECORDS = 500


def person_detail(session: DbSession, user: Principal, person_id: int) -> dict[str, Any]:
    """A person with their readable records, citations and every source mentioning them."""
    person = session.scalar(visible(select(Person).where(Person.id == person_id), user, Person))
    if person is None:
        raise HTTPException(404, "No such person")
    rows = session.execute(
        visible(
            select(Record, Source)
            .join(Source, Source.id == Record.source_id)
            .where(Record.person_id == person.id),
            user,
            Record,
            Source,
        )
        .order_by(Record.source_id, Record.row_number)
        .limit(MAX_PERSON_RECORDS)
    ).all()
    records = [RecordOut(**v) for v in record_views(session, user, [(r, s.name) for r, s in rows])]
    cited = person_citations(session, user, person.id)
    sources = {s.id: s for _, s in rows} | {s.id: s for _, s in cited}
    citations = [
        CitationOut(
            source_id=c.source_id,
            source=s.name,
            field=c.field,
            locator=c.locator,
            confidence=c.confidence,
        )
        for c, s in cited
    ]
    if person.access == "restricted":
        log_read(session, user, entity="persons", ids=[person.id])
    return {
        **person_view(person),
        "n_records": len(records),
        "records": records,
        "sources": [
            SourceOut(**source_view(s, user.role))
            for s in sorted(sources.values(), key=lambda s: s.name)
        ],
        "citations": citations,
    }


@router.get(
    "/api/persons/{person_id}",
    response_model=PersonDetail,
    response_model_exclude_unset=True,
    tags=["persons"],
    responses={404: {"description": "No such person, or not readable by this role"}},
)
def get_person(session: DbSession, user: CurrentUser, person_id: IdPath) -> PersonDetail:
    """One person with their records and every source that mentions them."""
    return PersonDetail(**person_detail(session, user, person_id))


@router.get("/persons", response_class=HTMLResponse, include_in_schema=False)
def persons_page(
    request: Request, session: DbSession, user: CurrentUser, offset: Offset = 0, q: NameQuery = None
) -> HTMLResponse:
    page = query_persons(session, user, limit=50, offset=offset, q=q or None)
    return render(request, "core/persons.html", {"page": page, "q": q or ""})


@router.get("/persons/{person_id}", response_class=HTMLResponse, include_in_schema=False)
def person_page(
    request: Request, session: DbSession, user: CurrentUser, person_id: IdPath
) -> HTMLResponse:
    return render(request, "core/person.html", {"person": person_detail(session, user, person_id)})
