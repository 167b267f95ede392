"""Simulation study: how often does each method's 95% interval contain the true total?

Populations of known size are drawn under four designs (4 lists): independent lists; capture
heterogeneity (a "visible" and a "hidden" group of people); list dependence (one list copies
from another, one avoids another); both at once. Each data set is estimated by every method, and
the share of 95% intervals that contain the truth (nominal: 95%) is reported with the median
relative error and interval width. Baseline: the independence (main-effects) log-linear model,
the textbook estimator the richer methods must beat when lists depend on each other.

Run: .venv/bin/python benchmarks/estimate_coverage.py [--reps 60] [--jobs 2] [--first-seed 0]
[--write]
"""

from __future__ import annotations

import argparse
import math
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace

import numpy as np
from estimate_common import machine, write_section

from sijill.estimate import dga, lcmcr, loglinear, stepwise
from sijill.estimate.histories import CaptureTable

N_TRUE = 2000
LISTS = ("A", "B", "C", "D")
# a fixed length (no extension to convergence), as in the earlier runs of this study; with
# --converge the chains are doubled until R-hat < 1.01 and ESS ≥ 400, up to CONVERGE_CEILING
CHAINS = lcmcr.LcmcrSettings(burnin=3000, samples=500, thin=20, chains=2, max_samples=0)
CONVERGE_CEILING = 8000
DESIGNS = ("independent", "heterogeneity", "dependence", "both")


def _draw(rng: np.random.Generator, design: str) -> CaptureTable:
    n = N_TRUE
    if design in {"heterogeneity", "both"}:
        visible = rng.random(n) < 0.35
        base = np.where(visible[:, None], [0.45, 0.4, 0.5, 0.35], [0.12, 0.08, 0.1, 0.15])
    else:
        base = np.tile([0.3, 0.25, 0.35, 0.2], (n, 1))
    caught = rng.random((n, 4)) < base
    if design in {"dependence", "both"}:
        # B copies from A: on A, B catches with 0.6; otherwise at its base rate
        copy = caught[:, 0] & (rng.random(n) < 0.6)
        caught[:, 1] |= copy
        # D avoids C: people on C are half as likely to be on D
        drop = caught[:, 2] & caught[:, 3] & (rng.random(n) < 0.5)
        caught[:, 3] &= ~drop
    index = (caught.astype(int) << np.arange(4)).sum(axis=1)
    counts = np.bincount(index, minlength=16).astype(np.int64)
    counts[0] = 0
    return CaptureTable(LISTS, counts)


def _independence(t: CaptureTable) -> tuple[float, float, float]:
    fit = loglinear.fit_model(t, ())
    return (fit.estimate, *loglinear.profile_interval(t, fit))


def _search(criterion: str) -> Callable[[CaptureTable], tuple[float, float, float]]:
    def run(t: CaptureTable) -> tuple[float, float, float]:
        best = loglinear.search_models(t, criterion).best
        return (best.estimate, *loglinear.profile_interval(t, best))

    return run


def _stepwise(t: CaptureTable) -> tuple[float, float, float]:
    fit = stepwise.stepwise(t)
    return (fit.estimate, *fit.interval())


def _dga(t: CaptureTable) -> tuple[float, float, float]:
    post = dga.posterior(t)
    return post.quantile(0.5), post.quantile(0.025), post.quantile(0.975)


def _lcmcr(seed: int, converge: bool) -> Callable[[CaptureTable], tuple[float, float, float]]:
    def run(t: CaptureTable) -> tuple[float, float, float]:
        settings = replace(CHAINS, seed=seed, max_samples=CONVERGE_CEILING if converge else 0)
        n = lcmcr.sample(t, settings).n
        lo, med, hi = np.quantile(n, [0.025, 0.5, 0.975])
        return float(med), float(lo), float(hi)

    return run


METHODS = ("independence (baseline)", "loglinear BIC", "loglinear AIC", "stepwise", "dga", "LCMCR")


