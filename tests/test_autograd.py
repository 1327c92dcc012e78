"""Tests for nnlib.autograd: every operation's gradient against the suite's own central
differences, a whole network against nnlib's hand-written backward passes, accumulation
where a value branches, determinism, bad input, and training the spiral."""

from __future__ import annotations

import numpy as np
import pytest

import nnlib
from nnlib import SGD, Dense, Network, ReLU, SoftmaxCrossEntropy
from nnlib.autograd import Tensor, softmax_cross_entropy, unbroadcast

SEEDS = [0, 1, 2]


def projected(fn, arrays, G):
    """The scalar ``sum(fn(*tensors) * G)``, so that d/d(output) = G is a generic upstream gradient."""
    out = fn(*[Tensor(a) for a in arrays])
    return float(np.sum(out.data * G)) if out.ndim else float(out.data) * G


def autograd_grads(fn, arrays, G):
    tensors = [Tensor(a) for a in arrays]
    out = fn(*tensors)
    out.backward(np.broadcast_to(G, out.shape) if out.ndim else None)
    scale = 1.0 if out.ndim else G
    return out, [t.grad * scale for t in tensors]


# name, function, shapes of the inputs, how to draw them ("n" normal, "p" positive, "k" away from 0)
OPS = [
    ("add", lambda a, b: a + b, [(4, 3), (4, 3)], "nn"),
    ("add, bias row", lambda a, b: a + b, [(4, 3), (1, 3)], "nn"),
    ("add, column", lambda a, b: a + b, [(4, 1), (4, 3)], "nn"),
    ("add, row and column", lambda a, b: a + b, [(4, 1), (1, 3)], "nn"),
    ("add a number", lambda a: a + 2.5, [(3, 2)], "n"),
    ("number plus", lambda a: 2.5 + a, [(3, 2)], "n"),
    ("array on the left", lambda a: np.arange(6.0).reshape(3, 2) + a, [(3, 2)], "n"),
    ("sub", lambda a, b: a - b, [(4, 3), (1, 3)], "nn"),
    ("number minus", lambda a: 1.0 - a, [(3, 2)], "n"),
    ("neg", lambda a: -a, [(3, 2)], "n"),
    ("mul", lambda a, b: a * b, [(4, 3), (4, 3)], "nn"),
    ("mul, bias row", lambda a, b: a * b, [(4, 3), (1, 3)], "nn"),
    ("mul, column", lambda a, b: a * b, [(4, 1), (4, 3)], "nn"),
    ("mul by a number", lambda a: a * -3.0, [(3, 2)], "n"),
    ("div", lambda a, b: a / b, [(4, 3), (1, 3)], "nk"),
    ("number over", lambda a: 2.0 / a, [(3, 2)], "k"),
    ("square", lambda a: a**2, [(3, 2)], "n"),
    ("cube", lambda a: a**3, [(3, 2)], "n"),
    ("inverse", lambda a: a**-1, [(3, 2)], "k"),
    ("sqrt", lambda a: a**0.5, [(3, 2)], "p"),
    ("matmul", lambda a, b: a @ b, [(5, 3), (3, 4)], "nn"),
    ("matmul, one sample", lambda a, b: a @ b, [(1, 3), (3, 2)], "nn"),
    ("matmul with an array", lambda a: a @ np.arange(6.0).reshape(2, 3), [(4, 2)], "n"),
    ("array matmul", lambda a: np.arange(8.0).reshape(4, 2) @ a, [(2, 3)], "n"),
    ("transpose", lambda a: a.T, [(3, 5)], "n"),
    ("x @ W.T", lambda a, b: a @ b.T, [(5, 3), (4, 3)], "nn"),
    ("sum", lambda a: a.sum(), [(4, 3)], "n"),
    ("sum axis 0", lambda a: a.sum(axis=0), [(4, 3)], "n"),
    ("sum axis 1 keepdims", lambda a: a.sum(axis=1, keepdims=True), [(4, 3)], "n"),
    ("sum axis -1", lambda a: a.sum(axis=-1), [(4, 3)], "n"),
    ("mean", lambda a: a.mean(), [(4, 3)], "n"),
    ("mean axis 0 keepdims", lambda a: a.mean(axis=0, keepdims=True), [(4, 3)], "n"),
    ("mean axis 1", lambda a: a.mean(axis=1), [(4, 3)], "n"),
    ("exp", lambda a: a.exp(), [(4, 3)], "n"),
    ("log", lambda a: a.log(), [(4, 3)], "p"),
    ("relu", lambda a: a.relu(), [(4, 3)], "k"),
    ("3-D add", lambda a, b: a + b, [(2, 3, 4), (1, 3, 1)], "nn"),
    ("3-D sum axis 1", lambda a: a.sum(axis=1), [(2, 3, 4)], "n"),
    ("composite", lambda a, b: ((a @ b).relu() * 2.0 - (a @ b).exp() / 3.0).mean(axis=0),
     [(5, 3), (3, 4)], "kn"),
]


