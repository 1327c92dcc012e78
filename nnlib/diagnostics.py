"""Diagnostics for training deep networks (chapter 18): gradient norms by layer, a learning-rate range test.

``gradient_norms(network)`` reads the gradients the last backward pass left in
each layer and returns one number per layer, ``||dW^(l)||``, the square root of
the sum of the squares of the entries of ``dweights`` (the Frobenius norm)::

    out = net.forward(X_batch)
    net.backward(out, y_batch)
    nnlib.diagnostics.gradient_norms(net)      # array([...]), first layer first

``lr_range_test(network, X, y)`` trains a *copy* of the network for a short run
in which the learning rate grows by the same factor at every step, from
``lr_min`` to ``lr_max``, and records the loss of every step's batch. Plotted
against the learning rate (on a log scale), the loss first barely moves, then
falls, then shoots up: a good learning rate lies in the falling part
(Smith, 2017; the exponential schedule, the smoothing and the stop at 4 times
the lowest smoothed loss follow the fastai library's ``lr_find``)::

    test = nnlib.diagnostics.lr_range_test(net, X_train, y_train, rng=0)
    test.learning_rates, test.losses           # one entry per step taken
    test.smoothed_losses                       # their moving average, as Adam averages gradients
    test.suggestion()                          # a tenth of the lr where the smoothed loss is lowest

The network you pass, its weights and its optimizer, are left exactly as they were.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np

from ._checks import all_finite, make_rng
from .network import Network


def _check_network(network, what: str) -> None:
    if not isinstance(network, Network):
        raise TypeError(f"{what} takes an nnlib Network, got {type(network).__name__}.")


def gradient_norms(network) -> np.ndarray:
    """``||dW^(l)||`` for every layer with weights, in forward order, from the last backward pass.

    Each entry is ``np.linalg.norm(layer.dweights)``, the Frobenius norm
    ``sqrt(sum of dW_kj ** 2)``; the biases' gradients are left out. Call it after
    ``network.backward(...)`` (or a training step). Returns an array of shape
    ``(number of layers with weights,)``.
    """
    _check_network(network, "gradient_norms")
    layers = [layer for layer in network.trainable if "weights" in layer.params]
    if not layers:
        raise ValueError("the network has no layer with weights, so there is no weight gradient to measure.")
    for i, layer in enumerate(layers):
        if isinstance(getattr(layer, "dweights", None), np.ndarray) and not hasattr(layer, "dinputs"):
            raise RuntimeError(
                f"layer {i} ({layer!r}) has not been through a backward pass yet, so its dweights are "
                "still the zeros it was built with. Run out = net.forward(X); net.backward(out, y) first."
            )
    return np.array([np.linalg.norm(layer.grads["weights"]) for layer in layers])


def smooth(losses, beta: float = 0.98) -> np.ndarray:
    """Exponential moving average of ``losses`` with bias correction, as Adam averages gradients.

    ``m_t = beta * m_(t-1) + (1 - beta) * loss_t`` from ``m_(-1) = 0``, then
    ``m_t / (1 - beta ** (t + 1))``, so that the first values are not pulled towards 0.
    With ``beta = 0.98`` each value averages roughly the last 50 losses.
    """
    if not (np.isfinite(beta) and 0 <= beta < 1):
        raise ValueError(f"beta must be in [0, 1), got {beta!r}.")
    out, m = np.empty(len(losses)), 0.0
    for t, value in enumerate(losses):
        m = beta * m + (1 - beta) * value
        out[t] = m / (1 - beta ** (t + 1))
    return out


@dataclass(frozen=True)
class LRRangeTest:
    """What :func:`lr_range_test` recorded: one learning rate and one loss per step taken.

    ``losses[t]`` is the loss on step ``t``'s batch *before* that step's update, which
    used ``learning_rates[t]``; ``smoothed_losses`` is their moving average
    (:func:`smooth`). ``diverged`` is True when the run stopped before ``lr_max``
    because the loss became non-finite or the smoothed loss exceeded ``stop_factor``
    times its lowest value so far (the last entry is the step where that was seen,
    if its loss was finite).
    """

    learning_rates: np.ndarray
    losses: np.ndarray
    smoothed_losses: np.ndarray
    diverged: bool

    def suggestion(self, factor: float = 10.0) -> float:
        """A learning rate to train with: the one where the smoothed loss is lowest, divided by ``factor``.

        Near the lowest point the loss is about to turn up, so a smaller rate sits in
        the part of the curve where the loss falls steadily. ``factor = 10`` is the
        fastai library's "minimum" rule; Smith (2017) reads both ends of the falling
        part off the curve, as the bounds of a cyclical schedule. Either is a rule of
        thumb: check the result on the validation set.
        """
        if not (np.isfinite(factor) and factor >= 1):
            raise ValueError(f"factor must be a number >= 1, got {factor!r}.")
        if len(self.smoothed_losses) == 0:
            raise ValueError("no step was recorded: the loss was not finite from the start.")
        return float(self.learning_rates[np.argmin(self.smoothed_losses)] / factor)


def lr_range_test(
    network,
    X,
    y,
    *,
    lr_min: float = 1e-4,
    lr_max: float = 10.0,
    steps: int = 100,
    batch_size: int = 32,
    rng=None,
    stop_factor: float = 4.0,
    beta: float = 0.98,
) -> LRRangeTest:
    """Train a copy of ``network`` with a learning rate growing from ``lr_min`` to ``lr_max``.

    Step ``t`` (``t = 0, ..., steps - 1``) uses
    ``eta_t = lr_min * (lr_max / lr_min) ** (t / (steps - 1))``, on the next mini-batch
    of ``batch_size`` samples of ``(X, y)`` (reshuffled with ``rng`` whenever the
    data run out, as ``fit`` does each epoch). The run stops early once the loss is
    not finite or its moving average (:func:`smooth` with ``beta``) exceeds
    ``stop_factor`` times its lowest value so far.

    The copy is made with ``copy.deepcopy``, so ``network``, its weights and its
    optimizer's state are unchanged. The optimizer is the network's own (``SGD``,
    ``Adam``, ...) with its ``learning_rate`` set at every step; it must have no
    ``decay``, which would change the rates. Returns an :class:`LRRangeTest`.
    """
    _check_network(network, "lr_range_test")
    if network.optimizer is None:
        raise ValueError("lr_range_test needs a network with an optimizer: Network(layers, loss, SGD(...)).")
    if network.optimizer.decay != 0:
        raise ValueError(
            f"the network's optimizer has decay={network.optimizer.decay}, which would shrink every "
            "learning rate of the test. Use an optimizer without decay for the test."
        )
    for name, value in (("lr_min", lr_min), ("lr_max", lr_max), ("stop_factor", stop_factor)):
        if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)) or not (
            np.isfinite(value) and value > 0
        ):
            raise ValueError(f"{name} must be a positive number, got {value!r}.")
    if lr_max <= lr_min:
        raise ValueError(f"lr_max ({lr_max}) must be larger than lr_min ({lr_min}).")
    if stop_factor <= 1:
        raise ValueError(f"stop_factor must be larger than 1, got {stop_factor}.")
    for name, value in (("steps", steps), ("batch_size", batch_size)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}.")
    if steps < 2:
        raise ValueError(f"steps must be at least 2, to go from lr_min to lr_max; got {steps}.")
    if not (np.isfinite(beta) and 0 <= beta < 1):
        raise ValueError(f"beta must be in [0, 1), got {beta!r}.")

    net = copy.deepcopy(network)
    X, targets, _, _ = net._checked_data(X, y, "X", "y")  # checked once, here
    n = X.shape[0]
    batch_size = min(int(batch_size), n)
    gen = make_rng(rng)
    rates = lr_min * (lr_max / lr_min) ** (np.arange(steps) / (steps - 1))

    recorded, order, start, diverged = [], gen.permutation(n), 0, False
    average, best = 0.0, np.inf  # the moving average of the loss (see smooth) and its lowest value
    with np.errstate(over="ignore", invalid="ignore"):
        for t, lr in enumerate(rates):
            if start + batch_size > n:  # the data ran out: a new epoch, a new order
                order, start = gen.permutation(n), 0
            batch = order[start: start + batch_size]
            start += batch_size
            out = net.forward(X[batch])
            loss = net.loss.forward(out, targets[batch]) if all_finite(out) else np.inf
            if not np.isfinite(loss):
                diverged = True
                break
            recorded.append((lr, loss))
            average = beta * average + (1 - beta) * loss
            smoothed = average / (1 - beta ** (t + 1))
            if smoothed > stop_factor * best:
                diverged = True
                break
            best = min(best, smoothed)
            net.backward(out, targets[batch])
            net.optimizer.learning_rate = float(lr)
            net.optimizer.step(net.trainable)
            if not all(all_finite(p) for layer in net.trainable for p in layer.params.values()):
                diverged = True
                break
    lrs = np.array([r for r, _ in recorded])
    losses = np.array([v for _, v in recorded])
    return LRRangeTest(learning_rates=lrs, losses=losses, smoothed_losses=smooth(losses, beta),
                       diverged=diverged)
