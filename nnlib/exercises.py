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
    fails if ``fn`` raises, changes its inputs in place, returns ``None``, emits a
    NumPy warning (overflow, invalid value, division by zero; underflow is
    allowed), or returns the wrong shape or a boolean array.
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
        # Underflow (exp(-800) -> 0) is harmless and happens in correct, stable
        # softmax and sigmoid code, so only overflow, 0/0 and x/0 count.
        with warnings.catch_warnings(record=True) as caught, np.errstate(
            over="warn", invalid="warn", divide="warn", under="ignore"
        ):
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


# --------------------------------------------------------------------------- gradient checking

def _ngc_cubes(x):
    return float(np.sum(x**3))


def _ngc_cross_entropy(z):
    labels = np.arange(z.shape[0]) % z.shape[1]
    shifted = z - z.max(axis=1, keepdims=True)
    log_sum = np.log(np.exp(shifted).sum(axis=1))
    return float(np.mean(log_sum - shifted[np.arange(z.shape[0]), labels]))


def _difference_quotient(f, x, h, kind):
    """Central (``kind=0``), forward (``+1``) or backward (``-1``) differences on a copy of ``x``."""
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h if kind >= 0 else old
        upper = f(x)
        x[i] = old - h if kind <= 0 else old
        lower = f(x)
        x[i] = old
        grad[i] = (upper - lower) / ((2 if kind == 0 else 1) * h)
    return grad


def check_numerical_gradient(fn, **kw) -> bool:
    """``fn(f, x, h) -> grad``: the central difference ``(f(x + h e_i) - f(x - h e_i)) / (2h)``.

    ``f(x)`` returns a float; ``grad`` has the shape of ``x``, one entry per entry of ``x``.
    ``fn`` may perturb ``x`` in place, but must leave it exactly as it was (save
    ``old = x[i]`` and restore ``x[i] = old``), like ``nnlib.gradcheck.numerical_gradient``.
    """
    rng = np.random.default_rng(8)
    cases = [
        ("f(x) = sum(x**3) on a vector, h = 1e-4", (_ngc_cubes, np.array([0.5, -1.0, 2.0]), 1e-4)),
        ("mean cross-entropy of a (2, 3) array of logits, h = 1e-5",
         (_ngc_cross_entropy, rng.standard_normal((2, 3)), 1e-5)),
    ]

    def reference(f, x, h):
        return _difference_quotient(f, x, h, kind=0)

    def wrapped(f, x, h):
        before = np.array(x, dtype=np.float64)
        work = before.copy()
        grad = fn(f, work, h)
        if not np.array_equal(work, before):
            first = tuple(int(i) for i in np.argwhere(work != before)[0])
            if abs(work[first] - before[first]) < 1e-3 * h:
                how = ("It is off by rounding only: adding h back after subtracting it does not give "
                       "the old number exactly. Save old = x[i] first and restore with x[i] = old.")
            else:
                how = "After perturbing an entry, put it back (x[i] = old) before the next one."
            raise ValueError(f"x was not restored: after your function returned, x{list(first)} is "
                             f"{float(work[first])!r} instead of {float(before[first])!r}. {how}")
        return grad

    def diagnose(args, expected, got):
        f, x, h = args
        if got.shape != x.shape:
            return "return one partial derivative per entry of x: an array shaped like x (np.zeros_like(x))."
        for kind in (1, -1):
            if np.allclose(got, _difference_quotient(f, x, h, kind), rtol=1e-9, atol=1e-12):
                return ("that is a one-sided difference such as (f(x + h) - f(x)) / h; its error shrinks "
                        "only like h. Use both sides, (f(x + h) - f(x - h)) / (2 h): the error then "
                        "shrinks like h**2.")
        if np.allclose(got, 2 * expected):
            return "x - h and x + h are 2h apart: divide by 2 * h, not by h."
        if np.allclose(got, expected * h * h, rtol=1e-6, atol=0):
            return "operator precedence: `/ 2 * h` divides by 2 and then multiplies by h. Write `/ (2 * h)`."
        if got.size > 1 and np.allclose(got, got.flat[0]) and not np.allclose(expected, expected.flat[0]):
            return ("every entry is the same: perturb one entry at a time (x[i] for a single index i), "
                    "not the whole array.")
        return None

    return check_function(wrapped, reference, cases, name=kw.pop("name", "numerical gradient"),
                          diagnose=diagnose, **kw)


