"""LCMCR against the R package's reference figures, and how much the result moves between seeds.

Kosovo (the R package's example data): R LCMCR (K = 10, a = b = 0.25, long chains) gives a
posterior median of 10,439 with a 95% interval of 9,067–13,923 (R is not installed here; the
figures are the package documentation's). UK 2013 (5 lists): no R LCMCR reference here, only the
spread between seeds. Independent lists with equal capture probabilities (simulated, N = 3,000):
one latent class suffices, so the posterior of N should match the independence log-linear model,
α should be near 0 and the surplus classes empty (issue 17).

Every run uses the default settings (4 chains, burn-in 10,000, thin 100, 1,000 draws per chain
doubled until split R-hat < 1.01 and ESS ≥ 400, up to 16,000).

Run: .venv/bin/python benchmarks/estimate_lcmcr_agreement.py [--seeds 4] [--write]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from estimate_common import DATA, machine, write_section

from sijill.estimate import lcmcr, loglinear
from sijill.estimate.histories import CaptureTable, read_capture_file

R_KOSOVO = (10_439, 9_067, 13_923)


def simulated_independent(n: int = 3000, p: float = 0.3, seed: int = 11) -> CaptureTable:
    rng = np.random.default_rng(seed)
    caught = rng.random((n, 4)) < p
    index = (caught.astype(int) << np.arange(4)).sum(axis=1)
    counts = np.bincount(index, minlength=16).astype(np.int64)
    counts[0] = 0
    return CaptureTable(tuple("ABCD"), counts)


def runs(table: CaptureTable, seeds: list[int]) -> list[dict[str, float]]:
    out = []
    for seed in seeds:
        start, wall = time.process_time(), time.perf_counter()
        draws = lcmcr.sample(table, lcmcr.LcmcrSettings(seed=seed))
        lo, med, hi = np.quantile(draws.n, [0.025, 0.5, 0.975])
        out.append(
            {
                "seed": seed,
                "median": med,
                "lo": lo,
                "hi": hi,
                "alpha": float(np.median(draws.alpha)),
                "occupied": float(draws.occupied.mean()),
                "rhat": draws.rhat,
                "ess": draws.ess,
                "draws": draws.n.shape[1],
                "converged": draws.converged,
                "cpu": time.process_time() - start,
                "wall": time.perf_counter() - wall,
            }
        )
        print(name_of(table), out[-1], flush=True)
    return out


def name_of(table: CaptureTable) -> str:
    return ",".join(table.lists)


def table_rows(label: str, results: list[dict[str, float]]) -> list[str]:
    rows = [
        f"| {label} | {r['seed']} | {r['median']:,.0f} | {r['lo']:,.0f}–{r['hi']:,.0f} | "
        f"{r['alpha']:.3f} | {r['occupied']:.2f} | {r['rhat']:.3f} / {r['ess']:,.0f} | "
        f"{r['draws']:,}{'' if r['converged'] else ' (not converged)'} | {r['cpu']:.0f} / "
        f"{r['wall']:.0f} |"
        for r in results
    ]
    med = [r["median"] for r in results]
    lo = [r["lo"] for r in results]
    hi = [r["hi"] for r in results]
    rows.append(
        f"| {label}: between seeds | | {min(med):,.0f}–{max(med):,.0f} | "
        f"{min(lo):,.0f}–{max(lo):,.0f} / {min(hi):,.0f}–{max(hi):,.0f} | | | | | |"
    )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=4)
    parser.add_argument("--write", action="store_true", help="replace the section in RESULTS.md")
    args = parser.parse_args()
    seeds = list(range(1, args.seeds + 1))
    started = time.perf_counter()
    head = machine()
    kosovo = read_capture_file(DATA / "kosovo_aggregate.csv").total
    uk5 = read_capture_file(DATA / "UKdat_5.csv").total
    independent = simulated_independent()
    fit = loglinear.fit_model(independent, ())
    ind_lo, ind_hi = loglinear.profile_interval(independent, fit)
    lcmcr.sample(independent, lcmcr.LcmcrSettings(burnin=1, samples=1, thin=1, max_samples=0))
    results = {
        "Kosovo": runs(kosovo, seeds),
        "UK 2013, 5 lists": runs(uk5, seeds),
        "independent, equal p = 0.3": runs(independent, seeds),
    }
    kos = results["Kosovo"]
    med_dev = [r["median"] / R_KOSOVO[0] - 1 for r in kos]
    lo_dev = [r["lo"] / R_KOSOVO[1] - 1 for r in kos]
    hi_dev = [r["hi"] / R_KOSOVO[2] - 1 for r in kos]
    lines = [
        f"Machine: {head}",
        f"{args.seeds} seeds per table, default settings; {time.perf_counter() - started:.0f} s "
        "wall in all. The machine was shared with other work (7 sessions on 2 cores): CPU and "
        "wall times are inflated, the figures are not.",
        "",
        "| table | seed | median | 95% interval | α median | occupied classes (mean) | "
        "R-hat / ESS of N | draws per chain | CPU / wall s |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        f"| Kosovo: R LCMCR reference | | {R_KOSOVO[0]:,} | {R_KOSOVO[1]:,}–{R_KOSOVO[2]:,} "
        "| | | | | |",
    ]
    for label, res in results.items():
        lines += table_rows(label, res)
    lines += [
        f"| independent: independence log-linear model | | {fit.estimate:,.0f} | "
        f"{ind_lo:,.0f}–{ind_hi:,.0f} | | | | | |",
        "",
        f"Kosovo against R: medians {min(med_dev):+.1%} to {max(med_dev):+.1%}, lower ends "
        f"{min(lo_dev):+.1%} to {max(lo_dev):+.1%}, upper ends {min(hi_dev):+.1%} to "
        f"{max(hi_dev):+.1%} across seeds.",
    ]
    text = "\n".join(lines)
    print(text)
    if args.write:
        write_section("Multiple systems estimation: LCMCR against R, across seeds", text)


if __name__ == "__main__":
    main()
