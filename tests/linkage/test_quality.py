"""Pairwise precision, recall and F1 of `sijill link` against the truth of synthetic lists.

The lists go through the real importer and the real command; only the truth is extra.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from sijill.linkage.evaluate import pairwise_scores
from tests.linkage.helpers import import_synthetic, sijill, sijill_json


def _f1(db: str, truth: dict[tuple[str, str], str]) -> dict[str, float | int]:
    exported = sijill("export", "records", "--format", "csv", db=db)
    rows = list(csv.DictReader(io.StringIO(exported.stdout)))
    predicted = {(r["source"], r["record_id"]): r["person_id"] for r in rows if r["person_id"]}
    return pairwise_scores(predicted, truth).as_dict()


def test_small_case_links_well(sqlite_case_url: str, tmp_path: Path) -> None:
    truth = import_synthetic(sqlite_case_url, tmp_path, n_people=300, n_lists=4, seed=101)
    sijill_json("link", db=sqlite_case_url)
    scores = _f1(sqlite_case_url, truth)
    print("300 people, 4 lists:", scores)
    assert scores["f1"] >= 0.95, scores


@pytest.mark.slow
def test_1500_people_over_5_lists(sqlite_case_url: str, tmp_path: Path) -> None:
    truth = import_synthetic(sqlite_case_url, tmp_path, n_people=1500, n_lists=5, seed=2027)
    sijill_json("link", db=sqlite_case_url)
    scores = _f1(sqlite_case_url, truth)
    print("1500 people, 5 lists:", scores)
    assert scores["f1"] >= 0.95, scores
    assert scores["precision"] >= 0.96, scores
