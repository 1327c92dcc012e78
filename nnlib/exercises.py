"""Automatic feedback for the book's exercises.

Each ``check_*`` function takes *your* implementation, runs it on a handful of
inputs chosen to expose the usual mistakes, compares with a reference, prints
what it found and returns ``True`` or ``False`` (so a solution cell can
``assert`` it). On a mismatch it shows the input, the expected and the actual
output, and a hint aimed at the likely mistake.

To add a check for a new chapter, call :func:`check_function` with a
reference, a list of named cases and, optionally, a ``diagnose`` function that
turns a wrong answer into a hint.
"""

from __future__ import annotations

import copy
import warnings

import numpy as np

from .activations import sigmoid as _sigmoid
from .activations import softmax as _softmax

_OK = "✅"
_BAD = "❌"


def _show(x) -> str:
    return np.array2string(np.asarray(x), precision=4, suppress_small=True, threshold=20)


def check_function(fn, reference, cases, *, name=None, diagnose=None, rtol=1e-6, atol=1e-8,
                   verbose=True) -> bool:
    """Compare ``fn`` with ``reference`` on every case; report the first difference.

    ``cases`` is a list of ``(description, args_tuple)``. ``diagnose(args,
    expected, got)`` may return a hint string for a wrong answer. A case also
    fails if ``fn`` raises, changes its inputs in place, emits a NumPy warning
    (overflow, invalid value), or returns the wrong shape or a boolean array.
    """
    name = name or getattr(fn, "__name__", "your function")

    def fail(desc, args, msg, expected=None, got=None, hint=None):
        if verbose:
            lines = [f"{_BAD} {name} is not right yet: {msg}", f"   case: {desc}"]
            for i, a in enumerate(args):
                lines.append(f"   input {i + 1}: {_show(a)}")
            if expected is not None:
                lines.append(f"   expected: {_show(expected)}")
            if got is not None:
                lines.append(f"   got:      {_show(got)}")
            if hint:
                lines.append(f"   hint: {hint}")
            print("\n".join(lines))
        return False

    for desc, args in cases:
        expected = reference(*copy.deepcopy(args))
        call_args = copy.deepcopy(args)
        with warnings.catch_warnings(record=True) as caught, np.errstate(all="warn"):
            warnings.simplefilter("always")
            try:
                got = fn(*call_args)
            except Exception as exc:  # the learner's code may raise anything
                return fail(desc, args, f"it raised {type(exc).__name__}: {exc}")
        numpy_warnings = [w for w in caught if issubclass(w.category, RuntimeWarning)]
        for before, after in zip(args, call_args, strict=True):
            if isinstance(before, np.ndarray) and not np.array_equal(before, after, equal_nan=True):
                return fail(desc, args, "it changed its input array in place.",
                            hint="work on a copy (or build a new array, e.g. with np.maximum) "
                                 "so the caller's data stays as it was.")
        if got is None:
            return fail(desc, args, "it returned None.", expected=expected,
                        hint="did you forget the `return` statement?")
        got_arr = np.asarray(got)
        exp_arr = np.asarray(expected)
        hint = diagnose(args, exp_arr, got_arr) if diagnose else None
        if got_arr.dtype == bool and exp_arr.dtype != bool:
            return fail(desc, args, "it returned booleans (True/False), not numbers.",
                        expected=expected, got=got, hint=hint or "a comparison such as `z > 0` gives "
                        "booleans; the function should return numbers.")
        if numpy_warnings:
            return fail(desc, args, f"NumPy warned: {numpy_warnings[0].message}",
                        expected=expected, got=got, hint=hint)
        if got_arr.shape != exp_arr.shape:
            return fail(desc, args, f"the output has shape {got_arr.shape}, expected "
                        f"{exp_arr.shape}.", expected=expected, got=got, hint=hint)
        if not np.issubdtype(got_arr.dtype, np.number):
            return fail(desc, args, f"the output has dtype {got_arr.dtype}, not numbers.",
                        expected=expected, got=got, hint=hint)
        if not np.allclose(got_arr, exp_arr, rtol=rtol, atol=atol, equal_nan=False):
            return fail(desc, args, "the values differ.", expected=expected, got=got, hint=hint)
    if verbose:
        print(f"{_OK} {name} is correct on all {len(cases)} test inputs.")
    return True


# --------------------------------------------------------------------------- neuron, layer

