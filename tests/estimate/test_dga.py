"""Model averaging over decomposable graphs (Madigan & York; R package dga)."""

from __future__ import annotations

import numpy as np
import pytest

from sijill.errors import SijillError
from sijill.estimate import dga
from sijill.estimate.histories import CaptureTable, read_capture_file
from tests.estimate.helpers import KOSOVO, close, simulated_table


def test_counts_of_decomposable_graphs() -> None:
    assert [len(dga.decomposable_graphs(n)) for n in (3, 4, 5)] == [8, 61, 822]


def test_kosovo_matches_dga_with_delta_one_sixteenth() -> None:
    post = dga.posterior(read_capture_file(KOSOVO).total, 1 / 16)
    assert close(post.quantile(0.5), 12595, 0.005)
    assert close(post.quantile(0.025), 9827, 0.005)
    assert close(post.quantile(0.975), 16544, 0.005)
    assert post.weights.sum() == pytest.approx(1.0)


def test_madigan_york_five_lists_model_weights() -> None:
    # The five-list example of Madigan & York (1997) as the dga package documents it: the two
    # heaviest graphs have posterior weights 0.2171 and 0.1603 (delta 0.5, 1 to 300 unseen).
    y = [
        0,
        27,
        37,
        19,
        4,
        4,
        1,
        1,
        97,
        22,
        37,
        25,
        2,
        1,
        3,
        5,
        83,
        36,
        34,
        18,
        3,
        5,
        0,
        2,
        30,
        5,
        23,
        8,
        0,
        3,
        0,
        2,
    ]
    table = CaptureTable(tuple("ABCDE"), np.array(y))
    post = dga.posterior(table, 0.5, max_unseen=300)
    top = np.sort(post.model_weights)[::-1]
    # The grid here starts at 0 unseen rather than 1; the difference is far below 1e-4.
    assert top[0] == pytest.approx(0.21707345, abs=1e-4)
    assert top[1] == pytest.approx(0.16029369, abs=1e-4)


def test_independent_lists_give_an_interval_around_the_truth() -> None:
    post = dga.posterior(simulated_table(5000, [0.3, 0.3, 0.4], seed=11))
    assert post.quantile(0.025) < 5000 < post.quantile(0.975)


def test_too_many_lists_are_refused() -> None:
    with pytest.raises(SijillError, match="3 to 5"):
        dga.posterior(simulated_table(500, [0.3] * 6, seed=1, names=tuple("ABCDEF")))
