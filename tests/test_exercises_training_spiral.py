"""nnlib.exercises.check_grid_bounds (chapter 11, training on the spiral).

The correct bounds pass (as a tuple or as a 2 x 2 array); seed 001's column
mix-up and the other usual mistakes are caught with the right hint.
"""

from __future__ import annotations

import numpy as np
import pytest

from nnlib.exercises import check_grid_bounds


def correct(X, margin):
    return (X[:, 0].min() - margin, X[:, 0].max() + margin,
            X[:, 1].min() - margin, X[:, 1].max() + margin)


def as_array(X, margin):
    return np.array([[X[:, 0].min() - margin, X[:, 0].max() + margin],
                     [X[:, 1].min() - margin, X[:, 1].max() + margin]])


def seed_001(X, margin):
    min1, max1 = X[:, 0].min() - margin, X[:, 1].max() + margin
    min2, max2 = X[:, 0].min() - margin, X[:, 1].max() + margin
    return min1, max1, min2, max2


def seed_x_axis_fixed_only(X, margin):
    return (X[:, 0].min() - margin, X[:, 0].max() + margin,
            X[:, 0].min() - margin, X[:, 1].max() + margin)


def no_margin(X, margin):
    return X[:, 0].min(), X[:, 0].max(), X[:, 1].min(), X[:, 1].max()


def margin_inwards(X, margin):
    return (X[:, 0].min() + margin, X[:, 0].max() - margin,
            X[:, 1].min() + margin, X[:, 1].max() - margin)


def swapped_axes(X, margin):
    return (X[:, 1].min() - margin, X[:, 1].max() + margin,
            X[:, 0].min() - margin, X[:, 0].max() + margin)


def mins_then_maxes(X, margin):
    return (X[:, 0].min() - margin, X[:, 1].min() - margin,
            X[:, 0].max() + margin, X[:, 1].max() + margin)


def three_numbers(X, margin):
    return X[:, 0].min() - margin, X[:, 0].max() + margin, X[:, 1].min() - margin


def in_place(X, margin):
    X -= X.mean(axis=0)
    return correct(X, margin)


@pytest.mark.parametrize("fn", [correct, as_array])
def test_correct_bounds_pass(fn, capsys):
    assert check_grid_bounds(fn)
    assert "correct on all 3" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("fn", "hint"),
    [
        (seed_001, "seed 001's slip"),
        (seed_x_axis_fixed_only, "x1_min and x1_max must both come from X[:, 1]"),
        (no_margin, "the margin is missing"),
        (margin_inwards, "the grid shrinks"),
        (swapped_axes, "the axes are swapped"),
        (mins_then_maxes, "the order is mixed up"),
        (three_numbers, "return four"),
        (in_place, "changed its input array in place"),
    ],
)
def test_mistakes_are_caught_with_hint(fn, hint, capsys):
    assert not check_grid_bounds(fn)
    out = capsys.readouterr().out
    assert "not right yet" in out
    assert hint in out


def test_quiet_mode_prints_nothing(capsys):
    assert not check_grid_bounds(seed_001, verbose=False)
    assert capsys.readouterr().out == ""
