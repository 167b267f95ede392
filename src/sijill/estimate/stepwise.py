"""Stepwise selection of two-list effects (Chan, Silverman & Vincent 2021; R package SparseMSE).

Start from the main-effects model. At each step, for every two-list effect not yet in the model,
the total number of people on both lists is compared with its Poisson distribution under the
current model (one-sided p-value, the smaller tail); the effect with the smallest p-value is added
if that p-value is below the threshold (0.02) and the enlarged model passes the check that its
maximum likelihood estimate exists and is identifiable (the linear programme of Fienberg &
Rinaldo 2012, solved with ``scipy.optimize.linprog``). A pair of lists with no person in common
whose effect is in the model has that effect at minus infinity: the cells containing both lists
are dropped from the fit instead. The interval is SparseMSE's: the dark figure is log-normal with
the intercept's standard error, ``n + exp(û ± z·se)``.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import optimize, stats

from sijill.estimate.glm import PoissonFit, fit_poisson
from sijill.estimate.histories import CaptureTable, patterns_matrix

Pair = tuple[int, int]

P_THRESHOLD = 0.02


@dataclass(frozen=True)
class StepwiseFit:
    """The model the stepwise search ended on."""

    pairs: tuple[Pair, ...]
    empty_pairs: tuple[Pair, ...]
    fit: PoissonFit
    observed: int
    steps: tuple[tuple[Pair, float], ...]  # (pair added, its p-value) in order

    @property
    def unseen(self) -> float:
        return float(math.exp(min(self.fit.beta[0], 700.0)))

    @property
    def estimate(self) -> float:
        return self.observed + self.unseen

    def interval(self, level: float = 0.95) -> tuple[float, float]:
        """Log-normal interval for the dark figure, as SparseMSE's ``estimatepopulation.0``."""
        z = stats.norm.ppf(0.5 + level / 2.0)
        se = math.sqrt(max(self.fit.cov[0, 0], 0.0))
        b0 = float(self.fit.beta[0])
        return self.observed + math.exp(b0 - z * se), self.observed + math.exp(b0 + z * se)


def _overlap(table: CaptureTable, pair: Pair) -> int:
    pats = patterns_matrix(table.n_lists)
    return int(table.counts[(pats[:, pair[0]] == 1) & (pats[:, pair[1]] == 1)].sum())


def _design(table: CaptureTable, pairs: Sequence[Pair]) -> tuple[np.ndarray, np.ndarray, list]:
    """Rows kept (observed cells not containing an empty pair of the model) and the design."""
    pats = patterns_matrix(table.n_lists)
    keep = np.ones(len(pats), dtype=bool)
    keep[0] = False
    effective: list[Pair] = []
    for pair in pairs:
        if _overlap(table, pair) == 0:
            keep &= ~((pats[:, pair[0]] == 1) & (pats[:, pair[1]] == 1))
        else:
            effective.append(pair)
    rows = pats[keep].astype(float)
    cols = [np.ones(len(rows)), *rows.T, *(rows[:, i] * rows[:, j] for i, j in effective)]
    return np.column_stack(cols), keep, effective


def mle_exists(table: CaptureTable, pairs: Sequence[Pair]) -> bool:
    """True when the extended MLE exists and is identifiable (Fienberg–Rinaldo LP and rank).

    The MLE exists iff some strictly positive table has the same sufficient statistics as the
    data: maximize s subject to ``Xᵀ y = Xᵀ counts``, ``y ≥ s``, ``y ≥ 0``; it exists iff s > 0.
    """
    x, keep, _ = _design(table, pairs)
    if np.linalg.matrix_rank(x) < x.shape[1]:
        return False
    counts = table.counts[keep].astype(float)
    target = x.T @ counts
    n_cells = x.shape[0]
    objective = np.zeros(n_cells + 1)
    objective[-1] = -1.0
    a_eq = np.hstack([x.T, np.zeros((x.shape[1], 1))])
    a_ub = np.hstack([-np.eye(n_cells), np.ones((n_cells, 1))])
    res = optimize.linprog(
        objective,
        A_ub=a_ub,
        b_ub=np.zeros(n_cells),
        A_eq=a_eq,
        b_eq=target,
        bounds=[(0, None)] * n_cells + [(0, 1.0)],
        method="highs",
    )
    return bool(res.status == 0 and -res.fun > 1e-9)


def fit_pairs(table: CaptureTable, pairs: Sequence[Pair]) -> tuple[PoissonFit, np.ndarray]:
    """Fit the model with main effects and ``pairs``; also return the kept-cell mask."""
    x, keep, _ = _design(table, pairs)
    return fit_poisson(x, table.counts[keep].astype(float)), keep


def stepwise(table: CaptureTable, threshold: float = P_THRESHOLD) -> StepwiseFit:
    """Run the SparseMSE stepwise selection and return the final fit."""
    pats = patterns_matrix(table.n_lists)
    all_pairs: list[Pair] = list(itertools.combinations(range(table.n_lists), 2))
    nstar = {p: _overlap(table, p) for p in all_pairs}
    chosen: list[Pair] = []
    steps: list[tuple[Pair, float]] = []
    fit, keep = fit_pairs(table, chosen)
    while True:
        pvalues: dict[Pair, float] = {}
        kept = pats[keep]
        for pair in all_pairs:
            if pair in chosen:
                continue
            both = (kept[:, pair[0]] == 1) & (kept[:, pair[1]] == 1)
            expected = float(fit.mu[both].sum())
            k = nstar[pair]
            p = min(stats.poisson.cdf(k, expected), stats.poisson.sf(k - 1, expected))
            if p < threshold and not mle_exists(table, [*chosen, pair]):
                p = 1.0
            pvalues[pair] = float(p)
        if not pvalues:
            break
        best = min(pvalues, key=lambda q: (pvalues[q], q))
        if pvalues[best] >= threshold:
            break
        chosen.append(best)
        steps.append((best, pvalues[best]))
        fit, keep = fit_pairs(table, chosen)
    empty = tuple(p for p in chosen if nstar[p] == 0)
    return StepwiseFit(tuple(chosen), empty, fit, table.observed, tuple(steps))
