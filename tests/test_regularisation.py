"""Tests for nnlib.regularisation: the L1 and L2 penalties (values, gradients against the suite's
own central differences, what fit records) and the Dropout layer (inverted scaling, the mask,
the training flag, determinism), and how Network and check_network use them."""

from __future__ import annotations

import copy
import math

import numpy as np
import pytest

import nnlib
from nnlib import (
    L1,
    L2,
    SGD,
    Adam,
    Dense,
    Dropout,
    MeanSquaredError,
    Network,
    Penalty,
    ReLU,
    SoftmaxCrossEntropy,
    check_network,
)


def spiral_data(n=20, seed=0):
    return nnlib.data.spiral(n, 3, seed=seed)


def penalised_net(penalty, seed=0, optimizer=None, dropout=None, dtype=np.float64):
    gen = np.random.default_rng(seed)
    layers = [Dense(2, 16, rng=gen, init=1.0, dtype=dtype), ReLU()]
    if dropout is not None:
        layers.append(Dropout(dropout, rng=seed + 100))
    layers.append(Dense(16, 3, rng=gen, init=1.0, dtype=dtype))
    for layer in layers:  # non-zero biases, so that a bias penalty would show
        if isinstance(layer, Dense):
            layer.biases[...] = gen.standard_normal(layer.biases.shape)
    return Network(layers, SoftmaxCrossEntropy(), optimizer, penalty=penalty)


def objective_by_hand(net, X, y, penalty_of_weights):
    """Mean softmax cross-entropy (written here, not nnlib's) plus a penalty on the weights only."""
    z = net.forward(X)
    z = z - z.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    data = -np.mean(log_p[np.arange(len(y)), y])
    return data + sum(penalty_of_weights(layer.weights) for layer in net.trainable)


# --------------------------------------------------------------------------- penalty values


@pytest.mark.parametrize("lam", [0.0, 1e-3, 0.7])
def test_l2_and_l1_values_are_sums_over_the_weights_only(lam):
    net = penalised_net(None)
    W = [layer.weights for layer in net.trainable]
    expected_l2 = lam * sum(float((w**2).sum()) for w in W)
    expected_l1 = lam * sum(float(np.abs(w).sum()) for w in W)
    assert L2(lam).value(net.trainable) == pytest.approx(expected_l2, rel=1e-13, abs=0)
    assert L1(lam).value(net.trainable) == pytest.approx(expected_l1, rel=1e-13, abs=0)
    assert isinstance(L2(lam).value(net.trainable), float)


def test_the_penalty_ignores_the_biases():
    net = Network([Dense(2, 3, rng=0)], SoftmaxCrossEntropy(), penalty=L2(1.0))
    before = net.penalty_loss()
    net.layers[0].biases[...] = 100.0
    assert net.penalty_loss() == before


def test_penalty_loss_is_zero_without_a_penalty_and_objective_adds_it():
    X, y = spiral_data()
    plain = penalised_net(None)
    assert plain.penalty_loss() == 0.0
    assert plain.objective(X, y) == plain.evaluate(X, y)["loss"]
    net = penalised_net(L2(0.01))
    expected = objective_by_hand(net, X, y, lambda w: 0.01 * np.sum(w**2))
    assert net.objective(X, y) == pytest.approx(expected, rel=1e-12)
    assert net.evaluate(X, y)["loss"] < net.objective(X, y)  # evaluate reports the data loss alone


# --------------------------------------------------------------------------- penalty gradients


@pytest.mark.parametrize("penalty, r", [
    (L2(0.05), lambda w: 0.05 * np.sum(w**2)),
    (L1(0.05), lambda w: 0.05 * np.sum(np.abs(w))),
])
def test_network_backward_gives_the_gradient_of_the_objective(penalty, r, num_grad, rel_err):
    X, y = spiral_data(10)
    net = penalised_net(penalty, seed=3)
    for layer in net.trainable:  # keep every weight well away from L1's kink at 0
        layer.weights[np.abs(layer.weights) < 1e-3] = 0.1
    net.backward(net.forward(X), y)
    for layer in net.trainable:
        for name in ("weights", "biases"):
            numeric = num_grad(lambda: objective_by_hand(net, X, y, r), layer.params[name])
            assert rel_err(layer.grads[name], numeric) < 1e-7, name


