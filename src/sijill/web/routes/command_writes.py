"""Command facts made in the browser and the API (FORMATS.md §5): a unit, a post (a person in a
unit, with rank and role) and a composition (a unit under a parent unit), each with its dates as
written and one citation; and a whole §3 document (``POST /api/structure``).

Every door imports through :func:`sijill.command.importer.import_structure`, as ``sijill import
structure`` does: one write path. A fact naming a unit or person the case lacks is refused
with the close matches (the API never creates one by naming it); a fact already stored as
written is a conflict (409). Investigators and admins write.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy.orm import Session

from sijill.command import resolve
from sijill.command.fields import DATE_KEYS
from sijill.command.importer import import_structure
from sijill.command.models import Composition, Membership
from sijill.errors import SijillError, about
from sijill.incidents.service import citations_of
from sijill.security.users import Principal
from sijill.store.lookup import require_source
from sijill.web.deps import DbSession, require_role
from sijill.web.pickers import pickers
from sijill.web.refusals import Problem, problems_of, refused
from sijill.web.templating import render

router = APIRouter()
Writer = Annotated[Principal, Depends(require_role("investigator"))]
Ref = Annotated[str, Field(min_length=1, max_length=200)]
Text = Annotated[str, Field(max_length=500)]
WrittenDate = Annotated[str, Field(max_length=40, description="as written, possibly partial")]


class CitationIn(BaseModel):
    """The one citation of a fact: a source of the case, where in it, how sure."""

    source: Ref = Field(description="a source of the case, by name or number")
    locator: Text | None = Field(None, description="page, timestamp, paragraph")
    confidence: Literal["low", "medium", "high"] = "medium"

    def cited(self) -> dict[str, Any]:
        return {
            "sources": [{"id": self.source, "locator": self.locator}],
            "confidence": self.confidence,
        }


class Dated(CitationIn):
    start_date: WrittenDate | None = None
    end_date: WrittenDate | None = None
    first_cited: WrittenDate | None = None
    last_cited: WrittenDate | None = None


class OrganizationIn(CitationIn):
    id: Ref = Field(description="the unit's id, as researchers write it (u-72)")
    name: Text | None = None
    name_ar: Text | None = None
    classification: Text | None = Field(None, description="brigade, division, ministry...")
    aliases: list[Text] = []


class MembershipIn(Dated):
    person_id: Ref = Field(description="an actor's id in the command model")
    organization_id: Ref
    role: Text = Field("member", description="commander, deputy, member (others kept)")
    title: Text | None = None
    rank: Text | None = None


class CompositionIn(Dated):
    parent_id: Ref
    child_id: Ref
    classification: Text = Field("command", description="command, administrative, operational")


class FactOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: int | str
    kind: str
    citations: list[dict[str, Any]]


FactIn = OrganizationIn | MembershipIn | CompositionIn


# --------------------------------------------------------------------------- one write path
def _refs(session: Session, body: FactIn) -> None:
    """Refuse a fact naming a unit, person or source the case lacks (with the close matches)."""
    with about("source"):
        require_source(session, body.source)
    for key in ("organization_id", "parent_id", "child_id"):
        ref = getattr(body, key, None)
        if ref is not None:
            with about(key):
                resolve.organization(session, ref)
    if isinstance(body, MembershipIn):
        with about("person_id"):
            resolve.actor(session, body.person_id)
    if isinstance(body, CompositionIn) and (
        resolve.organization(session, body.parent_id).id
        == resolve.organization(session, body.child_id).id
    ):
        raise SijillError("a unit cannot be its own parent", field="parent_id")


def _row(body: FactIn) -> dict[str, Any]:
    fields = body.model_dump(exclude_none=True, exclude={"source", "locator", "confidence"})
    return {**fields, **body.cited()}


def save_fact(session: Session, user: Principal, kind: str, body: FactIn) -> dict[str, Any]:
    """Import one fact as a one-row structure document; the stored fact, described."""
    if isinstance(body, OrganizationIn) and resolve.organization_or_none(session, body.id):
        raise HTTPException(409, f"a unit {body.id!r} exists")
    _refs(session, body)
    counts = import_structure(session, {kind: [_row(body)]}, origin="web", actor=f"web:{user.name}")
    out = _row(body)
    del out["sources"]
    if isinstance(body, OrganizationIn):
        org = resolve.organization(session, body.id)
        claim = ("command_organizations", org.id)
    else:
        if not counts.added.get(kind):
            raise HTTPException(409, "this fact is already stored as written")
        (fact_id,) = counts.added[kind]
        fact = session.get(Membership if isinstance(body, MembershipIn) else Composition, fact_id)
        claim = (f"command_{kind}", fact_id)
        out.update({k: getattr(fact, k) for k in DATE_KEYS}, id=fact_id)
    out.update(kind=kind, citations=citations_of(session, *claim, user.role))
    return out


def _api(session: Session, user: Principal, kind: str, body: FactIn) -> dict[str, Any]:
    try:
        return save_fact(session, user, kind, body)
    except SijillError as exc:
        raise refused(problems_of(exc, strip=kind)) from None


RESPONSES: dict[int | str, dict[str, Any]] = {
    409: {"description": "Already stored (a unit's id, or the same fact as written)"},
    422: {"description": "A refused value, its field named (unknown ids: close matches)"},
}


@router.post(
    "/api/command/organizations",
    response_model=FactOut,
    status_code=201,
    tags=["command"],
    responses=RESPONSES,
)
def api_new_unit(session: DbSession, user: Writer, body: OrganizationIn) -> dict[str, Any]:
    """Add a unit (organization) with its citation (investigator, admin)."""
    return _api(session, user, "organizations", body)


@router.post(
    "/api/command/memberships",
    response_model=FactOut,
    status_code=201,
    tags=["command"],
    responses=RESPONSES,
)
def api_new_post(session: DbSession, user: Writer, body: MembershipIn) -> dict[str, Any]:
    """Add a post: a person in a unit, with role, title and rank, dates as written and one
    citation (investigator, admin)."""
    return _api(session, user, "memberships", body)


@router.post(
    "/api/command/compositions",
    response_model=FactOut,
    status_code=201,
    tags=["command"],
    responses=RESPONSES,
)
def api_new_composition(session: DbSession, user: Writer, body: CompositionIn) -> dict[str, Any]:
    """Put a unit under a parent unit, dates as written, with one citation (investigator,
    admin)."""
    return _api(session, user, "compositions", body)


@router.post(
    "/api/structure",
    status_code=201,
    tags=["command"],
    responses={422: {"description": "Refused, every problem named; nothing was stored"}},
)
def api_structure(
    session: DbSession,
    user: Writer,
    body: dict[str, Any],
    create_sources: Annotated[
        bool, Query(description="create a cited source the case lacks")
    ] = False,
) -> dict[str, Any]:
    """Import a command-structure document (FORMATS.md §3) as ``sijill import structure``
    does: all or nothing; what it stored, by kind."""
    try:
        counts = import_structure(
            session, body, origin="api", create_sources=create_sources, actor=f"web:{user.name}"
        )
    except SijillError as exc:
        raise refused(problems_of(exc, rows=True)) from None
    return counts.as_dict()


# --------------------------------------------------------------------------- the page
class CitedForm(BaseModel):
    """A form's fields, each kept as the user wrote it (checked when read as a body)."""

    source: str = ""
    locator: str = ""
    confidence: str = "medium"


