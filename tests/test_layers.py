"""Tests for nnlib.layers.Dense: forward values, gradients, shapes and input checks."""

from __future__ import annotations

import numpy as np
import pytest

from nnlib import Dense

SHAPES = [(1, 1, 1), (3, 4, 5), (7, 2, 3), (10, 6, 2)]  # (N, n_inputs, n_outputs)
SEEDS = [0, 1, 2]


def dense_with(weights, biases):
    """A Dense layer holding the given (n_in, n_out) weights and (n_out,) biases."""
    w = np.asarray(weights, dtype=np.float64)
    layer = Dense(w.shape[0], w.shape[1], rng=0)
    layer.weights[...] = w
    layer.biases[...] = np.asarray(biases, dtype=np.float64).reshape(1, -1)
    return layer


# --------------------------------------------------------------------------- forward values


def test_seed_001_single_neuron():
    # By hand: 7*0.1 + 3*(-0.6) + 2*0.5 + 1 = 0.7 - 1.8 + 1.0 + 1 = 0.9
    # (seed 001 prints round(new_node, 1), which is 0.9.)
    layer = dense_with([[0.1], [-0.6], [0.5]], [1.0])
    out = layer.forward([[7, 3, 2]])
    assert out.shape == (1, 1)
    assert out[0, 0] == pytest.approx(0.9, abs=1e-12)


def test_seed_001_layer_of_three_neurons():
    # Seed 001's layer: inputs [7, 3, 2, 3], one weight row per neuron, biases [5, 7, 5].
    # By hand:  0.7 - 1.8 + 1.0 + 2.4  + 5 = 7.3
    #           4.9 + 1.2 + 0.2 - 1.8  + 7 = 11.5
    #           3.5 - 1.8 - 1.6 + 0.39 + 5 = 5.49
    # (The scores [4.8, 1.21, 2.385] that seed 001 later feeds to softmax do NOT come from
    # this layer; they are NNFS's example, tested below.)
    w_rows = np.array([[0.1, -0.6, 0.5, 0.8], [0.7, 0.4, 0.1, -0.6], [0.5, -0.6, -0.8, 0.13]])
    layer = dense_with(w_rows.T, [5, 7, 5])  # nnlib stores W as (n_in, n_out)
    np.testing.assert_allclose(layer.forward([[7, 3, 2, 3]]), [[7.3, 11.5, 5.49]], atol=1e-12)
    # Seed 001's batch of three samples. Rows 2 and 3 by hand:
    # [3,6,9,1]: 0.3-3.6+4.5+0.8+5 = 7.0;  2.1+2.4+0.9-0.6+7 = 11.8;  1.5-3.6-7.2+0.13+5 = -4.17
    # [3,7,1,9]: 0.3-4.2+0.5+7.2+5 = 8.8;  2.1+2.8+0.1-5.4+7 = 6.6;   1.5-4.2-0.8+1.17+5 = 2.67
    batch = [[7, 3, 2, 3], [3, 6, 9, 1], [3, 7, 1, 9]]
    expected = [[7.3, 11.5, 5.49], [7.0, 11.8, -4.17], [8.8, 6.6, 2.67]]
    np.testing.assert_allclose(layer.forward(batch), expected, atol=1e-12)


def test_nnfs_layer_gives_the_softmax_example_scores():
    # NNFS's layer: inputs [1, 2, 3, 2.5], biases [2, 3, 0.5]. By hand:
    #  0.2 + 1.6   - 1.5  + 2.5   + 2   = 4.8
    #  0.5 - 1.82  + 0.78 - 1.25  + 3   = 1.21
    # -0.26 - 0.54 + 0.51 + 2.175 + 0.5 = 2.385
    w_rows = np.array([[0.2, 0.8, -0.5, 1.0], [0.5, -0.91, 0.26, -0.5], [-0.26, -0.27, 0.17, 0.87]])
    layer = dense_with(w_rows.T, [2, 3, 0.5])
    np.testing.assert_allclose(layer.forward([[1, 2, 3, 2.5]]), [[4.8, 1.21, 2.385]], atol=1e-12)


def test_forward_matches_explicit_loops():
    rng = np.random.default_rng(5)
    layer = Dense(3, 2, rng=rng)
    layer.biases[...] = rng.standard_normal((1, 2))
    X = rng.standard_normal((4, 3))
    expected = np.array(
        [
            [sum(X[i, k] * layer.weights[k, j] for k in range(3)) + layer.biases[0, j] for j in range(2)]
            for i in range(4)
        ]
    )
    out = layer.forward(X)
    np.testing.assert_allclose(out, expected, rtol=1e-13, atol=1e-13)
    assert layer.inputs is not None and layer.output is out


def test_shapes_and_initial_values():
    layer = Dense(4, 3, rng=0)
    assert layer.weights.shape == (4, 3)
    assert layer.biases.shape == (1, 3)
    assert np.all(layer.biases == 0)
    assert layer.weights.dtype == np.float64
    assert repr(layer) == "Dense(4, 3)"
    assert set(layer.params) == {"weights", "biases"} and set(layer.grads) == {"weights", "biases"}
    assert layer.params["weights"] is layer.weights


