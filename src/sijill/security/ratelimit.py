"""Login rate limiting per (user name, client address): a sliding window of failed sign-ins
kept in the database, so the limit holds across workers and restarts."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from sijill.security.models import LoginFailure
from sijill.store.base import utcnow

MAX_ADDRESS = 64


class LoginLimiter:
    """Allow at most ``attempts`` failed logins per key within ``window`` seconds."""

    def __init__(self, attempts: int = 5, window: float = 300.0) -> None:
        self.attempts = attempts
        self.window = timedelta(seconds=window)

    @staticmethod
    def _key(user: str, address: str) -> tuple[str, str]:
        return user.strip().lower()[:100], address[:MAX_ADDRESS]

    def blocked(self, session: Session, user: str, address: str) -> bool:
        """True when this user name from this address must wait before trying again."""
        key, where = self._key(user, address)
        failures = session.scalar(
            select(func.count())
            .select_from(LoginFailure)
            .where(
                LoginFailure.user_key == key,
                LoginFailure.address == where,
                LoginFailure.at > utcnow() - self.window,
            )
        )
        return (failures or 0) >= self.attempts

    def failed(self, session: Session, user: str, address: str) -> None:
        """Record a failed sign-in (committed by the caller) and forget expired ones."""
        key, where = self._key(user, address)
        session.execute(delete(LoginFailure).where(LoginFailure.at <= utcnow() - self.window))
        session.add(LoginFailure(user_key=key, address=where, at=utcnow()))

    def succeeded(self, session: Session, user: str, address: str) -> None:
        key, where = self._key(user, address)
        session.execute(
            delete(LoginFailure).where(LoginFailure.user_key == key, LoginFailure.address == where)
        )
