"""Tables for people who use Sijill: accounts, sign-in tokens, and case-wide settings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from sijill.store.base import Base, utcnow


class User(Base):
    """An account. ``role`` is one of :data:`sijill.security.roles.ROLES`."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_login: Mapped[datetime | None] = mapped_column(DateTime)


#: User names are unique regardless of case ("Amal" and "amal" are one account).
Index("uq_users_name_lower", func.lower(User.name), unique=True)


class AuthToken(Base):
    """A browser session or an API token. Only the SHA-256 of the secret is stored."""

    __tablename__ = "auth_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # session | api
    csrf: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime)


class LoginFailure(Base):
    """A failed sign-in (user name in lower case, client address), kept for the login limit's
    window so that the limit holds across workers and restarts."""

    __tablename__ = "login_failures"
    __table_args__ = (Index("ix_login_failures_key", "user_key", "address", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_key: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class CaseSetting(Base):
    """A key/value setting of the case (e.g. ``demo`` = ``1`` marks synthetic demo data)."""

    __tablename__ = "case_settings"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class BlindToken(Base):
    """One keyed (HMAC) token of one word of a sealed field: searchable, not readable."""

    __tablename__ = "blind_tokens"
    __table_args__ = (Index("ix_blind_tokens_token", "token"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int] = mapped_column(Integer, index=True)
    field: Mapped[str] = mapped_column(String(60))
    token: Mapped[str] = mapped_column(String(64))
