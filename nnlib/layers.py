"""Layers with parameters. For now, one: the fully connected ``Dense`` layer.

Every layer and activation in nnlib follows one protocol:

* ``forward(inputs) -> output`` stores ``self.inputs`` and ``self.output``;
* ``backward(dvalues) -> dinputs`` receives ``dvalues = dL/d(output)`` and
  returns ``dinputs = dL/d(inputs)``; a layer with parameters also sets one
  gradient per parameter (``dweights``, ``dbiases``).

Shapes follow the book's notation: a batch ``X`` is ``(N, n_inputs)``, one row
per sample, and ``W`` is ``(n_inputs, n_outputs)`` so that ``Z = X W + b``
needs no transpose.
"""

from __future__ import annotations

import numpy as np

from ._checks import as_float_array, check_columns, check_same_shape, make_rng

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
        ``"0.1"`` scales by 0.1 (the seeds and NNFS), ``"0.01"`` by 0.01,
        ``"he"`` by ``sqrt(2 / n_inputs)`` (suits ReLU), ``"glorot"`` by
        ``sqrt(2 / (n_inputs + n_outputs))`` (suits sigmoid/tanh); a float is
        used as the scale itself. Biases start at zero.

    Attributes
    ----------
    weights : ndarray, shape (n_inputs, n_outputs)
    biases : ndarray, shape (1, n_outputs)
    inputs, output : ndarrays of shape (N, n_inputs) and (N, n_outputs), after ``forward``
    dweights, dbiases, dinputs : gradients of the loss, after ``backward``
        ``dL/dW`` (n_inputs, n_outputs), ``dL/db`` (1, n_outputs) and ``dL/dX`` (N, n_inputs):
        each has the shape of the array it is the gradient of.
    """

    def __init__(self, n_inputs: int, n_outputs: int, *, rng=None, init="0.1"):
        for name, n in (("n_inputs", n_inputs), ("n_outputs", n_outputs)):
            if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 1:
                raise ValueError(f"{name} must be a positive integer, got {n!r}.")
        self.n_inputs, self.n_outputs = int(n_inputs), int(n_outputs)
        scale = _init_scale(init, self.n_inputs, self.n_outputs)
        gen = make_rng(rng)
        self.weights = scale * gen.standard_normal((self.n_inputs, self.n_outputs))
        self.biases = np.zeros((1, self.n_outputs), dtype=np.float64)
        self.dweights = np.zeros_like(self.weights)
        self.dbiases = np.zeros_like(self.biases)

    def __repr__(self) -> str:
        return f"Dense({self.n_inputs}, {self.n_outputs})"

    @property
    def params(self) -> dict[str, np.ndarray]:
        """The trainable arrays by name; optimizers update them in place."""
        return {"weights": self.weights, "biases": self.biases}

    @property
    def grads(self) -> dict[str, np.ndarray]:
        """The gradients matching :attr:`params`, set by :meth:`backward`."""
        return {"weights": self.dweights, "biases": self.dbiases}

    def forward(self, inputs) -> np.ndarray:
        """``(N, n_inputs) -> (N, n_outputs)``: ``output = inputs @ weights + biases``."""
        x = as_float_array(inputs, "Dense inputs", ndim=2)
        check_columns(x, self.n_inputs, "Dense inputs", repr(self))
        self.inputs = x
        self.output = x @ self.weights + self.biases
        return self.output

    def backward(self, dvalues) -> np.ndarray:
        """Given ``dvalues = dL/dZ`` of shape ``(N, n_outputs)``, return ``dL/dX``.

        ``dweights = X.T @ dvalues`` (n_inputs, n_outputs);
        ``dbiases = dvalues`` summed over the batch (1, n_outputs), because the same
        bias is added to every sample; ``dinputs = dvalues @ W.T`` (N, n_inputs).
        """
        if not hasattr(self, "inputs"):
            raise RuntimeError(f"{self!r}.backward() called before forward().")
        d = as_float_array(dvalues, "dvalues", ndim=2)
        check_same_shape(d, self.output, "dvalues", f"{self!r}'s output")
        self.dweights = self.inputs.T @ d
        self.dbiases = d.sum(axis=0, keepdims=True)
        self.dinputs = d @ self.weights.T
        return self.dinputs


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
