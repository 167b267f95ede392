"""The same linkage on Spark's local mode (needs pyspark and Java): `sijill link --engine spark`."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

from sijill.linkage.evaluate import pairwise_scores
from tests.conftest import need
from tests.linkage.helpers import import_synthetic, sijill, sijill_json

# Spark local mode takes about a minute on an idle 2-core machine, several when it is busy.
pytestmark = [pytest.mark.spark, pytest.mark.slow]


def _people(db: str) -> dict[tuple[str, str], str]:
    import csv
    import io

    result = sijill("export", "records", "--format", "csv", db=db)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    return {(r["source"], r["record_id"]): r["person_id"] for r in rows if r["person_id"]}


def test_spark_engine_links_like_duckdb(sqlite_case_url: str, tmp_path: Path) -> None:
    need(shutil.which("java"), "Java (for Spark)")
    need(importlib.util.find_spec("pyspark"), "pyspark (pip install -e '.[spark]')")
    import_synthetic(sqlite_case_url, tmp_path, n_people=50, n_lists=3, seed=21)
    spark_doc = sijill_json("link", "--engine", "spark", db=sqlite_case_url)
    assert spark_doc["engine"] == "spark"
    assert 0 < spark_doc["people"] <= spark_doc["records"]
    spark_people = _people(sqlite_case_url)

    duck_doc = sijill_json("link", "--engine", "duckdb", db=sqlite_case_url)
    duck_people = _people(sqlite_case_url)
    assert duck_doc["records"] == spark_doc["records"]
    agreement = pairwise_scores(spark_people, duck_people)
    assert agreement.f1 >= 0.95, agreement.as_dict()
