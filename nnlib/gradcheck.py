"""Gradient checking: compare a backward pass with finite differences.

The central difference ``(f(x + h) - f(x - h)) / (2h)`` has error of order
``h^2``; with ``h = 1e-5`` in float64 it agrees with a correct analytic
gradient to about 1e-8 or better. Agreement is measured as CS231n does, entry by
entry::

    relative error = |a - n| / max(|a|, |n|)      (0 where both are 0)

and the largest entry is reported. Rules of thumb: above 1e-2 the gradient is
wrong; below 1e-7 it is right; near a kink (ReLU at 0) 1e-4 can be fine.
Entry by entry, a gradient entry that is itself tiny (say 1e-10) can show a
large relative error from rounding alone; then look at the absolute difference.
Everything here insists on float64: in float32 the differences drown in
rounding error and a correct gradient looks wrong.
"""

from __future__ import annotations

import numpy as np

from ._checks import make_rng


def _require_float64(arr: np.ndarray, name: str) -> None:
    if arr.dtype != np.float64:
        raise TypeError(
            f"gradient checks need float64, but {name} is {arr.dtype}. In float32, finite "
            "differences are swamped by rounding error: f(x + h) - f(x - h) keeps only a few "
            "correct digits, so a correct gradient looks wrong. Check a float64 version: "
            "network.astype(np.float64), or a layer built with Dense(..., dtype=np.float64), the "
            "default. (If nnfs.init() ran in this process, it makes NumPy create float32 "
            "arrays: restart the kernel without it.)"
        )


def numerical_gradient(f, x: np.ndarray, h: float = 1e-5) -> np.ndarray:
    """Central-difference gradient of the scalar function ``f()`` w.r.t. ``x``.

    ``x`` is perturbed **in place**, one entry at a time, and restored; ``f`` takes
    no arguments and must read ``x`` (e.g. through a layer that holds it).
    Returns an array shaped like ``x``.
    """
    _require_float64(x, "x")
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        old = x[i]
        x[i] = old + h
        f_plus = f()
        x[i] = old - h
        f_minus = f()
        x[i] = old
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


def relative_error(analytic, numeric) -> float:
    """Largest entrywise ``|a - n| / max(|a|, |n|)`` as a float; entries where both are 0 count as 0.

    ``analytic`` and ``numeric`` must have the same shape.
    """
    a = np.asarray(analytic, dtype=np.float64)
    n = np.asarray(numeric, dtype=np.float64)
    if a.shape != n.shape:
        raise ValueError(f"analytic gradient has shape {a.shape}, numeric {n.shape}.")
    denom = np.maximum(np.abs(a), np.abs(n))
    err = np.divide(np.abs(a - n), denom, out=np.zeros_like(denom), where=denom > 0)
    return float(err.max()) if err.size else 0.0


def check_layer(layer, inputs, *, rng=0, h: float = 1e-5) -> dict[str, float]:
    """Check ``layer.backward`` (and its parameter gradients) numerically.

    ``inputs`` is a batch ``(N, n_inputs)`` (any shape the layer accepts).
    Uses the scalar ``L = sum(layer.forward(inputs) * G)`` with a fixed random
    ``G`` (so ``dL/d(output) = G``), then compares ``dinputs`` and every entry of
    ``layer.grads`` with central differences. Returns ``{name: relative error}``
    with the names ``"dinputs"`` and ``"d" + param`` (``"dweights"``, ``"dbiases"``).
    """
    for name, p in (getattr(layer, "params", None) or {}).items():
        _require_float64(p, f"{layer!r}.{name}")
    x = np.array(inputs, dtype=np.float64)  # a private copy we may perturb
    out = layer.forward(x)
    G = make_rng(rng).standard_normal(out.shape)

    def f():
        return float(np.sum(layer.forward(x) * G))

    layer.forward(x)
    layer.backward(G)
    analytic = {"dinputs": layer.dinputs.copy()}
    grads = getattr(layer, "grads", None) or {}
    params = getattr(layer, "params", None) or {}
    for name in params:
        analytic["d" + name] = grads[name].copy()
    errors = {"dinputs": relative_error(analytic["dinputs"], numerical_gradient(f, x, h))}
    for name, p in params.items():
        _require_float64(p, f"{layer!r}.{name}")
        errors["d" + name] = relative_error(analytic["d" + name], numerical_gradient(f, p, h))
    return errors


def check_loss(loss, y_pred, y_true, *, h: float = 1e-5) -> float:
    """Relative error between ``loss.backward`` and finite differences of ``loss.forward``."""
    p = np.array(y_pred, dtype=np.float64)
    analytic = loss.backward(p, y_true)
    numeric = numerical_gradient(lambda: loss.forward(p, y_true), p, h)
    return relative_error(analytic, numeric)


def check_network(network, X, y, *, h: float = 1e-5) -> dict[str, float]:
    """Check every parameter gradient of a whole ``Network`` at once.

    ``X`` is ``(N, D)`` and ``y`` the targets the network's loss expects. Runs one
    forward and backward pass, then perturbs each weight and bias.
    Returns ``{"layer<i>.<name>": relative error}`` for each trainable layer ``i``.
    """
    for i, layer in enumerate(network.layers):
        for name, p in (getattr(layer, "params", None) or {}).items():
            _require_float64(p, f"layer {i} {name}")
    X = np.asarray(X, dtype=np.float64)
    out = network.forward(X)
    network.backward(out, y)
    analytic = {
        (i, name): g.copy()
        for i, layer in enumerate(network.layers)
        if getattr(layer, "params", None)
        for name, g in layer.grads.items()
    }

    def f():
        return network.loss.forward(network.forward(X), y)

    errors = {}
    for (i, name), a in analytic.items():
        p = network.layers[i].params[name]
        _require_float64(p, f"layer {i} {name}")
        errors[f"layer{i}.{name}"] = relative_error(a, numerical_gradient(f, p, h))
    return errors
