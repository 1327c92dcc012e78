"""Chapter 5, softmax: ``check_softmax``."""

from __future__ import annotations

import numpy as np

from ..activations import softmax as _softmax
from ._engine import Check, Mistake


def _no_shift(z):
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _global_max(z):
    e = np.exp(z - z.max())
    return e / e.sum(axis=1, keepdims=True)


def _whole_array(z):
    e = np.exp(z - z.max())
    return e / e.sum()


def _over_columns(z):
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def _sum_without_keepdims(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1)


def _tutorial_first_division(z):
    e = np.exp(z)
    return e / e.sum(axis=1)


def _max_without_keepdims(z):
    e = np.exp(z - z.max(axis=1))
    return e / e.sum(axis=1, keepdims=True)


def _in_place(z):
    z -= z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _mean_shift(z):
    e = np.exp(z - z.mean(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _min_shift(z):
    e = np.exp(z - z.min(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _normalise_axis_0(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def _with_new_axis(z):
    e = np.exp(z - z.max(axis=1)[:, None])
    return e / e.sum(axis=1)[:, None]


def _last_axis(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _log_sum_exp(z):
    m = z.max(axis=1, keepdims=True)
    return np.exp(z - m - np.log(np.exp(z - m).sum(axis=1, keepdims=True)))


check_softmax = Check(
    name="softmax",
    chapter="softmax",
    signature="fn(z) -> P, row-wise softmax of z (N, C); P (N, C) with rows summing to 1, stable for large z",
    reference=_softmax,
    cases=[
        ("the spiral tutorial's three rows of scores",
         (np.array([[4.8, 1.21, 2.385], [8.9, -1.81, 0.2], [1.41, 1.051, 0.026]]),)),
        ("more rows than columns", (np.array([[1.0, 2.0], [0.5, -0.5], [3.0, 3.0], [-1.0, 4.0]]),)),
        ("large scores", (np.array([[1000.0, 1001.0, 1002.0], [-5.0, 800.0, 0.0]]),)),
        ("rows of very different scale", (np.array([[1000.0, 1001.0], [-1000.0, -1001.0]]),)),
        ("a wide spread inside one row", (np.array([[0.0, 1500.0, 3.0]]),)),
    ],
    mistakes=[
        Mistake("no-shift",
                "exp overflows for scores above about 709. Subtract each row's max first: "
                "z - z.max(axis=1, keepdims=True) leaves the result unchanged and keeps every exp <= 1.",
                _no_shift),
        Mistake("global-max",
                "subtract each ROW's max (axis=1, keepdims=True), not the max of the whole array: a row "
                "far below the global max underflows to 0 / 0 = NaN.", _global_max),
        Mistake("whole-array",
                "you normalised over the whole array; each row needs its own sum (axis=1, keepdims=True).",
                _whole_array),
        Mistake("over-columns",
                "the columns sum to 1 instead of the rows: one row is one sample, so take the max and the "
                "sum over axis=1.", _over_columns),
        Mistake("normalise-axis-0",
                "the columns sum to 1 instead of the rows: the sum that divides each row runs over axis=1.",
                _normalise_axis_0),
        Mistake("sum-no-keepdims",
                "e.sum(axis=1) has shape (N,), which NumPy lines up with the COLUMNS, so column c is divided "
                "by row c's sum. Keep the axis: e.sum(axis=1, keepdims=True), shape (N, 1).",
                _sum_without_keepdims),
        Mistake("no-shift-sum-no-keepdims",
                "two things: e.sum(axis=1) needs keepdims=True (shape (N, 1), so each row is divided by its "
                "own sum; the (N,) version divides column c by row c's sum, the spiral tutorial's first "
                "attempt), and the scores need each row's max subtracted before exp, or large scores "
                "overflow.", _tutorial_first_division),
        Mistake("max-no-keepdims",
                "z.max(axis=1) has shape (N,) and is subtracted along the columns (the tutorial's remark "
                "about np.max applies to the shift too): use z.max(axis=1, keepdims=True).",
                _max_without_keepdims),
        Mistake("in-place",
                "z -= ... changes the caller's scores. Write shifted = z - z.max(axis=1, keepdims=True).",
                _in_place),
        Mistake("mean-shift",
                "subtracting the row mean still lets exp overflow when a score lies more than ~709 above "
                "the mean. The row MAX makes every exponent <= 0.", _mean_shift),
        Mistake("min-shift",
                "subtracting the row minimum makes every exponent >= 0, which is where exp overflows. "
                "Subtract the row max.", _min_shift),
    ],
    alternatives=[
        ("log-sum-exp form", _log_sum_exp),
        ("nnlib.softmax (its exp underflows harmlessly to 0)", _softmax),
        ("[:, None] instead of keepdims", _with_new_axis),
        ("axis=-1", _last_axis),
    ],
)
