"""The few-seconds cache of resolved tokens never outlives a revocation for long."""

from __future__ import annotations

import asyncio
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


def _request_with(app: Any, secret: str) -> Any:
    from starlette.requests import Request

    headers = [(b"authorization", f"Bearer {secret}".encode())]
    return Request({"type": "http", "method": "GET", "headers": headers, "app": app})


async def _lookups_done() -> None:
    from sijill.web import flights

    while flights._UNDER_WAY:
        await asyncio.sleep(0.01)


def test_a_token_in_its_last_moments_is_answered_and_looked_up_again(
    app: Any, bearer: Any, web_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lifetime 4 s (on a clock the test moves): a request in the entry's last second is
    answered at once and the token looked up again behind it, so a request after the first
    lookup's entry would have expired needs none. A token deleted meanwhile (as another
    process would) still stops within the lifetime of the last lookup that saw it."""
    from types import SimpleNamespace

    from sijill.web import deps

    monkeypatch.setenv("SIJILL_TOKEN_CACHE_SECONDS", "4")
    clock = SimpleNamespace(now=1000.0)
    fake_time = SimpleNamespace(monotonic=lambda: clock.now)
    monkeypatch.setattr(token_cache, "time", fake_time)
    monkeypatch.setattr(deps, "time", fake_time)
    secret = bearer("analyst").headers["Authorization"].split()[1]
    token_cache.forget_all()
    lookups: list[str] = []
    resolve = deps.resolve_token

    def counted(*args: Any) -> Any:
        lookups.append(args[1])
        return resolve(*args)

    monkeypatch.setattr(deps, "resolve_token", counted)

    async def scenario() -> list[tuple[str, int]]:
        request = _request_with(app, secret)
        seen = []

        async def ask() -> None:
            seen.append(((await deps.current_user(request)).name, len(lookups)))

        await ask()  # a miss: looked up (kept until 1004)
        clock.now = 1003.2
        await ask()  # in its last second: answered at once, looked up behind it
        await _lookups_done()  # kept until 1007.2
        clock.now = 1004.5  # the first entry would have expired
        await ask()
        clock.now = 1006.5  # due again
        with transaction(web_url) as session:
            session.execute(delete(AuthToken).where(AuthToken.kind == "api"))
        await ask()  # still within the lifetime of the last lookup that saw it
        await _lookups_done()  # this lookup finds no token: nothing kept
        clock.now = 1007.3
        with pytest.raises(deps.NotAuthenticated):
            await deps.current_user(request)
        return seen

    seen = asyncio.run(scenario())
    assert [lookups for _, lookups in seen] == [1, 1, 2, 2]  # counted as each answer left
    assert len({name for name, _ in seen}) == 1
    assert len(lookups) == 4  # the last: a miss after expiry, which found nothing


def test_a_lookup_that_started_before_a_forget_is_not_kept() -> None:
    from datetime import timedelta

    from sijill.security.users import Principal
    from sijill.store.base import utcnow

    key = ("db", "hash", "api")
    since = token_cache.generation()
    token_cache.forget("hash")  # revoked while the lookup ran
    who = Principal(id=1, name="a", role="analyst")
    later = utcnow() + timedelta(hours=1)
    token_cache.put(key, who, None, later, looked_up=time.monotonic(), since=since)
    assert token_cache.get(key) is None
    token_cache.put(
        key, who, None, later, looked_up=time.monotonic(), since=token_cache.generation()
    )
    assert token_cache.get(key) == token_cache.Cached(who, None, False)
    token_cache.forget_all()
