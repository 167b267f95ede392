"""Incidents: JSON API, GeoJSON for the map, the map-and-timeline page and incident pages.

Perpetrator links are shown as allegations with their status, never as findings.
"""

from __future__ import annotations

import os
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from sijill.command.models import Organization
from sijill.errors import NotFound, SijillError
from sijill.incidents.access import read_incident, visible_incidents
from sijill.incidents.filters import IncidentFilter, timeline_layout
from sijill.incidents.geojson import feature_collection
from sijill.incidents.linking import list_links, review_link
from sijill.incidents.models import IncidentRecord, ViolationType
from sijill.security.audit import log_read
from sijill.security.roles import can_edit, readable_levels
from sijill.security.users import Principal
from sijill.store.settings import is_demo
from sijill.web.deps import CurrentUser, DbSession, IdPath, Limit, Offset, require_role
from sijill.web.schemas import Access
from sijill.web.templating import NavItem, locale_of, render

router = APIRouter()
nav = [NavItem("/incidents", "incidents.nav", order=40)]

TILE_URL_ENV = "SIJILL_TILE_URL"  # e.g. a local tile server; empty: plain background
TILE_ATTRIBUTION_ENV = "SIJILL_TILE_ATTRIBUTION"

DateQuery = Annotated[
    str | None,
    Query(
        max_length=10,
        pattern=r"^(\d{4}(-\d{2}(-\d{2})?)?)?$",
        description="ISO date, may be partial",
    ),
]
CodeQuery = Annotated[str | None, Query(max_length=80)]
UnitQuery = Annotated[str | None, Query(max_length=200)]


class PlaceOut(BaseModel):
    id: int
    external_id: str
    name_ar: str | None = None
    name_latin: str | None = None
    type: str
    latitude: float | None = None
    longitude: float | None = None


class ViolationOut(BaseModel):
    code: str
    label_en: str
    label_ar: str
    citations: list[dict[str, Any]] = Field([], description="sources (detail only)")


class VictimsOut(BaseModel):
    named: int
    documented: int
    with_sub_incidents: int = Field(description="documented here and in every sub-incident")


class AllegationOut(BaseModel):
    id: int
    organization_id: str | None = None
    organization_name: str | None = None
    organization_name_ar: str | None = None
    person_id: int | None = None
    involvement: str | None = Field(description="degree of involvement alleged; null: not stated")
    allegation_status: str
    wording: str = Field(description="how the allegation must be worded")
    citations: list[dict[str, Any]] = Field([], description="sources (detail only)")


class IncidentOut(BaseModel):
    id: int
    access: Access
    external_id: str | None = None
    title: str
    title_ar: str | None = None
    parent_id: int | None = None
    start_date: str | None = None
    end_date: str | None = None
    start_day: str | None = None
    end_day: str | None = None
    synthetic: bool
    places: list[PlaceOut]
    violations: list[ViolationOut]
    victims: VictimsOut
    perpetrators: list[AllegationOut]


class IncidentPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[IncidentOut]


class IncidentDetail(IncidentOut):
    model_config = ConfigDict(extra="allow")
    description: str | None = None
    citations: list[dict[str, Any]] = []
    characterizations: list[dict[str, Any]] = []
    evidence: list[str] = []
    sub_incidents: list[int] = []


LinkStatus = Literal["proposed", "confirmed", "rejected"]


class LinkOut(BaseModel):
    id: int
    incident_id: int
    record_id: int
    access: Access = Field(description="the record's access level")
    source_id: int
    source_record_id: str
    full_name: str | None = None
    place_of_death: str | None = None
    date_of_death: str | None = None
    status: LinkStatus
    score: float
    reason: str | None = None


class ReviewIn(BaseModel):
    status: LinkStatus
    why: str | None = Field(None, max_length=2000)


class FeatureCollectionOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    type: str = "FeatureCollection"
    features: list[dict[str, Any]]


def _unit_names(session: DbSession, ar: bool) -> dict[str, str]:
    """Display names of the units in the command structure, by external id."""
    rows = session.execute(
        select(Organization.external_id, Organization.name, Organization.name_ar)
    ).all()
    return {
        ref: ((name_ar if ar else name) or name or name_ar or ref) for ref, name, name_ar in rows
    }


def _filtered(
    session: DbSession,
    user: CurrentUser,
    date_from: str | None,
    date_to: str | None,
    violation: str | None,
    unit: str | None,
) -> list[dict[str, Any]]:
    docs = visible_incidents(session, user)
    try:
        return IncidentFilter(date_from, date_to, violation, unit).apply(docs)
    except SijillError as exc:
        raise HTTPException(422, str(exc)) from exc


@router.get("/api/incidents", response_model=IncidentPage, tags=["incidents"])
def api_incidents(
    session: DbSession,
    user: CurrentUser,
    limit: Limit = 50,
    offset: Offset = 0,
    date_from: Annotated[DateQuery, Query(alias="from")] = None,
    date_to: Annotated[DateQuery, Query(alias="to")] = None,
    violation: CodeQuery = None,
    unit: UnitQuery = None,
) -> IncidentPage:
    """Incidents the caller may read, in date order; alleged perpetrators worded as such."""
    docs = _filtered(session, user, date_from, date_to, violation, unit)
    items = [IncidentOut(**d) for d in docs[offset : offset + limit]]
    return IncidentPage(total=len(docs), limit=limit, offset=offset, items=items)