# --------------------------------------------------------------------------- derivatives (chapter 7)

def _cube(x):
    return x**3


def check_numerical_derivative(fn, **kw) -> bool:
    """``fn(f, x, h) -> f'(x)`` estimated by the central difference ``(f(x + h) - f(x - h)) / (2h)``.

    ``f`` is a function of one variable that works elementwise (``np.sin``); ``x`` is a number or an
    array, and the result has the shape of ``x``: one derivative per entry.
    """
    cases = [
        ("f = sin at x = 1, h = 1e-3", (np.sin, 1.0, 1e-3)),
        ("f(x) = x**3 at three points at once, h = 1e-2", (_cube, np.array([-1.0, 0.5, 2.0]), 1e-2)),
        ("f = exp at x = 0 with a large step, h = 0.5", (np.exp, 0.0, 0.5)),
    ]

    def reference(f, x, h):
        return (f(x + h) - f(x - h)) / (2 * h)

    def diagnose(args, expected, got):
        f, x, h = args
        if got.shape != np.shape(expected):
            return ("return one derivative per entry of x: compute with x + h and x - h directly, "
                    "no loop or sum.")
        if np.allclose(got, (f(x + h) - f(x)) / h, rtol=1e-9, atol=0):
            return ("that is the forward difference (f(x + h) - f(x)) / h, whose error shrinks only like h. "
                    "Look to both sides: (f(x + h) - f(x - h)) / (2 * h).")
        if np.allclose(got, (f(x) - f(x - h)) / h, rtol=1e-9, atol=0):
            return ("that is the backward difference (f(x) - f(x - h)) / h. "
                    "Use both sides: (f(x + h) - f(x - h)) / (2 * h).")
        if np.allclose(got, 2 * expected):
            return "x - h and x + h are 2h apart: divide by 2 * h, not by h."
        if np.allclose(got, expected * h * h, rtol=1e-6, atol=0):
            return "operator precedence: `/ 2 * h` divides by 2 and then multiplies by h. Write `/ (2 * h)`."
        if np.allclose(got, -expected):
            return "the sign is flipped: subtract the left value from the right one, f(x + h) - f(x - h)."
        return None

    return check_function(fn, reference, cases, name=kw.pop("name", "central difference"),
                          diagnose=diagnose, **kw)


# --------------------------------------------------------------------------- backprop by hand (chapter 8)

def _xor_gradients(X, y, W1, W2):
    A1 = _sigmoid(X @ W1)
    y_hat = _sigmoid(A1 @ W2)
    dZ2 = 2 * (y_hat - y) * y_hat * (1 - y_hat)
    dZ1 = (dZ2 @ W2.T) * A1 * (1 - A1)
    return X.T @ dZ1, A1.T @ dZ2


