"""Short-lived cache of collection totals (``SELECT count(*)``), per database and query.

Counting 100,000 rows costs more than fetching a page of 50; a total that lags writes by a
few seconds is fine on a list page. ``$SIJILL_COUNT_CACHE_SECONDS`` sets the lag (default 5;
0 turns the cache off).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Hashable
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from sijill.store.engine import Executes

MAX_ENTRIES = 2048
#: Seconds before a total expires when one request starts recounting it (at most half its life).
REFRESH_AHEAD = 1.0
_lock = threading.Lock()
_cache: dict[Hashable, tuple[float, int]] = {}
_counting: dict[Hashable, threading.Lock] = {}
_generation = 0  # counts forget() calls


def ttl() -> float:
    return float(os.environ.get("SIJILL_COUNT_CACHE_SECONDS", "5"))


def total(session: Executes, statement: Select[Any], key: Hashable | None = None) -> int:
    """``count(*)`` of ``statement``'s rows, reused for ``ttl()`` seconds.

    The cache key is the database and ``key``, which must stand for everything the rows
    depend on (the caller's role, its filters), or else the statement itself (its SQL and
    bound values, compiled for the purpose): two different filters never share a total.
    A total is never older than ``ttl()`` seconds (counted from the start of its count).
    In a total's last ``REFRESH_AHEAD`` seconds, one request recounts it while the others
    still answer with it, so under steady traffic nobody waits for a count. Without a live
    total (the first count, or after a quiet spell), a request that finds another counting
    counts too rather than wait: requests served from one event loop share its thread (see
    ``sijill.web.deps.run_read``), and a blocking wait there would stop the count it awaits.
    """
    lifetime = ttl()
    engine = session.get_bind().engine if isinstance(session, Session) else session.engine
    if key is None:
        compiled = statement.compile(engine)
        key = (str(compiled), repr(sorted(compiled.params.items())))
    full_key: Hashable = (str(engine.url), key)
    if lifetime <= 0:
        return _count(session, statement)
    now = time.monotonic()
    with _lock:
        hit = _cache.get(full_key)
        counting = _counting.setdefault(full_key, threading.Lock())
    if hit is not None and hit[0] > now:
        if hit[0] - now > min(REFRESH_AHEAD, lifetime / 2) or not counting.acquire(blocking=False):
            return hit[1]
    elif not counting.acquire(blocking=False):  # another request is counting: never wait
        return _count(session, statement)
    try:
        return _recount(session, statement, full_key, lifetime)
    finally:
        counting.release()


def _recount(session: Executes, statement: Select[Any], full_key: Hashable, lifetime: float) -> int:
    with _lock:
        generation = _generation
    started = time.monotonic()
    value = _count(session, statement)
    with _lock:
        # Not kept if forget() ran meanwhile: this count may predate an import.
        if generation == _generation:
            if len(_cache) >= MAX_ENTRIES:
                _cache.clear()
                _counting.clear()
            _cache[full_key] = (started + lifetime, value)
    return value


def _count(session: Executes, statement: Select[Any]) -> int:
    return session.scalar(select(func.count()).select_from(statement.subquery())) or 0


def forget() -> None:
    """Drop every cached total (after an import made through this process)."""
    global _generation
    with _lock:
        _cache.clear()
        _counting.clear()
        _generation += 1
