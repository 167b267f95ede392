"""Shared by the linkage benchmarks: synthetic lists as records, our pipeline, plain splink."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import psutil
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import Linker, SettingsCreator, block_on

from sijill.linkage.clustering import cluster
from sijill.linkage.conflicts import identities
from sijill.linkage.engines import duckdb_api
from sijill.linkage.features import (
    RecordFacts,
    comparison_rows,
    comparison_table,
    split_parts,
)
from sijill.linkage.scoring import score
from sijill.linkage.service import LINK_THRESHOLD
from sijill.names.keys import is_placeholder

SEX = {"ذكر": "M", "أنثى": "F", "M": "M", "F": "F"}


def facts_from_lists(
    lists: dict[str, list[dict[str, str]]], truth: dict[tuple[str, str], str]
) -> tuple[list[RecordFacts], dict[int, tuple[str, str]]]:
    """Named records of the synthetic lists as RecordFacts (what the importer would derive)."""
    facts: list[RecordFacts] = []
    where: dict[int, tuple[str, str]] = {}
    for source_id, (name, rows) in enumerate(lists.items(), start=1):
        for row in rows:
            if (name, row["record_id"]) not in truth:
                continue  # unidentified and aggregate rows are never matched
            composed = row["full_name"] or " ".join(
                row[k] for k in ("given_name", "father_name", "family_name")
            )
            if is_placeholder(composed):
                continue
            day = row["date_of_death"]
            if len(day) == 10:
                start = end = date.fromisoformat(day)
            elif len(day) == 7:
                start = date.fromisoformat(day + "-01")
                end = start + timedelta(days=30)
            else:
                start = end = None
            age = int(row["age"]) if row["age"] else None
            rid = len(facts) + 1
            where[rid] = (name, row["record_id"])
            facts.append(
                RecordFacts(
                    id=rid,
                    source_id=source_id,
                    full_name=row["full_name"] or None,
                    given_name=row["given_name"] or None,
                    father_name=row["father_name"] or None,
                    grandfather_name=row["grandfather_name"] or None,
                    family_name=row["family_name"] or None,
                    nickname=row["nickname"] or None,
                    sex=SEX.get(row["sex"]),
                    age_min=age,
                    age_max=age,
                    birth_year=int(row["birth_year"]) if row["birth_year"] else None,
                    death_start=start,
                    death_end=end,
                    place_of_death=row["place_of_death"] or None,
                    district=row["district"] or None,
                    governorate=row["governorate"] or None,
                )
            )
    return facts, where


def sijill_clusters(facts: list[RecordFacts]) -> list[list[int]]:
    """Our pipeline: features, splink with our model, constrained clustering."""
    rows = comparison_rows(facts)
    identified = identities(rows)
    table = comparison_table(rows)
    del rows
    scored = score(table)
    return cluster(identified, scored.pairs, threshold=LINK_THRESHOLD).clusters


def _plain_row(f: RecordFacts) -> dict[str, Any]:
    parts = {
        "given": f.given_name,
        "father": f.father_name,
        "family": f.family_name,
    }
    if not any(parts.values()):
        split = split_parts(f.full_name)
        parts = {k: split[k] for k in parts}
    by = f.birth_year
    if by is None and f.age_min is not None:
        by = (f.death_start.year if f.death_start else 2025) - f.age_min
    return {
        "unique_id": f.id,
        **{k: (v or "").lower() or None for k, v in parts.items()},
        "sex": f.sex,
        "birth_year": by,
        "place": (f.place_of_death or "").lower() or None,
        "death_date": f.death_start.isoformat() if f.death_start else None,
    }


def plain_splink_clusters(facts: list[RecordFacts]) -> list[list[int]]:
    """PLAIN splink, a reasonable general configuration: names by Jaro-Winkler, no Arabic keys."""
    rows = [_plain_row(f) for f in facts]
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.JaroWinklerAtThresholds("given", [0.92, 0.8]),
            cl.JaroWinklerAtThresholds("father", [0.92, 0.8]),
            cl.JaroWinklerAtThresholds("family", [0.92, 0.8]),
            cl.ExactMatch("sex"),
            cl.CustomComparison(
                output_column_name="birth_year",
                comparison_levels=[
                    cll.NullLevel("birth_year"),
                    *(cll.AbsoluteDifferenceLevel("birth_year", d) for d in (1, 3, 6)),
                    cll.ElseLevel(),
                ],
            ),
            cl.JaroWinklerAtThresholds("place", [0.92]),
            cl.ExactMatch("death_date"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("given", "family"),
            block_on("father", "family"),
            block_on("given", "place"),
        ],
    )
    with duckdb_api() as api:
        table = api.register(rows, table_name="plain_records")
        linker = Linker(table, settings, log_level=logging.ERROR)
        linker.training.estimate_probability_two_random_records_match(
            [block_on("given", "father", "family")], recall=0.6
        )
        linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=42)
        linker.training.estimate_parameters_using_expectation_maximisation(
            block_on("given", "family")
        )
        linker.training.estimate_parameters_using_expectation_maximisation(
            block_on("birth_year", "place")
        )
        return plain_people(api, linker)


def plain_people(api: Any, linker: Linker) -> list[list[int]]:
    """Plain splink's people from a trained linker: pairs scored from 0.5, connected
    components at 0.9 (as a general set-up would)."""
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=0.9
    )
    result = api.duckdb_con.sql(
        f"SELECT unique_id, cluster_id FROM {clusters.physical_name}"
    ).fetchall()
    groups: dict[Any, list[int]] = {}
    for uid, cid in result:
        groups.setdefault(cid, []).append(int(uid))
    return list(groups.values())


@dataclass
class Measured:
    seconds: float
    cpu_seconds: float
    peak_rss_mb: float
    value: Any


def measure(fn: Callable[[], Any]) -> Measured:
    """Wall time, CPU time and peak resident memory (sampled every 0.2 s) of one call.

    CPU time matters on a shared machine: wall time there depends on the others' load."""
    process = psutil.Process()
    peak = process.memory_info().rss
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(0.2):
            peak = max(peak, process.memory_info().rss)

    watcher = threading.Thread(target=sample, daemon=True)
    watcher.start()
    cpu = process.cpu_times()
    start = time.perf_counter()
    value = fn()
    seconds = time.perf_counter() - start
    after = process.cpu_times()
    cpu_seconds = (after.user + after.system) - (cpu.user + cpu.system)
    done.set()
    watcher.join()
    peak = max(peak, process.memory_info().rss)
    return Measured(seconds, cpu_seconds, peak / 2**20, value)