def draw(rng, shape, kind):
    if kind == "p":
        return rng.uniform(0.5, 2.0, size=shape)
    if kind == "k":  # away from 0: no kink of relu, no blow-up of 1/x within h
        return rng.choice([-1.0, 1.0], size=shape) * rng.uniform(0.3, 1.5, size=shape)
    return rng.standard_normal(shape)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name, fn, shapes, kinds", OPS, ids=[op[0] for op in OPS])
def test_gradient_of_every_op_matches_central_differences(name, fn, shapes, kinds, seed,
                                                          num_grad, rel_err):
    rng = np.random.default_rng(seed)
    arrays = [draw(rng, s, k) for s, k in zip(shapes, kinds, strict=True)]
    out = fn(*[Tensor(a) for a in arrays])
    G = rng.standard_normal(out.shape) if out.ndim else float(rng.standard_normal())
    _, grads = autograd_grads(fn, arrays, G)
    for a, grad in zip(arrays, grads, strict=True):
        assert grad.shape == a.shape
        numeric = num_grad(lambda: projected(fn, arrays, G), a)
        assert rel_err(grad, numeric) < 1e-7, name


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("N, C", [(1, 2), (6, 3), (20, 5)])
def test_softmax_cross_entropy_gradient_and_value(N, C, seed, num_grad, rel_err):
    rng = np.random.default_rng(seed)
    z = 3 * rng.standard_normal((N, C))
    y = rng.integers(0, C, size=N)
    logits = Tensor(z)
    loss = softmax_cross_entropy(logits, y)
    # value by the definition, written independently: -mean log(exp(z_y) / sum exp(z))
    by_definition = -np.mean([np.log(np.exp(z[i, y[i]]) / np.exp(z[i]).sum()) for i in range(N)])
    assert loss.item() == pytest.approx(by_definition, rel=1e-12)
    loss.backward()
    numeric = num_grad(lambda: softmax_cross_entropy(Tensor(z), y).item(), z)
    assert rel_err(logits.grad, numeric) < 1e-7


def test_softmax_cross_entropy_is_stable_for_huge_logits():
    z = np.array([[1000.0, 0.0, -1000.0], [0.0, 1000.0, 2000.0]])
    logits = Tensor(z)
    loss = softmax_cross_entropy(logits, np.array([0, 1]))
    assert loss.item() == pytest.approx(1000.0 / 2)  # 0 for the first row, 1000 for the second
    loss.backward()
    np.testing.assert_allclose(logits.grad, [[0, 0, 0], [0, -0.5, 0.5]], atol=1e-12)


def test_softmax_cross_entropy_scales_with_the_upstream_gradient():
    z = np.random.default_rng(3).standard_normal((4, 3))
    y = np.array([0, 1, 2, 1])
    a, b = Tensor(z), Tensor(z)
    softmax_cross_entropy(a, y).backward()
    (softmax_cross_entropy(b, y) * 5.0).backward()
    np.testing.assert_allclose(b.grad, 5.0 * a.grad, rtol=1e-14)


# --------------------------------------------------------------------------- against nnlib's layers


def layers_and_tensors(seed, n_in=2, n_hidden=64, n_out=3):
    rng = np.random.default_rng(seed)
    d1, d2 = Dense(n_in, n_hidden, rng=rng), Dense(n_hidden, n_out, rng=rng)
    d1.biases[...] = 0.1 * rng.standard_normal(d1.biases.shape)  # non-zero biases: a real test
    d2.biases[...] = 0.1 * rng.standard_normal(d2.biases.shape)
    params = [Tensor(p) for p in (d1.weights, d1.biases, d2.weights, d2.biases)]
    return d1, d2, params


def autograd_loss(X, y, W1, b1, W2, b2):
    return softmax_cross_entropy((X @ W1 + b1).relu() @ W2 + b2, y)