def check_xor_gradients(fn, **kw) -> bool:
    """``fn(X, y, W1, W2) -> (dW1, dW2)`` for seed 000's network without biases.

    ``y_hat = sigmoid(sigmoid(X W1) W2)`` and the **summed** loss ``L = sum (y_hat - y)**2``;
    ``X`` is ``(N, D)``, ``y`` is ``(N, 1)``, ``W1`` is ``(D, H)``, ``W2`` is ``(H, 1)``.
    The feedback names the gradient that is wrong and says whether its sign is flipped.
    """
    rng = np.random.default_rng(9)
    X_xor = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]], dtype=np.float64)
    y_xor = np.array([[0], [1], [1], [0]], dtype=np.float64)
    cases = [
        ("seed 000's XOR data with uniform [0, 1) weights, as the seed starts",
         (X_xor, y_xor, rng.random((3, 4)), rng.random((4, 1)))),
        ("five samples, three inputs, six hidden units (nothing square)",
         (rng.standard_normal((5, 3)), (rng.random((5, 1)) > 0.5).astype(np.float64),
          rng.standard_normal((3, 6)), rng.standard_normal((6, 1)))),
    ]

    def reference(X, y, W1, W2):
        dW1, dW2 = _xor_gradients(X, y, W1, W2)
        return np.concatenate([dW1.ravel(), dW2.ravel()])

    def wrapped(X, y, W1, W2):
        out = fn(X, y, W1, W2)
        if not (isinstance(out, (tuple, list)) and len(out) == 2):
            raise TypeError("return a tuple (dW1, dW2)")
        dW1, dW2 = (np.asarray(o, dtype=np.float64) for o in out)
        for got_s, want_s, nm in ((dW1.shape, W1.shape, "dW1"), (dW2.shape, W2.shape, "dW2")):
            if got_s != want_s:
                raise ValueError(f"{nm} has shape {got_s}, expected {want_s} (a gradient has the "
                                 "shape of the thing it is the gradient of)")
        return np.concatenate([dW1.ravel(), dW2.ravel()])

    def diagnose(args, expected, got):
        X, y, W1, W2 = args
        if got.shape != expected.shape:
            return None
        n1 = W1.size
        parts = {"dW1": slice(0, n1), "dW2": slice(n1, None)}
        wrong = [nm for nm, sl in parts.items() if not np.allclose(got[sl], expected[sl])]
        if np.allclose(got, -expected):
            return ("both gradients have the wrong sign: they are the NEGATIVE gradient, like seed 000's "
                    "d_weights, which uses (y - y_hat). The derivative of (y_hat - y)**2 is 2 (y_hat - y).")
        if np.allclose(got, expected / 2):
            return ("both are half the gradient: the derivative of (y_hat - y)**2 is 2 (y_hat - y); "
                    "keep the 2.")
        if np.allclose(got, expected / X.shape[0]):
            return "both are divided by N: this check uses the summed loss, so do not average over the batch."
        formula = {"dW1": "dZ1 = (dZ2 @ W2.T) * A1 * (1 - A1), then dW1 = X.T @ dZ1",
                   "dW2": "dZ2 = 2 (y_hat - y) * y_hat * (1 - y_hat), then dW2 = A1.T @ dZ2"}
        for nm in wrong:
            sl = parts[nm]
            if np.allclose(got[sl], -expected[sl]):
                return (f"{nm} has the wrong sign (it is the negative of the gradient) while the other is "
                        f"right; look for a flipped difference such as (y - y_hat) on the path to {nm}: "
                        f"{formula[nm]}.")
        if wrong:
            verb = "is" if len(wrong) == 1 else "are"
            return f"{' and '.join(wrong)} {verb} off: {'; '.join(formula[n] for n in wrong)}."
        return None

    return check_function(wrapped, reference, cases, name=kw.pop("name", "XOR gradients"),
                          diagnose=diagnose, **kw)


# --------------------------------------------------------------------------- optimizers (chapter 12)

