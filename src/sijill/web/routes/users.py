"""Accounts and tokens through the API (FORMATS.md §5): list, create and change users
(admin), revoke a token or every token of a user (its owner, or an admin); and the users page
(admin), whose forms do the same through the same library calls."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from sijill.security.models import User
from sijill.security.roles import role_at_least
from sijill.security.users import (
    Principal,
    UserError,
    change_user,
    create_user,
    find_user,
    revoke_token,
    revoke_user_tokens,
)
from sijill.web.deps import CurrentUser, DbSession, request_credentials, require_role
from sijill.web.templating import NavItem, locale_of, render

router = APIRouter()
nav = [NavItem("/admin/users", "core.nav.users", min_role="admin", order=90)]
Admin = Annotated[Principal, Depends(require_role("admin"))]
Role = Literal["viewer", "analyst", "investigator", "admin"]
UserName = Annotated[str, Field(min_length=1, max_length=100)]
Password = Annotated[str, Field(min_length=1, max_length=1000)]


class UserOut(BaseModel):
    user: str
    role: str
    active: bool
    last_login: datetime | None = None


class UserIn(BaseModel):
    name: UserName
    role: Role
    password: Password


class UserChange(BaseModel):
    role: Role | None = None
    password: Password | None = None
    active: bool | None = None


class RevokeIn(BaseModel):
    """One token (its secret), or every token of ``user``; neither: the token of this request
    (signing it out)."""

    token: str | None = Field(None, max_length=200)
    user: UserName | None = None


class Revoked(BaseModel):
    revoked: int


def _out(user: User) -> UserOut:
    return UserOut(user=user.name, role=user.role, active=user.active, last_login=user.last_login)


def _actor(user: Principal) -> str:
    return f"web:{user.name}"


@router.get("/api/users", response_model=list[UserOut], tags=["users"])
def list_users(session: DbSession, _admin: Admin) -> list[UserOut]:
    """Every account with its role (admin)."""
    return [_out(u) for u in session.scalars(select(User).order_by(User.name))]


@router.post(
    "/api/users",
    response_model=UserOut,
    status_code=201,
    tags=["users"],
    responses={409: {"description": "The name is taken (in any case)"}},
)
def add_user(session: DbSession, admin: Admin, body: UserIn) -> UserOut:
    """Create an account (admin); the password is checked for strength."""
    if find_user(session, body.name) is not None:
        raise HTTPException(409, f"user {body.name!r} already exists")
    try:
        user = create_user(session, body.name, body.role, body.password, actor=_actor(admin))
    except UserError as exc:
        raise HTTPException(422, str(exc)) from None
    return _out(user)


@router.patch(
    "/api/users/{name}",
    response_model=UserOut,
    tags=["users"],
    responses={404: {"description": "No such user"}},
)
def patch_user(session: DbSession, admin: Admin, name: str, body: UserChange) -> UserOut:
    """Change a role, reset a password, disable or enable an account (admin). A new role or
    password, or disabling, revokes every token of the user."""
    user = find_user(session, name)
    if user is None:
        raise HTTPException(404, "No such user")
    try:
        change_user(
            session,
            user,
            role=body.role,
            password=body.password,
            active=body.active,
            actor=_actor(admin),
        )
    except UserError as exc:
        raise HTTPException(422, str(exc)) from None
    return _out(user)


@router.post(
    "/api/tokens/revoke",
    response_model=Revoked,
    tags=["auth"],
    responses={404: {"description": "No such token or user (or not yours)"}},
)
def revoke(request: Request, session: DbSession, user: CurrentUser, body: RevokeIn) -> Revoked:
    """Revoke a token: the one named (yours, or any for an admin), every token of a user
    (yourself, or anyone for an admin), or, with neither, the token of this request."""
    admin = role_at_least(user.role, "admin")
    if body.user is not None:
        target = find_user(session, body.user)
        if target is None or not (admin or target.id == user.id):
            raise HTTPException(404, "No such user")
        revoked = revoke_user_tokens(session, target, actor=_actor(user))
    else:
        own = request_credentials(request)
        secret = body.token or (own[0] if own else None)
        owner = None if admin else user.id
        if not secret or not revoke_token(session, secret, owner=owner, actor=_actor(user)):
            raise HTTPException(404, "No such token")
        revoked = 1
    session.commit()  # revoked before the answer says so
    return Revoked(revoked=revoked)


# --------------------------------------------------------------------------- the page
#: What a form on the users page does, and the message it leaves.
DONE = {"created", "role", "password", "disable", "enable", "revoke"}


def _users_page(
    request: Request, session: Session, context: dict[str, object], status: int = 200
) -> HTMLResponse:
    users = [_out(u) for u in session.scalars(select(User).order_by(User.name))]
    return render(request, "core/users.html", {"users": users, **context}, status)


@router.get("/admin/users", response_class=HTMLResponse, include_in_schema=False)
def users_page(
    request: Request, session: DbSession, _admin: Admin, done: str = "", who: str = ""
) -> HTMLResponse:
    done_key = done if done in DONE else ""
    return _users_page(request, session, {"done": done_key, "who": who[:100]})


def _refused(
    request: Request, session: Session, message: str, form: dict[str, str]
) -> HTMLResponse:
    session.rollback()
    return _users_page(request, session, {"error": message, "form": form}, 422)


@router.post("/admin/users", response_class=HTMLResponse, include_in_schema=False)
def users_create(
    request: Request,
    session: DbSession,
    admin: Admin,
    name: Annotated[str, Form(min_length=1, max_length=100)],
    role: Annotated[Role, Form()],
    password: Annotated[str, Form(min_length=1, max_length=1000)],
) -> Response:
    form = {"name": name, "role": role}
    if find_user(session, name) is not None:
        return _refused(request, session, locale_of(request).t("core.user_taken", who=name), form)
    try:
        create_user(session, name, role, password, actor=_actor(admin))
    except UserError as exc:
        return _refused(request, session, str(exc), form)
    return RedirectResponse(f"/admin/users?done=created&who={quote(name)}", status_code=303)


@router.post("/admin/users/{name}", response_class=HTMLResponse, include_in_schema=False)
def users_change(
    request: Request,
    session: DbSession,
    admin: Admin,
    name: str,
    do: Annotated[Literal["role", "password", "disable", "enable", "revoke"], Form()],
    role: Annotated[Role | None, Form()] = None,
    password: Annotated[str | None, Form(max_length=1000)] = None,
) -> Response:
    """One change to one account: its role, a new password, disable or enable it, or revoke
    every token it holds (each revokes its tokens as the API's change does)."""
    user = find_user(session, name)
    if user is None:
        raise HTTPException(404, "No such user")
    try:
        if do == "revoke":
            revoke_user_tokens(session, user, actor=_actor(admin))
        else:
            change_user(
                session,
                user,
                role=role if do == "role" else None,
                password=(password or "") if do == "password" else None,
                active={"disable": False, "enable": True}.get(do),
                actor=_actor(admin),
            )
    except UserError as exc:
        return _refused(request, session, str(exc), {})
    return RedirectResponse(f"/admin/users?done={do}&who={quote(user.name)}", status_code=303)
