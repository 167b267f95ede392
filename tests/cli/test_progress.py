"""The command line's long commands report progress through the one protocol the jobs use
(``report(progress, message)``): a Rich bar on a terminal, nothing at all elsewhere, so
``sijill link`` and ``sijill link --json`` keep their output clean when piped."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

from rich.console import Console

from sijill.cli import progress as cli_progress

LIST = """record_id,full_name,sex,age
a1,Samir Progressbar Fictional,M,30
a2,Samir Progressbar Fictional,M,30
a3,Huda Progressbar Fictional,F,41
"""


def _sijill(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SIJILL_DATABASE_URL": f"sqlite:///{cwd / 'case.db'}"}
    return subprocess.run(
        [sys.executable, "-m", "sijill.cli.main", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_link_piped_prints_clean_output(tmp_path: Path) -> None:
    (tmp_path / "list.csv").write_text(LIST, encoding="utf-8")
    assert _sijill("init", cwd=tmp_path).returncode == 0
    imported = _sijill("import", "records", "list.csv", "--source", "Bar list", cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    linked = _sijill("link", "--json", cwd=tmp_path)
    assert linked.returncode == 0, linked.stderr
    doc = json.loads(linked.stdout)  # one JSON document, nothing else on stdout
    assert doc["records"] == 3 and doc["people"] == 2
    assert "\x1b[" not in linked.stderr and "linking records" not in linked.stderr
    plain = _sijill("link", cwd=tmp_path)
    assert plain.returncode == 0, plain.stderr
    assert "3 records -> 2 people" in plain.stderr and "\x1b[" not in plain.stderr


def test_the_bar_shows_each_stage_on_a_terminal(monkeypatch: object) -> None:
    screen = io.StringIO()
    terminal = Console(file=screen, force_terminal=True, width=100)
    monkeypatch.setattr(cli_progress, "console", terminal)  # type: ignore[attr-defined]
    monkeypatch.setattr(cli_progress.sys.stderr, "isatty", lambda: True)  # type: ignore[attr-defined]
    with cli_progress.progress_bar("linking records") as report:
        report(0.5, "scoring 3 records")
        report(1.0, "writing people")
    assert "linking records" in screen.getvalue()
