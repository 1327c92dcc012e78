"""Reverse-mode automatic differentiation on NumPy arrays: the :class:`Tensor`.

A ``Tensor`` holds an array ``data`` (always float64) and ``grad``, an array of the same
shape that receives ``dL/d(data)`` when you call ``L.backward()`` on a scalar ``L`` computed
from it. Every operation on tensors returns a new tensor that remembers its inputs
(``_parents``) and a small function ``_backward`` holding the chain rule for that one
operation: it reads ``out.grad`` and *adds* each input's share to ``input.grad``.
``backward`` runs these functions from the loss back to the inputs in reverse topological
order, so that a tensor's gradient is complete before it is passed on.

Gradients are accumulated with ``+=``: a tensor used twice (``x * y + x``) receives both
contributions. The tensors you create yourself (the leaves: weights, inputs) keep adding up
across ``backward`` calls, as in PyTorch, so call :meth:`Tensor.zero_grad` on them before
each new pass; intermediate results start from zero at every pass.

Broadcasting follows NumPy but only between arrays with the same number of dimensions, or
with a plain number: ``(N, C) + (1, C)`` is fine, ``(N, 1) + (N,)``, which NumPy silently
turns into an ``(N, N)`` matrix, is refused. In the backward pass, the gradient of an
operand that was stretched along an axis is summed over that axis (:func:`unbroadcast`).

This is micrograd's design (a scalar ``Value`` with ``_backward`` closures) carried over to
arrays. Chapter 19 of the book builds it up step by step.
"""

from __future__ import annotations

import numpy as np

from ._checks import check_finite, class_labels


def unbroadcast(grad: np.ndarray, shape: tuple) -> np.ndarray:
    """Sum ``grad`` down to ``shape``, undoing NumPy broadcasting in the backward pass.

    If an operand of shape ``(1, C)`` was stretched to ``(N, C)``, each of its entries
    influenced ``N`` outputs, so its gradient is the sum of those ``N`` gradients:
    ``grad.sum(axis=0, keepdims=True)``, shape ``(1, C)``. Leading axes that broadcasting
    added (a plain number against an array) are summed away.
    """
    while grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    for axis, size in enumerate(shape):
        if size == 1 and grad.shape[axis] != 1:
            grad = grad.sum(axis=axis, keepdims=True)
    return grad


