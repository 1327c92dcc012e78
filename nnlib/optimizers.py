"""Optimizers: turn gradients into parameter updates.

An optimizer works on any object with ``params`` and ``grads`` dicts (a
``Dense`` layer); layers without parameters are skipped. Call
``optimizer.step(layers)`` once per batch after ``backward``. Parameters are
updated **in place**, so references to ``layer.weights`` stay valid.

Where an optimizer keeps its memory
-----------------------------------
Momentum, AdaGrad, RMSprop and Adam remember something about each parameter
(a velocity, a running sum of squared gradients, two moment estimates). That
memory lives **with the parameters**: the first step gives each layer an
attribute ``optimizer_state``, an :class:`OptimizerState` dict such as
``{"weights": {"m": ..., "v": ...}, "biases": {...}}`` whose arrays have the
parameter's shape and dtype, and whose ``owner`` is the optimizer. The optimizer
itself holds its settings and ``iterations``, the number of steps it has taken
(which sets the decayed learning rate and Adam's bias correction). Two rules
follow:

* ``copy.deepcopy(network)`` copies the layers, their state and the optimizer
  together, so the copy trained one step further makes exactly the update the
  original would make.
* An optimizer serves the parameters it started with. A new optimizer (no steps
  yet) takes over any layer, replacing what another optimizer left there. One
  that has already taken steps refuses a layer it has not been updating,
  because its step count belongs to other parameters: give each network its own
  optimizer.
"""

from __future__ import annotations

import math

import numpy as np


def _check_positive(name: str, value: float, allow_zero: bool = False) -> float:
    ok = value >= 0 if allow_zero else value > 0
    if not (np.isfinite(value) and ok):
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be a finite number {bound}, got {value!r}.")
    return float(value)


def _check_fraction(name: str, value: float) -> float:
    if not 0 <= value < 1:
        raise ValueError(f"{name} must be in [0, 1), got {value!r}.")
    return float(value)


class OptimizerState(dict):
    """One layer's optimizer memory: ``{parameter name: {state name: array}}``.

    ``owner`` is the optimizer the state belongs to (see the module docstring).
    """

    def __init__(self, owner: Optimizer):
        super().__init__()
        self.owner = owner


class Optimizer:
    """Shared machinery: learning-rate decay, the step loop and per-parameter state."""

    def __init__(self, learning_rate: float, decay: float = 0.0):
        self.learning_rate = _check_positive("learning_rate", learning_rate)
        self.decay = _check_positive("decay", decay, allow_zero=True)
        self.iterations = 0

    @property
    def current_learning_rate(self) -> float:
        """``eta_t = eta / (1 + decay * t)`` after ``t`` steps."""
        return self.learning_rate / (1.0 + self.decay * self.iterations)

    def step(self, layers) -> None:
        """Update every parameter of every layer that has ``params``.

        Each gradient must be an array of its parameter's shape.
        """
        # Look at everything first, so that a refusal leaves every layer as it was.
        work = []
        for layer in layers:
            params = getattr(layer, "params", None)
            if not params:
                continue
            grads, state = layer.grads, self._state_of(layer)
            for name, param in params.items():
                grad = grads[name]
                if type(grad) is not np.ndarray or grad.shape != param.shape:
                    _refuse_gradient(layer, name, param, grad)
            work.append((layer, params, grads, state))
        lr = self.current_learning_rate
        for layer, params, grads, state in work:
            if state is not getattr(layer, "optimizer_state", None):
                layer.optimizer_state = state  # replaces whatever another optimizer left here
            for name, param in params.items():
                slots = state.get(name)
                if slots is None:
                    slots = state[name] = {}
                self._update(param, grads[name], lr, slots)
        self.iterations += 1

    def _state_of(self, layer) -> OptimizerState:
        """The layer's :class:`OptimizerState`, or a new one on the first step (attached by ``step``)."""
        state = getattr(layer, "optimizer_state", None)
        if state is not None and state.owner is self:
            return state
        if self.iterations > 0:
            raise ValueError(
                f"{self!r} has already taken {self.iterations} step(s) on other parameters, so it "
                f"cannot take over {layer!r}: its step count (which sets the decayed learning rate "
                "and Adam's bias correction) belongs to them. Give each network its own optimizer, "
                f"e.g. network.optimizer = {type(self).__name__}(...)."
            )
        return OptimizerState(self)

    def _update(self, param, grad, lr, state):  # pragma: no cover - abstract
        raise NotImplementedError


def _refuse_gradient(layer, name, param, grad):
    what = f"an array of shape {np.shape(grad)}" if hasattr(grad, "shape") else type(grad).__name__
    hint = ""
    if getattr(grad, "size", None) == param.size:
        hint = f" It holds the right number of values: reshape it to {param.shape}."
    raise ValueError(
        f"the gradient of {layer!r}.{name} must be an array of the parameter's shape "
        f"{param.shape}, got {what}.{hint} The gradient of a parameter has its shape: "
        "check the backward pass that set it."
    )


