"""nnlib.exercises.check_train_val_split (chapter 13, generalisation).

A correct split passes; overlapping sets, wrong sizes, labels shuffled apart
from their rows, an unshuffled split of sorted data and a split that ignores
the rng argument are each caught with the right hint.
"""

from __future__ import annotations

import numpy as np
import pytest

from nnlib.exercises import check_train_val_split


def _n_val(X, val_fraction):
    return int(round(val_fraction * len(X)))


def correct(X, y, val_fraction, rng):
    order = rng.permutation(len(X))
    n_val = _n_val(X, val_fraction)
    return X[order[n_val:]], y[order[n_val:]], X[order[:n_val]], y[order[:n_val]]


def correct_val_last(X, y, val_fraction, rng):
    order = rng.permutation(len(X))
    n_train = len(X) - _n_val(X, val_fraction)
    return X[order[:n_train]], y[order[:n_train]], X[order[n_train:]], y[order[n_train:]]


def overlapping(X, y, val_fraction, rng):
    order = rng.permutation(len(X))
    n_val = _n_val(X, val_fraction)
    return X[order], y[order], X[order[:n_val]], y[order[:n_val]]


def sizes_swapped(X, y, val_fraction, rng):
    order = rng.permutation(len(X))
    n_train = _n_val(X, val_fraction)
    return X[order[:n_train]], y[order[:n_train]], X[order[n_train:]], y[order[n_train:]]


def labels_shuffled_apart(X, y, val_fraction, rng):
    n_val = _n_val(X, val_fraction)
    Xs, ys = X[rng.permutation(len(X))], y[rng.permutation(len(y))]
    return Xs[n_val:], ys[n_val:], Xs[:n_val], ys[:n_val]


def not_shuffled(X, y, val_fraction, rng):
    n_train = len(X) - _n_val(X, val_fraction)
    return X[:n_train], y[:n_train], X[n_train:], y[n_train:]


def with_replacement(X, y, val_fraction, rng):
    n_val = _n_val(X, val_fraction)
    val = rng.integers(0, len(X), n_val)
    train = np.setdiff1d(np.arange(len(X)), val)
    return X[train], y[train], X[val], y[val]


def global_random_state(X, y, val_fraction, rng):
    order = np.random.default_rng().permutation(len(X))   # not the rng passed in
    n_val = _n_val(X, val_fraction)
    return X[order[n_val:]], y[order[n_val:]], X[order[:n_val]], y[order[:n_val]]


def shuffles_in_place(X, y, val_fraction, rng):
    order = rng.permutation(len(X))
    X[:] = X[order]
    y[:] = y[order]
    n_val = _n_val(X, val_fraction)
    return X[n_val:], y[n_val:], X[:n_val], y[:n_val]


def two_values(X, y, val_fraction, rng):
    return X, y


@pytest.mark.parametrize("fn", [correct, correct_val_last])
def test_correct_splits_pass(fn, capsys):
    assert check_train_val_split(fn)
    assert "correct on all 3" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("fn", "hint"),
    [
        (overlapping, "in both sets"),
        (sizes_swapped, "sizes are swapped"),
        (labels_shuffled_apart, "shuffled separately"),
        (not_shuffled, "sorted by class"),
        (with_replacement, "appear twice"),
        (global_random_state, "from the rng argument"),
        (shuffles_in_place, "in place"),
        (two_values, "tuple of four arrays"),
    ],
)
def test_typical_mistakes_are_caught(fn, hint, capsys):
    assert not check_train_val_split(fn)
    assert hint in capsys.readouterr().out
