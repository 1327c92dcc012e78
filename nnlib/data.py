"""Small data sets used in the book.

* :func:`xor` is seed 000's truth table, with its column of ones.
* :func:`spiral` and :func:`vertical` wrap ``nnfs.datasets`` (the generators
  seed 001 uses) so that a seed makes them reproducible *without* calling
  ``nnfs.init()``, which would replace ``np.dot``, ``np.zeros`` and
  ``np.random.randn`` for the whole process. NumPy's global random state is
  restored afterwards, so calling these functions changes nothing else.
"""

from __future__ import annotations

import numpy as np
from nnfs.datasets import spiral_data, vertical_data


def xor() -> tuple[np.ndarray, np.ndarray]:
    """Seed 000's XOR data: ``X`` of shape ``(4, 3)``, ``y`` of shape ``(4, 1)``.

    The first two columns are the XOR inputs; the third is always 1. A weight
    on a constant input acts exactly like a bias, which is how seed 000's
    network, "ignoring the biases", still has one in its first layer.
    """
    X = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]], dtype=np.float64)
    y = np.array([[0], [1], [1], [0]], dtype=np.float64)
    return X, y


def _seeded(generator, samples: int, classes: int, seed: int):
    for name, v in (("samples", samples), ("classes", classes)):
        if not isinstance(v, (int, np.integer)) or v < 1:
            raise ValueError(f"{name} must be a positive integer, got {v!r}.")
    if not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed must be an int, got {seed!r}.")
    saved = np.random.get_state()
    try:
        np.random.seed(seed)
        X, y = generator(int(samples), int(classes))
    finally:
        np.random.set_state(saved)
    return np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.int64)


def spiral(samples: int = 100, classes: int = 3, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``classes`` interleaved spiral arms of ``samples`` points each.

    Returns ``X`` of shape ``(samples * classes, 2)`` (float64) and integer labels
    ``y`` of shape ``(samples * classes,)``. The arms turn by an angle scaled by
    2.5 (``sin(2.5 t)``), so they wind further than CS231n's original data and are
    harder to separate.
    """
    return _seeded(spiral_data, samples, classes, seed)


def vertical(samples: int = 100, classes: int = 3, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Gaussian blobs side by side (``nnfs.datasets.vertical_data``); same shapes as :func:`spiral`."""
    return _seeded(vertical_data, samples, classes, seed)
