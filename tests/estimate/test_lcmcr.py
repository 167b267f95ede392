"""The LCMCR Gibbs sampler against the R package's Kosovo figures, and its diagnostics."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from sijill.errors import SijillError
from sijill.estimate import lcmcr, loglinear
from sijill.estimate.diagnostics import ess, rhat
from sijill.estimate.histories import CaptureTable, read_capture_file
from tests.estimate.helpers import KOSOVO, close, simulated_table

R_MEDIAN, R_LOW, R_HIGH = 10439, 9067, 13923  # LCMCR, K=10, a=b=0.25, long chains


def test_short_chains_land_near_the_r_posterior() -> None:
    table = read_capture_file(KOSOVO).total
    settings = lcmcr.LcmcrSettings(
        burnin=5000, samples=1000, thin=20, chains=2, seed=20261125, max_samples=0
    )
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
    # chains are extended from where they stopped, with seeds of their own: still reproducible
    first = lcmcr.sample(table, settings)
    second = lcmcr.sample(table, settings)
    assert np.array_equal(first.n, second.n)
    assert not np.array_equal(first.n[0], first.n[1])


def test_independent_lists_cover_the_truth() -> None:
    table = simulated_table(4000, [0.3, 0.35, 0.4, 0.3], seed=9)
    settings = lcmcr.LcmcrSettings(
        burnin=2000, samples=500, thin=10, chains=2, seed=1, max_samples=0
    )
    n = lcmcr.sample(table, settings).n
    lo, hi = np.quantile(n, [0.025, 0.975])
    assert lo < 4000 < hi


def test_one_class_is_enough_for_independent_equal_lists() -> None:
    """Independent lists with equal capture probabilities need one latent class: the posterior
    of N is the independence model's, α goes near 0 and surplus classes empty (issue 17: with
    sticks drawn on the linear scale α stayed near 0.14 and 1.6-2.7 classes stayed occupied)."""
    table = simulated_table(3000, [0.3, 0.3, 0.3, 0.3], seed=11)
    independence = loglinear.fit_model(table, ())
    low, high = loglinear.profile_interval(table, independence)
    settings = lcmcr.LcmcrSettings(burnin=10_000, samples=500, thin=20, chains=2, seed=6)
    draws = lcmcr.sample(table, settings)
    lo, median, hi = np.quantile(draws.n, [0.025, 0.5, 0.975])
    assert close(median, independence.estimate, 0.01)
    assert close(lo, low, 0.02) and close(hi, high, 0.02)
    assert np.median(draws.alpha) < 0.05
    assert draws.occupied.mean() < 1.7
    assert draws.converged and draws.rhat < 1.01 and draws.ess >= 400


def test_chains_are_extended_until_they_converge_or_reach_the_ceiling() -> None:
    table = simulated_table(3000, [0.3, 0.3, 0.3, 0.3], seed=11)
    short = lcmcr.LcmcrSettings(burnin=2000, samples=50, thin=5, chains=2, seed=3)
    grown = lcmcr.sample(table, replace(short, max_samples=12_800))
    assert grown.n.shape[1] in {50 * 2**i for i in range(2, 9)}  # 2 × 50 draws: ESS < 400
    assert grown.converged and grown.ess >= 400 and grown.rhat < 1.01
    capped = lcmcr.sample(table, replace(short, max_samples=120))
    assert capped.n.shape == (2, 120) and not capped.converged
    fixed = lcmcr.sample(table, replace(short, max_samples=0))
    assert fixed.n.shape == (2, 50)


def test_heterogeneous_capture_is_covered() -> None:
    """A visible and a hidden group (35% of people 3-4 times likelier to be listed): the
    independence model misses the hidden people, LCMCR's interval still holds the truth."""
    rng = np.random.default_rng(21)
    n_true = 2000
    visible = rng.random(n_true) < 0.35
    probs = np.where(visible[:, None], [0.45, 0.4, 0.5, 0.35], [0.12, 0.08, 0.1, 0.15])
    caught = rng.random((n_true, 4)) < probs
    index = (caught.astype(int) << np.arange(4)).sum(axis=1)
    counts = np.bincount(index, minlength=16).astype(np.int64)
    counts[0] = 0
    table = CaptureTable(tuple("ABCD"), counts)
    independence = loglinear.fit_model(table, ())
    assert loglinear.profile_interval(table, independence)[1] < n_true
    settings = lcmcr.LcmcrSettings(
        burnin=5000, samples=500, thin=10, chains=2, seed=2, max_samples=0
    )
    lo, hi = np.quantile(lcmcr.sample(table, settings).n, [0.025, 0.975])
    assert lo < n_true < hi


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
