"""Engines and sessions for SQLite (embedded default) and PostgreSQL (teams)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import URL, Connection, Engine, create_engine, event, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.orm import Session, sessionmaker

from sijill.config import database_url


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def private_sqlite_file(url: str) -> None:
    """Create a SQLite database file owner-only (0600), or make an existing one so; its WAL and
    shared-memory files take the database file's mode."""
    path = make_url(url).database
    if not path or path == ":memory:" or path.startswith("file:"):
        return
    if not os.path.exists(os.path.dirname(os.path.abspath(path))):
        return  # SQLite reports the missing folder itself
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    if os.stat(path).st_mode & 0o077:
        os.chmod(path, 0o600)


def normalize_url(url: str) -> str:
    """Accept plain ``postgresql://`` URLs and use the psycopg 3 driver for them."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


#: What runs statements: an ORM session, or a plain connection (the cheaper, for reads).
Executes = Session | Connection

_ENGINES: dict[str, Engine] = {}
_ASYNC_ENGINES: dict[URL, AsyncEngine] = {}

#: Connections a PostgreSQL engine keeps open (more, up to 20, are opened and closed on demand).
POOL_SIZE = 10
#: Pool options of every PostgreSQL engine. No pre-ping (it costs a round trip per checkout):
#: connections are recycled after 30 minutes, and one the server dropped fails its request once
#: and is then discarded with the rest of the pool (SQLAlchemy invalidates the pool on a
#: disconnect error).
PG_POOL: dict[str, Any] = {
    "pool_pre_ping": False,
    "pool_recycle": 1800,
    "pool_size": POOL_SIZE,
    "max_overflow": 20,
}


def get_engine(url: str | None = None) -> Engine:
    """One engine per resolved URL for the life of the process."""
    resolved = normalize_url(database_url(url))
    if resolved in _ENGINES:
        return _ENGINES[resolved]
    if resolved.startswith("sqlite"):
        private_sqlite_file(resolved)
        engine = create_engine(resolved, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(resolved, **PG_POOL)
    _ENGINES[resolved] = engine
    return engine


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


def read_engine(engine: Engine) -> Engine:
    """``engine`` in autocommit, for work that reads and at most appends to the read log.

    Its connections share ``engine``'s pool. No BEGIN or COMMIT round trip: each statement
    runs on its own, seeing the latest committed data (as under READ COMMITTED), and each
    INSERT commits at once. Not for changes that must be made together.
    """
    return engine.execution_options(isolation_level="AUTOCOMMIT")


def async_read_engine(engine: Engine) -> AsyncEngine | None:
    """``engine``'s PostgreSQL database through psycopg's asyncio connections, in autocommit.

    For read work run on an event loop (see ``sijill.web.deps.run_read``): a round trip awaits
    the socket instead of blocking a thread, so a web worker serves its requests from one
    thread, with no hand-offs between threads contending for the interpreter. One per
    database for the life of the process, with a pool of its own (``PG_POOL``). None for
    SQLite, whose driver has no asyncio I/O of its own (aiosqlite runs a thread per
    connection): reads there run in worker threads.
    """
    if engine.dialect.name != "postgresql":
        return None
    url = engine.url
    if url not in _ASYNC_ENGINES:
        _ASYNC_ENGINES[url] = create_async_engine(url, isolation_level="AUTOCOMMIT", **PG_POOL)
    return _ASYNC_ENGINES[url]


@contextmanager
def transaction(url: str | None = None) -> Iterator[Session]:
    """A session whose work commits on success and rolls back on any error."""
    factory = session_factory(get_engine(url))
    with factory.begin() as session:
        yield session


def dispose_engines() -> None:
    """Close every pooled connection (tests drop databases; the CLI exits)."""
    for engine in _ENGINES.values():
        engine.dispose()
    _ENGINES.clear()
    for async_engine in _ASYNC_ENGINES.values():
        asyncio.run(async_engine.dispose())  # callers are plain code, outside any event loop
    _ASYNC_ENGINES.clear()
