"""Chapter 10, gradient checking: ``check_numerical_gradient``."""

from __future__ import annotations

import numpy as np

from ._engine import BadAnswer, Check, Mistake


def _cubes(x):
    return float(np.sum(x**3))


def _cross_entropy(z):
    labels = np.arange(z.shape[0]) % z.shape[1]
    shifted = z - z.max(axis=1, keepdims=True)
    log_sum = np.log(np.exp(shifted).sum(axis=1))
    return float(np.mean(log_sum - shifted[np.arange(z.shape[0]), labels]))


def _differences(f, x, h, *, kind="central", divide=None, dtype=None):
    """Central, forward or backward differences, one entry at a time, x restored exactly."""
    grad = np.zeros(x.shape, dtype=dtype or np.float64)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h if kind != "backward" else old
        upper = f(x)
        x[i] = old - h if kind != "forward" else old
        lower = f(x)
        x[i] = old
        width = (2 * h if kind == "central" else h) if divide is None else divide(h)
        grad[i] = (upper - lower) / width
    return grad


def _call(fn, args):
    """Run the learner's function on a private x, then insist that x was restored exactly."""
    f, x, h = args
    before = np.array(x, dtype=np.float64)
    work = before.copy()
    grad = fn(f, work, h)
    if not np.array_equal(work, before):
        first = tuple(int(i) for i in np.argwhere(work != before)[0])
        if abs(work[first] - before[first]) < 1e-3 * h:
            how = ("It is off by rounding only: adding h back after subtracting it does not give the old "
                   "number exactly. Save old = x[i] first and restore with x[i] = old.")
        else:
            how = "After perturbing an entry, put it back (x[i] = old) before the next one."
        raise BadAnswer(f"left x changed: afterwards x{list(first)} is {float(work[first])!r} instead of "
                        f"{float(before[first])!r}. {how}")
    return grad


def _restore_by_adding(f, x, h):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        x[i] += h
        upper = f(x)
        x[i] -= 2 * h
        lower = f(x)
        x[i] += h
        grad[i] = (upper - lower) / (2 * h)
    return grad


def _no_restore(f, x, h):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        upper = f(x)
        x[i] = old - h
        lower = f(x)
        grad[i] = (upper - lower) / (2 * h)
    return grad


def _whole_array(f, x, h):
    g = (f(x + h) - f(x - h)) / (2 * h)
    return np.full(x.shape, g)


def _flat_zeros(f, x, h):
    grad = np.zeros(x.size)
    for n, i in enumerate(np.ndindex(x.shape)):
        old = x[i]
        x[i] = old + h
        upper = f(x)
        x[i] = old - h
        lower = f(x)
        x[i] = old
        grad[n] = (upper - lower) / (2 * h)
    return grad


_rng = np.random.default_rng(8)

check_numerical_gradient = Check(
    name="numerical gradient",
    chapter="gradient_checking",
    signature="fn(f, x, h) -> grad shaped like x, grad[i] = (f(x + h e_i) - f(x - h e_i)) / (2h); "
              "f(x) returns a float; x may be perturbed in place but must be restored exactly",
    reference=lambda f, x, h: _differences(f, x, h),
    call=_call,
    cases=[
        ("f(x) = sum(x**3) on a vector, h = 1e-4", (_cubes, np.array([0.5, -1.0, 2.0]), 1e-4)),
        ("mean cross-entropy of a (2, 3) array of logits, h = 1e-5",
         (_cross_entropy, _rng.standard_normal((2, 3)), 1e-5)),
        ("f(x) = sum(x**3) on one entry with a large step, h = 0.1", (_cubes, np.array([[1.5]]), 0.1)),
    ],
    mistakes=[
        Mistake("forward",
                "that is a one-sided difference (f(x + h) - f(x)) / h; its error shrinks only like h. Use "
                "both sides, (f(x + h) - f(x - h)) / (2 h): the error then shrinks like h**2.",
                lambda f, x, h: _differences(f, x, h, kind="forward")),
        Mistake("backward",
                "that is a one-sided difference (f(x) - f(x - h)) / h; use both sides, "
                "(f(x + h) - f(x - h)) / (2 h).",
                lambda f, x, h: _differences(f, x, h, kind="backward")),
        Mistake("divide-by-h", "x - h and x + h are 2h apart: divide by 2 * h, not by h.",
                lambda f, x, h: _differences(f, x, h, divide=lambda h: h)),
        Mistake("precedence",
                "operator precedence: `/ 2 * h` divides by 2 and then multiplies by h. Write `/ (2 * h)`.",
                lambda f, x, h: _differences(f, x, h, divide=lambda h: 2 / h)),
        Mistake("whole-array",
                "every entry is the same: perturb one entry at a time (x[i] for a single index i), not "
                "the whole array.", _whole_array),
        Mistake("restore-by-adding",
                "restore the saved value (x[i] = old) instead of adding h back: x + h - 2h + h is not "
                "always exactly x in floating point.", _restore_by_adding),
        Mistake("no-restore",
                "after perturbing an entry, put it back (x[i] = old) before moving on; otherwise every "
                "later entry is measured at a shifted point.", _no_restore),
        Mistake("int-gradient",
                "the gradient array holds integers, so every entry is truncated: "
                "np.zeros(x.shape, dtype=int) cannot store 0.75. Use np.zeros_like(x) for a float x.",
                lambda f, x, h: _differences(f, x, h, dtype=np.int64)),
        Mistake("flat-gradient",
                "return one partial derivative per entry of x, in x's shape: np.zeros_like(x), not "
                "np.zeros(x.size).", _flat_zeros),
    ],
    alternatives=[
        ("np.nditer with multi_index", lambda f, x, h: __import__("nnlib").gradcheck.numerical_gradient(
            lambda: f(x), x, h)),
        ("a flat view", lambda f, x, h: _flat_view(f, x, h)),
    ],
)


def _flat_view(f, x, h):
    flat = x.reshape(-1)
    grad = np.zeros(flat.size)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + h
        upper = f(x)
        flat[i] = old - h
        lower = f(x)
        flat[i] = old
        grad[i] = (upper - lower) / (2 * h)
    return grad.reshape(x.shape)
