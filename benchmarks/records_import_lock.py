"""How long an import holds SQLite's write lock, against how long it runs (issue 19, item 5).

A fictional list is imported in a separate process into a fresh SQLite case; meanwhile this
process tries a write (``BEGIN IMMEDIATE``, no waiting) every 20 ms and records the spans in
which no write could get in: the longest is what a sign-in during the import waits for.
``--src`` picks the source tree to run (say the main checkout's, for the figures before).

    .venv/bin/python benchmarks/records_import_lock.py [--rows 200000] [--src DIR]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from machine import describe, write_section  # noqa: E402
from records_import import write_list  # noqa: E402

SRC = Path(__file__).resolve().parents[1] / "src"


def measure(rows: int, src: Path) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        data, db = folder / "list.csv", folder / "case.db"
        write_list(data, rows)
        env = {**os.environ, "PYTHONPATH": str(src), "SIJILL_KEY_FILE": str(folder / "key")}
        cli = [sys.executable, "-m", "sijill.cli.main"]
        subprocess.run([*cli, "init", "--db", f"sqlite:///{db}"], env=env, check=True)
        started = time.perf_counter()
        job = subprocess.Popen(
            [*cli, "import", "records", str(data), "--source", "L", "--db", f"sqlite:///{db}"],
            env=env,
            stdout=subprocess.DEVNULL,
        )
        probe = sqlite3.connect(db, timeout=0, isolation_level=None)
        locked_since: float | None = None
        longest = locked_total = 0.0
        while job.poll() is None:
            now = time.perf_counter()
            try:
                probe.execute("BEGIN IMMEDIATE")
                probe.execute("COMMIT")
                if locked_since is not None:
                    longest = max(longest, now - locked_since)
                    locked_total += now - locked_since
                    locked_since = None
            except sqlite3.OperationalError:
                locked_since = locked_since if locked_since is not None else now
            time.sleep(0.02)
        seconds = time.perf_counter() - started
        if locked_since is not None:
            longest = max(longest, seconds - (locked_since - started))
            locked_total += seconds - (locked_since - started)
        probe.close()
        assert job.returncode == 0, "the import failed"
        return {"seconds": seconds, "longest": longest, "locked": locked_total}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--src", type=Path, default=SRC)
    parser.add_argument("--before", type=Path, help="a source tree to measure as 'before'")
    args = parser.parse_args()
    machine = describe()
    lines = [
        f"Machine: {machine}",
        f"List: {args.rows:,} fictional rows (records_import.py's generator), SQLite (WAL).",
        "",
        "| code | import s | write lock held s (total) | longest wait for a write s |",
        "| --- | ---: | ---: | ---: |",
    ]
    for label, src in (("before", args.before), ("after", args.src)):
        if src is None:
            continue
        got = measure(args.rows, src)
        print(label, got, flush=True)
        lines.append(
            f"| {label} | {got['seconds']:.1f} | {got['locked']:.1f} | {got['longest']:.1f} |"
        )
    write_section(
        "Casualty-list import: the SQLite write lock (records_import_lock.py)", "\n".join(lines)
    )


if __name__ == "__main__":
    main()
