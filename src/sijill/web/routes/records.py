"""Records: API and pages (list with filters, one record with its protected fields)."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from sijill.records.entry import Version, history
from sijill.security.audit import log_read
from sijill.security.blind import matching_records
from sijill.security.redaction import field_key_or_none, record_view
from sijill.security.roles import can_edit, can_unseal
from sijill.security.users import Principal
from sijill.store.engine import Executes
from sijill.store.models import Record, Source
from sijill.web.deps import CurrentUser, DbSession, Forbidden, IdPath, Limit, Offset, visible
from sijill.web.queries import count_rows, name_matches, visible_records
from sijill.web.schemas import Access, RecordOut, RecordPage
from sijill.web.templating import NavItem, render

router = APIRouter()
nav = [NavItem("/records", "core.nav.records", order=20)]

Text = Annotated[str | None, Query(max_length=200)]
Status = Annotated[str | None, Query(pattern="^(killed|missing|detained|injured)$")]
Sex = Annotated[str | None, Query(pattern="^(M|F)$")]


def record_views(session: Executes, user: Principal, rows: list[Any]) -> list[dict[str, Any]]:
    """Records as the role may see them; restricted or decrypted ones are logged as read."""
    key = field_key_or_none()
    views = [record_view(record, name, user.role, key=key) for record, name in rows]
    protected = [v["id"] for v in views if v["access"] == "restricted" or "sealed" in v]
    log_read(session, user, entity="records", ids=protected)
    return views


def query_records(
    session: DbSession,
    user: Principal,
    *,
    limit: int,
    offset: int,
    q: str | None = None,
    source_id: int | None = None,
    status: str | None = None,
    sex: str | None = None,
    place: str | None = None,
    access: str | None = None,
    person_id: int | None = None,
    protected_q: str | None = None,
) -> RecordPage:
    stmt = visible_records(user)
    if protected_q:
        field_key = field_key_or_none()
        if not can_unseal(user.role) or field_key is None:
            raise Forbidden()
        stmt = stmt.where(Record.id.in_(matching_records(protected_q, field_key)))
    if q:
        stmt = stmt.where(name_matches(Record.name_key, q))
    if source_id:
        stmt = stmt.where(Record.source_id == source_id)
    if status:
        stmt = stmt.where(Record.status == status)
    if sex:
        stmt = stmt.where(Record.sex == sex)
    if place:
        stmt = stmt.where(Record.place_of_death.contains(place, autoescape=True))
    if access:
        stmt = stmt.where(Record.access == access)
    if person_id:
        stmt = stmt.where(Record.person_id == person_id)
    total = count_rows(session, stmt)
    rows = session.execute(
        stmt.order_by(Record.source_id, Record.row_number).limit(limit).offset(offset)
    ).all()
    items = [RecordOut(**v) for v in record_views(session, user, list(rows))]
    return RecordPage(total=total, limit=limit, offset=offset, items=items)


@router.get(
    "/api/records",
    response_model=RecordPage,
    response_model_exclude_unset=True,
    tags=["records"],
    responses={403: {"description": "protected_q needs an analyst or above"}},
)
def list_records(
    session: DbSession,
    user: CurrentUser,
    limit: Limit = 50,
    offset: Offset = 0,
    q: Annotated[str | None, Query(max_length=200, description="name, any script")] = None,
    source_id: Annotated[int | None, Query(ge=1, le=2_147_483_647)] = None,
    status: Status = None,
    sex: Sex = None,
    place: Text = None,
    access: Access | None = None,
    person_id: Annotated[int | None, Query(ge=1, le=2_147_483_647)] = None,
    protected_q: Annotated[
        str | None,
        Query(max_length=200, description="words of sealed fields (analysts and above)"),
    ] = None,
) -> RecordPage:
    """Records the caller may read, filtered; ``q`` searches names across scripts.

    ``protected_q`` searches sealed fields (e.g. a witness's name) through their keyed blind
    index; only analysts and above may use it, and what it finds is logged as read.
    """
    return query_records(
        session,
        user,
        protected_q=protected_q,
        limit=limit,
        offset=offset,
        q=q,
        source_id=source_id,
        status=status,
        sex=sex,
        place=place,
        access=access,
        person_id=person_id,
    )


def versions_for(session: Session, user: Principal, record: Record) -> list[Version]:
    """Every state of the record; who made each only for analysts and above (as a source's
    importer: an investigator's name is theirs to protect)."""
    versions = history(session, record)
    if can_unseal(user.role):
        return versions
    return [replace(v, by=None) for v in versions]


def record_one(session: DbSession, user: Principal, record_id: int) -> dict[str, Any]:
    row = session.execute(visible_records(user).where(Record.id == record_id)).first()
    if row is None:
        raise HTTPException(404, "No such record")
    return record_views(session, user, [row])[0]


@router.get(
    "/api/records/{record_id}",
    response_model=RecordOut,
    response_model_exclude_unset=True,
    tags=["records"],
    responses={404: {"description": "No such record, or not readable by this role"}},
)
def get_record(session: DbSession, user: CurrentUser, record_id: IdPath) -> RecordOut:
    """One record, with its decrypted sensitive fields for analysts and above (logged)."""
    return RecordOut(**record_one(session, user, record_id))


@router.get("/records", response_class=HTMLResponse, include_in_schema=False)
def records_page(
    request: Request,
    session: DbSession,
    user: CurrentUser,
    offset: Offset = 0,
    q: Text = None,
    source_id: Annotated[str | None, Query(max_length=12)] = None,
    status: Text = None,
    sex: Text = None,
    place: Text = None,
    protected_q: Text = None,
) -> HTMLResponse:
    sid = int(source_id) if source_id and source_id.isdecimal() else None
    if not can_unseal(user.role):
        protected_q = None
    page = query_records(
        session,
        user,
        limit=50,
        offset=offset,
        q=q or None,
        source_id=sid,
        status=status if status in ("killed", "missing", "detained", "injured") else None,
        sex=sex if sex in ("M", "F") else None,
        place=place or None,
        protected_q=protected_q or None,
    )
    sources = session.execute(
        visible(select(Source.id, Source.name), user, Source).order_by(Source.name)
    ).all()
    filters = {
        "q": q or "",
        "source_id": sid,
        "status": status or "",
        "sex": sex or "",
        "place": place or "",
        "protected_q": protected_q or "",
    }
    return render(
        request, "core/records.html", {"page": page, "sources": sources, "filters": filters}
    )


@router.get("/records/{record_id}", response_class=HTMLResponse, include_in_schema=False)
def record_page(
    request: Request, session: DbSession, user: CurrentUser, record_id: IdPath, done: str = ""
) -> HTMLResponse:
    view = record_one(session, user, record_id)
    stored = session.get(Record, record_id)
    versions = versions_for(session, user, stored) if stored is not None else []
    context = {
        "record": view,
        "versions": versions,
        "can_edit": can_edit(user.role),
        "done": done if done in ("created", "corrected") else "",
    }
    return render(request, "core/record.html", context)
