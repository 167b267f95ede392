"""The case's settings (admins): ``GET``/``PATCH /api/settings`` and the ``/admin/settings`` page.

Only settings the code reads are shown: the case's name (every page's header and title) and
default language (:mod:`sijill.web.case`), the linkage's review floor (pairs below the link
threshold but at or above it go to the review queue: :func:`sijill.linkage.service.review_floor`)
and, read-only, whether the case is the synthetic demo. Each change is in the audit log with
its value before and after.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlalchemy.orm import Session

from sijill.linkage.service import (
    LINK_THRESHOLD,
    REVIEW_FLOOR,
    REVIEW_FLOOR_BOUNDS,
    REVIEW_FLOOR_SETTING,
    review_floor,
)
from sijill.security.users import Principal, change_setting
from sijill.store.settings import is_demo
from sijill.web.case import CASE_NAME, DEFAULT_LANGUAGE, forget_look, read_look
from sijill.web.deps import DbSession, PostedForm, require_role
from sijill.web.templating import NavItem, render

router = APIRouter()
nav = [NavItem("/admin/settings", "settings.nav", min_role="admin", order=92)]
Admin = Annotated[Principal, Depends(require_role("admin"))]


class SettingsOut(BaseModel):
    case_name: str
    default_language: Literal["en", "ar"]
    review_floor: float = Field(
        description="pairs at or above it (and below the link threshold) go to review"
    )
    link_threshold: float = Field(description="fixed: where a pair's evidence breaks even")
    demo: bool = Field(description="read-only: the case is the synthetic demo")


class SettingsChange(BaseModel):
    """The settings to change; those left out keep their value."""

    model_config = ConfigDict(extra="forbid")
    case_name: str | None = Field(None, max_length=200)
    default_language: Literal["en", "ar"] | None = None
    review_floor: float | None = Field(None, ge=REVIEW_FLOOR_BOUNDS[0], lt=REVIEW_FLOOR_BOUNDS[1])

    @field_validator("case_name")
    @classmethod
    def _trimmed(cls, value: str | None) -> str | None:
        return value.strip() if value is not None else None


def current(session: Session, request: Request) -> SettingsOut:
    look = read_look(request.app)
    return SettingsOut(
        case_name=look.name,
        default_language=look.default_language,  # type: ignore[arg-type]
        review_floor=review_floor(session),
        link_threshold=LINK_THRESHOLD,
        demo=is_demo(session),
    )


def apply(
    session: Session, request: Request, admin: Principal, change: SettingsChange
) -> list[str]:
    """Store the changed settings (each logged); returns the names of those that changed."""
    stored = {
        "case_name": (CASE_NAME, change.case_name),
        "default_language": (DEFAULT_LANGUAGE, change.default_language),
        "review_floor": (
            REVIEW_FLOOR_SETTING,
            None if change.review_floor is None else f"{change.review_floor:g}",
        ),
    }
    changed = [
        name
        for name, (key, value) in stored.items()
        if value is not None and change_setting(session, key, value, actor=f"web:{admin.name}")
    ]
    session.commit()
    forget_look(request.app)
    return changed


@router.get("/api/settings", response_model=SettingsOut, tags=["settings"])
def api_settings(request: Request, session: DbSession, _admin: Admin) -> SettingsOut:
    """The case's settings (admins)."""
    return current(session, request)


@router.patch("/api/settings", response_model=SettingsOut, tags=["settings"])
def api_change_settings(
    request: Request, session: DbSession, admin: Admin, body: SettingsChange
) -> SettingsOut:
    """Change some of the case's settings (admins); each change is in the audit log."""
    apply(session, request, admin, body)
    return current(session, request)


# --------------------------------------------------------------------------- the page
def _page(
    request: Request, session: Session, context: dict[str, Any], status: int = 200
) -> HTMLResponse:
    base = {
        "settings": current(session, request),
        "bounds": REVIEW_FLOOR_BOUNDS,
        "review_default": REVIEW_FLOOR,
    }
    return render(request, "settings/index.html", {**base, **context}, status)


@router.get("/admin/settings", response_class=HTMLResponse, include_in_schema=False)
def settings_page(
    request: Request, session: DbSession, _admin: Admin, done: str = ""
) -> HTMLResponse:
    return _page(request, session, {"done": done == "1"})


@router.post("/admin/settings", include_in_schema=False)
def settings_form(request: Request, session: DbSession, admin: Admin, form: PostedForm) -> Response:
    try:
        change = SettingsChange(
            case_name=form.get("case_name"),
            default_language=form.get("default_language") or None,  # type: ignore[arg-type]
            review_floor=form.get("review_floor") or None,  # type: ignore[arg-type]
        )
    except ValidationError as exc:
        error = exc.errors()[0]
        context = {"error": (str(error["loc"][-1]), error["msg"]), "form": form}
        return _page(request, session, context, 422)
    apply(session, request, admin, change)
    return RedirectResponse("/admin/settings?done=1", status_code=303)