class SGD(Optimizer):
    """Stochastic gradient descent, optionally with momentum.

    Plain: ``theta <- theta - eta_t * g``. With momentum ``mu``:
    ``v <- mu v - eta_t g``; ``theta <- theta + v``.
    """

    def __init__(self, learning_rate: float = 1.0, decay: float = 0.0, momentum: float = 0.0):
        super().__init__(learning_rate, decay)
        self.momentum = _check_fraction("momentum", momentum)

    def __repr__(self) -> str:
        return f"SGD(learning_rate={self.learning_rate}, decay={self.decay}, momentum={self.momentum})"

    def _update(self, param, grad, lr, state):
        if self.momentum:
            if not state:
                state["velocity"] = np.zeros_like(param)
            v = state["velocity"]
            v *= self.momentum
            v -= lr * grad
            param += v
        else:
            param -= lr * grad


class AdaGrad(Optimizer):
    """AdaGrad (Duchi, Hazan and Singer, 2011), in the NNFS book's form.

    ``cache <- cache + g^2``; ``theta <- theta - eta_t * g / (sqrt(cache) + eps)``,
    elementwise. Each parameter's step shrinks as its squared gradients add up,
    so parameters with large gradients slow down first. Defaults as in NNFS:
    ``learning_rate = 1.0``, ``epsilon = 1e-7``.
    """

    def __init__(self, learning_rate: float = 1.0, decay: float = 0.0, epsilon: float = 1e-7):
        super().__init__(learning_rate, decay)
        self.epsilon = _check_positive("epsilon", epsilon)

    def __repr__(self) -> str:
        return f"AdaGrad(learning_rate={self.learning_rate}, decay={self.decay}, epsilon={self.epsilon})"

    def _update(self, param, grad, lr, state):
        if not state:
            state["cache"] = np.zeros_like(param)
        cache = state["cache"]
        cache += grad * grad
        param -= lr * grad / (np.sqrt(cache) + self.epsilon)


class RMSprop(Optimizer):
    """RMSprop (Hinton's lecture notes, 2012), in the NNFS book's form.

    ``cache <- rho cache + (1 - rho) g^2``;
    ``theta <- theta - eta_t * g / (sqrt(cache) + eps)``, elementwise. Like AdaGrad,
    but the cache is a moving average, so old gradients are forgotten and the
    steps do not shrink for ever. Defaults as in NNFS: ``learning_rate = 0.001``,
    ``rho = 0.9``, ``epsilon = 1e-7``.
    """

    def __init__(
        self, learning_rate: float = 0.001, decay: float = 0.0, epsilon: float = 1e-7, rho: float = 0.9
    ):
        super().__init__(learning_rate, decay)
        self.epsilon = _check_positive("epsilon", epsilon)
        self.rho = _check_fraction("rho", rho)

    def __repr__(self) -> str:
        return (f"RMSprop(learning_rate={self.learning_rate}, decay={self.decay}, "
                f"epsilon={self.epsilon}, rho={self.rho})")

    def _update(self, param, grad, lr, state):
        if not state:
            state["cache"] = np.zeros_like(param)
        cache = state["cache"]
        cache *= self.rho
        cache += (1 - self.rho) * grad * grad
        param -= lr * grad / (np.sqrt(cache) + self.epsilon)


class Adam(Optimizer):
    """Adam (Kingma and Ba, 2015) with bias correction.

    ``m <- b1 m + (1 - b1) g``; ``v <- b2 v + (1 - b2) g^2``;
    ``theta <- theta - eta_t * m_hat / (sqrt(v_hat) + eps)`` with
    ``m_hat = m / (1 - b1^t)``, ``v_hat = v / (1 - b2^t)``, where ``t`` counts
    the steps from 1 and every operation is elementwise. The default
    ``epsilon = 1e-7`` follows the NNFS book and Keras; the paper uses 1e-8.

    The code folds the two bias corrections into scalars, as the paper suggests
    at the end of its Section 2: with ``c = sqrt(1 - b2^t)``,
    ``m_hat / (sqrt(v_hat) + eps) = (c / (1 - b1^t)) * m / (sqrt(v) + c eps)``,
    the same update with fewer passes over the arrays.
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
        self.beta1 = _check_fraction("beta1", beta1)
        self.beta2 = _check_fraction("beta2", beta2)
        self.epsilon = _check_positive("epsilon", epsilon)

    def __repr__(self) -> str:
        return f"Adam(learning_rate={self.learning_rate}, decay={self.decay})"

    def _update(self, param, grad, lr, state):
        if not state:
            state["m"] = np.zeros_like(param)
            state["v"] = np.zeros_like(param)
        m, v = state["m"], state["v"]
        t = self.iterations + 1
        m *= self.beta1
        m += (1 - self.beta1) * grad
        v *= self.beta2
        v += (1 - self.beta2) * grad * grad
        c = math.sqrt(1 - self.beta2**t)  # a Python float keeps float32 arrays float32
        denominator = np.sqrt(v)
        denominator += c * self.epsilon
        param -= (lr * c / (1 - self.beta1**t)) * m / denominator
