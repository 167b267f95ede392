"""LCMCR: the Bayesian non-parametric latent class model of Manrique-Vallier (2016, Biometrics).

Each person belongs to one of K latent classes (a truncated stick-breaking prior: V_k ~ Beta(1, α),
V_K = 1, π_k = V_k Π_{h<k} (1 − V_h), α ~ Gamma(a, b)); within a class the lists capture
independently with probabilities λ_jk ~ Beta(1, 1); N has the improper prior p(N) ∝ 1/N.

The Gibbs sampler (the paper's §3, with data augmentation of the unobserved cell) works on the
aggregated counts, so one iteration costs O(2**J · K), whatever the number of people:

1. n0 | θ ~ NegativeBinomial(n, 1 − p0), with p0 = Σ_k π_k Π_j (1 − λ_jk) the chance of being
   on no list;
2. for each pattern x (the all-zero one with count n0 included) the people with that pattern
   are spread over the classes by one multinomial draw, with probabilities
   ∝ π_k Π_j λ_jk^x_j (1 − λ_jk)^(1 − x_j);
3. λ_jk | counts ~ Beta(1 + captured in class k by list j, 1 + not captured);
4. V_k ~ Beta(1 + m_k, α + Σ_{h>k} m_h); 5. α ~ Gamma(a + K − 1, b − log π_K).

Step 4 works on the log scale: V = A / (A + B) with A, B Gamma draws, so log V = log A −
log(A + B) and log(1 − V) = log B − log(A + B). When the second shape (α + tail) is below 1, A
and B are log-Gamma draws (for a shape s below 1, log Gamma(s + 1) + log(U)/s, which does not
underflow) combined by logaddexp; otherwise both Gamma draws are far from 0 and their logarithms
are taken directly (cheaper, and the same distribution). A Beta(1 + m, α + tail) draw with a
small second parameter rounds to exactly 1 on the linear scale, which bounds log π_K below and
keeps α, and the surplus classes, from getting small; on the log scale nothing is clamped.

Chains start as the R package's do: every class at the lists' observed capture rates, α held
at 0.3/K for a short warm-up, then the classes ordered by size. They then run until split R-hat
of N and of log α is below 1.01 and the effective sample size of N at least 400, doubling their
length up to a ceiling (``max_samples`` draws kept per chain); short of that the result says so.
(α mixes more slowly than N: the surplus classes of the starting state empty slowly.)

This is the same Markov chain as the per-person sampler (the class labels of people who share a
pattern are exchangeable), so mixing per iteration is the same; only the cost differs.
"""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numba
import numpy as np

from sijill.errors import SijillError
from sijill.estimate.diagnostics import ess, rhat
from sijill.estimate.histories import CaptureTable, patterns_matrix


@dataclass(frozen=True)
class LcmcrSettings:
    """Sampler settings (defaults follow the R package's example use).

    ``samples`` draws are kept per chain at first; while split R-hat of N is at or above
    ``rhat_target`` or its effective sample size below ``ess_target`` the chains are doubled,
    up to ``max_samples`` draws each (``max_samples`` ≤ ``samples``: a fixed length).
    """

    K: int = 10
    a: float = 0.25
    b: float = 0.25
    burnin: int = 10_000
    samples: int = 1_000  # kept per chain
    thin: int = 100
    chains: int = 4
    seed: int | None = None
    max_samples: int = 16_000
    rhat_target: float = 1.01
    ess_target: float = 400.0
    warmup: int = 500  # iterations with α held small, before the burn-in


@dataclass
class LcmcrDraws:
    """Posterior draws, one row per chain."""

    n: np.ndarray  # (chains, samples) draws of N
    alpha: np.ndarray  # (chains, samples)
    occupied: np.ndarray  # (chains, samples) latent classes with at least one person
    settings: LcmcrSettings
    observed: int
    seeds: list[int] = field(default_factory=list)
    rhat: float = math.nan
    ess: float = math.nan
    converged: bool = False


@numba.njit(cache=True, nogil=True)
def _log_gamma(shape: float) -> float:
    """log of a Gamma(shape, 1) draw, exact in the far left tail for small shapes."""
    if shape >= 1.0:
        return math.log(np.random.gamma(shape, 1.0))
    return math.log(np.random.gamma(shape + 1.0, 1.0)) + math.log(1.0 - np.random.random()) / shape


