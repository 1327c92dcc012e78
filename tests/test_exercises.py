"""Tests for nnlib.exercises: every check accepts a right answer and explains typical wrong ones.

Each wrong implementation below is a mistake learners make; the test asserts the check
returns False and prints the hint aimed at that mistake. (Checks added later for single
chapters are tested in tests/test_exercises_<chapter>.py.)
"""

from __future__ import annotations

import numpy as np
import pytest

from nnlib import exercises as ex


def run(check, fn, capsys, **kw):
    """Run a check; return (result, printed text)."""
    result = check(fn, **kw)
    return result, capsys.readouterr().out


def expect_pass(check, fn, capsys):
    result, out = run(check, fn, capsys)
    assert result is True, out
    assert "✅" in out and "correct on all" in out


def expect_fail(check, fn, capsys, *fragments):
    result, out = run(check, fn, capsys)
    assert result is False
    assert "❌" in out and "is not right yet" in out
    for fragment in fragments:
        assert fragment in out, f"{fragment!r} not in:\n{out}"
    return out


# --------------------------------------------------------------------------- right answers


def stable_sigmoid(z):
    z = np.asarray(z, dtype=float)
    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1 / (1 + np.exp(-z[pos]))
    ez = np.exp(z[~pos])
    out[~pos] = ez / (1 + ez)
    return out


def stable_softmax(z):
    e = np.exp(z - np.max(z, axis=1, keepdims=True))
    return e / np.sum(e, axis=1, keepdims=True)


def cross_entropy(p, y):
    p = np.clip(p, 1e-7, 1 - 1e-7)
    return float(np.mean(-np.log(p[range(len(p)), y])))


def softmax_ce_backward(z, y):
    d = stable_softmax(z)
    d[range(len(y)), y] -= 1
    return d / len(y)


CORRECT = [
    (ex.check_neuron, lambda x, w, b: float(np.dot(x, w) + b)),
    (ex.check_layer_forward, lambda X, W, b: np.dot(X, W) + b),
    (ex.check_step, lambda z: np.where(z > 0, 1.0, 0.0)),
    (ex.check_relu, lambda z: np.maximum(0, z)),
    (ex.check_sigmoid, stable_sigmoid),
    (ex.check_softmax, stable_softmax),
    (ex.check_cross_entropy, cross_entropy),
    (ex.check_relu_backward, lambda z, d: d * (z > 0)),
    (ex.check_sigmoid_backward, lambda a, d: d * a * (1 - a)),
    (ex.check_softmax_cross_entropy_backward, softmax_ce_backward),
    (ex.check_dense_backward, lambda X, W, dZ: (X.T @ dZ, dZ.sum(axis=0, keepdims=True), dZ @ W.T)),
]


@pytest.mark.parametrize(("check", "fn"), CORRECT, ids=[c.__name__ for c, _ in CORRECT])
def test_correct_implementations_pass(check, fn, capsys):
    expect_pass(check, fn, capsys)


@pytest.mark.parametrize(("check", "fn"), CORRECT, ids=[c.__name__ for c, _ in CORRECT])
def test_quiet_mode_prints_nothing(check, fn, capsys):
    assert check(fn, verbose=False) is True
    assert check(lambda *args: None, verbose=False) is False
    assert capsys.readouterr().out == ""


# --------------------------------------------------------------------------- neuron and layer


def test_neuron_without_bias(capsys):
    expect_fail(ex.check_neuron, lambda x, w, b: float(np.dot(x, w)), capsys, "left out the bias")


def test_neuron_multiplying_sums(capsys):
    expect_fail(ex.check_neuron, lambda x, w, b: float(np.sum(x) * np.sum(w) + b), capsys,
                "*its own* weight")


def test_neuron_returning_an_array(capsys):
    expect_fail(ex.check_neuron, lambda x, w, b: np.multiply(x, w) + b, capsys, "single number")


