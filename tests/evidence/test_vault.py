"""The content-addressed store: atomic, read-only, deduplicated, constant memory."""

from __future__ import annotations

import hashlib
import os
import stat
import tracemalloc
from pathlib import Path

from sijill.evidence.vault import hash_file, make_working_copy, original_path, store_file


def test_store_names_file_by_sha256_read_only(tmp_path: Path) -> None:
    source = tmp_path / "statement-fictional.txt"
    source.write_bytes(b"synthetic statement\n")
    stored = store_file(tmp_path / "vault", source)
    digest = hashlib.sha256(b"synthetic statement\n").hexdigest()
    assert stored.sha256 == digest and stored.size == 20
    assert (
        stored.path
        == tmp_path / "vault" / "originals" / "sha256" / digest[:2] / digest[2:4] / digest
    )
    assert stored.path.read_bytes() == source.read_bytes()
    assert stat.S_IMODE(stored.path.stat().st_mode) == 0o400
    assert list((tmp_path / "vault" / "tmp").iterdir()) == []


def test_same_content_is_stored_once(tmp_path: Path) -> None:
    a, b = tmp_path / "a.bin", tmp_path / "b.bin"
    a.write_bytes(b"x" * 1000)
    b.write_bytes(b"x" * 1000)
    first = store_file(tmp_path / "v", a)
    second = store_file(tmp_path / "v", b)
    assert not first.already_present and second.already_present
    assert first.path == second.path
    assert list((tmp_path / "v" / "tmp").iterdir()) == []


def test_working_copy_is_apart_from_the_original(tmp_path: Path) -> None:
    source = tmp_path / "photo.bin"
    source.write_bytes(os.urandom(4096))
    vault = tmp_path / "v"
    stored = store_file(vault, source)
    copy = make_working_copy(vault, stored.sha256, "item-1", "photo.bin")
    copy.write_bytes(b"edited working copy")
    assert hash_file(original_path(vault, stored.sha256)) == (stored.sha256, 4096)
    assert copy.parent == vault / "working" / "item-1"


def test_memory_does_not_grow_with_file_size(tmp_path: Path) -> None:
    """A 64 MiB file is copied and hashed with a few MiB of Python memory at most."""
    big = tmp_path / "big.bin"
    with big.open("wb") as handle:
        for _ in range(64):
            handle.write(os.urandom(1 << 20))
    tracemalloc.start()
    stored = store_file(tmp_path / "v", big)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert stored.size == 64 << 20
    assert peak < 8 << 20  # four 1 MiB buffers in flight
