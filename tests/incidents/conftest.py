"""Web fixtures for the incidents pages: a case with one user per role and the demo incidents."""

from __future__ import annotations

import base64

import pytest
from fastapi import FastAPI

from sijill.incidents.demo import build_demo_incidents
from sijill.store.engine import transaction
from sijill.web import create_app
from sijill.web.testing import add_user

TEST_KEY = base64.b64encode(bytes(range(32))).decode()


@pytest.fixture(autouse=True)
def _key(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SIJILL_KEY", TEST_KEY)
    monkeypatch.setenv("SIJILL_KEY_FILE", str(tmp_path / "unused.key"))
    monkeypatch.delenv("SIJILL_DEMO", raising=False)
    monkeypatch.delenv("SIJILL_TILE_URL", raising=False)


@pytest.fixture
def demo_url(case_url: str) -> str:
    """A case (both engines) with a viewer, an admin and the synthetic demo incidents."""
    for role in ("viewer", "admin"):  # the roles these tests sign in as
        add_user(case_url, role, role)
    with transaction(case_url) as session:
        build_demo_incidents(session)
    return case_url


@pytest.fixture
def demo_app(demo_url: str) -> FastAPI:
    return create_app(demo_url)
