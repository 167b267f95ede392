"""What each role may see of a record, source or person: fields left out, never blanked."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sijill.errors import ConfigError
from sijill.security.roles import can_read, can_unseal
from sijill.security.sealing import record_aad, unseal
from sijill.store.models import RECORD_DERIVED_FIELDS, Person, Record, Source

RECORD_FIELDS = ("record_id", "row_number", "script", *RECORD_DERIVED_FIELDS, "person_id")
SOURCE_FIELDS = (
    "name",
    "kind",
    "publisher",
    "published",
    "locator",
    "file_name",
    "file_sha256",
    "reliability",
    "version_of_id",
    "derived_from",
    "record_count",
    "created_at",
    "notes",
)
PERSON_FIELDS = (
    "display_name",
    "name_ar",
    "name_latin",
    "is_victim",
    "is_actor",
    "external_id",
    "merged_into_id",
)
#: Source fields only roles that may edit see (who imported it is an investigator's identity).
SOURCE_FIELDS_EDITORS = ("imported_by",)


def unseal_fields(
    sealed: bytes | None, *, aad: str, role: str, key: bytes | None = None
) -> dict[str, Any] | None:
    """The decrypted sensitive fields, or None when there are none or the role may not see them.

    A value sealed under another key (not rotated yet) reads as ``{"_error": ...}``.
    """
    if not sealed or not can_unseal(role):
        return None
    try:
        value = unseal(sealed, aad=aad, key=key)
    except ConfigError as exc:
        return {"_error": str(exc)}
    except Exception:  # noqa: BLE001 - InvalidTag: tampered or moved value
        return {"_error": "this value fails its integrity check"}
    return value if isinstance(value, dict) else {"value": value}


def record_view(
    record: Record, source_name: str, role: str, *, key: bytes | None = None
) -> dict[str, Any]:
    """A record as ``role`` may see it; the caller has already checked it may read the record."""
    view: dict[str, Any] = {"id": record.id, "source": source_name, "source_id": record.source_id}
    view.update({name: getattr(record, name) for name in RECORD_FIELDS})
    view["access"] = record.access
    view["raw"] = record.raw or {}
    sealed = unseal_fields(
        record.sealed, aad=record_aad(record.source_id, record.record_id), role=role, key=key
    )
    if sealed is not None:
        view["sealed"] = sealed
    return view


def source_view(source: Source | Any, role: str) -> dict[str, Any]:
    """A source as ``role`` may see it (a :class:`Source`, or a row or object with its columns)."""
    view: dict[str, Any] = {"id": source.id, "access": source.access}
    view.update({name: getattr(source, name) for name in SOURCE_FIELDS})
    if can_unseal(role):
        view.update({name: getattr(source, name) for name in SOURCE_FIELDS_EDITORS})
    return view


def person_view(person: Person | Any) -> dict[str, Any]:
    """A person's own fields (a :class:`Person`, or a row or object with its columns)."""
    view: dict[str, Any] = {"id": person.id, "access": person.access}
    view.update({name: getattr(person, name) for name in PERSON_FIELDS})
    return view


def readable(role: str, *levels: str) -> bool:
    """May ``role`` read something whose own and enclosing access levels are ``levels``?"""
    return all(can_read(role, level) for level in levels)


def field_key_or_none() -> bytes | None:
    """The field key if one is configured; None otherwise (sealed fields then read as errors).

    Read once per change of ``$SIJILL_KEY`` or of the key file (a rotation takes effect at once).
    """
    import os

    from sijill.security.sealing import key_path

    path = key_path()
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        stamp = None
    return _cached_key(os.environ.get("SIJILL_KEY"), str(path), stamp)


@lru_cache(maxsize=4)
def _cached_key(env: str | None, path: str, stamp: int | None) -> bytes | None:
    from sijill.security.sealing import load_key

    try:
        return load_key(create=False)
    except ConfigError:
        return None
