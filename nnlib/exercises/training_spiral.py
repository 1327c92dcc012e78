"""Chapter 11, training on the spiral: ``check_grid_bounds``."""

from __future__ import annotations

import numpy as np

from ._engine import BadAnswer, Check, Mistake


def _reference(X, margin):
    return (X[:, 0].min() - margin, X[:, 0].max() + margin, X[:, 1].min() - margin, X[:, 1].max() + margin)


def _call(fn, args):
    out = fn(*args)
    if out is None:
        return None
    try:
        arr = np.asarray(out, dtype=np.float64).reshape(-1)
    except (TypeError, ValueError):
        raise BadAnswer(f"returned {out!r}; return four numbers: (x0_min, x0_max, x1_min, x1_max).") from None
    if arr.size != 4:
        raise BadAnswer(f"returned {arr.size} number(s); return four: (x0_min, x0_max, x1_min, x1_max).")
    return arr


def _centres_in_place(X, margin):
    X -= X.mean(axis=0)
    return _reference(X, margin)


_rng = np.random.default_rng(11)

check_grid_bounds = Check(
    name="grid bounds",
    chapter="training_spiral",
    signature="fn(X, margin) -> (x0_min, x0_max, x1_min, x1_max): each axis's own column of X (N, 2), "
              "widened by margin on both sides",
    reference=_reference,
    call=_call,
    cases=[
        ("columns with very different ranges (x0 in about [-4, 6], x1 in about [0.5, 1.5])",
         (np.column_stack([_rng.uniform(-4.0, 6.0, 8), _rng.uniform(0.5, 1.5, 8)]), 0.1)),
        ("three points, margin 0.5", (np.array([[0.0, -2.0], [1.0, 3.0], [-1.0, 0.5]]), 0.5)),
        ("two points, margin 0", (np.array([[2.0, -1.0], [3.0, 1.0]]), 0.0)),
    ],
    mistakes=[
        Mistake("tutorial-slip",
                "this is the spiral tutorial's slip: both axes use min(X[:, 0]) and max(X[:, 1]). Take each "
                "axis's bounds from its own column: x0 from X[:, 0], x1 from X[:, 1].",
                lambda X, m: (X[:, 0].min() - m, X[:, 1].max() + m) * 2),
        Mistake("swapped-axes",
                "the axes are swapped: the first two numbers belong to column 0, the last two to column 1.",
                lambda X, m: (X[:, 1].min() - m, X[:, 1].max() + m, X[:, 0].min() - m, X[:, 0].max() + m)),
        Mistake("order",
                "the order is mixed up: return (x0_min, x0_max, x1_min, x1_max).",
                lambda X, m: (X[:, 0].min() - m, X[:, 1].min() - m, X[:, 0].max() + m, X[:, 1].max() + m)),
        Mistake("no-margin",
                "the margin is missing: subtract it from each minimum and add it to each maximum.",
                lambda X, m: (X[:, 0].min(), X[:, 0].max(), X[:, 1].min(), X[:, 1].max())),
        Mistake("margin-inwards",
                "the margin goes the wrong way, so the grid shrinks: subtract it from the minimum and add "
                "it to the maximum.",
                lambda X, m: (X[:, 0].min() + m, X[:, 0].max() - m, X[:, 1].min() + m, X[:, 1].max() - m)),
        Mistake("shifted-box",
                "the margin is subtracted from both ends, which shifts the box instead of widening it: "
                "the maximum gets + margin.",
                lambda X, m: (X[:, 0].min() - m, X[:, 0].max() - m, X[:, 1].min() - m, X[:, 1].max() - m)),
        Mistake("one-axis-fixed",
                "x0 is right now, but x1_min still comes from X[:, 0]: the vertical axis takes both bounds "
                "from X[:, 1].",
                lambda X, m: (X[:, 0].min() - m, X[:, 0].max() + m, X[:, 0].min() - m, X[:, 1].max() + m)),
        Mistake("centres-X",
                "X -= ... changes the caller's data (and the bounds must come from the data as it is): "
                "compute the bounds without modifying X.", _centres_in_place),
        Mistake("whole-array",
                "X.min() and X.max() look at both columns at once; each axis needs its own column's range.",
                lambda X, m: (X.min() - m, X.max() + m) * 2),
    ],
    alternatives=[
        ("a list", lambda X, m: [X[:, 0].min() - m, X[:, 0].max() + m, X[:, 1].min() - m, X[:, 1].max() + m]),
        ("np.min with axis", lambda X, m: (lambda lo, hi: (lo[0], hi[0], lo[1], hi[1]))(
            X.min(axis=0) - m, X.max(axis=0) + m)),
    ],
)
