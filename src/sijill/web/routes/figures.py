"""Other organisations' published figures, each beside the case's count for the same scope:
the JSON API (``GET /api/figures``, ``GET /api/figures/{id}``, ``POST /api/figures`` for
investigators and admins) and the pages (``/figures`` with its form, ``/figures/{id}``).

A reader sees the figures at the access levels their role may read (a figure above them is
answered 404), and the case's count beside each counts only the records they may read.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from sijill.errors import NotFound
from sijill.incidents.saving import CitationInput
from sijill.linkage.counts import named_policy
from sijill.published.models import PublishedFigure
from sijill.published.scope import compare
from sijill.published.service import (
    BadFigure,
    DuplicateFigure,
    FigureInput,
    ScopePlace,
    add_figure,
    describe,
    find_figure,
    list_figures,
)
from sijill.report.figures import DEFAULT_POLICY
from sijill.security.roles import readable_levels, role_at_least
from sijill.security.users import Principal
from sijill.store.models import Source
from sijill.web.deps import CurrentUser, DbSession, IdPath, require_role
from sijill.web.refusals import problems_of, refused
from sijill.web.schemas import Access
from sijill.web.templating import NavItem, render

router = APIRouter()
nav = [NavItem("/figures", "figures.nav", order=47)]

Counts = Literal["killed", "killed_civilians", "missing", "killed_and_missing"]
Investigator = Annotated[Principal, Depends(require_role("investigator"))]


class PlaceIn(BaseModel):
    place: str = Field(min_length=1, max_length=300, description="id, external id or name")
    count: int | None = Field(None, ge=0, le=10**9, description="their figure for the place")


class FigureIn(BaseModel):
    organisation: str = Field(min_length=1, max_length=500, description="who counted")
    organisation_ar: str | None = Field(None, max_length=500)
    published: str | None = Field(None, max_length=20, description="publication date")
    counts: Counts
    total: int = Field(ge=0, le=10**9)
    start_date: str | None = Field(None, max_length=20)
    end_date: str | None = Field(None, max_length=20)
    places: list[PlaceIn] = Field(min_length=1, max_length=500)
    sources: list[str] = Field(min_length=1, max_length=20, description="the publication")
    locator: str | None = Field(None, max_length=500)
    note: str | None = Field(None, max_length=5000)
    access: Access = "internal"
    id: str | None = Field(None, max_length=100, description="your own id")


class FigureOut(BaseModel):
    id: int
    external_id: str | None = None
    organisation: str
    organisation_ar: str | None = None
    published: str | None = None
    counts: str
    total: int
    start_date: str | None = None
    end_date: str | None = None
    places: list[dict[str, Any]]
    note: str | None = None
    access: Access
    synthetic: bool
    recorded_at: str
    recorded_by: str
    citations: list[dict[str, Any]]
    beside: dict[str, Any] = Field(
        description="the case's count for the same scope, by their places and by date"
    )


def _docs(session: Session, user: Principal, rows: list[PublishedFigure]) -> list[dict[str, Any]]:
    """Figures as ``user`` may read them, each beside the case's count of what they may read."""
    policy = named_policy(DEFAULT_POLICY)
    docs = describe(session, rows, user.role)
    for doc, row in zip(docs, rows, strict=True):
        doc["beside"] = compare(session, row, policy, access=readable_levels(user.role))
    return docs


def _one(session: Session, user: Principal, figure_id: int) -> dict[str, Any]:
    try:
        found = find_figure(session, str(figure_id), user.role)
    except NotFound as exc:
        raise HTTPException(404, "No such published figure") from exc
    return _docs(session, user, [found])[0]


def _record(session: Session, user: Principal, item: FigureInput) -> PublishedFigure:
    """Record the figure (logged as ``web:NAME``); a duplicate id is a conflict (409)."""
    try:
        return add_figure(session, item, actor=f"web:{user.name}")
    except DuplicateFigure as exc:
        session.rollback()
        raise HTTPException(409, str(exc)) from exc


@router.get("/api/figures", response_model=list[FigureOut], tags=["figures"])
def api_figures(session: DbSession, user: CurrentUser) -> list[dict[str, Any]]:
    """Published figures the caller may read, each beside the case's verified count for the
    same scope (places, days, what they count), by their places and by date."""
    return _docs(session, user, list_figures(session, user.role))


@router.get(
    "/api/figures/{figure_id}",
    response_model=FigureOut,
    tags=["figures"],
    responses={404: {"description": "No such figure, or not readable by this role"}},
)
def api_figure(session: DbSession, user: CurrentUser, figure_id: IdPath) -> dict[str, Any]:
    """One published figure beside the case's count for its scope."""
    return _one(session, user, figure_id)