def check_sgd_momentum_step(fn, **kw) -> bool:
    """``fn(param, grad, velocity, lr, mu) -> (new_param, new_velocity)``: one momentum step.

    The rule of ``nnlib.SGD(lr, momentum=mu)``: ``new_velocity = mu * velocity - lr * grad``,
    then ``new_param = param + new_velocity``. Both results have the shape of ``param``;
    the inputs must be left unchanged (return new arrays).
    """
    rng = np.random.default_rng(12)
    cases = [
        ("first step: the velocity starts at zero",
         (rng.standard_normal((2, 3)), rng.standard_normal((2, 3)), np.zeros((2, 3)), 0.1, 0.9)),
        ("a later step, with velocity already built up",
         (rng.standard_normal((3, 2)), rng.standard_normal((3, 2)), rng.standard_normal((3, 2)), 0.05, 0.9)),
        ("momentum 0 is plain SGD",
         (rng.standard_normal((1, 4)), rng.standard_normal((1, 4)), rng.standard_normal((1, 4)), 0.5, 0.0)),
    ]

    def reference(param, grad, velocity, lr, mu):
        v = mu * velocity - lr * grad
        return np.concatenate([(param + v).ravel(), v.ravel()])

    def wrapped(param, grad, velocity, lr, mu):
        out = fn(param, grad, velocity, lr, mu)
        if not (isinstance(out, tuple) and len(out) == 2):
            raise TypeError("return a tuple (new_param, new_velocity)")
        new_p, new_v = (np.asarray(o, dtype=float) for o in out)
        for got_s, nm in ((new_p.shape, "new_param"), (new_v.shape, "new_velocity")):
            if got_s != param.shape:
                raise ValueError(f"{nm} has shape {got_s}, expected {param.shape}, the shape of param")
        return np.concatenate([new_p.ravel(), new_v.ravel()])

    def diagnose(args, expected, got):
        param, grad, velocity, lr, mu = args
        if got.shape != expected.shape:
            return None
        n = param.size
        got_p, got_v = got[:n], got[n:]
        v_new = mu * velocity - lr * grad

        def same(a, b):
            return np.allclose(a, np.ravel(b))

        if same(got_v, v_new):
            if same(got_p, param + velocity):
                return "update the velocity first, then move the parameter by the NEW one: param + v_new."
            if same(got_p, param - v_new):
                return "the velocity already points downhill (it holds -lr * grad): add it, param + v_new."
            if same(got_p, param - lr * grad):
                return "the parameter moves by the whole new velocity, param + v_new, not by -lr * grad."
            return None
        if same(got_v, mu * velocity + lr * grad):
            return "the gradient term has the wrong sign: step against the gradient, v = mu * v - lr * grad."
        if same(got_v, mu * velocity + grad):
            return ("that is the other common convention (v = mu * v + grad, then param -= lr * v). This "
                    "course folds the learning rate into the velocity: v = mu * v - lr * grad, "
                    "then param += v.")
        if same(got_v, -lr * grad):
            return "the old velocity is missing: v = mu * v - lr * grad keeps mu times the old velocity."
        if same(got_v, velocity - lr * grad):
            return "the old velocity must be multiplied by mu: v = mu * v - lr * grad."
        return None

    return check_function(wrapped, reference, cases, name=kw.pop("name", "momentum step"),
                          diagnose=diagnose, **kw)


# --------------------------------------------------------------------------- decision boundaries (chapter 11)

