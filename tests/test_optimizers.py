"""Tests for nnlib.optimizers: SGD (with decay and momentum), AdaGrad, RMSprop and Adam, against
hand computation and independent implementations; where their state lives; bad input."""

from __future__ import annotations

import copy
import math

import numpy as np
import pytest

import nnlib
from nnlib import SGD, AdaGrad, Adam, Dense, Network, Optimizer, ReLU, RMSprop, SoftmaxCrossEntropy

ALL = [SGD, AdaGrad, RMSprop, Adam]


def layer_with(weights, dweights, biases=(0.0,), dbiases=(0.0,)):
    """A Dense layer with given parameters and gradients (as if backward had just run).

    A single bias or bias gradient is repeated for every neuron.
    """
    w = np.atleast_2d(np.asarray(weights, dtype=np.float64))
    layer = Dense(w.shape[0], w.shape[1], rng=0)
    layer.weights[...] = w
    layer.biases[...] = np.asarray(biases, dtype=np.float64).reshape(1, -1)
    layer.dweights = np.atleast_2d(np.asarray(dweights, dtype=np.float64))
    layer.dbiases = np.broadcast_to(np.asarray(dbiases, dtype=np.float64).reshape(1, -1),
                                    layer.biases.shape).copy()
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
    layer = layer_with([[0.0]], [[1.0]])
    for _ in range(5):
        opt.step([layer])
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


@pytest.mark.parametrize("cls", ALL)
@pytest.mark.parametrize("lr", [-0.1, 0.0, float("nan"), float("inf")])
def test_bad_learning_rate(cls, lr):
    with pytest.raises(ValueError, match=r"learning_rate must be a finite number > 0"):
        cls(learning_rate=lr)


@pytest.mark.parametrize("cls", ALL)
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


@pytest.mark.parametrize("cls", [AdaGrad, RMSprop, Adam])
@pytest.mark.parametrize("eps", [0.0, -1e-8, float("nan")])
def test_bad_epsilon(cls, eps):
    with pytest.raises(ValueError, match="epsilon must be a finite number > 0"):
        cls(epsilon=eps)


@pytest.mark.parametrize("rho", [1.0, 1.5, -0.1, float("nan")])
def test_bad_rmsprop_rho(rho):
    with pytest.raises(ValueError, match=r"rho must be in \[0, 1\)"):
        RMSprop(rho=rho)


def test_optimizers_share_the_base_class():
    assert all(isinstance(cls(), Optimizer) for cls in ALL)
    assert "momentum=0.9" in repr(SGD(0.1, momentum=0.9))
    assert "rho=0.8" in repr(RMSprop(rho=0.8)) and "epsilon=0.001" in repr(AdaGrad(epsilon=1e-3))
    assert nnlib.AdaGrad is AdaGrad and nnlib.RMSprop is RMSprop
    assert {"AdaGrad", "RMSprop"} <= set(nnlib.__all__)


def test_nnfs_defaults():
    # The NNFS book's defaults: AdaGrad(learning_rate=1., decay=0., epsilon=1e-7),
    # RMSprop(learning_rate=0.001, decay=0., epsilon=1e-7, rho=0.9).
    a, r = AdaGrad(), RMSprop()
    assert (a.learning_rate, a.decay, a.epsilon) == (1.0, 0.0, 1e-7)
    assert (r.learning_rate, r.decay, r.epsilon, r.rho) == (0.001, 0.0, 1e-7, 0.9)


# --------------------------------------------------------------------------- AdaGrad and RMSprop
# References written entry by entry with Python floats, from the update rules in the NNFS
# book (chapter 10), independently of nnlib's array code.


def reference_adagrad(theta, grad_of, steps, lr, eps, decay):
    theta = [float(v) for v in theta]
    cache = [0.0] * len(theta)
    for t in range(steps):
        rate = lr / (1 + decay * t)
        g = grad_of(theta)
        for i in range(len(theta)):
            cache[i] += g[i] ** 2
            theta[i] -= rate * g[i] / (math.sqrt(cache[i]) + eps)
    return theta


def reference_rmsprop(theta, grad_of, steps, lr, eps, rho, decay):
    theta = [float(v) for v in theta]
    cache = [0.0] * len(theta)
    for t in range(steps):
        rate = lr / (1 + decay * t)
        g = grad_of(theta)
        for i in range(len(theta)):
            cache[i] = rho * cache[i] + (1 - rho) * g[i] ** 2
            theta[i] -= rate * g[i] / (math.sqrt(cache[i]) + eps)
    return theta


# A quadratic bowl f(theta) = 1/2 sum_i a_i (theta_i - c_i)^2, gradient a_i (theta_i - c_i),
# with curvatures a_i of very different sizes (where the adaptive methods differ from SGD).
A = [0.1, 1.0, 10.0, 3.0, 0.5, 40.0]
CENTRE = [1.0, -2.0, 0.5, 3.0, -1.0, 0.25]


def bowl_gradient(theta):
    return [a * (v - c) for a, v, c in zip(A, theta, CENTRE, strict=True)]


