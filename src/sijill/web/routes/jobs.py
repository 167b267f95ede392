"""Jobs through the API and the jobs pages (FORMATS.md §5): start long work, follow its
progress, read its result, download what it wrote.

``POST /api/jobs`` takes one of the kinds of :mod:`sijill.jobs.kinds` (a union told apart by
``kind``); ``POST /api/evidence/bundle`` starts a ``bundle``. Analysts and above start jobs
(linking: investigators and admins), one at a time each, and one link at a time in the case.
A job is read by who started it or an admin (anyone else: 404). The ``/jobs`` page lists the
reader's jobs (an admin's: everyone's) and starts them; ``/jobs/{id}`` follows one.
"""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    TypeAdapter,
    ValidationError,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from sijill.errors import NotFound
from sijill.estimate.from_case import STRATA
from sijill.estimate.linkage import estimate_job
from sijill.evidence.models import EvidenceItem
from sijill.jobs.kinds import (
    MIN_ROLE,
    bundle_work,
    job_folder,
    link_work,
    match_places_work,
    report_work,
)
from sijill.jobs.models import Job
from sijill.jobs.service import job_view, list_jobs, new_job_id, read_job, running_job, start_job
from sijill.security.roles import role_at_least
from sijill.security.users import Principal
from sijill.store.changelog import log_change
from sijill.web.deps import CurrentUser, DbSession, Forbidden, require_role, visible
from sijill.web.templating import NavItem, render

router = APIRouter()
nav = [NavItem("/jobs", "jobs.nav", min_role="analyst", order=56)]
Analyst = Annotated[Principal, Depends(require_role("analyst"))]
JobId = Annotated[str, Path(min_length=36, max_length=36, description="job id (UUID)")]
ItemId = Annotated[str, Field(min_length=8, max_length=64)]


