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
import time
from collections.abc import AsyncIterator, Callable
from typing import Annotated, Any, Concatenate, ParamSpec, TypeVar, cast

import anyio
import anyio.to_thread
from fastapi import Depends, Path, Query, Request
from sqlalchemy import ColumnElement, Connection, Select, literal, true
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from sijill.security import token_cache
from sijill.security.roles import readable_levels, reads_every_level, role_at_least
from sijill.security.users import Principal, resolve_token, token_hash
from sijill.web import flights
from sijill.web.cookies import SESSION_COOKIE, read_signed

#: Any SELECT statement (SQLAlchemy 2.1 types them by their column types).
AnySelect = TypeVar("AnySelect", bound=Select[*tuple[Any, ...]])
T = TypeVar("T")
P = ParamSpec("P")

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_ID = 2_147_483_647  # the largest integer key both engines store

#: Path parameter for a row id (bounded so no engine overflows).
IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
#: Paging parameters.
Limit = Annotated[int, Query(ge=1, le=500, description="items per page")]
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


async def run_read(
    request: Request,
    work: Callable[Concatenate[Connection, P], T],
    *args: P.args,
    **kwargs: P.kwargs,
) -> T:
    """``work(connection, ...)`` on a connection of its own, for routes that only read (and
    write the read log).

    The connection is in autocommit: no ORM session, no BEGIN and COMMIT round trips; each
    statement sees the latest committed data, as it would under READ COMMITTED, and a
    read-log entry is stored when it is written, before the answer is built. At most
    ``app.state.db_limiter`` such reads run at once per process (within the pool's size):
    more requests wait on the event loop, never for a pooled connection.

    On PostgreSQL the work runs on the event loop itself, through psycopg's asyncio
    connections (``app.state.async_reader``; SQLAlchemy runs the plain code in a greenlet
    that yields to the loop at each round trip). A worker then serves every request from one
    thread: no hand-offs between threads contending for the interpreter, which left workers
    idle part of the time under load (``benchmarks/RESULTS.md``, web). So ``work`` must never
    wait for a lock that another request may hold across a query (those requests share the
    loop's thread). On SQLite, whose driver has no asyncio I/O, the work runs in a worker
    thread (``app.state.reader``), and the connection goes back to the pool in that thread.
    """
    state = request.app.state
    if state.async_reader is not None:
        async with state.db_limiter, state.async_reader.connect() as connection:
            return await connection.run_sync(work, *args, **kwargs)

    def run() -> T:
        with state.reader.connect() as connection:
            return work(connection, *args, **kwargs)

    return await anyio.to_thread.run_sync(run, limiter=state.db_limiter)


def _credentials(request: Request) -> tuple[str, str] | None:
    """The secret this request carries and its kind (``api`` or ``session``), if any."""
    header = request.headers.get("authorization", "")
    if header[:7].lower() == "bearer ":
        return header[7:].strip(), "api"
    secret = read_signed(request, SESSION_COOKIE)
    return (secret, "session") if secret else None


def _lookup(
    sessions: sessionmaker[Session], secret: str, kind: str, key: token_cache.Key
) -> tuple[Principal, str | None] | None:
    since, looked_up = token_cache.generation(), time.monotonic()
    with sessions() as session:  # a session of its own: the connection goes back at once
        found = resolve_token(session, secret, kind)
        if found is None:
            return None
        user, token = found
        principal = Principal.of(user)
        csrf = (token.csrf or "") if kind == "session" else None
    token_cache.put(key, principal, csrf, token.expires_at, looked_up=looked_up, since=since)
    return principal, csrf


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


def _lookup_work(
    request: Request, secret: str, kind: str, key: token_cache.Key
) -> flights.Work[tuple[Principal, str | None] | None]:
    sessions = request.app.state.sessions
    return lambda: run_in_threadpool(_lookup, sessions, secret, kind, key)


async def _lookup_once(
    request: Request, secret: str, kind: str, key: token_cache.Key
) -> tuple[Principal, str | None] | None:
    """Look a token up in the database once, however many requests wait for it at once.

    When a cached token expires, every request in flight with it misses at the same moment;
    without this each would query the database in a thread of its own (tens of lookups at
    once under load, a pause of tens of milliseconds every few seconds). The first request
    starts the lookup and the others await the same result (:mod:`sijill.web.flights`); a
    lookup ahead of expiry (:func:`current_user`) is the same flight, which nobody awaits.
    """
    return await flights.once(("token", key), _lookup_work(request, secret, kind, key))


async def current_user(request: Request) -> Principal:
    """The signed-in user (session cookie or bearer token), else :class:`NotAuthenticated`.

    A token resolved in the last few seconds is taken from :mod:`sijill.security.token_cache`,
    and looked up again in the background in its last second there.
    """
    credentials = _credentials(request)
    if credentials is None:
        raise NotAuthenticated()
    secret, kind = credentials
    key = (str(request.app.state.engine.url), token_hash(secret), kind)
    cached = token_cache.get(key)
    found: tuple[Principal, str | None] | None
    if cached is None:
        found = await _lookup_once(request, secret, kind, key)
    else:
        found = cached.principal, cached.csrf
        if cached.due:  # looked up again while this and other requests go on
            flights.start_once(("token", key), _lookup_work(request, secret, kind, key))
    if found is None:
        raise NotAuthenticated()
    user, csrf = found
    if csrf is not None and request.method not in SAFE_METHODS:
        await _check_csrf(request, csrf)
    request.state.user = user
    request.state.csrf = csrf
    return user


CurrentUser = Annotated[Principal, Depends(current_user)]


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


def readable_by(role: str, model: Any) -> ColumnElement[bool]:
    """The condition that ``model``'s row has an access level ``role`` may read.

    :func:`visible` adds it to a query's WHERE; an outer join puts it in its ON clause. For a
    role that reads every level it is plain ``true`` (dropped from an AND): the database then
    need not fetch the rows' levels (or join the tables that hold them) only to keep them all.
    """
    if reads_every_level(role):
        return true()
    # The levels as plain bound values, not one "expanding" list parameter that SQLAlchemy
    # would have to rewrite into the SQL at every execution.
    levels = [literal(level) for level in readable_levels(role)]
    return cast(ColumnElement[bool], model.access.in_(levels))
