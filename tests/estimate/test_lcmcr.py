"""The LCMCR Gibbs sampler against the R package's Kosovo figures, and its diagnostics."""

from __future__ import annotations

import numpy as np
import pytest

from sijill.errors import SijillError
from sijill.estimate import lcmcr
from sijill.estimate.diagnostics import ess, rhat
from sijill.estimate.histories import read_capture_file
from tests.estimate.helpers import KOSOVO, close, simulated_table

R_MEDIAN, R_LOW, R_HIGH = 10439, 9067, 13923  # LCMCR, K=10, a=b=0.25, long chains


def test_short_chains_land_near_the_r_posterior() -> None:
    table = read_capture_file(KOSOVO).total
    settings = lcmcr.LcmcrSettings(burnin=5000, samples=1000, thin=20, chains=2, seed=20261125)
    draws = lcmcr.sample(table, settings)
    assert draws.n.shape == (2, 1000)
    assert draws.n.min() >= table.observed
    assert close(float(np.median(draws.n)), R_MEDIAN, 0.06)


@pytest.mark.slow
def test_long_chains_agree_with_the_r_package() -> None:
    table = read_capture_file(KOSOVO).total
    settings = lcmcr.LcmcrSettings(burnin=20_000, samples=10_000, thin=50, chains=4, seed=7)
    draws = lcmcr.sample(table, settings)
    lo, med, hi = np.quantile(draws.n, [0.025, 0.5, 0.975])
    assert close(med, R_MEDIAN, 0.03)
    assert close(lo, R_LOW, 0.07) and close(hi, R_HIGH, 0.07)
    assert rhat(draws.n) < 1.05
    assert ess(draws.n) > 1000


def test_same_seed_same_draws() -> None:
    table = simulated_table(3000, [0.3, 0.4, 0.5, 0.2], seed=5)
    settings = lcmcr.LcmcrSettings(burnin=200, samples=100, thin=2, chains=2, seed=42)
    first = lcmcr.sample(table, settings)
    second = lcmcr.sample(table, settings)
    assert np.array_equal(first.n, second.n)
    assert not np.array_equal(first.n[0], first.n[1])


def test_independent_lists_cover_the_truth() -> None:
    table = simulated_table(4000, [0.3, 0.35, 0.4, 0.3], seed=9)
    settings = lcmcr.LcmcrSettings(burnin=2000, samples=500, thin=10, chains=2, seed=1)
    n = lcmcr.sample(table, settings).n
    lo, hi = np.quantile(n, [0.025, 0.975])
    assert lo < 4000 < hi


def test_bad_settings_are_refused() -> None:
    table = simulated_table(300, [0.3, 0.3, 0.3], seed=2)
    with pytest.raises(SijillError):
        lcmcr.sample(table, lcmcr.LcmcrSettings(K=0))
    with pytest.raises(SijillError):
        lcmcr.sample(table, lcmcr.LcmcrSettings(a=-1.0))


def test_rhat_and_ess_on_known_chains() -> None:
    rng = np.random.default_rng(0)
    iid = rng.normal(size=(4, 1000))
    assert rhat(iid) == pytest.approx(1.0, abs=0.02)
    assert 3000 < ess(iid) < 5000
    stuck = iid + np.array([[0.0], [0.0], [5.0], [5.0]])
    assert rhat(stuck) > 1.5
    walk = np.cumsum(rng.normal(size=(4, 1000)), axis=1)
    assert ess(walk) < 200
