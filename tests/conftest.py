"""Shared fixtures: a fresh case database on each engine (SQLite file, PostgreSQL database)."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Generator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from sijill.store.engine import dispose_engines, get_engine
from sijill.store.migrate import upgrade
from sijill.web.testing import CHROMIUM

PG_ADMIN_URL = os.environ.get("SIJILL_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _pg_available() -> bool:
    try:
        engine = create_engine(PG_ADMIN_URL)
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
        return True
    except Exception:  # noqa: BLE001
        return False


PG_AVAILABLE = _pg_available()


def need(found: object, what: str) -> None:
    """Fail the test when ``found`` is falsy: a test never skips for want of something
    (``make system-deps`` installs the programs, ``make`` the Python packages)."""
    if not found:
        pytest.fail(f"{what} is missing", pytrace=False)


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's chromium, for the browser tests."""
    need(Path(CHROMIUM).exists(), f"chromium ({CHROMIUM})")
    return CHROMIUM


@pytest.fixture(scope="session")
def openssl() -> str:
    """The ``openssl`` program, for the time-stamp tests."""
    found = shutil.which("openssl")
    need(found, "openssl")
    return str(found)


def _skip_fails(report: pytest.TestReport | pytest.CollectReport) -> None:
    """Turn a skip into a failure that still says why it skipped."""
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
    report.outcome = "failed"
    report.longrepr = f"skipped, and no test may skip: {reason}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """A test that skips anyway (``pytest.skip``, ``importorskip``, a ``skipif`` mark) fails;
    an expected failure (``xfail``) stays one."""
    report: pytest.TestReport = yield
    if report.skipped and not hasattr(report, "wasxfail"):
        _skip_fails(report)
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(
    collector: pytest.Collector,
) -> Generator[None, pytest.CollectReport, pytest.CollectReport]:
    """A module that skips as it is imported (``importorskip`` or ``pytest.skip`` at module
    level) fails too, instead of taking its tests away unseen."""
    report: pytest.CollectReport = yield
    if report.skipped:
        _skip_fails(report)
    return report


def new_database_url(engine_name: str, tmp_path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """Yield the URL of a new empty database; drop it afterwards."""
    if engine_name == "sqlite":
        yield f"sqlite:///{tmp_path / 'case.db'}"
        dispose_engines()
        return
    need(PG_AVAILABLE, f"PostgreSQL at {PG_ADMIN_URL} (scripts/with-postgres.sh starts one)")
    name = f"sijill_t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        dispose_engines()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """An empty database on each engine (the test runs once per engine)."""
    yield from new_database_url(request.param, tmp_path)


@pytest.fixture
def sqlite_url(tmp_path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """An empty SQLite database, for tests where the engine does not matter."""
    yield from new_database_url("sqlite", tmp_path)


@pytest.fixture
def case_url(db_url: str) -> str:
    """A migrated, empty case database on each engine."""
    upgrade(get_engine(db_url))
    return db_url


@pytest.fixture
def sqlite_case_url(sqlite_url: str) -> str:
    """A migrated, empty case on SQLite only."""
    upgrade(get_engine(sqlite_url))
    return sqlite_url