@pytest.mark.parametrize(
    ("init", "expected_std"),
    [("0.1", 0.1), ("0.01", 0.01), ("he", np.sqrt(2 / 400)), ("glorot", np.sqrt(2 / 600)), (0.5, 0.5)],
)
def test_init_scales(init, expected_std):
    # 400 x 200 = 80 000 standard normal draws: the sample std is within 1 % of the scale
    # with overwhelming probability (its relative standard error is 1/sqrt(2 * 80000) = 0.25 %).
    layer = Dense(400, 200, rng=1, init=init)
    assert np.std(layer.weights) == pytest.approx(expected_std, rel=0.01)
    assert abs(np.mean(layer.weights)) < 0.02 * expected_std


def test_same_seed_same_weights_and_different_seed_different():
    np.testing.assert_array_equal(Dense(3, 4, rng=7).weights, Dense(3, 4, rng=7).weights)
    assert not np.array_equal(Dense(3, 4, rng=7).weights, Dense(3, 4, rng=8).weights)
    gen = np.random.default_rng(3)
    a, b = Dense(3, 4, rng=gen), Dense(3, 4, rng=gen)  # one generator: two different draws
    assert not np.array_equal(a.weights, b.weights)


def test_integer_input_is_accepted_and_input_not_modified():
    layer = dense_with(np.eye(2), [1, 1])
    X = np.array([[1, 2], [3, 4]])
    out = layer.forward(X)
    np.testing.assert_array_equal(out, [[2.0, 3.0], [4.0, 5.0]])
    np.testing.assert_array_equal(X, [[1, 2], [3, 4]])


def test_backward_by_hand():
    # Z = X W + b with X = [[1, 2], [3, 4]], W = I, dZ = [[1, 0], [0, 1]]:
    # dW = X^T dZ = [[1, 3], [2, 4]];  db = column sums of dZ = [[1, 1]];  dX = dZ W^T = dZ.
    layer = dense_with(np.eye(2), [0, 0])
    layer.forward([[1.0, 2.0], [3.0, 4.0]])
    dX = layer.backward(np.eye(2))
    np.testing.assert_array_equal(layer.dweights, [[1, 3], [2, 4]])
    np.testing.assert_array_equal(layer.dbiases, [[1, 1]])
    np.testing.assert_array_equal(dX, np.eye(2))
    assert layer.dinputs is dX
    assert layer.grads["weights"] is layer.dweights


# --------------------------------------------------------------------------- gradients


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize(("N", "n_in", "n_out"), SHAPES)
def test_dense_gradients_match_finite_differences(N, n_in, n_out, seed, num_grad, rel_err):
    rng = np.random.default_rng(seed)
    layer = Dense(n_in, n_out, rng=rng, init=1.0)
    layer.biases[...] = rng.standard_normal((1, n_out))
    X = rng.standard_normal((N, n_in))
    G = rng.standard_normal((N, n_out))  # L = sum(Z * G), so dL/dZ = G

    def loss():
        return float(np.sum(layer.forward(X) * G))

    layer.forward(X)
    layer.backward(G)
    analytic = {"dinputs": layer.dinputs.copy(), "dweights": layer.dweights.copy(),
                "dbiases": layer.dbiases.copy()}
    numeric = {"dinputs": num_grad(loss, X), "dweights": num_grad(loss, layer.weights),
               "dbiases": num_grad(loss, layer.biases)}
    for name in analytic:
        assert analytic[name].shape == numeric[name].shape
        assert rel_err(analytic[name], numeric[name]) < 1e-7, name


# --------------------------------------------------------------------------- bad input


def test_wrong_number_of_columns_names_expected_and_actual():
    layer = Dense(4, 2, rng=0)
    with pytest.raises(ValueError, match=r"3 columns.*expects 4.*\(5, 3\).*\(N, 4\)"):
        layer.forward(np.ones((5, 3)))


def test_one_dimensional_input_is_refused_with_reshape_hint():
    layer = Dense(4, 2, rng=0)
    with pytest.raises(ValueError, match=r"2-D.*\(4,\).*reshape\(1, -1\)"):
        layer.forward(np.ones(4))


def test_three_dimensional_input_is_refused():
    with pytest.raises(ValueError, match=r"must be a 2-D array, got shape \(2, 2, 4\)"):
        Dense(4, 2, rng=0).forward(np.ones((2, 2, 4)))


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_input_is_refused(bad):
    X = np.ones((3, 2))
    X[1, 0] = bad
    with pytest.raises(ValueError, match=r"non-finite.*index \(1, 0\)"):
        Dense(2, 2, rng=0).forward(X)


def test_empty_batch_is_refused():
    with pytest.raises(ValueError, match="empty"):
        Dense(2, 2, rng=0).forward(np.ones((0, 2)))


