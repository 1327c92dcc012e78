"""Tests for nnlib.activations: Step, Sigmoid, ReLU, Softmax and the functions sigmoid, softmax."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from nnlib import ReLU, Sigmoid, Softmax, Step, sigmoid, softmax

SHAPES = [(1, 1), (1, 3), (4, 3), (6, 5)]
SEEDS = [0, 1, 2]


def py_softmax(row):
    """Softmax of one row in pure Python, straight from the definition (seed 001's raw version)."""
    exps = [math.exp(v) for v in row]
    total = sum(exps)
    return [e / total for e in exps]


def py_sigmoid(v):
    return 1.0 / (1.0 + math.exp(-v))


# --------------------------------------------------------------------------- gradients


def _check_activation_gradients(layer, Z, num_grad, rel_err, seed):
    G = np.random.default_rng(seed + 100).standard_normal(Z.shape)  # L = sum(A * G)

    def loss():
        return float(np.sum(layer.forward(Z) * G))

    layer.forward(Z)
    analytic = layer.backward(G).copy()
    numeric = num_grad(loss, Z)
    assert analytic.shape == Z.shape
    return rel_err(analytic, numeric)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("shape", SHAPES)
def test_sigmoid_gradient(shape, seed, num_grad, rel_err):
    Z = 3 * np.random.default_rng(seed).standard_normal(shape)
    assert _check_activation_gradients(Sigmoid(), Z, num_grad, rel_err, seed) < 1e-7


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("shape", SHAPES)
def test_relu_gradient_away_from_the_kink(shape, seed, num_grad, rel_err):
    Z = np.random.default_rng(seed).standard_normal(shape)
    Z[np.abs(Z) < 1e-3] = 0.5  # keep every input well away from the kink at 0 (h = 1e-5)
    assert _check_activation_gradients(ReLU(), Z, num_grad, rel_err, seed) < 1e-7


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("shape", SHAPES)
def test_softmax_gradient(shape, seed, num_grad, rel_err):
    Z = 2 * np.random.default_rng(seed).standard_normal(shape)
    assert _check_activation_gradients(Softmax(), Z, num_grad, rel_err, seed) < 1e-7


def test_softmax_backward_equals_explicit_jacobian():
    # Independent reference: build each row's Jacobian diag(p) - p p^T and multiply.
    rng = np.random.default_rng(4)
    Z, G = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    layer = Softmax()
    P = layer.forward(Z)
    expected = np.stack([(np.diag(p) - np.outer(p, p)) @ g for p, g in zip(P, G, strict=True)])
    np.testing.assert_allclose(layer.backward(G), expected, rtol=1e-12, atol=1e-15)


def test_sigmoid_backward_at_zero_is_one_quarter():
    layer = Sigmoid()
    layer.forward(np.zeros((1, 2)))
    np.testing.assert_allclose(layer.backward(np.array([[1.0, 2.0]])), [[0.25, 0.5]])


def test_relu_backward_blocks_negative_and_zero():
    layer = ReLU()
    layer.forward(np.array([[-1.0, 0.0, 2.0]]))
    np.testing.assert_array_equal(layer.backward(np.array([[5.0, 6.0, 7.0]])), [[0.0, 0.0, 7.0]])


# --------------------------------------------------------------------------- sigmoid values


def test_sigmoid_of_zero_is_one_half():
    assert sigmoid(np.array(0.0)) == 0.5
    np.testing.assert_array_equal(Sigmoid().forward(np.zeros((2, 3))), np.full((2, 3), 0.5))


def test_sigmoid_matches_definition_for_moderate_z():
    z = np.linspace(-30, 30, 121)
    expected = [py_sigmoid(v) for v in z]
    np.testing.assert_allclose(sigmoid(z), expected, rtol=1e-14, atol=0)


def test_sigmoid_very_negative_z_keeps_relative_precision():
    # For z << 0, sigma(z) = exp(z) / (1 + exp(z)) ~ exp(z): tiny but not 0 until exp underflows.
    z = np.array([-700.0, -500.0, -100.0])
    np.testing.assert_allclose(sigmoid(z), [math.exp(v) for v in z], rtol=1e-12)


@pytest.mark.parametrize("z", [1e3, -1e3, 1e308, -1e308, 745.2, -745.2])
def test_sigmoid_large_z_is_finite_without_warnings(z):
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        a = sigmoid(np.array([z]))
        b = Sigmoid().forward(np.array([[z]]))
    assert np.all(np.isfinite(a)) and np.all(np.isfinite(b))
    assert a[0] == (1.0 if z > 0 else pytest.approx(0.0, abs=1e-300))
    assert 0.0 <= b[0, 0] <= 1.0


def test_sigmoid_symmetry():
    z = np.random.default_rng(0).uniform(-40, 40, size=200)
    np.testing.assert_allclose(sigmoid(-z), 1.0 - sigmoid(z), rtol=0, atol=1e-15)


def test_sigmoid_is_monotone_and_in_unit_interval():
    z = np.linspace(-50, 50, 1001)
    s = sigmoid(z)
    assert np.all(np.diff(s) >= 0) and s.min() >= 0 and s.max() <= 1


# --------------------------------------------------------------------------- softmax values


def test_softmax_of_seed_001_scores_matches_pure_python():
    scores = [4.8, 1.21, 2.385]
    expected = py_softmax(scores)
    np.testing.assert_allclose(softmax(np.array([scores])), [expected], rtol=1e-14)
    np.testing.assert_allclose(Softmax().forward([scores]), [expected], rtol=1e-14)
    # NNFS prints these probabilities for the same scores: [0.89528266 0.02470831 0.08000903].
    np.testing.assert_allclose(expected, [0.89528266, 0.02470831, 0.08000903], atol=5e-9)


def test_softmax_batch_of_seed_001_rows():
    batch = [[4.8, 1.21, 2.385], [8.9, -1.81, 0.2], [1.41, 1.051, 0.026]]
    expected = [py_softmax(r) for r in batch]
    out = softmax(np.array(batch))
    np.testing.assert_allclose(out, expected, rtol=1e-14)
    np.testing.assert_allclose(out.sum(axis=1), 1.0, rtol=0, atol=1e-15)


def test_softmax_rows_sum_to_one_and_are_positive():
    Z = 10 * np.random.default_rng(1).standard_normal((50, 7))
    P = softmax(Z)
    np.testing.assert_allclose(P.sum(axis=1), np.ones(50), atol=1e-14)
    assert np.all(P > 0)


def test_softmax_invariant_to_adding_a_constant_per_row():
    Z = np.random.default_rng(2).standard_normal((5, 4))
    shift = np.array([[-100.0], [0.5], [3.0], [700.0], [-1e4]])
    np.testing.assert_allclose(softmax(Z + shift), softmax(Z), rtol=1e-10, atol=1e-15)


def test_softmax_large_logits_do_not_overflow():
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise"):
        warnings.simplefilter("error")
        P = softmax(np.array([[1000.0, 1001.0, 1002.0], [-1000.0, 0.0, 1000.0]]))
    np.testing.assert_allclose(P[0], py_softmax([0.0, 1.0, 2.0]), rtol=1e-14)
    np.testing.assert_allclose(P[1], [0.0, 0.0, 1.0], atol=1e-300)


def test_softmax_layer_needs_2d_input():
    with pytest.raises(ValueError, match=r"2-D.*\(3,\)"):
        Softmax().forward(np.array([1.0, 2.0, 3.0]))


# --------------------------------------------------------------------------- ReLU and Step values


def test_relu_values_any_shape():
    z = np.array([-2.0, -0.5, 0.0, 0.5, 2.0])
    np.testing.assert_array_equal(ReLU().forward(z), [0.0, 0.0, 0.0, 0.5, 2.0])
    z3 = -np.ones((2, 3, 4))
    z3[1, 2, 3] = 7.0
    out = ReLU().forward(z3)
    assert out.shape == (2, 3, 4) and out.sum() == 7.0 and out[1, 2, 3] == 7.0


def test_step_values():
    out = Step().forward(np.array([[-2.0, -1e-12, 0.0, 1e-12, 3.0]]))
    np.testing.assert_array_equal(out, [[0.0, 0.0, 0.0, 1.0, 1.0]])
    assert out.dtype == np.float64


def test_step_backward_raises_with_a_helpful_message():
    layer = Step()
    layer.forward(np.array([[1.0, -1.0]]))
    with pytest.raises(NotImplementedError, match=r"no useful derivative.*Sigmoid\s+or ReLU"):
        layer.backward(np.ones((1, 2)))


@pytest.mark.parametrize("cls", [Step, Sigmoid, ReLU, Softmax])
def test_activations_leave_their_input_alone(cls):
    Z = np.array([[-1.0, 0.0, 2.0], [3.0, -4.0, 0.5]])
    before = Z.copy()
    out = cls().forward(Z)
    np.testing.assert_array_equal(Z, before)
    assert out.shape == Z.shape and out is not Z
    assert repr(cls()) == f"{cls.__name__}()"


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("cls", [Step, Sigmoid, ReLU, Softmax])
def test_backward_before_forward(cls):
    with pytest.raises(RuntimeError, match=r"backward\(\) called before forward\(\)"):
        cls().backward(np.ones((1, 2)))


@pytest.mark.parametrize("cls", [Sigmoid, ReLU, Softmax])
def test_backward_with_dvalues_of_wrong_shape(cls):
    layer = cls()
    layer.forward(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"dvalues has shape \(3, 2\).*\(2, 3\)"):
        layer.backward(np.ones((3, 2)))


@pytest.mark.parametrize("cls", [Step, Sigmoid, ReLU, Softmax])
@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_input(cls, bad):
    Z = np.zeros((2, 2))
    Z[0, 1] = bad
    with pytest.raises(ValueError, match="non-finite"):
        cls().forward(Z)


@pytest.mark.parametrize("cls", [Step, Sigmoid, ReLU, Softmax])
def test_empty_input(cls):
    with pytest.raises(ValueError, match="empty"):
        cls().forward(np.zeros((0, 3)))