def test_l2_gradient_is_two_lambda_w_and_leaves_the_biases_alone():
    X, y = spiral_data(10)
    plain, net = penalised_net(None), penalised_net(L2(0.3))
    plain.backward(plain.forward(X), y)
    net.backward(net.forward(X), y)
    for a, b in zip(plain.trainable, net.trainable, strict=True):
        np.testing.assert_allclose(b.dweights - a.dweights, 0.6 * b.weights, rtol=1e-12, atol=1e-15)
        np.testing.assert_array_equal(b.dbiases, a.dbiases)


def test_l1_subgradient_at_zero_is_zero():
    X, y = spiral_data(10)
    plain, net = penalised_net(None), penalised_net(L1(0.3))
    for n in (plain, net):
        n.layers[0].weights[0, :3] = 0.0
    plain.backward(plain.forward(X), y)
    net.backward(net.forward(X), y)
    extra = net.layers[0].dweights - plain.layers[0].dweights
    np.testing.assert_array_equal(extra[0, :3], 0.0)
    np.testing.assert_allclose(extra[1], 0.3 * np.sign(net.layers[0].weights[1]), rtol=1e-12)
    assert np.all(extra[1] != 0)


def test_check_network_checks_the_regularised_objective():
    X, y = spiral_data(8)
    errors = check_network(penalised_net(L2(0.1), seed=1), X, y)
    assert max(errors.values()) < 1e-6  # would be about 1 if the penalty's gradient were left out

    class HalfL2(L2):  # a classic slip: the gradient lam W of lam sum W^2
        def _gradient(self, W):
            return self.strength * W

    errors = check_network(penalised_net(HalfL2(0.1), seed=1), X, y)
    assert errors["layer0.weights"] > 1e-3 and errors["layer2.weights"] > 1e-3
    assert errors["layer0.biases"] < 1e-6


def test_a_penalty_of_strength_zero_changes_nothing():
    X, y = spiral_data()
    a = penalised_net(None, optimizer=Adam(0.01))
    b = penalised_net(L2(0.0), optimizer=Adam(0.01))
    ha, hb = a.fit(X, y, 20, verbose=False), b.fit(X, y, 20, verbose=False)
    assert ha.loss == hb.loss == hb.data_loss
    for la, lb in zip(a.trainable, b.trainable, strict=True):
        np.testing.assert_array_equal(la.weights, lb.weights)


# --------------------------------------------------------------------------- fit with a penalty


def test_history_loss_is_data_loss_plus_penalty_before_each_update():
    X, y = spiral_data()
    net = penalised_net(L2(0.01), optimizer=SGD(0.5))
    penalties = [net.penalty_loss()]  # the penalty at the start of each epoch
    history = net.fit(X, y, 5, verbose=False, validation_data=(X, y),
                      callback=lambda epoch, n: penalties.append(n.penalty_loss()))
    np.testing.assert_allclose(np.subtract(history.loss, history.data_loss), penalties[:-1], rtol=1e-12)
    assert all(p > 0 for p in penalties)
    # Validation losses are data losses, measured after the epoch's update.
    assert history.val_loss[-1] == pytest.approx(net.evaluate(X, y)["loss"], rel=1e-12)