@router.post(
    "/api/figures",
    response_model=FigureOut,
    status_code=201,
    tags=["figures"],
    responses={
        403: {"description": "The role may not record figures"},
        409: {"description": "A figure with this id is recorded already"},
        422: {"description": "A field is wrong (named in the answer)"},
    },
)
def api_add_figure(session: DbSession, user: Investigator, body: FigureIn) -> dict[str, Any]:
    """Record another organisation's published figure with its scope and citation."""
    item = FigureInput(
        organisation=body.organisation,
        organisation_ar=body.organisation_ar,
        counts=body.counts,
        total=body.total,
        published=body.published,
        start_date=body.start_date,
        end_date=body.end_date,
        places=[ScopePlace(p.place, p.count) for p in body.places],
        sources=[CitationInput(s, body.locator) for s in body.sources],
        note=body.note,
        access=body.access,
        external_id=body.id,
    )
    try:
        row = _record(session, user, item)
    except BadFigure as exc:
        raise refused(problems_of(exc)) from exc
    return _one(session, user, row.id)


@router.get("/figures", response_class=HTMLResponse, include_in_schema=False)
def figures_page(request: Request, session: DbSession, user: CurrentUser) -> HTMLResponse:
    """Every published figure the reader may read beside ours; the form for investigators."""
    return _page(request, session, user, {}, None)


def _page(
    request: Request,
    session: Session,
    user: Principal,
    form: dict[str, str],
    error: dict[str, str] | None,
) -> HTMLResponse:
    can_add = role_at_least(user.role, "investigator")
    sources = (
        list(
            session.scalars(
                select(Source.name)
                .where(Source.access.in_(readable_levels(user.role)))
                .order_by(Source.name)
            )
        )
        if can_add
        else []
    )
    context = {
        "figures": _docs(session, user, list_figures(session, user.role)),
        "can_add": can_add,
        "sources": sources,
        "form": form,
        "error": error,
    }
    return render(request, "figures/index.html", context, 422 if error else 200)


def _places(text: str) -> list[ScopePlace]:
    """The form's places: one a line, ``PLACE`` or ``PLACE=THEIR_COUNT``."""
    out = []
    for line in text.splitlines():
        ref, sep, number = line.strip().rpartition("=")
        if not line.strip():
            continue
        if sep and number.strip().isdigit():
            out.append(ScopePlace(ref.strip(), int(number)))
        elif sep:
            raise BadFigure("places", f"{line.strip()!r}: write PLACE or PLACE=NUMBER")
        else:
            out.append(ScopePlace(line.strip()))
    return out


@router.post("/figures", response_class=HTMLResponse, include_in_schema=False)
def figures_add_form(
    request: Request,
    session: DbSession,
    user: Investigator,
    organisation: Annotated[str, Form(max_length=500)] = "",
    counts: Annotated[str, Form(max_length=30)] = "",
    total: Annotated[str, Form(max_length=20)] = "",
    places: Annotated[str, Form(max_length=20000)] = "",
    source: Annotated[str, Form(max_length=300)] = "",
    published: Annotated[str, Form(max_length=20)] = "",
    start_date: Annotated[str, Form(max_length=20)] = "",
    end_date: Annotated[str, Form(max_length=20)] = "",
    locator: Annotated[str, Form(max_length=500)] = "",
    access: Annotated[str, Form(max_length=12)] = "internal",
) -> Response:
    """Record a figure from the form; a refused one comes back with every value as entered
    and the field at fault named."""
    form = {
        "organisation": organisation,
        "counts": counts,
        "total": total,
        "places": places,
        "source": source,
        "published": published,
        "start_date": start_date,
        "end_date": end_date,
        "locator": locator,
        "access": access,
    }
    try:
        if not total.strip().isdigit():
            raise BadFigure("total", "must be a whole number, 0 or more")
        item = FigureInput(
            organisation=organisation,
            counts=counts,
            total=int(total),
            published=published or None,
            start_date=start_date or None,
            end_date=end_date or None,
            places=_places(places),
            sources=[CitationInput(source, locator or None)] if source else [],
            access=access,
        )
        row = _record(session, user, item)
    except BadFigure as exc:
        session.rollback()
        error = {"field": exc.field or "", "message": exc.message}
        return _page(request, session, user, form, error)
    return RedirectResponse(f"/figures/{row.id}", status_code=303)


@router.get("/figures/{figure_id}", response_class=HTMLResponse, include_in_schema=False)
def figure_page(
    request: Request, session: DbSession, user: CurrentUser, figure_id: IdPath
) -> HTMLResponse:
    """One published figure beside ours, by their places (and our places under each) and by
    date."""
    return render(request, "figures/show.html", {"f": _one(session, user, figure_id)})