class Tensor:
    """An array that records the operations it takes part in.

    ``Tensor(data)`` copies ``data`` into a float64 array; it refuses NaN and infinity.
    Attributes: ``data`` (the values), ``grad`` (``dL/d data``, same shape, zeros until
    ``backward``), ``op`` (the operation that made it, ``""`` for a leaf).
    Operators: ``+ - * / **`` (a number as the exponent), ``@`` (2-D only), and the methods
    ``sum``, ``mean``, ``exp``, ``log``, ``relu``, ``T``; see also :func:`softmax_cross_entropy`.
    """

    __array_ufunc__ = None  # ndarray + Tensor calls Tensor.__radd__ instead of NumPy's loop

    def __init__(self, data, _parents: tuple = (), _op: str = ""):
        if isinstance(data, Tensor):
            raise TypeError("data is already a Tensor: use it as it is, or Tensor(t.data) for a copy.")
        arr = np.array(data, copy=None if _parents else True)
        if arr.dtype.kind not in "fiub":
            raise TypeError(f"a Tensor holds real numbers, got dtype {arr.dtype}.")
        self.data = arr.astype(np.float64, copy=False)
        check_finite(self.data, f"the result of {_op}" if _op else "Tensor data")
        self.grad = np.zeros_like(self.data)
        self._parents = _parents
        self._backward = lambda: None  # a leaf has nothing to pass on
        self.op = _op

    shape = property(lambda self: self.data.shape)
    ndim = property(lambda self: self.data.ndim)

    def __repr__(self) -> str:
        return f"Tensor(shape={self.shape}, op={self.op!r})"

    def item(self) -> float:
        """The value of a one-element tensor (a loss) as a Python float."""
        if self.data.size != 1:
            raise ValueError(f"item() needs a single number, this tensor has shape {self.shape}.")
        return float(self.data.reshape(-1)[0])

    def zero_grad(self) -> None:
        """Reset ``grad`` to zeros (in place). Do this to the leaves before each backward pass."""
        self.grad[...] = 0.0

    # ------------------------------------------------------------------ elementwise, broadcasting

    def __add__(self, other) -> Tensor:
        other = _lift(other)
        _check_broadcast("+", self.shape, other.shape)
        out = Tensor(self.data + other.data, (self, other), "+")

        def _backward():  # d(a + b)/da = 1: the gradient passes through, summed where stretched
            self.grad += unbroadcast(out.grad, self.shape)
            other.grad += unbroadcast(out.grad, other.shape)

        out._backward = _backward
        return out

    def __mul__(self, other) -> Tensor:
        other = _lift(other)
        _check_broadcast("*", self.shape, other.shape)
        out = Tensor(self.data * other.data, (self, other), "*")

        def _backward():  # d(a b)/da = b, d(a b)/db = a
            self.grad += unbroadcast(out.grad * other.data, self.shape)
            other.grad += unbroadcast(out.grad * self.data, other.shape)

        out._backward = _backward
        return out

    def __pow__(self, p) -> Tensor:
        if isinstance(p, Tensor) or not np.isscalar(p):
            raise TypeError("the exponent of ** must be a plain number, e.g. x ** 2.")
        with np.errstate(all="ignore"):  # 0 ** -1 or (-1) ** 0.5: refused by Tensor() below
            out = Tensor(self.data**p, (self,), f"** {p}")

        def _backward():  # d(x^p)/dx = p x^(p - 1)
            self.grad += out.grad * p * self.data ** (p - 1)

        out._backward = _backward
        return out

    def __neg__(self) -> Tensor:
        return self * -1.0

    def __sub__(self, other) -> Tensor:
        return self + (-_lift(other))

    def __truediv__(self, other) -> Tensor:
        return self * _lift(other) ** -1

    __radd__ = __add__
    __rmul__ = __mul__

    def __rsub__(self, other) -> Tensor:
        return _lift(other) - self

    def __rtruediv__(self, other) -> Tensor:
        return _lift(other) / self

    # ------------------------------------------------------------------ matrix product, reductions

    def __matmul__(self, other) -> Tensor:
        other = _lift(other)
        _check_matmul(self.shape, other.shape)
        out = Tensor(self.data @ other.data, (self, other), "@")

        def _backward():  # A (N, k) @ B (k, m) = G (N, m): dA = G B^T (N, k), dB = A^T G (k, m)
            self.grad += out.grad @ other.data.T
            other.grad += self.data.T @ out.grad

        out._backward = _backward
        return out

    def __rmatmul__(self, other) -> Tensor:
        return _lift(other) @ self

    @property
    def T(self) -> Tensor:
        """The transpose of a 2-D tensor; its backward pass transposes the gradient back."""
        if self.ndim != 2:
            raise ValueError(f".T is defined here for 2-D tensors only, got shape {self.shape}.")
        out = Tensor(self.data.T, (self,), "T")

        def _backward():
            self.grad += out.grad.T

        out._backward = _backward
        return out

    def sum(self, axis: int | None = None, keepdims: bool = False) -> Tensor:
        """Sum over ``axis`` (all entries if ``None``). Backward: every entry gets the gradient
        of the sum it went into, so ``out.grad`` is spread back over the summed axis."""
        out = Tensor(self.data.sum(axis=axis, keepdims=keepdims), (self,), "sum")

        def _backward():
            g = out.grad if keepdims or axis is None else np.expand_dims(out.grad, axis)
            self.grad += np.broadcast_to(g, self.shape)

        out._backward = _backward
        return out

    def mean(self, axis: int | None = None, keepdims: bool = False) -> Tensor:
        """Mean over ``axis`` (all entries if ``None``): the sum times ``1/n``, two recorded steps."""
        n = self.data.size if axis is None else self.shape[axis]
        return self.sum(axis=axis, keepdims=keepdims) * (1.0 / n)

    # ------------------------------------------------------------------ elementwise functions

    def exp(self) -> Tensor:
        with np.errstate(over="ignore"):  # exp(710) = inf is refused by Tensor() below
            out = Tensor(np.exp(self.data), (self,), "exp")

        def _backward():  # d(e^x)/dx = e^x, which is the output itself
            self.grad += out.grad * out.data

        out._backward = _backward
        return out

    def log(self) -> Tensor:
        if np.any(self.data <= 0):
            raise ValueError(
                f"log needs positive inputs, but the smallest of the {self.data.size} values is "
                f"{self.data.min():.4g}. For the log of a softmax probability use "
                "softmax_cross_entropy on the logits, which never takes log 0."
            )
        out = Tensor(np.log(self.data), (self,), "log")

        def _backward():  # d(log x)/dx = 1/x
            self.grad += out.grad / self.data

        out._backward = _backward
        return out

    def relu(self) -> Tensor:
        out = Tensor(np.maximum(0.0, self.data), (self,), "relu")

        def _backward():  # 1 where x > 0, else 0 (also at exactly 0, as nnlib.ReLU)
            self.grad += out.grad * (self.data > 0)

        out._backward = _backward
        return out

    # ------------------------------------------------------------------ the backward pass

    def backward(self, grad=None) -> None:
        """Fill ``.grad`` of every tensor this one was computed from with ``d self / d tensor``.

        Without ``grad``, ``self`` must hold a single number (a loss), and its own gradient is 1.
        Otherwise ``grad`` is ``dL/d self`` for some outer ``L`` and must have ``self``'s shape.
        """
        if grad is None:
            if self.data.size != 1:
                raise ValueError(
                    f"backward() without a gradient needs a single number (a loss), but this tensor "
                    f"has shape {self.shape}. Reduce it first (.sum() or .mean()), or pass "
                    f"backward(grad) with an array of shape {self.shape}."
                )
            grad = np.ones_like(self.data)
        else:
            grad = np.array(grad, dtype=np.float64)
            if grad.shape != self.shape:
                raise ValueError(f"grad has shape {grad.shape}, expected this tensor's {self.shape}.")
            check_finite(grad, "grad")
        order = _topological_order(self)  # every tensor after all of its parents
        for node in order:
            if node._parents:  # intermediate results hold this pass's gradient only
                node.grad = np.zeros_like(node.data)
        self.grad += grad
        with np.errstate(all="ignore"):  # an overflowing gradient is reported just below
            for node in reversed(order):  # from self back to the leaves
                node._backward()
        for node in order:
            check_finite(node.grad, f"the gradient of a tensor made by {node.op or 'you (a leaf)'}")


