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

MAX_ENTRIES = 2048
_lock = threading.Lock()
_cache: dict[Hashable, tuple[float, int]] = {}


def ttl() -> float:
    return float(os.environ.get("SIJILL_COUNT_CACHE_SECONDS", "5"))


def total(session: Session, statement: Select[Any]) -> int:
    """``count(*)`` of ``statement``'s rows, reused for ``ttl()`` seconds.

    The cache key is the database and the statement itself (its SQL and bound values), so
    two different filters can never share a total.
    """
    lifetime = ttl()
    bind = session.get_bind()
    compiled = statement.compile(bind)
    full_key: Hashable = (
        str(bind.engine.url),
        str(compiled),
        repr(sorted(compiled.params.items())),
    )
    now = time.monotonic()
    if lifetime > 0:
        with _lock:
            hit = _cache.get(full_key)
        if hit is not None and hit[0] > now:
            return hit[1]
    value = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    if lifetime > 0:
        with _lock:
            if len(_cache) >= MAX_ENTRIES:
                _cache.clear()
            _cache[full_key] = (now + lifetime, value)
    return value


def forget() -> None:
    """Drop every cached total (after an import made through this process)."""
    with _lock:
        _cache.clear()