@pytest.mark.parametrize("seed", SEEDS)
def test_network_gradients_match_the_hand_written_backward(seed):
    X, y = nnlib.data.spiral(100, 3, seed=seed)
    d1, d2, params = layers_and_tensors(seed)
    net = Network([d1, ReLU(), d2], SoftmaxCrossEntropy())
    out = net.forward(X)
    dX_hand = net.backward(out, y)
    X_t = Tensor(X)
    loss = autograd_loss(X_t, y, *params)
    loss.backward()
    assert loss.item() == pytest.approx(net.loss.forward(out, y), rel=1e-14)
    hand = [d1.dweights, d1.dbiases, d2.dweights, d2.dbiases, dX_hand]
    for tensor, g in zip([*params, X_t], hand, strict=True):
        assert tensor.grad.shape == g.shape
        assert np.abs(tensor.grad - g).max() <= 1e-12 * np.abs(g).max()


@pytest.mark.parametrize("seed", SEEDS)
def test_network_gradients_match_central_differences(seed, num_grad, rel_err):
    X, y = nnlib.data.spiral(10, 3, seed=seed)
    keep = np.linalg.norm(X, axis=1) > 0.2  # points at the origin put units on ReLU's kink
    X, y = X[keep], y[keep]
    _, _, params = layers_and_tensors(seed, n_hidden=8)
    arrays = [p.data.copy() for p in params]
    loss = autograd_loss(Tensor(X), y, *params)
    loss.backward()
    for p, a in zip(params, arrays, strict=True):
        numeric = num_grad(lambda: autograd_loss(Tensor(X), y, *map(Tensor, arrays)).item(), a)
        assert rel_err(p.grad, numeric) < 1e-6


# --------------------------------------------------------------------------- branching and accumulation


def test_a_value_used_twice_gets_both_contributions():
    x, y = Tensor(3.0), Tensor(-2.0)
    f = x * y + x  # df/dx = y + 1, df/dy = x
    f.backward()
    assert x.grad == pytest.approx(-1.0) and y.grad == pytest.approx(3.0)


def test_branching_on_arrays_and_x_times_x():
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    x, y = Tensor(a), Tensor(b)
    (x * y + x).sum().backward()
    np.testing.assert_allclose(x.grad, b + 1.0, rtol=1e-14)
    np.testing.assert_allclose(y.grad, a, rtol=1e-14)
    z = Tensor(a)
    (z * z).sum().backward()
    np.testing.assert_allclose(z.grad, 2 * a, rtol=1e-14)
    w = Tensor(a)
    (w @ w.T).sum().backward()  # both factors are w: d/dw sum(w w^T) = 2 * (row sums of w) broadcast
    np.testing.assert_allclose(w.grad, 2 * np.ones((3, 3)) @ a, rtol=1e-13)


def test_an_intermediate_used_three_times():
    x = Tensor(0.5)
    h = x.exp()
    f = h * h + h  # f = e^(2x) + e^x
    f.backward()
    assert x.grad == pytest.approx(2 * np.exp(1.0) + np.exp(0.5), rel=1e-14)
    assert h.grad == pytest.approx(2 * np.exp(0.5) + 1, rel=1e-14)


def test_leaves_accumulate_over_backward_calls_and_zero_grad_resets():
    x, y = Tensor([[1.0, 2.0]]), Tensor([[3.0, -1.0]])
    f = (x * y).sum()
    mid = f._parents[0]  # the product x * y, an intermediate result
    f.backward()
    f.backward()  # no zero_grad: leaves add up, as in PyTorch
    np.testing.assert_array_equal(x.grad, 2 * y.data)
    np.testing.assert_array_equal(mid.grad, np.ones((1, 2)))  # intermediates: this pass only
    x.zero_grad()
    assert not x.grad.any()
    f.backward()
    np.testing.assert_array_equal(x.grad, y.data)
    np.testing.assert_array_equal(y.grad, 3 * x.data)


def test_a_graph_deeper_than_the_recursion_limit():
    x = Tensor(1.0)
    f = x
    for _ in range(5000):
        f = f + x  # f = 5001 x
    f.backward()
    assert x.grad == pytest.approx(5001.0)


def test_topological_order_lists_parents_first():
    from nnlib.autograd import _topological_order

    x = Tensor(np.ones((2, 2)))
    a = x.exp()
    b = a * x
    c = a + b
    order = _topological_order(c.sum())
    position = {id(t): i for i, t in enumerate(order)}
    for node in order:
        for parent in node._parents:
            assert position[id(parent)] < position[id(node)]
    assert len(order) == len({id(t) for t in order})  # each tensor once


def test_unbroadcast_against_loops():
    rng = np.random.default_rng(0)
    g = rng.standard_normal((4, 3))
    np.testing.assert_allclose(unbroadcast(g, (1, 3)), [[sum(g[i, j] for i in range(4)) for j in range(3)]])
    np.testing.assert_allclose(unbroadcast(g, (4, 1)), [[sum(g[i])] for i in range(4)])
    assert unbroadcast(g, ()).shape == () and unbroadcast(g, ()) == pytest.approx(g.sum())
    assert unbroadcast(g, (4, 3)) is g


