"""Tests for nnlib.BinaryCrossEntropy: values, stability, gradients, an identity, and input checks."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from nnlib import SGD, BinaryCrossEntropy, Dense, Network, Sigmoid, SoftmaxCrossEntropy, data


def naive_per_sample(z: float, y: float) -> float:
    """-[y log s + (1 - y) log(1 - s)], s = 1 / (1 + e^-z), in plain Python (fine for moderate |z|)."""
    s = 1.0 / (1.0 + math.exp(-z))
    return -(y * math.log(s) + (1 - y) * math.log(1 - s))


# --------------------------------------------------------------------------- values


def test_zero_logit_costs_log_2_whatever_the_target():
    # sigma(0) = 1/2: the loss of either answer is -log(1/2) = log 2.
    loss = BinaryCrossEntropy()
    assert loss.forward(np.zeros((2, 1)), [[0], [1]]) == pytest.approx(math.log(2), rel=1e-15)


def test_values_by_hand():
    # y = 1, z = 2: -log sigma(2) = log(1 + e^-2); y = 0, z = -1: -log(1 - sigma(-1)) = log(1 + e^-1).
    loss = BinaryCrossEntropy()
    z, y = np.array([[2.0], [-1.0]]), np.array([[1.0], [0.0]])
    expected = [math.log(1 + math.exp(-2)), math.log(1 + math.exp(-1))]
    np.testing.assert_allclose(loss.per_sample(z, y).ravel(), expected, rtol=1e-14)
    assert loss.forward(z, y) == pytest.approx(sum(expected) / 2, rel=1e-14)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_equals_the_naive_formula_where_that_is_finite(seed):
    rng = np.random.default_rng(seed)
    z = rng.uniform(-8, 8, size=(20, 1))
    y = rng.integers(0, 2, size=(20, 1)).astype(float)
    expected = [naive_per_sample(zi, yi) for zi, yi in zip(z.ravel(), y.ravel(), strict=True)]
    np.testing.assert_allclose(BinaryCrossEntropy().per_sample(z, y).ravel(), expected, rtol=1e-11)
    assert BinaryCrossEntropy().forward(z, y) == pytest.approx(np.mean(expected), rel=1e-11)


def test_targets_may_be_int_bool_or_float():
    z = np.array([[1.5], [-0.5], [0.2]])
    loss = BinaryCrossEntropy()
    as_float = loss.forward(z, np.array([[1.0], [0.0], [1.0]]))
    assert loss.forward(z, np.array([[1], [0], [1]])) == as_float
    assert loss.forward(z, np.array([[True], [False], [True]])) == as_float


def test_to_output_is_the_sigmoid():
    z = np.array([[-3.0], [0.0], [4.0]])
    np.testing.assert_allclose(BinaryCrossEntropy().to_output(z), 1 / (1 + np.exp(-z)), rtol=1e-15)


def test_classification_flag():
    assert BinaryCrossEntropy.classification


# --------------------------------------------------------------------------- stability


def test_huge_logits_give_finite_correct_limits_without_warnings():
    # Right with |z| = 1000: loss 0 and gradient 0. Wrong: loss |z| = 1000 and gradient +-1/N.
    z = np.array([[1000.0], [-1000.0], [1000.0], [-1000.0]])
    y = np.array([[1.0], [0.0], [0.0], [1.0]])
    loss = BinaryCrossEntropy()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        per = loss.per_sample(z, y)
        grad = loss.backward(z, y)
        value = loss.forward(z, y)
    np.testing.assert_array_equal(per.ravel(), [0.0, 0.0, 1000.0, 1000.0])
    assert value == 500.0
    np.testing.assert_allclose(grad.ravel(), [0.0, 0.0, 0.25, -0.25], atol=1e-300)


def test_no_clipping_at_moderately_large_logits():
    # A clipped loss (probabilities in [1e-7, 1 - 1e-7]) would stop at -log(1e-7) = 16.1.
    value = BinaryCrossEntropy().forward(np.array([[30.0]]), np.array([[0.0]]))
    assert value == pytest.approx(30.0 + math.log1p(math.exp(-30.0)), rel=1e-15)


# --------------------------------------------------------------------------- gradients


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("n", [1, 4, 9])
def test_gradient_against_central_differences(n, seed, num_grad, rel_err):
    rng = np.random.default_rng(seed)
    z = 3 * rng.standard_normal((n, 1))
    y = rng.integers(0, 2, size=(n, 1)).astype(float)
    loss = BinaryCrossEntropy()
    analytic = loss.backward(z, y)
    assert analytic.shape == (n, 1)
    assert rel_err(analytic, num_grad(lambda: loss.forward(z, y), z)) < 1e-7


def test_gradient_by_hand():
    # (sigma(z) - y) / N with sigma(0) = 1/2 and N = 2.
    grad = BinaryCrossEntropy().backward(np.zeros((2, 1)), np.array([[1.0], [0.0]]))
    np.testing.assert_allclose(grad, [[-0.25], [0.25]], atol=1e-16)


@pytest.mark.parametrize("seed", [0, 1])
def test_same_as_softmax_cross_entropy_on_logits_0_and_z(seed):
    # softmax([0, z])_1 = e^z / (1 + e^z) = sigma(z): two classes with scores (0, z) are one sigmoid output.
    rng = np.random.default_rng(seed)
    z = 4 * rng.standard_normal((7, 1))
    labels = rng.integers(0, 2, size=7)
    two = np.hstack([np.zeros_like(z), z])
    bce, sce = BinaryCrossEntropy(), SoftmaxCrossEntropy()
    y = labels.reshape(-1, 1)
    assert bce.forward(z, y) == pytest.approx(sce.forward(two, labels), rel=1e-13)
    grad_two = sce.backward(two, labels)
    np.testing.assert_allclose(bce.backward(z, y), grad_two[:, 1:], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(bce.to_output(z), sce.to_output(two)[:, 1:], rtol=1e-13)


# --------------------------------------------------------------------------- what fit calls


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_forward_backward_is_forward_backward_and_to_output(dtype):
    rng = np.random.default_rng(3)
    z = (5 * rng.standard_normal((300, 1))).astype(dtype)
    y = rng.integers(0, 2, size=(300, 1))
    loss = BinaryCrossEntropy()
    value, grad, probs = loss._forward_backward(z, loss._targets(z, y))
    assert value == loss.forward(z, y)
    np.testing.assert_array_equal(grad, loss.backward(z, y))
    np.testing.assert_array_equal(probs, loss.to_output(z))
    assert grad.dtype == probs.dtype == dtype
    assert isinstance(value, float)


def test_a_network_trains_on_xor_and_predicts_probabilities():
    X, y = data.xor()
    rng = np.random.default_rng(0)
    net = Network([Dense(3, 4, rng=rng, init=1.0), Sigmoid(), Dense(4, 1, rng=rng, init=1.0)],
                  BinaryCrossEntropy(), SGD(2.0))
    history = net.fit(X, y, 2000, verbose=False)
    p = net.predict(X)
    assert p.shape == (4, 1) and np.all((p > 0) & (p < 1))
    assert history.accuracy[-1] == 1.0 and history.loss[-1] < 0.05
    result = net.evaluate(X, y)
    assert result["accuracy"] == 1.0
    assert result["loss"] == pytest.approx(BinaryCrossEntropy().forward(net.forward(X), y), rel=1e-15)


def test_training_is_deterministic():
    X, y = data.xor()

    def train():
        rng = np.random.default_rng(5)
        net = Network([Dense(3, 4, rng=rng, init=1.0), Sigmoid(), Dense(4, 1, rng=rng)],
                      BinaryCrossEntropy(), SGD(1.0))
        net.fit(X, y, 50, verbose=False)
        return net.layers[0].weights.copy()

    np.testing.assert_array_equal(train(), train())


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("method", ["forward", "backward", "per_sample"])
def test_column_against_vector_is_refused(method):
    # (N, 1) - (N,) would broadcast to (N, N) and average N^2 meaningless terms.
    with pytest.raises(ValueError, match=r"\(4, 1\).*\(4,\).*must match exactly.*reshape"):
        getattr(BinaryCrossEntropy(), method)(np.zeros((4, 1)), np.array([0, 1, 1, 0]))


@pytest.mark.parametrize("bad", [[0.5, 1, 0], [2, 1, 0], [-1, 1, 1]])
def test_targets_that_are_not_0_or_1_are_refused(bad):
    with pytest.raises(ValueError, match=r"targets 0 or 1.*\(y \+ 1\) / 2"):
        BinaryCrossEntropy().forward(np.zeros((3, 1)), np.array(bad, dtype=float).reshape(3, 1))


@pytest.mark.parametrize("where", ["y_pred", "y_true"])
@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_values_are_refused(where, bad):
    z, y = np.zeros((3, 1)), np.array([[0.0], [1.0], [1.0]])
    (z if where == "y_pred" else y)[1, 0] = bad
    with pytest.raises(ValueError, match=r"non-finite.*\(1, 0\)"):
        BinaryCrossEntropy().forward(z, y)


def test_more_than_one_output_column_is_refused():
    with pytest.raises(ValueError, match=r"one logit per sample.*\(3, 2\).*SoftmaxCrossEntropy"):
        BinaryCrossEntropy().forward(np.zeros((3, 2)), np.zeros((3, 2)))


def test_one_dimensional_logits_are_refused():
    with pytest.raises(ValueError, match="2-D"):
        BinaryCrossEntropy().forward(np.zeros(3), np.zeros(3))


def test_empty_batch_is_refused():
    with pytest.raises(ValueError, match="empty"):
        BinaryCrossEntropy().forward(np.zeros((0, 1)), np.zeros((0, 1)))


def test_fit_refuses_bad_targets_before_training():
    X, y = data.xor()
    net = Network([Dense(3, 1, rng=0)], BinaryCrossEntropy(), SGD(1.0))
    before = net.layers[0].weights.copy()
    with pytest.raises(ValueError, match="must match exactly"):
        net.fit(X, y.ravel(), 5, verbose=False)
    with pytest.raises(ValueError, match="targets 0 or 1"):
        net.fit(X, 2 * y, 5, verbose=False)
    np.testing.assert_array_equal(net.layers[0].weights, before)
