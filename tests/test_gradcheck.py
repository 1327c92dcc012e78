"""Tests for nnlib.gradcheck itself: the tool must pass right gradients and flag wrong ones."""

from __future__ import annotations

import numpy as np
import pytest
from planted_bugs import SignFlippedDense

from nnlib import (
    Dense,
    MeanSquaredError,
    Network,
    ReLU,
    Sigmoid,
    Softmax,
    SoftmaxCrossEntropy,
    SumSquaredError,
    check_layer,
    check_loss,
    check_network,
    numerical_gradient,
    relative_error,
)

# --------------------------------------------------------------------------- numerical_gradient


@pytest.mark.parametrize("shape", [(1,), (5,), (3, 4), (2, 3, 2)])
def test_numerical_gradient_of_sum_of_cubes_is_3x2(shape):
    x = np.random.default_rng(0).uniform(-2, 2, size=shape)
    before = x.copy()
    grad = numerical_gradient(lambda: float(np.sum(x**3)), x)
    # Central differences of a cubic are off by exactly h^2 = 1e-10 per entry.
    np.testing.assert_allclose(grad, 3 * before**2, rtol=0, atol=1e-8)
    assert grad.shape == shape
    np.testing.assert_array_equal(x, before)  # x restored exactly


def test_numerical_gradient_closed_form_with_cross_terms():
    # f(x) = x0 * x1 + sin(x2)  ->  grad = [x1, x0, cos(x2)]
    x = np.array([1.5, -2.0, 0.3])
    grad = numerical_gradient(lambda: float(x[0] * x[1] + np.sin(x[2])), x)
    np.testing.assert_allclose(grad, [-2.0, 1.5, np.cos(0.3)], rtol=1e-9)


def test_numerical_gradient_refuses_float32():
    x = np.ones(3, dtype=np.float32)
    with pytest.raises(TypeError, match=r"float64.*float32"):
        numerical_gradient(lambda: float(np.sum(x)), x)


# --------------------------------------------------------------------------- relative_error


def test_relative_error_both_zero_counts_as_zero():
    assert relative_error(0.0, 0.0) == 0.0
    assert relative_error(np.zeros((2, 3)), np.zeros((2, 3))) == 0.0
    assert relative_error(np.array([]), np.array([])) == 0.0


@pytest.mark.parametrize(
    ("a", "n", "expected"),
    [
        (1.0, 0.5, 0.5),  # |1 - 0.5| / 1
        (-2.0, 2.0, 2.0),  # opposite signs: |(-2) - 2| / 2
        (1.0, 0.0, 1.0),  # one side zero: |1| / 1
        ([1.0, 2.0], [1.0, 1.0], 0.5),  # largest entry: |2 - 1| / 2
        ([0.0, 1e-3], [0.0, 1.1e-3], 0.1 / 1.1),  # relative, so scale-free
        ([3.0, 0.0], [3.0, 0.0], 0.0),
    ],
)
def test_relative_error_known_values(a, n, expected):
    assert relative_error(a, n) == pytest.approx(expected, rel=1e-12)


def test_relative_error_shape_mismatch():
    with pytest.raises(ValueError, match=r"\(2,\).*\(3,\)"):
        relative_error(np.ones(2), np.ones(3))


# --------------------------------------------------------------------------- check_layer


class MeanBiases(Dense):
    """Averages the bias gradient over the batch instead of summing it: off by a factor N."""

    def backward(self, dvalues):
        out = super().backward(dvalues)
        self.dbiases = self.dbiases / dvalues.shape[0]
        return out


class HalfInputs(Dense):
    def backward(self, dvalues):
        self.dinputs = 0.5 * super().backward(dvalues)
        return self.dinputs


X = np.random.default_rng(1).standard_normal((5, 3))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_check_layer_passes_a_correct_dense(seed):
    errors = check_layer(Dense(3, 4, rng=seed, init=1.0), X, rng=seed)
    assert set(errors) == {"dinputs", "dweights", "dbiases"}
    assert max(errors.values()) < 1e-7


@pytest.mark.parametrize("layer", [Sigmoid(), Softmax()])
def test_check_layer_passes_correct_activations(layer):
    errors = check_layer(layer, 2 * X)
    assert set(errors) == {"dinputs"} and errors["dinputs"] < 1e-7


