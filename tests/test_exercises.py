"""How the exercise-check engine reports (nnlib.exercises._engine), and that each check's reference
teaches what nnlib itself computes.

The catalogue of every check (each mistake gets its own hint, each alternative passes) is tested in
tests/test_exercise_catalogue.py; this file tests the messages a learner reads.
"""

from __future__ import annotations

import numpy as np
import pytest

import nnlib
from nnlib import exercises as ex
from nnlib.exercises import Check, Mistake


def fail_text(check, fn, capsys):
    assert check(fn) is False
    out = capsys.readouterr().out
    assert out.startswith("❌") and "is not right yet" in out
    return out


# ------------------------------------------------------------------------------------ what is shown


def test_a_function_that_raises_is_reported_with_the_case(capsys):
    def broken(z):
        raise RuntimeError("boom at line 3")

    out = fail_text(ex.check_relu, broken, capsys)
    assert "your function raised RuntimeError: boom at line 3" in out
    assert "case 1 of 3: mixed signs" in out


def test_a_raising_function_still_gets_the_hint_of_the_mistake_it_makes(capsys):
    # np.dot(X, W.T) raises a different message from X @ W.T, but it is the same mistake.
    out = fail_text(ex.check_layer_forward, lambda X, W, b: np.dot(X, W.T) + b, capsys)
    assert "raised ValueError" in out
    assert "do not transpose it" in out


def test_returning_none_points_at_the_return_statement(capsys):
    def forgot_return(z):
        np.maximum(0, z)

    out = fail_text(ex.check_relu, forgot_return, capsys)
    assert "returned None" in out and "`return` statement" in out


def test_wrong_shape_is_reported(capsys):
    out = fail_text(ex.check_relu, lambda z: np.maximum(0, z).ravel(), capsys)
    assert "the result has shape (10,), expected (2, 5)" in out


def test_inputs_are_shown_by_name_with_expected_and_got(capsys):
    out = fail_text(ex.check_neuron, lambda x, w, b: float(np.dot(x, w)), capsys)
    # The spiral tutorial's neuron: 7*0.1 - 3*0.6 + 2*0.5 + 1 = 0.9; without the bias, -0.1.
    assert "x = [7. 3. 2.]" in out and "b = 1\n" in out
    assert "expected: 0.9" in out and "got:      -0.1" in out


def test_a_tuple_answer_is_shown_part_by_part(capsys):
    out = fail_text(ex.check_dense_backward,
                    lambda X, W, dZ: (X.T @ dZ, dZ.mean(axis=0, keepdims=True), dZ @ W.T), capsys)
    assert "db is not right" in out
    assert "dW: right" in out and "dX: right" in out
    assert "   db: expected:" in out and "2 of 2 entries differ" in out


def test_a_returned_value_that_cannot_be_used_is_not_called_raised(capsys):
    out = fail_text(ex.check_dense_backward, lambda X, W, dZ: (X.T @ dZ, dZ @ W.T), capsys)
    assert "your function returned 2 value(s); return 3: (dW, db, dX)" in out
    assert "raised" not in out


def test_long_arrays_show_where_they_differ():
    n = 200
    check = Check(name="double", signature="fn(v) -> 2 v", reference=lambda v: 2 * v,
                  cases=[("long", (np.arange(n, dtype=float),))])
    wrong = lambda v: np.where(np.arange(n) == 137, 0.0, 2 * v)  # noqa: E731
    outcomes = check.run(wrong)
    text = check.report("double", 0, outcomes[0], None, "")
    assert "1 of 200 entries differ; the first at [137]: expected 274, got 0." in text
    assert "array of shape (200,)" in text


def test_every_wrong_value_is_explained_not_just_printed(capsys):
    # However long the arrays, a wrong value comes with a line saying where it differs, so that
    # "expected" and "got" never look alike without an explanation.
    for name, check in ex.all_checks().items():
        for mistake in check.mistakes:
            outcomes = check.mistake_outcomes[mistake.id]
            for i, (o, e) in enumerate(zip(outcomes, check.expected, strict=True)):
                if o.kind == "value" and not o.mutated and not o.warnings and not check.correct(o, e):
                    text = check.report(name, i, o, mistake, "every case")
                    expected = [ln.split("expected:")[1] for ln in text.splitlines() if "expected:" in ln]
                    got = [ln.split("got:")[1] for ln in text.splitlines() if "got:" in ln]
                    explained = "differ" in text or "the shape is" in text or "booleans" in text
                    different = all(a.strip() != b.strip() for a, b in zip(expected, got, strict=True))
                    assert explained or different, (name, mistake.id, text)
                    break


def test_a_non_function_is_refused():
    with pytest.raises(TypeError, match="pass your function itself"):
        ex.check_relu(np.maximum(0, np.ones(3)))


