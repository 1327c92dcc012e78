"""Chapter 7, derivatives and the chain rule: ``check_numerical_derivative``, ``check_sigmoid_backward``."""

from __future__ import annotations

import numpy as np

from ..activations import sigmoid as _sigmoid
from ._engine import Check, Mistake


def _cube(x):
    return x**3


def _central(f, x, h):
    return (f(x + h) - f(x - h)) / (2 * h)


check_numerical_derivative = Check(
    name="central difference",
    chapter="derivatives",
    signature="fn(f, x, h) -> (f(x + h) - f(x - h)) / (2 h); x a number or an array, "
              "the result shaped like x",
    reference=_central,
    cases=[
        ("f = sin at x = 1, h = 1e-3", (np.sin, 1.0, 1e-3)),
        ("f(x) = x**3 at three points at once, h = 1e-2", (_cube, np.array([-1.0, 0.5, 2.0]), 1e-2)),
        ("f = exp at x = 0 with a large step, h = 0.5", (np.exp, 0.0, 0.5)),
    ],
    mistakes=[
        Mistake("forward",
                "that is the forward difference (f(x + h) - f(x)) / h, whose error shrinks only like h. "
                "Look to both sides: (f(x + h) - f(x - h)) / (2 * h).",
                lambda f, x, h: (f(x + h) - f(x)) / h),
        Mistake("backward",
                "that is the backward difference (f(x) - f(x - h)) / h. Use both sides: "
                "(f(x + h) - f(x - h)) / (2 * h).",
                lambda f, x, h: (f(x) - f(x - h)) / h),
        Mistake("divide-by-h", "x - h and x + h are 2h apart: divide by 2 * h, not by h.",
                lambda f, x, h: (f(x + h) - f(x - h)) / h),
        Mistake("precedence",
                "operator precedence: `/ 2 * h` divides by 2 and then multiplies by h. Write `/ (2 * h)`.",
                lambda f, x, h: (f(x + h) - f(x - h)) / 2 * h),
        Mistake("flipped", "the sign is flipped: subtract the left value from the right one, "
                "f(x + h) - f(x - h).", lambda f, x, h: (f(x - h) - f(x + h)) / (2 * h)),
        Mistake("numerator-precedence",
                "operator precedence: f(x + h) - f(x - h) / (2 * h) divides only f(x - h). Put the "
                "difference in brackets: (f(x + h) - f(x - h)) / (2 * h).",
                lambda f, x, h: f(x + h) - f(x - h) / (2 * h)),
        Mistake("ignores-h",
                "use the step h you are given: the case with h = 0.5 shows the result depends on it.",
                lambda f, x, h: (f(x + 1e-5) - f(x - 1e-5)) / 2e-5),
        Mistake("summed",
                "return one derivative per entry of x (compute with x + h and x - h directly); a sum "
                "collapses them into one number.",
                lambda f, x, h: float(np.sum((f(x + h) - f(x - h)) / (2 * h)))),
    ],
    alternatives=[
        ("np.asarray first", lambda f, x, h: (f(np.asarray(x) + h) - f(np.asarray(x) - h)) / (2 * h)),
        ("half-steps on each side, spelled out", lambda f, x, h: (f(x + h) - f(x - h)) * (0.5 / h)),
    ],
)


def _sigmoid_backward(a, d):
    return d * a * (1 - a)


def _in_place(a, d):
    a *= 1 - a
    return d * a


_rng = np.random.default_rng(4)
_A = _sigmoid(np.array([[-2.0, -0.5, 0.0, 0.5, 2.0], [3.0, -3.0, 1.0, -1.0, 0.25]]))

check_sigmoid_backward = Check(
    name="sigmoid backward",
    chapter="derivatives",
    signature="fn(a, dvalues) -> dinputs = dvalues * a * (1 - a), where a = sigmoid(z) is the stored output",
    reference=_sigmoid_backward,
    cases=[
        ("outputs of the sigmoid, random upstream gradients", (_A, _rng.standard_normal(_A.shape))),
        ("saturated outputs, upstream gradient 1", (np.array([[1e-6, 0.5, 1 - 1e-6]]), np.ones((1, 3)))),
        ("one output, upstream gradient 3", (np.array([[0.25]]), np.array([[3.0]]))),
    ],
    mistakes=[
        Mistake("no-dvalues",
                "multiply by dvalues: the chain rule passes the incoming gradient on, "
                "dinputs = dvalues * a * (1 - a).", lambda a, d: a * (1 - a)),
        Mistake("flipped", "the sign is flipped: sigma'(z) = a (1 - a), not a (a - 1).",
                lambda a, d: d * a * (a - 1)),
        Mistake("sigmoid-again",
                "the input here is already sigma(z): use a * (1 - a), do not apply the sigmoid again.",
                lambda a, d: d * _sigmoid(a) * (1 - _sigmoid(a))),
        Mistake("precedence",
                "operator precedence: d * a * 1 - a is (d * a) - a. Write d * a * (1 - a).",
                lambda a, d: d * a * 1 - a),
        Mistake("missing-factor", "a factor is missing: sigma'(z) = a (1 - a), so dinputs = d * a * (1 - a).",
                lambda a, d: d * (1 - a)),
        Mistake("in-place",
                "a *= ... overwrites the stored output: compute d * a * (1 - a) into a new array.",
                _in_place),
        Mistake("matmul",
                "the sigmoid acts entry by entry, so its backward pass multiplies entry by entry: use *, "
                "not @ or np.dot (a matrix product only fits when the shapes happen to allow it).",
                lambda a, d: np.dot(d, a * (1 - a))),
        Mistake("tanh-derivative",
                "1 - a**2 is the derivative of tanh; the sigmoid's is a * (1 - a), so dinputs = "
                "dvalues * a * (1 - a).", lambda a, d: d * (1 - a**2)),
        Mistake("added", "the chain rule MULTIPLIES the local derivative by the upstream gradient: "
                "d * (a * (1 - a)), not d + a * (1 - a).", lambda a, d: d + a * (1 - a)),
    ],
    alternatives=[
        ("a - a**2", lambda a, d: d * (a - a**2)),
        ("np.multiply", lambda a, d: np.multiply(d, np.multiply(a, 1 - a))),
    ],
)
