"""End-to-end coverage: does `estimate --from-case` hold the true total after import and linkage?

For each seed a realistic synthetic case of known total (`generate_case`: five lists, two
scripts, heterogeneous and dependent capture) is written, each list imported with
`sijill import records`, the case linked with `sijill link`, and the total estimated with
`sijill estimate --from-case --json`. Beside it, the same estimate on the case's true capture
histories (from the generator's truth, `sijill estimate FILE --json`): what a perfect linkage
would give. Reported: the share of 95% intervals that hold the true total, end to end and on the
true histories; per run the linkage's pairwise precision, recall and F1 and the people found
against the people truly seen.

Run: PYTHONPATH=src .venv/bin/python benchmarks/estimate_end_to_end.py [--seeds 1-8]
     [--people 1500] [--write]   (seeds from 1000 are held out: see sijill.linkage.synthetic)
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any

from machine import describe, write_section
from synthetic_common import import_and_link, linkage_scores, sijill, write_histories

from sijill.linkage.synthetic import HELD_OUT_SEEDS, generate_case
from sijill.linkage.synthetic_sources import SOURCES


def _estimate(*args: str, seed: int) -> dict[str, Any]:
    doc = sijill("estimate", *args, "--seed", str(seed))
    return {"observed": doc["observed"], "estimate": doc["estimate"], "interval": doc["interval"]}


def run(seed: int, n_people: int, work: Path) -> dict[str, Any]:
    case = generate_case(seed, n_people)
    folder = work / f"seed-{seed}"
    folder.mkdir()
    linked = import_and_link(case, folder)
    started = time.perf_counter()
    end_to_end = _estimate("--from-case", "--db", linked.db, seed=seed)
    truth_file = write_histories(case, folder / "true-histories.csv")
    on_truth = _estimate(str(truth_file), seed=seed)
    # the re-release declared: counted as one list with the list it copies
    merged = {
        n: list(case.lists)[s.draws_on]
        for n, s in zip(case.lists, SOURCES, strict=False)
        if s.draws_on is not None
    }
    groups = [f"{original}+{copy}" for copy, original in merged.items()]
    declared = _estimate(
        "--from-case", "--db", linked.db, *(a for g in groups for a in ("--merge", g)), seed=seed
    )
    truth_declared = _estimate(
        str(write_histories(case, folder / "true-declared.csv", merged)), seed=seed
    )
    out = {
        "seed": seed,
        "total": case.n_people,
        **linkage_scores(case, linked),
        "end_to_end": end_to_end,
        "true_histories": on_truth,
        "end_to_end_declared": declared,
        "true_histories_declared": truth_declared,
        "seconds": {
            "import": round(linked.import_seconds, 1),
            "link": round(linked.link_seconds, 1),
            "estimates": round(time.perf_counter() - started, 1),
        },
    }
    for key in ("end_to_end", "true_histories", "end_to_end_declared", "true_histories_declared"):
        lo, hi = out[key]["interval"]
        out[key]["holds"] = lo <= case.n_people <= hi
    return out


def _seeds(text: str) -> list[int]:
    if "-" in text:
        lo, hi = text.split("-")
        return list(range(int(lo), int(hi) + 1))
    return [int(s) for s in text.split(",")]


def _table(runs: list[dict[str, Any]]) -> str:
    def cell(e: dict[str, Any]) -> str:
        lo, hi = e["interval"]
        return f"{e['estimate']:,.0f} [{lo:,.0f}, {hi:,.0f}] {'yes' if e['holds'] else 'NO'}"

    lines = [
        "| seed | seen / found | P / R / F1 | end to end (observed) | true histories "
        "| end to end, re-release declared | true histories, re-release declared |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in runs:
        lines.append(
            f"| {r['seed']} | {r['people_true']:,} / {r['people_found']:,} "
            f"| {r['precision']:.3f} / {r['recall']:.3f} / {r['f1']:.3f} "
            f"| {cell(r['end_to_end'])} ({r['end_to_end']['observed']:,}) "
            f"| {cell(r['true_histories'])} | {cell(r['end_to_end_declared'])} "
            f"| {cell(r['true_histories_declared'])} |"
        )
    n = len(runs)
    lines.append("")
    shares = []
    for key, label in (
        ("end_to_end", "end to end"),
        ("true_histories", "on the true capture histories"),
        ("end_to_end_declared", "end to end with the re-release declared"),
        ("true_histories_declared", "on the true histories with it declared"),
    ):
        held = sum(r[key]["holds"] for r in runs)
        shares.append(f"{label} {held}/{n} = {held / n:.2f}")
    lines.append(
        f"True total {runs[0]['total']:,}. Coverage of the 95% intervals: "
        + "; ".join(shares)
        + "."
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="1-8", help="e.g. 1-8 or 1,2,5")
    parser.add_argument("--people", type=int, default=1500)
    parser.add_argument("--write", action="store_true", help="write RESULTS.md's section")
    parser.add_argument("--title", default="", help="suffix of the RESULTS.md section title")
    args = parser.parse_args()
    machine = describe()
    seeds = _seeds(args.seeds)
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        for seed in seeds:
            runs.append(run(seed, args.people, Path(tmp)))
            r = runs[-1]
            print(
                f"seed {seed}: F1 {r['f1']:.3f}, people {r['people_found']} for "
                f"{r['people_true']}; end to end {r['end_to_end']['estimate']:.0f} "
                f"{r['end_to_end']['interval']} holds={r['end_to_end']['holds']}; "
                f"true histories {r['true_histories']['estimate']:.0f} "
                f"{r['true_histories']['interval']} holds={r['true_histories']['holds']}; "
                f"declared {r['end_to_end_declared']['estimate']:.0f} / "
                f"{r['true_histories_declared']['estimate']:.0f}; "
                f"{r['seconds']}",
                flush=True,
            )
    table = _table(runs)
    print(table)
    if args.write:
        held = [s for s in seeds if s >= HELD_OUT_SEEDS]
        body = (
            f"Machine: {machine}.\n\n"
            f"`estimate_end_to_end.py --seeds {args.seeds} --people {args.people}`: realistic "
            f"cases of {args.people:,} people (five lists; seeds "
            f"{'held out' if held else 'for tuning'}), each imported, linked and estimated "
            "through the command line (LCMCR, default settings, `--seed` = the case's seed).\n\n"
            + table
        )
        suffix = f" — {args.title}" if args.title else ""
        write_section(f"End to end: estimate coverage after import and linkage{suffix}", body)


if __name__ == "__main__":
    main()
