"""The estimate page: the undocumented toll from the case (``estimate --from-case``) with the
method and strata chosen, run as a job; the page polls it and shows the total, its interval,
the warnings and the figure, in the reader's language."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from sijill.estimate.api import METHODS
from sijill.estimate.from_case import STRATA
from sijill.jobs.service import job_view
from sijill.security.users import Principal
from sijill.web.deps import DbSession, require_role
from sijill.web.routes.jobs import Busy, EstimateJob, job_for, start
from sijill.web.templating import NavItem, render

router = APIRouter()
nav = [NavItem("/estimate", "estimate.nav", min_role="analyst", order=55)]
Analyst = Annotated[Principal, Depends(require_role("analyst"))]


@router.get("/estimate", response_class=HTMLResponse, include_in_schema=False)
def estimate_page(
    request: Request,
    session: DbSession,
    user: Analyst,
    job: Annotated[str | None, Query(min_length=36, max_length=36)] = None,
) -> HTMLResponse:
    shown: dict[str, Any] | None = job_view(job_for(session, user, job)) if job else None
    return render(
        request,
        "estimate/index.html",
        {"job": shown, "methods": METHODS, "strata": STRATA},
    )


@router.post("/estimate", response_class=HTMLResponse, include_in_schema=False)
def estimate_start(
    request: Request,
    session: DbSession,
    user: Analyst,
    method: Annotated[str, Form(max_length=20)] = "lcmcr",
    stratum: Annotated[str, Form(max_length=40)] = "",
    seed: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    try:
        body = EstimateJob(
            kind="estimate",
            method=method,  # type: ignore[arg-type]
            stratum=stratum or None,
            seed=int(seed) if seed.strip().isdecimal() else None,
        )
    except ValidationError:
        context = {"job": None, "methods": METHODS, "strata": STRATA, "bad": True}
        return render(request, "estimate/index.html", context, 422)
    try:
        job_id = start(request, session, user, body)
    except Busy as exc:  # one at a time: the page follows the one running
        page = "/estimate?job=" if exc.job.kind == "estimate" else "/jobs/"
        return RedirectResponse(f"{page}{exc.job.id}", status_code=303)
    return RedirectResponse(f"/estimate?job={job_id}", status_code=303)