def run_nnlib_on_bowl(optimizer, theta0, steps):
    """Weights (2, 2) and biases (1, 2) hold the six coordinates; the gradient is the bowl's."""
    layer = Dense(2, 2, rng=0)
    layer.weights[...] = np.reshape(theta0[:4], (2, 2))
    layer.biases[...] = np.reshape(theta0[4:], (1, 2))
    for _ in range(steps):
        g = bowl_gradient(list(layer.weights.ravel()) + list(layer.biases.ravel()))
        layer.dweights = np.reshape(g[:4], (2, 2))
        layer.dbiases = np.reshape(g[4:], (1, 2))
        optimizer.step([layer])
    return np.concatenate([layer.weights.ravel(), layer.biases.ravel()])


THETA0 = [0.0, 0.0, 0.0, 0.0, 0.0, 0.0]


@pytest.mark.parametrize(("lr", "eps", "decay"), [(1.0, 1e-7, 0.0), (0.3, 1e-3, 0.1)])
def test_adagrad_matches_reference(lr, eps, decay):
    ours = run_nnlib_on_bowl(AdaGrad(lr, decay=decay, epsilon=eps), THETA0, 6)
    theirs = reference_adagrad(THETA0, bowl_gradient, 6, lr, eps, decay)
    for i, (a, b) in enumerate(zip(ours, theirs, strict=True)):
        assert a == pytest.approx(b, rel=1e-12, abs=1e-15), i


@pytest.mark.parametrize(("lr", "eps", "rho", "decay"), [(0.001, 1e-7, 0.9, 0.0), (0.05, 1e-4, 0.5, 0.2)])
def test_rmsprop_matches_reference(lr, eps, rho, decay):
    ours = run_nnlib_on_bowl(RMSprop(lr, decay=decay, epsilon=eps, rho=rho), THETA0, 6)
    theirs = reference_rmsprop(THETA0, bowl_gradient, 6, lr, eps, rho, decay)
    for i, (a, b) in enumerate(zip(ours, theirs, strict=True)):
        assert a == pytest.approx(b, rel=1e-12, abs=1e-15), i


def test_adagrad_first_step_is_lr_times_sign():
    # cache = g^2 after one step, so the step is lr * g / (|g| + eps) ~ lr * sign(g).
    layer = layer_with([[0.0, 0.0]], [[4.0, -0.02]])
    AdaGrad(0.5).step([layer])
    np.testing.assert_allclose(layer.weights, [[-0.5, 0.5]], rtol=1e-5)


def test_rmsprop_first_step_by_hand():
    # cache = (1 - rho) g^2 = 0.1 * 4 = 0.4;  step = 0.01 * 2 / (sqrt(0.4) + 1e-7)
    layer = layer_with([[1.0]], [[2.0]])
    RMSprop(0.01).step([layer])
    assert layer.weights[0, 0] == pytest.approx(1.0 - 0.02 / (math.sqrt(0.4) + 1e-7), rel=1e-14)


@pytest.mark.parametrize("cls", [AdaGrad, RMSprop])
def test_adaptive_optimizers_reach_the_bottom_of_the_bowl(cls):
    opt = cls(0.5) if cls is AdaGrad else cls(0.01)
    final = run_nnlib_on_bowl(opt, THETA0, 3000)
    np.testing.assert_allclose(final, CENTRE, atol=2e-2)


# --------------------------------------------------------------------------- gradients of the wrong shape


@pytest.mark.parametrize("make", [lambda: SGD(0.1), lambda: SGD(0.1, momentum=0.9), AdaGrad, RMSprop, Adam])
def test_a_gradient_of_the_wrong_shape_is_refused(make):
    layer = layer_with([[1.0, 2.0, 3.0]], [[1.0, 1.0, 1.0]])
    before = layer.weights.copy(), layer.biases.copy()
    layer.dweights = np.ones((3, 1))  # transposed
    with pytest.raises(ValueError, match=r"gradient of Dense\(1, 3\)\.weights.*\(1, 3\).*\(3, 1\).*reshape"):
        make().step([layer])
    layer.dweights = np.ones((1, 1))  # would broadcast silently
    with pytest.raises(ValueError, match=r"shape \(1, 3\), got an array of shape \(1, 1\)"):
        make().step([layer])
    layer.dweights = [[1.0, 1.0, 1.0]]  # not an array
    with pytest.raises(ValueError, match="got list"):
        make().step([layer])
    np.testing.assert_array_equal(layer.weights, before[0])  # nothing was updated
    np.testing.assert_array_equal(layer.biases, before[1])


def test_a_refused_step_updates_no_layer():
    good, bad = layer_with([[1.0]], [[1.0]]), layer_with([[1.0]], [[1.0]])
    bad.dbiases = np.ones(1)  # (1,) instead of (1, 1)
    opt = SGD(0.5)
    with pytest.raises(ValueError, match=r"biases must be an array of the parameter's shape \(1, 1\)"):
        opt.step([good, bad])
    assert good.weights[0, 0] == 1.0 and opt.iterations == 0


# --------------------------------------------------------------------------- float32


