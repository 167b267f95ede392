"""Regression: two releases of a real casualty list, imported and linked through the CLI.

The lists are read from ``real-lists/`` in the shared data folder (``tests/shared_data.py``);
they are evaluation data, and nothing of them is copied into the repository. The test fails,
never skips, when they are missing.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from sijill.linkage.evaluate import pairwise_scores
from tests.linkage.helpers import sijill, sijill_json
from tests.shared_data import SHARED_DATA

# Measured on this pair of releases: F1 0.973 (precision 0.956, recall 0.991), 16,416 people
# for 16,480. The floors sit a little under.
MIN_PRECISION = 0.945
MIN_RECALL = 0.98
MIN_F1 = 0.965
PEOPLE_WITHIN = 0.015


def _real_lists() -> Path:
    folder = SHARED_DATA / "real-lists"
    assert (folder / "truth.csv").is_file(), f"{folder} holds no truth.csv"
    return folder


@pytest.mark.slow  # links 18,718 real records through the command line: about 20 s
def test_two_real_releases_link_well(sqlite_case_url: str) -> None:
    folder = _real_lists()
    releases = sorted(folder.glob("release_*.csv"))
    assert len(releases) == 2
    for path in releases:
        doc = sijill_json(
            "import",
            "records",
            str(path),
            "--source",
            path.stem,
            "--map",
            "name=full_name",
            db=sqlite_case_url,
        )
        assert doc["imported"] > 0
    linked = sijill_json("link", db=sqlite_case_url)
    assert linked["rules"]["prior_rule"] != "fixed"
    exported = sijill("export", "records", "--format", "csv", db=sqlite_case_url)
    assert exported.exit_code == 0, exported.stderr
    predicted = {
        (r["source"], r["record_id"]): r["person_id"]
        for r in csv.DictReader(io.StringIO(exported.stdout))
    }
    with (folder / "truth.csv").open(encoding="utf-8", newline="") as handle:
        truth = {(r["source"], r["record_id"]): r["person_id"] for r in csv.DictReader(handle)}
    assert set(truth) <= set(predicted)  # every record imported
    scores = pairwise_scores(predicted, truth)
    assert scores.precision >= MIN_PRECISION, scores.as_dict()
    assert scores.recall >= MIN_RECALL, scores.as_dict()
    assert scores.f1 >= MIN_F1, scores.as_dict()
    people = len(set(truth.values()))
    assert abs(linked["people"] - people) <= PEOPLE_WITHIN * people