def check_grid_bounds(fn, **kw) -> bool:
    """``fn(X, margin) -> (x0_min, x0_max, x1_min, x1_max)``: the box a decision-boundary grid covers.

    ``X`` is ``(N, 2)``. Each axis takes its bounds from **its own column** (``X[:, 0]`` for
    the horizontal axis ``x0``, ``X[:, 1]`` for the vertical axis ``x1``), widened by ``margin``:
    the minimum minus ``margin`` and the maximum plus ``margin``. Seed 001's grid mixes the
    columns; the cases use columns with very different ranges so that such a mix-up shows.
    """
    rng = np.random.default_rng(11)
    cases = [
        ("columns with very different ranges (x0 in about [-4, 6], x1 in about [0.5, 1.5])",
         (np.column_stack([rng.uniform(-4.0, 6.0, 8), rng.uniform(0.5, 1.5, 8)]), 0.1)),
        ("three points, margin 0.5", (np.array([[0.0, -2.0], [1.0, 3.0], [-1.0, 0.5]]), 0.5)),
        ("two points, margin 0", (np.array([[2.0, -1.0], [3.0, 1.0]]), 0.0)),
    ]

    def reference(X, margin):
        return np.array([X[:, 0].min() - margin, X[:, 0].max() + margin,
                         X[:, 1].min() - margin, X[:, 1].max() + margin])

    def wrapped(X, margin):
        out = fn(X, margin)
        if out is None:
            return None
        arr = np.asarray(out, dtype=np.float64).reshape(-1)
        if arr.size != 4:
            raise ValueError(f"got {arr.size} number(s); return four: (x0_min, x0_max, x1_min, x1_max)")
        return arr

    def diagnose(args, expected, got):
        X, m = args
        c0, c1 = X[:, 0], X[:, 1]
        if got.shape != expected.shape:
            return None
        mixed = [c0.min() - m, c1.max() + m]
        if np.allclose(got, mixed + mixed):
            return ("this is seed 001's slip: both axes use min(X[:, 0]) and max(X[:, 1]). Take each "
                    "axis's bounds from its own column: x0 from X[:, 0], x1 from X[:, 1].")
        if np.allclose(got, [c1.min() - m, c1.max() + m, c0.min() - m, c0.max() + m]):
            return "the axes are swapped: the first two numbers belong to column 0, the last two to column 1."
        if np.allclose(got, [c0.min() - m, c1.min() - m, c0.max() + m, c1.max() + m]):
            return "the order is mixed up: return (x0_min, x0_max, x1_min, x1_max)."
        if np.allclose(got, [c0.min(), c0.max(), c1.min(), c1.max()]):
            return "the margin is missing: subtract it from each minimum and add it to each maximum."
        if np.allclose(got, [c0.min() + m, c0.max() - m, c1.min() + m, c1.max() - m]):
            return ("the margin goes the wrong way, so the grid shrinks: subtract it from the minimum "
                    "and add it to the maximum.")
        hints = []
        if not np.allclose(got[:2], expected[:2]):
            hints.append("x0_min and x0_max must both come from X[:, 0]")
        if not np.allclose(got[2:], expected[2:]):
            hints.append("x1_min and x1_max must both come from X[:, 1]")
        return "; ".join(hints) + "." if hints else None

    return check_function(wrapped, reference, cases, name=kw.pop("name", "grid bounds"),
                          diagnose=diagnose, **kw)


# ----------------------------------------------------------------------- train/validation split (chapter 13)

