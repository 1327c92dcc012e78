"""Shared test set-up for the nnlib tests.

* matplotlib draws off-screen (Agg), so the plot tests run without a display.
* ``num_grad`` is the suite's own central-difference gradient. It is written
  here, independently of ``nnlib.gradcheck``, so that a bug in nnlib's gradient
  checker cannot hide a bug in a backward pass (or the other way round).
"""

from __future__ import annotations

import sys

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")


def central_difference(f, x: np.ndarray, h: float = 1e-5) -> np.ndarray:
    """Central differences ``(f(x + h e_i) - f(x - h e_i)) / 2h`` for every entry ``i`` of ``x``.

    ``f`` takes no arguments and reads ``x`` (which is changed in place and
    restored exactly); ``x`` must be float64.
    """
    assert x.dtype == np.float64, "finite differences need float64"
    grad = np.empty_like(x)
    flat, gflat = x.reshape(-1), grad.reshape(-1)  # views: writing flat[i] changes x
    assert np.shares_memory(flat, x)
    for i in range(flat.size):
        saved = flat[i]
        flat[i] = saved + h
        up = f()
        flat[i] = saved - h
        down = f()
        flat[i] = saved
        gflat[i] = (up - down) / (2.0 * h)
    return grad


def relative_error(analytic, numeric) -> float:
    """``||a - n|| / max(||a||, ||n||)`` over a whole gradient array (0 when both are 0).

    Measured over the whole array rather than entry by entry: a gradient entry
    of 1e-10 carries a rounding error of about 1e-11 in any finite difference,
    which entrywise would read as a 10 % error although the gradient is right.
    """
    a = np.asarray(analytic, dtype=np.float64)
    n = np.asarray(numeric, dtype=np.float64)
    assert a.shape == n.shape, (a.shape, n.shape)
    scale = max(np.linalg.norm(a), np.linalg.norm(n))
    return 0.0 if scale == 0 else float(np.linalg.norm(a - n) / scale)


@pytest.fixture
def num_grad():
    return central_difference


@pytest.fixture
def rel_err():
    return relative_error


@pytest.fixture(autouse=True)
def _close_figures():
    """Close every figure a test opened, so memory does not grow over the suite."""
    yield
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
