"""Tests for nnlib.metrics.accuracy."""

from __future__ import annotations

import numpy as np
import pytest

from nnlib import accuracy

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
