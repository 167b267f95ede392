"""Key rotation: re-seal every sealed value under a new key, then swap the key files.

Order of work, so that a crash never leaves values without their key:
1. the new key is written beside the key file (``<key>.new``, mode 0600);
2. every sealed value is decrypted with the old key and sealed with the new one, in ONE
   database transaction (all or nothing);
3. the old key file is renamed ``<key>.retired-<UTC time>`` (or destroyed with ``destroy_old``)
   and ``<key>.new`` becomes the key file.
A value already sealed under the pending new key (a run that stopped after step 2) is accepted,
so running the rotation again completes it.

Capabilities that seal values in their own tables add a :class:`SealedColumn` to
:data:`SEALED_COLUMNS` (``register_sealed_column``).
"""

from __future__ import annotations

import base64
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session

from sijill.errors import ConfigError
from sijill.security.blind import index_records
from sijill.security.sealing import key_id, key_path, load_key, record_aad, seal, unseal
from sijill.store.models import Record

BATCH = 1000


@dataclass(frozen=True)
class SealedColumn:
    """A column holding sealed blobs, and how to rebuild each row's associated data."""

    table: Table
    column: str
    aad: Callable[[Any], str]  # from a row holding the table's columns


SEALED_COLUMNS: list[SealedColumn] = [
    SealedColumn(
        Record.__table__,  # type: ignore[arg-type]
        "sealed",
        lambda row: record_aad(row.source_id, row.record_id),
    ),
]


def register_sealed_column(column: SealedColumn) -> None:
    """Let key rotation re-seal a capability's own sealed column."""
    if column not in SEALED_COLUMNS:
        SEALED_COLUMNS.append(column)


def reseal_all(session: Session, old_keys: list[bytes], new_key: bytes) -> int:
    """Re-seal every sealed value under ``new_key``; returns how many were re-sealed."""
    by_id = {key_id(k): k for k in [*old_keys, new_key]}
    count = 0
    for target in SEALED_COLUMNS:
        table = target.table
        pk = next(iter(table.primary_key.columns))
        blob_col = table.c[target.column]
        last: Any = None
        while True:
            stmt = select(table).where(blob_col.is_not(None)).order_by(pk).limit(BATCH)
            if last is not None:
                stmt = stmt.where(pk > last)
            rows = session.execute(stmt).all()
            if not rows:
                break
            changes = []
            for row in rows:
                blob = getattr(row, target.column)
                key = by_id.get(bytes(blob[1:5]))
                if key is None:
                    raise ConfigError(
                        f"{table.name} {getattr(row, pk.name)}: sealed under an unknown key; "
                        "supply that key (SIJILL_KEY) before rotating"
                    )
                if key is new_key:
                    continue
                aad = target.aad(row)
                value = unseal(blob, aad=aad, key=key)
                changes.append(
                    {"_pk": getattr(row, pk.name), "_blob": seal(value, aad=aad, key=new_key)}
                )
                count += 1
            if changes:
                session.execute(
                    update(table)
                    .where(pk == bindparam("_pk"))
                    .values({target.column: bindparam("_blob")}),
                    changes,
                )
            last = getattr(rows[-1], pk.name)
    return count


def _write_key(path: Path, key: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(base64.b64encode(key) + b"\n")
        handle.flush()
        os.fsync(handle.fileno())


def _read_key(path: Path) -> bytes:
    return base64.b64decode(path.read_bytes().strip())


@dataclass(frozen=True)
class Rotation:
    resealed: int
    key_file: str
    key_id: str
    retired_key_file: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "resealed": self.resealed,
            "key_file": self.key_file,
            "key_id": self.key_id,
            "retired_key_file": self.retired_key_file,
        }


def rotate_key(
    session_scope: Callable[[], Any], *, new_key_file: Path | None = None, destroy_old: bool = False
) -> Rotation:
    """Rotate the field key. ``session_scope()`` must give a committing transaction context.

    With ``$SIJILL_KEY`` set, the new key goes to ``new_key_file`` (required) and the caller must
    point ``$SIJILL_KEY``/``$SIJILL_KEY_FILE`` at it afterwards.
    """
    from_env = bool(os.environ.get("SIJILL_KEY"))
    if from_env and new_key_file is None:
        raise ConfigError("the key comes from $SIJILL_KEY: give --new-key-file for the new key")
    current = load_key(create=False)
    target = new_key_file or key_path()
    pending = target.with_name(target.name + ".new")
    old_keys = [current]
    if pending.exists():  # an earlier rotation stopped after re-sealing: finish it
        new_key = _read_key(pending)
    else:
        new_key = AESGCM.generate_key(bit_length=256)
        _write_key(pending, new_key)
    with session_scope() as session:
        count = reseal_all(session, old_keys, new_key)
        index_records(session, new_key)  # the blind index is keyed from the field key
    retired: str | None = None
    current_file = key_path()
    if not from_env and current_file.exists():
        if target.resolve() == current_file.resolve():
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            old = current_file.with_name(f"{current_file.name}.retired-{stamp}")
            current_file.replace(old)
        else:
            old = current_file
        if destroy_old:
            old.write_bytes(os.urandom(64))
            old.unlink()
        else:
            retired = str(old)
    pending.replace(target)
    return Rotation(count, str(target), key_id(new_key).hex(), retired)
