"""Paths to the public example data of multiple systems estimation, and small factories."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from sijill.estimate.histories import CaptureTable
from tests.shared_data import SHARED_DATA

REPO = Path(__file__).resolve().parents[2]
MSE = SHARED_DATA / "mse"
KOSOVO = MSE / "kosovo_aggregate.csv"
UK5 = MSE / "UKdat_5.csv"
UK6 = MSE / "UKdat.csv"


def close(value: float, target: float, rel: float) -> bool:
    """``value`` within ``rel`` (relative) of ``target``."""
    return abs(value - target) <= rel * abs(target)


def simulated_table(
    n: int, probs: list[float], seed: int, names: tuple[str, ...] | None = None
) -> CaptureTable:
    """Independent lists with capture probabilities ``probs`` on a population of ``n``."""
    rng = np.random.default_rng(seed)
    caught = rng.random((n, len(probs))) < np.array(probs)
    index = (caught.astype(int) << np.arange(len(probs))).sum(axis=1)
    counts = np.bincount(index, minlength=2 ** len(probs)).astype(np.int64)
    counts[0] = 0
    return CaptureTable(names or tuple("ABCDE"[: len(probs)]), counts)
