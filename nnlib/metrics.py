"""Metrics: numbers people read, not numbers gradient descent follows."""

from __future__ import annotations

import numpy as np

from ._checks import as_float_array, check_same_shape, class_labels


def accuracy(y_pred, y_true, threshold: float = 0.5) -> float:
    """Fraction of samples whose predicted class is the true one, a float in ``[0, 1]``.

    * Several classes: ``y_pred`` is ``(N, C)`` probabilities or scores, the
      predicted class is the row's argmax; ``y_true`` is labels ``(N,)`` or
      one-hot ``(N, C)``.
    * One output (binary, e.g. the XOR tutorial's net): ``y_pred`` is ``(N, 1)``,
      predicted class is ``y_pred > threshold``; ``y_true`` is ``(N, 1)`` of 0/1.
    """
    p = as_float_array(y_pred, "y_pred", ndim=2)
    if p.shape[1] == 1:
        t = as_float_array(y_true, "y_true")
        check_same_shape(p, t, "y_pred", "y_true")
        if not np.all((t == 0) | (t == 1)):
            raise ValueError("binary accuracy needs y_true of 0s and 1s.")
    else:
        t = class_labels(y_true, p.shape[0], p.shape[1])
    return _n_correct(p, t, threshold) / p.shape[0]


def _n_correct(p: np.ndarray, t: np.ndarray, threshold: float = 0.5) -> int:
    """How many rows of ``p`` are right, for arguments :func:`accuracy` has checked.

    ``t`` is ``(N, 1)`` of 0/1 when ``p`` has one column, else ``(N,)`` labels.
    ``Network.fit`` sums this over the batches of an epoch.
    """
    if p.shape[1] == 1:
        return int(np.count_nonzero((p > threshold) == (t == 1)))
    return int(np.count_nonzero(p.argmax(axis=1) == t))


def _regression_pair(y_pred, y_true) -> tuple[np.ndarray, np.ndarray]:
    p = as_float_array(y_pred, "y_pred", ndim=2)
    t = as_float_array(y_true, "y_true")
    check_same_shape(p, t, "y_pred", "y_true")  # refuses (N, 1) against (N,), which would broadcast
    return p, t


def mean_absolute_error(y_pred, y_true) -> float:
    """Mean absolute error ``1/(N K) sum_ij |yhat_ij - y_ij|``, in the units of the targets.

    ``y_pred`` and ``y_true`` are both ``(N, K)``. Unlike the mean squared error it
    does not square the errors, so it reads as "the typical distance from the
    target" and one large error weighs less.
    """
    p, t = _regression_pair(y_pred, y_true)
    return float(np.mean(np.abs(p - t)))


def r2_score(y_pred, y_true) -> float:
    """Coefficient of determination ``R^2 = 1 - sum_i (yhat_i - y_i)^2 / sum_i (y_i - ybar)^2``.

    ``y_pred`` and ``y_true`` are both ``(N, K)`` (note the order: predictions first,
    as everywhere in nnlib; scikit-learn's ``r2_score`` takes ``y_true`` first).
    ``ybar`` is the mean of ``y_true``'s column, so ``R^2 = 1`` is a perfect fit,
    ``R^2 = 0`` is no better than predicting that mean for every sample, and a worse
    fit is negative. With ``K > 1`` outputs, ``R^2`` is computed per column and
    averaged. Needs at least two samples and targets that are not all equal (the
    denominator would be 0).
    """
    p, t = _regression_pair(y_pred, y_true)
    if t.shape[0] < 2:
        raise ValueError(f"R^2 needs at least 2 samples, got shape {t.shape}.")
    total = np.sum((t - t.mean(axis=0)) ** 2, axis=0)
    if np.any(total == 0):
        cols = np.flatnonzero(total == 0).tolist()
        raise ValueError(
            f"R^2 is undefined when the targets do not vary: column(s) {cols} of y_true hold a single "
            "value, so there is no spread to explain. Report the mean squared or absolute error instead."
        )
    residual = np.sum((p - t) ** 2, axis=0)
    return float(np.mean(1.0 - residual / total))
