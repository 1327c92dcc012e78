"""nnlib.exercises.check_sgd_momentum_step (chapter 12, optimizers).

A correct momentum step passes, and agrees with nnlib.SGD(lr, momentum=mu) over several
steps; the usual mistakes fail with a hint that names the mistake.
"""

from __future__ import annotations

import numpy as np
import pytest

from nnlib import SGD
from nnlib.exercises import check_sgd_momentum_step


def momentum_step(param, grad, velocity, lr, mu):
    new_velocity = mu * velocity - lr * grad
    return param + new_velocity, new_velocity


def momentum_step_on_copies(param, grad, velocity, lr, mu):
    v = velocity.copy()
    v *= mu
    v -= lr * grad
    return param + v, v


def test_correct_versions_pass(capsys):
    assert check_sgd_momentum_step(momentum_step)
    assert check_sgd_momentum_step(momentum_step_on_copies)
    assert "✅" in capsys.readouterr().out


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


def test_reference_rule_matches_nnlib_sgd():
    # The rule the check teaches is the rule nnlib.SGD applies, step after step.
    rng = np.random.default_rng(0)
    holder = _Holder(rng.standard_normal((3, 2)))
    optimizer = SGD(0.1, momentum=0.9)
    param, velocity = holder.value.copy(), np.zeros_like(holder.value)
    for _ in range(5):
        grad = rng.standard_normal(param.shape)
        holder.grad[...] = grad
        optimizer.step([holder])
        param, velocity = momentum_step(param, grad, velocity, 0.1, 0.9)
        assert np.allclose(holder.value, param)


def _in_place(param, grad, velocity, lr, mu):
    velocity *= mu
    velocity -= lr * grad
    param += velocity
    return param, velocity


@pytest.mark.parametrize(
    ("wrong", "hint"),
    [
        (lambda p, g, v, lr, mu: (p + mu * v + lr * g, mu * v + lr * g), "wrong sign"),
        (lambda p, g, v, lr, mu: (p - lr * (mu * v + g), mu * v + g), "other common convention"),
        (lambda p, g, v, lr, mu: (p - lr * g, -lr * g), "old velocity is missing"),
        (lambda p, g, v, lr, mu: (p + v - lr * g, v - lr * g), "multiplied by mu"),
        (lambda p, g, v, lr, mu: (p + v, mu * v - lr * g), "update the velocity first"),
        (lambda p, g, v, lr, mu: (p - (mu * v - lr * g), mu * v - lr * g), "already points downhill"),
        (_in_place, "changed its input array in place"),
        (lambda p, g, v, lr, mu: None, "return a tuple"),
        (lambda p, g, v, lr, mu: (p.ravel(), v.ravel()), "expected (2, 3)"),
    ],
)
def test_typical_mistakes_are_caught(wrong, hint, capsys):
    assert check_sgd_momentum_step(wrong) is False
    out = capsys.readouterr().out
    assert "❌" in out
    assert hint in out


def test_quiet_mode_prints_nothing(capsys):
    assert check_sgd_momentum_step(momentum_step, verbose=False)
    assert capsys.readouterr().out == ""
