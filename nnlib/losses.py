"""Loss functions: how wrong a batch of predictions is, as one number.

Every loss has the same two methods:

* ``forward(y_pred, y_true) -> float``, the loss ``L`` of the batch;
* ``backward(y_pred, y_true) -> ndarray``, ``dL/dy_pred`` with the shape of
  ``y_pred``, ready to hand to the last layer's ``backward``.

Whether ``L`` is a **sum** or a **mean** over the batch changes the gradient
by a factor ``N``, and so the learning rate that works. Each class says which.

Both methods check their arguments (``_check_pred`` for the predictions,
``_targets`` for ``y_true``), then call the unchecked twins ``_forward`` and
``_backward``, where the formulas are. ``Network.fit`` checks the targets once
and then calls ``_forward_backward``, which returns the loss, its gradient and
the predictions together (for softmax cross-entropy the softmax is computed once
for all three).
"""

from __future__ import annotations

import numpy as np

from ._checks import as_float_array, check_same_shape, class_labels, entry_point
from .activations import Sigmoid, Softmax, sigmoid, softmax


class Loss:
    """Base class. ``to_output`` maps the network's last output to predictions.

    A subclass defines ``_targets`` and the twins ``_forward`` and ``_backward``;
    or it overrides ``forward`` and ``backward`` themselves (as a learner's own loss
    does), and then ``Network.fit`` calls those.
    """

    #: True for losses whose targets are class labels.
    classification = False
    #: The activation this loss applies itself to the raw scores (logits), if any: a network must not
    #: end in that activation too (``Network`` refuses it, since it would be applied twice).
    applies: type | None = None

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    def to_output(self, y_pred: np.ndarray) -> np.ndarray:
        """What ``Network.predict`` returns for this loss (identity by default)."""
        return y_pred

    @entry_point
    def forward(self, y_pred, y_true) -> float:
        """The loss of the batch, a float. Checks both arguments, then calls ``_forward``."""
        p = self._check_pred(y_pred)
        return self._forward(p, self._targets(p, y_true))

    @entry_point
    def backward(self, y_pred, y_true) -> np.ndarray:
        """``dL/dy_pred``, shaped like ``y_pred``. Checks both arguments, then calls ``_backward``."""
        p = self._check_pred(y_pred)
        return self._backward(p, self._targets(p, y_true))

    def _check_pred(self, y_pred) -> np.ndarray:
        """``y_pred`` as a checked 2-D float array (no NaN or inf)."""
        return as_float_array(y_pred, "y_pred", ndim=2)

    def _targets(self, y_pred: np.ndarray, y_true, name: str = "y_true") -> np.ndarray:
        """Check ``y_true`` against the checked ``y_pred``; return it in the form ``_forward`` takes."""
        raise NotImplementedError  # pragma: no cover - abstract

    def _forward(self, y_pred: np.ndarray, targets: np.ndarray) -> float:
        raise NotImplementedError  # pragma: no cover - abstract

    def _backward(self, y_pred: np.ndarray, targets: np.ndarray) -> np.ndarray:
        raise NotImplementedError  # pragma: no cover - abstract

    def _forward_backward(self, y_pred: np.ndarray, targets: np.ndarray):
        """``(loss, dL/dy_pred, to_output(y_pred))`` for checked arguments: one training step's needs."""
        return self._forward(y_pred, targets), self._backward(y_pred, targets), self.to_output(y_pred)


def _regression_targets(p: np.ndarray, y_true, name: str) -> np.ndarray:
    t = as_float_array(y_true, name, dtype=p.dtype)
    check_same_shape(p, t, "y_pred", name)
    return t


class SumSquaredError(Loss):
    """Sum of squared errors, the XOR tutorial's loss: ``L = sum_ij (yhat_ij - y_ij)^2``.

    A **sum** over samples and outputs, so its gradient grows with the batch:
    ``dL/dyhat = 2 (yhat - y)``. Shapes: ``y_pred`` and ``y_true`` both ``(N, K)``.
    """

    def _targets(self, y_pred, y_true, name="y_true"):
        return _regression_targets(y_pred, y_true, name)

    def _forward(self, p, t) -> float:
        return float(np.sum((p - t) ** 2))

    def _backward(self, p, t) -> np.ndarray:
        return 2.0 * (p - t)


