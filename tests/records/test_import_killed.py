"""An import killed mid-way (SIGKILL at random points) leaves the database exactly as before."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.records.helpers import FICTIONAL_ROWS, run_cli, snapshot, write_csv

# In the slow suite (run by `make test` too): it kills imports at many random points
# (about a minute per engine).
pytestmark = pytest.mark.slow

KILLS_PER_ENGINE = 6


def _big_list(path: Path, rows: int) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        handle.write("record_id,full_name,sex,age,date_of_death,place_of_death\n")
        for i in range(rows):
            handle.write(
                f"k{i},محمد علي المثالي {i},M,{20 + i % 60},2025-03-0{7 + i % 3},قرية {i % 40}\n"
            )
    return path


def test_sigkill_at_random_points_leaves_database_as_before(db_url: str, tmp_path: Path) -> None:
    first = write_csv(tmp_path / "first.csv", FICTIONAL_ROWS)
    assert (
        run_cli(
            "import", "records", str(first), "--source", "First", db=db_url, cwd=tmp_path
        ).returncode
        == 0
    )
    before = snapshot(db_url)
    big = _big_list(tmp_path / "big.csv", 250_000)
    rng = random.Random(20250308)
    env = {**os.environ, "SIJILL_KEY_FILE": str(tmp_path / "k")}
    killed_mid_way = 0
    for attempt in range(KILLS_PER_ENGINE):
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "sijill.cli.main",
                "import",
                "records",
                str(big),
                "--source",
                f"Big {attempt}",
                "--db",
                db_url,
            ],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.7, 3.5))
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            killed_mid_way += 1
        proc.wait()
        if proc.returncode == 0:
            # It finished before the kill: undo by starting from a fresh expectation.
            before = snapshot(db_url)
            continue
        assert snapshot(db_url) == before, f"attempt {attempt}: database changed after SIGKILL"
    assert killed_mid_way >= KILLS_PER_ENGINE // 2
    # The case still works after the kills.
    again = run_cli("import", "records", str(big), "--source", "Big final", db=db_url, cwd=tmp_path)
    assert again.returncode == 0, again.stderr
