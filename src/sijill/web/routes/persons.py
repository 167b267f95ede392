"""Persons: API and pages; a person's page lists every source that mentions them."""

from __future__ import annotations

import functools
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel
from sqlalchemy import Integer, Select, String, and_, bindparam, exists, func, select
from sqlalchemy.orm import Session

from sijill.evidence.items import items_linked
from sijill.incidents.service import incidents_of_victim
from sijill.security.audit import log_read
from sijill.security.readable import person_readable, person_shown, readable_by
from sijill.security.redaction import (
    PERSON_FIELDS,
    RECORD_FIELDS,
    person_view,
    source_view,
)
from sijill.security.roles import reads_every_level
from sijill.security.users import Principal
from sijill.store.engine import Executes
from sijill.store.merges import surviving
from sijill.store.models import Person, Record, Source
from sijill.web.deps import (
    MAX_ID,
    CurrentUser,
    DbSession,
    IdPath,
    Limit,
    Offset,
)
from sijill.web.queries import (
    SOURCE_COLUMNS,
    about_person,
    columns_of,
    count_rows,
    person_citations,
    person_filter,
    source_of,
)
from sijill.web.routes.records import record_views
from sijill.web.schemas import (
    CitationOut,
    PersonDetail,
    PersonPage,
    RecordOut,
    SourceOut,
)
from sijill.web.templating import NavItem, render

router = APIRouter()
nav = [NavItem("/persons", "core.nav.persons", order=25)]

NameQuery = Annotated[str | None, Query(max_length=200, description="name, any script")]
After = Annotated[
    int, Query(ge=0, le=MAX_ID, description="start after this id (a page's `next_after`)")
]


# Plain Core columns, not ORM entities or attributes: the reads below skip the ORM's
# per-query work (entity loading, autoflush), which dominated these routes' cost.
P = Person.__table__.c
R = Record.__table__.c
S = Source.__table__.c
#: Person columns the views need.
PERSON_COLUMNS = [P[name] for name in ("id", "access", *PERSON_FIELDS)]
#: Record columns :func:`record_view` reads.
RECORD_COLUMNS = [
    R[name]
    for name in dict.fromkeys(("id", "source_id", "access", "raw", "sealed", *RECORD_FIELDS))
]


def person_list_statements(
    role: str, kind: str | None, q: str | None
) -> tuple[Select[Any], Select[Any]]:
    """The persons ``role`` may read (not merged into another), of ``kind`` (victim, actor or
    any) and matching ``q``: the statement whose rows make the list's total, and the page's
    statement (parameters ``limit``, ``offset`` and ``after``, in id order), each row with the
    number of records ``role`` may read about the person, counted for the page's rows only.

    The page starts after the id ``after`` (0 for the first): following ``next_after`` from
    page to page is an index range scan, however deep, where a large ``offset`` makes the
    database walk every row it skips.
    """
    stmt = select(*PERSON_COLUMNS).where(P.merged_into_id.is_(None))
    if q:
        stmt = stmt.where(person_filter(q, role))
    if kind == "victim":
        stmt = stmt.where(P.is_victim.is_(True))
    elif kind == "actor":
        stmt = stmt.where(P.is_actor.is_(True))
    stmt = stmt.where(person_readable(role, P))
    page = (
        stmt.where(P.id > bindparam("after", type_=Integer))
        .order_by(P.id)
        .limit(bindparam("limit", type_=Integer))
        .offset(bindparam("offset", type_=Integer))
        .subquery()
    )
    # A role that reads every level reads every record: counted from the records' person index
    # alone. Other roles count the records whose level, and whose source's, they may read.
    n_records = select(func.count()).select_from(Record.__table__).where(R.person_id == page.c.id)
    if not reads_every_level(role):
        n_records = n_records.join(Source.__table__, S.id == R.source_id).where(
            readable_by(role, R), readable_by(role, S)
        )
    counted = n_records.scalar_subquery().label("n_records")
    shown = person_shown(role, page.c)
    columns = [shown[c.key].label(c.key) if c.key in shown else c for c in page.c]
    return stmt, select(*columns, counted).order_by(page.c.id)


#: Without a name query the statements depend on the role and kind only: built once each.
unfiltered_list_statements = functools.cache(person_list_statements)


def list_statements(role: str, kind: str | None, q: str | None) -> tuple[Select[Any], Select[Any]]:
    """:func:`person_list_statements`, built once per role and kind when there is no query."""
    if q:
        return person_list_statements(role, kind, q)
    return unfiltered_list_statements(role, kind, None)


def query_persons(
    session: Executes,
    user: Principal,
    *,
    limit: int,
    offset: int,
    after: int = 0,
    q: str | None = None,
    role: str | None = None,
) -> PersonPage:
    """A page of the persons list, with the list's total over all pages."""
    listed, page = list_statements(user.role, role, q)
    total = count_rows(session, listed)
    result = session.execute(page, {"limit": limit, "offset": offset, "after": after})
    keys = list(result.keys())
    persons = result.all()
    log_read(
        session, user, entity="persons", ids=[p.id for p in persons if p.access == "restricted"]
    )
    # The page selects exactly what person_view shows (PERSON_COLUMNS) and n_records (a count,
    # never null): each row as a dict of the page's keys, taken once (Row._asdict builds a
    # mapping view and its keys for every row: 138 against 26 µs for a page of 50).
    items = [dict(zip(keys, p, strict=True)) for p in persons]
    # Validated as one page (one call into pydantic's core, not one per person).
    return PersonPage.model_validate(
        {
            "total": total,
            "limit": limit,
            "offset": offset,
            "after": after,
            "next_after": items[-1]["id"] if len(items) == limit else None,
            "items": items,
        }
    )


