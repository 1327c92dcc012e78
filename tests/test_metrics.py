"""Tests for nnlib.metrics.accuracy."""

from __future__ import annotations

import numpy as np
import pytest

from nnlib import accuracy, mean_absolute_error, r2_score

PROBS = np.array([[0.7, 0.1, 0.2], [0.1, 0.5, 0.4], [0.02, 0.9, 0.08], [0.3, 0.3, 0.4]])
# argmax of each row: 0, 1, 1, 2


def test_argmax_with_integer_labels():
    assert accuracy(PROBS, np.array([0, 1, 1, 2])) == 1.0
    assert accuracy(PROBS, np.array([0, 1, 2, 2])) == 0.75  # third row predicts 1, label 2
    assert accuracy(PROBS, np.array([1, 0, 0, 0])) == 0.0


def test_argmax_with_one_hot_labels():
    assert accuracy(PROBS, np.eye(3)[[0, 1, 2, 2]]) == 0.75
    assert accuracy(PROBS, np.eye(3)[[0, 0, 0, 0]]) == 0.25


def test_scores_work_like_probabilities():
    logits = np.array([[2.0, -1.0], [-3.0, 5.0], [0.1, 0.0]])
    assert accuracy(logits, np.array([0, 1, 1])) == pytest.approx(2 / 3)


def test_binary_with_threshold():
    p = np.array([[0.1], [0.6], [0.4], [0.9]])
    y = np.array([[0], [1], [1], [1]])
    assert accuracy(p, y) == 0.75  # 0.4 is below 0.5
    assert accuracy(p, y, threshold=0.3) == 1.0
    assert accuracy(p, y, threshold=0.95) == 0.25  # only the 0 is right
    assert accuracy(np.array([[0.5]]), np.array([[1]])) == 0.0  # strictly greater than threshold


def test_binary_seed_000_xor_outputs():
    # Seed 000 prints these outputs after 1500 iterations; on the right side of 0.5 everywhere.
    out = np.array([[0.00854594], [0.96724274], [0.96728283], [0.03872196]])
    assert accuracy(out, np.array([[0], [1], [1], [0]])) == 1.0


def test_mismatched_shapes_and_bad_labels():
    with pytest.raises(ValueError, match=r"\(4, 1\).*\(4,\).*reshape"):
        accuracy(np.zeros((4, 1)), np.array([0, 1, 1, 0]))
    with pytest.raises(ValueError, match="3 labels but the predictions have 4 rows"):
        accuracy(PROBS, np.array([0, 1, 1]))
    with pytest.raises(ValueError, match=r"one-hot y_true has shape \(4, 2\), expected \(4, 3\)"):
        accuracy(PROBS, np.eye(2)[[0, 1, 1, 0]])
    with pytest.raises(ValueError, match="outside the valid range"):
        accuracy(PROBS, np.array([0, 1, 1, 3]))
    with pytest.raises(ValueError, match="0s and 1s"):
        accuracy(np.zeros((2, 1)), np.array([[0], [2]]))
    with pytest.raises(ValueError, match="2-D"):
        accuracy(np.array([0.2, 0.8]), np.array([0, 1]))
    with pytest.raises(TypeError, match="integer class labels"):
        accuracy(PROBS, np.array([0.0, 1.0, 1.0, 2.0]))


# --------------------------------------------------------------------------- regression metrics


def test_mean_absolute_error_by_hand():
    # |1 - 1| + |2 - 3| + |4 - 1| = 4 over 3 samples.
    assert mean_absolute_error([[1.0], [2.0], [4.0]], [[1.0], [3.0], [1.0]]) == pytest.approx(4 / 3)
    # Two outputs: the mean over all N K = 4 entries, (1 + 0 + 2 + 1) / 4.
    assert mean_absolute_error([[1.0, 0.0], [2.0, 5.0]], [[0.0, 0.0], [0.0, 4.0]]) == pytest.approx(1.0)


def test_r2_score_by_hand():
    # y = (1, 2, 4), mean 7/3, total sum of squares 42/9; residual 1 (only the last is off, by 1).
    assert r2_score([[1.0], [2.0], [3.0]], [[1.0], [2.0], [4.0]]) == pytest.approx(1 - 9 / 42, rel=1e-14)


def test_r2_score_reference_points():
    y = np.array([[1.0], [2.0], [4.0], [5.0]])
    assert r2_score(y, y) == 1.0                                   # perfect
    assert r2_score(np.full_like(y, 3.0), y) == pytest.approx(0.0, abs=1e-15)   # the mean of y
    # Predicting the targets reversed: residual (4^2 + 2^2 + 2^2 + 4^2) = 40 against total 10.
    assert r2_score(y[::-1], y) == pytest.approx(1 - 40 / 10)


def test_r2_score_averages_over_outputs():
    # Column 0 is perfect (R^2 = 1); column 1 predicts its mean (R^2 = 0): the average is 1/2.
    y = np.array([[1.0, 0.0], [2.0, 2.0], [3.0, 4.0]])
    p = np.array([[1.0, 2.0], [2.0, 2.0], [3.0, 2.0]])
    assert r2_score(p, y) == pytest.approx(0.5, rel=1e-14)


def test_regression_metrics_refuse_bad_input():
    for metric in (mean_absolute_error, r2_score):
        with pytest.raises(ValueError, match=r"\(3, 1\).*\(3,\).*reshape"):
            metric(np.zeros((3, 1)), np.array([1.0, 2.0, 3.0]))
        with pytest.raises(ValueError, match="non-finite"):
            metric(np.zeros((2, 1)), np.array([[np.nan], [1.0]]))
    with pytest.raises(ValueError, match="undefined when the targets do not vary"):
        r2_score(np.zeros((3, 1)), np.ones((3, 1)))
    with pytest.raises(ValueError, match="at least 2 samples"):
        r2_score(np.zeros((1, 1)), np.ones((1, 1)))
