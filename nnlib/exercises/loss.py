"""Chapter 6, loss functions: ``check_cross_entropy``."""

from __future__ import annotations

import numpy as np

from ._engine import Check, Mistake

EPS = 1e-7


def _picked(p, y, eps=EPS):
    pc = np.clip(p, eps, 1 - eps)
    return pc[np.arange(len(p)), y]


def _reference(p, y):
    return float(np.mean(-np.log(_picked(p, y))))


_rng = np.random.default_rng(6)
_P_RANDOM = _rng.dirichlet(np.ones(4), size=5)

check_cross_entropy = Check(
    name="cross-entropy",
    chapter="loss",
    signature="fn(probs, labels) -> L, the batch mean of -log p[i, y_i] with p clipped to [1e-7, 1 - 1e-7]; "
              "probs (N, C), labels (N,) integers",
    reference=_reference,
    cases=[
        ("the spiral tutorial's example",
         (np.array([[0.7, 0.1, 0.2], [0.1, 0.5, 0.4], [0.02, 0.9, 0.08]]), np.array([0, 1, 1]))),
        ("a confident mistake (p = 0 for the true class)",
         (np.array([[1.0, 0.0], [0.3, 0.7]]), np.array([1, 1]))),
        ("uniform predictions over 3 classes", (np.full((4, 3), 1 / 3), np.array([0, 1, 2, 0]))),
        ("five samples, four classes, the true class not always the most likely",
         (_P_RANDOM, np.array([3, 0, 1, 1, 2]))),
    ],
    mistakes=[
        Mistake("no-minus",
                "the minus sign is missing: log p is negative for p < 1, and the loss is -log p, which is "
                "positive and 0 only for a perfect prediction.",
                lambda p, y: float(np.mean(np.log(_picked(p, y))))),
        Mistake("log10",
                "np.log10 is the base-10 logarithm; cross-entropy uses the natural log, np.log.",
                lambda p, y: float(np.mean(-np.log10(_picked(p, y))))),
        Mistake("sum", "that is the sum over the batch; this course's cross-entropy is the mean (np.mean).",
                lambda p, y: float(np.sum(-np.log(_picked(p, y))))),
        Mistake("no-clip",
                "log(0) is -inf: clip the probabilities to [1e-7, 1 - 1e-7] first (np.clip).",
                lambda p, y: float(np.mean(-np.log(p[np.arange(len(p)), y])))),
        Mistake("per-sample",
                "return the mean over the batch, a single number, not one loss per sample.",
                lambda p, y: -np.log(_picked(p, y))),
        Mistake("highest-probability",
                "use the probability of the TRUE class, p[range(N), y], not the largest one in the row.",
                lambda p, y: float(np.mean(-np.log(np.clip(p, EPS, 1 - EPS).max(axis=1))))),
        Mistake("column-indexing",
                "p[:, y] picks whole columns, an (N, N) array; p[range(N), y] picks one entry per row: "
                "row i, column y_i.",
                lambda p, y: float(np.mean(-np.log(np.clip(p, EPS, 1 - EPS)[:, y])))),
        Mistake("mean-over-classes",
                "np.mean over the whole (N, C) array of Y * log p divides by N * C, not N: sum each row "
                "first (axis=1), so only the true class's term is left, then take the mean over the N "
                "samples.",
                lambda p, y: float(np.mean(-np.eye(p.shape[1])[y] * np.log(np.clip(p, EPS, 1 - EPS))))),
        Mistake("other-epsilon",
                "this exercise clips at eps = 1e-7 (as the tutorial and nnlib do); a different eps changes "
                "the loss of a confident mistake: -log(1e-7) = 16.1.",
                lambda p, y: float(np.mean(-np.log(_picked(p, y, eps=1e-12))))),
    ],
    alternatives=[
        ("a one-hot mask", lambda p, y: float(np.mean(-np.log(np.sum(
            np.clip(p, EPS, 1 - EPS) * np.eye(p.shape[1])[y], axis=1))))),
        ("clip only the low end",
         lambda p, y: float(np.mean(-np.log(np.maximum(p[np.arange(len(p)), y], EPS))))),
        ("np.take_along_axis", lambda p, y: float(-np.log(np.take_along_axis(
            np.clip(p, EPS, 1 - EPS), y[:, None], axis=1)).mean())),
    ],
)
