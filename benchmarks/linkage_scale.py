"""Linkage at scale: about 1,000,000 records over 8 lists; seconds and peak memory.

Measures the linkage core (features, splink training and scoring on DuckDB, constrained
clustering) on records held in memory, against the aim of 10 minutes and 8 GB.
Usage: .venv/bin/python benchmarks/linkage_scale.py [N_PEOPLE]
"""

from __future__ import annotations

import json
import os
import sys
import time

from linkage_common import facts_from_lists, measure, sijill_clusters

from sijill.linkage.evaluate import pairwise_scores
from sijill.linkage.synthetic import generate_lists


def main() -> None:
    n_people = int(sys.argv[1]) if len(sys.argv) > 1 else 330_000
    start = time.perf_counter()
    lists, truth = generate_lists(n_people, 8, 7, people_per_village=400)
    facts, where = facts_from_lists(lists, truth)
    made = time.perf_counter() - start
    del lists
    run = measure(lambda: sijill_clusters(facts))
    predicted = {where[r]: i for i, members in enumerate(run.value) for r in members}
    scores = pairwise_scores(predicted, truth)
    print(
        json.dumps(
            {
                "people": n_people,
                "lists": 8,
                "records": len(facts),
                "generate_seconds": round(made, 1),
                "link_seconds": round(run.seconds, 1),
                "link_cpu_seconds": round(run.cpu_seconds, 1),
                "load_average": os.getloadavg()[0],
                "peak_rss_mb": round(run.peak_rss_mb),
                "aim_seconds": 600,
                "aim_mb": 8192,
                "time_ratio_to_aim": round(run.seconds / 600, 3),
                "people_found": len(run.value),
                **scores.as_dict(),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