def check_neuron(fn, **kw) -> bool:
    """``fn(inputs, weights, bias) -> float``: one neuron's ``sum_i x_i w_i + b``."""
    cases = [
        ("seed 001's neuron", ([7.0, 3.0, 2.0], [0.1, -0.6, 0.5], 1.0)),
        ("four inputs", ([1.0, 2.0, 3.0, 2.5], [0.2, 0.8, -0.5, 1.0], 2.0)),
        ("zero bias, negative inputs", ([-1.0, -2.0], [3.0, 0.5], 0.0)),
    ]

    def reference(x, w, b):
        return float(np.dot(x, w) + b)

    def diagnose(args, expected, got):
        x, w, b = args
        if got.shape == () and np.isclose(got, float(np.dot(x, w))):
            return "you left out the bias: add b after the weighted sum."
        if got.shape == () and np.isclose(got, float(np.sum(x) * np.sum(w) + b)):
            return "multiply each input by *its own* weight, then sum (a dot product)."
        if got.shape != ():
            return "a neuron returns a single number, not an array."
        return None

    return check_function(fn, reference, cases, name=kw.pop("name", "neuron"), diagnose=diagnose, **kw)


def check_layer_forward(fn, **kw) -> bool:
    """``fn(X, W, b) -> Z``: a dense layer's ``Z = X W + b``, ``W`` of shape ``(n_in, n_out)``."""
    rng = np.random.default_rng(7)
    cases = [
        ("seed 001's three samples, four inputs, three neurons (W as (n_in, n_out))",
         (np.array([[7.0, 3, 2, 3], [3, 6, 9, 1], [3, 7, 1, 9]]),
          np.array([[0.1, -0.6, 0.5, 0.8], [0.7, 0.4, 0.1, -0.6], [0.5, -0.6, -0.8, 0.13]]).T,
          np.array([[5.0, 7, 5]]))),
        ("five samples, four inputs, two neurons (not square)",
         (rng.standard_normal((5, 4)), rng.standard_normal((4, 2)), rng.standard_normal((1, 2)))),
        ("a batch of one", (rng.standard_normal((1, 3)), rng.standard_normal((3, 4)), np.zeros((1, 4)))),
    ]

    def reference(X, W, b):
        return X @ W + b

    def diagnose(args, expected, got):
        X, W, b = args
        if got.shape == expected.shape and np.allclose(got, X @ W):
            return "the biases are missing: add b (shape (1, n_out)) to every row."
        if got.shape == expected.T.shape:
            return "the result is transposed: with W of shape (n_in, n_out), compute X @ W."
        return None

    return check_function(fn, reference, cases, name=kw.pop("name", "layer forward"),
                          diagnose=diagnose, **kw)


# --------------------------------------------------------------------------- activations

_Z = np.array([[-2.0, -0.5, 0.0, 0.5, 2.0], [3.0, -3.0, 1.0, -1.0, 0.25]])


def check_step(fn, **kw) -> bool:
    """``fn(z) -> array``: 1 where ``z > 0``, 0 elsewhere (including at 0)."""
    cases = [("mixed signs, including 0", (_Z.copy(),)), ("a 1-D vector", (np.array([-1.0, 0.0, 1e-9]),))]

    def reference(z):
        return (z > 0).astype(float)

    def diagnose(args, expected, got):
        (z,) = args
        if got.shape == z.shape and np.allclose(got, (z >= 0).astype(float)):
            return "at exactly z = 0 the step outputs 0 in this course: use z > 0, not z >= 0."
        if got.shape == z.shape and np.allclose(got, np.maximum(0, z)):
            return "that is ReLU (it keeps positive values); the step outputs 1 for positive z."
        return None

    return check_function(fn, reference, cases, name=kw.pop("name", "step"), diagnose=diagnose, **kw)


def check_relu(fn, **kw) -> bool:
    """``fn(z) -> array``: ``max(0, z)`` elementwise, any shape, without changing ``z``."""
    cases = [
        ("mixed signs", (_Z.copy(),)),
        ("all negative", (-np.abs(_Z) - 1,)),
        ("a 1-D vector", (np.array([-3.0, 0.0, 4.5]),)),
    ]

    def diagnose(args, expected, got):
        (z,) = args
        if got.dtype == bool:
            return "ReLU returns the value itself where z > 0, and 0 elsewhere: np.maximum(0, z)."
        if got.shape == z.shape and np.allclose(got, np.abs(z)):
            return "negative inputs must become 0, not positive: that was abs(z)."
        if got.shape == z.shape and np.allclose(got, np.minimum(0, z)):
            return "that keeps the negative part: use np.maximum(0, z)."
        return None

    return check_function(fn, lambda z: np.maximum(0.0, z), cases, name=kw.pop("name", "ReLU"),
                          diagnose=diagnose, **kw)


