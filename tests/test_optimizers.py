"""Tests for nnlib.optimizers: SGD (with decay and momentum) and Adam, against hand computation."""

from __future__ import annotations

import numpy as np
import pytest

from nnlib import SGD, Adam, Dense, Optimizer, ReLU


def layer_with(weights, dweights, biases=(0.0,), dbiases=(0.0,)):
    """A Dense layer with given parameters and gradients (as if backward had just run)."""
    w = np.atleast_2d(np.asarray(weights, dtype=np.float64))
    layer = Dense(w.shape[0], w.shape[1], rng=0)
    layer.weights[...] = w
    layer.biases[...] = np.asarray(biases, dtype=np.float64).reshape(1, -1)
    layer.dweights = np.atleast_2d(np.asarray(dweights, dtype=np.float64))
    layer.dbiases = np.asarray(dbiases, dtype=np.float64).reshape(1, -1)
    return layer


# --------------------------------------------------------------------------- SGD


def test_one_sgd_step_by_hand():
    # theta - eta g with eta = 0.1:  [1, -2] - 0.1 [10, -4] = [0, -1.6];  b: 0.5 - 0.1 * 2 = 0.3
    layer = layer_with([[1.0, -2.0]], [[10.0, -4.0]], biases=[0.5, 0.5], dbiases=[2.0, 0.0])
    SGD(0.1).step([layer])
    np.testing.assert_allclose(layer.weights, [[0.0, -1.6]], atol=1e-15)
    np.testing.assert_allclose(layer.biases, [[0.3, 0.5]], atol=1e-15)


def test_parameters_are_updated_in_place():
    layer = layer_with([[1.0, 2.0]], [[1.0, 1.0]])
    w, b = layer.weights, layer.biases
    ids = id(w), id(b)
    SGD(0.5, momentum=0.5).step([layer])
    Adam(0.1).step([layer])
    assert (id(layer.weights), id(layer.biases)) == ids
    assert layer.weights is w and layer.params["weights"] is w
    assert not np.allclose(w, [[1.0, 2.0]])  # the object we hold did change


def test_decay_formula():
    # eta_t = eta / (1 + decay * t):  t = 0, 1, 2, 3 with eta = 1, decay = 0.5 -> 1, 2/3, 1/2, 2/5
    opt = SGD(1.0, decay=0.5)
    layer = layer_with([[0.0]], [[1.0]])
    seen = []
    for _ in range(4):
        seen.append(opt.current_learning_rate)
        opt.step([layer])
    assert seen == pytest.approx([1.0, 2 / 3, 0.5, 0.4], rel=1e-15)
    assert opt.iterations == 4
    # Each step used the rate current before it: w = -(1 + 2/3 + 1/2 + 2/5) with g = 1.
    assert layer.weights[0, 0] == pytest.approx(-(1 + 2 / 3 + 0.5 + 0.4), rel=1e-14)


def test_no_decay_keeps_the_rate():
    opt = Adam(0.01)
    for _ in range(5):
        opt.step([layer_with([[0.0]], [[1.0]])])
    assert opt.current_learning_rate == 0.01


def test_momentum_two_steps_by_hand():
    # mu = 0.9, eta = 0.1, g = 1 both times:
    #   v1 = -0.1,                 theta1 = 1 - 0.1  = 0.9
    #   v2 = 0.9 * (-0.1) - 0.1 = -0.19, theta2 = 0.9 - 0.19 = 0.71
    layer = layer_with([[1.0]], [[1.0]])
    opt = SGD(0.1, momentum=0.9)
    opt.step([layer])
    assert layer.weights[0, 0] == pytest.approx(0.9, abs=1e-15)
    opt.step([layer])
    assert layer.weights[0, 0] == pytest.approx(0.71, abs=1e-15)
    # Third step with g = 0: the velocity alone carries on, v3 = 0.9 * (-0.19) = -0.171
    layer.dweights = np.zeros((1, 1))
    opt.step([layer])
    assert layer.weights[0, 0] == pytest.approx(0.71 - 0.171, abs=1e-15)


def test_momentum_state_is_per_layer_and_per_parameter():
    a = layer_with([[0.0]], [[1.0]], dbiases=[-1.0])
    b = layer_with([[0.0]], [[2.0]], dbiases=[0.0])
    opt = SGD(1.0, momentum=0.5)
    opt.step([a, b])
    opt.step([a, b])
    # weights: g = 1 -> -1 then -(0.5 + 1) -> total -2.5; g = 2 -> total -5; bias of a: +2.5
    assert a.weights[0, 0] == pytest.approx(-2.5)
    assert b.weights[0, 0] == pytest.approx(-5.0)
    assert a.biases[0, 0] == pytest.approx(2.5)
    assert b.biases[0, 0] == 0.0


