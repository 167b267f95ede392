"""Dependencies every route uses: the database session, the signed-in user, roles, access.

API routes and pages use the same ones. Without a valid session cookie or bearer token,
:func:`current_user` raises :class:`NotAuthenticated`; the app answers 401 under ``/api/`` and
redirects pages to ``/login``. Cookie-authenticated requests that change things (POST, PUT,
PATCH, DELETE) must carry the session's CSRF token (form field ``csrf_token`` or header
``X-CSRF-Token``); bearer-token requests need none.
"""

from __future__ import annotations

import functools
import hmac
from collections.abc import AsyncIterator, Callable
from typing import Annotated, Any, TypeVar

import anyio
import anyio.to_thread
from fastapi import Depends, HTTPException, Path, Query, Request, UploadFile
from sqlalchemy import Select
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from sijill.security.readable import readable_by
from sijill.security.roles import role_at_least
from sijill.security.users import Principal, resolve_token
from sijill.web.cookies import SESSION_COOKIE, read_signed

#: Any SELECT statement (SQLAlchemy 2.1 types them by their column types).
AnySelect = TypeVar("AnySelect", bound=Select[*tuple[Any, ...]])

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_ID = 2_147_483_647  # the largest integer key both engines store

#: Path parameter for a row id (bounded so no engine overflows).
IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
#: Paging parameters.
Limit = Annotated[int, Query(ge=1, le=500, description="items per page")]
#: The longest file name an upload may carry, in UTF-8 bytes: most file systems' limit.
MAX_UPLOAD_NAME = 255
Offset = Annotated[int, Query(ge=0, le=MAX_ID, description="items to skip")]


class NotAuthenticated(Exception):
    """No valid session or token: 401 for the API, a redirect to the login page for pages."""


class Forbidden(Exception):
    """Signed in, but the role does not allow this: 403."""


class CsrfFailed(Exception):
    """A state-changing form or request without the right CSRF token: 403."""


def _end(session: Session, *, commit: bool) -> None:
    try:
        if commit:
            session.commit()
        else:
            session.rollback()
    finally:
        session.close()


async def get_session(request: Request) -> AsyncIterator[Session]:
    """A database session for this request; committed when the route succeeds.

    Opening a session does no I/O (it connects at its first query), so only the end, which
    commits or rolls back, runs in a worker thread, and only if the session was used.
    """
    session: Session = request.app.state.sessions()
    try:
        yield session
    except BaseException:
        await _end_in_thread(session, commit=False)
        raise
    await _end_in_thread(session, commit=True)


async def _end_in_thread(session: Session, *, commit: bool) -> None:
    if not session.in_transaction() and not (session.new or session.dirty or session.deleted):
        session.close()  # never connected: nothing to commit, no I/O
        return
    # A limiter of its own (as FastAPI does for the exit of sync dependencies): ending a
    # session returns its connection to the pool, so it must never wait for a thread-pool
    # slot held by a route that is itself waiting for a pooled connection (a deadlock).
    await anyio.to_thread.run_sync(
        functools.partial(_end, session, commit=commit), limiter=anyio.CapacityLimiter(1)
    )


DbSession = Annotated[Session, Depends(get_session)]


def request_credentials(request: Request) -> tuple[str, str] | None:
    """The secret this request carries and its kind (``api`` or ``session``), if any."""
    header = request.headers.get("authorization", "")
    if header[:7].lower() == "bearer ":
        return header[7:].strip(), "api"
    secret = read_signed(request, SESSION_COOKIE)
    return (secret, "session") if secret else None


def _lookup(
    sessions: sessionmaker[Session], secret: str, kind: str
) -> tuple[Principal, str | None] | None:
    """Who ``secret`` signs in and its session's CSRF token, looked up in the database."""
    with sessions() as session:  # a session of its own: the connection goes back at once
        found = resolve_token(session, secret, kind)
        if found is None:
            return None
        user, token = found
        return Principal.of(user), (token.csrf or "") if kind == "session" else None


async def _check_csrf(request: Request, expected: str) -> None:
    supplied = request.headers.get("x-csrf-token")
    if not supplied:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get("csrf_token")
            supplied = value if isinstance(value, str) else None
    if not supplied or not hmac.compare_digest(supplied, expected):
        raise CsrfFailed()


async def current_user(request: Request) -> Principal:
    """The signed-in user (session cookie or bearer token), else :class:`NotAuthenticated`.

    The token is looked up in the database on every request, so a token revoked or a user
    disabled (by any worker, or the command line) is refused from the next request on.
    """
    credentials = request_credentials(request)
    if credentials is None:
        raise NotAuthenticated()
    found = await run_in_threadpool(_lookup, request.app.state.sessions, *credentials)
    if found is None:
        raise NotAuthenticated()
    user, csrf = found
    if csrf is not None and request.method not in SAFE_METHODS:
        await _check_csrf(request, csrf)
    request.state.user = user
    request.state.csrf = csrf
    return user


CurrentUser = Annotated[Principal, Depends(current_user)]


async def posted_form(request: Request) -> dict[str, str]:
    """The text fields of a posted form, but its CSRF token (checked with the user), for a
    form of many fields whose values a refused page shows again as typed."""
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}


PostedForm = Annotated[dict[str, str], Depends(posted_form)]


def require_role(minimum: str) -> Callable[..., Any]:
    """A dependency: the current user, if their role is ``minimum`` or above; else 403."""

    def dependency(user: CurrentUser) -> Principal:
        if not role_at_least(user.role, minimum):
            raise Forbidden()
        return user

    dependency.__name__ = f"require_{minimum}"
    return dependency


def visible(statement: AnySelect, user: Principal, *models: Any) -> AnySelect:
    """Restrict a query to rows whose ``access`` the user's role may read (every model given)."""
    for model in models:
        statement = statement.where(readable_by(user.role, model))
    return statement


def upload_name(upload: UploadFile) -> str | None:
    """The file name an upload carries, as sent; a name longer than ``MAX_UPLOAD_NAME`` bytes
    is refused with 400 (no file system could store it, and a shortened one would no longer be
    the name the file came under)."""
    name = upload.filename
    if name is not None and len(name.encode("utf-8")) > MAX_UPLOAD_NAME:
        raise HTTPException(
            400,
            f"the file name is too long ({len(name)} characters; at most {MAX_UPLOAD_NAME} "
            "bytes in UTF-8): rename the file and upload it again",
        )
    return name