@router.get("/api/incidents/map.geojson", response_model=FeatureCollectionOut, tags=["incidents"])
def api_incidents_geojson(
    session: DbSession,
    user: CurrentUser,
    date_from: Annotated[DateQuery, Query(alias="from")] = None,
    date_to: Annotated[DateQuery, Query(alias="to")] = None,
    violation: CodeQuery = None,
    unit: UnitQuery = None,
) -> dict[str, Any]:
    """The incidents (filtered) as a GeoJSON FeatureCollection for the map."""
    docs = _filtered(session, user, date_from, date_to, violation, unit)
    return feature_collection(docs, public=False, demo=is_demo(session))


def _detail(session: DbSession, user: Principal, incident_id: int) -> dict[str, Any]:
    try:
        return read_incident(session, user, incident_id)
    except NotFound as exc:
        raise HTTPException(404, "No such incident") from exc


@router.get(
    "/api/incidents/{incident_id}",
    response_model=IncidentDetail,
    tags=["incidents"],
    responses={404: {"description": "No such incident, or not readable by this role"}},
)
def api_incident(session: DbSession, user: CurrentUser, incident_id: IdPath) -> dict[str, Any]:
    """One incident with every claim and its citations."""
    return _detail(session, user, incident_id)


def _links(session: DbSession, user: Principal, incident_id: int) -> list[dict[str, Any]]:
    """The incident's record links whose records the user may read (readable incident only)."""
    _detail(session, user, incident_id)
    levels = readable_levels(user.role)
    links = [link for link in list_links(session, incident_id) if link["access"] in levels]
    log_read(
        session,
        user,
        entity="records",
        ids=[link["record_id"] for link in links if link["access"] == "restricted"],
    )
    return links


@router.get(
    "/api/incidents/{incident_id}/links",
    response_model=list[LinkOut],
    tags=["incidents"],
    responses={404: {"description": "No such incident, or not readable by this role"}},
)
def api_incident_links(
    session: DbSession, user: CurrentUser, incident_id: IdPath
) -> list[dict[str, Any]]:
    """Casualty records linked to the incident by place and date, with their review status."""
    return _links(session, user, incident_id)


def _review(
    session: DbSession, user: Principal, link_id: int, status: str, why: str | None
) -> IncidentRecord:
    link = session.get(IncidentRecord, link_id)
    if link is None:
        raise HTTPException(404, "No such link")
    if not any(row["id"] == link_id for row in _links(session, user, link.incident_id)):
        raise HTTPException(404, "No such link")
    return review_link(session, link_id, status, actor=f"web:{user.name}", why=why)


@router.post(
    "/api/incidents/links/{link_id}",
    response_model=LinkOut,
    tags=["incidents"],
    responses={404: {"description": "No such link, or its record is not readable"}},
)
def api_review_link(
    session: DbSession,
    user: Annotated[Principal, Depends(require_role("investigator"))],
    link_id: IdPath,
    review: ReviewIn,
) -> dict[str, Any]:
    """Confirm or reject a proposed record → incident link (a decision later runs respect)."""
    link = _review(session, user, link_id, review.status, review.why)
    return next(row for row in list_links(session, link.incident_id) if row["id"] == link_id)


@router.post(
    "/incidents/{incident_id}/links/{link_id}",
    include_in_schema=False,
    response_class=RedirectResponse,
)
def review_link_form(
    session: DbSession,
    user: Annotated[Principal, Depends(require_role("investigator"))],
    incident_id: IdPath,
    link_id: IdPath,
    status: Annotated[LinkStatus, Form()],
    why: Annotated[str | None, Form(max_length=2000)] = None,
) -> RedirectResponse:
    _review(session, user, link_id, status, why or None)
    return RedirectResponse(f"/incidents/{incident_id}#links", status_code=303)


@router.get("/incidents", response_class=HTMLResponse, include_in_schema=False)
def incidents_page(
    request: Request,
    session: DbSession,
    user: CurrentUser,
    date_from: Annotated[DateQuery, Query(alias="from")] = None,
    date_to: Annotated[DateQuery, Query(alias="to")] = None,
    violation: CodeQuery = None,
    unit: UnitQuery = None,
) -> HTMLResponse:
    docs = _filtered(session, user, date_from, date_to, violation, unit)
    rtl = locale_of(request).direction == "rtl"
    query = {
        k: v
        for k, v in (("from", date_from), ("to", date_to), ("violation", violation), ("unit", unit))
        if v
    }
    units = sorted(
        {p["organization_id"] for d in visible_incidents(session, user) for p in d["perpetrators"]}
        - {None}
    )
    return render(
        request,
        "incidents/map.html",
        {
            "incidents": docs,
            "timeline": timeline_layout(docs, rtl=rtl),
            "geojson_url": "/api/incidents/map.geojson" + ("?" + urlencode(query) if query else ""),
            "tile_url": os.environ.get(TILE_URL_ENV, ""),
            "tile_attribution": os.environ.get(TILE_ATTRIBUTION_ENV, ""),
            "violations": list(session.scalars(select(ViolationType).order_by(ViolationType.code))),
            "units": units,
            "unit_names": _unit_names(session, rtl),
            "filters": {"from": date_from, "to": date_to, "violation": violation, "unit": unit},
        },
    )


@router.get("/incidents/{incident_id}", response_class=HTMLResponse, include_in_schema=False)
def incident_page(
    request: Request, session: DbSession, user: CurrentUser, incident_id: IdPath
) -> HTMLResponse:
    return render(
        request,
        "incidents/detail.html",
        {
            "incident": _detail(session, user, incident_id),
            "links": _links(session, user, incident_id),
            "unit_names": _unit_names(session, locale_of(request).lang == "ar"),
            "can_review": can_edit(user.role),
        },
    )
