"""One entry point: estimate the total from capture histories by a chosen method, per stratum.

Strata are estimated separately and summed. For the Bayesian methods (LCMCR, dga) the posterior
draws of the strata are summed draw by draw (strata are independent a posteriori), which carries
their whole uncertainty into the total. For log-linear models, which give a point estimate and a
profile (or log-normal) interval per stratum, the total is the sum of the estimates and each end
of its interval is the estimate minus (plus) the root sum of squares of the strata's distances to
their lower (upper) ends: a normal approximation with independent strata that keeps each
stratum's asymmetry.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from sijill.errors import SijillError
from sijill.estimate import dga, lcmcr, loglinear, stepwise
from sijill.estimate.checks import data_warnings, estimate_warnings
from sijill.estimate.histories import CaptureData, CaptureTable
from sijill.estimate.result import EstimateResult, StratumEstimate

METHODS = ("lcmcr", "loglinear", "dga")
SELECTIONS = ("bic", "aic", "stepwise")
PRIOR_SHIFT = 0.10  # relative change of the median that makes an estimate prior-sensitive
MODEL_SPREAD = 0.25  # relative spread among near-best log-linear models worth a warning


@dataclass(frozen=True)
class EstimateOptions:
    """How to estimate (defaults: FORMATS.md §4)."""

    method: str = "lcmcr"
    select: str = "bic"
    level: float = 0.95
    seed: int | None = None
    lcmcr: lcmcr.LcmcrSettings = field(default_factory=lcmcr.LcmcrSettings)
    delta: float | None = None
    prior_check: bool = True

    def validate(self) -> None:
        if self.method not in METHODS:
            raise SijillError(f"unknown method {self.method!r}: use one of {', '.join(METHODS)}")
        if self.select not in SELECTIONS:
            raise SijillError(
                f"unknown selection {self.select!r}: use one of {', '.join(SELECTIONS)}"
            )
        if not 0 < self.level < 1:
            raise SijillError("the interval level must be between 0 and 1")


def estimate(
    data: CaptureData,
    options: EstimateOptions | None = None,
    on_stratum: Callable[[str], None] | None = None,
) -> EstimateResult:
    """Estimate each stratum of ``data`` and their total (``on_stratum`` reports progress)."""
    options = options or EstimateOptions()
    options.validate()
    rng = np.random.default_rng(options.seed)
    strata: list[StratumEstimate] = []
    skipped = [name for name, table in data.strata.items() if table.observed == 0]
    for index, (name, table) in enumerate(data.strata.items()):
        if on_stratum is not None:
            on_stratum(name)
        if table.observed == 0:
            continue
        stratum_options = options
        if options.seed is not None:
            stratum_options = replace(options, seed=options.seed + 7919 * index)
        try:
            strata.append(estimate_table(name, table, stratum_options))
        except SijillError as exc:
            if len(data.strata) == 1:
                raise
            raise SijillError(f"stratum {name!r}: {exc}") from exc
    if not strata:
        raise SijillError("no one is observed in any stratum")
    result = _combine(data.lists, strata, options, rng)
    result.warnings += [
        f"stratum {name!r} has no one observed and was left out" for name in skipped
    ]
    return result


def estimate_table(name: str, table: CaptureTable, options: EstimateOptions) -> StratumEstimate:
    """Estimate the total for one capture table."""
    options.validate()
    if table.observed == 0:
        raise SijillError(f"stratum {name!r}: no one is observed")
    if options.method == "lcmcr":
        result = _lcmcr(name, table, options)
    elif options.method == "dga":
        result = _dga(name, table, options)
    elif options.select == "stepwise":
        result = _stepwise(name, table, options)
    else:
        result = _loglinear(name, table, options)
    result.warnings[:0] = data_warnings(table)
    result.warnings += estimate_warnings(table.observed, result.estimate, result.interval)
    return result


def _quantiles(draws: np.ndarray, level: float) -> tuple[float, float]:
    lo, hi = np.quantile(draws, [(1 - level) / 2, (1 + level) / 2])
    return float(lo), float(hi)


def _lcmcr(name: str, table: CaptureTable, options: EstimateOptions) -> StratumEstimate:
    settings = replace(options.lcmcr, seed=options.seed)
    draws = lcmcr.sample(table, settings)
    flat = draws.n.ravel()
    r_hat, n_eff = draws.rhat, draws.ess
    warnings: list[str] = []
    if not draws.converged:
        kept = draws.n.shape[1]
        if not r_hat < settings.rhat_target:
            warnings.append(
                f"chains have not mixed (R-hat {r_hat:.3f} ≥ {settings.rhat_target}) after "
                f"{kept:,} draws per chain: raise --max-samples or --thin"
            )
        if n_eff < settings.ess_target:
            warnings.append(
                f"effective sample size of N is only {n_eff:.0f} (< {settings.ess_target:.0f}) "
                f"after {kept:,} draws per chain: interval ends are uncertain; raise "
                "--max-samples or --thin"
            )
    median = float(np.median(flat))
    diagnostics: dict[str, Any] = {
        "rhat": round(r_hat, 4),
        "ess": round(n_eff, 1),
        "converged": draws.converged,
        "chains": settings.chains,
        "samples_per_chain": draws.n.shape[1],
        "burnin": settings.burnin,
        "thin": settings.thin,
        "K": settings.K,
        "prior": {"a": settings.a, "b": settings.b},
        "alpha_median": round(float(np.median(draws.alpha)), 4),
        "occupied_classes_mean": round(float(draws.occupied.mean()), 3),
        "seeds": draws.seeds,
    }
    if options.prior_check:
        alt = replace(
            settings,
            a=1.0 if settings.a != 1.0 else 0.25,
            b=1.0 if settings.b != 1.0 else 0.25,
            chains=min(settings.chains, 2),
            samples=max(settings.samples // 2, 1),
            max_samples=0,  # a fixed length: only the median is compared
            seed=None if settings.seed is None else settings.seed + 1,
        )
        alt_median = float(np.median(lcmcr.sample(table, alt).n))
        change = abs(alt_median - median) / median
        diagnostics["prior_check"] = {
            "a": alt.a,
            "b": alt.b,
            "median": round(alt_median, 1),
            "relative_change": round(change, 4),
        }
        if change > PRIOR_SHIFT:
            warnings.append(
                f"prior-sensitive: with a={alt.a:g}, b={alt.b:g} the median moves by {change:.0%} "
                f"({median:,.0f} → {alt_median:,.0f})"
            )
    return StratumEstimate(
        name=name,
        observed=table.observed,
        estimate=median,
        interval=_quantiles(flat, options.level),
        mean=float(flat.mean()),
        model=f"LCMCR K={settings.K}",
        draws=flat,
        chains=draws.n,
        diagnostics=diagnostics,
        warnings=warnings,
    )


def _dga(name: str, table: CaptureTable, options: EstimateOptions) -> StratumEstimate:
    post = dga.posterior(table, options.delta)
    lo = post.quantile((1 - options.level) / 2)
    hi = post.quantile((1 + options.level) / 2)
    median = post.quantile(0.5)
    order = np.argsort(-post.model_weights)[:5]
    diagnostics: dict[str, Any] = {
        "delta": post.delta,
        "graphs": len(post.graphs),
        "top_models": [
            {
                "graph": post.graphs[i].name(table.lists),
                "weight": round(float(post.model_weights[i]), 4),
            }
            for i in order
        ],
    }
    warnings: list[str] = []
    if post.truncated:
        warnings.append(
            f"the posterior of N is heavy-tailed: it was cut at N = {post.n_grid[-1]:,.0f} "
            "with mass left beyond; the upper end of the interval is too low"
        )
    if options.prior_check:
        alt_delta = 1.0 if post.delta != 1.0 else 2.0**-table.n_lists
        alt_median = dga.posterior(table, alt_delta).quantile(0.5)
        change = abs(alt_median - median) / median
        diagnostics["prior_check"] = {
            "delta": alt_delta,
            "median": alt_median,
            "relative_change": round(change, 4),
        }
        if change > PRIOR_SHIFT:
            warnings.append(
                f"prior-sensitive: with delta={alt_delta:g} the median moves by {change:.0%} "
                f"({median:,.0f} → {alt_median:,.0f})"
            )
    rng = np.random.default_rng(options.seed)
    size = options.lcmcr.samples * options.lcmcr.chains
    return StratumEstimate(
        name=name,
        observed=table.observed,
        estimate=median,
        interval=(lo, hi),
        mean=post.mean,
        model=post.graphs[order[0]].name(table.lists),
        draws=post.sample(size, rng),
        diagnostics=diagnostics,
        warnings=warnings,
        curve=(post.n_grid, post.posterior_n),
    )


def _loglinear(name: str, table: CaptureTable, options: EstimateOptions) -> StratumEstimate:
    search = loglinear.search_models(table, options.select)
    best = search.best
    interval = loglinear.profile_interval(table, best, options.level)
    score = (lambda f: f.aic) if options.select == "aic" else (lambda f: f.bic)
    near = [f for f in search.ranked if score(f) - score(best) <= 2.0]
    diagnostics: dict[str, Any] = {
        "criterion": options.select,
        "value": round(score(best), 3),
        "deviance": round(best.deviance, 3),
        "df": best.df,
        "models_fitted": len(search.ranked) + search.not_finite,
        "models_not_finite": search.not_finite,
        "search": "exhaustive" if search.exhaustive else "greedy",
        "alternatives": [
            {"model": f.name, options.select: round(score(f), 3), "estimate": round(f.estimate, 1)}
            for f in search.ranked[:5]
        ],
    }
    warnings: list[str] = []
    if search.better_not_finite:
        warnings.append(
            f"{search.better_not_finite} model(s) with a better {options.select.upper()} have no "
            "finite estimate (the fit runs to the boundary) and were left out"
        )
    estimates = [f.estimate for f in near]
    if len(near) > 1 and (max(estimates) - min(estimates)) / best.estimate > MODEL_SPREAD:
        warnings.append(
            f"model-sensitive: {len(near)} models within 2 {options.select.upper()} units of the "
            f"best give {min(estimates):,.0f} to {max(estimates):,.0f}"
        )
    return StratumEstimate(
        name=name,
        observed=table.observed,
        estimate=best.estimate,
        interval=interval,
        model=best.name,
        diagnostics=diagnostics,
        warnings=warnings,
        curve=_profile_curve(table, best, interval),
    )


def _profile_curve(
    table: CaptureTable, best: loglinear.LoglinearFit, interval: tuple[float, float]
) -> tuple[np.ndarray, np.ndarray] | None:
    """The relative profile likelihood of N around the interval, for the figure."""
    lo, hi = interval
    if not math.isfinite(hi):
        return None
    start = max(float(table.observed), lo - 0.5 * (best.estimate - lo))
    grid = np.linspace(start, hi + 0.5 * (hi - best.estimate), 61)
    ll = np.array([loglinear.profile_loglik(table, best.terms, n - table.observed) for n in grid])
    return grid, np.exp(ll - ll.max())


def _stepwise(name: str, table: CaptureTable, options: EstimateOptions) -> StratumEstimate:
    fit = stepwise.stepwise(table)
    names = table.lists
    pairs = [f"{names[a]}:{names[b]}" for a, b in fit.pairs]
    warnings = [
        f"lists {names[a]} and {names[b]} never overlap: their effect is taken as -infinity"
        for a, b in fit.empty_pairs
    ]
    if not fit.fit.finite:
        warnings.append("the chosen model's estimate may not exist (coefficients diverged)")
    return StratumEstimate(
        name=name,
        observed=table.observed,
        estimate=fit.estimate,
        interval=fit.interval(options.level),
        model="main effects" + "".join(f" + {p}" for p in pairs),
        diagnostics={
            "threshold": stepwise.P_THRESHOLD,
            "steps": [{"pair": f"{names[a]}:{names[b]}", "p": p} for (a, b), p in fit.steps],
        },
        warnings=warnings,
    )


def _combine(
    lists: tuple[str, ...],
    strata: list[StratumEstimate],
    options: EstimateOptions,
    rng: np.random.Generator,
) -> EstimateResult:
    method = options.method
    selection = options.select if method == "loglinear" else None
    settings: dict[str, Any] = {}
    if method == "lcmcr":
        chain = options.lcmcr
        settings = {
            "K": chain.K,
            "a": chain.a,
            "b": chain.b,
            "burnin": chain.burnin,
            "samples": chain.samples,
            "max_samples": chain.max_samples,
            "thin": chain.thin,
            "chains": chain.chains,
            "seed": options.seed,
        }
    elif method == "dga":
        settings = {"delta": strata[0].diagnostics.get("delta"), "seed": options.seed}
    observed = sum(s.observed for s in strata)
    if len(strata) == 1:
        only = strata[0]
        return EstimateResult(
            method=method,
            lists=lists,
            observed=observed,
            estimate=only.estimate,
            interval=only.interval,
            level=options.level,
            strata=strata,
            mean=only.mean,
            model=only.model,
            selection=selection,
            settings=settings,
            diagnostics=only.diagnostics,
            warnings=list(only.warnings),
            draws=only.draws,
        )
    warnings = [f"{s.name}: {w}" for s in strata for w in s.warnings]
    diagnostics = {s.name: s.diagnostics for s in strata}
    if method in {"lcmcr", "dga"}:
        size = min(len(s.draws) for s in strata if s.draws is not None)
        total = np.zeros(size)
        for s in strata:
            assert s.draws is not None
            total += rng.permutation(s.draws)[:size]
        return EstimateResult(
            method=method,
            lists=lists,
            observed=observed,
            estimate=float(np.median(total)),
            interval=_quantiles(total, options.level),
            level=options.level,
            strata=strata,
            mean=float(total.mean()),
            selection=selection,
            settings=settings,
            diagnostics=diagnostics,
            warnings=warnings,
            draws=total,
            combination="posterior draws of the strata summed draw by draw",
        )
    point = sum(s.estimate for s in strata)
    low = math.sqrt(sum((s.estimate - s.interval[0]) ** 2 for s in strata))
    high = math.sqrt(sum((s.interval[1] - s.estimate) ** 2 for s in strata))
    return EstimateResult(
        method=method,
        lists=lists,
        observed=observed,
        estimate=point,
        interval=(max(point - low, float(observed)), point + high),
        level=options.level,
        strata=strata,
        selection=selection,
        settings=settings,
        diagnostics=diagnostics,
        warnings=warnings,
        combination="sum of estimates; each interval end combines the strata's distances to "
        "their ends in quadrature (normal approximation, independent strata)",
    )
