"""Chapter 12, optimizers: ``check_sgd_momentum_step``."""

from __future__ import annotations

import numpy as np

from ._engine import Check, Mistake


def _step(param, grad, velocity, lr, mu):
    v = mu * velocity - lr * grad
    return param + v, v


def _in_place(param, grad, velocity, lr, mu):
    velocity *= mu
    velocity -= lr * grad
    param += velocity
    return param, velocity


_rng = np.random.default_rng(12)

check_sgd_momentum_step = Check(
    name="momentum step",
    chapter="optimizers",
    signature="fn(param, grad, velocity, lr, mu) -> (new_param, new_velocity): new_velocity = mu * velocity "
              "- lr * grad, new_param = param + new_velocity; new arrays, inputs unchanged",
    reference=_step,
    parts=("new_param", "new_velocity"),
    cases=[
        ("first step: the velocity starts at zero",
         (_rng.standard_normal((2, 3)), _rng.standard_normal((2, 3)), np.zeros((2, 3)), 0.1, 0.9)),
        ("a later step, with velocity already built up",
         (*_rng.standard_normal((3, 3, 2)), 0.05, 0.9)),
        ("momentum 0 is plain SGD",
         (*_rng.standard_normal((3, 1, 4)), 0.5, 0.0)),
    ],
    mistakes=[
        Mistake("old-velocity",
                "update the velocity first, then move the parameter by the NEW one: param + v_new.",
                lambda p, g, v, lr, mu: (p + v, mu * v - lr * g)),
        Mistake("subtract-velocity",
                "the velocity already points downhill (it holds -lr * grad): add it, param + v_new.",
                lambda p, g, v, lr, mu: (p - (mu * v - lr * g), mu * v - lr * g)),
        Mistake("plain-step",
                "the parameter moves by the whole new velocity, param + v_new, not by -lr * grad.",
                lambda p, g, v, lr, mu: (p - lr * g, mu * v - lr * g)),
        Mistake("gradient-sign",
                "the gradient term has the wrong sign: step against the gradient, v = mu * v - lr * grad.",
                lambda p, g, v, lr, mu: (p + mu * v + lr * g, mu * v + lr * g)),
        Mistake("other-convention",
                "that is the other common convention (v = mu * v + grad, then param -= lr * v, PyTorch's). "
                "This course folds the learning rate into the velocity: v = mu * v - lr * grad, then "
                "param += v.",
                lambda p, g, v, lr, mu: (p - lr * (mu * v + g), mu * v + g)),
        Mistake("no-old-velocity",
                "the old velocity is missing: v = mu * v - lr * grad keeps mu times the old velocity.",
                lambda p, g, v, lr, mu: (p - lr * g, -lr * g)),
        Mistake("no-mu", "the old velocity must be multiplied by mu: v = mu * v - lr * grad.",
                lambda p, g, v, lr, mu: (p + v - lr * g, v - lr * g)),
        Mistake("in-place",
                "it changed param and velocity in place (+=, *=): return new arrays, e.g. v = mu * velocity "
                "- lr * grad and param + v, and leave the inputs as they were.", _in_place),
        Mistake("swapped", "the two results are swapped: return (new_param, new_velocity), in that order.",
                lambda p, g, v, lr, mu: _step(p, g, v, lr, mu)[::-1]),
    ],
    alternatives=[
        ("copies, then in place", lambda p, g, v, lr, mu: _in_place(p.copy(), g, v.copy(), lr, mu)),
        ("a list", lambda p, g, v, lr, mu: list(_step(p, g, v, lr, mu))),
    ],
)
