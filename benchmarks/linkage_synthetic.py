"""Linkage on realistic synthetic cases: tuning seeds and held-out seeds reported apart.

Each case (`generate_case`, 1,500 people, five lists) is imported with `sijill import records`
and linked with `sijill link`, as a user would; pairwise precision, recall and F1 over the named
records and the people found against the people truly seen are reported per seed, then averaged
over the tuning seeds and over the held-out seeds (>= HELD_OUT_SEEDS) separately. For the
tuning seeds only, recall is broken down by pair of lists and by phenomenon (the share of a
record's true partners it was linked with), to show what to work on; the held-out seeds give
their figures and nothing else.

Run: PYTHONPATH=src .venv/bin/python benchmarks/linkage_synthetic.py [--tuning 1,2,3]
     [--held-out 1000,1001,1002] [--people 1500] [--write]
"""

from __future__ import annotations

import argparse
import itertools
import tempfile
from collections import Counter, defaultdict
from pathlib import Path
from statistics import mean
from typing import Any

from machine import describe, write_section
from synthetic_common import LinkedCase, import_and_link, linkage_scores

from sijill.linkage.synthetic import HELD_OUT_SEEDS, SyntheticCase, generate_case


def breakdown(case: SyntheticCase, linked: LinkedCase) -> tuple[Counter[Any], Counter[Any]]:
    """True pairs and linked true pairs, by pair of lists and by phenomenon of either record."""
    records = defaultdict(list)
    for record, key in case.truth.items():
        records[key].append(record)
    total: Counter[Any] = Counter()
    linked_pairs: Counter[Any] = Counter()
    for group in records.values():
        for a, b in itertools.combinations(group, 2):
            together = linked.people.get(a) is not None and linked.people.get(
                a
            ) == linked.people.get(b)
            labels = {("lists", *sorted((a[0][-1], b[0][-1])))}
            labels |= {("phenomenon", t) for t in case.phenomena[a] + case.phenomena[b]}
            for label in labels:
                total[label] += 1
                linked_pairs[label] += together
    return total, linked_pairs


def _seeds(text: str) -> list[int]:
    return [int(s) for s in text.split(",") if s]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tuning", default="1,2,3")
    parser.add_argument("--held-out", default="1000,1001,1002")
    parser.add_argument("--people", type=int, default=1500)
    parser.add_argument("--write", action="store_true", help="write RESULTS.md's section")
    parser.add_argument("--title", default="", help="suffix of the RESULTS.md section title")
    args = parser.parse_args()
    tuning, held_out = _seeds(args.tuning), _seeds(args.held_out)
    if any(s >= HELD_OUT_SEEDS for s in tuning) or any(s < HELD_OUT_SEEDS for s in held_out):
        parser.error(f"tuning seeds are below {HELD_OUT_SEEDS}, held-out seeds from it up")
    machine = describe()
    runs: dict[int, dict[str, Any]] = {}
    total: Counter[Any] = Counter()
    hit: Counter[Any] = Counter()
    with tempfile.TemporaryDirectory() as tmp:
        for seed in tuning + held_out:
            case = generate_case(seed, args.people)
            folder = Path(tmp) / f"seed-{seed}"
            folder.mkdir()
            linked = import_and_link(case, folder)
            runs[seed] = {
                **linkage_scores(case, linked),
                "seconds": round(linked.import_seconds + linked.link_seconds, 1),
            }
            print(f"seed {seed}: {runs[seed]}", flush=True)
            if seed in tuning:
                t, h = breakdown(case, linked)
                total.update(t)
                hit.update(h)
    lines = [
        "| seeds | seed | precision | recall | F1 | people found / truly seen |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for label, seeds in (("tuning", tuning), ("held out", held_out)):
        for seed in seeds:
            r = runs[seed]
            lines.append(
                f"| {label} | {seed} | {r['precision']:.3f} | {r['recall']:.3f} | {r['f1']:.3f} "
                f"| {r['people_found']:,} / {r['people_true']:,} |"
            )
        if seeds:
            m = {k: mean(runs[s][k] for s in seeds) for k in ("precision", "recall", "f1")}
            ratio = mean(runs[s]["people_found"] / runs[s]["people_true"] for s in seeds)
            lines.append(
                f"| **{label}, mean** | | {m['precision']:.3f} | {m['recall']:.3f} "
                f"| {m['f1']:.3f} | ×{ratio:.3f} |"
            )
    lines += [
        "",
        "Recall of true pairs on the tuning seeds, by pair of lists and by phenomenon:",
        "",
    ]
    lines += ["| true pairs where | true pairs | share linked |", "| --- | --- | --- |"]
    for label in sorted(total, key=lambda x: (x[0], x[1:])):
        name = "lists " + "-".join(label[1:]) if label[0] == "lists" else label[1]
        lines.append(f"| {name} | {total[label]:,} | {hit[label] / total[label]:.3f} |")
    table = "\n".join(lines)
    print(table)
    if args.write:
        body = (
            f"Machine: {machine}.\n\n`linkage_synthetic.py --tuning {args.tuning} --held-out "
            f"{args.held_out} --people {args.people}`: realistic cases (five lists, two "
            "scripts), imported and linked through the command line.\n\n" + table
        )
        suffix = f" — {args.title}" if args.title else ""
        write_section(f"Linkage on realistic synthetic cases (linkage_synthetic.py){suffix}", body)


if __name__ == "__main__":
    main()
