"""Sealing restricted originals at rest with age (https://age-encryption.org, via ``pyrage``).

With ``SIJILL_SEAL_RESTRICTED=1``, a file first preserved for a restricted item is kept in the
vault only as ``<sha256>.age``, encrypted to the vault's X25519 identity, which lives outside
the vault: ``$SIJILL_VAULT_KEY_FILE``, else ``sijill-vault.key`` beside the signing key (mode
0600, created on first use). The item keeps the SHA-256 of the plaintext, so ``verify`` still
proves integrity: it decrypts the file as a stream and hashes what comes out. Destroying the
identity destroys the sealed originals (crypto-shredding).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import BinaryIO

import pyrage  # type: ignore[import-untyped]

from sijill.errors import ConfigError
from sijill.evidence.signing import signing_key_path


def enabled() -> bool:
    """Are restricted originals sealed at intake (``SIJILL_SEAL_RESTRICTED=1``)?"""
    return os.environ.get("SIJILL_SEAL_RESTRICTED", "") == "1"


def identity_path() -> Path:
    explicit = os.environ.get("SIJILL_VAULT_KEY_FILE")
    return Path(explicit) if explicit else signing_key_path().with_name("sijill-vault.key")


def load_identity(create: bool = False) -> pyrage.x25519.Identity:
    """The vault's age identity; created (0600) when absent and ``create`` is true."""
    path = identity_path()
    if not path.exists():
        if not create:
            raise ConfigError(f"no vault key: {path} does not exist (sealed originals need it)")
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(str(pyrage.x25519.Identity.generate()) + "\n")
    try:
        return pyrage.x25519.Identity.from_str(path.read_text("utf-8").strip())
    except pyrage.IdentityError:
        raise ConfigError(f"{path}: not an age X25519 identity") from None


def seal(plain: Path, sealed: Path) -> None:
    """Encrypt ``plain`` to ``sealed`` (a stream; the caller renames it into place)."""
    recipient = load_identity(create=True).to_public()
    with plain.open("rb") as reader, sealed.open("wb") as writer:
        pyrage.encrypt_io(reader, writer, [recipient])
        writer.flush()
        os.fsync(writer.fileno())


class _Hashing:
    """A writer that only hashes and counts (the plaintext is never kept)."""

    def __init__(self) -> None:
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        pass


def hash_sealed(sealed: Path) -> tuple[str, int]:
    """(SHA-256, size) of the plaintext of a sealed original, decrypted as a stream."""
    hashing = _Hashing()
    decrypt_to(sealed, hashing)  # type: ignore[arg-type]
    return hashing.digest.hexdigest(), hashing.size


def decrypt_to(sealed: Path, writer: BinaryIO) -> None:
    """Write the plaintext of a sealed original to ``writer``."""
    identity = load_identity()
    with sealed.open("rb") as reader:
        try:
            pyrage.decrypt_io(reader, writer, [identity])
        except (pyrage.DecryptError, OSError) as exc:  # a damaged stream raises OSError
            raise ConfigError(f"{sealed}: cannot be decrypted with the vault key ({exc})") from None
