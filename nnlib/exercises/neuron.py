"""Chapter 1, a single neuron: ``check_neuron``."""

from __future__ import annotations

import numpy as np

from ._engine import Check, Mistake


def _neuron(x, w, b):
    return float(np.dot(x, w) + b)


def _bias_in_loop(x, w, b):
    total = 0.0
    for xi, wi in zip(x, w, strict=True):
        total += xi * wi + b
    return total


check_neuron = Check(
    name="neuron",
    chapter="neuron",
    signature="fn(inputs, weights, bias) -> z, a single number: sum_k x_k w_k + b",
    reference=_neuron,
    cases=[
        ("the spiral tutorial's neuron", ([7.0, 3.0, 2.0], [0.1, -0.6, 0.5], 1.0)),
        ("four inputs, an answer with many decimals",
         ([1.37, 2.11, 3.0, 2.5], [0.213, 0.8, -0.517, 1.04], 2.3)),
        ("zero bias, negative inputs", ([-1.0, -2.0], [3.0, 0.5], 0.0)),
        ("one input", ([2.5], [-1.5], 0.75)),
    ],
    mistakes=[
        Mistake("no-bias", "you left out the bias: add b once, after the weighted sum.",
                lambda x, w, b: float(np.dot(x, w))),
        Mistake("bias-in-loop",
                "the bias is added once per input: inside the loop it counts len(inputs) times. "
                "Add b once, after the loop.", _bias_in_loop),
        Mistake("sum-times-sum",
                "multiply each input by *its own* weight, then add the products (a dot product); "
                "sum(inputs) * sum(weights) mixes every input with every weight.",
                lambda x, w, b: float(np.sum(x) * np.sum(w) + b)),
        Mistake("rounded",
                "do not round: round(z, 1) only tidies the tutorial's printout, and the neuron's real "
                "output has more decimals. Return the sum itself.",
                lambda x, w, b: round(float(np.dot(x, w) + b), 1)),
        Mistake("elementwise",
                "np.multiply(x, w) + b is one number per input; a neuron adds them up into one number: "
                "np.dot(x, w) + b.",
                lambda x, w, b: np.multiply(x, w) + b),
        Mistake("bias-times",
                "the bias is added, not multiplied: z = x . w + b.",
                lambda x, w, b: float(np.dot(x, w) * b)),
        Mistake("first-weight-skipped",
                "the first input is missing from the sum: a loop such as range(1, len(x)) starts "
                "counting at 1, but Python lists start at index 0.",
                lambda x, w, b: float(sum(x[k] * w[k] for k in range(1, len(x))) + b)),
    ],
    alternatives=[
        ("a loop", lambda x, w, b: sum(xi * wi for xi, wi in zip(x, w, strict=True)) + b),
        ("an array product and sum", lambda x, w, b: float((np.asarray(x) * np.asarray(w)).sum() + b)),
        ("@ on arrays", lambda x, w, b: np.asarray(x) @ np.asarray(w) + b),
    ],
)