def check_train_val_split(fn, **kw) -> bool:
    """``fn(X, y, val_fraction, rng) -> (X_train, y_train, X_val, y_val)``: a random split.

    ``X`` is ``(N, D)``, ``y`` is ``(N,)``. Shuffle the row indices once with the
    generator you are given (``rng.permutation(N)``), put ``round(val_fraction * N)``
    rows in the validation set and the rest in the training set, and index ``X`` and
    ``y`` with the **same** indices. Every row lands in exactly one set. The cases
    have ``y`` sorted by class, as ``nnlib.data.spiral`` returns it, and the first
    column of ``X`` numbers the rows, so that the check can tell which row went where.
    """
    import copy as _copy

    def make(n_per_class, classes, d, seed):
        gen = np.random.default_rng(seed)
        n = n_per_class * classes
        X = np.column_stack([np.arange(n, dtype=np.float64), gen.standard_normal((n, d - 1))])
        return X, np.repeat(np.arange(classes), n_per_class)

    X1, y1 = make(10, 3, 2, 1)
    X2, y2 = make(25, 4, 3, 2)
    X3, y3 = make(6, 2, 2, 3)
    cases = [
        ("30 rows sorted by class (3 classes), val_fraction 0.2", (X1, y1, 0.2, np.random.default_rng(0))),
        ("100 rows sorted by class (4 classes), 3 columns, val_fraction 0.25",
         (X2, y2, 0.25, np.random.default_rng(1))),
        ("12 rows, val_fraction 0.5", (X3, y3, 0.5, np.random.default_rng(2))),
    ]

    def summary(X, y, val_fraction, parts, parts_again):
        n = len(X)
        n_val = int(round(val_fraction * n))
        X_tr, y_tr, X_va, y_va = parts
        ids_tr = np.asarray(X_tr)[:, 0].astype(int)
        ids_va = np.asarray(X_va)[:, 0].astype(int)
        overlap = len(np.intersect1d(ids_tr, ids_va))
        # rows in neither set, plus rows that appear more than once
        missing = (n - len(np.union1d(ids_tr, ids_va))
                   + len(ids_tr) - len(np.unique(ids_tr)) + len(ids_va) - len(np.unique(ids_va)))
        pairs = bool(np.array_equal(np.asarray(y_tr).reshape(-1), y[ids_tr])
                     and np.array_equal(np.asarray(y_va).reshape(-1), y[ids_va]))
        unshuffled = {frozenset(range(n - n_val, n)), frozenset(range(n_val))}
        shuffled = frozenset(ids_va.tolist()) not in unshuffled
        same = len(parts_again) == 4 and all(
            np.array_equal(np.asarray(a), np.asarray(b)) for a, b in zip(parts, parts_again, strict=True))
        return np.array([len(ids_tr), len(ids_va), overlap, missing, pairs, shuffled, same], dtype=float)

    def reference(X, y, val_fraction, rng):
        order = rng.permutation(len(X))
        n_val = int(round(val_fraction * len(X)))
        val, train = order[:n_val], order[n_val:]
        parts = (X[train], y[train], X[val], y[val])
        return summary(X, y, val_fraction, parts, parts)

    def wrapped(X, y, val_fraction, rng):
        rng_again = _copy.deepcopy(rng)
        X_again, y_again = X.copy(), y.copy()
        parts = fn(X, y, val_fraction, rng)
        if parts is None:
            return None
        if not (isinstance(parts, (tuple, list)) and len(parts) == 4):
            raise TypeError("return a tuple of four arrays: (X_train, y_train, X_val, y_val)")
        parts = tuple(np.asarray(p) for p in parts)
        for p, nm in ((parts[0], "X_train"), (parts[2], "X_val")):
            if p.ndim != 2 or p.shape[1] != X.shape[1]:
                raise ValueError(f"{nm} has shape {p.shape}; it should keep X's {X.shape[1]} columns")
        for p, q, nm in ((parts[1], parts[0], "y_train"), (parts[3], parts[2], "y_val")):
            if p.reshape(-1).shape[0] != q.shape[0]:
                raise ValueError(f"{nm} has {p.reshape(-1).shape[0]} labels for {q.shape[0]} rows")
        parts_again = tuple(np.asarray(p) for p in fn(X_again, y_again, val_fraction, rng_again))
        return summary(X, y, val_fraction, parts, parts_again)

    def diagnose(args, expected, got):
        if got.shape != expected.shape:
            return None
        n_tr, n_va, overlap, missing, pairs, shuffled, same = got
        if overlap > 0:
            return (f"{int(overlap)} row(s) are in both sets: the validation rows must be left out of the "
                    "training set (take order[:n_val] for validation and order[n_val:] for training).")
        if missing > 0:
            return (f"{int(missing)} row(s) are in neither set or appear twice: shuffle with one "
                    "permutation, rng.permutation(N), and split it, rather than drawing indices at random.")
        if n_tr == expected[1] and n_va == expected[0] and n_tr != n_va:
            return "the sizes are swapped: val_fraction is the fraction that goes to VALIDATION."
        if n_va != expected[1]:
            return f"the validation set should have round(val_fraction * N) = {int(expected[1])} rows."
        if not pairs:
            return ("the labels no longer belong to their rows: X and y were shuffled separately. Draw one "
                    "permutation and index both X and y with it.")
        if not shuffled:
            return ("the split takes the first or last rows without shuffling. The data are sorted by class, "
                    "so the validation set then holds only the last class(es): shuffle first.")
        if not same:
            return ("two calls with identical generators gave different splits: draw the permutation from "
                    "the rng argument (rng.permutation), not from np.random, so the split is reproducible.")
        return None

    return check_function(wrapped, reference, cases, name=kw.pop("name", "train/validation split"),
                          diagnose=diagnose, **kw)
