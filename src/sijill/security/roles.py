"""Roles and what each may see and do. Pure functions; no database."""

from __future__ import annotations

from sijill.store.base import ACCESS_LEVELS

#: The reader when none is named: the command line, the case's own operator, reads every level.
OPERATOR = "admin"

#: From least to most powerful; each role can do everything the ones before it can.
ROLES = ("viewer", "analyst", "investigator", "admin")

#: Access levels each role may read.
_READABLE = {
    "viewer": ("public", "internal"),
    "analyst": ACCESS_LEVELS,
    "investigator": ACCESS_LEVELS,
    "admin": ACCESS_LEVELS,
}


def check_role(role: str) -> str:
    """Return ``role`` if it is known, else raise ``ValueError``."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; expected one of {', '.join(ROLES)}")
    return role


def role_at_least(role: str, minimum: str) -> bool:
    """True when ``role`` has every right ``minimum`` has."""
    return ROLES.index(check_role(role)) >= ROLES.index(check_role(minimum))


def readable_levels(role: str) -> tuple[str, ...]:
    """The access levels a role may read."""
    return _READABLE[check_role(role)]


def reads_every_level(role: str) -> bool:
    """May ``role`` read content at every access level (so no row is hidden from it)?"""
    return readable_levels(role) == ACCESS_LEVELS


def can_read(role: str, level: str) -> bool:
    """May ``role`` read content at access ``level``?"""
    return level in readable_levels(role)


def can_unseal(role: str) -> bool:
    """May ``role`` see decrypted sensitive (sealed) fields?"""
    return role_at_least(role, "analyst")


def can_edit(role: str) -> bool:
    """May ``role`` import, edit and decide?"""
    return role_at_least(role, "investigator")