def test_mini_batch_fit_adds_the_whole_penalty_to_every_batch():
    X, y = spiral_data(10)  # 30 points in 3 batches of 10
    net = penalised_net(L1(0.02), optimizer=SGD(0.1))
    replay = copy.deepcopy(net)
    history = net.fit(X, y, 1, batch_size=10, rng=0, verbose=False)
    # Replay the epoch by hand: the same permutation, one full penalty per batch.
    order = np.random.default_rng(0).permutation(len(X))
    expected_loss = expected_data = 0.0
    for start in range(0, 30, 10):
        Xb, yb = X[order[start:start + 10]], y[order[start:start + 10]]
        out = replay.forward(Xb)
        data = replay.loss.forward(out, yb)
        expected_data += data / 3
        expected_loss += (data + 0.02 * sum(np.abs(layer.weights).sum() for layer in replay.trainable)) / 3
        replay.backward(out, yb)
        replay.optimizer.step(replay.trainable)
    assert history.data_loss[0] == pytest.approx(expected_data, rel=1e-12)
    assert history.loss[0] == pytest.approx(expected_loss, rel=1e-12)
    for a, b in zip(net.trainable, replay.trainable, strict=True):
        np.testing.assert_allclose(a.weights, b.weights, rtol=1e-12)


def test_l2_under_plain_sgd_is_weight_decay():
    """SGD on L + lam sum W^2 equals shrinking W by (1 - 2 eta lam), then a step on L alone."""
    X, y = spiral_data()
    eta, lam = 0.5, 0.01
    penalised = penalised_net(L2(lam), optimizer=SGD(eta))
    decayed = penalised_net(None, optimizer=SGD(eta))
    penalised.fit(X, y, 30, verbose=False)
    for _ in range(30):
        out = decayed.forward(X)
        decayed.backward(out, y)  # the data gradient, at the weights before the decay
        for layer in decayed.trainable:
            layer.weights *= 1 - 2 * eta * lam
        decayed.optimizer.step(decayed.trainable)
    for a, b in zip(penalised.trainable, decayed.trainable, strict=True):
        np.testing.assert_allclose(a.weights, b.weights, rtol=1e-10, atol=1e-13)
        np.testing.assert_allclose(a.biases, b.biases, rtol=1e-10, atol=1e-13)


def test_l2_shrinks_the_weights_and_the_progress_line_shows_the_data_loss(capsys):
    X, y = spiral_data(30)
    plain = penalised_net(None, optimizer=Adam(0.01))
    strong = penalised_net(L2(0.01), optimizer=Adam(0.01))
    plain.fit(X, y, 200, verbose=False)
    strong.fit(X, y, 200, verbose=True, print_every=100)
    def norm(n):
        return math.sqrt(sum(float((layer.weights**2).sum()) for layer in n.trainable))
    assert norm(strong) < 0.5 * norm(plain)
    assert "(data " in capsys.readouterr().out


def test_a_float32_network_keeps_its_dtype_under_a_penalty():
    X, y = spiral_data()
    net = penalised_net(L1(1e-3), optimizer=Adam(0.01), dtype=np.float32)
    net.fit(X, y, 5, verbose=False)
    assert all(layer.weights.dtype == np.float32 and layer.dweights.dtype == np.float32
               for layer in net.trainable)


def test_repr_shows_the_penalty():
    assert repr(L2(1e-3)) == "L2(0.001)" and repr(L1(0.5)) == "L1(0.5)"
    assert "penalty=L2(0.001)" in repr(penalised_net(L2(1e-3)))
    assert "penalty" not in repr(penalised_net(None))


@pytest.mark.parametrize("bad, error, words", [
    (-1e-3, ValueError, ">= 0"),
    (float("nan"), ValueError, "finite"),
    (float("inf"), ValueError, "finite"),
    (True, TypeError, "number"),
    ("1e-3", TypeError, "number"),
])
def test_penalty_strengths_are_checked(bad, error, words):
    for cls in (L1, L2):
        with pytest.raises(error, match=words):
            cls(bad)


def test_network_refuses_a_penalty_that_is_not_a_penalty():
    with pytest.raises(TypeError, match=r"Penalty such as L1\(\.\.\.\) or L2\(\.\.\.\)"):
        Network([Dense(2, 3)], SoftmaxCrossEntropy(), penalty=1e-3)
    assert issubclass(L1, Penalty) and issubclass(L2, Penalty)


