"""Hierarchical log-linear models against Rcapture, and SparseMSE's stepwise method."""

from __future__ import annotations

import itertools

import numpy as np

from sijill.estimate import loglinear, stepwise
from sijill.estimate.histories import CaptureTable, read_capture_file
from tests.estimate.helpers import KOSOVO, UK5, close, simulated_table


def test_kosovo_best_bic_model_and_profile_interval_match_rcapture() -> None:
    table = read_capture_file(KOSOVO).total
    search = loglinear.search_models(table, "bic")
    assert search.exhaustive
    best = search.best
    assert best.name == "[123,14,34]"
    assert close(best.estimate, 10356.5, 0.005)
    lo, hi = loglinear.profile_interval(table, best)
    assert close(lo, 8994, 0.005) and close(hi, 12110, 0.005)
    assert lo < best.estimate < hi


def test_aic_prefers_a_richer_model_than_bic_on_kosovo() -> None:
    table = read_capture_file(KOSOVO).total
    aic = loglinear.search_models(table, "aic").best
    bic = loglinear.search_models(table, "bic").best
    assert aic.name != bic.name
    assert aic.n_params >= bic.n_params


def test_every_enumerated_model_is_hierarchical() -> None:
    models = list(loglinear.hierarchical_models(3))
    assert len(models) == 8  # any subset of the three two-list terms; no three-way term
    for terms in loglinear.hierarchical_models(4):
        for term in terms:
            for sub in itertools.combinations(term, len(term) - 1):
                assert len(sub) < 2 or sub in terms


def test_independent_lists_are_recovered() -> None:
    table = simulated_table(20_000, [0.3, 0.4, 0.5], seed=3)
    fit = loglinear.fit_model(table, ())
    assert close(fit.estimate, 20_000, 0.03)
    lo, hi = loglinear.profile_interval(table, fit)
    assert lo < 20_000 < hi


def test_model_names_use_rcapture_notation() -> None:
    assert loglinear.model_name(((0, 1, 2), (0, 3), (2, 3)), 4) == "[123,14,34]"
    assert loglinear.model_name((), 3) == "[1,2,3]"


def test_uk_stepwise_matches_sparsemse() -> None:
    table = read_capture_file(UK5).total
    fit = stepwise.stepwise(table)
    assert close(fit.estimate, 11312.99, 0.005)
    lo, hi = fit.interval()
    assert close(lo, 9884, 0.005) and close(hi, 13027, 0.005)
    assert [p for p, _ in fit.steps][0] == (0, 1)
    assert all(p < stepwise.P_THRESHOLD for _, p in fit.steps)


def test_existence_check_rejects_a_model_without_finite_estimate() -> None:
    # With all two-list effects the three-list model is saturated on the 7 observed cells,
    # so the empty cell "A and B, not C" must be fitted by zero: no finite estimate.
    counts = np.array([0, 30, 20, 0, 10, 5, 4, 0])
    counts[0b011] = 0
    counts[0b111] = 3
    table = CaptureTable(("A", "B", "C"), counts)
    assert stepwise.mle_exists(table, [])
    assert not stepwise.mle_exists(table, [(0, 1), (0, 2), (1, 2)])
