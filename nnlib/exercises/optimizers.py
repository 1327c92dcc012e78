"""Chapter 12, optimizers: ``check_sgd_momentum_step`` and ``check_rmsprop_step``."""

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


def _rmsprop(param, grad, cache, lr, rho, eps):
    c = rho * cache + (1 - rho) * grad**2
    return param - lr * grad / (np.sqrt(c) + eps), c


def _rmsprop_in_place(param, grad, cache, lr, rho, eps):
    cache *= rho
    cache += (1 - rho) * grad**2
    param -= lr * grad / (np.sqrt(cache) + eps)
    return param, cache


check_rmsprop_step = Check(
    name="RMSprop step",
    chapter="optimizers",
    signature="fn(param, grad, cache, lr, rho, eps) -> (new_param, new_cache): new_cache = rho * cache "
              "+ (1 - rho) * grad**2, new_param = param - lr * grad / (sqrt(new_cache) + eps); new arrays, "
              "inputs unchanged",
    reference=_rmsprop,
    parts=("new_param", "new_cache"),
    cases=[
        ("first step: the cache starts at zero",
         (_rng.standard_normal((2, 3)), _rng.standard_normal((2, 3)), np.zeros((2, 3)), 0.01, 0.9, 1e-7)),
        ("a later step, with a cache already built up",
         (_rng.standard_normal((3, 2)), _rng.standard_normal((3, 2)), 0.01 + 0.1 * _rng.random((3, 2)),
          0.001, 0.99, 1e-7)),
        ("gradients far smaller than epsilon, first step",
         (_rng.standard_normal((1, 4)), 1e-9 * _rng.standard_normal((1, 4)), np.zeros((1, 4)), 0.1, 0.9,
          1e-7)),
    ],
    mistakes=[
        Mistake("adagrad-sum",
                "that is AdaGrad's cache, a sum that never forgets (cache + grad**2). RMSprop keeps a "
                "running average: cache = rho * cache + (1 - rho) * grad**2.",
                lambda p, g, c, lr, rho, eps: (p - lr * g / (np.sqrt(c + g**2) + eps), c + g**2)),
        Mistake("rho-swapped",
                "rho and 1 - rho are swapped: rho multiplies the OLD cache, (1 - rho) the new squared "
                "gradient: cache = rho * cache + (1 - rho) * grad**2.",
                lambda p, g, c, lr, rho, eps: _rmsprop(p, g, c, lr, 1 - rho, eps)),
        Mistake("no-one-minus-rho",
                "the new squared gradient must be weighted by (1 - rho): cache = rho * cache + (1 - rho) * "
                "grad**2, so that the cache is an average of squared gradients.",
                lambda p, g, c, lr, rho, eps: (p - lr * g / (np.sqrt(rho * c + g**2) + eps), rho * c + g**2)),
        Mistake("not-squared",
                "square the gradient in the cache: (1 - rho) * grad**2. The cache estimates the SIZE of the "
                "gradients, and its square root is taken in the step.",
                lambda p, g, c, lr, rho, eps: (p - lr * g / (np.sqrt(rho * c + (1 - rho) * g) + eps),
                                               rho * c + (1 - rho) * g)),
        Mistake("no-sqrt",
                "divide by the square ROOT of the cache: param - lr * grad / (np.sqrt(cache) + eps).",
                lambda p, g, c, lr, rho, eps: (p - lr * g / (rho * c + (1 - rho) * g**2 + eps),
                                               rho * c + (1 - rho) * g**2)),
        Mistake("old-cache",
                "update the cache first, then divide by the square root of the NEW cache. With the old one, "
                "the first step divides by sqrt(0) + eps and explodes.",
                lambda p, g, c, lr, rho, eps: (p - lr * g / (np.sqrt(c) + eps), rho * c + (1 - rho) * g**2)),
        Mistake("eps-inside-sqrt",
                "epsilon goes outside the square root, sqrt(cache) + eps, as in nnlib and the chapter's "
                "equation. np.sqrt(cache + eps) is another convention; the two differ when the cache is "
                "tiny.",
                lambda p, g, c, lr, rho, eps: (p - lr * g / np.sqrt(rho * c + (1 - rho) * g**2 + eps),
                                               rho * c + (1 - rho) * g**2)),
        Mistake("gradient-sign",
                "the step goes the wrong way: step AGAINST the gradient, param - lr * grad / (...).",
                lambda p, g, c, lr, rho, eps: (2 * p - _rmsprop(p, g, c, lr, rho, eps)[0],
                                               _rmsprop(p, g, c, lr, rho, eps)[1])),
        Mistake("in-place",
                "it changed param and cache in place (*=, +=, -=): return new arrays, e.g. new_cache = rho * "
                "cache + (1 - rho) * grad**2, and leave the inputs as they were.", _rmsprop_in_place),
        Mistake("swapped", "the two results are swapped: return (new_param, new_cache), in that order.",
                lambda p, g, c, lr, rho, eps: _rmsprop(p, g, c, lr, rho, eps)[::-1]),
    ],
    alternatives=[
        ("copies, then in place",
         lambda p, g, c, lr, rho, eps: _rmsprop_in_place(p.copy(), g, c.copy(), lr, rho, eps)),
        ("a power of 0.5 and grad * grad",
         lambda p, g, c, lr, rho, eps: (p - lr * g / ((rho * c + (1 - rho) * g * g) ** 0.5 + eps),
                                        rho * c + (1 - rho) * g * g)),
    ],
)
