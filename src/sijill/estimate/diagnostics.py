"""Convergence diagnostics for several Markov chains: split R-hat and effective sample size.

Both follow Gelman et al., *Bayesian Data Analysis* (3rd ed., §11.4–11.5): chains are split in
halves; R-hat compares between- and within-chain variance; the effective sample size sums the
autocorrelations pooled over chains up to Geyer's initial positive sequence.
"""

from __future__ import annotations

import numpy as np


def _split(draws: np.ndarray) -> np.ndarray:
    draws = np.atleast_2d(np.asarray(draws, dtype=float))
    half = draws.shape[1] // 2
    if half < 2:
        return draws
    return np.vstack([draws[:, :half], draws[:, half : 2 * half]])


def rhat(draws: np.ndarray) -> float:
    """Split R-hat of ``draws`` shaped (chains, samples); 1.0 means the chains agree."""
    chains = _split(draws)
    m, n = chains.shape
    if n < 2:
        return float("nan")
    means = chains.mean(axis=1)
    within = chains.var(axis=1, ddof=1).mean()
    between = n * means.var(ddof=1) if m > 1 else 0.0
    if within <= 0:
        return 1.0 if between <= 0 else float("inf")
    var_plus = (n - 1) / n * within + between / n
    return float(np.sqrt(var_plus / within))


def _autocovariance(x: np.ndarray) -> np.ndarray:
    n = len(x)
    size = 1 << (2 * n - 1).bit_length()
    centred = x - x.mean()
    spectrum = np.fft.rfft(centred, size)
    acov = np.fft.irfft(spectrum * np.conjugate(spectrum), size)[:n]
    return acov / n


def ess(draws: np.ndarray) -> float:
    """Effective sample size of ``draws`` shaped (chains, samples)."""
    chains = _split(draws)
    m, n = chains.shape
    if n < 4:
        return float(m * n)
    acov = np.array([_autocovariance(c) for c in chains])
    within = acov[:, 0].mean() * n / (n - 1)
    means = chains.mean(axis=1)
    var_plus = within * (n - 1) / n + (means.var(ddof=1) if m > 1 else 0.0)
    if var_plus <= 0:
        return float(m * n)
    rho = 1.0 - (within - acov.mean(axis=0)) / var_plus
    rho[0] = 1.0
    total = 0.0
    previous = np.inf
    for t in range(0, n - 1, 2):
        pair = rho[t] + rho[t + 1]
        if pair <= 0:
            break
        pair = min(pair, previous)  # initial monotone sequence
        total += pair
        previous = pair
    tau = -1.0 + 2.0 * total
    return float(m * n / max(tau, 1.0 / np.log10(max(m * n, 10))))
