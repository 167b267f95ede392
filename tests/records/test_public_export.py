"""The public records export never names a minor (issue 21's naming rules; invented names)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from tests.records.helpers import run_cli, write_csv


def test_the_public_export_never_names_a_minor(db_url: str, tmp_path: Path) -> None:
    rows = [
        {"record_id": "1", "full_name": "Testan Adult Zakour", "age": "40"},
        {"record_id": "2", "full_name": "Testan Child Zakour", "age": "9"},
        {"record_id": "3", "full_name": "Testan Maybe Zakour", "age": "15-25"},
    ]
    path = write_csv(tmp_path / "list.csv", rows)
    imported = run_cli(
        "import", "records", str(path), "--source", "P", "--access", "public", db=db_url,
        cwd=tmp_path,
    )  # fmt: skip
    assert imported.returncode == 0, imported.stderr
    for public in (True, False):
        out = tmp_path / f"export-{public}.csv"
        flags = ["--public"] if public else []
        done = run_cli("export", "records", *flags, "--out", str(out), db=db_url, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        names = {r["record_id"]: r["full_name"] for r in csv.DictReader(out.open(encoding="utf-8"))}
        text = out.read_text(encoding="utf-8")
        assert names["1"] == "Testan Adult Zakour"
        if public:
            assert names["2"] == names["3"] == ""
            assert "Child" not in text and "Maybe" not in text
            manifest = json.loads(Path(f"{out}.manifest.json").read_text(encoding="utf-8"))
            assert manifest["withheld"]["minors_names"] == 2
        else:
            assert names["2"] == "Testan Child Zakour"