class UnitForm(CitedForm):
    id: str = ""
    name: str = ""
    name_ar: str = ""
    classification: str = ""


class DatedForm(CitedForm):
    start_date: str = ""
    end_date: str = ""


class PostForm(DatedForm):
    person_id: str = ""
    organization_id: str = ""
    role: str = "commander"
    title: str = ""
    rank: str = ""


class CompositionForm(DatedForm):
    parent_id: str = ""
    child_id: str = ""
    classification: str = "command"


FORMS: dict[str, tuple[str, type[FactIn]]] = {
    "unit": ("organizations", OrganizationIn),
    "post": ("memberships", MembershipIn),
    "composition": ("compositions", CompositionIn),
}


def _page(
    request: Request,
    session: Session,
    user: Principal,
    forms: dict[str, dict[str, Any]],
    failed: str = "",
    problems: list[Problem] | None = None,
    status: int = 200,
) -> HTMLResponse:
    context = {
        "forms": forms,
        "failed": failed,
        "problems": problems or [],
        "invalid": {p.name for p in problems or []},
        **pickers(session, user),
    }
    return render(request, "command/new.html", context, status)


def _blank(unit: str) -> dict[str, dict[str, Any]]:
    return {
        "unit": UnitForm().model_dump(),
        "post": PostForm(organization_id=unit).model_dump(),
        "composition": CompositionForm(child_id=unit).model_dump(),
    }


@router.get("/command/new", response_class=HTMLResponse, include_in_schema=False)
def new_facts_page(
    request: Request,
    session: DbSession,
    user: Writer,
    unit: Annotated[str, Query(max_length=200)] = "",
) -> HTMLResponse:
    return _page(request, session, user, _blank(unit))


def _submit(
    request: Request, session: Session, user: Principal, which: str, form: BaseModel
) -> Response:
    kind, model = FORMS[which]
    sent = {k: v for k, v in form.model_dump().items() if v != ""}
    status = 422
    try:
        body = model.model_validate(sent)
        saved = save_fact(session, user, kind, body)
    except (ValidationError, SijillError) as exc:
        problems = problems_of(exc, strip=kind)
    except HTTPException as exc:  # a conflict
        problems, status = [Problem("", str(exc.detail))], exc.status_code
    else:
        unit = saved["id"] if which == "unit" else sent.get("organization_id", sent.get("child_id"))
        return RedirectResponse(f"/command/units/{unit}?done={which}", status_code=303)
    session.rollback()
    forms = _blank("")
    forms[which] = form.model_dump()
    return _page(request, session, user, forms, which, problems, status)


@router.post("/command/new/unit", include_in_schema=False, response_model=None)
def new_unit_form(
    request: Request, session: DbSession, user: Writer, form: Annotated[UnitForm, Form()]
) -> Response:
    return _submit(request, session, user, "unit", form)


@router.post("/command/new/post", include_in_schema=False, response_model=None)
def new_post_form(
    request: Request, session: DbSession, user: Writer, form: Annotated[PostForm, Form()]
) -> Response:
    return _submit(request, session, user, "post", form)


@router.post("/command/new/composition", include_in_schema=False, response_model=None)
def new_composition_form(
    request: Request,
    session: DbSession,
    user: Writer,
    form: Annotated[CompositionForm, Form()],
) -> Response:
    return _submit(request, session, user, "composition", form)
