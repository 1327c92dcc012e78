"""Gradient checking: compare a backward pass with finite differences.

The central difference ``(f(x + h) - f(x - h)) / (2h)`` has error of order
``h^2``; with ``h = 1e-5`` in float64 it agrees with a correct analytic
gradient to about 1e-8 or better. Agreement is measured as CS231n does, entry by
entry::

    relative error = |a - n| / max(|a|, |n|)      (0 where both are 0)

and the largest entry is reported. Rules of thumb: above 1e-2 the gradient is
wrong; below 1e-7 it is right; near a kink (ReLU at 0) 1e-4 can be fine.
Entry by entry, a gradient entry that is itself tiny (say 1e-10) can show a
large relative error from rounding alone; then look at the absolute difference,
or at the error measured over the whole array, which tiny entries cannot spoil::

    norm error = ||a - n|| / (||a|| + ||n||)      (0 where both are 0)

So the checkers tell you *where* the worst entry is, not only how bad it is:
each result is a :class:`GradError`, a float (the worst relative error, so
``err < 1e-7`` works) that also carries the worst entry's ``index``, its
``analytic`` and ``numeric`` values, their ``abs_diff`` and the array's
``norm_error``. ``check_layer`` and ``check_network`` return a
:class:`GradReport`, a dict ``{name: GradError}`` that prints as a table::

    >>> errs = check_network(net, X, y)
    >>> max(errs.values()) < 1e-7          # the worst array, as before
    >>> errs["layer0.weights"].index       # e.g. (1, 3): row 1, column 3 of W
    >>> print(errs)                        # one row per array, worst entry shown

A big layer has many entries and each costs two forward passes; pass
``max_entries=k`` to check ``k`` entries per array chosen at random (CS231n
checks a random sample of parameters too). Check again after a few training
steps: at initialisation some bugs hide (biases start at 0, so a wrong term
that involves them is 0 too and the check passes).

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


def _central_difference(f, x: np.ndarray, i: tuple, h: float) -> float:
    """``(f() at x[i] + h  -  f() at x[i] - h) / 2h``; ``x[i]`` is restored even if ``f`` raises."""
    old = x[i]
    try:
        x[i] = old + h
        f_plus = f()
        x[i] = old - h
        f_minus = f()
    finally:
        x[i] = old
    return (f_plus - f_minus) / (2 * h)


def numerical_gradient(f, x: np.ndarray, h: float = 1e-5) -> np.ndarray:
    """Central-difference gradient of the scalar function ``f()`` w.r.t. ``x``.

    ``x`` is perturbed **in place**, one entry at a time, and restored; ``f`` takes
    no arguments and must read ``x`` (e.g. through a layer that holds it).
    Returns an array shaped like ``x``.
    """
    _require_float64(x, "x")
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        grad[i] = _central_difference(f, x, i, h)
    return grad


class GradError(float):
    """How far an analytic gradient is from a numerical one, and where.

    The value *is* the largest entrywise relative error ``|a - n| / max(|a|, |n|)``,
    so it compares, sorts and formats like the float it is (``err < 1e-7``,
    ``f"{err:.1e}"``). The worst entry and the whole-array error come along as
    attributes:

    ``index``
        position of the worst entry in the gradient array (a tuple; ``None`` for
        an empty array),
    ``analytic``, ``numeric``, ``abs_diff``
        the two gradients at that entry and ``|analytic - numeric|``,
    ``norm_error``
        ``||a - n|| / (||a|| + ||n||)`` over every entry checked: one tiny entry
        with a large relative rounding error barely moves it,
    ``checked``, ``size``
        how many entries were compared, out of how many (fewer with ``max_entries``).

    ``repr`` shows all of it; ``str`` (and ``print``) only the number.
    """

    def __new__(cls, value=0.0, *, index=None, analytic=None, numeric=None, abs_diff=0.0,
                norm_error=0.0, checked=0, size=0):
        self = super().__new__(cls, value)
        self.index, self.analytic, self.numeric = index, analytic, numeric
        self.abs_diff, self.norm_error = abs_diff, norm_error
        self.checked, self.size = checked, size
        return self

    def __str__(self) -> str:
        return float.__repr__(self)

    def __repr__(self) -> str:
        if self.index is None:
            return f"GradError({float(self):.2e}, nothing to compare: the array is empty)"
        text = (f"GradError({float(self):.2e}, worst entry {self.index}: analytic "
                f"{self.analytic:.6g}, numeric {self.numeric:.6g}, |a - n| {self.abs_diff:.1e}; "
                f"norm error {self.norm_error:.1e}")
        if self.checked < self.size:
            text += f"; {self.checked} of {self.size} entries checked"
        return text + ")"


def _summarise(a: np.ndarray, n: np.ndarray, positions: np.ndarray, shape: tuple) -> GradError:
    """Compare 1-D ``a`` and ``n``, the gradient entries at flat ``positions`` of an array of ``shape``."""
    size = int(np.prod(shape))
    if a.size == 0:
        return GradError(0.0, size=size)
    for values, which, hint in ((a, "analytic", "the backward pass produced it (a division by 0, a "
                                 "log of 0, an overflow?)"),
                                (n, "numerical", "the loss is NaN or inf next to this point")):
        bad = np.flatnonzero(~np.isfinite(values))
        if bad.size:
            where = tuple(int(i) for i in np.unravel_index(int(positions[bad[0]]), shape))
            raise ValueError(f"the {which} gradient holds {bad.size} NaN or inf value(s), the first at "
                             f"index {where}: {values[bad[0]]}. A gradient check compares finite "
                             f"numbers; {hint}.")
    denom = np.maximum(np.abs(a), np.abs(n))
    diff = np.abs(a - n)
    err = np.divide(diff, denom, out=np.zeros_like(denom), where=denom > 0)
    k = int(np.argmax(err))
    scale = np.linalg.norm(a) + np.linalg.norm(n)
    norm_error = float(np.linalg.norm(a - n) / scale) if scale > 0 else 0.0
    index = tuple(int(i) for i in np.unravel_index(int(positions[k]), shape))
    return GradError(err[k], index=index, analytic=float(a[k]), numeric=float(n[k]),
                     abs_diff=float(diff[k]), norm_error=norm_error, checked=a.size, size=size)


def gradient_error(analytic, numeric) -> GradError:
    """Compare two gradient arrays of the same shape entry by entry; see :class:`GradError`.

    ``float(gradient_error(a, n))`` equals ``relative_error(a, n)``; the result also
    says which entry is worst and what both gradients are there.
    """
    a = np.asarray(analytic, dtype=np.float64)
    n = np.asarray(numeric, dtype=np.float64)
    if a.shape != n.shape:
        raise ValueError(f"analytic gradient has shape {a.shape}, numeric {n.shape}.")
    return _summarise(a.reshape(-1), n.reshape(-1), np.arange(a.size), a.shape)


def relative_error(analytic, numeric) -> float:
    """Largest entrywise ``|a - n| / max(|a|, |n|)`` as a float; entries where both are 0 count as 0.

    ``analytic`` and ``numeric`` must have the same shape and hold finite numbers
    (a NaN raises ``ValueError``: in a maximum it would hide or win depending on
    its position). :func:`gradient_error` computes the same number and also says
    where the worst entry is.
    """
    return float(gradient_error(analytic, numeric))


class GradReport(dict):
    """``{array name: GradError}``, as returned by :func:`check_layer` and :func:`check_network`.

    A plain dict in every way (``errs["dweights"]``, ``max(errs.values())``), except
    that it prints as a table with one row per array: the worst relative error,
    where it is, both gradients there, their difference and the norm error.
    """

    def __repr__(self) -> str:
        errors = {k: v if isinstance(v, GradError) else GradError(v) for k, v in self.items()}
        subset = any(e.checked < e.size for e in errors.values())
        header = ["array", "rel. error", "worst entry", "analytic", "numeric", "|a - n|", "norm error"]
        rows = []
        for name, e in errors.items():
            where = ["-", "-", "-"] if e.index is None else [  # None: an empty array or a plain float
                str(e.index), f"{e.analytic:.6g}", f"{e.numeric:.6g}"]
            row = [name, f"{float(e):.2e}", *where, f"{e.abs_diff:.1e}", f"{e.norm_error:.1e}"]
            rows.append(row + ([f"{e.checked} of {e.size}"] if subset else []))
        if subset:
            header.append("checked")
        widths = [max(len(r[c]) for r in [header, *rows]) for c in range(len(header))]
        lines = ["  ".join(cell.ljust(w) if c == 0 else cell.rjust(w)
                           for c, (cell, w) in enumerate(zip(r, widths, strict=True))).rstrip()
                 for r in [header, *rows]]
        return "\n".join(lines)


def _check_array(f, param: np.ndarray, analytic: np.ndarray, h: float, max_entries, rng) -> GradError:
    """Numerical gradient of ``f`` w.r.t. ``param`` (all entries or a random sample) vs ``analytic``."""
    if analytic.shape != param.shape:
        raise ValueError(f"the analytic gradient has shape {analytic.shape} but the array it "
                         f"belongs to has shape {param.shape}; they must match.")
    size = param.size
    if max_entries is None or max_entries >= size:
        positions = np.arange(size)
    else:
        positions = np.sort(rng.choice(size, size=max_entries, replace=False))
    numeric = np.array([_central_difference(f, param, np.unravel_index(int(p), param.shape), h)
                        for p in positions], dtype=np.float64)
    a = np.asarray(analytic, dtype=np.float64).reshape(-1)[positions]
    return _summarise(a, numeric, positions, param.shape)


def _check_max_entries(max_entries) -> None:
    if max_entries is not None and (
        isinstance(max_entries, bool) or not isinstance(max_entries, (int, np.integer)) or max_entries < 1
    ):
        raise ValueError(f"max_entries must be a positive integer (or None to check every entry), "
                         f"got {max_entries!r}.")


def check_layer(layer, inputs, *, rng=0, h: float = 1e-5, max_entries: int | None = None) -> GradReport:
    """Check ``layer.backward`` (and its parameter gradients) numerically.

    ``inputs`` is a batch ``(N, n_inputs)`` (any shape the layer accepts).
    Uses the scalar ``L = sum(layer.forward(inputs) * G)`` with a fixed random
    ``G`` (so ``dL/d(output) = G``), then compares ``dinputs`` and every entry of
    ``layer.grads`` with central differences. Returns a :class:`GradReport`
    ``{name: GradError}`` with the names ``"dinputs"`` and ``"d" + param``
    (``"dweights"``, ``"dbiases"``); each value is the largest relative error and
    knows where it is (``.index``, ``.analytic``, ``.numeric``, ...).

    ``G`` is ``standard_normal`` drawn from ``rng`` (a seed or a Generator). With
    ``max_entries=k``, only ``k`` entries of each array, drawn at random from the
    same ``rng`` after ``G``, are perturbed.
    """
    _check_max_entries(max_entries)
    for name, p in (getattr(layer, "params", None) or {}).items():
        _require_float64(p, f"{layer!r}.{name}")
    x = np.array(inputs, dtype=np.float64)  # a private copy we may perturb
    gen = make_rng(rng)
    out = layer.forward(x)
    G = gen.standard_normal(out.shape)

    def f():
        return float(np.sum(layer.forward(x) * G))

    layer.forward(x)
    layer.backward(G)
    analytic = {"dinputs": layer.dinputs.copy()}
    grads = getattr(layer, "grads", None) or {}
    params = getattr(layer, "params", None) or {}
    for name in params:
        analytic["d" + name] = grads[name].copy()
    errors = GradReport(dinputs=_check_array(f, x, analytic["dinputs"], h, max_entries, gen))
    for name, p in params.items():
        _require_float64(p, f"{layer!r}.{name}")
        errors["d" + name] = _check_array(f, p, analytic["d" + name], h, max_entries, gen)
    return errors


def check_loss(loss, y_pred, y_true, *, h: float = 1e-5) -> GradError:
    """Relative error between ``loss.backward`` and finite differences of ``loss.forward``.

    Returns a :class:`GradError`: the largest relative error (a float), which also
    knows the worst entry of the ``y_pred``-shaped gradient.
    """
    p = np.array(y_pred, dtype=np.float64)
    analytic = loss.backward(p, y_true)
    numeric = numerical_gradient(lambda: loss.forward(p, y_true), p, h)
    return gradient_error(analytic, numeric)


def check_network(network, X, y, *, h: float = 1e-5, max_entries: int | None = None,
                  rng=0) -> GradReport:
    """Check every parameter gradient of a whole ``Network`` at once.

    ``X`` is ``(N, D)`` and ``y`` the targets the network's loss expects. Runs one
    forward and backward pass, then perturbs each weight and bias. The function
    differentiated is the network's objective, ``network.objective(X, y)``: the data
    loss plus the penalty, if the network has one (``penalty=L2(...)``), so the check
    covers the penalty's gradient too. Both passes run in inference mode, where
    ``Dropout`` is the identity (a random mask would change the function between two
    evaluations).
    Returns a :class:`GradReport` ``{"layer<i>.<name>": GradError}`` for each
    trainable layer ``i``; each value is the largest relative error and knows
    where it is (``.index``, ``.analytic``, ``.numeric``, ...).

    With ``max_entries=k``, only ``k`` entries of each array are perturbed, drawn
    at random from ``rng`` (a seed or a Generator): for big layers.
    """
    _check_max_entries(max_entries)
    gen = make_rng(rng)
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
        return network.objective(X, y)

    errors = GradReport()
    for (i, name), a in analytic.items():
        p = network.layers[i].params[name]
        _require_float64(p, f"layer {i} {name}")
        errors[f"layer{i}.{name}"] = _check_array(f, p, a, h, max_entries, gen)
    return errors
