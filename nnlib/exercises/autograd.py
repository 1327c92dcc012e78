"""Chapter 19, automatic differentiation: ``check_autograd_div``.

The learner writes division as one recorded operation on :class:`nnlib.autograd.Tensor`::

    def div(a, b):
        out = Tensor(a.data / b.data, (a, b), "/")
        def _backward():
            a.grad += unbroadcast(out.grad / b.data, a.shape)
            b.grad += unbroadcast(-out.grad * a.data / b.data**2, b.shape)
        out._backward = _backward
        return out

The check builds ``a`` and ``b`` as intermediate results of a small graph (so that forgotten parents
show), calls ``div(a, b)``, sends ``out_grad`` back through it with ``out.backward(out_grad)`` and compares
``out.data`` and the gradients that reach the two leaves.
"""

from __future__ import annotations

import numpy as np

from ..autograd import Tensor, unbroadcast
from ._engine import BadAnswer, Check, Mistake

SAME = "the same tensor as a"


def _call(fn, args):
    a_data, b_data, out_grad = args
    a_leaf = Tensor(a_data)
    a = a_leaf * 1.0  # a and b are intermediate results, as they would be inside a network
    if isinstance(b_data, str):  # the case x / x
        b_leaf, b = a_leaf, a
    else:
        b_leaf = Tensor(b_data)
        b = b_leaf * 1.0
    out = fn(a, b)
    if out is None:
        raise BadAnswer("returned None: end div with return out.")
    if not isinstance(out, Tensor):
        raise BadAnswer(f"returned a {type(out).__name__}; return the Tensor out = Tensor(a.data / b.data, "
                        "(a, b), '/') with its _backward attached.")
    shape = np.broadcast_shapes(a.shape, b.shape)
    if out.shape != shape:
        raise BadAnswer(f"returned a Tensor of shape {out.shape}; a / b has shape {shape}.")
    if not out._parents:
        raise BadAnswer("returned a Tensor that records no parents, so backward() cannot go past it to a "
                        "and b.")
    out.backward(out_grad)
    return out.data, a_leaf.grad, b_leaf.grad


def _op(a, b, rule_a, rule_b, *, accumulate=True, parents=True, attach=True):
    """``a / b`` as one operation whose backward adds ``rule_a(out, a, b)`` and ``rule_b(...)``."""
    out = Tensor(a.data / b.data, (a, b) if parents else (), "/")

    def _backward():
        if accumulate:
            a.grad += rule_a(out, a, b)
            b.grad += rule_b(out, a, b)
        else:
            a.grad = rule_a(out, a, b)
            b.grad = rule_b(out, a, b)

    if attach:
        out._backward = _backward
    return out


def _da(out, a, b):
    return unbroadcast(out.grad / b.data, a.shape)


def _db(out, a, b):
    return unbroadcast(-out.grad * a.data / b.data**2, b.shape)


def _div(a, b, out_grad=None):
    """The reference. (``out_grad`` is not an argument of yours: the check sets ``out.grad`` to it.)"""
    return _op(a, b, _da, _db)


def _div_from_output(a, b):
    """Correct too: d(a/b)/db = -(a/b)/b, computed from the output."""
    return _op(a, b, _da, lambda out, a, b: unbroadcast(-out.grad * out.data / b.data, b.shape))


def _mean_back(grad, shape):
    """The mistake of averaging where unbroadcast sums."""
    while grad.ndim > len(shape):
        grad = grad.mean(axis=0)
    for axis, size in enumerate(shape):
        if size == 1 and grad.shape[axis] != 1:
            grad = grad.mean(axis=axis, keepdims=True)
    return grad


def _batch_axis_only(grad, shape):
    """The mistake of summing over the batch axis whenever the shapes differ."""
    return grad.sum(axis=0, keepdims=True) if grad.shape != shape else grad


_rng = np.random.default_rng(19)


def _away_from_zero(shape):
    return _rng.choice([-1.0, 1.0], size=shape) * _rng.uniform(0.5, 2.0, size=shape)