def test_layer_forward_transposed(capsys):
    expect_fail(ex.check_layer_forward, lambda X, W, b: (X @ W + b).T, capsys, "transposed")


def test_layer_forward_without_biases(capsys):
    expect_fail(ex.check_layer_forward, lambda X, W, b: X @ W, capsys, "biases are missing")


def test_layer_forward_with_seed_001_transpose_raises(capsys):
    # Seed 001's np.dot(inputs, weights.T) with W already (n_in, n_out) cannot multiply.
    expect_fail(ex.check_layer_forward, lambda X, W, b: np.dot(X, W.T) + b, capsys,
                "it raised ValueError")


# --------------------------------------------------------------------------- activations


def test_step_with_greater_or_equal(capsys):
    expect_fail(ex.check_step, lambda z: (z >= 0).astype(float), capsys, "z > 0, not z >= 0")


def test_step_that_is_relu(capsys):
    expect_fail(ex.check_step, lambda z: np.maximum(0, z), capsys, "that is ReLU")


def test_relu_returning_booleans(capsys):
    expect_fail(ex.check_relu, lambda z: z > 0, capsys, "booleans", "np.maximum(0, z)")


def test_relu_modifying_its_input(capsys):
    def relu_in_place(z):
        z[z < 0] = 0
        return z

    expect_fail(ex.check_relu, relu_in_place, capsys, "changed its input array in place")


def test_relu_as_abs(capsys):
    expect_fail(ex.check_relu, np.abs, capsys, "not positive: that was abs(z)")


def test_naive_sigmoid_overflows(capsys):
    out = expect_fail(ex.check_sigmoid, lambda z: 1 / (1 + np.exp(-z)), capsys,
                      "overflow", "exp(-|z|)")
    assert "very negative and very positive z" in out  # the case that exposed it


def test_sigmoid_with_sign_flipped(capsys):
    expect_fail(ex.check_sigmoid, lambda z: stable_sigmoid(-z), capsys, "sign in the exponent")


def test_softmax_without_max_subtraction(capsys):
    def naive(z):
        e = np.exp(z)
        return e / np.sum(e, axis=1, keepdims=True)

    out = expect_fail(ex.check_softmax, naive, capsys, "exp overflowed",
                      "z - z.max(axis=1, keepdims=True)")
    assert "large scores" in out


def test_softmax_summed_over_axis_0(capsys):
    def wrong_axis(z):
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / np.sum(e, axis=0, keepdims=True)

    expect_fail(ex.check_softmax, wrong_axis, capsys, "columns sum to 1", "axis=1")


def test_softmax_without_keepdims(capsys):
    def no_keepdims(z):
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / np.sum(e, axis=1)  # (N, C) / (N,): divides column j by row j's sum

    expect_fail(ex.check_softmax, no_keepdims, capsys, "keepdims=True")


def test_softmax_over_the_whole_array(capsys):
    def whole(z):
        e = np.exp(z - z.max())
        return e / e.sum()

    expect_fail(ex.check_softmax, whole, capsys, "each row needs its own sum")


# --------------------------------------------------------------------------- cross-entropy


def test_cross_entropy_summed(capsys):
    def summed(p, y):
        p = np.clip(p, 1e-7, 1 - 1e-7)
        return float(np.sum(-np.log(p[range(len(p)), y])))

    expect_fail(ex.check_cross_entropy, summed, capsys, "that is the sum", "mean over the batch")


def test_cross_entropy_of_largest_probability(capsys):
    def largest(p, y):
        p = np.clip(p, 1e-7, 1 - 1e-7)
        return float(np.mean(-np.log(p.max(axis=1))))

    expect_fail(ex.check_cross_entropy, largest, capsys, "*true* class")


def test_cross_entropy_without_clipping(capsys):
    def unclipped(p, y):
        return float(np.mean(-np.log(p[range(len(p)), y])))

    out = expect_fail(ex.check_cross_entropy, unclipped, capsys, "clip the probabilities")
    assert "confident mistake" in out


