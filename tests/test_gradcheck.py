"""Tests for nnlib.gradcheck itself: the tool must pass right gradients and flag wrong ones."""

from __future__ import annotations

import copy
import pickle

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
from nnlib.gradcheck import GradError, GradReport, gradient_error

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


# --------------------------------------------------------------------------- where the worst entry is
# Expected values here come from closed forms or from the suite's own central differences
# (conftest.py), never from nnlib.gradcheck.


def test_gradient_error_hand_computed():
    a = np.array([[1.0, 2.0], [3.0, 4.0]])
    n = np.array([[1.0, 2.0], [3.0, 5.0]])
    err = gradient_error(a, n)
    assert isinstance(err, float) and float(err) == pytest.approx(1 / 5, rel=1e-12)
    assert err.index == (1, 1)
    assert (err.analytic, err.numeric, err.abs_diff) == (4.0, 5.0, 1.0)
    # ||a - n|| = 1, ||a|| = sqrt(30), ||n|| = sqrt(39)
    assert err.norm_error == pytest.approx(1 / (np.sqrt(30) + np.sqrt(39)), rel=1e-12)
    assert (err.checked, err.size) == (4, 4)
    assert float(err) == relative_error(a, n)


def test_norm_error_is_not_spoiled_by_a_tiny_entry():
    # Entry (2,) is tiny: rounding-sized differences make its relative error 1/11,
    # but measured over the whole array the gradient is right to 1e-11.
    a = np.array([3.0, -4.0, 1.0e-10])
    n = np.array([3.0, -4.0, 1.1e-10])
    err = gradient_error(a, n)
    assert err.index == (2,)
    assert float(err) == pytest.approx(0.1 / 1.1, rel=1e-9)
    assert err.norm_error == pytest.approx(1e-11 / 10, rel=1e-6)  # ||a|| = ||n|| = 5 (to 1e-21)


def test_gradient_error_of_scalars_and_empty_arrays():
    err = gradient_error(2.0, 1.0)
    assert err.index == () and float(err) == 0.5 and (err.analytic, err.numeric) == (2.0, 1.0)
    empty = gradient_error(np.array([]), np.array([]))
    assert float(empty) == 0.0 and empty.index is None and "empty" in repr(empty)


@pytest.mark.parametrize("which", ["analytic", "numerical"])
def test_gradient_error_refuses_nan_instead_of_hiding_it(which):
    # max(|a - n| / max(|a|, |n|)) would silently skip a NaN; max(errs.values()) too.
    good, bad = np.ones((2, 3)), np.ones((2, 3))
    bad[1, 2] = np.nan
    args = (bad, good) if which == "analytic" else (good, bad)
    with pytest.raises(ValueError, match=rf"{which} gradient holds 1 NaN.*index \(1, 2\)"):
        gradient_error(*args)
    with pytest.raises(ValueError, match="NaN"):
        relative_error(*args)


def test_grad_error_is_a_float_that_prints_as_one():
    err = gradient_error([1.0, 2.0], [1.0, 1.0])
    assert str(err) == "0.5" and f"{err:.1e}" == "5.0e-01" and err < 0.6 and err + 1 == 1.5
    text = repr(err)
    assert "(1,)" in text and "analytic 2" in text and "numeric 1" in text and "norm error" in text


def test_grad_error_survives_copy_and_pickle():
    err = gradient_error([1.0, 2.0], [1.0, 1.0])
    for twin in (copy.deepcopy(err), pickle.loads(pickle.dumps(err))):
        assert isinstance(twin, GradError) and float(twin) == 0.5
        assert (twin.index, twin.analytic, twin.numeric) == ((1,), 2.0, 1.0)


class OneBadWeight(Dense):
    """Adds 0.3 to a single entry of dweights: the bug gradient checks must locate."""

    BAD = (1, 2)

    def backward(self, dvalues):
        out = super().backward(dvalues)
        self.dweights[self.BAD] += 0.3
        return out


class OneBadBias(Dense):
    def backward(self, dvalues):
        out = super().backward(dvalues)
        self.dbiases[0, 3] *= -1.0
        return out


