"""Linkage quality: Sijill's pipeline vs PLAIN splink on the same synthetic lists, one run.

Usage: .venv/bin/python benchmarks/linkage_quality.py [N_PEOPLE] [SEED] [--no-names-table]

``--no-names-table`` runs Sijill as on a case whose names the built-in names table does not
know (every name part's table names left empty): what the case's own frequencies and the
spellings alone achieve, for a name inventory unlike the table's.
"""

from __future__ import annotations

import json
import os
import sys

from linkage_common import facts_from_lists, measure, plain_splink_clusters, sijill_clusters

from sijill.linkage.evaluate import pairwise_scores
from sijill.linkage.synthetic import generate_lists


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    n_people = int(args[0]) if args else 1500
    seed = int(args[1]) if len(args) > 1 else 2026
    if "--no-names-table" in sys.argv:
        import sijill.linkage.features

        sijill.linkage.features.table_names = lambda _text: frozenset()  # type: ignore[assignment]
    lists, truth = generate_lists(n_people, 5, seed)
    facts, where = facts_from_lists(lists, truth)
    out = {
        "people": n_people,
        "lists": 5,
        "records": len(facts),
        "seed": seed,
        "names_table": "--no-names-table" not in sys.argv,
    }
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
