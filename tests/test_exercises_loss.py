"""nnlib.exercises.check_cross_entropy (chapter 6, loss functions).

The correct clipped mean passes; the slips chapter 6 discusses are caught with
the right hint (or at least reported as wrong).
"""

from __future__ import annotations

import numpy as np

from nnlib.exercises import check_cross_entropy


def correct(p, y):
    p = np.clip(p, 1e-7, 1 - 1e-7)
    return float(np.mean(-np.log(p[np.arange(len(p)), y])))


def summed(p, y):
    p = np.clip(p, 1e-7, 1 - 1e-7)
    return float(np.sum(-np.log(p[np.arange(len(p)), y])))


def highest_probability(p, y):
    p = np.clip(p, 1e-7, 1 - 1e-7)
    return float(np.mean(-np.log(p.max(axis=1))))


def unclipped(p, y):
    return float(np.mean(-np.log(p[np.arange(len(p)), y])))


def whole_columns(p, y):
    p = np.clip(p, 1e-7, 1 - 1e-7)
    return float(-np.mean(np.log(p[:, y])))


def per_sample(p, y):
    p = np.clip(p, 1e-7, 1 - 1e-7)
    return -np.log(p[np.arange(len(p)), y])


def test_correct_passes(capsys):
    assert check_cross_entropy(correct)
    assert "correct on all 3" in capsys.readouterr().out


def test_sum_instead_of_mean(capsys):
    assert not check_cross_entropy(summed)
    assert "that is the sum" in capsys.readouterr().out


def test_highest_probability_instead_of_true_class(capsys):
    assert not check_cross_entropy(highest_probability)
    assert "*true* class" in capsys.readouterr().out


def test_missing_clip(capsys):
    assert not check_cross_entropy(unclipped)
    assert "divide by zero" in capsys.readouterr().out


def test_whole_columns_bug(capsys):
    assert not check_cross_entropy(whole_columns)
    assert "the values differ" in capsys.readouterr().out


def test_per_sample_array_instead_of_mean(capsys):
    assert not check_cross_entropy(per_sample)
    assert "single number" in capsys.readouterr().out
