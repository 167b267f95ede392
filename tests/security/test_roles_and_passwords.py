"""Roles and password hashing (pure)."""

from __future__ import annotations

import pytest

from sijill.security.passwords import hash_password, verify_password
from sijill.security.roles import can_edit, can_read, can_unseal, readable_levels, role_at_least


def test_role_rights() -> None:
    assert readable_levels("viewer") == ("public", "internal")
    assert not can_read("viewer", "restricted")
    assert all(can_read(r, "restricted") for r in ("analyst", "investigator", "admin"))
    assert not can_unseal("viewer") and can_unseal("analyst")
    assert not can_edit("analyst") and can_edit("investigator") and can_edit("admin")
    assert role_at_least("admin", "investigator") and not role_at_least("viewer", "analyst")
    with pytest.raises(ValueError):
        role_at_least("superuser", "viewer")


def test_argon2_hashes() -> None:
    stored = hash_password("a long passphrase")
    assert stored.startswith("$argon2id$")
    assert verify_password(stored, "a long passphrase")
    assert not verify_password(stored, "a long passphrasE")
    assert not verify_password(None, "anything")
    assert not verify_password("not a hash", "anything")