class MeanSquaredError(Loss):
    """Mean squared error: ``L = 1/(N K) sum_ij (yhat_ij - y_ij)^2``.

    A **mean** over all ``N K`` entries (the same as averaging each sample's
    mean over its ``K`` outputs, then over the batch). Gradient
    ``dL/dyhat = 2 (yhat - y) / (N K)``. Shapes: ``y_pred`` and ``y_true`` both ``(N, K)``.
    """

    def _targets(self, y_pred, y_true, name="y_true"):
        return _regression_targets(y_pred, y_true, name)

    def _forward(self, p, t) -> float:
        return float(np.mean((p - t) ** 2))

    def _backward(self, p, t) -> np.ndarray:
        return 2.0 * (p - t) / p.size


def _one_hot(labels: np.ndarray, n_classes: int, dtype=np.float64) -> np.ndarray:
    y = np.zeros((labels.shape[0], n_classes), dtype=dtype)
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

    def _check_pred(self, y_pred):
        p = as_float_array(y_pred, "y_pred", ndim=2)
        if p.min() < 0 or p.max() > 1:
            raise ValueError(
                "CategoricalCrossEntropy expects probabilities in [0, 1], but y_pred has "
                f"values from {p.min():.4g} to {p.max():.4g}. These look like raw scores "
                "(logits): apply Softmax first, or use SoftmaxCrossEntropy on the scores."
            )
        return p

    def _targets(self, y_pred, y_true, name="y_true"):
        return class_labels(y_true, y_pred.shape[0], y_pred.shape[1], name)

    def per_sample(self, y_pred, y_true) -> np.ndarray:
        """The ``(N,)`` losses ``-log p_{i, y_i}`` before averaging."""
        p = self._check_pred(y_pred)
        return self._per_sample(p, self._targets(p, y_true))

    def _per_sample(self, p, labels):
        clipped = np.clip(p, self.eps, 1 - self.eps)
        return -np.log(clipped[np.arange(p.shape[0]), labels])

    def _forward(self, p, labels) -> float:
        return float(np.mean(self._per_sample(p, labels)))

    def _backward(self, p, labels) -> np.ndarray:
        clipped = np.clip(p, self.eps, 1 - self.eps)
        return -_one_hot(labels, p.shape[1], p.dtype) / clipped / p.shape[0]


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
    applies = Softmax

    def _check_pred(self, y_pred):
        return as_float_array(y_pred, "y_pred (logits)", ndim=2)

    def _targets(self, y_pred, y_true, name="y_true"):
        return class_labels(y_true, y_pred.shape[0], y_pred.shape[1], name)

    def to_output(self, y_pred: np.ndarray) -> np.ndarray:
        return softmax(y_pred)

    def per_sample(self, y_pred, y_true) -> np.ndarray:
        """The ``(N,)`` losses ``-log p_{i, y_i}`` before averaging."""
        z = self._check_pred(y_pred)
        return self._per_sample(z, self._targets(z, y_true))

    def _per_sample(self, z, labels):
        shifted = z - z.max(axis=1, keepdims=True)
        log_sum = np.log(np.exp(shifted).sum(axis=1))
        return log_sum - shifted[np.arange(z.shape[0]), labels]

    def _forward(self, z, labels) -> float:
        return float(np.mean(self._per_sample(z, labels)))

    def _backward(self, z, labels) -> np.ndarray:
        self.probs = softmax(z)
        return _probs_minus_one_hot(self.probs, labels, np.arange(z.shape[0]))

    def _forward_backward(self, z, labels):
        # The same arithmetic as _forward, _backward and to_output, sharing one softmax.
        rows = np.arange(z.shape[0])
        shifted = z - _row_reduce(np.maximum, z)
        exp = np.exp(shifted)
        total = _row_reduce(np.add, exp)
        loss = float(np.mean(np.log(total[:, 0]) - shifted[rows, labels]))
        self.probs = exp / total
        return loss, _probs_minus_one_hot(self.probs, labels, rows), self.probs


