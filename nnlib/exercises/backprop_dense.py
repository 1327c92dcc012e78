"""Chapter 9, backpropagation through Dense, ReLU and softmax with cross-entropy.

``check_relu_backward``, ``check_softmax_cross_entropy_backward`` (also used in chapter 11) and
``check_dense_backward``.
"""

from __future__ import annotations

import numpy as np

from ..activations import softmax as _softmax
from ._engine import Check, Mistake
from .activations import Z as _Z

# ------------------------------------------------------------------------------------ ReLU backward


def _relu_in_place(z, d):
    d[z <= 0] = 0
    return d


_rng = np.random.default_rng(3)

check_relu_backward = Check(
    name="ReLU backward",
    chapter="backprop_dense",
    signature="fn(z, dvalues) -> dinputs: dvalues where z > 0, else 0 (also at z = 0); all of z's shape",
    reference=lambda z, d: d * (z > 0),
    cases=[
        ("mixed signs, including 0", (_Z.copy(), _rng.standard_normal(_Z.shape))),
        ("all positive", (np.abs(_Z) + 0.1, _rng.standard_normal(_Z.shape))),
        ("negative upstream gradients where z > 0",
         (np.array([[1.0, -1.0, 2.0]]), np.array([[-0.5, 3.0, -2.0]]))),
    ],
    mistakes=[
        Mistake("mask-only",
                "multiply the mask by dvalues: the chain rule passes the incoming gradient on, "
                "dvalues * (z > 0).", lambda z, d: (z > 0).astype(float)),
        Mistake("at-zero",
                "at z = 0 this course takes ReLU's derivative as 0: use the mask z > 0, not z >= 0.",
                lambda z, d: d * (z >= 0)),
        Mistake("mask-from-dvalues",
                "the mask comes from the layer's INPUT z (where the unit was active), not from the gradient: "
                "np.maximum(0, dvalues) or dvalues * (dvalues > 0) applies ReLU to the gradient, but the "
                "backward pass keeps dvalues where z > 0, whatever its sign.",
                lambda z, d: np.maximum(0.0, d)),
        Mistake("in-place",
                "d[z <= 0] = 0 changes the caller's dvalues: copy first (d = dvalues.copy()).",
                _relu_in_place),
        Mistake("times-z",
                "the derivative of max(0, z) is 1 where z > 0, not z: multiply dvalues by the mask, "
                "not by the ReLU output.", lambda z, d: d * np.maximum(0.0, z)),
    ],
    alternatives=[
        ("np.where", lambda z, d: np.where(z > 0, d, 0.0)),
        ("copy, then zero", lambda z, d: _relu_in_place(z, d.copy())),
    ],
)

# ------------------------------------------------------------------- softmax + cross-entropy backward


def _reference(z, y):
    p = _softmax(z)
    p[np.arange(len(y)), y] -= 1
    return p / len(y)


def _probs_unstable(z):
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _with(probs, y, *, divide=None, sign=1.0):
    p = probs.copy()
    p[np.arange(len(y)), y] -= 1
    return sign * p / (len(y) if divide is None else divide)


def _in_place(z, y):
    z -= z.max(axis=1, keepdims=True)
    return _with(_softmax(z), y)


def _columns(z, y):
    p = _softmax(z)
    p[:, y] -= 1
    return p / len(y)


_rng_ce = np.random.default_rng(5)

check_softmax_cross_entropy_backward = Check(
    name="softmax + cross-entropy backward",
    chapter="backprop_dense",
    signature="fn(logits, labels) -> dL/dlogits = (softmax(z) - Y) / N for the batch-MEAN loss; "
              "logits (N, C), labels (N,) integers; computed stably",
    reference=_reference,
    cases=[
        ("four samples, three classes", (_rng_ce.standard_normal((4, 3)), np.array([0, 2, 1, 2]))),
        ("one sample", (np.array([[2.0, -1.0, 0.5]]), np.array([1]))),
        ("large logits", (np.array([[1000.0, 0.0, -5.0], [3.0, 800.0, 1.0]]), np.array([0, 2]))),
        ("rows of very different scale", (np.array([[1000.0, 1001.0], [-1000.0, -1001.0], [0.0, 1.0]]),
                                          np.array([1, 0, 0]))),
        ("two samples, five classes", (_rng_ce.standard_normal((2, 5)), np.array([4, 0]))),
    ],
    mistakes=[
        Mistake("no-divide", "divide by N, the batch size: the loss is a mean over the batch.",
                lambda z, y: _with(_softmax(z), y, divide=1)),
        Mistake("flipped", "the sign is flipped: it is softmax(z) - Y, predictions minus targets.",
                lambda z, y: _with(_softmax(z), y, sign=-1.0)),
        Mistake("divide-by-C",
                "divide by N, the number of samples (len(labels)), not by C, the number of classes.",
                lambda z, y: _with(_softmax(z), y, divide=z.shape[1])),
        Mistake("unstable",
                "the softmax is not stable: exp overflows for large logits. Subtract each row's max first, "
                "z - z.max(axis=1, keepdims=True).", lambda z, y: _with(_probs_unstable(z), y)),
        Mistake("global-max",
                "subtract each ROW's max (axis=1, keepdims=True), not the whole array's max: a row far below "
                "it underflows to 0 / 0 = NaN.",
                lambda z, y: _with(np.exp(z - z.max()) / np.exp(z - z.max()).sum(axis=1, keepdims=True), y)),
        Mistake("softmax-over-axis-0",
                "the softmax runs over each ROW (one sample, axis=1), not down the columns.",
                lambda z, y: _with(_softmax(z.T).T, y)),
        Mistake("no-minus-Y",
                "the -Y part is missing: the gradient is (P - Y) / N, where Y is 1 at each sample's true "
                "class (P[range(N), labels] -= 1).", lambda z, y: _softmax(z) / len(y)),
        Mistake("column-indexing",
                "P[:, labels] -= 1 subtracts 1 from whole columns; P[range(N), labels] -= 1 subtracts it "
                "once per row, at that row's label.", _columns),
        Mistake("in-place",
                "z -= z.max(...) changes the caller's logits: write "
                "shifted = z - z.max(axis=1, keepdims=True).",
                _in_place),
    ],
    alternatives=[
        ("a one-hot matrix", lambda z, y: (_softmax(z) - np.eye(z.shape[1])[y]) / len(y)),
        ("nnlib.SoftmaxCrossEntropy", lambda z, y: __import__("nnlib").SoftmaxCrossEntropy().backward(z, y)),
    ],
)