def test_check_network_locates_a_planted_bug(num_grad):
    net, y = _net(OneBadWeight), np.array([0, 1, 2, 1, 0])
    errors = check_network(net, X, y)
    worst = errors["layer0.weights"]
    assert worst.index == OneBadWeight.BAD
    # The numeric value, from the suite's own central differences of the network's loss.
    W = net.layers[0].weights
    numeric = num_grad(lambda: net.loss.forward(net.forward(X), y), W)
    assert worst.numeric == pytest.approx(numeric[OneBadWeight.BAD], rel=1e-9, abs=1e-12)
    # The analytic value is the correct gradient (= the numeric one) plus the planted 0.3.
    assert worst.analytic == pytest.approx(numeric[OneBadWeight.BAD] + 0.3, rel=1e-7)
    assert worst.abs_diff == pytest.approx(0.3, rel=1e-7)
    assert float(worst) == pytest.approx(0.3 / max(abs(worst.analytic), abs(worst.numeric)), rel=1e-7)
    analytic = numeric.copy()
    analytic[OneBadWeight.BAD] += 0.3
    expected_norm = 0.3 / (np.linalg.norm(analytic) + np.linalg.norm(numeric))
    assert worst.norm_error == pytest.approx(expected_norm, rel=1e-6)
    # The other arrays are right, and the dict still behaves as before.
    assert all(v < 1e-6 for k, v in errors.items() if k != "layer0.weights")
    assert max(errors.values()) == float(worst)
    assert isinstance(errors, GradReport) and isinstance(errors, dict) and isinstance(worst, GradError)


def test_check_layer_locates_a_planted_bug():
    layer = OneBadBias(3, 4, rng=0, init=1.0)
    errors = check_layer(layer, X, rng=7)
    # check_layer's scalar is sum(output * G), G = standard_normal from rng (documented),
    # so for a Dense layer the correct gradients are closed forms.
    G = np.random.default_rng(7).standard_normal((5, 4))
    db = G.sum(axis=0)
    worst = errors["dbiases"]
    assert worst.index == (0, 3)
    assert worst.numeric == pytest.approx(db[3], rel=1e-8)
    assert worst.analytic == pytest.approx(-db[3], rel=1e-12)
    assert float(worst) == pytest.approx(2.0, rel=1e-7)  # |-g - g| / |g|
    assert errors["dweights"] < 1e-7 and errors["dinputs"] < 1e-7
    # The worst entry of a correct array is reported too, with the right values.
    w = errors["dweights"]
    assert w.analytic == pytest.approx((X.T @ G)[w.index], rel=1e-12)
    assert w.numeric == pytest.approx((X.T @ G)[w.index], rel=1e-7)


def test_check_loss_locates_a_planted_bug(num_grad):
    class OneBadEntry(MeanSquaredError):
        def backward(self, y_pred, y_true):
            g = super().backward(y_pred, y_true)
            g[2, 1] *= 3.0
            return g

    rng = np.random.default_rng(5)
    p, t = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
    err = check_loss(OneBadEntry(), p, t)
    expected = 2 * (p - t) / p.size  # MSE = mean((p - t)^2)
    assert err.index == (2, 1)
    assert err.numeric == pytest.approx(expected[2, 1], rel=1e-8)
    assert err.analytic == pytest.approx(3 * expected[2, 1], rel=1e-12)
    assert float(err) == pytest.approx(2 / 3, rel=1e-7)
    pc = p.copy()
    assert err.numeric == pytest.approx(num_grad(lambda: MeanSquaredError().forward(pc, t), pc)[2, 1],
                                        rel=1e-9)


def test_report_prints_a_table_with_the_worst_entries():
    errors = check_network(_net(OneBadWeight), X, np.array([0, 1, 2, 1, 0]))
    lines = str(errors).splitlines()
    assert lines[0].split()[:3] == ["array", "rel.", "error"]
    assert len(lines) == 1 + 4
    bad_row = next(line for line in lines if line.startswith("layer0.weights"))
    assert "(1, 2)" in bad_row and f"{errors['layer0.weights']:.2e}" in bad_row
    assert repr(errors) == str(errors) and "checked" not in lines[0]
    errors["by hand"] = 0.25  # a plain float added later still prints
    assert str(errors).splitlines()[-1].split()[:3] == ["by", "hand", "2.50e-01"]


class ScaledEverywhere(Dense):
    """dweights entry k is scaled by (1 + k/10): entrywise error grows with the flat index."""

    def backward(self, dvalues):
        out = super().backward(dvalues)
        self.dweights = self.dweights * (1 + np.arange(self.dweights.size).reshape(self.dweights.shape) / 10)
        return out


