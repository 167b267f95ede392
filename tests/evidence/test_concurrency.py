"""Concurrent intake: appends are serialized, the log stays gap-free and verifiable, and the
kept checkpoints (witness, vault copy) only move forward across processes."""

from __future__ import annotations

import stat
import subprocess
import sys
import threading
from pathlib import Path

from sijill.evidence.custody import (
    checkpoint_copy_path,
    latest_checkpoint,
    note_size,
    publish_checkpoint,
    witness_path,
)
from sijill.evidence.intake import Collection, add_files
from sijill.evidence.signing import load_signing_key
from sijill.evidence.verify import verify
from sijill.store.engine import get_engine, session_factory, transaction


def test_parallel_batches_keep_the_log_intact(
    case_url: str, vault_env: Path, tmp_path: Path
) -> None:
    files = []
    for n in range(8):
        path = tmp_path / f"statement-{n}-fictional.txt"
        path.write_text(f"Synthetic statement number {n}.\n")
        files.append(path)
    errors: list[BaseException] = []

    def worker(batch: list[Path]) -> None:
        try:
            for path in batch:
                with transaction(case_url) as session:
                    add_files(
                        session,
                        vault_env,
                        [path],
                        Collection(source="Fictional NGO", collector="Q (fictional)"),
                    )
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(files[i::2],)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with session_factory(get_engine(case_url))() as session:
        checkpoint = latest_checkpoint(session)
        assert checkpoint is not None and checkpoint.tree_size == 8
        publish_checkpoint(vault_env, checkpoint)
        report = verify(session, vault_env)
    assert report.problems == []
    assert report.items == 8 and report.entries == 8


#: One process publishing checkpoints of every other size, from ``first`` below ``last``, as
#: fast as it can once the ``go`` file appears.
PUBLISHER = """
import sys
from pathlib import Path
from sijill.evidence.custody import publish_checkpoint
from sijill.evidence.models import Checkpoint
from sijill.evidence.signing import (
    checkpoint_text, load_signing_key, log_origin, public_bytes, sign_note,
)
vault, first, last, go = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4])
key = load_signing_key(create=False)
origin = log_origin(public_bytes(key))
notes = [(n, sign_note(checkpoint_text(origin, n, bytes(32)), key)) for n in range(first, last, 2)]
while not go.exists():
    pass
for n, note in notes:
    publish_checkpoint(vault, Checkpoint(tree_size=n, note=note))
"""


def test_two_processes_publishing_at_once_never_regress_the_witness(
    vault_env: Path, tmp_path: Path
) -> None:
    """Two intakes finishing together each publish their checkpoint; whichever comes last, the
    witness and the vault's copy keep the newest, and no temporary file is left behind."""
    load_signing_key()  # made once, before the writers start
    go = tmp_path / "go"
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", PUBLISHER, str(vault_env), str(first), "401", str(go)],
            stderr=subprocess.PIPE,
            text=True,
        )
        for first in (1, 2)
    ]
    go.touch()
    for writer in writers:
        _, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err
    for path in (witness_path(), checkpoint_copy_path(vault_env)):
        assert note_size(path.read_text("utf-8")) == 400, path
        assert [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")] == []
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