@pytest.mark.parametrize("make", [lambda: SGD(0.1), lambda: SGD(0.1, momentum=0.9), AdaGrad, RMSprop, Adam])
def test_float32_parameters_stay_float32(make):
    layer = Dense(3, 2, rng=0, dtype=np.float32)
    opt = make()
    for _ in range(3):
        layer.dweights = np.full((3, 2), 0.5, dtype=np.float32)
        layer.dbiases = np.full((1, 2), -0.5, dtype=np.float32)
        opt.step([layer])
    assert layer.weights.dtype == np.float32 and layer.biases.dtype == np.float32
    for slots in layer.optimizer_state.values():
        assert all(a.dtype == np.float32 for a in slots.values()), slots


# --------------------------------------------------------------------------- where the state lives


def small_network(optimizer, seed=0):
    gen = np.random.default_rng(seed)
    return Network([Dense(2, 8, rng=gen, init="he"), ReLU(), Dense(8, 3, rng=gen)],
                   SoftmaxCrossEntropy(), optimizer)


X3, Y3 = nnlib.data.spiral(20, 3, seed=0)

STATEFUL = [lambda: SGD(0.5, momentum=0.9, decay=0.01), lambda: AdaGrad(0.5, decay=0.01),
            lambda: RMSprop(0.01, decay=0.01), lambda: Adam(0.02, decay=0.01)]


@pytest.mark.parametrize("make", STATEFUL)
def test_a_deep_copy_makes_exactly_the_update_the_original_would(make):
    net = small_network(make())
    net.fit(X3, Y3, 5, verbose=False)
    twin = copy.deepcopy(net)
    net.fit(X3, Y3, 1, verbose=False)
    twin.fit(X3, Y3, 1, verbose=False)
    for a, b in zip(net.trainable, twin.trainable, strict=True):
        np.testing.assert_array_equal(a.weights, b.weights)
        np.testing.assert_array_equal(a.biases, b.biases)
    assert twin.optimizer.iterations == net.optimizer.iterations == 6
    # The copy has its own state, owned by its own optimizer.
    state, twin_state = net.layers[0].optimizer_state, twin.layers[0].optimizer_state
    assert twin_state.owner is twin.optimizer and state.owner is net.optimizer
    for name in state:
        for key in state[name]:
            assert not np.shares_memory(state[name][key], twin_state[name][key])


def test_a_deep_copy_of_adam_keeps_its_moments():
    # The review's case: with the state keyed by id(layer), the copy's first Adam step
    # used fresh moments with t = 4 and came out 1.96 times as large as the original's.
    net = small_network(Adam(0.01))
    net.fit(X3, Y3, 3, verbose=False)
    twin = copy.deepcopy(net)
    w0 = net.layers[0].weights.copy()
    net.fit(X3, Y3, 1, verbose=False)
    twin.fit(X3, Y3, 1, verbose=False)
    np.testing.assert_array_equal(twin.layers[0].weights - w0, net.layers[0].weights - w0)


def test_state_lives_with_the_layer():
    net = small_network(Adam(0.01))
    net.fit(X3, Y3, 2, verbose=False)
    state = net.layers[0].optimizer_state
    assert state.owner is net.optimizer
    assert set(state) == {"weights", "biases"} and set(state["weights"]) == {"m", "v"}
    assert state["weights"]["m"].shape == net.layers[0].weights.shape
    assert not hasattr(net.layers[1], "optimizer_state")  # ReLU has no parameters


def test_a_used_optimizer_refuses_a_new_network():
    opt = Adam(0.01)
    small_network(opt).fit(X3, Y3, 2, verbose=False)
    fresh = small_network(None, seed=1)
    fresh.optimizer = opt
    before = [layer.weights.copy() for layer in fresh.trainable]
    with pytest.raises(ValueError, match=r"already taken 2 step\(s\).*cannot take over Dense\(2, 8\).*"
                                         r"its own optimizer"):
        fresh.fit(X3, Y3, 1, verbose=False)
    for layer, w in zip(fresh.trainable, before, strict=True):
        np.testing.assert_array_equal(layer.weights, w)
    assert opt.iterations == 2


def test_a_new_optimizer_takes_over_a_trained_network_from_scratch():
    # A trained network given a fresh SGD with momentum: the first step has no velocity
    # from before, so it is the plain SGD step.
    net = small_network(SGD(0.5, momentum=0.9))
    net.fit(X3, Y3, 4, verbose=False)
    plain = copy.deepcopy(net)
    net.optimizer = SGD(0.1, momentum=0.9)
    plain.optimizer = SGD(0.1)
    net.fit(X3, Y3, 1, verbose=False)
    plain.fit(X3, Y3, 1, verbose=False)
    np.testing.assert_array_equal(net.layers[0].weights, plain.layers[0].weights)
    assert net.layers[0].optimizer_state.owner is net.optimizer
    # A copy of the optimizer alone owns no layer: having taken steps, it refuses them.
    lone_copy = copy.deepcopy(net.optimizer)
    with pytest.raises(ValueError, match="cannot take over"):
        lone_copy.step(net.layers)
