"""The bundled demo builds from nothing and marks every export as synthetic."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SIJILL_KEY_FILE": str(cwd / "demo" / "sijill.key")}
    env.pop("SIJILL_DEMO", None)
    return subprocess.run(
        [sys.executable, "-m", "sijill.cli.main", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def test_demo_builds_and_every_export_says_synthetic(tmp_path: Path) -> None:
    built = _cli("demo", "build", "--out", str(tmp_path / "demo"), "--json", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    summary = json.loads(built.stdout)
    assert summary["mark"] == "synthetic demo data"
    assert summary["records"] > 1000 and 0 < summary["people"] < summary["records"]
    assert summary["incidents"] > 0 and summary["evidence"] > 0

    db = f"sqlite:///{tmp_path / 'demo' / 'sijill.db'}"
    exported = _cli("export", "records", "--db", db, cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    rows = list(csv.DictReader(io.StringIO(exported.stdout)))
    assert rows and all(r["synthetic_demo_data"] == "synthetic demo data" for r in rows)
    assert all(r["person_id"] for r in rows if r["unidentified"] == "False" and r["count"] == "1")

    geo = _cli("export", "incidents", "--format", "geojson", "--db", db, cwd=tmp_path)
    assert geo.returncode == 0, geo.stderr
    assert "synthetic demo data" in geo.stdout.lower()
