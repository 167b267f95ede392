"""The content-addressed store: originals named by SHA-256, written once, never modified.

Layout under the vault folder::

    originals/sha256/ab/cd/<hash>   read-only originals (mode 0444)
    working/<item id>/<name>         working copies, made on request, never read back as evidence
    log/checkpoint                   the latest signed checkpoint (a copy outside the database)
    tmp/                             partial writes; a crash leaves only files here

A file is copied and hashed in one streaming pass (1 MiB chunks, hashed on a second thread),
flushed and fsync'ed under a temporary name, then renamed into place, so an original is either
complete or absent.
"""

from __future__ import annotations

import hashlib
import os
import queue
import shutil
import stat
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

CHUNK = 1 << 20
BUFFERS = 4  # chunks in flight between the copier and the hasher
HEAD_BYTES = 8192  # kept for content sniffing


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


class _Hasher(threading.Thread):
    """Hashes chunks on a second core while the caller copies them; buffers come back to the
    caller's free pool once hashed, so a buffer is never refilled before it was hashed and
    written (the caller writes a buffer before it takes the next free one)."""

    def __init__(self, free: queue.SimpleQueue[bytearray]) -> None:
        super().__init__(daemon=True)
        self.digest = hashlib.sha256()
        self.todo: queue.SimpleQueue[tuple[bytearray, int] | None] = queue.SimpleQueue()
        self.free = free

    def run(self) -> None:
        while (job := self.todo.get()) is not None:
            buffer, n = job
            self.digest.update(memoryview(buffer)[:n])
            self.free.put(buffer)


def _copy_and_hash(reader: BinaryIO, writer: BinaryIO) -> tuple[str, int, bytes]:
    """Copy ``reader`` to ``writer`` in 1 MiB chunks, hashing in parallel; constant memory."""
    free: queue.SimpleQueue[bytearray] = queue.SimpleQueue()
    for _ in range(BUFFERS):
        free.put(bytearray(CHUNK))
    hasher = _Hasher(free)
    hasher.start()
    size, head = 0, b""
    try:
        while True:
            buffer = free.get()
            n = reader.readinto(buffer)  # type: ignore[attr-defined]
            if not n:
                break
            hasher.todo.put((buffer, n))
            writer.write(memoryview(buffer)[:n])
            if not head:
                head = bytes(buffer[:HEAD_BYTES])[:n]
            size += n
    finally:
        hasher.todo.put(None)
        hasher.join()
    return hasher.digest.hexdigest(), size, head


def store_file(vault: Path, source: Path) -> Stored:
    """Copy ``source`` into the vault under its SHA-256, atomically; memory stays constant."""
    tmp_dir = vault / "tmp"
    tmp_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=tmp_dir, prefix="incoming-")
    try:
        with source.open("rb", buffering=0) as reader, os.fdopen(fd, "wb", buffering=0) as writer:
            sha, size, head = _copy_and_hash(reader, writer)
            os.fsync(writer.fileno())
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