# --------------------------------------------------------------------------- no surprises


def test_tensor_copies_its_data_and_backward_changes_no_data():
    a = np.array([[1.0, -2.0]])
    t = Tensor(a)
    a[0, 0] = 99.0
    assert t.data[0, 0] == 1.0
    before = t.data.copy()
    (t.relu() * 3.0).sum().backward()
    np.testing.assert_array_equal(t.data, before)


def test_integers_become_float64():
    t = Tensor([[1, 2]])
    assert t.data.dtype == np.float64 and t.grad.dtype == np.float64
    assert Tensor(np.ones(2, dtype=np.float32)).data.dtype == np.float64


def test_same_inputs_same_gradients():
    X, y = nnlib.data.spiral(30, 3, seed=4)
    runs = []
    for _ in range(2):
        _, _, params = layers_and_tensors(7)
        autograd_loss(Tensor(X), y, *params).backward()
        runs.append([p.grad.copy() for p in params])
    for g1, g2 in zip(*runs, strict=True):
        np.testing.assert_array_equal(g1, g2)


def test_repr_and_item():
    t = Tensor(np.zeros((2, 3)))
    assert repr(t) == "Tensor(shape=(2, 3), op='')"
    assert repr(t.sum()) == "Tensor(shape=(), op='sum')"
    assert t.sum().item() == 0.0 and isinstance(t.sum().item(), float)


# --------------------------------------------------------------------------- bad input


def test_backward_on_a_non_scalar_needs_a_gradient():
    t = Tensor(np.ones((3, 2))) * 2.0
    with pytest.raises(ValueError, match=r"single number.*\(3, 2\).*\.sum\(\)"):
        t.backward()
    with pytest.raises(ValueError, match=r"grad has shape \(2, 3\), expected .*\(3, 2\)"):
        t.backward(np.ones((2, 3)))
    with pytest.raises(ValueError, match="non-finite"):
        t.backward(np.full((3, 2), np.nan))


@pytest.mark.parametrize("a, b", [((4, 1), (4,)), ((4,), (4, 1)), ((1, 3), (3,))])
def test_mixed_numbers_of_dimensions_are_refused(a, b):
    with pytest.raises(ValueError, match=r"numbers of dimensions differ.*\(N, N\)"):
        Tensor(np.ones(a)) + Tensor(np.ones(b))
    with pytest.raises(ValueError, match="numbers of dimensions differ"):
        Tensor(np.ones(a)) * np.ones(b)


def test_incompatible_shapes_are_refused():
    with pytest.raises(ValueError, match=r"\(4, 3\) and \(4, 2\).*size 1"):
        Tensor(np.ones((4, 3))) + Tensor(np.ones((4, 2)))


def test_matmul_shape_errors():
    with pytest.raises(ValueError, match=r"2-D.*reshape\(1, -1\)"):
        Tensor(np.ones(3)) @ Tensor(np.ones((3, 2)))
    with pytest.raises(ValueError, match="2-D"):
        Tensor(np.ones((2, 3, 4))) @ Tensor(np.ones((4, 2)))
    with pytest.raises(ValueError, match=r"inner sizes 2 and 3 differ\.$"):
        Tensor(np.ones((4, 2))) @ Tensor(np.ones((3, 5)))
    # a weight matrix stored (out, in), PyTorch-style: the hint says so
    with pytest.raises(ValueError, match=r"inner sizes 2 and 5 differ.*x @ W\.T"):
        Tensor(np.ones((4, 2))) @ Tensor(np.ones((5, 2)))
    with pytest.raises(ValueError, match="2-D"):
        _ = Tensor(np.ones(3)).T


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_data_is_refused(bad):
    with pytest.raises(ValueError, match=r"non-finite.*index \(1, 0\)"):
        Tensor([[1.0, 2.0], [bad, 3.0]])


def test_overflow_and_bad_domains_raise_clear_errors():
    with pytest.raises(ValueError, match="the result of exp"):
        Tensor([[800.0]]).exp()
    with pytest.raises(ValueError, match=r"log needs positive inputs.*-1"):
        Tensor([[1.0, -1.0]]).log()
    with pytest.raises(ValueError, match="log needs positive inputs"):
        Tensor([[0.0]]).log()
    with pytest.raises(ValueError, match=r"the result of \*\* -1"):
        Tensor([[0.0, 1.0]]) ** -1
    with pytest.raises(ValueError, match=r"the result of \*\* 0.5"):
        Tensor([[-4.0]]) ** 0.5
    with pytest.raises(TypeError, match="plain number"):
        Tensor([[2.0]]) ** Tensor([[2.0]])


