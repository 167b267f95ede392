"""Hierarchical log-linear models for capture histories (the Rcapture family).

The expected count of each observed pattern ω is ``log μ_ω = u + Σ_j u_j ω_j + Σ_terms u_T Π ω_T``;
the unobserved count is ``exp(u)``. Models are fitted by Poisson regression on the 2**J − 1
observed cells (zero counts included); ``N̂ = n + exp(û)``. Intervals are profile-likelihood
intervals for N (Cormack 1992, as Rcapture computes them): for each candidate number of unseen
people n0 the model is refitted on the completed 2**J table and the multinomial likelihood of N
is profiled; the interval is where twice the drop from the maximum stays under the χ²₁ quantile.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import optimize, stats
from scipy.special import gammaln

from sijill.errors import SijillError
from sijill.estimate.glm import PoissonFit, fit_poisson
from sijill.estimate.histories import CaptureTable, patterns_matrix

Term = tuple[int, ...]  # an interaction between two or more lists (0-based, increasing)

#: Exhaustive search over all hierarchical models up to this many lists; greedy search beyond.
EXHAUSTIVE_MAX_LISTS = 5


def closure(terms: Sequence[Term]) -> tuple[Term, ...]:
    """All interaction terms implied by ``terms`` (every subset of two or more lists)."""
    out: set[Term] = set()
    for term in terms:
        for size in range(2, len(term) + 1):
            out.update(itertools.combinations(sorted(term), size))
    return tuple(sorted(out, key=lambda t: (len(t), t)))


def generators(terms: Sequence[Term]) -> tuple[Term, ...]:
    """The maximal terms of a hierarchical model."""
    full = set(closure(terms))
    return tuple(
        sorted(
            (t for t in full if not any(set(t) < set(u) for u in full)),
            key=lambda t: (-len(t), t),
        )
    )


def model_name(terms: Sequence[Term], n_lists: int) -> str:
    """Rcapture's notation: generators with 1-based list numbers, e.g. ``[123,14,34]``."""
    gens = generators(terms)
    covered = {j for t in gens for j in t}
    parts = ["".join(str(j + 1) for j in t) for t in gens]
    parts += [str(j + 1) for j in range(n_lists) if j not in covered]
    return "[" + ",".join(parts) + "]"


def design_matrix(n_lists: int, terms: Sequence[Term]) -> np.ndarray:
    """Design over all 2**J patterns: intercept, main effects, then each interaction term."""
    pats = patterns_matrix(n_lists).astype(float)
    cols = [np.ones(len(pats)), *pats.T]
    cols += [np.prod(pats[:, list(t)], axis=1) for t in terms]
    return np.column_stack(cols)


@dataclass(frozen=True)
class LoglinearFit:
    """One hierarchical model fitted to one capture table."""

    terms: tuple[Term, ...]
    name: str
    observed: int
    n_params: int
    fit: PoissonFit
    loglik: float
    aic: float
    bic: float
    deviance: float
    df: int

    @property
    def unseen(self) -> float:
        """Estimated number of people on no list, ``exp(û)``."""
        return float(math.exp(min(self.fit.beta[0], 700.0)))

    @property
    def estimate(self) -> float:
        return self.observed + self.unseen

    @property
    def finite(self) -> bool:
        return self.fit.finite and math.isfinite(self.estimate)

    @property
    def intercept_se(self) -> float:
        return float(math.sqrt(max(self.fit.cov[0, 0], 0.0)))


def fit_model(table: CaptureTable, terms: Sequence[Term]) -> LoglinearFit:
    """Fit one hierarchical model (``terms`` are closed under subsets) to the observed cells."""
    full_terms = closure(terms)
    x = design_matrix(table.n_lists, full_terms)[1:]
    y = table.counts[1:].astype(float)
    fit = fit_poisson(x, y)
    saturated = float(np.sum(np.where(y > 0, y * np.log(np.where(y > 0, y, 1.0)) - y, 0.0)))
    saturated -= float(np.sum(gammaln(y + 1.0)))
    p = x.shape[1]
    n = max(table.observed, 1)
    return LoglinearFit(
        terms=full_terms,
        name=model_name(full_terms, table.n_lists),
        observed=table.observed,
        n_params=p,
        fit=fit,
        loglik=fit.loglik,
        aic=-2.0 * fit.loglik + 2.0 * p,
        bic=-2.0 * fit.loglik + math.log(n) * p,
        deviance=2.0 * (saturated - fit.loglik),
        df=len(y) - p,
    )


def all_terms(n_lists: int) -> list[Term]:
    """Every interaction below the highest order (which is not identifiable), by size."""
    return [t for size in range(2, n_lists) for t in itertools.combinations(range(n_lists), size)]


def hierarchical_models(n_lists: int) -> Iterator[tuple[Term, ...]]:
    """Every hierarchical model without the J-way term (each as its closed set of terms)."""
    candidates = all_terms(n_lists)

    def extend(i: int, chosen: tuple[Term, ...]) -> Iterator[tuple[Term, ...]]:
        if i == len(candidates):
            yield chosen
            return
        term = candidates[i]
        yield from extend(i + 1, chosen)
        subs = itertools.combinations(term, len(term) - 1) if len(term) > 2 else ()
        if all(s in chosen for s in subs):
            yield from extend(i + 1, (*chosen, term))

    yield from extend(0, ())


