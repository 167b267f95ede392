"""Encryption of sensitive fields at rest (AES-256-GCM), bound to the record and field.

The key never lives in the database: it comes from ``$SIJILL_KEY`` (base64, 32 bytes) or the
file named by ``$SIJILL_KEY_FILE`` (default ``sijill.key`` beside the working folder, created on
first use with mode 0600). Each sealed value starts with a one-byte format version and a key id,
so keys can be rotated and old values re-sealed.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from sijill.errors import ConfigError

FORMAT_V1 = 1
NONCE_BYTES = 12


def key_path() -> Path:
    return Path(os.environ.get("SIJILL_KEY_FILE", "sijill.key"))


def load_key(create: bool = True) -> bytes:
    """The field-encryption key from the environment or the key file."""
    env = os.environ.get("SIJILL_KEY")
    if env:
        key = base64.b64decode(env)
    else:
        path = key_path()
        if not path.exists():
            if not create:
                raise ConfigError(
                    f"no encryption key: {path} does not exist and $SIJILL_KEY is unset"
                )
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(base64.b64encode(AESGCM.generate_key(bit_length=256)) + b"\n")
        key = base64.b64decode(path.read_bytes().strip())
    if len(key) != 32:
        raise ConfigError("the encryption key must be 32 bytes (base64-encoded)")
    return key


def key_id(key: bytes) -> bytes:
    """Four bytes naming a key (a hash prefix; never the key itself)."""
    return hashlib.sha256(b"sijill-key-id" + key).digest()[:4]


def seal(value: Any, *, aad: str, key: bytes | None = None) -> bytes:
    """Encrypt a JSON value bound to ``aad`` (e.g. ``records:<source>:<id>:sealed``)."""
    key = key or load_key()
    nonce = os.urandom(NONCE_BYTES)
    plaintext = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
    ciphertext = AESGCM(key).encrypt(nonce, plaintext, aad.encode())
    return bytes([FORMAT_V1]) + key_id(key) + nonce + ciphertext


def unseal(blob: bytes, *, aad: str, key: bytes | None = None) -> Any:
    """Decrypt a value sealed by :func:`seal`; fails if the record, field or key differ."""
    key = key or load_key(create=False)
    if not blob or blob[0] != FORMAT_V1:
        raise ConfigError("unknown sealed-value format")
    if blob[1:5] != key_id(key):
        raise ConfigError("this value was sealed with another key (rotate or supply the old key)")
    nonce = blob[5 : 5 + NONCE_BYTES]
    plaintext = AESGCM(key).decrypt(nonce, blob[5 + NONCE_BYTES :], aad.encode())
    return json.loads(plaintext)


def record_aad(source_id: int, record_id: str) -> str:
    """The associated data that binds a record's sealed fields to that record."""
    return f"records:{source_id}:{record_id}:sealed"
