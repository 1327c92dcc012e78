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
    ``y`` of shape ``(samples * classes,)``, class by class (the first ``samples``
    rows are class 0). nnfs's generator (CS231n's, with the angle scaled by 2.5,
    so the arms wind further and are harder to separate) puts point ``i`` of
    class ``c`` at ``(r sin(2.5 t), r cos(2.5 t))`` with::

        r = i / (samples - 1)                    a fixed grid from 0 to 1
        t = 4 c + 4 i / (samples - 1) + 0.2 e    e drawn from N(0, 1)

    Only the angle noise ``e`` is random: the radii are the same for every seed.
    A "fresh" spiral of the same size (another ``seed``) therefore has exactly one
    point at each radius of the training set on each arm. That makes it a
    stratified sample, not an i.i.d. one; it is still a valid held-out set, since
    its noise is independent of the training data. For a large evaluation set,
    ask for more points per arm, e.g. ``spiral(samples=2000, seed=...)``: its
    radii also fall between the training radii. Point ``i = 0`` of every arm is
    the origin, so ``(0, 0)`` appears once per class, with different labels.
    """
    return _seeded(spiral_data, samples, classes, seed)


def vertical(samples: int = 100, classes: int = 3, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Gaussian blobs side by side (``nnfs.datasets.vertical_data``); same shapes as :func:`spiral`."""
    return _seeded(vertical_data, samples, classes, seed)
