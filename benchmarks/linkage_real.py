"""Linkage on two releases of a real casualty list: Sijill, plain splink and exact normalized names.

Usage: .venv/bin/python benchmarks/linkage_real.py [FOLDER]

FOLDER (default ``$SIJILL_SHARED_DATA/real-lists``) holds ``release_*.csv`` (record_id, name,
date_of_birth, sex, age) and ``truth.csv`` (source, record_id, person_id); see its README. The
data are read from there and nothing derived from them is written anywhere. One JSON document:
pairwise precision, recall and F1, people found (truth: the people in ``truth.csv``), seconds,
CPU seconds and peak memory of each method, and the machine.
"""

from __future__ import annotations

import csv
import json
import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from linkage_common import measure, plain_people, sijill_clusters
from machine import describe
from splink import Linker, SettingsCreator, block_on

from sijill.linkage.engines import duckdb_api
from sijill.linkage.evaluate import pairwise_scores
from sijill.linkage.features import RecordFacts, split_parts
from sijill.names.keys import name_key


def real_lists_folder() -> Path:
    """``$SIJILL_SHARED_DATA/real-lists`` (an error if unset or missing: never a skip)."""
    shared = os.environ.get("SIJILL_SHARED_DATA")
    if not shared or not (Path(shared) / "real-lists" / "truth.csv").is_file():
        raise SystemExit("set SIJILL_SHARED_DATA to the folder holding real-lists/")
    return Path(shared) / "real-lists"


def _age(text: str) -> int | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return int(value) if 0 <= value < 130 else None


def read_real_lists(
    folder: Path,
) -> tuple[list[RecordFacts], dict[int, tuple[str, str]], dict[tuple[str, str], str]]:
    """Each release's rows as RecordFacts (as the importer derives them), where each came from,
    and the truth."""
    facts: list[RecordFacts] = []
    where: dict[int, tuple[str, str]] = {}
    for source_id, path in enumerate(sorted(folder.glob("release_*.csv")), start=1):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                rid = len(facts) + 1
                where[rid] = (path.stem, row["record_id"])
                age = _age(row["age"])
                dob = row["date_of_birth"] or None
                facts.append(
                    RecordFacts(
                        id=rid,
                        source_id=source_id,
                        full_name=row["name"] or None,
                        given_name=None,
                        father_name=None,
                        grandfather_name=None,
                        family_name=None,
                        nickname=None,
                        sex=row["sex"] or None,
                        age_min=age,
                        age_max=age,
                        birth_year=None,
                        death_start=None,
                        death_end=None,
                        place_of_death=None,
                        district=None,
                        governorate=None,
                        date_of_birth=dob if dob and not dob.startswith("1000") else None,
                    )
                )
    with (folder / "truth.csv").open(encoding="utf-8", newline="") as handle:
        truth = {(r["source"], r["record_id"]): r["person_id"] for r in csv.DictReader(handle)}
    return facts, where, truth


def exact_name_clusters(facts: list[RecordFacts]) -> list[list[int]]:
    """Records with one normalized name (the names module's key) are one person."""
    groups: dict[str, list[int]] = {}
    for f in facts:
        key = name_key(f.full_name) or f"#{f.id}"
        groups.setdefault(key, []).append(f.id)
    return list(groups.values())


def _plain_rows(facts: list[RecordFacts]) -> Iterator[dict[str, Any]]:
    for f in facts:
        parts = split_parts(f.full_name)
        yield {
            "unique_id": f.id,
            "full_name": f.full_name,
            **{k: parts[k] for k in ("given", "father", "family")},
            "sex": f.sex,
            "dob": f.date_of_birth,
            "birth_year": f.date_of_birth[:4] if f.date_of_birth else None,
            "age": f.age_min,
        }


def plain_splink_clusters(facts: list[RecordFacts]) -> list[list[int]]:
    """Plain splink, a fair general set-up: full name and name parts by Jaro-Winkler, date of
    birth exact then year, age (one list has no dates of birth), sex; EM-trained on pairs
    sharing given and family name, then age and sex (EM on father and date of birth, or on
    father and family, learnt siblings as matches here: F1 0.57 and 0.09); blocking on names
    and on the date of birth; clusters at 0.9 (0.99 gave 0.80 against 0.84)."""
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.JaroWinklerAtThresholds("full_name", [0.95, 0.88]),
            cl.JaroWinklerAtThresholds("given", [0.92, 0.8]),
            cl.JaroWinklerAtThresholds("father", [0.92, 0.8]),
            cl.JaroWinklerAtThresholds("family", [0.92, 0.8]),
            cl.CustomComparison(
                output_column_name="dob",
                comparison_levels=[
                    cll.NullLevel("dob"),
                    cll.ExactMatchLevel("dob"),
                    cll.ExactMatchLevel("birth_year"),
                    cll.ElseLevel(),
                ],
            ),
            cl.CustomComparison(
                output_column_name="age",
                comparison_levels=[
                    cll.NullLevel("age"),
                    *(cll.AbsoluteDifferenceLevel("age", d) for d in (0, 1, 3)),
                    cll.ElseLevel(),
                ],
            ),
            cl.ExactMatch("sex"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("given", "family"),
            block_on("given", "father"),
            block_on("father", "family"),
            block_on("dob"),
        ],
    )
    with duckdb_api() as api:
        table = api.register(list(_plain_rows(facts)), table_name="plain_records")
        linker = Linker(table, settings, log_level=logging.ERROR)
        linker.training.estimate_probability_two_random_records_match(
            [block_on("given", "father", "family")], recall=0.6
        )
        linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=42)
        linker.training.estimate_parameters_using_expectation_maximisation(
            block_on("given", "family")
        )
        linker.training.estimate_parameters_using_expectation_maximisation(block_on("age", "sex"))
        return plain_people(api, linker)


METHODS = {
    "sijill": sijill_clusters,
    "plain_splink": plain_splink_clusters,
    "exact_normalized": exact_name_clusters,
}


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else real_lists_folder()
    facts, where, truth = read_real_lists(folder)
    out: dict[str, Any] = {
        "records": len(facts),
        "people_true": len(set(truth.values())),
        "machine": describe(),
    }
    for name, fn in METHODS.items():
        run = measure(lambda fn=fn: fn(facts))
        predicted = {where[r]: i for i, members in enumerate(run.value) for r in members}
        out[name] = {
            **pairwise_scores(predicted, truth).as_dict(),
            "people": len(run.value),
            "seconds": round(run.seconds, 2),
            "cpu_seconds": round(run.cpu_seconds, 2),
            "peak_rss_mb": round(run.peak_rss_mb),
        }
    print(json.dumps(out, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