check_autograd_div = Check(
    name="div",
    chapter="autograd",
    signature="fn(a, b) -> out, a Tensor holding a.data / b.data with parents (a, b) and a _backward that "
              "adds out.grad / b to a.grad and -out.grad * a / b**2 to b.grad, each unbroadcast to its "
              "operand's shape",
    reference=_div,
    call=_call,
    parts=("a / b", "a.grad", "b.grad"),
    cases=[
        ("a and b of the same shape (3, 4)",
         (_rng.standard_normal((3, 4)), _away_from_zero((3, 4)), _rng.standard_normal((3, 4)))),
        ("b is a row (1, 4), stretched over the 3 rows of a",
         (_rng.standard_normal((3, 4)), _away_from_zero((1, 4)), _rng.standard_normal((3, 4)))),
        ("b is a column (3, 1), stretched over the 4 columns of a",
         (_rng.standard_normal((3, 4)), _away_from_zero((3, 1)), _rng.standard_normal((3, 4)))),
        ("a is a row (1, 4), stretched over the 3 rows of b",
         (_rng.standard_normal((1, 4)), _away_from_zero((3, 4)), _rng.standard_normal((3, 4)))),
        ("x / x: b is the same tensor as a (the gradient of x / x = 1 is 0)",
         (_away_from_zero((2, 3)), SAME, _rng.standard_normal((2, 3)))),
        ("b is a plain number (shape ())",
         (_rng.standard_normal((3, 4)), np.array(-1.5), _rng.standard_normal((3, 4)))),
    ],
    mistakes=[
        Mistake("no-unbroadcast",
                "a / b broadcasts, so each gradient must be summed back to the shape of its operand: "
                "a.grad += unbroadcast(out.grad / b.data, a.shape), and likewise for b with b.shape.",
                lambda a, b: _op(a, b, lambda o, a, b: o.grad / b.data,
                                 lambda o, a, b: -o.grad * a.data / b.data**2)),
        Mistake("unbroadcast-b-only",
                "a can be the stretched one too (a row (1, C) against an (N, C) b): unbroadcast both "
                "gradients, a's to a.shape as well as b's to b.shape.",
                lambda a, b: _op(a, b, lambda o, a, b: o.grad / b.data, _db)),
        Mistake("batch-axis-only",
                "a column (N, 1) or a plain number is stretched along other axes than the batch axis: sum "
                "over every axis where the operand has size 1 (and over added leading axes), as "
                "nnlib.autograd.unbroadcast does, not only over axis 0.",
                lambda a, b: _op(a, b, lambda o, a, b: _batch_axis_only(o.grad / b.data, a.shape),
                                 lambda o, a, b: _batch_axis_only(-o.grad * a.data / b.data**2, b.shape))),
        Mistake("mean-not-sum",
                "sum the gradient over the stretched axes, do not average it: a stretched entry is used "
                "in every row (or column), and every use adds its full share.",
                lambda a, b: _op(a, b, lambda o, a, b: _mean_back(o.grad / b.data, a.shape),
                                 lambda o, a, b: _mean_back(-o.grad * a.data / b.data**2, b.shape))),
        Mistake("assign",
                "use +=, not =: when a and b are the same tensor (x / x), both lines add to one gradient, "
                "and an assignment keeps only the last one. (The gradient of x / x = 1 is 0.)",
                lambda a, b: _op(a, b, _da, _db, accumulate=False)),
        Mistake("db-sign",
                "check the sign of b's gradient: d(a/b)/db = -a / b**2 (a larger denominator makes the "
                "quotient smaller).",
                lambda a, b: _op(a, b, _da,
                                 lambda o, a, b: unbroadcast(o.grad * a.data / b.data**2, b.shape))),
        Mistake("db-no-square",
                "d(a/b)/db = -a / b**2, with b squared: -out.grad * a.data / b.data**2.",
                lambda a, b: _op(a, b, _da, lambda o, a, b: unbroadcast(-o.grad * a.data / b.data, b.shape))),
        Mistake("no-upstream",
                "multiply by out.grad (the chain rule): 1 / b and -a / b**2 are only the local derivatives "
                "of out; out.grad says how the loss depends on out.",
                lambda a, b: _op(a, b, lambda o, a, b: unbroadcast(np.ones_like(o.data) / b.data, a.shape),
                                 lambda o, a, b: unbroadcast(-np.ones_like(o.data) * a.data / b.data**2,
                                                             b.shape))),
        Mistake("swapped",
                "the two derivatives are swapped: a gets out.grad / b and b gets -out.grad * a / b**2.",
                lambda a, b: _op(a, b, lambda o, a, b: unbroadcast(-o.grad * a.data / b.data**2, a.shape),
                                 lambda o, a, b: unbroadcast(o.grad / b.data, b.shape))),
        Mistake("no-parents",
                "record the parents: Tensor(a.data / b.data, (a, b), '/'). Without them backward() never "
                "visits a and b, so nothing computed before them receives a gradient.",
                lambda a, b: _op(a, b, _da, _db, parents=False)),
        Mistake("not-attached",
                "no gradient reached a or b: fill in _backward, and attach it with out._backward = "
                "_backward before return out (defining the function inside div is not enough).",
                lambda a, b: _op(a, b, _da, _db, attach=False)),
    ],
    alternatives=[
        ("-(a/b)/b from the output", _div_from_output),
        ("nnlib's own a * b ** -1, two recorded steps", lambda a, b: a * b**-1),
        ("nnlib's a / b", lambda a, b: a / b),
    ],
)
