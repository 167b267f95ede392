"""The log's Ed25519 signing key (kept outside the database) and C2SP signed notes.

The key file is ``$SIJILL_SIGNING_KEY_FILE``, else ``sijill-signing.key`` in the working folder,
created on first use with mode 0600 and holding the base64 32-byte private seed. Checkpoints are
signed notes (https://c2sp.org/signed-note) naming the log by an origin derived from the key.
"""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from sijill.errors import ConfigError
from sijill.evidence.verify_bundle import ED25519_ALG, SIGNATURE_PREFIX, note_key_id


def signing_key_path() -> Path:
    return Path(os.environ.get("SIJILL_SIGNING_KEY_FILE", "sijill-signing.key"))


def load_signing_key(create: bool = True) -> Ed25519PrivateKey:
    """The log's private key; created (0600) when absent and ``create`` is true."""
    path = signing_key_path()
    if not path.exists():
        if not create:
            raise ConfigError(f"no signing key: {path} does not exist")
        path.parent.mkdir(parents=True, exist_ok=True)
        seed = os.urandom(32)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(base64.b64encode(seed) + b"\n")
    seed = base64.b64decode(path.read_bytes().strip())
    if len(seed) != 32:
        raise ConfigError(f"{path}: the signing key must be 32 bytes (base64-encoded)")
    return Ed25519PrivateKey.from_private_bytes(seed)


def public_bytes(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def log_origin(public_key: bytes) -> str:
    """The log's name: unique per signing key, so checkpoints of two cases never mix."""
    return f"sijill.custody/{hashlib.sha256(public_key).hexdigest()[:16]}"


def verifier_key(public_key: bytes) -> str:
    """The note verifier key ``<name>+<hex key id>+<base64(0x01 || key)>`` to publish or bundle."""
    name = log_origin(public_key)
    blob = base64.b64encode(bytes([ED25519_ALG]) + public_key).decode()
    return f"{name}+{note_key_id(name, public_key).hex()}+{blob}"


def checkpoint_text(origin: str, size: int, root: bytes) -> str:
    """The body of a C2SP checkpoint: origin, tree size, base64 root hash, one per line."""
    return f"{origin}\n{size}\n{base64.b64encode(root).decode()}\n"


def sign_note(text: str, key: Ed25519PrivateKey) -> str:
    """A signed note: ``text``, a blank line, and one signature line by the log's key."""
    if not text.endswith("\n"):
        raise ValueError("a note's text ends with a newline")
    public = public_bytes(key)
    name = log_origin(public)
    signature = key.sign(text.encode())
    blob = base64.b64encode(note_key_id(name, public) + signature).decode()
    return f"{text}\n{SIGNATURE_PREFIX}{name} {blob}\n"