def json_response(model: BaseModel) -> Response:
    """``model`` as JSON, serialized once, without the fields left unset (roles' omissions).

    What FastAPI would answer for ``response_model=type(model)`` with
    ``response_model_exclude_unset=True``, without validating the model a second time.
    """
    return Response(model.model_dump_json(exclude_unset=True), media_type="application/json")


@router.get("/api/persons", response_model=PersonPage, tags=["persons"])
def list_persons(
    session: DbSession,
    user: CurrentUser,
    limit: Limit = 50,
    offset: Offset = 0,
    after: After = 0,
    q: NameQuery = None,
    role: Annotated[str | None, Query(pattern="^(victim|actor)$")] = None,
) -> Response:
    """Persons the caller may read, in id order; ``q`` searches their names and their
    records' names. Page with ``offset``, or (cheaper deep in the list) with ``after``: the
    previous page's ``next_after``."""
    page = query_persons(session, user, limit=limit, offset=offset, after=after, q=q, role=role)
    return json_response(page)


MAX_PERSON_RECORDS = 500
#: A person's columns labelled ``person__<name>``, beside their records' own columns.
PERSON_LABELLED = [c.label(f"person__{c.key}") for c in PERSON_COLUMNS]


@functools.cache
def person_statement(role: str) -> Select[Any]:
    """A person ``role`` may read (:func:`person_readable`, names and level as
    :func:`person_shown`) with each of their records it may read, and its source.

    One row per record (a single row with empty record columns when there is none), the
    person's columns labelled ``person__<name>``, and whether any citation is about them
    (most have none, and then the citations query is skipped). Parameters ``person_id`` and
    ``claim_id`` (the same id as text). Built once per role: a single round trip per request,
    with SQLAlchemy's compiled form and psycopg's prepared statement reused.
    """
    person_id = bindparam("person_id", type_=Integer)
    readable_records = Record.__table__.join(Source.__table__, S.id == R.source_id)
    cited_at_all = exists().where(about_person(bindparam("claim_id", type_=String)))
    shown = person_shown(role, P)
    person_columns = [
        shown[c.key].label(f"person__{c.key}") if c.key in shown else labelled
        for c, labelled in zip(PERSON_COLUMNS, PERSON_LABELLED, strict=True)
    ]
    return (
        select(*person_columns, cited_at_all.label("cited_at_all"), *RECORD_COLUMNS)
        .add_columns(*SOURCE_COLUMNS)
        .select_from(
            Person.__table__.outerjoin(
                readable_records,
                and_(R.person_id == P.id, readable_by(role, R), readable_by(role, S)),
            )
        )
        .where(P.id == person_id, person_readable(role, P))
        .order_by(R.source_id, R.row_number)
        .limit(MAX_PERSON_RECORDS)
    )


def person_detail(session: Executes, user: Principal, person_id: int) -> dict[str, Any]:
    """A person with their readable records, citations and every source mentioning them."""
    found = session.execute(
        person_statement(user.role), {"person_id": person_id, "claim_id": str(person_id)}
    ).all()
    if not found:
        raise HTTPException(404, "No such person")
    person = columns_of(found[0], "person__")
    rows = [r for r in found if r.id is not None]
    cited = person_citations(session, user, person.id) if found[0].cited_at_all else []
    # Reads are logged last, once everything they cover has been read.
    records = [
        RecordOut(**v) for v in record_views(session, user, [(r, r.source__name) for r in rows])
    ]
    sources = {r.source_id: source_of(r) for r in rows} | {c.source_id: source_of(c) for c in cited}
    citations = [
        CitationOut(
            source_id=c.source_id,
            source=c.source__name,
            field=c.field,
            locator=c.locator,
            confidence=c.confidence,
        )
        for c in cited
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
    tags=["persons"],
    responses={404: {"description": "No such person, or not readable by this role"}},
)
def get_person(session: DbSession, user: CurrentUser, person_id: IdPath) -> Response:
    """One person with their records and every source that mentions them."""
    detail = person_detail(session, user, person_id)
    return json_response(PersonDetail(**detail))


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
    person = person_detail(session, user, person_id)
    context = {
        "person": person,
        "evidence": items_linked(session, "person", [str(person_id)], user.role),
        "incidents": incidents_of_victim(session, person_id, user.role),
        "merged_into": _survivor(session, user, person_id),
    }
    return render(request, "core/person.html", context)


def _survivor(session: Session, user: Principal, person_id: int) -> int | None:
    """The person this one was merged into (followed to the last), if the user may read it."""
    person = session.get(Person, person_id)
    if person is None or person.merged_into_id is None:
        return None
    final = surviving(session, person).id
    readable = session.scalar(
        select(Person.id).where(Person.id == final, person_readable(user.role))
    )
    return readable
