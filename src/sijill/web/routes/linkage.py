"""Linkage: the review queue (both records side by side) and the counts, as API and pages."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field

from sijill.errors import NotFound, SijillError
from sijill.linkage import counts as counts_lib
from sijill.linkage import review as review_lib
from sijill.security.roles import can_edit, readable_levels
from sijill.security.users import Principal
from sijill.web.deps import CurrentUser, DbSession, IdPath, Limit, Offset, require_role
from sijill.web.templating import NavItem, render

router = APIRouter()
nav = [
    NavItem("/linkage/review", "linkage.nav.review", min_role="analyst", order=45),
    NavItem("/linkage/counts", "linkage.nav.counts", order=46),
]

Decision = Literal["same", "different", "unsure"]
By = Literal["place", "date", "sex", "age-group", "source"]


class FieldOut(BaseModel):
    field: str
    left: str
    right: str
    verdict: Literal["agree", "differ", "unknown", "info"]


class PairOut(BaseModel):
    pair_id: int
    probability: float
    reason: str
    status: str
    fields: list[FieldOut]


class ReviewQueue(BaseModel):
    open: int
    limit: int
    offset: int
    items: list[PairOut]


class DecisionIn(BaseModel):
    decision: Decision
    why: str | None = Field(default=None, max_length=2000)


class DecisionOut(BaseModel):
    pair_id: int
    decision: Decision
    decision_id: int
    actor: str


class CountGroup(BaseModel):
    key: str
    verified: int
    reported: int


class CountOut(BaseModel):
    policy: str
    by: str
    total: int
    reported_total: int
    groups: list[CountGroup]


def _visible_pair(session: DbSession, user: Principal, pair_id: int) -> review_lib.PairView:
    try:
        view = review_lib.pair_view(session, pair_id)
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    if not review_lib.pair_readable(session, pair_id, readable_levels(user.role)):
        raise HTTPException(404, f"no review pair {pair_id}")
    return view


def _queue(session: DbSession, user: Principal, limit: int, offset: int) -> ReviewQueue:
    levels = readable_levels(user.role)
    pairs = review_lib.open_pairs(session, limit=limit, offset=offset, access=levels)
    return ReviewQueue(
        open=review_lib.count_open(session, levels),
        limit=limit,
        offset=offset,
        items=[PairOut(**review_lib.pair_view(session, p.id).as_dict()) for p in pairs],
    )


@router.get("/api/linkage/review", response_model=ReviewQueue, tags=["linkage"])
def review_queue(
    session: DbSession,
    user: Annotated[Principal, Depends(require_role("analyst"))],
    limit: Limit = 20,
    offset: Offset = 0,
) -> ReviewQueue:
    """Open questions, most uncertain first, each with both records side by side."""
    return _queue(session, user, limit, offset)


@router.get("/api/linkage/review/{pair_id}", response_model=PairOut, tags=["linkage"])
def review_pair(
    pair_id: IdPath,
    session: DbSession,
    user: Annotated[Principal, Depends(require_role("analyst"))],
) -> PairOut:
    return PairOut(**_visible_pair(session, user, pair_id).as_dict())


@router.post("/api/linkage/review/{pair_id}", response_model=DecisionOut, tags=["linkage"])
def decide_pair(
    pair_id: IdPath,
    body: DecisionIn,
    session: DbSession,
    user: Annotated[Principal, Depends(require_role("investigator"))],
) -> DecisionOut:
    """Answer a question: same, different or unsure, with why; stored with who and when."""
    _visible_pair(session, user, pair_id)
    try:
        entry = review_lib.decide(
            session, pair_id, body.decision, why=body.why, actor=f"web:{user.name}"
        )
    except SijillError as exc:
        raise HTTPException(422, str(exc)) from exc
    return DecisionOut(
        pair_id=pair_id, decision=body.decision, decision_id=entry.id, actor=entry.actor
    )


def _count(session: DbSession, user: Principal, by: str, policy: str) -> dict[str, object]:
    policies = counts_lib.load_policies()
    if policy not in policies:
        raise HTTPException(422, f"no policy {policy!r}")
    return counts_lib.count(session, by, policies[policy], access=readable_levels(user.role))


@router.get("/api/linkage/counts", response_model=CountOut, tags=["linkage"])
def counts(
    session: DbSession,
    user: CurrentUser,
    by: By = "place",
    policy: Annotated[str, Query(max_length=100)] = "any-source",
) -> CountOut:
    """Documented deaths by place, date, sex, age group or source: verified beside reported."""
    return CountOut.model_validate(_count(session, user, by, policy))


@router.get("/linkage/review", response_class=HTMLResponse, include_in_schema=False)
def review_page(
    request: Request,
    session: DbSession,
    user: Annotated[Principal, Depends(require_role("analyst"))],
    offset: Offset = 0,
) -> HTMLResponse:
    queue = _queue(session, user, 1, offset)
    return render(
        request,
        "linkage/review.html",
        {
            "queue": queue,
            "pair": queue.items[0] if queue.items else None,
            "can_decide": can_edit(user.role),
            "offset": offset,
        },
    )


@router.post("/linkage/review/{pair_id}", include_in_schema=False)
def review_form(
    pair_id: IdPath,
    session: DbSession,
    user: Annotated[Principal, Depends(require_role("investigator"))],
    decision: Annotated[Decision, Form()],
    why: Annotated[str, Form(max_length=2000)] = "",
) -> RedirectResponse:
    _visible_pair(session, user, pair_id)
    review_lib.decide(session, pair_id, decision, why=why or None, actor=f"web:{user.name}")
    return RedirectResponse("/linkage/review", status_code=303)


@router.get("/linkage/counts", response_class=HTMLResponse, include_in_schema=False)
def counts_page(
    request: Request,
    session: DbSession,
    user: CurrentUser,
    by: By = "place",
    policy: Annotated[str, Query(max_length=100)] = "any-source",
) -> HTMLResponse:
    doc = _count(session, user, by, policy)
    return render(
        request,
        "linkage/counts.html",
        {
            "doc": doc,
            "by": by,
            "policy": policy,
            "groupings": counts_lib.GROUPINGS,
            "policies": sorted(counts_lib.load_policies()),
        },
    )