class BinaryCrossEntropy(Loss):
    """Sigmoid followed by binary cross-entropy, as one loss on one raw score (logit) per sample.

    For a yes/no task the network ends in ``Dense(n, 1)`` with **no** ``Sigmoid``
    after it: ``y_pred`` is the ``(N, 1)`` column of logits ``z``, and the
    probability of class 1 is ``sigma(z)``. ``y_true`` is an ``(N, 1)`` column of
    0s and 1s (float, int or bool), the same shape as ``y_pred``.

    ``L = -1/N sum_i [y_i log sigma(z_i) + (1 - y_i) log(1 - sigma(z_i))]`` (a
    **mean**), rewritten with ``log sigma(z) = -softplus(-z)`` and
    ``log(1 - sigma(z)) = -softplus(z)`` as ``L = 1/N sum_i [softplus(z_i) - y_i z_i]``,
    where ``softplus(z) = log(1 + e^z)`` is computed as ``max(z, 0) + log1p(e^(-|z|))``.
    That form never overflows and never takes ``log 0``, so it needs no clipping:
    at ``z = 1000`` and ``y = 0`` the loss is 1000, not ``inf`` and not a clipped 16.1.
    The gradient collapses to ``dL/dz = (sigma(z) - y) / N``, shape ``(N, 1)``.
    ``Network.predict`` returns the probabilities ``sigma(z)``, so ``accuracy`` (which
    thresholds them at 0.5) works. A Sigmoid layer before this loss would apply
    the sigmoid twice. For two or more classes use ``SoftmaxCrossEntropy``.
    """

    classification = True
    applies = Sigmoid

    def _check_pred(self, y_pred):
        z = as_float_array(y_pred, "y_pred (logits)", ndim=2)
        if z.shape[1] != 1:
            raise ValueError(
                f"BinaryCrossEntropy takes one logit per sample, shape (N, 1), but y_pred has shape "
                f"{z.shape}. End the network in Dense(..., 1); for {z.shape[1]} classes use "
                "SoftmaxCrossEntropy with integer labels."
            )
        return z

    def _targets(self, y_pred, y_true, name="y_true"):
        t = _regression_targets(y_pred, y_true, name)
        if not np.all((t == 0) | (t == 1)):
            bad = np.unique(t[(t != 0) & (t != 1)])
            raise ValueError(
                f"BinaryCrossEntropy needs targets 0 or 1, but {name} holds {bad[:5].tolist()}"
                f"{' ...' if bad.size > 5 else ''}. Labels -1/+1 become 0/1 with (y + 1) / 2; "
                "labels of more than two classes need SoftmaxCrossEntropy."
            )
        return t

    def to_output(self, y_pred: np.ndarray) -> np.ndarray:
        """The probabilities ``sigma(z)`` of class 1, ``(N, 1)``."""
        return sigmoid(y_pred)

    def per_sample(self, y_pred, y_true) -> np.ndarray:
        """The ``(N, 1)`` losses ``softplus(z_i) - y_i z_i`` before averaging."""
        z = self._check_pred(y_pred)
        return self._per_sample(z, self._targets(z, y_true), np.exp(-np.abs(z)))

    @staticmethod
    def _per_sample(z, t, e):
        # softplus(z) - y z, with softplus(z) = max(z, 0) + log(1 + e^-|z|) and e = e^-|z| in (0, 1].
        return np.maximum(z, 0) - t * z + np.log1p(e)

    def _forward(self, z, t) -> float:
        return float(np.mean(self._per_sample(z, t, np.exp(-np.abs(z)))))

    def _backward(self, z, t) -> np.ndarray:
        return (sigmoid(z) - t) / z.shape[0]

    def _forward_backward(self, z, t):
        # The same arithmetic as _forward, _backward and to_output, sharing one exp.
        e = np.exp(-np.abs(z))
        probs = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))  # sigmoid(z), as nnlib.sigmoid
        loss = float(np.mean(self._per_sample(z, t, e)))
        return loss, (probs - t) / z.shape[0], probs


def _row_reduce(ufunc, a):
    """``ufunc.reduce(a, axis=1, keepdims=True)`` (a row max or row sum), faster for few columns.

    NumPy reduces a short last axis one row at a time, which for 400 rows of 2 or 3
    classes takes longer than all the other work on those scores. Combining whole
    columns instead is several times faster, and for fewer than 8 columns it adds in
    the same order as NumPy does, so the result is the same to the last bit.
    """
    if a.shape[1] >= 8 or a.shape[0] < 100:
        return ufunc.reduce(a, axis=1, keepdims=True)
    out = a[:, :1].copy()
    for j in range(1, a.shape[1]):
        ufunc(out, a[:, j:j + 1], out=out)
    return out


def _probs_minus_one_hot(probs, labels, rows):
    """``(P - Y) / N`` without building ``Y``: subtract 1 where ``Y`` has its 1."""
    grad = probs.copy()
    grad[rows, labels] -= 1
    grad /= grad.shape[0]
    return grad
