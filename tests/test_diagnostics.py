"""Tests for nnlib.diagnostics: gradient norms by layer and the learning-rate range test.

The gradient norms are compared with norms of the suite's own central differences
(tests/conftest.py). The range test is compared with a plain-NumPy re-implementation
of the same run on a linear model, and its suggestion with values worked out by hand.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

import nnlib
from nnlib import SGD, Adam, Dense, MeanSquaredError, Network, ReLU, Sigmoid, SoftmaxCrossEntropy
from nnlib.diagnostics import LRRangeTest, gradient_norms, lr_range_test, smooth


def _classifier(seed=0, optimizer=None):
    rng = np.random.default_rng(seed)
    layers = [Dense(4, 5, rng=rng, init="he"), Sigmoid(), Dense(5, 3, rng=rng, init="he"), ReLU(),
              Dense(3, 2, rng=rng, init="he")]
    for layer in layers[::2]:
        layer.biases[...] = rng.normal(size=layer.biases.shape)   # biases that are not zero
    return Network(layers, SoftmaxCrossEntropy(), optimizer or SGD(0.1))


def _data(n=12, d=4, classes=2, seed=1):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, d)), rng.integers(0, classes, size=n)


# ---------------------------------------------------------------------------------- gradient_norms


def test_gradient_norms_are_the_norms_of_the_numerical_weight_gradients(num_grad):
    net = _classifier()
    X, y = _data()
    out = net.forward(X)
    net.backward(out, y)
    norms = gradient_norms(net)
    expected = []
    for layer in net.trainable:
        numeric = num_grad(lambda: net.loss.forward(net.forward(X), y), layer.weights)
        expected.append(np.linalg.norm(numeric))
    assert norms.shape == (3,)
    np.testing.assert_allclose(norms, expected, rtol=1e-6)   # first layer first


def test_gradient_norms_leave_out_the_biases():
    net = _classifier()
    X, y = _data()
    net.backward(net.forward(X), y)
    before = gradient_norms(net)
    for layer in net.trainable:
        layer.dbiases = layer.dbiases + 1e6
    np.testing.assert_array_equal(gradient_norms(net), before)


def test_gradient_norms_after_fit_are_those_of_the_last_batch():
    net = _classifier()
    X, y = _data()
    net.fit(X, y, 3, batch_size=5, rng=0, verbose=False)
    norms = gradient_norms(net)
    assert norms.shape == (3,) and np.all(np.isfinite(norms)) and np.all(norms > 0)


def test_gradient_norms_refuse_what_they_cannot_measure():
    net = _classifier()
    with pytest.raises(TypeError, match="takes an nnlib Network"):
        gradient_norms(net.layers)
    net.forward(_data()[0])
    with pytest.raises(RuntimeError, match="has not been through a backward pass"):
        gradient_norms(net)
    with pytest.raises(ValueError, match="no layer with weights"):
        gradient_norms(Network([Sigmoid()], MeanSquaredError()))


# ----------------------------------------------------------------------------------- lr_range_test


def test_the_learning_rate_grows_geometrically_from_lr_min_to_lr_max():
    X, y = _data()
    test = lr_range_test(_classifier(), X, y, lr_min=1e-3, lr_max=1e-1, steps=9, batch_size=4, rng=0)
    assert isinstance(test, LRRangeTest) and not test.diverged
    assert len(test.learning_rates) == len(test.losses) == 9
    # 1e-3 to 1e-1 in 8 equal factors: each step multiplies the rate by 100 ** (1/8).
    np.testing.assert_allclose(test.learning_rates, 1e-3 * 100 ** (np.arange(9) / 8))
    assert test.learning_rates[0] == pytest.approx(1e-3) and test.learning_rates[-1] == pytest.approx(1e-1)


def test_losses_match_a_plain_numpy_run_of_the_same_schedule():
    """A linear model with mean squared error, full batch: every step written out in NumPy."""
    rng = np.random.default_rng(3)
    X, Y = rng.normal(size=(8, 3)), rng.normal(size=(8, 2))
    layer = Dense(3, 2, rng=4)
    layer.biases[...] = [[0.5, -0.2]]
    net = Network([layer], MeanSquaredError(), SGD(1.0))
    test = lr_range_test(net, X, Y, lr_min=0.01, lr_max=0.5, steps=6, batch_size=8, rng=0)

    W, b = layer.weights.copy(), layer.biases.copy()
    rates, losses = 0.01 * 50 ** (np.arange(6) / 5), []
    for lr in rates:
        Z = X @ W + b
        losses.append(np.mean((Z - Y) ** 2))          # the loss before the step
        dZ = 2 * (Z - Y) / Z.size
        W, b = W - lr * X.T @ dZ, b - lr * dZ.sum(axis=0, keepdims=True)
    np.testing.assert_allclose(test.learning_rates, rates)
    np.testing.assert_allclose(test.losses, losses, rtol=1e-12)


def test_the_network_and_its_optimizer_are_left_unchanged():
    net = _classifier(optimizer=Adam(0.01))
    X, y = _data()
    weights = [copy.deepcopy(layer.params) for layer in net.trainable]
    lr_range_test(net, X, y, steps=20, batch_size=4, rng=0)
    for layer, before in zip(net.trainable, weights, strict=True):
        for name, value in layer.params.items():
            np.testing.assert_array_equal(value, before[name])
        assert not hasattr(layer, "optimizer_state")
    assert net.optimizer.iterations == 0 and net.optimizer.learning_rate == 0.01


def test_the_run_stops_when_the_loss_blows_up():
    net = _classifier(seed=2)
    X, y = _data(n=40)
    test = lr_range_test(net, X, y, lr_min=1e-3, lr_max=1e6, steps=60, batch_size=8, rng=0)
    assert test.diverged and 1 < len(test.losses) < 60
    assert np.all(np.isfinite(test.losses))
    np.testing.assert_allclose(test.smoothed_losses, smooth(test.losses))
    # Every step but the last kept the smoothed loss within 4 times its lowest value before it.
    sm = test.smoothed_losses
    for t in range(1, len(sm) - 1):
        assert sm[t] <= 4 * sm[:t].min()


def test_without_smoothing_the_stop_looks_at_the_raw_loss():
    net = _classifier(seed=2)
    X, y = _data(n=40)
    test = lr_range_test(net, X, y, lr_min=1e-3, lr_max=1e6, steps=60, batch_size=8, rng=0, beta=0.0)
    np.testing.assert_array_equal(test.smoothed_losses, test.losses)
    for t in range(1, len(test.losses) - 1):
        assert test.losses[t] <= 4 * test.losses[:t].min()


def test_the_same_rng_gives_the_same_run_and_another_rng_another():
    X, y = _data(n=30)
    a = lr_range_test(_classifier(), X, y, steps=15, batch_size=6, rng=5)
    b = lr_range_test(_classifier(), X, y, steps=15, batch_size=6, rng=5)
    c = lr_range_test(_classifier(), X, y, steps=15, batch_size=6, rng=6)
    np.testing.assert_array_equal(a.losses, b.losses)
    assert not np.array_equal(a.losses, c.losses)


def test_a_float32_network_gives_the_float64_run_to_float32_precision():
    X, y = _data(n=30)
    kwargs = {"lr_max": 0.1, "steps": 10, "batch_size": 30, "rng": 0}   # full batch: no batch noise
    run64 = lr_range_test(_classifier(), X, y, **kwargs)
    run32 = lr_range_test(_classifier().astype(np.float32), X, y, **kwargs)
    assert len(run32.losses) == len(run64.losses) == 10
    np.testing.assert_allclose(run32.losses, run64.losses, rtol=1e-4)


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"lr_min": 0.0}, ValueError, "lr_min must be a positive number"),
        ({"lr_max": -1.0}, ValueError, "lr_max must be a positive number"),
        ({"lr_min": 1.0, "lr_max": 0.5}, ValueError, r"lr_max \(0.5\) must be larger than lr_min"),
        ({"steps": 1}, ValueError, "steps must be at least 2"),
        ({"steps": 2.5}, ValueError, "steps must be a positive integer"),
        ({"batch_size": 0}, ValueError, "batch_size must be a positive integer"),
        ({"stop_factor": 1.0}, ValueError, "stop_factor must be larger than 1"),
        ({"stop_factor": True}, ValueError, "stop_factor must be a positive number"),
        ({"beta": 1.0}, ValueError, r"beta must be in \[0, 1\)"),
    ],
)
def test_bad_settings_are_refused(kwargs, error, message):
    X, y = _data()
    with pytest.raises(error, match=message):
        lr_range_test(_classifier(), X, y, **kwargs)


def test_bad_networks_and_data_are_refused():
    X, y = _data()
    with pytest.raises(TypeError, match="takes an nnlib Network"):
        lr_range_test([Dense(4, 2)], X, y)
    with pytest.raises(ValueError, match="needs a network with an optimizer"):
        lr_range_test(Network([Dense(4, 2)], SoftmaxCrossEntropy()), X, y)
    with pytest.raises(ValueError, match="decay=0.1"):
        lr_range_test(_classifier(optimizer=SGD(0.1, decay=0.1)), X, y)
    with pytest.raises(ValueError, match="samples"):
        lr_range_test(_classifier(), X, y[:-1])
    with pytest.raises(ValueError, match="columns"):
        lr_range_test(_classifier(), X[:, :3], y)


# ------------------------------------------------------------------------------------- suggestion


def test_smooth_by_hand():
    # beta 0.5: m = 0.5, then 0.25 + 1.5 = 1.75, then 0.875 + 0.5 * 1 = 1.375; divided by 1 - 0.5 ** (t + 1).
    np.testing.assert_allclose(smooth([1.0, 3.0, 1.0], beta=0.5), [1.0, 1.75 / 0.75, 1.375 / 0.875])
    np.testing.assert_array_equal(smooth([4.0, 2.0], beta=0.0), [4.0, 2.0])
    np.testing.assert_allclose(smooth([2.0] * 30), 2.0)      # bias correction: a constant stays constant
    with pytest.raises(ValueError, match="beta must be in"):
        smooth([1.0], beta=-0.1)


def test_suggestion_by_hand():
    lrs = np.array([1.0, 2, 4, 8, 16])
    test = LRRangeTest(learning_rates=lrs, losses=np.array([5.0, 1, 4, 2, 9]),
                       smoothed_losses=np.array([5.0, 4, 3, 3.5, 6]), diverged=True)
    # The smoothed loss is lowest (3) at lr 4, not where the raw loss is (1, at lr 2).
    assert test.suggestion() == pytest.approx(0.4)
    assert test.suggestion(factor=4) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="factor must be a number >= 1"):
        test.suggestion(factor=0.5)
    empty = LRRangeTest(np.array([]), np.array([]), np.array([]), diverged=True)
    with pytest.raises(ValueError, match="no step was recorded"):
        empty.suggestion()


def test_diagnostics_is_part_of_nnlib():
    assert nnlib.diagnostics.gradient_norms is gradient_norms
    assert "diagnostics" in nnlib.__all__
