"""Concurrent intake: appends are serialized, the log stays gap-free and verifiable."""

from __future__ import annotations

import threading
from pathlib import Path

from sijill.evidence.custody import latest_checkpoint, publish_checkpoint
from sijill.evidence.intake import Collection, add_files
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