def test_quick_check_function(capsys):
    cases = [("small", (np.array([1.0, 2.0]),)), ("negative", (np.array([-3.0]),))]
    assert ex.check_function(lambda v: v * 2, lambda v: v + v, cases, name="double") is True
    assert "double is correct on all 2 test inputs" in capsys.readouterr().out
    halve = Mistake("halved", "you halved it", lambda v: v / 2)
    result = ex.check_function(lambda v: v * 0.5, lambda v: v + v, cases, name="double", mistakes=[halve])
    assert result is False
    assert "hint: you halved it" in capsys.readouterr().out


def test_a_check_needs_cases_and_distinct_mistake_ids():
    with pytest.raises(ValueError, match="at least one case"):
        Check(name="x", signature="", reference=abs, cases=[])
    m = Mistake("same", "h", abs)
    with pytest.raises(ValueError, match="same id"):
        Check(name="x", signature="", reference=abs, cases=[("one", (1.0,))], mistakes=[m, m])


# ----------------------------------------------------------- the references teach what nnlib does


class _Holder:
    """The smallest object nnlib's optimizers can update: one parameter and its gradient."""

    def __init__(self, value):
        self.value = np.array(value, dtype=np.float64)
        self.grad = np.zeros_like(self.value)

    @property
    def params(self):
        return {"value": self.value}

    @property
    def grads(self):
        return {"value": self.grad}


def test_momentum_reference_is_the_rule_of_nnlib_sgd():
    rng = np.random.default_rng(0)
    holder = _Holder(rng.standard_normal((3, 2)))
    optimizer = nnlib.SGD(0.1, momentum=0.9)
    param, velocity = holder.value.copy(), np.zeros_like(holder.value)
    for _ in range(5):
        grad = rng.standard_normal(param.shape)
        holder.grad[...] = grad
        optimizer.step([holder])
        param, velocity = ex.check_sgd_momentum_step.reference(param, grad, velocity, 0.1, 0.9)
        assert np.allclose(holder.value, param)


def test_rmsprop_reference_is_the_rule_of_nnlib_rmsprop():
    rng = np.random.default_rng(1)
    holder = _Holder(rng.standard_normal((3, 2)))
    optimizer = nnlib.RMSprop(0.01, rho=0.9, epsilon=1e-7)
    param, cache = holder.value.copy(), np.zeros_like(holder.value)
    for _ in range(5):
        grad = rng.standard_normal(param.shape)
        holder.grad[...] = grad
        optimizer.step([holder])
        param, cache = ex.check_rmsprop_step.reference(param, grad, cache, 0.01, 0.9, 1e-7)
        assert np.allclose(holder.value, param, rtol=1e-12, atol=0)


@pytest.mark.parametrize("case", range(4))
def test_layer_forward_reference_is_nnlib_dense(case):
    X, W, b = ex.check_layer_forward.cases[case][1]
    layer = nnlib.Dense(*W.shape)
    layer.weights[...], layer.biases[...] = W, b
    assert np.allclose(ex.check_layer_forward.reference(X, W, b), layer.forward(X))


def test_backward_references_are_nnlib_layers():
    for _, (X, W, dZ) in ex.check_dense_backward.cases:
        layer = nnlib.Dense(*W.shape)
        layer.weights[...] = W
        layer.forward(X)
        dX = layer.backward(dZ)
        dW, db, dX_ref = ex.check_dense_backward.reference(X, W, dZ)
        assert np.allclose(dW, layer.dweights) and np.allclose(db, layer.dbiases) and np.allclose(dX, dX_ref)
    for _, (z, y) in ex.check_softmax_cross_entropy_backward.cases:
        assert np.allclose(ex.check_softmax_cross_entropy_backward.reference(z, y),
                           nnlib.SoftmaxCrossEntropy().backward(z, y))
    for _, (z, d) in ex.check_relu_backward.cases:
        relu = nnlib.ReLU()
        relu.forward(z)
        assert np.allclose(ex.check_relu_backward.reference(z, d), relu.backward(d))
    for _, (a, d) in ex.check_sigmoid_backward.cases:
        sig = nnlib.Sigmoid()
        sig.forward(np.log(a / (1 - a)))  # the z whose sigmoid is a
        assert np.allclose(ex.check_sigmoid_backward.reference(a, d), sig.backward(d))


def test_loss_references_are_nnlib_losses():
    for _, (p, y) in ex.check_cross_entropy.cases:
        expected = nnlib.CategoricalCrossEntropy().forward(p, y)
        assert np.isclose(ex.check_cross_entropy.reference(p, y), expected)
    for _, (z,) in ex.check_softmax.cases:
        assert np.allclose(ex.check_softmax.reference(z), nnlib.Softmax().forward(z))