@numba.njit(cache=True, nogil=True)
def _sample_chain(
    counts: np.ndarray,
    pats: np.ndarray,
    a: float,
    b: float,
    lam: np.ndarray,
    log_pi: np.ndarray,
    alpha_box: np.ndarray,
    burnin: int,
    samples: int,
    thin: int,
    seed: int,
    hold_alpha: bool,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Run one chain from the state (``lam``, ``log_pi``, ``alpha_box[0]``), updated in place."""
    np.random.seed(seed)
    n_cells, n_lists = pats.shape
    k_classes = log_pi.shape[0]
    n_obs = 0
    for c in range(1, n_cells):
        n_obs += counts[c]
    alpha = alpha_box[0]
    pi = np.exp(log_pi)
    cell_counts = counts.copy()
    m = np.zeros(k_classes, dtype=np.int64)
    s = np.zeros((n_lists, k_classes), dtype=np.int64)
    order = np.arange(k_classes)  # classes by decreasing weight (insertion-sorted each time)
    weights = np.empty((n_cells, k_classes))  # π_k P(pattern | class k), built bit by bit
    odds = np.empty((n_lists, k_classes))
    out_n = np.empty(samples, dtype=np.int64)
    out_alpha = np.empty(samples)
    out_occupied = np.empty(samples, dtype=np.int64)
    total_iter = burnin + samples * thin
    kept = 0
    for it in range(total_iter):
        # 1. the number of people on no list
        p0 = 0.0
        for k in range(k_classes):
            acc = pi[k]
            for j in range(n_lists):
                acc *= 1.0 - lam[j, k]
                odds[j, k] = lam[j, k] / (1.0 - lam[j, k])
            weights[0, k] = acc
            p0 += acc
        for c in range(1, n_cells):
            j = 0
            while not (c >> j) & 1:
                j += 1
            below = c ^ (1 << j)
            for k in range(k_classes):
                weights[c, k] = weights[below, k] * odds[j, k]
        p0 = min(max(p0, 0.0), 1.0 - 1e-12)
        cell_counts[0] = np.random.negative_binomial(n_obs, 1.0 - p0)
        # 2. spread each pattern's people over the classes
        m[:] = 0
        s[:, :] = 0
        for r in range(1, k_classes):  # big classes first: the draws end sooner
            k = order[r]
            q = r
            while q > 0 and pi[order[q - 1]] < pi[k]:
                order[q] = order[q - 1]
                q -= 1
            order[q] = k
        for c in range(n_cells):
            cnt = cell_counts[c]
            if cnt == 0:
                continue
            left = 0.0
            for k in range(k_classes):
                left += weights[c, k]
            remaining = cnt
            for r in range(k_classes):
                if remaining == 0:
                    break
                k = order[r]
                if r == k_classes - 1 or left <= 0.0:
                    x = remaining
                else:
                    p = weights[c, k] / left
                    if p >= 1.0:
                        x = remaining
                    elif p <= 0.0:
                        x = 0
                    else:
                        x = np.random.binomial(remaining, p)
                left -= weights[c, k]
                remaining -= x
                if x > 0:
                    m[k] += x
                    for j in range(n_lists):
                        if pats[c, j] == 1:
                            s[j, k] += x
        # 3. capture probabilities within classes
        for j in range(n_lists):
            for k in range(k_classes):
                if m[k] == 0:  # an empty class: Beta(1, 1) is uniform
                    draw = np.random.random()
                else:
                    draw = np.random.beta(1.0 + s[j, k], 1.0 + m[k] - s[j, k])
                lam[j, k] = min(max(draw, 1e-12), 1.0 - 1e-12)
        # 4. stick-breaking weights, on the log scale (no clamp)
        tail = 0
        for k in range(k_classes):
            tail += m[k]
        log_rest = 0.0
        for k in range(k_classes - 1):
            tail -= m[k]
            shape_b = alpha + tail
            if shape_b >= 1.0:  # both draws are safely away from 0: three logarithms
                draw_a = np.random.gamma(1.0 + m[k], 1.0)
                draw_b = np.random.gamma(shape_b, 1.0)
                log_a, log_b = math.log(draw_a), math.log(draw_b)
                log_sum = math.log(draw_a + draw_b)
            else:
                log_a = _log_gamma(1.0 + m[k])
                log_b = _log_gamma(shape_b)
                high = max(log_a, log_b)
                log_sum = high + math.log1p(math.exp(min(log_a, log_b) - high))
            log_pi[k] = log_rest + log_a - log_sum
            log_rest += log_b - log_sum
        log_pi[k_classes - 1] = log_rest
        for k in range(k_classes):
            pi[k] = math.exp(log_pi[k])
        # 5. the concentration
        if not hold_alpha:
            alpha = np.random.gamma(a + k_classes - 1.0, 1.0 / (b - log_rest))
        if it >= burnin and (it - burnin) % thin == thin - 1:
            out_n[kept] = n_obs + cell_counts[0]
            out_alpha[kept] = alpha
            occupied = 0
            for k in range(k_classes):
                if m[k] > 0:
                    occupied += 1
            out_occupied[kept] = occupied
            kept += 1
    alpha_box[0] = alpha
    return out_n, out_alpha, out_occupied


def chain_seeds(seed: int | None, chains: int) -> list[int]:
    """Independent 31-bit seeds for each chain, reproducible from one seed."""
    seq = np.random.SeedSequence(seed)
    return [int(s.generate_state(1)[0] & 0x7FFFFFFF) for s in seq.spawn(chains)]


def _segment_seed(chain_seed: int, segment: int) -> int:
    return int(np.random.SeedSequence([chain_seed, segment]).generate_state(1)[0] & 0x7FFFFFFF)


class _Chain:
    """One chain's state between runs (the sampler updates it in place)."""

    def __init__(self, table: CaptureTable, k_classes: int) -> None:
        pats = patterns_matrix(table.n_lists)
        rates = (pats[1:] * table.counts[1:, None]).sum(axis=0) / table.observed
        self.lam = np.repeat(np.clip(rates, 1e-3, 1 - 1e-3)[:, None], k_classes, axis=1)
        self.log_pi = np.full(k_classes, -math.log(k_classes))
        self.alpha = np.array([0.3 / k_classes])

    def order_classes(self) -> None:
        """Largest class first, as the stick-breaking prior expects."""
        order = np.argsort(-self.log_pi, kind="stable")
        self.lam = np.ascontiguousarray(self.lam[:, order])
        self.log_pi = np.ascontiguousarray(self.log_pi[order])


def sample(table: CaptureTable, settings: LcmcrSettings | None = None) -> LcmcrDraws:
    """Run ``settings.chains`` chains (in threads: the sampler releases the GIL) to convergence."""
    settings = settings or LcmcrSettings()
    if settings.K < 1 or settings.samples < 1 or settings.thin < 1 or settings.chains < 1:
        raise SijillError("LCMCR: K, samples, thin and chains must be at least 1")
    if settings.burnin < 0 or settings.warmup < 0 or settings.a <= 0 or settings.b <= 0:
        raise SijillError("LCMCR: burn-in and warm-up must be ≥ 0 and a, b > 0")
    if table.observed == 0:
        raise SijillError("LCMCR: no one is observed")
    counts = table.counts.astype(np.int64).copy()
    counts[0] = 0
    pats = patterns_matrix(table.n_lists)
    seeds = chain_seeds(settings.seed, settings.chains)
    states = [_Chain(table, settings.K) for _ in seeds]

    def run_all(
        segment: int, burnin: int, samples: int, hold: bool = False
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every chain on from where it stopped: draws of N, α and occupied classes by chain."""

        def run(index: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
            state = states[index]
            return _sample_chain(
                counts,
                pats,
                float(settings.a),
                float(settings.b),
                state.lam,
                state.log_pi,
                state.alpha,
                burnin,
                samples,
                settings.thin,
                _segment_seed(seeds[index], segment),
                hold,
            )

        with ThreadPoolExecutor(max_workers=min(settings.chains, 4)) as pool:
            results = list(pool.map(run, range(len(states))))
        n, alpha, occupied = (np.stack(draws) for draws in zip(*results, strict=True))
        return n.astype(float), alpha, occupied

    run_all(0, settings.warmup, 0, hold=True)
    for state in states:
        state.order_classes()
    n, alpha, occupied = run_all(1, settings.burnin, settings.samples)
    segment = 1
    while True:
        r_hat, n_eff = max(rhat(n), rhat(np.log(alpha))), ess(n)
        converged = r_hat < settings.rhat_target and n_eff >= settings.ess_target
        more = min(n.shape[1], settings.max_samples - n.shape[1])
        if converged or more <= 0:
            break
        segment += 1
        more_n, more_alpha, more_occupied = run_all(segment, 0, more)
        n, alpha = np.hstack([n, more_n]), np.hstack([alpha, more_alpha])
        occupied = np.hstack([occupied, more_occupied])
    return LcmcrDraws(
        n=n,
        alpha=alpha,
        occupied=occupied,
        settings=settings,
        observed=table.observed,
        seeds=seeds,
        rhat=r_hat,
        ess=n_eff,
        converged=converged,
    )
