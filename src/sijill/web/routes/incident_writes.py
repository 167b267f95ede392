"""Making and changing incidents in the browser and the API (FORMATS.md §5): ``POST
/api/incidents``, ``PATCH /api/incidents/{id}`` and the "New incident" and "Edit" forms.

Every door is a thin adapter over the one saving path (:mod:`sijill.incidents.saving`, as
``sijill incidents add --from-json`` uses it): the body (or the form, turned into the same body)
is read as a JSON file's incident is (:func:`~sijill.incidents.jsonfile.incident_from_dict`).
An unknown place, unit, person or source is refused with 422 naming the field and the close
matches; a change keeps who, when and why in the change log. Investigators and admins write.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from sijill.errors import NotFound, SijillError
from sijill.incidents.access import read_incident, visible_incident
from sijill.incidents.jsonfile import incident_from_dict
from sijill.incidents.models import Incident, ViolationType
from sijill.incidents.saving import create_incident, save_changes
from sijill.security.users import Principal
from sijill.web.deps import DbSession, IdPath, require_role
from sijill.web.pickers import pickers
from sijill.web.refusals import Problem, problems_of, refused
from sijill.web.routes.incidents import IncidentDetail
from sijill.web.schemas import Access
from sijill.web.templating import render

router = APIRouter()
Writer = Annotated[Principal, Depends(require_role("investigator"))]
Text = Annotated[str, Field(max_length=2000)]
Ref = Annotated[str, Field(min_length=1, max_length=200)]
Confidence = Literal["low", "medium", "high"]
Involvement = Literal["ordered", "carried_out", "present", "failed_to_prevent_or_punish"]
Status = Literal["alleged", "corroborated", "established_by_court"]


class Cited(BaseModel):
    """Sources (names or numbers of the case's sources) with a locator and a confidence."""

    sources: list[Ref] = []
    locator: Text | None = None
    confidence: Confidence = "medium"


class VictimsIn(Cited):
    persons: list[Annotated[int, Field(ge=1)]] = Field([], description="linked persons' ids")
    count: Annotated[int, Field(ge=1, le=10_000_000)] | None = Field(
        None, description="people whose names are not known"
    )


class PerpetratorIn(Cited):
    organization_id: Ref | None = Field(None, description="a unit's id in the command model")
    person_id: Annotated[int, Field(ge=1)] | None = Field(None, description="an actor's id")
    involvement: Involvement | None = None
    status: Status = "alleged"
    note: Text | None = None


class IncidentChange(Cited):
    """What a change states; anything left out stays as it is (nothing is removed)."""

    title: Annotated[str, Field(min_length=1, max_length=500)] | None = None
    title_ar: Annotated[str, Field(max_length=500)] | None = None
    description: Annotated[str, Field(max_length=20_000)] | None = None
    parent_id: Ref | None = None
    place: Text | None = Field(None, description="the place as written")
    places: list[Ref] = Field([], description="gazetteer places: ids, external ids or names")
    start_date: Annotated[str, Field(max_length=40)] | None = Field(
        None, description="as written, possibly partial (2025, 2025-03, 08/03/2025)"
    )
    end_date: Annotated[str, Field(max_length=40)] | None = None
    violations: list[Ref] = Field([], description="codes of the violation vocabulary")
    characterizations: list[Ref] = []
    victims: VictimsIn | None = None
    perpetrators: list[PerpetratorIn] = []
    evidence: list[Ref] = Field([], description="evidence item ids")
    access: Access | None = None
    why: Text | None = Field(None, description="why the change was made (kept in the log)")


class IncidentIn(IncidentChange):
    """One incident as in FORMATS.md §3's ``incidents``."""

    id: Ref | None = Field(None, description="the incident's own id (external id)")
    synthetic: bool = False


# --------------------------------------------------------------------------- saving
def _save(
    session: Session, user: Principal, body: IncidentChange, incident: Incident | None
) -> Incident:
    """Store the body as a new incident, or as a change to ``incident``; a refusal is a
    :class:`SijillError` naming its field."""
    doc = body.model_dump(exclude_none=True, exclude={"why"})
    actor = f"web:{user.name}"
    data = incident_from_dict(doc)
    if incident is None:
        return create_incident(session, data, actor)
    return save_changes(session, incident, data, actor, body.why).incident


def _taken(session: Session, external_id: str | None) -> bool:
    return external_id is not None and (
        session.scalar(select(Incident.id).where(Incident.external_id == external_id)) is not None
    )


def _readable(session: Session, user: Principal, incident_id: int) -> Incident:
    try:
        return visible_incident(session, user, incident_id)
    except NotFound as exc:
        raise HTTPException(404, "No such incident") from exc


@router.post(
    "/api/incidents",
    response_model=IncidentDetail,
    status_code=201,
    tags=["incidents"],
    responses={
        409: {"description": "An incident with this id exists (change it with PATCH)"},
        422: {"description": "A refused value, its field named (unknown ids: close matches)"},
    },
)
def api_create_incident(session: DbSession, user: Writer, body: IncidentIn) -> dict[str, Any]:
    """Add one incident (investigator, admin), as ``sijill incidents add --from-json`` does."""
    if _taken(session, body.id):
        raise HTTPException(409, f"incident {body.id!r} exists; change it with PATCH")
    try:
        incident = _save(session, user, body, None)
    except SijillError as exc:
        raise refused(problems_of(exc)) from None
    return read_incident(session, user, incident.id)


@router.patch(
    "/api/incidents/{incident_id}",
    response_model=IncidentDetail,
    tags=["incidents"],
    responses={
        404: {"description": "No such incident, or not readable by this role"},
        422: {"description": "A refused value, its field named"},
    },
)
def api_change_incident(
    session: DbSession, user: Writer, incident_id: IdPath, body: IncidentChange
) -> dict[str, Any]:
    """Change an incident (investigator, admin): what the body states is set or added, the
    rest stays; each difference is logged with who, when and ``why``."""
    incident = _readable(session, user, incident_id)
    try:
        _save(session, user, body, incident)
    except SijillError as exc:
        raise refused(problems_of(exc)) from None
    return read_incident(session, user, incident.id)


# --------------------------------------------------------------------------- the forms
def _split(text: str) -> list[str]:
    return [part.strip() for part in text.replace("،", ",").split(",") if part.strip()]


def _body(form: dict[str, Any]) -> dict[str, Any]:
    """A form's fields as the API's body: one place, one alleged unit or person, one source
    cited for the incident and its allegation."""
    cited = {
        "sources": [form["source"]] if form.get("source") else [],
        "locator": form.get("locator") or None,
        "confidence": form.get("confidence") or "medium",
    }
    perpetrators = [
        {
            **cited,
            key: form[field],
            "involvement": form.get("involvement") or None,
            "status": form.get("status") or "alleged",
        }
        for key, field in (("organization_id", "unit"), ("person_id", "actor"))
        if form.get(field)
    ]
    place = form.get("place_id") or form.get("place")
    victims = {"persons": _split(form.get("victim_persons") or "")}
    if form.get("victim_count"):
        victims["count"] = form["victim_count"]
    body: dict[str, Any] = {
        **cited,
        "title": form.get("title") or None,
        "title_ar": form.get("title_ar") or None,
        "description": form.get("description") or None,
        "start_date": form.get("start_date") or None,
        "end_date": form.get("end_date") or None,
        "places": [place] if place else [],
        "violations": form.get("violations") or [],
        "victims": victims,
        "perpetrators": perpetrators,
        "access": form.get("access") or None,
        "why": form.get("why") or None,
    }
    return body


def _form_page(
    request: Request,
    session: Session,
    user: Principal,
    incident: dict[str, Any] | None,
    form: dict[str, Any],
    problems: list[Problem] | None = None,
) -> HTMLResponse:
    context = {
        "incident": incident,
        "form": form,
        "problems": problems or [],
        "invalid": {p.name for p in problems or []},
        "violations": list(session.scalars(select(ViolationType).order_by(ViolationType.code))),
        **pickers(session, user),
    }
    return render(request, "incidents/form.html", context, 422 if problems else 200)


class IncidentForm(BaseModel):
    """The form's fields, each kept as the user wrote it (checked when read as a body)."""

    title: str = ""
    title_ar: str = ""
    description: str = ""
    start_date: str = ""
    end_date: str = ""
    place: str = ""
    place_id: str = ""
    violations: list[str] = []
    victim_count: str = ""
    victim_persons: str = ""
    unit: str = ""
    actor: str = ""
    involvement: str = ""
    status: str = ""
    source: str = ""
    locator: str = ""
    confidence: str = ""
    access: str = ""
    why: str = ""


FormIn = Annotated[IncidentForm, Form()]


def _submit(
    request: Request,
    session: Session,
    user: Principal,
    form: dict[str, Any],
    incident: Incident | None,
) -> Response:
    model = IncidentIn if incident is None else IncidentChange
    try:
        body = model.model_validate(_body(form))
        saved = _save(session, user, body, incident)
    except (ValidationError, SijillError) as exc:
        session.rollback()
        current = read_incident(session, user, incident.id) if incident else None
        return _form_page(request, session, user, current, form, problems_of(exc))
    return RedirectResponse(f"/incidents/{saved.id}?done=saved", status_code=303)


@router.get("/incidents/new", response_class=HTMLResponse, include_in_schema=False)
def new_incident_page(request: Request, session: DbSession, user: Writer) -> HTMLResponse:
    return _form_page(request, session, user, None, IncidentForm(access="internal").model_dump())


@router.post("/incidents/new", include_in_schema=False, response_model=None)
def new_incident_form(request: Request, session: DbSession, user: Writer, form: FormIn) -> Response:
    return _submit(request, session, user, form.model_dump(), None)


@router.get("/incidents/{incident_id}/edit", response_class=HTMLResponse, include_in_schema=False)
def edit_incident_page(
    request: Request, session: DbSession, user: Writer, incident_id: IdPath
) -> HTMLResponse:
    doc = read_incident(session, user, _readable(session, user, incident_id).id)
    stated = ("title", "title_ar", "description", "access", "start_date", "end_date")
    form = IncidentForm.model_validate({k: doc.get(k) or "" for k in stated})
    return _form_page(request, session, user, doc, form.model_dump())


@router.post("/incidents/{incident_id}/edit", include_in_schema=False, response_model=None)
def edit_incident_form(
    request: Request, session: DbSession, user: Writer, incident_id: IdPath, form: FormIn
) -> Response:
    incident = _readable(session, user, incident_id)
    return _submit(request, session, user, form.model_dump(), incident)
