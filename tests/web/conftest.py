"""Fixtures for the web tests.

One case per test module and engine (migrating every capability's schema takes seconds on
PostgreSQL): users named after their roles, and the fictional three-list case of ``seed.py``.
Tests that change the case (imports) do so under names no other test relies on.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from sijill.security.roles import ROLES
from sijill.store.engine import get_engine
from sijill.store.migrate import upgrade
from sijill.web import create_app
from sijill.web.testing import add_user, bearer_client, launch_chromium, logged_in_client
from tests.conftest import new_database_url
from tests.web.seed import seed_case

TEST_KEY = base64.b64encode(bytes(range(32))).decode()


@pytest.fixture(scope="module", autouse=True)
def _field_key(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A fixed field key from the environment, and the signing key, the evidence vault (an
    upload, schemathesis's too, signs a checkpoint) and the jobs' files in a temporary folder:
    nothing written in the working folder."""
    keys = tmp_path_factory.mktemp("key")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SIJILL_KEY", TEST_KEY)
        patch.setenv("SIJILL_KEY_FILE", str(keys / "unused.key"))
        patch.setenv("SIJILL_SIGNING_KEY_FILE", str(keys / "signing.key"))
        patch.setenv("SIJILL_VAULT", str(keys / "vault"))
        patch.setenv("SIJILL_JOBS_DIR", str(keys / "jobs"))
        patch.delenv("SIJILL_DEMO", raising=False)
        yield


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def web_case(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, _field_key: None
) -> Iterator[tuple[str, dict[str, Any]]]:
    """A migrated, seeded case on each engine, with one user per role (named after it)."""
    folder = tmp_path_factory.mktemp("case")
    urls = new_database_url(request.param, folder)
    url = next(urls)
    upgrade(get_engine(url))
    for role in ROLES:
        add_user(url, role, role)
    lists = folder / "lists"
    lists.mkdir()
    yield url, seed_case(url, lists)
    next(urls, None)


@pytest.fixture(scope="module")
def web_url(web_case: tuple[str, dict[str, Any]]) -> str:
    return web_case[0]


@pytest.fixture(scope="module")
def seeded(web_case: tuple[str, dict[str, Any]]) -> dict[str, Any]:
    """The ids the seed made (sources, records, persons)."""
    return web_case[1]


@pytest.fixture(scope="module")
def app(web_url: str) -> FastAPI:
    return create_app(web_url)


@pytest.fixture
def login(app: FastAPI) -> Callable[[str], TestClient]:
    """``login("viewer")`` → a client signed in through the login page as that role."""
    return lambda role: logged_in_client(app, role)


@pytest.fixture
def bearer(app: FastAPI) -> Callable[[str], TestClient]:
    """``bearer("analyst")`` → a client with an API token for that role."""
    return lambda role: bearer_client(app, role)


@pytest.fixture(scope="module")
def browser(bench: dict[str, Any]) -> Iterator[Any]:
    """Debian's chromium under Playwright, for a browser module's served ``bench``."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()
