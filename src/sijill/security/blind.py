"""Keyed (HMAC) blind index over sealed fields, so protected names can be searched.

A sealed value (say a witness's name) is never stored in clear, not even as a normalized key:
each word's name key (``sijill.names.keys.name_key``) is stored as HMAC-SHA256 under a key
derived from the field key. A search computes the same HMACs for the query's words and matches
them. The index reveals only that two records share a word, never the word; rotating or
destroying the field key makes it useless (``sijill keys rotate`` rebuilds it).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, delete, func, insert, select
from sqlalchemy.orm import Session

from sijill.names.keys import name_key
from sijill.security.models import BlindToken
from sijill.security.sealing import record_aad, unseal
from sijill.store.models import Record

TOKEN_CHARS = 32
BATCH = 1000


def index_key(field_key: bytes) -> bytes:
    """The HMAC key of the blind index, derived from (and rotated with) the field key."""
    return hmac.new(field_key, b"sijill-blind-index-v1", hashlib.sha256).digest()


def tokens(text: str, key: bytes) -> set[str]:
    """The blind tokens of every word of ``text`` (keyed name keys, any script)."""
    words = {w for w in name_key(text).split() if w}
    return {hmac.new(key, w.encode(), hashlib.sha256).hexdigest()[:TOKEN_CHARS] for w in words}


def _rows(record_id: int, sealed: dict[str, Any], key: bytes) -> list[dict[str, Any]]:
    rows = []
    for field_name, value in sealed.items():
        if isinstance(value, str) and value.strip():
            for token in tokens(value, key):
                rows.append(
                    {
                        "entity": "records",
                        "entity_id": record_id,
                        "field": field_name,
                        "token": token,
                    }
                )
    return rows


def index_records(session: Session, field_key: bytes, *, source_id: int | None = None) -> int:
    """(Re)build the blind index of sealed record fields (one source, or all); returns rows."""
    key = index_key(field_key)
    ids = select(Record.id).where(Record.sealed.is_not(None))
    if source_id is not None:
        ids = ids.where(Record.source_id == source_id)
    session.execute(
        delete(BlindToken).where(BlindToken.entity == "records", BlindToken.entity_id.in_(ids))
    )
    stmt = select(Record.id, Record.source_id, Record.record_id, Record.sealed).where(
        Record.sealed.is_not(None)
    )
    if source_id is not None:
        stmt = stmt.where(Record.source_id == source_id)
    written = 0
    batch: list[dict[str, Any]] = []
    for rid, sid, rec_id, blob in session.execute(stmt.order_by(Record.id)):
        if blob is None:
            continue
        value = unseal(blob, aad=record_aad(sid, rec_id), key=field_key)
        if isinstance(value, dict):
            batch.extend(_rows(rid, value, key))
        if len(batch) >= BATCH:
            session.execute(insert(BlindToken), batch)
            written += len(batch)
            batch.clear()
    if batch:
        session.execute(insert(BlindToken), batch)
        written += len(batch)
    return written


def matching_records(query: str, field_key: bytes) -> Select[int]:
    """Ids of records whose sealed fields hold every word of ``query`` (by name key)."""
    wanted: Iterable[str] = tokens(query, index_key(field_key))
    wanted = sorted(wanted)
    return (
        select(BlindToken.entity_id)
        .where(BlindToken.entity == "records", BlindToken.token.in_(wanted or ["-"]))
        .group_by(BlindToken.entity_id)
        .having(func.count(func.distinct(BlindToken.token)) == max(len(wanted), 1))
    )
