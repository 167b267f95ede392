"""The content-addressed store: originals named by SHA-256, written once, never modified.

Layout under the vault folder::

    originals/sha256/ab/cd/<hash>   read-only originals (mode 0444)
    working/<item id>/<name>         working copies, made on request, never read back as evidence
    log/checkpoint                   the latest signed checkpoint (a copy outside the database)
    tmp/                             partial writes; a crash leaves only files here

A file is copied and hashed in one streaming pass (1 MiB chunks), flushed and fsync'ed under a
temporary name, then renamed into place, so an original is either complete or absent.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

CHUNK = 1 << 20


@dataclass(frozen=True)
class Stored:
    """What the vault knows of a file it has preserved."""

    sha256: str
    size: int
    path: Path
    head: bytes  # the first bytes, for content sniffing
    already_present: bool


def original_path(vault: Path, sha256: str) -> Path:
    """Where the original with this SHA-256 lives."""
    return vault / "originals" / "sha256" / sha256[:2] / sha256[2:4] / sha256


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def store_file(vault: Path, source: Path, *, head_bytes: int = 8192) -> Stored:
    """Copy ``source`` into the vault under its SHA-256, atomically; memory stays constant."""
    tmp_dir = vault / "tmp"
    tmp_dir.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    head = b""
    buffer = bytearray(CHUNK)
    view = memoryview(buffer)
    fd, tmp_name = tempfile.mkstemp(dir=tmp_dir, prefix="incoming-")
    try:
        with source.open("rb", buffering=0) as reader, os.fdopen(fd, "wb", buffering=0) as writer:
            while n := reader.readinto(buffer):
                chunk = view[:n]
                digest.update(chunk)
                writer.write(chunk)
                if len(head) < head_bytes:
                    head += bytes(chunk[: head_bytes - len(head)])
                size += n
            os.fsync(writer.fileno())
        sha = digest.hexdigest()
        final = original_path(vault, sha)
        if final.exists():
            os.unlink(tmp_name)
            return Stored(sha, size, final, head, already_present=True)
        final.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(tmp_name, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
        os.replace(tmp_name, final)
        _fsync_dir(final.parent)
        return Stored(sha, size, final, head, already_present=False)
    except BaseException:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
        raise


def hash_file(path: Path) -> tuple[str, int]:
    """(SHA-256, size) of a file, streamed in 1 MiB chunks."""
    digest = hashlib.sha256()
    size = 0
    buffer = bytearray(CHUNK)
    view = memoryview(buffer)
    with path.open("rb", buffering=0) as reader:
        while n := reader.readinto(buffer):
            digest.update(view[:n])
            size += n
    return digest.hexdigest(), size


def make_working_copy(vault: Path, sha256: str, item_id: str, name: str) -> Path:
    """Copy an original to ``working/<item id>/<name>`` (writable); the original is untouched."""
    target = vault / "working" / item_id / Path(name).name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(original_path(vault, sha256), target)
    os.chmod(target, stat.S_IRUSR | stat.S_IWUSR)
    return target
