"""Layers with parameters. For now, one: the fully connected ``Dense`` layer.

Every layer and activation in nnlib follows one protocol:

* ``forward(inputs) -> output`` stores ``self.inputs`` and ``self.output``;
* ``backward(dvalues) -> dinputs`` receives ``dvalues = dL/d(output)`` and
  returns ``dinputs = dL/d(inputs)``; a layer with parameters also sets one
  gradient per parameter (``dweights``, ``dbiases``).

Both check their argument and then call a private twin, ``_forward`` or
``_backward``, that does the arithmetic without checks. Read the twins to see
the maths; ``Network.fit`` calls them directly inside a training step, where
every array has been checked once already (see :mod:`nnlib._checks`).

Shapes follow the book's notation: a batch ``X`` is ``(N, n_inputs)``, one row
per sample, and ``W`` is ``(n_inputs, n_outputs)`` so that ``Z = X W + b``
needs no transpose.
"""

from __future__ import annotations

import numpy as np

from ._checks import as_float_array, check_columns, check_same_shape, entry_point, float_dtype, make_rng

INITS = ("0.1", "0.01", "he", "glorot")


class Dense:
    """A fully connected layer: ``Z = X W + b``.

    Parameters
    ----------
    n_inputs, n_outputs : int
        Number of input features and of neurons.
    rng : None, int or numpy.random.Generator
        Source of the initial weights. Pass a seed for reproducible results.
    init : {"0.1", "0.01", "he", "glorot"} or float
        How to draw the initial weights from a standard normal ``randn``:
        ``"0.1"`` scales by 0.1 (the spiral tutorial's scale, and the NNFS
        videos'), ``"0.01"`` by 0.01 (the NNFS book's), ``"he"`` by
        ``sqrt(2 / n_inputs)`` (suits ReLU), ``"glorot"`` by
        ``sqrt(2 / (n_inputs + n_outputs))`` (suits tanh; Glorot and Bengio
        found the sigmoid ill-suited to deep networks); a float is used as the
        scale itself. Biases start at zero.
    dtype : np.float64 (default) or np.float32
        The type the layer computes in. Weights, biases, gradients and outputs
        all have it; inputs of another type are cast once, in :meth:`forward`.
        The weights are drawn in float64 and rounded, so a float32 layer starts
        from the same weights as a float64 one with the same ``rng``. float32
        halves the memory and runs faster; gradient checks need float64.

    Attributes
    ----------
    weights : ndarray, shape (n_inputs, n_outputs)
    biases : ndarray, shape (1, n_outputs)
    inputs, output : ndarrays of shape (N, n_inputs) and (N, n_outputs), after ``forward``
    dweights, dbiases, dinputs : gradients of the loss, after ``backward``
        ``dL/dW`` (n_inputs, n_outputs), ``dL/db`` (1, n_outputs) and ``dL/dX`` (N, n_inputs):
        each has the shape of the array it is the gradient of. (``Network.fit``
        does not compute ``dinputs`` for the first layer: nothing comes before
        it to receive it. There it is ``None``.)
    """

    def __init__(self, n_inputs: int, n_outputs: int, *, rng=None, init="0.1", dtype=np.float64):
        for name, n in (("n_inputs", n_inputs), ("n_outputs", n_outputs)):
            if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 1:
                raise ValueError(f"{name} must be a positive integer, got {n!r}.")
        self.n_inputs, self.n_outputs = int(n_inputs), int(n_outputs)
        dtype = float_dtype(dtype)
        scale = _init_scale(init, self.n_inputs, self.n_outputs)
        gen = make_rng(rng)
        weights = scale * gen.standard_normal((self.n_inputs, self.n_outputs))
        self.weights = weights.astype(dtype, copy=False)
        self.biases = np.zeros((1, self.n_outputs), dtype=dtype)
        self.dweights = np.zeros_like(self.weights)
        self.dbiases = np.zeros_like(self.biases)

    def __repr__(self) -> str:
        if self.dtype == np.float64:
            return f"Dense({self.n_inputs}, {self.n_outputs})"
        return f"Dense({self.n_inputs}, {self.n_outputs}, dtype=np.{self.dtype})"

    @property
    def dtype(self) -> np.dtype:
        """The type of the weights, which the layer computes in (float64 or float32)."""
        return self.weights.dtype

    @property
    def params(self) -> dict[str, np.ndarray]:
        """The trainable arrays by name; optimizers update them in place."""
        return {"weights": self.weights, "biases": self.biases}

    @property
    def grads(self) -> dict[str, np.ndarray]:
        """The gradients matching :attr:`params`, set by :meth:`backward`."""
        return {"weights": self.dweights, "biases": self.dbiases}

    @entry_point
    def forward(self, inputs) -> np.ndarray:
        """``(N, n_inputs) -> (N, n_outputs)``: ``output = inputs @ weights + biases``.

        Checks ``inputs`` (2-D, ``n_inputs`` columns, no NaN or inf; cast to the
        layer's dtype), then calls :meth:`_forward`.
        """
        x = as_float_array(inputs, "Dense inputs", ndim=2, dtype=self.dtype)
        check_columns(x, self.n_inputs, "Dense inputs", repr(self))
        return self._forward(x)

    def _forward(self, x: np.ndarray) -> np.ndarray:
        """:meth:`forward` without the checks: ``x`` is already a valid batch."""
        self.inputs = x
        self.output = x @ self.weights
        self.output += self.biases  # in place: one array fewer per call
        return self.output

    @entry_point
    def backward(self, dvalues) -> np.ndarray:
        """Given ``dvalues = dL/dZ`` of shape ``(N, n_outputs)``, return ``dL/dX``.

        ``dweights = X.T @ dvalues`` (n_inputs, n_outputs);
        ``dbiases = dvalues`` summed over the batch (1, n_outputs), because the same
        bias is added to every sample; ``dinputs = dvalues @ W.T`` (N, n_inputs).
        Checks that ``dvalues`` has the shape of the last output, then calls
        :meth:`_backward`.
        """
        if not hasattr(self, "inputs"):
            raise RuntimeError(f"{self!r}.backward() called before forward().")
        d = as_float_array(dvalues, "dvalues", ndim=2, dtype=self.dtype)
        check_same_shape(d, self.output, "dvalues", f"{self!r}'s output")
        return self._backward(d)

    def _backward(self, d: np.ndarray, need_dinputs: bool = True) -> np.ndarray | None:
        """:meth:`backward` without the checks. ``need_dinputs=False`` skips ``dL/dX``."""
        self.dweights = self.inputs.T @ d
        self.dbiases = d.sum(axis=0, keepdims=True)
        self.dinputs = d @ self.weights.T if need_dinputs else None
        return self.dinputs

    def _cast(self, dtype) -> None:
        """Convert the layer in place to ``dtype``, with its optimizer state (for ``Network.astype``)."""
        for name in ("weights", "biases", "dweights", "dbiases"):
            setattr(self, name, np.asarray(getattr(self, name)).astype(dtype))
        for name in ("inputs", "output", "dinputs"):  # left from an earlier pass, in the old dtype
            self.__dict__.pop(name, None)
        for slots in getattr(self, "optimizer_state", {}).values():
            for key, value in slots.items():
                slots[key] = value.astype(dtype)


def _init_scale(init, n_in: int, n_out: int) -> float:
    if isinstance(init, (float, int)) and not isinstance(init, bool):
        if not np.isfinite(init) or init <= 0:
            raise ValueError(f"init scale must be a positive number, got {init!r}.")
        return float(init)
    scales = {
        "0.1": 0.1,
        "0.01": 0.01,
        "he": np.sqrt(2.0 / n_in),
        "glorot": np.sqrt(2.0 / (n_in + n_out)),
    }
    if init not in scales:
        raise ValueError(f"init must be one of {INITS} or a positive float, got {init!r}.")
    return float(scales[init])
