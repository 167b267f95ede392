"""Pairwise precision, recall and F1."""

from sijill.linkage.evaluate import pairwise_scores


def test_pairwise_scores_count_pairs() -> None:
    truth = {"a": 1, "b": 1, "c": 1, "d": 2}
    predicted = {"a": "x", "b": "x", "c": "y", "d": "y"}
    scores = pairwise_scores(predicted, truth)
    assert (scores.true_pairs, scores.predicted_pairs, scores.correct_pairs) == (3, 2, 1)
    assert scores.precision == 0.5 and round(scores.recall, 3) == 0.333
    assert pairwise_scores(truth, truth).f1 == 1.0