def test_layers_without_parameters_are_skipped():
    relu, layer = ReLU(), layer_with([[1.0]], [[1.0]])
    SGD(0.5).step([relu, layer, object()])
    assert layer.weights[0, 0] == 0.5
    assert not hasattr(relu, "weights")


# --------------------------------------------------------------------------- Adam


def test_adam_first_step_moves_by_learning_rate_times_sign():
    # At t = 1, m_hat = g and v_hat = g^2, so the step is lr * g / (|g| + eps) ~ lr * sign(g)
    # whatever the size of g (as long as |g| >> eps).
    g = np.array([[3.0, -0.01, 1e3, -250.0]])
    layer = layer_with(np.zeros((1, 4)), g, biases=[0.0] * 4, dbiases=[1e-2, -5.0, 7.0, 0.0])
    Adam(learning_rate=0.02).step([layer])
    np.testing.assert_allclose(layer.weights, -0.02 * np.sign(g), rtol=1e-4)
    np.testing.assert_allclose(layer.biases, [[-0.02, 0.02, -0.02, 0.0]], rtol=1e-4)


def reference_adam(theta, grads, lr, b1, b2, eps, decay=0.0):
    """Adam written out from Kingma and Ba (2015), Algorithm 1, for one array."""
    theta = theta.copy()
    m = np.zeros_like(theta)
    v = np.zeros_like(theta)
    for t, g in enumerate(grads, start=1):
        rate = lr / (1 + decay * (t - 1))
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        m_hat = m / (1 - b1**t)
        v_hat = v / (1 - b2**t)
        theta = theta - rate * m_hat / (np.sqrt(v_hat) + eps)
    return theta


@pytest.mark.parametrize(("lr", "b1", "b2", "eps", "decay"),
                         [(0.001, 0.9, 0.999, 1e-7, 0.0), (0.05, 0.8, 0.99, 1e-3, 0.1)])
def test_adam_matches_reference_over_several_steps(lr, b1, b2, eps, decay):
    rng = np.random.default_rng(0)
    w0 = rng.standard_normal((3, 2))
    grads = [rng.standard_normal((3, 2)) for _ in range(7)]
    layer = layer_with(w0, grads[0], biases=[0.0, 0.0], dbiases=[0.0, 0.0])
    opt = Adam(learning_rate=lr, beta1=b1, beta2=b2, epsilon=eps, decay=decay)
    for g in grads:
        layer.dweights = g
        opt.step([layer])
    np.testing.assert_allclose(layer.weights, reference_adam(w0, grads, lr, b1, b2, eps, decay),
                               rtol=1e-12, atol=1e-15)


def test_adam_reaches_the_minimum_of_a_quadratic():
    # f(w) = (w - 3)^2, g = 2 (w - 3); Adam with lr 0.1 settles close to 3.
    layer = layer_with([[0.0]], [[0.0]])
    opt = Adam(0.1)
    for _ in range(500):
        layer.dweights = 2 * (layer.weights - 3.0)
        opt.step([layer])
    assert layer.weights[0, 0] == pytest.approx(3.0, abs=1e-2)


# --------------------------------------------------------------------------- bad hyperparameters


@pytest.mark.parametrize("cls", [SGD, Adam])
@pytest.mark.parametrize("lr", [-0.1, 0.0, float("nan"), float("inf")])
def test_bad_learning_rate(cls, lr):
    with pytest.raises(ValueError, match=r"learning_rate must be a finite number > 0"):
        cls(learning_rate=lr)


@pytest.mark.parametrize("cls", [SGD, Adam])
@pytest.mark.parametrize("decay", [-1e-3, float("nan"), float("inf")])
def test_bad_decay(cls, decay):
    with pytest.raises(ValueError, match=r"decay must be a finite number >= 0"):
        cls(learning_rate=0.1, decay=decay)


@pytest.mark.parametrize("momentum", [1.0, 1.5, -0.1, float("nan")])
def test_bad_momentum(momentum):
    with pytest.raises(ValueError, match=r"momentum must be in \[0, 1\)"):
        SGD(0.1, momentum=momentum)


@pytest.mark.parametrize(("kw", "name"), [({"beta1": 1.0}, "beta1"), ({"beta1": -0.1}, "beta1"),
                                          ({"beta2": 1.0}, "beta2"), ({"beta2": 2.0}, "beta2")])
def test_bad_adam_betas(kw, name):
    with pytest.raises(ValueError, match=rf"{name} must be in \[0, 1\)"):
        Adam(**kw)


@pytest.mark.parametrize("eps", [0.0, -1e-8])
def test_bad_adam_epsilon(eps):
    with pytest.raises(ValueError, match="epsilon must be a finite number > 0"):
        Adam(epsilon=eps)


def test_optimizers_share_the_base_class():
    assert isinstance(SGD(), Optimizer) and isinstance(Adam(), Optimizer)
    assert "momentum=0.9" in repr(SGD(0.1, momentum=0.9))
