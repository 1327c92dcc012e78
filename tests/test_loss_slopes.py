"""The slopes chapter 6 states in "Why this loss", checked against the suite's own central differences.

Chapter 6 (book/06_loss.ipynb) states, before chapters 8 and 9 derive them:

* sigmoid output + log loss: the slope with respect to the score is ``y_hat - y``;
* sigmoid output + squared error ``(y_hat - y)^2``: it is ``2 (y_hat - y) sigma'(z)``, and the chain
  through nnlib's layers (``SumSquaredError.backward`` into ``Sigmoid.backward``) gives the same;
* softmax + cross-entropy: ``P - Y`` per sample; softmax + squared error goes through softmax's own
  slopes (``Softmax.backward``), which are small when softmax saturates;
* below ``eps`` the clipped cross-entropy is flat (slope 0), while ``CategoricalCrossEntropy.backward``
  returns ``-1 / (N eps)`` there, as its docstring says.

The numbers the chapter quotes (about 203 times smaller at z = -6) are checked here too, with their
reason: the ratio of the two slopes is ``1 / (2 sigma'(z))``.
"""

from __future__ import annotations

import numpy as np
import pytest

import nnlib
from nnlib import CategoricalCrossEntropy, Sigmoid, Softmax, SoftmaxCrossEntropy, SumSquaredError


def _log_loss(z, y):
    y_hat = 1.0 / (1.0 + np.exp(-z))  # written out: independent of nnlib.sigmoid
    return float(-np.sum(y * np.log(y_hat) + (1 - y) * np.log(1 - y_hat)))


def _squared(z, y):
    y_hat = 1.0 / (1.0 + np.exp(-z))
    return float(np.sum((y_hat - y) ** 2))


@pytest.mark.parametrize("seed", range(5))
def test_sigmoid_log_loss_slope_is_error(seed, num_grad, rel_err):
    rng = np.random.default_rng(seed)
    z = 4 * rng.standard_normal((6, 1))
    y = rng.integers(0, 2, size=(6, 1)).astype(float)
    analytic = nnlib.sigmoid(z) - y
    assert rel_err(analytic, num_grad(lambda: _log_loss(z, y), z)) < 1e-7


@pytest.mark.parametrize("seed", range(5))
def test_sigmoid_squared_error_slope_keeps_sigma_prime(seed, num_grad, rel_err):
    rng = np.random.default_rng(seed)
    z = 4 * rng.standard_normal((6, 1))
    y = rng.integers(0, 2, size=(6, 1)).astype(float)
    y_hat = nnlib.sigmoid(z)
    formula = 2 * (y_hat - y) * y_hat * (1 - y_hat)
    numeric = num_grad(lambda: _squared(z, y), z)
    assert rel_err(formula, numeric) < 1e-7
    # the same slope through nnlib's layers: SumSquaredError.backward fed into Sigmoid.backward
    layer = Sigmoid()
    out = layer.forward(z)
    chained = layer.backward(SumSquaredError().backward(out, y))
    assert rel_err(chained, numeric) < 1e-7


def test_confidently_wrong_ratio_is_one_over_two_sigma_prime():
    z, y = -6.0, 1.0
    y_hat = 1.0 / (1.0 + np.exp(-z))
    ratio = (y_hat - y) / (2 * (y_hat - y) * y_hat * (1 - y_hat))
    assert 202 < ratio < 204  # "about 203 times smaller", as chapter 6 prints


@pytest.mark.parametrize("seed", range(5))
def test_softmax_cross_entropy_slope_is_p_minus_y_per_sample(seed, num_grad, rel_err):
    rng = np.random.default_rng(seed)
    z = 3 * rng.standard_normal((4, 3))
    labels = rng.integers(0, 3, size=4)
    Y = np.eye(3)[labels]
    loss = SoftmaxCrossEntropy()
    numeric = num_grad(lambda: loss.forward(z, labels), z)
    P = np.exp(z - z.max(axis=1, keepdims=True))
    P /= P.sum(axis=1, keepdims=True)
    assert rel_err((P - Y) / len(z), numeric) < 1e-7  # the mean over N samples: (P - Y) / N


def test_softmax_squared_error_goes_through_softmax_slopes(num_grad, rel_err):
    z = np.array([[-3.0, 4.0, 0.0], [0.5, -0.2, 0.1]])
    Y = np.eye(3)[[0, 2]]
    layer = Softmax()

    def f():
        return float(np.sum((layer.forward(z) - Y) ** 2))

    numeric = num_grad(f, z)
    P = layer.forward(z)
    chained = layer.backward(2 * (P - Y))
    assert rel_err(chained, numeric) < 1e-7
    # saturated row: the true class's score gets a slope hundreds of times smaller than P - Y gives it
    assert abs(P[0, 0] - 1) > 200 * abs(chained[0, 0])


def test_clipped_cross_entropy_is_flat_below_eps_but_backward_pushes(num_grad):
    p = np.array([[1e-9, 1 - 1e-9]])
    loss = CategoricalCrossEntropy()
    numeric = num_grad(lambda: loss.forward(p, np.array([0])), p, h=1e-10)
    assert np.all(numeric == 0.0)
    assert np.isclose(loss.backward(p, np.array([0]))[0, 0], -1.0 / loss.eps)
