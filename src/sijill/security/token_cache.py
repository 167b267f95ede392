"""A few seconds' in-process memory of resolved tokens, so each request skips one query.

A request signed with a session cookie or an API token costs a database round trip to look
the token up. This cache keeps ``(database, token hash, kind) -> (principal, CSRF token)`` for
at most ``$SIJILL_TOKEN_CACHE_SECONDS`` seconds (default 5, capped at 5; 0 turns it off), and
never past the token's own expiry.

In an entry's last ``REFRESH_AHEAD`` seconds :func:`get` marks it due, and the web app looks
the token up again while requests still answer with the entry: under steady use nobody waits
for a lookup. An entry is kept for its lifetime from the lookup that made it.

Revocation still takes effect: :func:`forget` drops an entry (``revoke_token`` calls it, so a
logout is immediate in the process that served it) and :func:`forget_all` drops every entry
(disabling a user calls it); a lookup that started before either is not kept. A token revoked
or a user disabled in *another* process (another uvicorn worker, the CLI) stops working there
within the lifetime above, at most 5 seconds from the lookup that saw it still valid.
Only the SHA-256 hash of a secret is used as a key; the secret itself is never stored.
"""

from __future__ import annotations

import os
import threading
import time
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from sijill.store.base import utcnow

if TYPE_CHECKING:
    from sijill.security.users import Principal

MAX_SECONDS = 5.0
MAX_ENTRIES = 4096
#: Seconds before an entry expires when :func:`get` marks it due for a new lookup.
REFRESH_AHEAD = 1.0

Key = tuple[str, str, str]
Entry = tuple[float, Any, str | None]

_lock = threading.Lock()
_cache: dict[Key, Entry] = {}
_generation = 0  # counts forget() and forget_all() calls


class Cached(NamedTuple):
    """A resolved token: who it signs in, its session's CSRF token, and whether it is in its
    last ``REFRESH_AHEAD`` seconds (due for a lookup ahead of expiry)."""

    principal: Principal
    csrf: str | None
    due: bool


def ttl() -> float:
    """Seconds an entry lives: ``$SIJILL_TOKEN_CACHE_SECONDS`` (default 5), never above 5."""
    try:
        value = float(os.environ.get("SIJILL_TOKEN_CACHE_SECONDS", str(MAX_SECONDS)))
    except ValueError:
        value = MAX_SECONDS
    return max(0.0, min(value, MAX_SECONDS))


def generation() -> int:
    """Take this before a lookup and give it to :func:`put` with what the lookup found."""
    with _lock:
        return _generation


def get(key: Key) -> Cached | None:
    """The cached principal and CSRF token for ``key``, if still fresh."""
    with _lock:
        entry = _cache.get(key)
    if entry is None:
        return None
    left = entry[0] - time.monotonic()
    if left <= 0:
        with _lock:
            _cache.pop(key, None)
        return None
    return Cached(entry[1], entry[2], left <= min(REFRESH_AHEAD, ttl() / 2))


def put(
    key: Key,
    principal: Principal,
    csrf: str | None,
    expires_at: datetime,
    *,
    looked_up: float,
    since: int,
) -> None:
    """Remember a token resolved by a lookup that started at ``looked_up`` (monotonic) for
    ``ttl()`` seconds from then, or until the token expires if sooner; not if anything was
    forgotten since :func:`generation` gave ``since``."""
    lifetime = min(ttl(), (expires_at - utcnow()).total_seconds())
    if lifetime <= 0:
        return
    with _lock:
        if since != _generation:
            return
        if len(_cache) >= MAX_ENTRIES:
            _cache.clear()
        _cache[key] = (looked_up + lifetime, principal, csrf)


def forget(token_hash: str) -> None:
    """Drop every entry for this token hash (any database, any kind)."""
    global _generation
    with _lock:
        for key in [k for k in _cache if k[1] == token_hash]:
            del _cache[key]
        _generation += 1


def forget_all() -> None:
    """Drop every entry (a user was disabled or changed)."""
    global _generation
    with _lock:
        _cache.clear()
        _generation += 1
