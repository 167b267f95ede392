"""Signing in and out (pages), OAuth2 password tokens for scripts, language choice."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from sijill.security.proxies import client_address
from sijill.security.users import authenticate, issue_token, revoke_token
from sijill.web.cookies import (
    DIGITS_COOKIE,
    LANG_COOKIE,
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    clear,
    read_signed,
    set_plain,
    set_signed,
)
from sijill.web.deps import CurrentUser, DbSession
from sijill.web.i18n import LANGUAGES
from sijill.web.templating import render

router = APIRouter()
BUSY_RETRY_SECONDS = 5


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"


class Me(BaseModel):
    user: str
    role: str


def _client(request: Request) -> str:
    """The client's address (``X-Forwarded-For`` only from a trusted proxy)."""
    peer = request.client.host if request.client else "unknown"
    return client_address(peer, request.headers.get("x-forwarded-for"))


def _safe_next(target: str | None) -> str:
    """Only same-site paths: never an absolute URL or a protocol-relative one."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/"


def _login_page(request: Request, *, error: str | None = None, status: int = 200) -> Response:
    token = secrets.token_urlsafe(24)
    response = render(
        request,
        "login.html",
        {"login_csrf": token, "error": error, "next": _safe_next(request.query_params.get("next"))},
        status_code=status,
    )
    set_signed(request, response, LOGIN_CSRF_COOKIE, token, max_age=3600)
    return response


@router.get("/login", response_class=HTMLResponse, include_in_schema=False)
def login_page(request: Request) -> Response:
    return _login_page(request)


@router.post("/login", include_in_schema=False)
def login(
    request: Request,
    session: DbSession,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    expected = read_signed(request, LOGIN_CSRF_COOKIE)
    if not expected or not secrets.compare_digest(expected, csrf_token):
        return _login_page(request, error="core.login_expired", status=403)
    issued = _sign_in(request, session, username, password, "session")
    if isinstance(issued, int):
        error = {401: "core.login_failed", 429: "core.login_throttled", 503: "core.login_busy"}
        return _login_page(request, error=error[issued], status=issued)
    response = RedirectResponse(_safe_next(next), status_code=303)
    set_signed(request, response, SESSION_COOKIE, issued)
    clear(response, LOGIN_CSRF_COOKIE)
    return response


@router.post("/logout", include_in_schema=False)
def logout(request: Request, session: DbSession, user: CurrentUser) -> Response:
    secret = read_signed(request, SESSION_COOKIE)
    if secret:
        revoke_token(session, secret, actor=f"web:{user.name}")
    response = RedirectResponse("/login", status_code=303)
    clear(response, SESSION_COOKIE)
    return response


@router.get("/lang/{code}", include_in_schema=False)
def choose_language(request: Request, code: str, next: str = "/") -> Response:
    response = RedirectResponse(_safe_next(next), status_code=303)
    if code in LANGUAGES:
        set_plain(request, response, LANG_COOKIE, code)
    return response


@router.get("/digits/{kind}", include_in_schema=False)
def choose_digits(request: Request, kind: str, next: str = "/") -> Response:
    response = RedirectResponse(_safe_next(next), status_code=303)
    if kind in ("latin", "arabic"):
        set_plain(request, response, DIGITS_COOKIE, kind)
    return response


@router.get("/healthz", include_in_schema=False)
def healthz() -> dict[str, bool]:
    """Liveness probe; reveals nothing about the case."""
    return {"ok": True}


@router.post(
    "/api/token",
    response_model=TokenOut,
    tags=["auth"],
    responses={
        401: {"description": "Wrong user name or password"},
        429: {"description": "Too many failed attempts"},
        503: {"description": "The case is busy writing (SQLite); try again"},
    },
)
async def api_token(
    request: Request,
    session: DbSession,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
) -> Response | TokenOut:
    """OAuth2 password flow: exchange a user name and password for a bearer token."""
    from fastapi.responses import JSONResponse

    issued = await run_in_threadpool(
        _sign_in, request, session, form.username, form.password, "api"
    )
    if issued == 429:
        return JSONResponse({"detail": "Too many failed attempts; wait"}, status_code=429)
    if issued == 503:
        return JSONResponse(
            {"detail": "The case is busy writing (an import); try again"},
            status_code=503,
            headers={"Retry-After": str(BUSY_RETRY_SECONDS)},
        )
    if issued == 401:
        return JSONResponse(
            {"detail": "Wrong user name or password"},
            status_code=401,
            headers={"WWW-Authenticate": "Bearer"},
        )
    assert isinstance(issued, str)
    return TokenOut(access_token=issued)


def _sign_in(request: Request, session: Session, name: str, password: str, kind: str) -> str | int:
    """A new token's secret (committed before it is returned), or the status to answer: 401
    (wrong name or password), 429 (too many failures), 503 (SQLite stayed locked by a writer
    for longer than its busy timeout)."""
    limiter, client = request.app.state.limiter, _client(request)
    try:
        if limiter.blocked(session, name, client):
            return 429
        user = authenticate(session, name, password)
        if user is None:
            limiter.failed(session, name, client)
            session.commit()
            return 401
        limiter.succeeded(session, name, client)
        issued = issue_token(session, user, kind)
        session.commit()  # the token exists before the client is told of it
    except OperationalError as exc:
        if "locked" not in str(exc) and "busy" not in str(exc):
            raise
        session.rollback()
        return 503
    return issued.secret


@router.get("/api/me", response_model=Me, tags=["auth"])
def me(user: CurrentUser) -> Me:
    """Who the token or session belongs to."""
    return Me(user=user.name, role=user.role)
