"""Fixtures for the web tests: a case with one user per role, the app, signed-in clients."""

from __future__ import annotations

import base64
from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from sijill.security.roles import ROLES
from sijill.web import create_app
from sijill.web.testing import add_user, bearer_client, logged_in_client

TEST_KEY = base64.b64encode(bytes(range(32))).decode()


@pytest.fixture(autouse=True)
def _field_key(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A fixed field key from the environment; nothing written in the working folder."""
    monkeypatch.setenv("SIJILL_KEY", TEST_KEY)
    monkeypatch.setenv("SIJILL_KEY_FILE", str(tmp_path / "unused.key"))
    monkeypatch.delenv("SIJILL_DEMO", raising=False)


@pytest.fixture
def web_url(case_url: str) -> str:
    """A migrated case (both engines) with one user per role, named after the role."""
    for role in ROLES:
        add_user(case_url, role, role)
    return case_url


@pytest.fixture
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
