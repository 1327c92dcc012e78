"""Tests for nnlib.losses: values against hand computation, gradients, and input checks."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from nnlib import (
    CategoricalCrossEntropy,
    MeanSquaredError,
    SoftmaxCrossEntropy,
    SumSquaredError,
)

SHAPES = [(1, 1), (4, 1), (3, 2), (8, 5)]  # (N, K) or (N, C)
SEEDS = [0, 1, 2]
CE_SHAPES = [(1, 2), (4, 3), (9, 5)]


def one_hot(labels, n_classes):
    out = np.zeros((len(labels), n_classes))
    for i, label in enumerate(labels):
        out[i, label] = 1.0
    return out


def random_probs(rng, shape):
    """Rows of probabilities, every entry well inside the clip range [1e-7, 1 - 1e-7]."""
    p = rng.uniform(0.05, 1.0, size=shape)
    return p / p.sum(axis=1, keepdims=True)


# --------------------------------------------------------------------------- values


def test_sum_squared_error_by_hand():
    # (1 - 0)^2 + (2 - 4)^2 + (0.5 - 0)^2 = 1 + 4 + 0.25
    loss = SumSquaredError()
    assert loss.forward([[1.0], [2.0], [0.5]], [[0.0], [4.0], [0.0]]) == pytest.approx(5.25)
    np.testing.assert_allclose(loss.backward([[1.0], [2.0], [0.5]], [[0.0], [4.0], [0.0]]),
                               [[2.0], [-4.0], [1.0]])


def test_mean_squared_error_by_hand():
    # Squares 1, 4, 9, 16 averaged over N K = 4 entries.
    loss = MeanSquaredError()
    assert loss.forward([[1.0, 2.0], [3.0, 4.0]], np.zeros((2, 2))) == pytest.approx(7.5)
    # dL/dyhat = 2 (yhat - y) / (N K)
    np.testing.assert_allclose(loss.backward([[1.0, 2.0], [3.0, 4.0]], np.zeros((2, 2))),
                               [[0.5, 1.0], [1.5, 2.0]])


def test_mse_is_sse_divided_by_number_of_entries():
    rng = np.random.default_rng(0)
    p, t = rng.standard_normal((6, 3)), rng.standard_normal((6, 3))
    sse, mse = SumSquaredError(), MeanSquaredError()
    assert mse.forward(p, t) == pytest.approx(sse.forward(p, t) / 18, rel=1e-13)
    np.testing.assert_allclose(mse.backward(p, t), sse.backward(p, t) / 18, rtol=1e-13)


def test_cross_entropy_of_one_sample_is_minus_log_p_true():
    loss = CategoricalCrossEntropy()
    assert loss.forward([[0.7, 0.1, 0.2]], np.array([0])) == pytest.approx(-math.log(0.7), rel=1e-14)
    assert loss.forward([[0.7, 0.1, 0.2]], [[1, 0, 0]]) == pytest.approx(-math.log(0.7), rel=1e-14)
    assert loss.forward([[0.7, 0.1, 0.2]], np.array([2])) == pytest.approx(-math.log(0.2), rel=1e-14)


def test_cross_entropy_of_seed_001_batch():
    probs = np.array([[0.7, 0.1, 0.2], [0.1, 0.5, 0.4], [0.02, 0.9, 0.08]])
    y = np.array([0, 1, 1])
    per_sample = [-math.log(0.7), -math.log(0.5), -math.log(0.9)]
    loss = CategoricalCrossEntropy()
    np.testing.assert_allclose(loss.per_sample(probs, y), per_sample, rtol=1e-14)
    assert loss.forward(probs, y) == pytest.approx(sum(per_sample) / 3, rel=1e-14)
    assert loss.forward(probs, one_hot(y, 3)) == pytest.approx(sum(per_sample) / 3, rel=1e-14)


def test_cross_entropy_clips_both_ends():
    loss = CategoricalCrossEntropy()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert loss.forward([[1.0, 0.0]], np.array([1])) == pytest.approx(-math.log(1e-7))
        assert loss.forward([[1.0, 0.0]], np.array([0])) == pytest.approx(-math.log(1 - 1e-7))
        grad = loss.backward([[1.0, 0.0]], np.array([1]))
    assert np.all(np.isfinite(grad))
    assert CategoricalCrossEntropy(eps=1e-3).forward([[1.0, 0.0]], np.array([1])) == pytest.approx(
        -math.log(1e-3))


def test_cross_entropy_backward_by_hand():
    # dL/dp_ij = -Y_ij / (N p_ij): only the true-class entries are non-zero.
    probs = np.array([[0.5, 0.25, 0.25], [0.2, 0.4, 0.4]])
    grad = CategoricalCrossEntropy().backward(probs, np.array([0, 2]))
    np.testing.assert_allclose(grad, [[-1 / (2 * 0.5), 0, 0], [0, 0, -1 / (2 * 0.4)]])


def test_softmax_cross_entropy_matches_pure_python():
    logits = [[4.8, 1.21, 2.385], [8.9, -1.81, 0.2], [1.41, 1.051, 0.026]]
    y = [0, 2, 1]
    expected = []
    for row, label in zip(logits, y, strict=True):
        exps = [math.exp(v) for v in row]
        expected.append(-math.log(exps[label] / sum(exps)))
    loss = SoftmaxCrossEntropy()
    np.testing.assert_allclose(loss.per_sample(np.array(logits), np.array(y)), expected, rtol=1e-13)
    assert loss.forward(np.array(logits), np.array(y)) == pytest.approx(sum(expected) / 3, rel=1e-13)
    assert loss.forward(np.array(logits), one_hot(y, 3)) == pytest.approx(sum(expected) / 3, rel=1e-13)


@pytest.mark.parametrize("n_classes", [2, 3, 10])
def test_equal_scores_give_log_of_number_of_classes(n_classes):
    # CS231n's sanity check: with all scores equal each class gets 1/C, so L = ln C.
    z = np.zeros((5, n_classes))
    y = np.arange(5) % n_classes
    assert SoftmaxCrossEntropy().forward(z, y) == pytest.approx(math.log(n_classes), rel=1e-14)
    probs = np.full((5, n_classes), 1 / n_classes)
    assert CategoricalCrossEntropy().forward(probs, y) == pytest.approx(math.log(n_classes), rel=1e-12)


def test_softmax_cross_entropy_huge_logits_stay_finite():
    # -log softmax([1000, 0])_1 = log(e^1000 + 1) - 0 ~ 1000; no overflow, no clipping.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value = SoftmaxCrossEntropy().forward(np.array([[1000.0, 0.0]]), np.array([1]))
        grad = SoftmaxCrossEntropy().backward(np.array([[1000.0, 0.0]]), np.array([1]))
    assert value == pytest.approx(1000.0, rel=1e-12)
    np.testing.assert_allclose(grad, [[1.0, -1.0]], atol=1e-12)


def test_softmax_cross_entropy_backward_by_hand():
    # Equal scores over 2 classes: P = [0.5, 0.5]; (P - Y) / N with N = 2.
    grad = SoftmaxCrossEntropy().backward(np.zeros((2, 2)), np.array([0, 1]))
    np.testing.assert_allclose(grad, [[-0.25, 0.25], [0.25, -0.25]], atol=1e-15)


def test_softmax_cross_entropy_to_output_is_softmax():
    z = np.array([[4.8, 1.21, 2.385]])
    exps = [math.exp(v) for v in z[0]]
    np.testing.assert_allclose(SoftmaxCrossEntropy().to_output(z), [[e / sum(exps) for e in exps]],
                               rtol=1e-14)
    np.testing.assert_array_equal(MeanSquaredError().to_output(z), z)


def test_classification_flags():
    assert SoftmaxCrossEntropy.classification and CategoricalCrossEntropy.classification
    assert not SumSquaredError.classification and not MeanSquaredError.classification


# --------------------------------------------------------------------------- gradients


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("loss_cls", [SumSquaredError, MeanSquaredError])
def test_regression_loss_gradients(loss_cls, shape, seed, num_grad, rel_err):
    rng = np.random.default_rng(seed)
    p, t = rng.standard_normal(shape), rng.standard_normal(shape)
    loss = loss_cls()
    analytic = loss.backward(p, t)
    assert analytic.shape == shape
    assert rel_err(analytic, num_grad(lambda: loss.forward(p, t), p)) < 1e-7


@pytest.mark.parametrize("labels_as", ["integers", "one-hot"])
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("shape", CE_SHAPES)
def test_categorical_cross_entropy_gradient(shape, seed, labels_as, num_grad, rel_err):
    rng = np.random.default_rng(seed)
    p = random_probs(rng, shape)
    labels = rng.integers(0, shape[1], size=shape[0])
    y = labels if labels_as == "integers" else one_hot(labels, shape[1])
    loss = CategoricalCrossEntropy()
    analytic = loss.backward(p, y)
    assert analytic.shape == shape
    assert rel_err(analytic, num_grad(lambda: loss.forward(p, y), p)) < 1e-7


@pytest.mark.parametrize("labels_as", ["integers", "one-hot"])
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("shape", CE_SHAPES)
def test_softmax_cross_entropy_gradient(shape, seed, labels_as, num_grad, rel_err):
    rng = np.random.default_rng(seed)
    z = 2 * rng.standard_normal(shape)
    labels = rng.integers(0, shape[1], size=shape[0])
    y = labels if labels_as == "integers" else one_hot(labels, shape[1])
    loss = SoftmaxCrossEntropy()
    analytic = loss.backward(z, y)
    assert analytic.shape == shape
    assert rel_err(analytic, num_grad(lambda: loss.forward(z, y), z)) < 1e-7


# --------------------------------------------------------------------------- bad input

CE_LOSSES = [CategoricalCrossEntropy, SoftmaxCrossEntropy]
PROBS = np.array([[0.7, 0.1, 0.2], [0.1, 0.5, 0.4], [0.02, 0.9, 0.08]])


@pytest.mark.parametrize("method", ["forward", "backward"])
@pytest.mark.parametrize("loss_cls", CE_LOSSES)
@pytest.mark.parametrize(("labels", "shown"), [([0, 3, 1], r"\[3\]"), ([0, -1, 2], r"\[-1\]"),
                                               ([5, 4, 1], r"\[4, 5\]")])
def test_labels_out_of_range(loss_cls, method, labels, shown):
    with pytest.raises(ValueError, match=shown + r" outside the valid range 0\.\.2 for 3 classes"):
        getattr(loss_cls(), method)(PROBS, np.array(labels))


@pytest.mark.parametrize("loss_cls", CE_LOSSES)
def test_float_labels_are_a_type_error(loss_cls):
    with pytest.raises(TypeError, match=r"integer class labels.*float64.*astype\(int\)"):
        loss_cls().forward(PROBS, np.array([0.0, 1.0, 1.0]))
    with pytest.raises(TypeError, match="integer class labels"):
        loss_cls().forward(PROBS, np.array([0.5, 1.0, 1.0]))


@pytest.mark.parametrize("method", ["forward", "backward"])
@pytest.mark.parametrize("loss_cls", CE_LOSSES)
def test_column_of_labels_is_refused(loss_cls, method):
    with pytest.raises(ValueError, match=r"shape \(3, 1\).*1-D.*\(3,\).*ravel"):
        getattr(loss_cls(), method)(PROBS, np.array([[0], [1], [1]]))


@pytest.mark.parametrize("loss_cls", CE_LOSSES)
@pytest.mark.parametrize("bad_one_hot", [[[0.5, 0.5, 0], [0, 1, 0], [0, 1, 0]],
                                         [[1, 1, 0], [0, 1, 0], [0, 1, 0]],
                                         [[0, 0, 0], [0, 1, 0], [0, 1, 0]],
                                         [[2, -1, 0], [0, 1, 0], [0, 1, 0]]])
def test_one_hot_rows_must_be_one_hot(loss_cls, bad_one_hot):
    with pytest.raises(ValueError, match="single 1 per row"):
        loss_cls().forward(PROBS, np.array(bad_one_hot))


@pytest.mark.parametrize("loss_cls", CE_LOSSES)
def test_label_count_and_one_hot_shape_must_match(loss_cls):
    with pytest.raises(ValueError, match="2 labels but the predictions have 3 rows"):
        loss_cls().forward(PROBS, np.array([0, 1]))
    with pytest.raises(ValueError, match=r"one-hot y_true has shape \(3, 4\), expected \(3, 3\)"):
        loss_cls().forward(PROBS, np.eye(4)[:3])


def test_categorical_cross_entropy_refuses_logits():
    with pytest.raises(ValueError, match=r"probabilities in \[0, 1\].*logits.*SoftmaxCrossEntropy"):
        CategoricalCrossEntropy().forward(np.array([[4.8, 1.21, 2.385]]), np.array([0]))
    with pytest.raises(ValueError, match="logits"):
        CategoricalCrossEntropy().backward(np.array([[0.5, -0.1, 0.6]]), np.array([0]))


@pytest.mark.parametrize("eps", [0, -1e-7, 0.5, 1.0])
def test_categorical_cross_entropy_bad_eps(eps):
    with pytest.raises(ValueError, match="eps"):
        CategoricalCrossEntropy(eps=eps)


@pytest.mark.parametrize("method", ["forward", "backward"])
@pytest.mark.parametrize("loss_cls", [SumSquaredError, MeanSquaredError])
def test_regression_losses_refuse_column_vs_vector(loss_cls, method):
    # (N, 1) - (N,) would broadcast to (N, N): the silent bug these checks exist for.
    y_pred, y_true = np.zeros((4, 1)), np.arange(4.0)
    with pytest.raises(ValueError, match=r"\(4, 1\).*\(4,\).*must match exactly.*reshape"):
        getattr(loss_cls(), method)(y_pred, y_true)


@pytest.mark.parametrize("loss_cls", [SumSquaredError, MeanSquaredError])
def test_regression_losses_refuse_other_shape_mismatches(loss_cls):
    with pytest.raises(ValueError, match=r"\(4, 2\).*\(4, 3\)"):
        loss_cls().forward(np.zeros((4, 2)), np.zeros((4, 3)))
    with pytest.raises(ValueError, match="2-D"):
        loss_cls().forward(np.zeros(4), np.zeros(4))


@pytest.mark.parametrize("loss_cls", [SumSquaredError, MeanSquaredError, *CE_LOSSES])
@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_predictions(loss_cls, bad):
    p = PROBS.copy()
    p[2, 1] = bad
    y = np.array([0, 1, 1]) if loss_cls.classification else np.zeros((3, 3))
    with pytest.raises(ValueError, match=r"non-finite.*\(2, 1\)"):
        loss_cls().forward(p, y)


@pytest.mark.parametrize("loss_cls", [SumSquaredError, MeanSquaredError])
def test_non_finite_regression_targets(loss_cls):
    t = np.zeros((3, 1))
    t[0, 0] = np.nan
    with pytest.raises(ValueError, match="y_true contains 1 non-finite"):
        loss_cls().forward(np.zeros((3, 1)), t)


@pytest.mark.parametrize("loss_cls", [SumSquaredError, MeanSquaredError, *CE_LOSSES])
def test_empty_batch(loss_cls):
    with pytest.raises(ValueError, match="empty"):
        loss_cls().forward(np.zeros((0, 3)), np.zeros((0, 3)))


# --------------------------------------------------------------------------- what fit calls


@pytest.mark.parametrize("make", ["sce", "cce", "mse", "sse"])
def test_forward_backward_is_forward_backward_and_to_output(make):
    # Network.fit asks a loss for all three at once; they must be the public methods' numbers.
    from nnlib import Softmax

    rng = np.random.default_rng(8)
    z = 3 * rng.standard_normal((6, 4))
    labels = rng.integers(0, 4, 6)
    cases = {
        "sce": (SoftmaxCrossEntropy(), z, labels),
        "cce": (CategoricalCrossEntropy(), Softmax().forward(z), labels),
        "mse": (MeanSquaredError(), z, rng.standard_normal((6, 4))),
        "sse": (SumSquaredError(), z, rng.standard_normal((6, 4))),
    }
    loss, y_pred, y_true = cases[make]
    value, grad, out = loss._forward_backward(y_pred, loss._targets(y_pred, y_true))
    assert value == loss.forward(y_pred, y_true)
    np.testing.assert_array_equal(grad, loss.backward(y_pred, y_true))
    np.testing.assert_array_equal(out, loss.to_output(y_pred))


def test_float32_predictions_give_float32_gradients():
    z = np.array([[1.0, 2.0, 0.5], [0.0, -1.0, 3.0]], dtype=np.float32)
    for loss, y in ((SoftmaxCrossEntropy(), np.array([2, 0])), (MeanSquaredError(), np.zeros((2, 3)))):
        assert loss.backward(z, y).dtype == np.float32
        assert isinstance(loss.forward(z, y), float)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("C", [2, 3, 7, 8, 12])
def test_softmax_cross_entropy_training_path_is_bit_identical_for_large_batches(C, dtype):
    # For 100 rows or more and few classes, the training path reduces rows column by
    # column (faster); the numbers must still be exactly those of the public methods.
    rng = np.random.default_rng(C)
    z = (4 * rng.standard_normal((400, C))).astype(dtype)
    labels = rng.integers(0, C, 400)
    loss = SoftmaxCrossEntropy()
    value, grad, probs = loss._forward_backward(z, labels)
    assert value == loss.forward(z, labels)
    np.testing.assert_array_equal(grad, loss.backward(z, labels))
    np.testing.assert_array_equal(probs, loss.to_output(z))
    assert grad.dtype == probs.dtype == dtype
