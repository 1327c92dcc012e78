"""Activation functions: ``Step``, ``Sigmoid``, ``ReLU`` and ``Softmax``.

Each follows the layer protocol of :mod:`nnlib.layers`: ``forward(inputs)``
stores ``inputs`` and ``output`` and returns ``output`` (same shape as the
input); ``backward(dvalues)`` returns ``dinputs = dL/d(inputs)``. They have no
parameters and compute in the type of their input (float64 or float32). As in
``Dense``, the public methods check their argument and then call the unchecked
twins ``_forward`` and ``_backward``, which ``Network.fit`` calls directly.
"""

from __future__ import annotations

import numpy as np

from ._checks import as_float_array, check_same_shape, entry_point


class _Activation:
    """Shared plumbing: input checks and the 'forward first' guard."""

    ndim: int | None = None

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    @entry_point
    def forward(self, inputs) -> np.ndarray:
        """Check ``inputs`` (numbers, no NaN or inf), then apply the function: :meth:`_forward`."""
        z = as_float_array(inputs, f"{type(self).__name__} inputs", ndim=self.ndim)
        return self._forward(z)

    def _forward(self, z: np.ndarray) -> np.ndarray:
        self.inputs = z
        self.output = self._f(z)
        return self.output

    @entry_point
    def backward(self, dvalues) -> np.ndarray:
        """Check that ``dvalues`` has the output's shape, then return ``dL/dinputs``: :meth:`_backward`."""
        if not hasattr(self, "output"):
            raise RuntimeError(f"{self!r}.backward() called before forward().")
        d = as_float_array(dvalues, "dvalues", ndim=self.output.ndim)
        check_same_shape(d, self.output, "dvalues", f"{self!r}'s output")
        return self._backward(d)

    def _backward(self, d: np.ndarray, need_dinputs: bool = True) -> np.ndarray | None:
        # need_dinputs is part of the twin protocol (see Dense._backward); an
        # activation's only result is dinputs, so it is always computed.
        self.dinputs = self._df(d)
        return self.dinputs

    def _f(self, z):  # pragma: no cover - abstract
        raise NotImplementedError

    def _df(self, dvalues):  # pragma: no cover - abstract
        raise NotImplementedError


class Step(_Activation):
    """Heaviside step: ``1`` where ``z > 0``, else ``0`` (also at ``z = 0``); elementwise, any shape.

    The historical perceptron activation. Its derivative is zero everywhere it
    exists (and undefined at 0), so no gradient can flow through it:
    ``backward`` raises instead of silently returning zeros.
    """

    def _f(self, z):
        return (z > 0).astype(z.dtype)

    def _df(self, dvalues):
        raise NotImplementedError(
            "Step has no useful derivative: it is 0 everywhere except at z = 0, where it "
            "does not exist, so gradient descent cannot learn through it. Use Sigmoid "
            "or ReLU in a network you want to train."
        )


def sigmoid(z: np.ndarray) -> np.ndarray:
    """Numerically stable logistic function ``1 / (1 + exp(-z))``, elementwise; any shape in, same shape out.

    ``exp(-z)`` overflows for ``z < -709`` in float64. Writing the function with
    ``e = exp(-|z|)``, which is always in ``(0, 1]``, gives ``1 / (1 + e)`` for
    ``z >= 0`` and ``e / (1 + e)`` for ``z < 0``: the same values, no overflow.
    """
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


class Sigmoid(_Activation):
    """``A = sigma(Z) = 1 / (1 + exp(-Z))``, elementwise; any shape.

    Backward uses the stored output: ``sigma'(z) = sigma(z) (1 - sigma(z))``.
    """

    def _f(self, z):
        return sigmoid(z)

    def _df(self, dvalues):
        a = self.output
        return dvalues * a * (1.0 - a)


class ReLU(_Activation):
    """``A = max(0, Z)``, elementwise; any shape.

    Backward passes the gradient where ``z > 0`` and blocks it elsewhere (the
    derivative at exactly 0 is taken as 0).
    """

    def _f(self, z):
        return np.maximum(0.0, z)

    def _df(self, dvalues):
        return dvalues * (self.inputs > 0)


def softmax(z: np.ndarray) -> np.ndarray:
    """Row-wise softmax of a 2-D array, ``(N, C) -> (N, C)``, shifted by each row's max.

    ``softmax(z)_j = exp(z_j - max z) / sum_k exp(z_k - max z)``. Subtracting
    the max changes nothing mathematically and keeps ``exp`` from overflowing.
    """
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


class Softmax(_Activation):
    """Row-wise softmax: ``(N, C)`` scores (logits) to ``(N, C)`` probabilities.

    Backward applies each row's Jacobian ``diag(p) - p p^T`` without building
    it: ``dinputs = p * (dvalues - sum(dvalues * p, axis=1))``.
    """

    ndim = 2

    def _f(self, z):
        return softmax(z)

    def _df(self, dvalues):
        p = self.output
        return p * (dvalues - np.sum(dvalues * p, axis=1, keepdims=True))
