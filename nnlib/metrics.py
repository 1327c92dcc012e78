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