# ------------------------------------------------------------------------------------ Dense backward


def _dense(X, W, dZ):
    return X.T @ dZ, dZ.sum(axis=0, keepdims=True), dZ @ W.T


def _replace(X, W, dZ, **parts):
    dW, db, dX = _dense(X, W, dZ)
    got = {"dW": dW, "db": db, "dX": dX}
    got.update({k: v(X, W, dZ) for k, v in parts.items()})
    return got["dW"], got["db"], got["dX"]


_rng_d = np.random.default_rng(6)

check_dense_backward = Check(
    name="dense backward",
    chapter="backprop_dense",
    signature="fn(X, W, dZ) -> (dW, db, dX) for Z = X W + b; X (N, n_in), W (n_in, n_out), dZ (N, n_out); "
              "dW (n_in, n_out), db (1, n_out), dX (N, n_in)",
    reference=_dense,
    parts=("dW", "db", "dX"),
    cases=[
        ("five samples, three inputs, two neurons",
         (_rng_d.standard_normal((5, 3)), _rng_d.standard_normal((3, 2)), _rng_d.standard_normal((5, 2)))),
        ("a batch of one", (_rng_d.standard_normal((1, 4)), _rng_d.standard_normal((4, 3)),
                            _rng_d.standard_normal((1, 3)))),
        ("three samples, three inputs, three neurons (everything square)",
         (_rng_d.standard_normal((3, 3)), _rng_d.standard_normal((3, 3)), _rng_d.standard_normal((3, 3)))),
    ],
    mistakes=[
        Mistake("db-mean",
                "db is a mean: the loss already holds the 1/N, so db = dZ SUMMED over the batch "
                "(np.sum(dZ, axis=0, keepdims=True)), like dW = X.T @ dZ, which also sums over samples.",
                lambda X, W, dZ: _replace(X, W, dZ, db=lambda X, W, dZ: dZ.mean(axis=0, keepdims=True))),
        Mistake("db-no-sum",
                "db = dZ keeps one row per sample, shape (N, n_out): the same bias is added to every "
                "sample, so its gradient adds up their contributions, np.sum(dZ, axis=0, keepdims=True), "
                "shape (1, n_out).",
                lambda X, W, dZ: _replace(X, W, dZ, db=lambda X, W, dZ: dZ.copy())),
        Mistake("db-no-keepdims",
                "db must have the biases' shape (1, n_out): np.sum(dZ, axis=0, keepdims=True).",
                lambda X, W, dZ: _replace(X, W, dZ, db=lambda X, W, dZ: dZ.sum(axis=0))),
        Mistake("db-axis-1",
                "db sums over the batch, axis=0 (one bias per neuron), not over the neurons (axis=1).",
                lambda X, W, dZ: _replace(X, W, dZ, db=lambda X, W, dZ: dZ.sum(axis=1, keepdims=True).T)),
        Mistake("dW-transposed",
                "dW has W's shape (n_in, n_out): dW = X.T @ dZ, not dZ.T @ X.",
                lambda X, W, dZ: _replace(X, W, dZ, dW=lambda X, W, dZ: dZ.T @ X)),
        Mistake("dW-mean",
                "dW is divided by N: the 1/N is already inside dZ (the loss is a mean), so dW = X.T @ dZ.",
                lambda X, W, dZ: _replace(X, W, dZ, dW=lambda X, W, dZ: X.T @ dZ / len(X))),
        Mistake("dX-no-transpose",
                "going back through Z = X W multiplies by W.T: dX = dZ @ W.T, shape (N, n_in).",
                lambda X, W, dZ: _replace(X, W, dZ, dX=lambda X, W, dZ: dZ @ W)),
        Mistake("dX-wrong-order",
                "the batch comes first: dX = dZ @ W.T (N, n_in), not W @ dZ.T.",
                lambda X, W, dZ: _replace(X, W, dZ, dX=lambda X, W, dZ: (W @ dZ.T).T.T)),
        Mistake("forgot-dZ-in-dW",
                "dW needs the upstream gradient: dW = X.T @ dZ. X.T alone (or X.T summed) is the "
                "derivative of Z with respect to W, before the chain rule.",
                lambda X, W, dZ: _replace(X, W, dZ, dW=lambda X, W, dZ: np.repeat(X.sum(axis=0)[:, None],
                                                                               W.shape[1], axis=1))),
    ],
    alternatives=[
        ("np.dot", lambda X, W, dZ: (np.dot(X.T, dZ), np.sum(dZ, axis=0, keepdims=True), np.dot(dZ, W.T))),
        ("einsum", lambda X, W, dZ: (np.einsum("ik,ij->kj", X, dZ), dZ.sum(0)[None, :],
                                     np.einsum("ij,kj->ik", dZ, W))),
        ("a list instead of a tuple", lambda X, W, dZ: list(_dense(X, W, dZ))),
    ],
)