def _score(fit: LoglinearFit, criterion: str) -> float:
    if not fit.finite:
        return math.inf
    return fit.aic if criterion == "aic" else fit.bic


@dataclass
class ModelSearch:
    """The outcome of a search over hierarchical models."""

    criterion: str
    best: LoglinearFit
    ranked: list[LoglinearFit] = field(default_factory=list)  # finite fits, best first
    not_finite: int = 0
    exhaustive: bool = True
    better_not_finite: int = 0  # models scoring better than ``best`` whose estimate is infinite


def search_models(table: CaptureTable, criterion: str = "bic") -> ModelSearch:
    """Choose a hierarchical model by AIC or BIC.

    Up to :data:`EXHAUSTIVE_MAX_LISTS` lists every hierarchical model is fitted; beyond, a greedy
    search adds or removes one term at a time (keeping the model hierarchical) from the
    independence model while the criterion improves. Models whose estimate is not finite are
    left out.
    """
    if criterion not in {"aic", "bic"}:
        raise SijillError(f"unknown criterion {criterion!r}: use aic or bic")
    if table.n_lists <= EXHAUSTIVE_MAX_LISTS:
        fits = [fit_model(table, m) for m in hierarchical_models(table.n_lists)]
        exhaustive = True
    else:
        fits = _greedy(table, criterion)
        exhaustive = False
    finite = sorted((f for f in fits if f.finite), key=lambda f: _score(f, criterion))
    if not finite:
        raise SijillError("no log-linear model gives a finite estimate for these data")
    raw = (lambda f: f.aic) if criterion == "aic" else (lambda f: f.bic)
    better = sum(1 for f in fits if not f.finite and raw(f) < raw(finite[0]))
    return ModelSearch(criterion, finite[0], finite, len(fits) - len(finite), exhaustive, better)


def _greedy(table: CaptureTable, criterion: str) -> list[LoglinearFit]:
    seen: dict[tuple[Term, ...], LoglinearFit] = {}

    def get(terms: tuple[Term, ...]) -> LoglinearFit:
        key = closure(terms)
        if key not in seen:
            seen[key] = fit_model(table, key)
        return seen[key]

    current = get(())
    candidates = all_terms(table.n_lists)
    while True:
        moves: list[tuple[Term, ...]] = []
        have = set(current.terms)
        for term in candidates:
            if term in have:
                if not any(set(term) < set(u) for u in have):
                    moves.append(tuple(t for t in current.terms if t != term))
            else:
                subs = itertools.combinations(term, len(term) - 1) if len(term) > 2 else ()
                if all(s in have for s in subs):
                    moves.append((*current.terms, term))
        best = min((get(m) for m in moves), key=lambda f: _score(f, criterion), default=None)
        if best is None or _score(best, criterion) >= _score(current, criterion):
            return list(seen.values())
        current = best


def profile_loglik(table: CaptureTable, terms: Sequence[Term], unseen: float) -> float:
    """The multinomial log-likelihood of N = n + ``unseen``, maximized over the model."""
    x = design_matrix(table.n_lists, closure(terms))
    y = table.counts.astype(float).copy()
    y[0] = unseen
    fit = fit_poisson(x, y)
    total = y.sum()
    prob = fit.mu / fit.mu.sum()
    safe = np.where(prob > 0, prob, 1.0)
    return float(
        gammaln(total + 1.0)
        - np.sum(gammaln(y + 1.0))
        + np.sum(np.where(y > 0, y * np.log(safe), 0.0))
    )


def profile_interval(
    table: CaptureTable, fitted: LoglinearFit, level: float = 0.95
) -> tuple[float, float]:
    """Profile-likelihood interval for N (Rcapture's ``closedpCI``-style interval)."""
    crit = stats.chi2.ppf(level, 1) / 2.0
    terms = fitted.terms

    def ll(unseen: float) -> float:
        return profile_loglik(table, terms, unseen)

    start = max(fitted.unseen, 1e-6)
    res = optimize.minimize_scalar(
        lambda t: -ll(math.exp(t)),
        bracket=(math.log(start) - 0.2, math.log(start) + 0.2),
        method="brent",
    )
    peak_unseen = math.exp(float(res.x))
    peak = ll(peak_unseen)

    def drop(unseen: float) -> float:
        return peak - ll(unseen) - crit

    if drop(0.0) <= 0:
        lower_unseen = 0.0
    else:
        lower_unseen = optimize.brentq(drop, 0.0, peak_unseen, xtol=1e-6)
    hi = max(peak_unseen * 2.0, 10.0)
    for _ in range(60):
        if drop(hi) > 0:
            break
        hi *= 2.0
    else:
        return table.observed + lower_unseen, math.inf
    upper_unseen = optimize.brentq(drop, peak_unseen, hi, xtol=1e-6)
    return table.observed + lower_unseen, table.observed + upper_unseen
