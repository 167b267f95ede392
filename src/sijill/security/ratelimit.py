"""Login rate limiting per (user name, client address): a sliding window in memory."""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque


class LoginLimiter:
    """Allow at most ``attempts`` failed logins per key within ``window`` seconds."""

    def __init__(self, attempts: int = 5, window: float = 300.0) -> None:
        self.attempts = attempts
        self.window = window
        self._failures: dict[tuple[str, str], deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _prune(self, key: tuple[str, str], now: float) -> deque[float]:
        times = self._failures[key]
        while times and now - times[0] > self.window:
            times.popleft()
        return times

    def blocked(self, user: str, address: str) -> bool:
        """True when this user name from this address must wait before trying again."""
        with self._lock:
            return len(self._prune((user.lower(), address), time.monotonic())) >= self.attempts

    def failed(self, user: str, address: str) -> None:
        with self._lock:
            now = time.monotonic()
            self._prune((user.lower(), address), now).append(now)

    def succeeded(self, user: str, address: str) -> None:
        with self._lock:
            self._failures.pop((user.lower(), address), None)