def one_dataset(job: tuple[str, int, bool]) -> dict[str, tuple[float, float, float, float]]:
    """Estimate one simulated data set by every method: (estimate, lo, hi, CPU seconds)."""
    design, seed, converge = job
    rng = np.random.default_rng(seed)
    table = _draw(rng, design)
    runners = dict(
        zip(
            METHODS,
            (
                _independence,
                _search("bic"),
                _search("aic"),
                _stepwise,
                _dga,
                _lcmcr(seed, converge),
            ),
            strict=True,
        )
    )
    out = {}
    for name, fn in runners.items():
        start = time.process_time()
        try:
            est, lo, hi = fn(table)
        except Exception:  # noqa: BLE001 - a failure counts as a miss
            est, lo, hi = math.nan, math.nan, math.nan
        out[name] = (est, lo, hi, time.process_time() - start)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=60, help="data sets per design")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--write", action="store_true", help="append to benchmarks/RESULTS.md")
    parser.add_argument(
        "--converge",
        action="store_true",
        help=f"LCMCR chains extended until they converge (up to {CONVERGE_CEILING:,} draws)",
    )
    parser.add_argument("--designs", default="independent,heterogeneity,dependence,both")
    parser.add_argument(
        "--first-seed",
        type=int,
        default=0,
        help="data set r of design i has seed FIRST + 1000 i + r",
    )
    args = parser.parse_args()
    designs = tuple(args.designs.split(","))
    jobs = [
        (d, args.first_seed + 1000 * DESIGNS.index(d) + r, args.converge)
        for d in designs
        for r in range(args.reps)
    ]
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(one_dataset, jobs, chunksize=4))
    wall = time.perf_counter() - started
    lines = [
        f"Machine: {machine()}",
        f"{args.reps} data sets per design (seeds {args.first_seed} + 1000 × design + r), "
        f"true N = {N_TRUE:,}, 4 lists; LCMCR with "
        f"{CHAINS.chains} chains × {CHAINS.burnin + CHAINS.samples * CHAINS.thin:,} iterations "
        + (
            f"at first, doubled until they converge (up to {CONVERGE_CEILING:,} draws each); "
            if args.converge
            else f"(fixed length, after a {CHAINS.warmup}-iteration warm-up); "
        )
        + f"{wall:.0f} s wall on {args.jobs} processes.",
        "",
        "| design | method | coverage of 95% interval | median relative error | "
        "median relative width | CPU s per data set |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for design in designs:
        mine = [res for (d, _, _), res in zip(jobs, results, strict=True) if d == design]
        for method in METHODS:
            rows = np.array([r[method] for r in mine])
            est, lo, hi, secs = rows.T
            ok = np.isfinite(est)
            hit = ok & (lo <= N_TRUE) & (N_TRUE <= hi)
            cover = hit.mean()
            se = math.sqrt(cover * (1 - cover) / len(rows))
            err = np.nanmedian((est - N_TRUE) / N_TRUE)
            width = np.nanmedian((hi - lo) / N_TRUE)
            lines.append(
                f"| {design} | {method} | {cover:.0%} ± {se:.0%} | {err:+.1%} | {width:.0%} | "
                f"{np.median(secs):.2f} |"
            )
    lines += [
        "",
        "Coverage ± one Monte Carlo standard error. Designs: *independent* (capture "
        "probabilities 0.30, 0.25, 0.35, 0.20); *heterogeneity* (35% of people are 3–4 times "
        "likelier to be listed); *dependence* (B copies 60% of A's people, D drops half of C's); "
        "*both*.",
    ]
    print("\n".join(lines))
    if args.write:
        title = "Multiple systems estimation: interval coverage (estimate_coverage.py)"
        if args.converge:
            title = title.replace(".py)", ".py --converge)")
        write_section(title, "\n".join(lines))


if __name__ == "__main__":
    main()
