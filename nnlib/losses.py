"""Loss functions: how wrong a batch of predictions is, as one number.

Every loss has the same two methods:

* ``forward(y_pred, y_true) -> float``, the loss ``L`` of the batch;
* ``backward(y_pred, y_true) -> ndarray``, ``dL/dy_pred`` with the shape of
  ``y_pred``, ready to hand to the last layer's ``backward``.

Whether ``L`` is a **sum** or a **mean** over the batch changes the gradient
by a factor ``N``, and so the learning rate that works. Each class says which.
"""

from __future__ import annotations

import numpy as np

from ._checks import as_float_array, check_same_shape, class_labels
from .activations import softmax


class Loss:
    """Base class. ``to_output`` maps the network's last output to predictions."""

    #: True for losses whose targets are class labels.
    classification = False

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    def to_output(self, y_pred: np.ndarray) -> np.ndarray:
        """What ``Network.predict`` returns for this loss (identity by default)."""
        return y_pred

    def forward(self, y_pred, y_true) -> float:  # pragma: no cover - abstract
        raise NotImplementedError

    def backward(self, y_pred, y_true) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError


def _regression_pair(y_pred, y_true):
    p = as_float_array(y_pred, "y_pred", ndim=2)
    t = as_float_array(y_true, "y_true")
    check_same_shape(p, t, "y_pred", "y_true")
    return p, t


class SumSquaredError(Loss):
    """Sum of squared errors, seed 000's loss: ``L = sum_ij (yhat_ij - y_ij)^2``.

    A **sum** over samples and outputs, so its gradient grows with the batch:
    ``dL/dyhat = 2 (yhat - y)``. Shapes: ``y_pred`` and ``y_true`` both ``(N, K)``.
    """

    def forward(self, y_pred, y_true) -> float:
        p, t = _regression_pair(y_pred, y_true)
        return float(np.sum((p - t) ** 2))

    def backward(self, y_pred, y_true) -> np.ndarray:
        p, t = _regression_pair(y_pred, y_true)
        return 2.0 * (p - t)


class MeanSquaredError(Loss):
    """Mean squared error: ``L = 1/(N K) sum_ij (yhat_ij - y_ij)^2``.

    A **mean** over all ``N K`` entries (the same as averaging each sample's
    mean over its ``K`` outputs, then over the batch). Gradient
    ``dL/dyhat = 2 (yhat - y) / (N K)``. Shapes: ``y_pred`` and ``y_true`` both ``(N, K)``.
    """

    def forward(self, y_pred, y_true) -> float:
        p, t = _regression_pair(y_pred, y_true)
        return float(np.mean((p - t) ** 2))

    def backward(self, y_pred, y_true) -> np.ndarray:
        p, t = _regression_pair(y_pred, y_true)
        return 2.0 * (p - t) / p.size


def _one_hot(labels: np.ndarray, n_classes: int) -> np.ndarray:
    y = np.zeros((labels.shape[0], n_classes), dtype=np.float64)
    y[np.arange(labels.shape[0]), labels] = 1.0
    return y


class CategoricalCrossEntropy(Loss):
    """Cross-entropy of predicted probabilities: ``L = -1/N sum_i log p_{i, y_i}``.

    A **mean** over the batch. ``y_pred`` is ``(N, C)`` probabilities (each row
    sums to 1, e.g. a ``Softmax`` output); ``y_true`` is integer labels ``(N,)``
    or one-hot ``(N, C)``. Probabilities are clipped to ``[eps, 1 - eps]``
    so that ``log 0`` never happens; clipping both ends treats the two extremes
    alike, so each sample's loss lies between ``-log(1 - eps)`` and ``-log(eps)``
    (about 1e-7 and 16.12 for the default ``eps = 1e-7``).
    Gradient, ``(N, C)``: ``dL/dp_ij = -Y_ij / (N p_ij)``, with ``p`` clipped as in
    ``forward`` so that it stays finite. (Where ``p`` lies outside the clip range
    this is not the derivative of the clipped loss, which is 0 there.)
    """

    classification = True

    def __init__(self, eps: float = 1e-7):
        if not 0 < eps < 0.5:
            raise ValueError(f"eps must be in (0, 0.5), got {eps!r}.")
        self.eps = eps

    def _prepare(self, y_pred, y_true):
        p = as_float_array(y_pred, "y_pred", ndim=2)
        if p.min() < 0 or p.max() > 1:
            raise ValueError(
                "CategoricalCrossEntropy expects probabilities in [0, 1], but y_pred has "
                f"values from {p.min():.4g} to {p.max():.4g}. These look like raw scores "
                "(logits): apply Softmax first, or use SoftmaxCrossEntropy on the scores."
            )
        labels = class_labels(y_true, p.shape[0], p.shape[1])
        return p, labels

    def per_sample(self, y_pred, y_true) -> np.ndarray:
        """The ``(N,)`` losses ``-log p_{i, y_i}`` before averaging."""
        p, labels = self._prepare(y_pred, y_true)
        clipped = np.clip(p, self.eps, 1 - self.eps)
        return -np.log(clipped[np.arange(p.shape[0]), labels])

    def forward(self, y_pred, y_true) -> float:
        return float(np.mean(self.per_sample(y_pred, y_true)))

    def backward(self, y_pred, y_true) -> np.ndarray:
        p, labels = self._prepare(y_pred, y_true)
        clipped = np.clip(p, self.eps, 1 - self.eps)
        return -_one_hot(labels, p.shape[1]) / clipped / p.shape[0]


class SoftmaxCrossEntropy(Loss):
    """Softmax followed by cross-entropy, as one loss on raw scores (logits).

    ``y_pred`` is the ``(N, C)`` output of the last ``Dense`` layer, *before*
    softmax; ``y_true`` is integer labels ``(N,)`` or one-hot ``(N, C)``.
    ``L = -1/N sum_i log softmax(z_i)_{y_i}`` (a **mean**), computed as
    ``logsumexp(z_i) - z_{i, y_i}``, which never takes ``log 0`` and so needs no
    clipping. The gradient collapses to ``dL/dz = (P - Y) / N``, shape ``(N, C)``,
    with ``P = softmax(z)`` and ``Y`` one-hot; ``backward`` also keeps ``P`` in
    ``self.probs``. ``Network.predict`` returns ``P``.
    """

    classification = True

    def _prepare(self, y_pred, y_true):
        z = as_float_array(y_pred, "y_pred (logits)", ndim=2)
        labels = class_labels(y_true, z.shape[0], z.shape[1])
        return z, labels

    def to_output(self, y_pred: np.ndarray) -> np.ndarray:
        return softmax(y_pred)

    def per_sample(self, y_pred, y_true) -> np.ndarray:
        """The ``(N,)`` losses ``-log p_{i, y_i}`` before averaging."""
        z, labels = self._prepare(y_pred, y_true)
        shifted = z - z.max(axis=1, keepdims=True)
        log_sum = np.log(np.exp(shifted).sum(axis=1))
        return log_sum - shifted[np.arange(z.shape[0]), labels]

    def forward(self, y_pred, y_true) -> float:
        return float(np.mean(self.per_sample(y_pred, y_true)))

    def backward(self, y_pred, y_true) -> np.ndarray:
        z, labels = self._prepare(y_pred, y_true)
        self.probs = softmax(z)
        return (self.probs - _one_hot(labels, z.shape[1])) / z.shape[0]
