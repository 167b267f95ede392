"""Accounts, sign-in and tokens (library functions the CLI and the web app share)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from sijill.errors import SijillError
from sijill.security.models import AuthToken, CaseSetting, User
from sijill.security.passwords import (
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
)
from sijill.security.roles import check_role
from sijill.store.base import utcnow
from sijill.store.changelog import log_change

SESSION_LIFETIME = timedelta(hours=12)
API_TOKEN_LIFETIME = timedelta(days=7)


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


def _checked_role(role: str) -> str:
    try:
        return check_role(role)
    except ValueError as exc:
        raise UserError(str(exc)) from exc


def _checked_password(password: str, name: str) -> str:
    problem = password_problem(password, name)
    if problem:
        raise UserError(problem)
    return password


def find_user(session: Session, name: str) -> User | None:
    """The account named ``name``, in any case (names are unique regardless of case)."""
    return session.scalar(select(User).where(func.lower(User.name) == name.strip().lower()))


def get_user(session: Session, name: str) -> User:
    """:func:`find_user`, or :class:`UserError` when there is none."""
    user = find_user(session, name)
    if user is None:
        raise UserError(f"no user named {name!r}")
    return user


def create_user(
    session: Session, name: str, role: str, password: str, *, actor: str | None = None
) -> User:
    """Create an account; the password, checked for strength, is stored only as an Argon2id
    hash. Names are unique regardless of case."""
    _checked_role(role)
    name = name.strip()
    if not name:
        raise UserError("a user needs a name")
    _checked_password(password, name)
    if find_user(session, name) is not None:
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
    """The active user with this name (in any case) and password, else None (same work either
    way)."""
    user = find_user(session, name)
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


def revoke_token(
    session: Session, secret: str, *, owner: int | None = None, actor: str | None = None
) -> bool:
    """Delete the token (only if it is ``owner``'s, when given) and log it; True when one was
    deleted. Every request that carries it from then on is refused, in every process."""
    query = select(AuthToken).where(AuthToken.token_hash == token_hash(secret))
    if owner is not None:
        query = query.where(AuthToken.user_id == owner)
    token = session.scalar(query)
    if token is None:
        return False
    session.execute(delete(AuthToken).where(AuthToken.token_hash == token.token_hash))
    log_change(
        session,
        action="revoke_token",
        entity="users",
        entity_id=token.user_id,
        detail={"kind": token.kind},
        actor=actor,
    )
    return True


def revoke_user_tokens(session: Session, user: User, *, actor: str | None = None) -> int:
    """Delete every session and API token of ``user``; how many there were."""
    result = session.execute(delete(AuthToken).where(AuthToken.user_id == user.id))
    deleted = int(result.rowcount or 0)  # type: ignore[attr-defined]
    log_change(
        session,
        action="revoke_tokens",
        entity="users",
        entity_id=user.id,
        detail={"tokens": deleted},
        actor=actor,
    )
    return deleted


def change_user(
    session: Session,
    user: User,
    *,
    role: str | None = None,
    password: str | None = None,
    active: bool | None = None,
    actor: str | None = None,
) -> User:
    """Change a role, reset a password, disable or enable an account (logged). A new password
    or role, or disabling, signs the user out everywhere (every token is revoked)."""
    changed: dict[str, object] = {}
    if role is not None and role != user.role:
        user.role = _checked_role(role)
        changed["role"] = role
    if password is not None:
        user.password_hash = hash_password(_checked_password(password, user.name))
        changed["password"] = "reset"
    if active is not None and active != user.active:
        user.active = active
        changed["active"] = active
    if not changed:
        return user
    log_change(
        session, action="change", entity="users", entity_id=user.id, detail=changed, actor=actor
    )
    if "role" in changed or "password" in changed or changed.get("active") is False:
        revoke_user_tokens(session, user, actor=actor)
    return user


def get_setting(session: Session, key: str) -> str | None:
    row = session.get(CaseSetting, key)
    return row.value if row else None


def set_setting(session: Session, key: str, value: str) -> None:
    row = session.get(CaseSetting, key)
    if row is None:
        session.add(CaseSetting(key=key, value=value))
    else:
        row.value = value


def change_setting(session: Session, key: str, value: str, *, actor: str) -> bool:
    """Set a case setting, the change logged with its value before and after; False when it
    had that value already (nothing logged)."""
    before = get_setting(session, key)
    if before == value:
        return False
    set_setting(session, key, value)
    log_change(
        session,
        action="change",
        entity="case_settings",
        entity_id=key,
        detail={"from": before, "to": value},
        actor=actor,
    )
    return True