class _Kind(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EstimateJob(_Kind):
    """An estimate of the undocumented toll from the case (``estimate --from-case``)."""

    kind: Literal["estimate"]
    method: Literal["lcmcr", "loglinear", "dga"] = "lcmcr"
    stratum: Literal[STRATA] | None = None  # type: ignore[valid-type]
    seed: int | None = Field(None, ge=0, le=2**31 - 1)


class LinkJob(_Kind):
    """``sijill link``: match the case's records into people (investigators and admins)."""

    kind: Literal["link"]


class MatchPlacesJob(_Kind):
    """``sijill places match``: every record's place of death to the gazetteer."""

    kind: Literal["match-places"]


class ReportJob(_Kind):
    """``sijill report``: the investigation report, its page and PDF to download."""

    kind: Literal["report"]
    lang: Literal["en", "ar"] = "en"
    public: bool = False
    estimate: bool = Field(False, description="include the estimate (slow: LCMCR)")
    pdf: bool = True


class BundleJob(_Kind):
    """``sijill evidence bundle``: a BagIt bundle of evidence items, zipped, to download."""

    kind: Literal["bundle"]
    items: list[ItemId] = Field(min_length=1, max_length=500)


class _OtherKind(_Kind):
    """Any other ``kind`` is refused by this model, naming the field and the kinds there are."""

    kind: Literal[tuple(MIN_ROLE)]  # type: ignore[valid-type]


def _kind_of(body: Any) -> str:
    kind = body.get("kind") if isinstance(body, dict) else getattr(body, "kind", None)
    return kind if kind in MIN_ROLE else "other"


JobIn = Annotated[
    Annotated[EstimateJob, Tag("estimate")]
    | Annotated[LinkJob, Tag("link")]
    | Annotated[MatchPlacesJob, Tag("match-places")]
    | Annotated[ReportJob, Tag("report")]
    | Annotated[BundleJob, Tag("bundle")]
    | Annotated[_OtherKind, Tag("other")],
    Discriminator(_kind_of),
]
_JOB_IN: TypeAdapter[Any] = TypeAdapter(JobIn)


class BundleIn(BaseModel):
    """The evidence items to bundle."""

    model_config = ConfigDict(extra="forbid")
    items: list[ItemId] = Field(min_length=1, max_length=500)


class JobStarted(BaseModel):
    id: str


class Download(BaseModel):
    name: str
    url: str


class JobOut(BaseModel):
    id: str
    kind: str
    state: Literal["queued", "running", "done", "failed"]
    progress: float
    message: str | None = None
    result: dict[str, Any] | None = None
    params: dict[str, Any]
    owner: str
    created_at: datetime
    updated_at: datetime
    downloads: list[Download] = []


def _out(job: Job) -> JobOut:
    files = (job.result or {}).get("files") or [] if job.state == "done" else []
    downloads = [Download(name=f, url=f"/api/jobs/{job.id}/files/{f}") for f in files]
    return JobOut(**job_view(job), downloads=downloads)


class Busy(Exception):
    """A job of this user (or a link of anyone) is still queued or running."""

    def __init__(self, job: Job) -> None:
        super().__init__(f"job {job.id} ({job.kind}) is still {job.state}")
        self.job = job


def _readable_items(session: Session, user: Principal, wanted: list[str]) -> None:
    found = set(
        session.scalars(
            visible(select(EvidenceItem.id), user, EvidenceItem).where(EvidenceItem.id.in_(wanted))
        )
    )
    missing = [i for i in wanted if i not in found]
    if missing:
        raise HTTPException(404, f"No such evidence item: {missing[0]}")


def start(request: Request, session: Session, user: Principal, body: Any) -> str:
    """Start the job ``body`` asks for ``user``; returns its id. Raises :class:`Forbidden`
    for a role that may not start it, :class:`Busy` while one of the user's jobs (or any link)
    runs, 404 for an evidence item the user may not read."""
    if not role_at_least(user.role, MIN_ROLE[body.kind]):
        raise Forbidden()
    running = running_job(session, user.name)
    if running is None and body.kind == "link":
        running = running_job(session, kind="link")
    if running is not None:
        raise Busy(running)
    params = body.model_dump(exclude={"kind"})
    if body.kind == "bundle":
        _readable_items(session, user, params["items"])
    job_id = new_job_id()
    sessions = request.app.state.sessions
    folder = job_folder(job_id)
    actor = f"web:{user.name}"
    works = {
        "estimate": functools.partial(estimate_job, sessions),
        "link": functools.partial(link_work, sessions, actor),
        "match-places": functools.partial(match_places_work, sessions),
        "report": functools.partial(report_work, sessions, folder),
        "bundle": functools.partial(bundle_work, sessions, folder, actor),
    }
    detail = {"kind": body.kind, **params}
    log_change(session, action="start", entity="job", entity_id=job_id, actor=actor, detail=detail)
    session.commit()
    return start_job(sessions, body.kind, params, user.name, works[body.kind], job_id)


def _start_api(request: Request, session: Session, user: Principal, body: Any) -> JobStarted:
    try:
        return JobStarted(id=start(request, session, user, body))
    except Busy as exc:
        raise HTTPException(409, str(exc)) from None


def job_for(session: Session, user: Principal, job_id: str) -> Job:
    """The job, if ``user`` started it or is an admin; else 404."""
    owner = None if role_at_least(user.role, "admin") else user.name
    try:
        return read_job(session, job_id, owner=owner)
    except NotFound as exc:
        raise HTTPException(404, "No such job") from exc


@router.post(
    "/api/jobs",
    response_model=JobStarted,
    status_code=202,
    tags=["jobs"],
    responses={
        403: {"description": "the role may not start this kind"},
        404: {"description": "an evidence item to bundle is not readable"},
        409: {"description": "a job of yours (or a link) is still queued or running"},
    },
)
def api_start_job(request: Request, session: DbSession, user: Analyst, body: JobIn) -> JobStarted:
    """Start long work (analysts and above; linking: investigators and admins; one job at a
    time each); answers at once with the job's id."""
    return _start_api(request, session, user, body)


@router.post(
    "/api/evidence/bundle",
    response_model=JobStarted,
    status_code=202,
    tags=["evidence", "jobs"],
    responses={
        404: {"description": "an item is not readable by this role"},
        409: {"description": "a job of yours is still queued or running"},
    },
)
def api_bundle(request: Request, session: DbSession, user: Analyst, body: BundleIn) -> JobStarted:
    """A BagIt bundle of evidence items (analysts and above), made by a ``bundle`` job: follow
    it at ``/api/jobs/{id}``; its ``downloads`` name the zip."""
    return _start_api(request, session, user, BundleJob(kind="bundle", items=body.items))


@router.get("/api/jobs", response_model=list[JobOut], tags=["jobs"])
def api_jobs(session: DbSession, user: CurrentUser) -> list[JobOut]:
    """The newest jobs the caller started (an admin: everyone's)."""
    owner = None if role_at_least(user.role, "admin") else user.name
    return [_out(job) for job in list_jobs(session, owner)]


@router.get(
    "/api/jobs/{job_id}",
    response_model=JobOut,
    tags=["jobs"],
    responses={404: {"description": "No such job, or not yours"}},
)
def api_job(session: DbSession, user: CurrentUser, job_id: JobId) -> JobOut:
    """A job's state, progress and, when done, its result (an estimate: FORMATS.md §4's JSON)
    and the files it wrote (``downloads``)."""
    return _out(job_for(session, user, job_id))


@router.get(
    "/api/jobs/{job_id}/files/{name}",
    tags=["jobs"],
    response_class=FileResponse,
    responses={404: {"description": "No such job or file, or not yours"}},
)
def api_job_file(
    session: DbSession,
    user: CurrentUser,
    job_id: JobId,
    name: Annotated[str, Path(max_length=40)],
) -> FileResponse:
    """A file a done job wrote (a report's page or PDF, a bundle), for who started it or an
    admin; each download is written to the audit log."""
    job = job_for(session, user, job_id)
    files = (job.result or {}).get("files") or [] if job.state == "done" else []
    path = job_folder(job.id) / name
    if name not in files or not path.is_file():
        raise HTTPException(404, "No such file")
    detail = {"kind": job.kind, "file": name}
    actor = f"web:{user.name}"
    log_change(
        session, action="download", entity="job", entity_id=job.id, actor=actor, detail=detail
    )
    session.commit()
    return FileResponse(path, filename=name)


# --------------------------------------------------------------------------- the pages
async def _posted(request: Request) -> dict[str, Any]:
    form = await request.form()
    return {
        "kind": form.get("kind"),
        "items": [str(i) for i in form.getlist("items")],
        **{k: v for k, v in form.items() if k in ("lang", "method", "stratum", "seed")},
        **{k: k in form for k in ("public", "estimate", "pdf")},
    }


Posted = Annotated[dict[str, Any], Depends(_posted)]
_FIELDS = {
    "estimate": ("method", "stratum", "seed"),
    "report": ("lang", "public", "estimate", "pdf"),
    "bundle": ("items",),
}


def jobs_context(session: Session, user: Principal) -> dict[str, Any]:
    owner = None if role_at_least(user.role, "admin") else user.name
    items = session.execute(
        visible(select(EvidenceItem.id, EvidenceItem.original_name), user, EvidenceItem)
        .order_by(EvidenceItem.created_at.desc())
        .limit(200)
    ).all()
    return {
        "jobs": [_out(job) for job in list_jobs(session, owner)],
        "items": items,
        "can_link": role_at_least(user.role, MIN_ROLE["link"]),
    }


@router.get("/jobs", response_class=HTMLResponse, include_in_schema=False)
def jobs_page(request: Request, session: DbSession, user: Analyst) -> HTMLResponse:
    return render(request, "jobs/index.html", jobs_context(session, user))


@router.post("/jobs", include_in_schema=False)
def jobs_start(request: Request, session: DbSession, user: Analyst, form: Posted) -> Response:
    kind = form.get("kind")
    fields = {k: form[k] for k in _FIELDS.get(str(kind), ()) if form.get(k) not in (None, "")}
    if kind == "estimate" and "seed" in fields:
        fields["seed"] = int(fields["seed"]) if str(fields["seed"]).isdecimal() else -1
    try:
        body = _JOB_IN.validate_python({"kind": kind, **fields})
        job_id = start(request, session, user, body)
    except ValidationError as exc:
        error = exc.errors()[0]
        context = {**jobs_context(session, user), "bad": str(error["loc"][-1])}
        return render(request, "jobs/index.html", context, 422)
    except Busy as exc:
        if exc.job.owner == user.name or role_at_least(user.role, "admin"):
            return RedirectResponse(f"/jobs/{exc.job.id}?busy=1", status_code=303)
        context = {**jobs_context(session, user), "busy": exc.job.kind}  # another's link
        return render(request, "jobs/index.html", context, 409)
    return RedirectResponse(f"/jobs/{job_id}", status_code=303)


@router.get("/jobs/{job_id}", response_class=HTMLResponse, include_in_schema=False)
def job_page(
    request: Request, session: DbSession, user: Analyst, job_id: JobId, busy: str = ""
) -> HTMLResponse:
    job = _out(job_for(session, user, job_id))
    return render(request, "jobs/job.html", {"job": job, "busy": bool(busy)})
