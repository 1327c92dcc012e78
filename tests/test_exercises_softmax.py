"""nnlib.exercises.check_softmax (chapter 5, softmax).

A correct, stable softmax passes, including nnlib's own (a harmless underflow
such as exp(-805) -> 0 must not count as a failure); the usual mistakes are
caught with the right hint.
"""

from __future__ import annotations

import numpy as np

import nnlib
from nnlib.exercises import check_sigmoid, check_softmax


def stable(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def naive(z):
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def without_keepdims(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1)


def over_columns(z):
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def whole_array(z):
    e = np.exp(z - z.max())
    return e / e.sum()


def in_place(z):
    z -= z.max(axis=1, keepdims=True)
    np.exp(z, out=z)
    z /= z.sum(axis=1, keepdims=True)
    return z


def test_correct_softmax_passes(capsys):
    assert check_softmax(stable)
    assert "correct on all 3" in capsys.readouterr().out


def test_nnlib_functions_pass_despite_underflow(capsys):
    # check_softmax's "large scores" case underflows exp(-805) to 0, and
    # check_sigmoid's case underflows exp(-1000): both are correct results.
    assert check_softmax(nnlib.softmax)
    assert check_sigmoid(nnlib.sigmoid)
    assert "NumPy warned" not in capsys.readouterr().out


def test_overflow_is_caught_with_hint(capsys):
    assert not check_softmax(naive)
    out = capsys.readouterr().out
    assert "overflow" in out and "Subtract each row's max" in out


def test_missing_keepdims_is_caught_with_hint(capsys):
    assert not check_softmax(without_keepdims)
    assert "keepdims=True" in capsys.readouterr().out


def test_columns_instead_of_rows(capsys):
    assert not check_softmax(over_columns)
    assert "columns sum to 1 instead of the rows" in capsys.readouterr().out


def test_whole_array_normalisation(capsys):
    assert not check_softmax(whole_array)
    assert "each row needs its own sum" in capsys.readouterr().out


def test_in_place_modification_is_caught(capsys):
    assert not check_softmax(in_place)
    assert "changed its input array in place" in capsys.readouterr().out