def check_sigmoid(fn, **kw) -> bool:
    """``fn(z) -> array``: ``1 / (1 + exp(-z))`` elementwise, without overflow for large ``|z|``."""
    cases = [
        ("moderate values", (_Z.copy(),)),
        ("zero gives one half", (np.array([0.0]),)),
        ("very negative and very positive z", (np.array([-1000.0, -750.0, 750.0, 1000.0]),)),
    ]

    def diagnose(args, expected, got):
        (z,) = args
        if np.any(np.abs(z) > 700):
            return ("exp(-z) overflows for z below about -709. Compute with e = exp(-|z|) "
                    "instead: 1/(1+e) where z >= 0 and e/(1+e) where z < 0.")
        if got.shape == z.shape and np.allclose(got, 1 / (1 + np.exp(z))):
            return "the sign in the exponent is flipped: it is exp(-z)."
        return None

    return check_function(fn, _sigmoid, cases, name=kw.pop("name", "sigmoid"), diagnose=diagnose, **kw)


def check_softmax(fn, **kw) -> bool:
    """``fn(z) -> array``: row-wise softmax of an ``(N, C)`` array, stable for large scores."""
    cases = [
        ("seed 001's three rows of scores", (np.array([[4.8, 1.21, 2.385], [8.9, -1.81, 0.2],
                                                        [1.41, 1.051, 0.026]]),)),
        ("more rows than columns", (np.array([[1.0, 2.0], [0.5, -0.5], [3.0, 3.0], [-1.0, 4.0]]),)),
        ("large scores", (np.array([[1000.0, 1001.0, 1002.0], [-5.0, 800.0, 0.0]]),)),
    ]

    def diagnose(args, expected, got):
        (z,) = args
        if z.max() > 700 and (got.size == 0 or not np.all(np.isfinite(got))):
            return ("exp overflowed. Subtract each row's max before exp "
                    "(z - z.max(axis=1, keepdims=True)): the result is unchanged and exp stays <= 1.")
        if got.shape == z.shape:
            if np.allclose(got.sum(axis=0), 1) and not np.allclose(got.sum(axis=1), 1):
                return "the columns sum to 1 instead of the rows: sum over axis=1."
            e = np.exp(z - z.max())
            if np.allclose(got, e / e.sum()):
                return "you normalised over the whole array; each row needs its own sum (axis=1)."
            if not np.allclose(got.sum(axis=1), 1):
                return ("the rows do not sum to 1. Use np.sum(..., axis=1, keepdims=True) so the "
                        "(N, 1) sums divide each row.")
        return None

    return check_function(fn, _softmax, cases, name=kw.pop("name", "softmax"), diagnose=diagnose, **kw)


# --------------------------------------------------------------------------- losses

def check_cross_entropy(fn, **kw) -> bool:
    """``fn(probs, labels) -> float``: mean of ``-log p[i, y_i]``, clipped to ``[1e-7, 1 - 1e-7]``."""
    cases = [
        ("seed 001's example", (np.array([[0.7, 0.1, 0.2], [0.1, 0.5, 0.4], [0.02, 0.9, 0.08]]),
                                np.array([0, 1, 1]))),
        ("a confident mistake (p = 0 for the true class)",
         (np.array([[1.0, 0.0], [0.3, 0.7]]), np.array([1, 1]))),
        ("uniform predictions over 3 classes", (np.full((4, 3), 1 / 3), np.array([0, 1, 2, 0]))),
    ]

    def reference(p, y):
        p = np.clip(p, 1e-7, 1 - 1e-7)
        return float(np.mean(-np.log(p[np.arange(len(p)), y])))

    def diagnose(args, expected, got):
        p, y = args
        if got.shape != ():
            return "return the mean over the batch, a single number."
        pc = np.clip(p, 1e-7, 1 - 1e-7)
        picked = -np.log(pc[np.arange(len(p)), y])
        if np.isclose(got, picked.sum()):
            return "that is the sum; this course's cross-entropy is the mean over the batch."
        if np.isclose(got, float(np.mean(-np.log(pc.max(axis=1))))):
            return "use the probability of the *true* class (p[range(N), y]), not the largest one."
        if not np.isfinite(got):
            return "log(0) is -inf: clip the probabilities to [1e-7, 1 - 1e-7] first."
        return None

    return check_function(fn, reference, cases, name=kw.pop("name", "cross-entropy"),
                          diagnose=diagnose, **kw)


# --------------------------------------------------------------------------- backward passes