@pytest.mark.parametrize(
    ("cls", "bad"),
    [(SignFlippedDense, "dweights"), (MeanBiases, "dbiases"), (HalfInputs, "dinputs")],
)
def test_check_layer_flags_broken_layers(cls, bad):
    errors = check_layer(cls(3, 4, rng=0, init=1.0), X)
    assert errors[bad] > 1e-2
    assert all(v < 1e-7 for k, v in errors.items() if k != bad)


def test_check_layer_does_not_touch_the_callers_inputs():
    inputs = X.copy()
    check_layer(Dense(3, 2, rng=0), inputs)
    np.testing.assert_array_equal(inputs, X)


def test_check_layer_refuses_float32_parameters():
    layer = Dense(3, 2, rng=0)
    layer.weights = layer.weights.astype(np.float32)
    layer.biases = layer.biases.astype(np.float32)
    with pytest.raises(TypeError, match=r"float64.*float32.*nnfs\.init"):
        check_layer(layer, X)


# --------------------------------------------------------------------------- check_loss


class MSEWithoutMean(MeanSquaredError):
    def backward(self, y_pred, y_true):
        return 2.0 * (np.asarray(y_pred) - np.asarray(y_true))  # forgot / (N K)


class CEWithoutN(SoftmaxCrossEntropy):
    def backward(self, y_pred, y_true):
        return super().backward(y_pred, y_true) * np.asarray(y_pred).shape[0]  # forgot / N


class SSEWrongSign(SumSquaredError):
    def backward(self, y_pred, y_true):
        return 2.0 * (np.asarray(y_true) - np.asarray(y_pred))


def test_check_loss_passes_correct_losses():
    rng = np.random.default_rng(2)
    p, t = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
    assert check_loss(MeanSquaredError(), p, t) < 1e-7
    assert check_loss(SumSquaredError(), p, t) < 1e-7
    assert check_loss(SoftmaxCrossEntropy(), p, np.array([0, 2, 1, 1])) < 1e-7


@pytest.mark.parametrize(
    ("loss", "y"),
    [(MSEWithoutMean(), "reg"), (SSEWrongSign(), "reg"), (CEWithoutN(), "cls")],
)
def test_check_loss_flags_broken_losses(loss, y):
    rng = np.random.default_rng(3)
    p = rng.standard_normal((4, 3))
    target = rng.standard_normal((4, 3)) if y == "reg" else np.array([0, 2, 1, 1])
    assert check_loss(loss, p, target) > 1e-2


# --------------------------------------------------------------------------- check_network


def _net(dense=Dense):
    gen = np.random.default_rng(4)
    return Network([dense(3, 5, rng=gen, init=1.0), ReLU(), Dense(5, 3, rng=gen, init=1.0)],
                   SoftmaxCrossEntropy())


def test_check_network_passes_a_correct_network():
    errors = check_network(_net(), X, np.array([0, 1, 2, 1, 0]))
    assert set(errors) == {"layer0.weights", "layer0.biases", "layer2.weights", "layer2.biases"}
    assert max(errors.values()) < 1e-6  # ReLU kinks allowed for; measured ~1e-9 here


def test_check_network_flags_the_broken_layer():
    errors = check_network(_net(SignFlippedDense), X, np.array([0, 1, 2, 1, 0]))
    assert errors["layer0.weights"] > 1e-2
    assert errors["layer2.weights"] < 1e-6


def test_check_network_refuses_float32_parameters():
    net = _net()
    net.layers[2].weights = net.layers[2].weights.astype(np.float32)
    with pytest.raises(TypeError, match="float64"):
        check_network(net, X, np.array([0, 1, 2, 1, 0]))


def test_a_float32_network_is_refused_with_the_reason_and_the_remedy():
    net = _net().astype(np.float32)
    with pytest.raises(TypeError, match=r"float64.*float32.*rounding.*astype\(np\.float64\)"):
        check_network(net, X, np.array([0, 1, 2, 1, 0]))
    with pytest.raises(TypeError, match=r"rounding.*dtype=np\.float64"):
        check_layer(Dense(3, 2, rng=0, dtype=np.float32), X)
    errors = check_network(net.astype(np.float64), X, np.array([0, 1, 2, 1, 0]))  # the remedy works
    assert max(errors.values()) < 1e-6
