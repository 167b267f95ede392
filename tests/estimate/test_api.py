"""Estimating by stratum and summing, and the warnings a statistician would give."""

from __future__ import annotations

import numpy as np
import pytest

from sijill.errors import SijillError
from sijill.estimate.api import EstimateOptions, estimate
from sijill.estimate.histories import CaptureData, CaptureTable, read_capture_file
from sijill.estimate.lcmcr import LcmcrSettings
from tests.estimate.helpers import KOSOVO, UK5, simulated_table

QUICK = LcmcrSettings(burnin=500, samples=300, thin=5, chains=2, max_samples=0)


def two_strata() -> CaptureData:
    north = simulated_table(3000, [0.3, 0.4, 0.35], seed=1)
    south = simulated_table(1500, [0.25, 0.3, 0.4], seed=2)
    return CaptureData(north.lists, {"North": north, "South": south}, ("governorate",))


def test_loglinear_strata_are_summed_with_a_wider_interval() -> None:
    data = two_strata()
    result = estimate(data, EstimateOptions(method="loglinear", select="aic"))
    north, south = result.strata
    assert result.estimate == pytest.approx(north.estimate + south.estimate)
    assert result.observed == north.observed + south.observed
    width = result.interval[1] - result.interval[0]
    assert width > max(s.interval[1] - s.interval[0] for s in result.strata)
    assert width < sum(s.interval[1] - s.interval[0] for s in result.strata)
    doc = result.as_dict()
    assert [s["stratum"] for s in doc["strata"]] == ["North", "South"]
    assert "quadrature" in doc["combination"]


def test_bayesian_strata_sum_posterior_draws() -> None:
    data = two_strata()
    result = estimate(data, EstimateOptions(method="dga", seed=4, lcmcr=QUICK, prior_check=False))
    assert result.draws is not None and len(result.draws) == QUICK.samples * QUICK.chains
    total = sum(s.estimate for s in result.strata)
    assert abs(result.estimate - total) < 0.05 * total
    assert result.interval[0] < result.estimate < result.interval[1]
    assert "draw by draw" in result.as_dict()["combination"]


def test_lcmcr_reports_diagnostics_and_prior_check() -> None:
    data = read_capture_file(KOSOVO)
    result = estimate(data, EstimateOptions(seed=3, lcmcr=QUICK))
    diag = result.diagnostics
    assert {"rhat", "ess", "prior_check", "seeds"} <= set(diag)
    assert diag["prior_check"]["a"] == 1.0
    # 600 short draws cannot give an effective sample of 400: the user is told
    assert any("effective sample size" in w for w in result.warnings)


def test_two_lists_and_sparse_tables_are_flagged() -> None:
    two = CaptureTable(("A", "B"), np.array([0, 120, 80, 30]))
    result = estimate(CaptureData(two.lists, {"all": two}), EstimateOptions(method="loglinear"))
    assert result.estimate == pytest.approx(120 + 80 + 30 + 120 * 80 / 30, rel=1e-6)
    assert any("only 2 lists" in w for w in result.warnings)
    uk = estimate(read_capture_file(UK5), EstimateOptions(method="loglinear", select="stepwise"))
    assert any("sparse table" in w for w in uk.warnings)
    assert any("no one in common" in w for w in uk.warnings)


def test_unknown_method_or_selection_is_refused() -> None:
    data = read_capture_file(KOSOVO)
    with pytest.raises(SijillError, match="unknown method"):
        estimate(data, EstimateOptions(method="magic"))
    with pytest.raises(SijillError, match="unknown selection"):
        estimate(data, EstimateOptions(method="loglinear", select="cp"))


def test_empty_stratum_is_left_out_and_failing_stratum_is_named() -> None:
    data = two_strata()
    empty = CaptureTable(data.lists, np.zeros(8, dtype=np.int64))
    with_empty = CaptureData(data.lists, {**data.strata, "West": empty})
    result = estimate(with_empty, EstimateOptions(method="loglinear"))
    assert [s.name for s in result.strata] == ["North", "South"]
    assert any("'West'" in w for w in result.warnings)
    tiny = CaptureTable(data.lists, np.array([0, 3, 0, 0, 0, 0, 0, 0]))
    with pytest.raises(SijillError, match="stratum 'East'"):
        estimate(
            CaptureData(data.lists, {**data.strata, "East": tiny}),
            EstimateOptions(method="loglinear"),
        )


def test_readme_python_example(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from sijill.estimate.plots import write_plots

    result = estimate(read_capture_file(KOSOVO), EstimateOptions(method="loglinear"))
    assert round(result.estimate, 1) == 10356.5 and result.model == "[123,14,34]"
    assert [round(x, 1) for x in result.interval] == [8994.3, 12110.4]
    assert result.as_dict()["estimate"] == 10356.52
    assert {p.name for p in write_plots(result, tmp_path)} == {"profile.png", "profile.svg"}
