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
from sijill.estimate.histories import CaptureTable, patterns_matrix


@dataclass(frozen=True)
class LcmcrSettings:
    """Sampler settings (defaults follow the R package's example use)."""

    K: int = 10
    a: float = 0.25
    b: float = 0.25
    burnin: int = 10_000
    samples: int = 1_000  # kept per chain
    thin: int = 100
    chains: int = 4
    seed: int | None = None


@dataclass
class LcmcrDraws:
    """Posterior draws, one row per chain."""

    n: np.ndarray  # (chains, samples) draws of N
    alpha: np.ndarray  # (chains, samples)
    settings: LcmcrSettings
    observed: int
    seeds: list[int] = field(default_factory=list)


@numba.njit(cache=True, nogil=True)
def _sample_chain(
    counts: np.ndarray,
    pats: np.ndarray,
    k_classes: int,
    a: float,
    b: float,
    burnin: int,
    samples: int,
    thin: int,
    seed: int,
) -> tuple[np.ndarray, np.ndarray]:
    np.random.seed(seed)
    n_cells, n_lists = pats.shape
    n_obs = 0
    for c in range(1, n_cells):
        n_obs += counts[c]
    lam = np.empty((n_lists, k_classes))
    for j in range(n_lists):
        for k in range(k_classes):
            lam[j, k] = np.random.beta(1.0, 1.0)
    alpha = 1.0
    pi = np.empty(k_classes)
    rest = 1.0
    for k in range(k_classes - 1):
        v = np.random.beta(1.0, alpha)
        pi[k] = v * rest
        rest *= 1.0 - v
    pi[k_classes - 1] = rest
    cell_counts = counts.copy()
    m = np.zeros(k_classes, dtype=np.int64)
    s = np.zeros((n_lists, k_classes), dtype=np.int64)
    w = np.empty(k_classes)
    out_n = np.empty(samples, dtype=np.int64)
    out_alpha = np.empty(samples)
    total_iter = burnin + samples * thin
    kept = 0
    for it in range(total_iter):
        # 1. the number of people on no list
        p0 = 0.0
        for k in range(k_classes):
            acc = pi[k]
            for j in range(n_lists):
                acc *= 1.0 - lam[j, k]
            p0 += acc
        p0 = min(max(p0, 0.0), 1.0 - 1e-12)
        cell_counts[0] = np.random.negative_binomial(n_obs, 1.0 - p0)
        # 2. spread each pattern's people over the classes
        m[:] = 0
        s[:, :] = 0
        order = np.argsort(-pi)  # big classes first: the draws end sooner
        for c in range(n_cells):
            cnt = cell_counts[c]
            if cnt == 0:
                continue
            total_w = 0.0
            for k in range(k_classes):
                acc = pi[k]
                for j in range(n_lists):
                    if pats[c, j] == 1:
                        acc *= lam[j, k]
                    else:
                        acc *= 1.0 - lam[j, k]
                w[k] = acc
                total_w += acc
            remaining = cnt
            left = total_w
            for r in range(k_classes):
                if remaining == 0:
                    break
                k = order[r]
                if r == k_classes - 1 or left <= 0.0:
                    x = remaining
                else:
                    p = w[k] / left
                    if p >= 1.0:
                        x = remaining
                    elif p <= 0.0:
                        x = 0
                    else:
                        x = np.random.binomial(remaining, p)
                left -= w[k]
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
        # 4. stick-breaking weights
        tail = 0
        for k in range(k_classes):
            tail += m[k]
        rest = 1.0
        log_rest = 0.0
        for k in range(k_classes - 1):
            tail -= m[k]
            if m[k] == 0:  # Beta(1, β) by inversion: 1 − U^(1/β)
                v = 1.0 - np.random.random() ** (1.0 / (alpha + tail))
            else:
                v = np.random.beta(1.0 + m[k], alpha + tail)
            v = min(max(v, 1e-300), 1.0 - 1e-12)
            pi[k] = v * rest
            rest *= 1.0 - v
            log_rest += math.log(1.0 - v)
        pi[k_classes - 1] = rest
        # 5. the concentration
        alpha = np.random.gamma(a + k_classes - 1.0, 1.0 / (b - log_rest))
        alpha = max(alpha, 1e-10)
        if it >= burnin and (it - burnin) % thin == thin - 1:
            out_n[kept] = n_obs + cell_counts[0]
            out_alpha[kept] = alpha
            kept += 1
    return out_n, out_alpha


def chain_seeds(seed: int | None, chains: int) -> list[int]:
    """Independent 31-bit seeds for each chain, reproducible from one seed."""
    seq = np.random.SeedSequence(seed)
    return [int(s.generate_state(1)[0] & 0x7FFFFFFF) for s in seq.spawn(chains)]


def sample(table: CaptureTable, settings: LcmcrSettings | None = None) -> LcmcrDraws:
    """Run ``settings.chains`` chains (in threads: the sampler releases the GIL)."""
    settings = settings or LcmcrSettings()
    if settings.K < 1 or settings.samples < 1 or settings.thin < 1 or settings.chains < 1:
        raise SijillError("LCMCR: K, samples, thin and chains must be at least 1")
    if settings.burnin < 0 or settings.a <= 0 or settings.b <= 0:
        raise SijillError("LCMCR: burn-in must be ≥ 0 and a, b > 0")
    if table.observed == 0:
        raise SijillError("LCMCR: no one is observed")
    counts = table.counts.astype(np.int64).copy()
    counts[0] = 0
    pats = patterns_matrix(table.n_lists)
    seeds = chain_seeds(settings.seed, settings.chains)

    def run(seed: int) -> tuple[np.ndarray, np.ndarray]:
        return _sample_chain(
            counts,
            pats,
            settings.K,
            float(settings.a),
            float(settings.b),
            settings.burnin,
            settings.samples,
            settings.thin,
            seed,
        )

    if settings.chains == 1:
        results = [run(seeds[0])]
    else:
        with ThreadPoolExecutor(max_workers=min(settings.chains, 4)) as pool:
            results = list(pool.map(run, seeds))
    return LcmcrDraws(
        n=np.stack([r[0] for r in results]).astype(float),
        alpha=np.stack([r[1] for r in results]),
        settings=settings,
        observed=table.observed,
        seeds=seeds,
    )
