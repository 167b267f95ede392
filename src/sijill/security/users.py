"""Accounts, sign-in and tokens (library functions the CLI and the web app share)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from sijill.errors import SijillError
from sijill.security.models import AuthToken, CaseSetting, User
from sijill.security.passwords import hash_password, needs_rehash, verify_password
from sijill.security.roles import check_role
from sijill.store.base import utcnow
from sijill.store.changelog import log_change

SESSION_LIFETIME = timedelta(hours=12)
API_TOKEN_LIFETIME = timedelta(days=30)
MIN_PASSWORD_LENGTH = 8


class UserError(SijillError):
    """A user could not be created or changed."""


@dataclass(frozen=True)
class Principal:
    """Who is acting: a plain snapshot of a signed-in user (safe after the session closes)."""

    id: int
    name: str
    role: str

    @classmethod
    def of(cls, user: User) -> Principal:
        return cls(id=user.id, name=user.name, role=user.role)


@dataclass(frozen=True)
class IssuedToken:
    """A freshly issued secret (shown once) and, for sessions, its CSRF token."""

    secret: str
    csrf: str | None
    user: User


def create_user(
    session: Session, name: str, role: str, password: str, *, actor: str | None = None
) -> User:
    """Create an account; the password is stored only as an Argon2id hash."""
    try:
        check_role(role)
    except ValueError as exc:
        raise UserError(str(exc)) from exc
    name = name.strip()
    if not name:
        raise UserError("a user needs a name")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    if session.scalar(select(User).where(User.name == name)) is not None:
        raise UserError(f"user {name!r} already exists")
    user = User(name=name, role=role, password_hash=hash_password(password), active=True)
    session.add(user)
    session.flush()
    log_change(
        session,
        action="create",
        entity="users",
        entity_id=user.id,
        detail={"user": name, "role": role},
        actor=actor,
    )
    return user


def authenticate(session: Session, name: str, password: str) -> User | None:
    """The active user with this name and password, else None (same work either way)."""
    user = session.scalar(select(User).where(User.name == name))
    ok = verify_password(user.password_hash if user else None, password)
    if not (ok and user is not None and user.active):
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login = utcnow()
    return user


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_token(session: Session, user: User, kind: str) -> IssuedToken:
    """Create a session (``kind="session"``, with a CSRF token) or an API token."""
    secret = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(24) if kind == "session" else None
    lifetime = SESSION_LIFETIME if kind == "session" else API_TOKEN_LIFETIME
    session.add(
        AuthToken(
            token_hash=token_hash(secret),
            user_id=user.id,
            kind=kind,
            csrf=csrf,
            expires_at=utcnow() + lifetime,
        )
    )
    return IssuedToken(secret=secret, csrf=csrf, user=user)


def resolve_token(session: Session, secret: str, kind: str) -> tuple[User, AuthToken] | None:
    """The active user and token behind ``secret``, if it exists, is of ``kind`` and is live."""
    row = session.execute(
        select(User, AuthToken)
        .join(AuthToken, AuthToken.user_id == User.id)
        .where(AuthToken.token_hash == token_hash(secret), AuthToken.kind == kind)
    ).first()
    if row is None:
        return None
    user, token = row
    if not user.active or token.expires_at < utcnow():
        return None
    return user, token


def revoke_token(session: Session, secret: str) -> None:
    """Delete the token: every request that carries it from then on is refused."""
    session.execute(delete(AuthToken).where(AuthToken.token_hash == token_hash(secret)))


def get_setting(session: Session, key: str) -> str | None:
    row = session.get(CaseSetting, key)
    return row.value if row else None


def set_setting(session: Session, key: str, value: str) -> None:
    row = session.get(CaseSetting, key)
    if row is None:
        session.add(CaseSetting(key=key, value=value))
    else:
        row.value = value
