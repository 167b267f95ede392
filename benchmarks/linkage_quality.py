"""Linkage quality: Sijill's pipeline vs PLAIN splink on the same synthetic lists, one run.

Usage: .venv/bin/python benchmarks/linkage_quality.py [N_PEOPLE] [SEED]
"""

from __future__ import annotations

import json
import os
import sys

from linkage_common import facts_from_lists, measure, plain_splink_clusters, sijill_clusters

from sijill.linkage.evaluate import pairwise_scores
from sijill.linkage.synthetic import generate_lists


def main() -> None:
    n_people = int(sys.argv[1]) if len(sys.argv) > 1 else 1500
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 2026
    lists, truth = generate_lists(n_people, 5, seed)
    facts, where = facts_from_lists(lists, truth)
    out = {"people": n_people, "lists": 5, "records": len(facts), "seed": seed}
    for name, fn in (("sijill", sijill_clusters), ("plain_splink", plain_splink_clusters)):
        run = measure(lambda fn=fn: fn(facts))
        predicted = {where[r]: i for i, members in enumerate(run.value) for r in members}
        scores = pairwise_scores(predicted, truth)
        out[name] = {
            **scores.as_dict(),
            "seconds": round(run.seconds, 2),
            "cpu_seconds": round(run.cpu_seconds, 2),
        }
    out["f1_ratio"] = round(out["sijill"]["f1"] / max(out["plain_splink"]["f1"], 1e-9), 3)
    out["load_average"] = os.getloadavg()[0]
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
