"""Optimizers: turn gradients into parameter updates.

An optimizer works on any object with ``params`` and ``grads`` dicts (a
``Dense`` layer); layers without parameters are skipped. Call
``optimizer.step(layers)`` once per batch after ``backward``. Parameters are
updated **in place**, so references to ``layer.weights`` stay valid.
"""

from __future__ import annotations

import numpy as np


def _check_positive(name: str, value: float, allow_zero: bool = False) -> float:
    ok = value >= 0 if allow_zero else value > 0
    if not (np.isfinite(value) and ok):
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be a finite number {bound}, got {value!r}.")
    return float(value)


class Optimizer:
    """Shared machinery: learning-rate decay and per-parameter state."""

    def __init__(self, learning_rate: float, decay: float = 0.0):
        self.learning_rate = _check_positive("learning_rate", learning_rate)
        self.decay = _check_positive("decay", decay, allow_zero=True)
        self.iterations = 0
        # Per-parameter state (momentum, Adam's moments), keyed by layer and name.
        self._state: dict[tuple[int, str], dict[str, np.ndarray]] = {}

    @property
    def current_learning_rate(self) -> float:
        """``eta_t = eta / (1 + decay * t)`` after ``t`` steps."""
        return self.learning_rate / (1.0 + self.decay * self.iterations)

    def step(self, layers) -> None:
        """Update every parameter of every layer that has ``params``."""
        lr = self.current_learning_rate
        for layer in layers:
            params = getattr(layer, "params", None)
            if not params:
                continue
            grads = layer.grads
            for name, param in params.items():
                state = self._state.setdefault((id(layer), name), {})
                self._update(param, grads[name], lr, state)
        self.iterations += 1

    def _update(self, param, grad, lr, state):  # pragma: no cover - abstract
        raise NotImplementedError


class SGD(Optimizer):
    """Stochastic gradient descent, optionally with momentum.

    Plain: ``theta <- theta - eta_t * g``. With momentum ``mu``:
    ``v <- mu v - eta_t g``; ``theta <- theta + v``.
    """

    def __init__(self, learning_rate: float = 1.0, decay: float = 0.0, momentum: float = 0.0):
        super().__init__(learning_rate, decay)
        if not 0 <= momentum < 1:
            raise ValueError(f"momentum must be in [0, 1), got {momentum!r}.")
        self.momentum = float(momentum)

    def __repr__(self) -> str:
        return f"SGD(learning_rate={self.learning_rate}, decay={self.decay}, momentum={self.momentum})"

    def _update(self, param, grad, lr, state):
        if self.momentum:
            v = state.setdefault("velocity", np.zeros_like(param))
            v *= self.momentum
            v -= lr * grad
            param += v
        else:
            param -= lr * grad


class Adam(Optimizer):
    """Adam (Kingma and Ba, 2015) with bias correction.

    ``m <- b1 m + (1 - b1) g``; ``v <- b2 v + (1 - b2) g^2``;
    ``theta <- theta - eta_t * m_hat / (sqrt(v_hat) + eps)`` with
    ``m_hat = m / (1 - b1^t)``, ``v_hat = v / (1 - b2^t)``, where ``t`` counts
    the steps from 1 and every operation is elementwise. The default
    ``epsilon = 1e-7`` follows the NNFS book and Keras; the paper uses 1e-8.
    """

    def __init__(
        self,
        learning_rate: float = 0.001,
        decay: float = 0.0,
        beta1: float = 0.9,
        beta2: float = 0.999,
        epsilon: float = 1e-7,
    ):
        super().__init__(learning_rate, decay)
        for name, b in (("beta1", beta1), ("beta2", beta2)):
            if not 0 <= b < 1:
                raise ValueError(f"{name} must be in [0, 1), got {b!r}.")
        self.beta1, self.beta2 = float(beta1), float(beta2)
        self.epsilon = _check_positive("epsilon", epsilon)

    def __repr__(self) -> str:
        return f"Adam(learning_rate={self.learning_rate}, decay={self.decay})"

    def _update(self, param, grad, lr, state):
        m = state.setdefault("m", np.zeros_like(param))
        v = state.setdefault("v", np.zeros_like(param))
        t = self.iterations + 1
        m *= self.beta1
        m += (1 - self.beta1) * grad
        v *= self.beta2
        v += (1 - self.beta2) * grad**2
        m_hat = m / (1 - self.beta1**t)
        v_hat = v / (1 - self.beta2**t)
        param -= lr * m_hat / (np.sqrt(v_hat) + self.epsilon)