def test_non_numeric_and_ragged_input():
    layer = Dense(2, 2, rng=0)
    with pytest.raises(TypeError, match="must hold numbers"):
        layer.forward([["a", "b"]])
    with pytest.raises(ValueError, match="same length"):
        layer.forward([[1.0, 2.0], [3.0]])
    with pytest.raises(TypeError, match="real-valued"):
        layer.forward(np.ones((1, 2), dtype=complex))


def test_backward_before_forward():
    with pytest.raises(RuntimeError, match=r"backward\(\) called before forward\(\)"):
        Dense(2, 3, rng=0).backward(np.ones((1, 3)))


def test_dvalues_of_wrong_shape_names_both_shapes():
    layer = Dense(2, 3, rng=0)
    layer.forward(np.ones((4, 2)))
    with pytest.raises(ValueError, match=r"dvalues has shape \(4, 2\).*\(4, 3\)"):
        layer.backward(np.ones((4, 2)))
    with pytest.raises(ValueError, match=r"dvalues has shape \(3, 3\).*\(4, 3\)"):
        layer.backward(np.ones((3, 3)))
    with pytest.raises(ValueError, match="2-D"):
        layer.backward(np.ones(12))


@pytest.mark.parametrize("n", [0, -1, 2.5, "3", True, None])
def test_bad_layer_sizes(n):
    with pytest.raises(ValueError, match="positive integer"):
        Dense(n, 3)
    with pytest.raises(ValueError, match="positive integer"):
        Dense(3, n)


def test_numpy_integer_sizes_are_fine():
    layer = Dense(np.int64(3), np.int32(2), rng=0)
    assert layer.weights.shape == (3, 2)


@pytest.mark.parametrize("init", ["xavier", "", -0.1, 0.0, float("nan"), float("inf"), True])
def test_bad_init(init):
    with pytest.raises(ValueError, match="init"):
        Dense(3, 2, rng=0, init=init)


@pytest.mark.parametrize("rng", ["0", 1.5, [1, 2], np.random.RandomState(0)])
def test_rng_of_wrong_type(rng):
    with pytest.raises(TypeError, match="rng must be None, an int seed or a numpy.random.Generator"):
        Dense(3, 2, rng=rng)


# --------------------------------------------------------------------------- float32 and the unchecked twins


def test_float32_layer_keeps_everything_float32():
    layer = Dense(3, 2, rng=4, dtype=np.float32)
    assert layer.weights.dtype == layer.biases.dtype == np.float32 and layer.dtype == np.float32
    # The same draws as the float64 layer with the same seed, rounded once.
    np.testing.assert_array_equal(layer.weights, Dense(3, 2, rng=4).weights.astype(np.float32))
    X = np.arange(12.0).reshape(4, 3)  # float64 in: cast once, at entry
    out = layer.forward(X)
    assert out.dtype == np.float32 and layer.inputs.dtype == np.float32
    np.testing.assert_allclose(out, X @ layer.weights.astype(np.float64), rtol=1e-6)
    dX = layer.backward(np.ones((4, 2)))  # float64 dvalues: cast too
    assert dX.dtype == layer.dweights.dtype == layer.dbiases.dtype == np.float32
    assert repr(layer) == "Dense(3, 2, dtype=np.float32)"
    assert Dense(3, 2, rng=0, dtype="float32").dtype == np.float32
    assert Dense(3, 2, rng=0).dtype == np.float64


@pytest.mark.parametrize("dtype", [np.float16, np.int64, complex, "banana", np.longdouble])
def test_bad_dtype_is_refused(dtype):
    with pytest.raises(TypeError, match=r"dtype must be np\.float64 \(the default\) or np\.float32"):
        Dense(3, 2, rng=0, dtype=dtype)


def test_float32_input_too_large_for_float32_is_refused():
    with pytest.raises(ValueError, match="non-finite"):
        Dense(1, 1, rng=0, dtype=np.float32).forward([[1e39]])


def test_forward_and_backward_are_their_unchecked_twins_plus_checks():
    # The twins compute exactly what the public methods compute; only the checks differ.
    rng = np.random.default_rng(6)
    a, b = Dense(4, 3, rng=1), Dense(4, 3, rng=1)
    X, G = rng.standard_normal((5, 4)), rng.standard_normal((5, 3))
    np.testing.assert_array_equal(a.forward(X), b._forward(X))
    np.testing.assert_array_equal(a.backward(G), b._backward(G))
    np.testing.assert_array_equal(a.dweights, b.dweights)
    np.testing.assert_array_equal(a.dbiases, b.dbiases)
    assert b._backward(G, need_dinputs=False) is None and b.dinputs is None
    np.testing.assert_array_equal(a.dweights, b.dweights)  # the parameter gradients are still set
    assert getattr(Dense.forward, "unchecked_twin", None) == "_forward"
    assert getattr(Dense.backward, "unchecked_twin", None) == "_backward"
