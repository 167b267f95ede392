"""Pairwise precision, recall and F1 of a clustering against ground truth (pure functions)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class PairwiseScores:
    true_pairs: int
    predicted_pairs: int
    correct_pairs: int

    @property
    def precision(self) -> float:
        return self.correct_pairs / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.correct_pairs / self.true_pairs if self.true_pairs else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "true_pairs": self.true_pairs,
            "predicted_pairs": self.predicted_pairs,
            "correct_pairs": self.correct_pairs,
        }


def _pairs_within(groups: Iterable[int]) -> int:
    return sum(n * (n - 1) // 2 for n in groups)


def pairwise_scores(
    predicted: Mapping[Hashable, Hashable], truth: Mapping[Hashable, Hashable]
) -> PairwiseScores:
    """Compare two labellings of the same items (item -> cluster label) pair by pair.

    Only items in `truth` count; an item missing from `predicted` is a singleton.
    """
    items = list(truth)
    pred = {i: predicted.get(i, ("singleton", i)) for i in items}
    true_pairs = _pairs_within(Counter(truth[i] for i in items).values())
    predicted_pairs = _pairs_within(Counter(pred.values()).values())
    correct = _pairs_within(Counter((truth[i], pred[i]) for i in items).values())
    return PairwiseScores(true_pairs, predicted_pairs, correct)
