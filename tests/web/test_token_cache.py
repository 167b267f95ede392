"""The few-seconds cache of resolved tokens never outlives a revocation for long."""

from __future__ import annotations

import time
from typing import Any

import pytest
from sqlalchemy import delete

from sijill.security import token_cache
from sijill.security.models import AuthToken
from sijill.security.users import revoke_token
from sijill.store.engine import transaction


def test_lifetime_is_capped_at_five_seconds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SIJILL_TOKEN_CACHE_SECONDS", "3600")
    assert token_cache.ttl() == 5.0
    monkeypatch.setenv("SIJILL_TOKEN_CACHE_SECONDS", "0")
    assert token_cache.ttl() == 0.0


def test_revoking_in_this_process_takes_effect_at_once(bearer: Any, web_url: str) -> None:
    client = bearer("analyst")
    assert client.get("/api/persons?limit=1").status_code == 200  # now cached
    secret = client.headers["Authorization"].split()[1]
    with transaction(web_url) as session:
        revoke_token(session, secret)
    assert client.get("/api/persons?limit=1").status_code == 401


def test_a_token_deleted_elsewhere_stops_within_the_lifetime(
    bearer: Any, web_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SIJILL_TOKEN_CACHE_SECONDS", "0.5")
    client = bearer("analyst")
    assert client.get("/api/persons?limit=1").status_code == 200
    with transaction(web_url) as session:  # as another process would: no cache eviction
        session.execute(delete(AuthToken).where(AuthToken.kind == "api"))
    time.sleep(0.6)
    assert client.get("/api/persons?limit=1").status_code == 401
