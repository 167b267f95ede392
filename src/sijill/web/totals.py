"""Short-lived cache of collection totals (``SELECT count(*)``), per database and query.

Counting 100,000 rows costs more than fetching a page of 50; a total that lags writes by a
few seconds is fine on a list page. ``$SIJILL_COUNT_CACHE_SECONDS`` sets the lag (default 5;
0 turns the cache off).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Coroutine, Hashable
from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from sijill.store.engine import Executes
from sijill.web import flights

MAX_ENTRIES = 2048
#: Seconds before a total expires when one request starts recounting it (at most half its life).
REFRESH_AHEAD = 1.0
_lock = threading.Lock()
_cache: dict[Hashable, tuple[float, Any]] = {}
_counting: dict[Hashable, threading.Lock] = {}
_generation = 0  # counts forget() calls

T = TypeVar("T")


def ttl() -> float:
    return float(os.environ.get("SIJILL_COUNT_CACHE_SECONDS", "5"))


def total(session: Executes, statement: Select[Any], key: Hashable | None = None) -> int:
    """``count(*)`` of ``statement``'s rows, reused for ``ttl()`` seconds.

    The cache key is the database and ``key``, which must stand for everything the rows
    depend on (the caller's role, its filters), or else the statement itself (its SQL and
    bound values, compiled for the purpose): two different filters never share a total.
    A total is never older than ``ttl()`` seconds (counted from the start of its count).
    One thread counts for a key at a time. In a total's last ``REFRESH_AHEAD`` seconds,
    one request recounts while the others still answer with it, so under steady traffic
    nobody waits for a count; only after a total has expired do others wait for the count.
    For code in threads: reads that share an event loop's thread
    (``sijill.web.deps.run_read``) must not wait on a lock, and use :func:`total_once`.
    """
    lifetime = ttl()
    engine = session.get_bind().engine if isinstance(session, Session) else session.engine
    if key is None:
        compiled = statement.compile(engine)
        key = (str(compiled), repr(sorted(compiled.params.items())))
    full_key: Hashable = (str(engine.url), key)
    if lifetime <= 0:
        return count(session, statement)
    now = time.monotonic()
    with _lock:
        hit = _cache.get(full_key)
        counting = _counting.setdefault(full_key, threading.Lock())
    if hit is not None and hit[0] > now:
        if hit[0] - now > min(REFRESH_AHEAD, lifetime / 2) or not counting.acquire(blocking=False):
            return hit[1]
        try:
            return _recount(session, statement, full_key, lifetime)
        finally:
            counting.release()
    with counting:
        with _lock:
            hit = _cache.get(full_key)
        if hit is not None and hit[0] > time.monotonic():
            return hit[1]
        return _recount(session, statement, full_key, lifetime)


async def total_once(
    database: str,
    key: Hashable,
    counter: flights.Work[T],
    *,
    ahead: Callable[[T], Coroutine[Any, Any, T]] | None = None,
) -> T:
    """The total for ``key`` in ``database`` (as :func:`total` keeps them), counted by awaiting
    ``counter()`` at most once at a time on this event loop, however many requests ask. The
    total may be any value measured with the count (a list's page starts, say).

    For routes whose reads share the event loop's thread (``sijill.web.deps.run_read``): they
    cannot wait for a lock another request holds across a query, so requests that find a
    count under way await the same count instead (:mod:`sijill.web.flights`). In a total's
    last ``REFRESH_AHEAD`` seconds one request's count refreshes it while the others answer
    with it; that count is ``ahead(kept)`` if given, which may answer with the kept value when
    it still holds (nothing changed since it was measured).
    """
    lifetime = ttl()
    if lifetime <= 0:
        return await counter()
    full_key: Hashable = (database, key)
    now = time.monotonic()
    with _lock:
        hit = _cache.get(full_key)
        generation = _generation
    if hit is not None and hit[0] - now > min(REFRESH_AHEAD, lifetime / 2):
        return hit[1]
    expires = now + lifetime

    def recount_with(count: flights.Work[T]) -> flights.Work[T]:
        return lambda: _count_and_keep(full_key, count, expires, generation)

    if hit is not None and hit[0] > now:  # refreshed ahead, answered at once
        kept: T = hit[1]
        refresh = counter if ahead is None else (lambda: ahead(kept))
        flights.start_once(("total", full_key), recount_with(refresh))
        return kept
    return await flights.once(("total", full_key), recount_with(counter))


async def _count_and_keep(
    full_key: Hashable, counter: flights.Work[T], expires: float, generation: int
) -> T:
    value = await counter()
    _keep(full_key, value, expires, generation)
    return value


def _recount(session: Executes, statement: Select[Any], full_key: Hashable, lifetime: float) -> int:
    with _lock:
        generation = _generation
    started = time.monotonic()
    value = count(session, statement)
    _keep(full_key, value, started + lifetime, generation)
    return value


def _keep(full_key: Hashable, value: Any, expires: float, generation: int) -> None:
    with _lock:
        # Not kept if forget() ran meanwhile: this count may predate an import.
        if generation == _generation:
            if len(_cache) >= MAX_ENTRIES:
                _cache.clear()
                _counting.clear()
            _cache[full_key] = (expires, value)


def count(session: Executes, statement: Select[Any]) -> int:
    """``count(*)`` of ``statement``'s rows, counted now."""
    return session.scalar(select(func.count()).select_from(statement.subquery())) or 0


def forget() -> None:
    """Drop every cached total (after an import made through this process)."""
    global _generation
    with _lock:
        _cache.clear()
        _counting.clear()
        _generation += 1
