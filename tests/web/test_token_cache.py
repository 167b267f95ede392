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


def test_requests_that_miss_together_share_one_lookup(monkeypatch: pytest.MonkeyPatch) -> None:
    """When a cached token expires under load, one database lookup serves every waiting request."""
    import asyncio
    import threading
    from types import SimpleNamespace

    from sijill.web import deps, flights

    calls: list[str] = []
    release = threading.Event()

    def slow_lookup(_sessions: Any, secret: str, _kind: str, _key: Any) -> tuple[str, None]:
        calls.append(secret)
        release.wait(5)
        return (f"principal for {secret}", None)

    monkeypatch.setattr(deps, "_lookup", slow_lookup)
    request = SimpleNamespace(app=SimpleNamespace(state=SimpleNamespace(sessions=None)))

    async def twenty_at_once() -> list[Any]:
        key = ("db", "hash-a", "api")
        waiting = [deps._lookup_once(request, "a", "api", key) for _ in range(20)]  # type: ignore[arg-type]
        other = deps._lookup_once(request, "b", "api", ("db", "hash-b", "api"))  # type: ignore[arg-type]
        gathered = asyncio.gather(*waiting, other)
        await asyncio.sleep(0.05)
        release.set()
        return await gathered

    results = asyncio.run(twenty_at_once())
    assert sorted(calls) == ["a", "b"]  # one lookup per token, not one per request
    assert results[:20] == [("principal for a", None)] * 20
    assert results[20] == ("principal for b", None)
    assert flights._UNDER_WAY == {}  # nothing left behind once answered
