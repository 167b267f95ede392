"""Poisson log-linear regression by iteratively reweighted least squares (tiny designs).

The designs of multiple systems estimation have at most 2**J rows and a few dozen columns, so a
hand-written IRLS in NumPy is faster than a general GLM library and gives the same answers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import gammaln

#: Coefficients larger than this in absolute value mean the maximum likelihood estimate lies at
#: the boundary (a fitted count tending to zero): the estimate does not exist.
DIVERGENT = 25.0


@dataclass(frozen=True)
class PoissonFit:
    """A fitted Poisson log-linear model."""

    beta: np.ndarray
    mu: np.ndarray
    cov: np.ndarray  # inverse Fisher information
    loglik: float
    converged: bool

    @property
    def finite(self) -> bool:
        """False when some coefficient ran off towards infinity (no finite MLE)."""
        return self.converged and bool(np.all(np.abs(self.beta[1:]) < DIVERGENT))


def poisson_loglik(y: np.ndarray, mu: np.ndarray) -> float:
    """Poisson log-likelihood, with 0·log 0 = 0 (``y`` may be non-integer)."""
    safe = np.where(mu > 0, mu, 1.0)
    return float(np.sum(np.where(y > 0, y * np.log(safe), 0.0) - mu - gammaln(y + 1.0)))


def fit_poisson(
    x: np.ndarray, y: np.ndarray, *, max_iter: int = 100, tol: float = 1e-10
) -> PoissonFit:
    """Fit ``log E[y] = x @ beta`` by IRLS (Newton's method for the canonical link)."""
    mu: np.ndarray = y + 0.5
    eta: np.ndarray = np.log(mu)
    beta: np.ndarray = np.zeros(x.shape[1])
    old = -np.inf
    converged = False
    cov = np.full((x.shape[1], x.shape[1]), np.nan)
    for _ in range(max_iter):
        z = eta + (y - mu) / mu
        xw = x * mu[:, None]
        info = x.T @ xw
        try:
            beta = np.linalg.solve(info, xw.T @ z)
        except np.linalg.LinAlgError:
            beta = np.linalg.lstsq(info, xw.T @ z, rcond=None)[0]
        eta = np.clip(x @ beta, -700.0, 700.0)
        mu = np.maximum(np.exp(eta), 1e-300)
        ll = poisson_loglik(y, mu)
        if abs(ll - old) < tol * (abs(ll) + 1.0):
            converged = True
            break
        old = ll
    info = x.T @ (x * mu[:, None])
    try:
        cov = np.linalg.inv(info)
    except np.linalg.LinAlgError:
        cov = np.linalg.pinv(info)
    return PoissonFit(beta, mu, cov, poisson_loglik(y, mu), converged)