def test_cross_entropy_returning_per_sample_losses(capsys):
    def per_sample(p, y):
        return -np.log(np.clip(p, 1e-7, 1 - 1e-7)[range(len(p)), y])

    expect_fail(ex.check_cross_entropy, per_sample, capsys, "a single number")


# --------------------------------------------------------------------------- backward passes


def test_relu_backward_without_dvalues(capsys):
    expect_fail(ex.check_relu_backward, lambda z, d: (z > 0).astype(float), capsys,
                "multiply the mask by dvalues")


def test_sigmoid_backward_applying_sigmoid_again(capsys):
    def twice(a, d):
        s = stable_sigmoid(a)
        return d * s * (1 - s)

    expect_fail(ex.check_sigmoid_backward, twice, capsys, "already sigma(z)")


def test_softmax_ce_backward_without_dividing_by_n(capsys):
    expect_fail(ex.check_softmax_cross_entropy_backward,
                lambda z, y: softmax_ce_backward(z, y) * len(y), capsys, "divide by N")


def test_softmax_ce_backward_with_flipped_sign(capsys):
    expect_fail(ex.check_softmax_cross_entropy_backward,
                lambda z, y: -softmax_ce_backward(z, y), capsys, "sign is flipped")


def test_dense_backward_with_db_not_summed(capsys):
    expect_fail(ex.check_dense_backward, lambda X, W, dZ: (X.T @ dZ, dZ, dZ @ W.T), capsys,
                "db has shape (5, 2), expected (1, 2)")


def test_dense_backward_with_db_averaged(capsys):
    expect_fail(ex.check_dense_backward,
                lambda X, W, dZ: (X.T @ dZ, dZ.mean(axis=0, keepdims=True), dZ @ W.T), capsys,
                "this part is off: db")


def test_dense_backward_with_dw_wrong(capsys):
    expect_fail(ex.check_dense_backward,
                lambda X, W, dZ: (X.T @ dZ / len(X), dZ.sum(axis=0, keepdims=True), dZ @ W.T),
                capsys, "this part is off: dW")


def test_dense_backward_not_returning_a_tuple(capsys):
    expect_fail(ex.check_dense_backward, lambda X, W, dZ: [X.T @ dZ, dZ.sum(axis=0), dZ @ W.T],
                capsys, "return a tuple (dW, db, dX)")


# --------------------------------------------------------------------------- generic failures


def test_a_function_that_raises(capsys):
    def broken(z):
        raise RuntimeError("boom at line 3")

    out = expect_fail(ex.check_relu, broken, capsys, "it raised RuntimeError: boom at line 3")
    assert "case: mixed signs" in out


def test_a_function_returning_none(capsys):
    def forgot_return(z):
        np.maximum(0, z)

    expect_fail(ex.check_relu, forgot_return, capsys, "it returned None", "`return` statement")


def test_wrong_shape_is_reported(capsys):
    expect_fail(ex.check_relu, lambda z: np.maximum(0, z).ravel(), capsys, "the output has shape")


def test_failure_message_shows_input_expected_and_got(capsys):
    out = expect_fail(ex.check_neuron, lambda x, w, b: float(np.dot(x, w)), capsys)
    # Seed 001's neuron: expected 0.9 (7*0.1 - 3*0.6 + 2*0.5 + 1), got -0.1 without the bias.
    assert "input 1: [7. 3. 2.]" in out
    assert "expected: 0.9" in out and "got:      -0.1" in out


def test_check_function_with_a_custom_reference(capsys):
    cases = [("small", (np.array([1.0, 2.0]),)), ("negative", (np.array([-3.0]),))]
    assert ex.check_function(lambda v: v * 2, lambda v: v + v, cases, name="double") is True
    assert "double is correct on all 2 test inputs" in capsys.readouterr().out
    assert ex.check_function(lambda v: v * 2 + 1e-3, lambda v: v + v, cases, name="double") is False
    assert "the values differ" in capsys.readouterr().out
