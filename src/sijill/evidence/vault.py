"""The content-addressed store: originals named by SHA-256, written once, never modified.

Layout under the vault folder::

    originals/sha256/ab/cd/<hash>   read-only originals (mode 0400)
    originals/sha256/ab/cd/<hash>.age   or sealed with age (restricted, see ``atrest``)
    working/<item id>/<name>         working copies, made on request, never read back as evidence
    log/checkpoint                   the latest signed checkpoint (a copy outside the database)
    tmp/                             partial writes; a crash leaves only files here

A file is copied and hashed in one streaming pass (1 MiB chunks, hashed on a second thread),
flushed and fsync'ed under a temporary name, then renamed into place, so an original is either
complete or absent. Files and folders are the owner's only (0400/0600 files, 0700 folders).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import queue
import shutil
import stat
import tempfile
import threading
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from sijill.evidence import atrest

CHUNK = 1 << 20
BUFFERS = 4  # chunks in flight between the copier and the hasher
HEAD_BYTES = 8192  # kept for content sniffing
SEALED_SUFFIX = ".age"


@dataclass(frozen=True)
class Stored:
    """What the vault knows of a file it has preserved."""

    sha256: str
    size: int
    path: Path
    head: bytes  # the first bytes, for content sniffing
    already_present: bool


def original_path(vault: Path, sha256: str) -> Path:
    """Where the original with this SHA-256 lives (in clear)."""
    return vault / "originals" / "sha256" / sha256[:2] / sha256[2:4] / sha256


def sealed_path(vault: Path, sha256: str) -> Path:
    """Where the original with this SHA-256 lives when it is sealed at rest."""
    return original_path(vault, sha256).with_name(sha256 + SEALED_SUFFIX)


def stored_original(vault: Path, sha256: str) -> Path | None:
    """The file holding this original (in clear, else sealed), None when neither exists."""
    for path in (original_path(vault, sha256), sealed_path(vault, sha256)):
        if path.is_file():
            return path
    return None


def hash_original(path: Path) -> tuple[str, int]:
    """(SHA-256, size) of an original's content, decrypting a sealed one as a stream."""
    return atrest.hash_sealed(path) if path.name.endswith(SEALED_SUFFIX) else hash_file(path)


def copy_original(vault: Path, sha256: str, target: Path) -> None:
    """Copy an original's content to ``target`` (decrypted if sealed)."""
    path = stored_original(vault, sha256)
    if path is None:
        raise FileNotFoundError(original_path(vault, sha256))
    if path.name.endswith(SEALED_SUFFIX):
        with target.open("wb") as writer:
            atrest.decrypt_to(path, writer)
    else:
        shutil.copyfile(path, target)


def seal_original(vault: Path, sha256: str) -> Path:
    """Replace the clear original by its sealed form (atomic rename, then the clear file is
    removed); returns the sealed path."""
    plain, sealed = original_path(vault, sha256), sealed_path(vault, sha256)
    fd, tmp_name = tempfile.mkstemp(dir=vault / "tmp", prefix="sealing-")
    os.close(fd)
    try:
        atrest.seal(plain, Path(tmp_name))
        os.chmod(tmp_name, stat.S_IRUSR)
        os.replace(tmp_name, sealed)
    except BaseException:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
        raise
    os.chmod(plain, stat.S_IRUSR | stat.S_IWUSR)
    os.unlink(plain)
    _fsync_dir(sealed.parent)
    return sealed


def remove_files(vault: Path, item_id: str, sha256: str | None) -> None:
    """Delete an item's working copies and, with ``sha256``, its original (clear and sealed);
    what is already gone is skipped."""
    for path in (original_path(vault, sha256), sealed_path(vault, sha256)) if sha256 else ():
        if path.is_file():
            os.unlink(path)
            _fsync_dir(path.parent)
    shutil.rmtree(vault / "working" / item_id, ignore_errors=True)


def private_dir(path: Path) -> None:
    """Create ``path`` and any missing parents with mode 0700 (owner only)."""
    missing = []
    while not path.exists():
        missing.append(path)
        path = path.parent
    for folder in reversed(missing):
        try:
            os.mkdir(folder, 0o700)
        except FileExistsError:
            pass


def write_private(path: Path, text: str) -> None:
    """Replace ``path`` atomically with ``text`` in a file of mode 0600, fsync'ed: written to a
    temporary file of its own in the same folder (so concurrent writers never share one), then
    renamed over ``path``."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


@contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock (``flock``) on ``<path>.lock`` (0600, kept) across processes
    while the block runs."""
    lock = path.with_name(path.name + ".lock")
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def safe_name(name: str | None, fallback: str) -> str:
    """A file name safe to write in a folder: the last part after either separator (``/`` or
    ``\\``), without control or format characters (right-to-left overrides, zero-width
    characters) and without leading dots; ``fallback`` when nothing is left."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(c for c in base if unicodedata.category(c) not in ("Cc", "Cf"))
    base = base.strip().lstrip(".").strip()
    return base or fallback


def stray_files(vault: Path, known: set[str]) -> Iterator[Path]:
    """Files under ``originals/`` that are not the original (clear or sealed) of any hash in
    ``known``."""
    root = vault / "originals"
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        sha = path.name.removesuffix(SEALED_SUFFIX)
        if path.is_file() and not (
            sha in known and path.parent == original_path(vault, sha).parent
        ):
            yield path


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
    private_dir(tmp_dir)
    fd, tmp_name = tempfile.mkstemp(dir=tmp_dir, prefix="incoming-")
    try:
        with source.open("rb", buffering=0) as reader, os.fdopen(fd, "wb", buffering=0) as writer:
            sha, size, head = _copy_and_hash(reader, writer)
            os.fsync(writer.fileno())
        final = original_path(vault, sha)
        if final.exists():
            os.unlink(tmp_name)
            return Stored(sha, size, final, head, already_present=True)
        private_dir(final.parent)
        os.chmod(tmp_name, stat.S_IRUSR)
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
    target = vault / "working" / item_id / safe_name(name, item_id)
    private_dir(target.parent)
    copy_original(vault, sha256, target)
    os.chmod(target, stat.S_IRUSR | stat.S_IWUSR)
    return target