def check_relu_backward(fn, **kw) -> bool:
    """``fn(z, dvalues) -> dinputs``: ``dvalues`` where ``z > 0``, else 0."""
    rng = np.random.default_rng(3)
    cases = [("mixed signs", (_Z.copy(), rng.standard_normal(_Z.shape))),
             ("all positive", (np.abs(_Z) + 0.1, rng.standard_normal(_Z.shape)))]

    def diagnose(args, expected, got):
        z, d = args
        if got.shape == z.shape and np.allclose(got, (z > 0).astype(float)):
            return "multiply the mask by dvalues: the chain rule passes the incoming gradient on."
        return None

    return check_function(fn, lambda z, d: d * (z > 0), cases, name=kw.pop("name", "ReLU backward"),
                          diagnose=diagnose, **kw)


def check_sigmoid_backward(fn, **kw) -> bool:
    """``fn(a, dvalues) -> dinputs`` with ``a = sigmoid(z)`` stored: ``dvalues * a * (1 - a)``."""
    rng = np.random.default_rng(4)
    a = _sigmoid(_Z)
    cases = [("outputs of the sigmoid", (a, rng.standard_normal(a.shape))),
             ("saturated outputs", (np.array([[1e-6, 0.5, 1 - 1e-6]]), np.ones((1, 3))))]

    def diagnose(args, expected, got):
        a, d = args
        if got.shape == a.shape and np.allclose(got, d * _sigmoid(a) * (1 - _sigmoid(a))):
            return "the input here is already sigma(z): use a * (1 - a), do not apply sigmoid again."
        return None

    return check_function(fn, lambda a, d: d * a * (1 - a), cases,
                          name=kw.pop("name", "sigmoid backward"), diagnose=diagnose, **kw)


def check_softmax_cross_entropy_backward(fn, **kw) -> bool:
    """``fn(logits, labels) -> dL/dlogits`` for the batch-mean loss: ``(softmax(z) - Y) / N``."""
    rng = np.random.default_rng(5)
    cases = [("four samples, three classes", (rng.standard_normal((4, 3)), np.array([0, 2, 1, 2]))),
             ("one sample", (np.array([[2.0, -1.0, 0.5]]), np.array([1])))]

    def reference(z, y):
        p = _softmax(z)
        p[np.arange(len(y)), y] -= 1
        return p / len(y)

    def diagnose(args, expected, got):
        z, y = args
        n = len(y)
        if got.shape == expected.shape and np.allclose(got, expected * n):
            return "divide by N, the batch size: the loss is a mean over the batch."
        if got.shape == expected.shape and np.allclose(got, -expected):
            return "the sign is flipped: it is softmax(z) - Y, predictions minus targets."
        return None

    return check_function(fn, reference, cases, name=kw.pop("name", "softmax + cross-entropy backward"),
                          diagnose=diagnose, **kw)


def check_dense_backward(fn, **kw) -> bool:
    """``fn(X, W, dZ) -> (dW, db, dX)`` for ``Z = X W + b``; ``db`` shaped ``(1, n_out)``."""
    rng = np.random.default_rng(6)
    cases = [("five samples, three inputs, two neurons",
              (rng.standard_normal((5, 3)), rng.standard_normal((3, 2)), rng.standard_normal((5, 2)))),
             ("a batch of one", (rng.standard_normal((1, 4)), rng.standard_normal((4, 3)),
                                 rng.standard_normal((1, 3))))]

    def reference(X, W, dZ):
        return np.concatenate([(X.T @ dZ).ravel(), dZ.sum(axis=0, keepdims=True).ravel(), (dZ @ W.T).ravel()])

    def wrapped(X, W, dZ):
        out = fn(X, W, dZ)
        if not (isinstance(out, tuple) and len(out) == 3):
            raise TypeError("return a tuple (dW, db, dX)")
        dW, db, dX = (np.asarray(o, dtype=float) for o in out)
        shapes = [(dW.shape, W.shape, "dW"), (db.shape, (1, W.shape[1]), "db"), (dX.shape, X.shape, "dX")]
        for got_s, want_s, nm in shapes:
            if got_s != want_s:
                raise ValueError(f"{nm} has shape {got_s}, expected {want_s} (a gradient has the "
                                 "shape of the thing it is the gradient of)")
        return np.concatenate([dW.ravel(), db.ravel(), dX.ravel()])

    def diagnose(args, expected, got):
        X, W, dZ = args
        nw, nb = W.size, W.shape[1]
        if got.shape == expected.shape:
            parts = [("dW = X.T @ dZ", slice(0, nw)), ("db = dZ summed over the batch (axis=0)",
                     slice(nw, nw + nb)), ("dX = dZ @ W.T", slice(nw + nb, None))]
            for label, sl in parts:
                if not np.allclose(got[sl], expected[sl]):
                    return f"this part is off: {label}."
        return None

    return check_function(wrapped, reference, cases, name=kw.pop("name", "dense backward"),
                          diagnose=diagnose, **kw)