# --------------------------------------------------------------------------- Dropout


def test_dropout_in_inference_mode_is_the_identity():
    x = np.random.default_rng(0).standard_normal((5, 4))
    layer = Dropout(0.5, rng=0)
    np.testing.assert_array_equal(layer.forward(x), x)
    np.testing.assert_array_equal(layer.forward(x, training=False), x)
    assert layer.mask is None
    d = np.ones_like(x)
    np.testing.assert_array_equal(layer.backward(d), d)


def test_dropout_training_output_is_zero_or_scaled_input():
    x = np.random.default_rng(1).standard_normal((200, 50)) + 3.0  # no zeros in x
    rate = 0.3
    out = Dropout(rate, rng=2).forward(x, training=True)
    kept = out != 0
    np.testing.assert_allclose(out[kept], x[kept] / (1 - rate), rtol=1e-15)
    # The number of dropped entries is Binomial(n, rate): allow 5 standard deviations.
    n = x.size
    assert abs((n - kept.sum()) - n * rate) < 5 * math.sqrt(n * rate * (1 - rate))


@pytest.mark.parametrize("rate", [0.1, 0.5, 0.8])
def test_dropout_output_has_the_input_as_its_expected_value(rate):
    """The mean of T draws of x * mask has mean x and standard deviation |x| sqrt(rate / ((1 - rate) T))."""
    gen = np.random.default_rng(3)
    x = gen.standard_normal((20, 30)) + 2.0
    layer, T = Dropout(rate, rng=4), 4000
    mean = sum(layer.forward(x, training=True) for _ in range(T)) / T
    z = (mean - x) / (np.abs(x) * math.sqrt(rate / ((1 - rate) * T)))
    assert np.max(np.abs(z)) < 5.5  # 600 entries: each beyond 5.5 sd with probability 4e-8
    assert 0.8 < np.mean(z**2) < 1.2  # standardised errors have variance 1 (chi-square / 600: sd 0.06)


def test_dropout_backward_uses_the_forward_mask():
    gen = np.random.default_rng(5)
    x, d = gen.standard_normal((6, 7)), gen.standard_normal((6, 7))
    layer = Dropout(0.4, rng=6)
    out = layer.forward(x, training=True)
    dx = layer.backward(d)
    np.testing.assert_array_equal(dx, d * layer.mask)
    np.testing.assert_array_equal(dx == 0, out == 0)


def test_dropout_backward_matches_central_differences_with_the_mask_held_fixed(num_grad, rel_err):
    gen = np.random.default_rng(7)
    x, G = gen.standard_normal((5, 8)), gen.standard_normal((5, 8))
    layer = Dropout(0.5)

    def f():  # the same seed before every forward: the same mask every time
        layer.rng = np.random.default_rng(8)
        return float(np.sum(layer.forward(x, training=True) * G))

    f()
    analytic = layer.backward(G)
    assert 0 < np.sum(analytic == 0) < analytic.size
    assert rel_err(analytic, num_grad(f, x)) < 1e-9


def test_dropout_is_deterministic_given_its_rng():
    x = np.ones((10, 10))
    a = Dropout(0.5, rng=9).forward(x, training=True)
    b = Dropout(0.5, rng=np.random.default_rng(9)).forward(x, training=True)
    c = Dropout(0.5, rng=10).forward(x, training=True)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    layer = Dropout(0.5, rng=9)
    first, second = layer.forward(x, training=True), layer.forward(x, training=True)
    assert not np.array_equal(first, second)  # a new mask for every training forward


def test_dropout_of_rate_zero_keeps_everything_and_float32_stays_float32():
    x = np.random.default_rng(0).standard_normal((4, 3))
    np.testing.assert_array_equal(Dropout(0.0, rng=0).forward(x, training=True), x)
    layer = Dropout(0.25, rng=0)
    out = layer.forward(x.astype(np.float32), training=True)
    assert out.dtype == np.float32 and layer.mask.dtype == np.float32
    assert layer.backward(np.ones((4, 3), dtype=np.float32)).dtype == np.float32


