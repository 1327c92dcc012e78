"""Chapter 2, a layer of neurons and batches: ``check_layer_forward`` (also used in chapter 3)."""

from __future__ import annotations

import numpy as np

from ._engine import Check, Mistake

_rng = np.random.default_rng(7)

# The spiral tutorial's batch: three samples, four inputs, three neurons. With N = n_out = 3 and
# W square-ish, some wrong answers have the right shape, so the non-square cases matter too.
_X_SEED = np.array([[7.0, 3, 2, 3], [3, 6, 9, 1], [3, 7, 1, 9]])
_W_SEED = np.array([[0.1, -0.6, 0.5, 0.8], [0.7, 0.4, 0.1, -0.6], [0.5, -0.6, -0.8, 0.13]]).T
_B_SEED = np.array([[5.0, 7, 5]])


def _layer(X, W, b):
    return X @ W + b


def _square_case():
    X = _rng.standard_normal((3, 3))
    return X, _rng.standard_normal((3, 3)), _rng.standard_normal((1, 3))


check_layer_forward = Check(
    name="layer forward",
    chapter="layers_and_batches",
    signature="fn(X, W, b) -> Z = X W + b, X (N, n_in), W (n_in, n_out), b (1, n_out), Z (N, n_out)",
    reference=_layer,
    cases=[
        ("the spiral tutorial's three samples, four inputs, three neurons (W as (n_in, n_out))",
         (_X_SEED, _W_SEED, _B_SEED)),
        ("five samples, four inputs, two neurons (nothing square)",
         (_rng.standard_normal((5, 4)), _rng.standard_normal((4, 2)), _rng.standard_normal((1, 2)))),
        ("three samples, three inputs, three neurons (everything square)", _square_case()),
        ("a batch of one", (_rng.standard_normal((1, 3)), _rng.standard_normal((3, 4)),
                            _rng.standard_normal((1, 4)))),
    ],
    mistakes=[
        Mistake("transpose-W",
                "W is already stored as (n_in, n_out), so do not transpose it: Z = X @ W + b. "
                "(X @ W.T is for the other layout, one row per neuron, which the tutorial uses first.)",
                lambda X, W, b: X @ W.T + b),
        Mistake("no-bias", "the biases are missing: add b (shape (1, n_out)) to every row.",
                lambda X, W, b: X @ W),
        Mistake("bias-column",
                "b.T is a column (n_out, 1), so NumPy adds bias j to ROW j instead of to column j; "
                "keep b as the row (1, n_out), which broadcasts down the batch.",
                lambda X, W, b: X @ W + b.T),
        Mistake("bias-summed",
                "every neuron has its own bias: add the row b itself, not one number such as b.sum().",
                lambda X, W, b: X @ W + b.sum()),
        Mistake("result-transposed",
                "the result is transposed: Z has one row per sample, (N, n_out). Compute X @ W + b "
                "and do not transpose it.",
                lambda X, W, b: (X @ W + b).T),
        Mistake("W-first",
                "the order of the product is reversed: with one row per sample, the batch comes first, "
                "X @ W.",
                lambda X, W, b: W @ X + b),
        Mistake("inputs-transposed",
                "W.T @ X.T (transposing the inputs as well) is Z's transpose, (n_out, N): with square "
                "shapes it even runs, but the rows are neurons and the bias lands on the wrong axis. "
                "Use X @ W + b.",
                lambda X, W, b: np.dot(W.T, X.T) + b),
        Mistake("elementwise",
                "* multiplies entry by entry; a layer needs the matrix product @ (or np.dot).",
                lambda X, W, b: X * W + b),
    ],
    alternatives=[
        ("np.dot", lambda X, W, b: np.dot(X, W) + b),
        ("einsum", lambda X, W, b: np.einsum("ik,kj->ij", X, W) + b),
        ("one neuron at a time", lambda X, W, b: np.column_stack(
            [X @ W[:, j] + b[0, j] for j in range(W.shape[1])])),
        ("a bias of shape (n_out,)", lambda X, W, b: X @ W + b.ravel()),
    ],
)
