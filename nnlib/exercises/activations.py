"""Chapter 4, activation functions: ``check_step``, ``check_relu`` and ``check_sigmoid``."""

from __future__ import annotations

import math

import numpy as np

from ..activations import sigmoid as _sigmoid
from ._engine import Check, Mistake

Z = np.array([[-2.0, -0.5, 0.0, 0.5, 2.0], [3.0, -3.0, 1.0, -1.0, 0.25]])


def _step_in_place(z):
    z[z > 0] = 1.0
    z[z <= 0] = 0.0
    return z


check_step = Check(
    name="step",
    chapter="activations",
    signature="fn(z) -> array of z's shape: 1.0 where z > 0, 0.0 elsewhere (also at z = 0)",
    reference=lambda z: (z > 0).astype(float),
    cases=[
        ("mixed signs, including 0", (Z.copy(),)),
        ("a 1-D vector with a tiny positive value", (np.array([-1.0, 0.0, 1e-9]),)),
        ("all negative", (-np.abs(Z) - 1,)),
    ],
    mistakes=[
        Mistake("at-zero",
                "at exactly z = 0 the step outputs 0 in this course: use z > 0, not z >= 0 "
                "(np.heaviside(z, 1) also gives 1 at 0; np.heaviside(z, 0) is right).",
                lambda z: (z >= 0).astype(float)),
        Mistake("booleans",
                "z > 0 gives booleans (True/False); the step returns numbers: (z > 0).astype(float).",
                lambda z: z > 0),
        Mistake("relu", "that is ReLU (it keeps positive values); the step outputs 1 for every positive z.",
                lambda z: np.maximum(0.0, z)),
        Mistake("sign", "np.sign gives -1 for negative z; the step gives 0 there.", lambda z: np.sign(z)),
        Mistake("inverted", "0 and 1 are swapped: the step is 1 where z > 0.",
                lambda z: (z <= 0).astype(float)),
        Mistake("in-place",
                "it overwrote z: the caller's array is changed. Build a new array, e.g. "
                "np.where(z > 0, 1.0, 0.0).", _step_in_place),
    ],
    alternatives=[
        ("np.where", lambda z: np.where(z > 0, 1.0, 0.0)),
        ("np.heaviside(z, 0)", lambda z: np.heaviside(z, 0.0)),
        ("an integer array", lambda z: (z > 0) * 1),
    ],
)


def _relu_in_place(z):
    z[z < 0] = 0
    return z


check_relu = Check(
    name="ReLU",
    chapter="activations",
    signature="fn(z) -> max(0, z) elementwise, any shape, without changing z",
    reference=lambda z: np.maximum(0.0, z),
    cases=[
        ("mixed signs", (Z.copy(),)),
        ("all negative", (-np.abs(Z) - 1,)),
        ("a 1-D vector", (np.array([-3.0, 0.0, 4.5]),)),
    ],
    mistakes=[
        Mistake("np-max",
                "np.max(0, z) is not elementwise: np.max reduces an array to its largest value (its "
                "second argument is an axis). The elementwise maximum is np.maximum(0, z).",
                lambda z: np.max(0, z)),
        Mistake("python-max",
                "Python's built-in max compares whole objects and cannot decide 'is this array "
                "bigger than 0'; use np.maximum(0, z), which compares entry by entry.",
                lambda z: max(0, z)),
        Mistake("abs", "negative inputs must become 0, not positive: that was abs(z).", lambda z: np.abs(z)),
        Mistake("minimum", "that keeps the negative part: use np.maximum(0, z), not np.minimum.",
                lambda z: np.minimum(0.0, z)),
        Mistake("booleans", "z > 0 gives booleans; ReLU returns the value itself where z > 0, and 0 "
                "elsewhere: np.maximum(0, z).", lambda z: z > 0),
        Mistake("step", "that is the step function (1 for positive z); ReLU keeps the value itself: "
                "np.maximum(0, z).", lambda z: np.where(z > 0, 1.0, 0.0)),
        Mistake("in-place",
                "z[z < 0] = 0 changes the caller's array (the chapter's Pitfall): build a new one with "
                "np.maximum(0, z), or copy first.", _relu_in_place),
    ],
    alternatives=[
        ("np.where", lambda z: np.where(z > 0, z, 0.0)),
        ("a mask", lambda z: z * (z > 0)),
        ("np.clip", lambda z: np.clip(z, 0, None)),
        ("copy, then set", lambda z: _relu_in_place(z.copy())),
    ],
)


def _sigmoid_where_naive(z):
    return np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z)))


def _sigmoid_math_exp(z):
    return 1 / (1 + math.exp(-z))


def _sigmoid_masks(z):
    z = np.asarray(z, dtype=float)
    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1 / (1 + np.exp(-z[pos]))
    ez = np.exp(z[~pos])
    out[~pos] = ez / (1 + ez)
    return out


check_sigmoid = Check(
    name="sigmoid",
    chapter="activations",
    signature="fn(z) -> 1 / (1 + exp(-z)) elementwise, any shape, without overflow for large |z|",
    reference=_sigmoid,
    cases=[
        ("moderate values", (Z.copy(),)),
        ("zero gives one half", (np.array([0.0]),)),
        ("very negative and very positive z", (np.array([-1000.0, -750.0, 750.0, 1000.0]),)),
    ],
    mistakes=[
        Mistake("flipped-sign",
                "the sign in the exponent is flipped: 1 / (1 + exp(z)) is sigma(-z) = 1 - sigma(z). "
                "It is exp(-z).", lambda z: 1 / (1 + np.exp(z))),
        Mistake("naive-overflow",
                "exp(-z) overflows for z below about -709 (NumPy warns, even where the answer comes out "
                "right). Compute with e = exp(-|z|), which is never above 1: 1/(1+e) where z >= 0 and "
                "e/(1+e) where z < 0.", lambda z: 1 / (1 + np.exp(-z))),
        Mistake("where-both-branches",
                "np.where evaluates BOTH branches on every entry before choosing, so exp(z) still "
                "overflows for large positive z. Compute e = np.exp(-np.abs(z)) once, then choose "
                "between 1/(1+e) and e/(1+e).", _sigmoid_where_naive),
        Mistake("math-exp",
                "math.exp works on one number only; on an array use np.exp.", _sigmoid_math_exp),
        Mistake("precedence",
                "operator precedence: 1 / 1 + np.exp(-z) divides 1 by 1 first. Write 1 / (1 + np.exp(-z)) "
                "(and then make it stable).", lambda z: 1 / 1 + np.exp(-z)),
        Mistake("tanh", "that is tanh, which lies in (-1, 1); the sigmoid lies in (0, 1): "
                "sigma(z) = (tanh(z / 2) + 1) / 2.", lambda z: np.tanh(z)),
    ],
    alternatives=[
        ("masks on positive and negative entries", _sigmoid_masks),
        ("clip, then the naive formula", lambda z: 1 / (1 + np.exp(-np.clip(z, -500, 500)))),
        ("via tanh", lambda z: 0.5 * (np.tanh(z / 2) + 1)),
    ],
)
