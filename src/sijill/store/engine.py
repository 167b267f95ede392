"""Engines and sessions for SQLite (embedded default) and PostgreSQL (teams)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, make_url
from sqlalchemy.orm import Session, sessionmaker

from sijill.config import database_url
from sijill.store import open_access  # noqa: F401 - its after-flush upkeep of every session

#: How long a SQLite write waits for another writer's lock before it is refused.
BUSY_TIMEOUT_MS = 10_000


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
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

#: Pool options of every PostgreSQL engine: 10 connections kept open and 10 more opened and
#: closed on demand, so a process holds at most 20 (two web workers 40, well under
#: PostgreSQL's default limit of 100); a request that finds all 20 busy waits for one.
#: No pre-ping (it costs a round trip per checkout): connections are recycled after 30
#: minutes, and one the server dropped fails its request once and is then discarded with the
#: rest of the pool (SQLAlchemy invalidates the pool on a disconnect error).
PG_POOL: dict[str, Any] = {
    "pool_pre_ping": False,
    "pool_recycle": 1800,
    "pool_size": 10,
    "max_overflow": 10,
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