@pytest.mark.parametrize("bad, error, words", [
    (1.0, ValueError, "drop every unit"),
    (50, ValueError, "0.5, not 50"),
    (-0.1, ValueError, r"\[0, 1\)"),
    (float("nan"), ValueError, r"\[0, 1\)"),
    (True, TypeError, "number"),
    ("0.5", TypeError, "number"),
])
def test_dropout_rate_is_checked(bad, error, words):
    with pytest.raises(error, match=words):
        Dropout(bad)


def test_dropout_refuses_backward_before_forward_and_wrong_shapes():
    layer = Dropout(0.5, rng=0)
    with pytest.raises(RuntimeError, match="before forward"):
        layer.backward(np.ones((2, 2)))
    layer.forward(np.ones((2, 3)), training=True)
    with pytest.raises(ValueError, match="shape"):
        layer.backward(np.ones((3, 2)))
    with pytest.raises(TypeError, match="True or False"):
        layer.forward(np.ones((2, 3)), training="yes")
    with pytest.raises(ValueError, match="non-finite"):
        layer.forward(np.array([[np.nan]]), training=True)


# --------------------------------------------------------------------------- the training flag


class ModeSpy:
    """A layer of one's own that takes ``training=``: records the mode of every forward."""

    def __init__(self):
        self.modes = []

    def forward(self, inputs, training=False):
        self.modes.append(training)
        self.output = np.asarray(inputs)
        return self.output

    def backward(self, dvalues):
        return dvalues


def test_fit_trains_in_training_mode_and_measures_in_inference_mode():
    X, y = spiral_data(10)
    spy = ModeSpy()
    net = Network([Dense(2, 8, rng=0), ReLU(), spy, Dense(8, 3, rng=1)], SoftmaxCrossEntropy(), SGD(0.1))
    spy.modes.clear()
    net.fit(X, y, 3, batch_size=15, rng=0, verbose=False, validation_data=(X, y), evaluate_train=True,
            callback=lambda epoch, n: n.evaluate(X, y))
    # First the checks of the training and the validation data (inference), then per epoch: 2
    # batches (training), validation and training-set measurements and the callback's evaluate
    # (inference).
    assert spy.modes == [False, False] + [True, True, False, False, False] * 3
    spy.modes.clear()
    net.predict(X)
    net.evaluate(X, y)
    net.forward(X)
    net.forward(X, training=True)
    assert spy.modes == [False, False, False, True]


def test_a_network_with_dropout_fits_predicts_deterministically_and_checks():
    X, y = spiral_data(30)
    nets = [penalised_net(None, optimizer=Adam(0.02), dropout=0.3) for _ in range(2)]
    histories = [n.fit(X, y, 100, verbose=False) for n in nets]
    assert histories[0].loss == histories[1].loss
    assert histories[0].loss[-1] < 0.7 * histories[0].loss[0]
    np.testing.assert_array_equal(nets[0].predict(X), nets[1].predict(X))
    np.testing.assert_array_equal(nets[0].predict(X), nets[0].predict(X))  # inference: no randomness
    twin = copy.deepcopy(nets[0])  # the copy carries the generator's state along
    h0, h1 = nets[0].fit(X, y, 3, verbose=False), twin.fit(X, y, 3, verbose=False)
    assert h0.loss == h1.loss
    errors = check_network(penalised_net(L2(0.01), dropout=0.5), X[:9], y[:9])
    assert max(errors.values()) < 1e-6


def test_dropout_keeps_the_width_for_the_size_check():
    with pytest.raises(ValueError, match="expects 5 inputs"):
        Network([Dense(2, 4), ReLU(), Dropout(0.5), Dense(5, 3)], SoftmaxCrossEntropy())
    Network([Dense(2, 4), Dropout(0.5), Dense(4, 1)], MeanSquaredError())