def test_max_entries_checks_a_random_subset():
    layer = ScaledEverywhere(3, 4, rng=0, init=1.0)
    full = check_layer(layer, X, rng=1)["dweights"]
    assert full.index == (2, 3)  # the last entry is scaled most
    assert float(full) == pytest.approx(1.1 / 2.1, rel=1e-7)  # |a - n| / |a| with a = 2.1 n
    seen = set()
    for seed in range(8):
        part = check_layer(layer, X, rng=seed, max_entries=3)["dweights"]
        G = np.random.default_rng(seed).standard_normal((5, 4))
        exact = X.T @ G
        k = np.ravel_multi_index(part.index, (3, 4))
        assert part.numeric == pytest.approx(exact[part.index], rel=1e-7)
        assert part.analytic == pytest.approx(exact[part.index] * (1 + k / 10), rel=1e-12)
        assert (part.checked, part.size) == (3, 12)
        assert float(part) == pytest.approx((k / 10) / (1 + k / 10), rel=1e-6)
        seen.add(part.index)
    assert len(seen) > 1  # different rngs check different entries
    # same rng, same subset
    a = check_layer(layer, X, rng=3, max_entries=3)["dweights"]
    b = check_layer(layer, X, rng=3, max_entries=3)["dweights"]
    assert (a.index, float(a)) == (b.index, float(b))


def test_max_entries_perturbs_only_that_many_entries():
    net = _net()
    calls = []
    forward = net.forward

    def counting_forward(X_):
        calls.append(1)
        return forward(X_)

    net.forward = counting_forward
    errors = check_network(net, X, np.array([0, 1, 2, 1, 0]), max_entries=4, rng=0)
    sizes = {"layer0.weights": 15, "layer0.biases": 5, "layer2.weights": 15, "layer2.biases": 3}
    assert {k: (e.checked, e.size) for k, e in errors.items()} == {
        k: (min(4, s), s) for k, s in sizes.items()}
    assert len(calls) == 1 + 2 * (4 + 4 + 4 + 3)  # one pass for the gradients, two per entry
    assert max(errors.values()) < 1e-6
    assert "checked" in str(errors) and "4 of 15" in str(errors)
    assert "4 of 15 entries checked" in repr(errors["layer0.weights"])


def test_max_entries_at_least_the_size_checks_everything():
    net, y = _net(OneBadWeight), np.array([0, 1, 2, 1, 0])
    full = check_network(net, X, y)
    big = check_network(net, X, y, max_entries=1000)
    assert {k: (float(v), v.index) for k, v in full.items()} == {
        k: (float(v), v.index) for k, v in big.items()}


@pytest.mark.parametrize("bad", [0, -1, 2.5, True, "5"])
def test_max_entries_must_be_a_positive_integer(bad):
    with pytest.raises(ValueError, match="max_entries must be a positive integer"):
        check_layer(Dense(3, 2, rng=0), X, max_entries=bad)
    with pytest.raises(ValueError, match="max_entries must be a positive integer"):
        check_network(_net(), X, np.array([0, 1, 2, 1, 0]), max_entries=bad)


def test_numerical_gradient_restores_x_when_f_raises():
    x = np.array([1.0, 2.0])
    calls = []

    def f():
        calls.append(x.copy())
        if len(calls) == 2:
            raise RuntimeError("boom")
        return float(np.sum(x))

    with pytest.raises(RuntimeError, match="boom"):
        numerical_gradient(f, x)
    np.testing.assert_array_equal(x, [1.0, 2.0])
def test_a_float32_network_is_refused_with_the_reason_and_the_remedy():
    net = _net().astype(np.float32)
    with pytest.raises(TypeError, match=r"float64.*float32.*rounding.*astype\(np\.float64\)"):
        check_network(net, X, np.array([0, 1, 2, 1, 0]))
    with pytest.raises(TypeError, match=r"rounding.*dtype=np\.float64"):
        check_layer(Dense(3, 2, rng=0, dtype=np.float32), X)
    errors = check_network(net.astype(np.float64), X, np.array([0, 1, 2, 1, 0]))  # the remedy works
    assert max(errors.values()) < 1e-6
