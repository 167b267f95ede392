"""Jobs through the API (FORMATS.md §5): start long work, read its progress and result.

Only ``estimate`` is a kind so far (the estimate page starts it); analysts and above start
jobs, and a job is read by who started it or an admin (anyone else: 404).
"""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Request
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from sijill.errors import NotFound
from sijill.estimate.from_case import STRATA
from sijill.estimate.linkage import estimate_job
from sijill.jobs.models import Job
from sijill.jobs.service import job_view, read_job, running_job, start_job
from sijill.security.roles import role_at_least
from sijill.security.users import Principal
from sijill.web.deps import CurrentUser, DbSession, require_role

router = APIRouter()
Analyst = Annotated[Principal, Depends(require_role("analyst"))]
JobId = Annotated[str, Path(min_length=36, max_length=36, description="job id (UUID)")]


class JobIn(BaseModel):
    """An estimate of the undocumented toll from the case (``estimate --from-case``)."""

    kind: Literal["estimate"]
    method: Literal["lcmcr", "loglinear", "dga"] = "lcmcr"
    stratum: Literal[STRATA] | None = None  # type: ignore[valid-type]
    seed: int | None = Field(None, ge=0, le=2**31 - 1)


class JobStarted(BaseModel):
    id: str


class JobOut(BaseModel):
    id: str
    kind: str
    state: Literal["queued", "running", "done", "failed"]
    progress: float
    message: str | None = None
    result: dict[str, Any] | None = None
    params: dict[str, Any]
    created_at: datetime


def start_estimate(request: Request, session: Session, user: Principal, body: JobIn) -> str:
    """Start an estimate job for ``user``; returns its id. One job at a time per user: while
    one is queued or running, another is refused (409) naming it."""
    running = running_job(session, user.name)
    if running is not None:
        raise HTTPException(409, f"your job {running.id} is still {running.state}")
    sessions = request.app.state.sessions
    params = body.model_dump(exclude={"kind"})
    return start_job(
        sessions, "estimate", params, user.name, functools.partial(estimate_job, sessions)
    )


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
    responses={409: {"description": "a job of yours is still queued or running"}},
)
def api_start_job(request: Request, session: DbSession, user: Analyst, body: JobIn) -> JobStarted:
    """Start long work (analysts and above; one job at a time each); answers at once with
    the job's id."""
    return JobStarted(id=start_estimate(request, session, user, body))


@router.get(
    "/api/jobs/{job_id}",
    response_model=JobOut,
    tags=["jobs"],
    responses={404: {"description": "No such job, or not yours"}},
)
def api_job(session: DbSession, user: CurrentUser, job_id: JobId) -> JobOut:
    """A job's state, progress and, when done, its result (an estimate: FORMATS.md §4's JSON)."""
    return JobOut(**job_view(job_for(session, user, job_id)))
