"""Accountability: proceedings (JSON API), the status of everyone alleged (JSON API and the
filterable ``/accountability`` page).

A reader sees the proceedings at the access levels their role may read, and the allegations of
the incidents they may read (the incident access predicate, :mod:`sijill.incidents.access`),
and a person only as :mod:`sijill.security.readable` lets them know of one;
reading restricted ones is logged. Statuses are worded as the allegation rules require: a rank
gained after an incident is a fact about the career, not proof of reward.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from sijill.accountability.models import KINDS
from sijill.accountability.service import describe, find_proceeding, list_proceedings, status_table
from sijill.accountability.status import WORDING
from sijill.command import resolve
from sijill.errors import NotFound
from sijill.incidents.access import visible_incident
from sijill.security.audit import log_read
from sijill.security.readable import persons_shown
from sijill.security.users import Principal
from sijill.web.deps import CurrentUser, DbSession, IdPath
from sijill.web.schemas import Access
from sijill.web.templating import NavItem, render

router = APIRouter()
nav = [NavItem("/accountability", "accountability.nav", order=45)]

ActorId = Annotated[str, Path(min_length=1, max_length=200, description="actor id")]
Kind = Annotated[str | None, Query(pattern=f"^({'|'.join(KINDS)})$")]
Label = Annotated[str | None, Query(pattern=f"^({'|'.join(WORDING)})$")]


class SubjectRef(BaseModel):
    id: int | str
    external_id: str | None = None
    title: str | None = None
    name: str | None = None


class ProceedingOut(BaseModel):
    id: int
    external_id: str | None = None
    kind: str
    title: str
    title_ar: str | None = None
    body: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    stance: str | None = None
    outcome: str | None = None
    mandate: str | None = None
    members: list[str]
    extensions: list[dict[str, Any]]
    findings: list[dict[str, Any]] = Field(description='[{"text", "figures": {name: number}}]')
    note: str | None = None
    access: Access
    synthetic: bool
    recorded_at: str
    recorded_by: str
    incidents: list[SubjectRef]
    persons: list[SubjectRef]
    units: list[SubjectRef]
    citations: list[dict[str, Any]]


class StatusOut(BaseModel):
    incident: dict[str, Any]
    subject: Literal["person", "unit"]
    person: dict[str, Any] | None = None
    unit: dict[str, Any] | None = None
    allegation_status: str = Field(description="alleged, corroborated or established_by_court")
    involvement: str | None = None
    status: list[str]
    wording: list[str] = Field(description="how each status must be worded")
    stage: str | None = None
    sanctioned: bool
    career: list[str]
    statements: list[str]
    events: list[int] = Field(description="the proceedings behind the status")
    last_checked: str | None = None


def _proceedings(session: DbSession, user: Principal, **filters: Any) -> list[dict[str, Any]]:
    docs = list_proceedings(session, user.role, **filters)
    log_read(
        session,
        user,
        entity="accountability_proceedings",
        ids=[d["id"] for d in docs if d["access"] == "restricted"],
    )
    return docs


def statuses(
    session: DbSession,
    user: Principal,
    status: str | None = None,
    incident: int | None = None,
    person: int | None = None,
) -> list[dict[str, Any]]:
    """The status table as ``user`` may read it, filtered by one status, incident or person."""
    rows = status_table(session, user.role)
    shown = {r["incident"]["id"] for r in rows if r["incident"]["access"] == "restricted"}
    log_read(session, user, entity="incidents", ids=sorted(shown))
    return [
        r
        for r in rows
        if (status is None or status in r["status"])
        and (incident is None or r["incident"]["id"] == incident)
        and (person is None or (r["person"] or {}).get("id") == person)
    ]


@router.get(
    "/api/accountability/proceedings",
    response_model=list[ProceedingOut],
    tags=["accountability"],
)
def api_proceedings(
    session: DbSession,
    user: CurrentUser,
    kind: Kind = None,
    incident: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    person: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> list[dict[str, Any]]:
    """Proceedings the caller may read, in date order (one kind, incident or person). An
    incident or person the caller may not read is answered as one that does not exist: no
    proceedings."""
    if incident is not None:
        try:
            visible_incident(session, user, incident)
        except NotFound:
            return []
    if person is not None and not persons_shown(session, user.role, [person]):
        return []
    return _proceedings(session, user, kind=kind, incident=incident, person=person)


@router.get(
    "/api/accountability/proceedings/{proceeding_id}",
    response_model=ProceedingOut,
    tags=["accountability"],
    responses={404: {"description": "No such proceeding, or not readable by this role"}},
)
def api_proceeding(session: DbSession, user: CurrentUser, proceeding_id: IdPath) -> dict[str, Any]:
    """One proceeding with its subjects, findings and citations."""
    try:
        found = find_proceeding(session, str(proceeding_id), user.role)
    except NotFound as exc:
        raise HTTPException(404, "No such proceeding") from exc
    if found.access == "restricted":
        log_read(session, user, entity="accountability_proceedings", ids=[found.id])
    return describe(session, [found], user.role)[0]


@router.get("/api/accountability/status", response_model=list[StatusOut], tags=["accountability"])
def api_status(
    session: DbSession,
    user: CurrentUser,
    status: Label = None,
    incident: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    person: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> list[dict[str, Any]]:
    """Everyone alleged in an incident the caller may read, with their accountability status,
    the proceedings behind it and the date it was last checked."""
    return statuses(session, user, status, incident, person)


@router.get("/accountability", response_class=HTMLResponse, include_in_schema=False)
def accountability_page(
    request: Request,
    session: DbSession,
    user: CurrentUser,
    status: Annotated[str | None, Query(max_length=40)] = None,
) -> HTMLResponse:
    """The filterable table of everyone alleged, with their status."""
    chosen = status if status in WORDING else None
    rows = statuses(session, user, chosen)
    events = {d["id"]: d for d in _proceedings(session, user)}
    return render(
        request,
        "accountability/index.html",
        {"rows": rows, "events": events, "labels": list(WORDING), "chosen": chosen},
    )


@router.get(
    "/accountability/incidents/{incident_id}", response_class=HTMLResponse, include_in_schema=False
)
def incident_timeline(
    request: Request, session: DbSession, user: CurrentUser, incident_id: IdPath
) -> HTMLResponse:
    """An incident's accountability timeline: the proceedings about it, in date order, and the
    status of everyone alleged in it."""
    try:
        found = visible_incident(session, user, incident_id)
    except NotFound as exc:
        raise HTTPException(404, "No such incident") from exc
    return render(
        request,
        "accountability/timeline.html",
        {
            "heading": f"#{found.id} {found.title}",
            "back": f"/incidents/{found.id}",
            "proceedings": _proceedings(session, user, incident=found.id),
            "rows": statuses(session, user, incident=found.id),
        },
    )


@router.get(
    "/accountability/persons/{person}", response_class=HTMLResponse, include_in_schema=False
)
def person_timeline(
    request: Request, session: DbSession, user: CurrentUser, person: ActorId
) -> HTMLResponse:
    """A person's accountability timeline: the proceedings about them, in date order, and their
    status for each incident they are alleged in."""
    try:
        actor = resolve.actor(session, person)
    except NotFound as exc:
        raise HTTPException(404, "No such person") from exc
    shown = persons_shown(session, user.role, [actor.id]).get(actor.id)
    if shown is None:
        raise HTTPException(404, "No such person")
    return render(
        request,
        "accountability/timeline.html",
        {
            "heading": shown["display_name"] or actor.external_id,
            "back": f"/command/persons/{actor.external_id}",
            "proceedings": _proceedings(session, user, person=actor.id),
            "rows": statuses(session, user, person=actor.id),
        },
    )