def test_a_gradient_that_overflows_is_reported():
    x = Tensor([[1e-310]])  # positive, but 1 / x overflows in the backward pass of log
    with pytest.raises(ValueError, match="gradient of a tensor made by you"):
        x.log().sum().backward()


def test_non_numbers_are_refused():
    with pytest.raises(TypeError, match="real numbers"):
        Tensor(["a", "b"])
    with pytest.raises(TypeError, match="real numbers"):
        Tensor([1 + 2j])
    with pytest.raises(TypeError, match="already a Tensor"):
        Tensor(Tensor(1.0))
    with pytest.raises(ValueError, match="single number"):
        Tensor(np.ones(2)).item()


def test_softmax_cross_entropy_refuses_bad_labels_and_logits():
    z = Tensor(np.zeros((3, 4)))
    with pytest.raises(ValueError, match=r"label\(s\) \[4\] outside the valid range 0..3"):
        softmax_cross_entropy(z, np.array([0, 1, 4]))
    with pytest.raises(ValueError, match=r"outside the valid range"):
        softmax_cross_entropy(z, np.array([0, -1, 2]))
    with pytest.raises(TypeError, match="integer class labels.*astype"):
        softmax_cross_entropy(z, np.array([0.0, 1.0, 2.0]))
    with pytest.raises(ValueError, match="3 rows"):
        softmax_cross_entropy(z, np.array([0, 1]))
    with pytest.raises(ValueError, match=r"2-D \(N, C\)"):
        softmax_cross_entropy(Tensor(np.zeros(4)), np.array([0]))


def test_no_runtime_warnings_on_refused_input():
    # pyproject.toml turns RuntimeWarnings raised inside nnlib into errors; refusals stay clean
    with pytest.raises(ValueError):
        Tensor([[1000.0]]).exp()
    with pytest.raises(ValueError):
        Tensor([[0.0]]) ** -1


# --------------------------------------------------------------------------- training


def train_with_autograd(X, y, seed, epochs, lr=0.2, mu=0.9):
    """Full-batch SGD with momentum in nnlib's form (v = mu v - lr g; p += v)."""
    _, _, params = layers_and_tensors(seed)
    velocity = [np.zeros_like(p.data) for p in params]
    X_t = Tensor(X)
    losses = []
    for _ in range(epochs):
        for p in params:
            p.zero_grad()
        loss = autograd_loss(X_t, y, *params)
        loss.backward()
        losses.append(loss.item())
        for p, v in zip(params, velocity, strict=True):
            v *= mu
            v -= lr * p.grad
            p.data += v
    return params, losses


def test_training_the_spiral_with_autograd():
    X, y = nnlib.data.spiral(100, 3, seed=0)
    params, losses = train_with_autograd(X, y, seed=0, epochs=1000)
    assert losses[0] == pytest.approx(np.log(3), abs=0.05)
    logits = (Tensor(X) @ params[0] + params[1]).relu() @ params[2] + params[3]
    accuracy = np.mean(logits.data.argmax(axis=1) == y)
    assert losses[-1] < 0.8 and accuracy > 0.65


def test_training_with_autograd_reproduces_network_fit():
    X, y = nnlib.data.spiral(100, 3, seed=1)
    params, losses = train_with_autograd(X, y, seed=5, epochs=200)
    d1, d2, _ = layers_and_tensors(5)
    net = Network([d1, ReLU(), d2], SoftmaxCrossEntropy(), SGD(learning_rate=0.2, momentum=0.9))
    history = net.fit(X, y, epochs=200, verbose=False)
    np.testing.assert_allclose(losses, history.loss, rtol=1e-10)
    for p, hand in zip(params, [d1.weights, d1.biases, d2.weights, d2.biases], strict=True):
        np.testing.assert_allclose(p.data, hand, rtol=1e-9, atol=1e-12)


def test_relu_gradient_at_exactly_zero_is_zero_as_in_nnlib_relu():
    z = np.array([[-1.0, 0.0, 2.0]])
    t = Tensor(z)
    t.relu().backward(np.ones((1, 3)))
    relu = ReLU()
    relu.forward(z)
    np.testing.assert_array_equal(t.grad, relu.backward(np.ones((1, 3))))
    np.testing.assert_array_equal(t.grad, [[0.0, 0.0, 1.0]])
