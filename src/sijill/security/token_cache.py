"""A few seconds' in-process memory of resolved tokens, so each request skips one query.

A request signed with a session cookie or an API token costs a database round trip to look
the token up. This cache keeps ``(database, token hash, kind) -> (principal, CSRF token)`` for
at most ``$SIJILL_TOKEN_CACHE_SECONDS`` seconds (default 5, capped at 5; 0 turns it off), and
never past the token's own expiry.

Revocation still takes effect: :func:`forget` drops an entry (``revoke_token`` calls it, so a
logout is immediate in the process that served it) and :func:`forget_all` drops every entry
(disabling a user calls it). A token revoked or a user disabled in *another* process (another
uvicorn worker, the CLI) stops working there within the lifetime above, at most 5 seconds.
Only the SHA-256 hash of a secret is used as a key; the secret itself is never stored.
"""

from __future__ import annotations

import os
import threading
import time
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sijill.store.base import utcnow

if TYPE_CHECKING:
    from sijill.security.users import Principal

MAX_SECONDS = 5.0
MAX_ENTRIES = 4096

Key = tuple[str, str, str]
Entry = tuple[float, Any, str | None]

_lock = threading.Lock()
_cache: dict[Key, Entry] = {}


def ttl() -> float:
    """Seconds an entry lives: ``$SIJILL_TOKEN_CACHE_SECONDS`` (default 5), never above 5."""
    try:
        value = float(os.environ.get("SIJILL_TOKEN_CACHE_SECONDS", str(MAX_SECONDS)))
    except ValueError:
        value = MAX_SECONDS
    return max(0.0, min(value, MAX_SECONDS))


def get(key: Key) -> tuple[Principal, str | None] | None:
    """The cached principal and CSRF token for ``key``, if still fresh."""
    with _lock:
        entry = _cache.get(key)
    if entry is None:
        return None
    if entry[0] <= time.monotonic():
        with _lock:
            _cache.pop(key, None)
        return None
    return entry[1], entry[2]


def put(key: Key, principal: Principal, csrf: str | None, expires_at: datetime) -> None:
    """Remember a resolved token for ``ttl()`` seconds, or until it expires if sooner."""
    lifetime = min(ttl(), (expires_at - utcnow()).total_seconds())
    if lifetime <= 0:
        return
    with _lock:
        if len(_cache) >= MAX_ENTRIES:
            _cache.clear()
        _cache[key] = (time.monotonic() + lifetime, principal, csrf)


def forget(token_hash: str) -> None:
    """Drop every entry for this token hash (any database, any kind)."""
    with _lock:
        for key in [k for k in _cache if k[1] == token_hash]:
            del _cache[key]


def forget_all() -> None:
    """Drop every entry (a user was disabled or changed)."""
    with _lock:
        _cache.clear()