def softmax_cross_entropy(logits: Tensor, labels) -> Tensor:
    """Mean cross-entropy of softmax(logits): ``L = 1/N sum_i (logsumexp(z_i) - z_{i, y_i})``.

    ``logits`` is an ``(N, C)`` tensor of raw scores, ``labels`` integer classes ``(N,)`` in
    ``0..C-1`` (or one-hot rows). Computed stably (each row shifted by its max), as one step
    whose backward is ``(P - Y) / N`` (chapter 9), times the upstream gradient.
    """
    logits = _lift(logits)
    if logits.ndim != 2:
        raise ValueError(f"logits must be a 2-D (N, C) tensor, got shape {logits.shape}.")
    n = logits.shape[0]
    y = class_labels(labels, n, logits.shape[1], "labels")
    shifted = logits.data - logits.data.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    log_sum = np.log(exp.sum(axis=1))
    out = Tensor(np.mean(log_sum - shifted[np.arange(n), y]), (logits,), "softmax_cross_entropy")

    def _backward():
        dz = exp / exp.sum(axis=1, keepdims=True)  # P, a new array
        dz[np.arange(n), y] -= 1.0  # P - Y
        logits.grad += out.grad * dz / n

    out._backward = _backward
    return out


def _lift(x) -> Tensor:
    """Turn a number or an array into a (leaf) Tensor; leave Tensors alone."""
    return x if isinstance(x, Tensor) else Tensor(x)


def _check_broadcast(op: str, a: tuple, b: tuple) -> None:
    """Refuse ``a op b`` when the shapes do not broadcast, or differ in their number of dimensions."""
    if a and b and len(a) != len(b):
        raise ValueError(
            f"{op} between shapes {a} and {b}: the numbers of dimensions differ, so NumPy would pad "
            "the smaller shape on the left (an (N, 1) and an (N,) array become (N, N)). Reshape one "
            "of them so both have the same number of dimensions, e.g. a row of biases as "
            "b.reshape(1, -1)."
        )
    try:
        np.broadcast_shapes(a, b)
    except ValueError:
        raise ValueError(
            f"{op} between shapes {a} and {b}: each axis must have the same size in both, "
            "or size 1 in one of them."
        ) from None


def _check_matmul(a: tuple, b: tuple) -> None:
    if len(a) != 2 or len(b) != 2:
        raise ValueError(
            f"@ needs two 2-D tensors, (N, k) @ (k, m); got shapes {a} and {b}. Reshape a single "
            "sample x to x.reshape(1, -1)."
        )
    if a[1] != b[0]:
        hint = ""
        if a[1] == b[1]:
            hint = " If the right one is a weight matrix stored (out, in), as in PyTorch, use x @ W.T."
        raise ValueError(f"@ between shapes {a} and {b}: the inner sizes {a[1]} and {b[0]} differ.{hint}")


def _topological_order(root: Tensor) -> list[Tensor]:
    """All tensors ``root`` depends on, each listed after its parents (depth-first search).

    An explicit stack instead of recursion, so that a graph deeper than Python's recursion
    limit (about 1000 nested calls) works too.
    """
    order, visited = [], set()
    stack = [(root, False)]
    while stack:
        node, parents_done = stack.pop()
        if parents_done:
            order.append(node)  # all of node's parents are already in order
        elif node not in visited:
            visited.add(node)
            stack.append((node, True))
            stack.extend((parent, False) for parent in node._parents)
    return order
