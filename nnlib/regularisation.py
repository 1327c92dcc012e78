"""Regularisation: penalties on the weights (``L1``, ``L2``) and the ``Dropout`` layer.

Penalties
---------
A penalty adds a term ``R`` to the loss a network minimises, so that training
minimises the **objective** ::

    J = L + R,    R = sum over the trainable layers l of  r(W^(l))

where ``L`` is the data loss (the ``Loss``, a mean or a sum over the batch as
that class says) and ``r`` is

* ``L2(lam)``: ``r(W) = lam * sum_kj W_kj^2``, gradient ``dr/dW = 2 lam W``;
* ``L1(lam)``: ``r(W) = lam * sum_kj |W_kj|``, gradient ``lam * sign(W)``.

``R`` is added once per batch, whatever the batch size: it is not divided by
``N``. These are the NNFS book's formulas (its ``weight_regularizer_l2`` is our
``lam``). Other texts halve the L2 term, ``lam / 2 * sum W^2`` with gradient
``lam W`` (CS231n, d2l, PyTorch's ``weight_decay``), or also divide it by the
size of the training set (Nielsen): the same penalty with another ``lam``.

``|w|`` has a kink at 0, where it has no derivative. Every number between
``-lam`` and ``lam`` is a *subgradient* there (the slope of a line that touches
``lam |w|`` at 0 and stays below it), and nnlib uses ``sign(0) = 0``, the one of
smallest size: a weight that is exactly 0 feels no pull from L1, which is also
what ``np.sign`` gives.

Only the weights are penalised, never the biases: a bias shifts a unit's output
but does not make the function wigglier, a layer has few of them, and pulling
them towards 0 only pulls the decision boundaries towards the origin. So a
penalty applies to the array ``layer.params["weights"]`` of every layer in
``network.trainable`` (every ``Dense``), with the same strength for all.

Why the penalty is given to the ``Network``, not to each layer
.............................................................
NNFS puts the strengths on each layer (``Layer_Dense(2, 64,
weight_regularizer_l2=5e-4)``), and the training loop must then remember two
things: to add each layer's ``regularization_loss`` to the printed loss, and to
add the penalty's gradient in each layer's backward pass. If the two drift
apart, the loss you watch is not the one being minimised. In nnlib the penalty is
part of the objective, like the loss, so it is given where the loss is::

    net = Network(layers, SoftmaxCrossEntropy(), Adam(0.005), penalty=L2(1e-3))

and ``Network`` is the one place that adds both its value and its gradient:
``net.penalty_loss()`` is ``R`` now, ``net.objective(X, y)`` is ``J``,
``net.backward`` adds ``dR/dW`` to every ``dweights``, ``fit`` minimises ``J``
and records it in ``history.loss`` (and the data part in ``history.data_loss``),
and ``nnlib.gradcheck.check_network`` checks the gradient of ``J``. (One
strength for every layer is the common case; a different rule per layer is a
``Penalty`` subclass away.)

Dropout and the training flag
-----------------------------
``Dropout(rate, rng=...)`` is a layer without parameters. While training it sets
each input entry to 0 with probability ``rate`` and multiplies the kept ones by
``1 / (1 - rate)`` (*inverted* dropout), so the expected output equals the input;
at inference it is the identity. It follows the layer protocol of
:mod:`nnlib.layers`, plus one rule that any layer which behaves differently while
training can use:

    **A layer whose ``forward`` accepts a keyword argument ``training`` is told
    the mode.** ``Network.fit`` calls it with ``training=True`` in its training
    steps and with ``training=False`` when it measures the validation set;
    ``Network.forward``, ``predict`` and ``evaluate`` call it with
    ``training=False`` (``net.forward(X, training=True)`` asks for the training
    mode). Called by hand, ``forward(x)`` is the inference mode too.

``backward`` then uses the mask of the last ``forward``, so one training step's
forward and backward see the same dropped units.
"""

from __future__ import annotations

import math

import numpy as np

from ._checks import as_float_array, check_same_shape, entry_point, make_rng


def _check_strength(strength) -> float:
    if isinstance(strength, bool) or not isinstance(strength, (int, float, np.integer, np.floating)):
        raise TypeError(f"the penalty's strength must be a number, got {type(strength).__name__}.")
    if not (math.isfinite(strength) and strength >= 0):
        raise ValueError(
            f"the penalty's strength must be a finite number >= 0, got {strength!r}. "
            "Typical values are small, e.g. 1e-4 to 1e-2."
        )
    return float(strength)


class Penalty:
    """Base class of the weight penalties. ``strength`` is ``lam``, a number >= 0.

    A subclass defines ``_value(W) -> float`` and ``_gradient(W) -> array`` for one
    weight array; the methods below add them up over a network's layers.
    """

    def __init__(self, strength: float):
        self.strength = _check_strength(strength)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.strength:g})"

    @staticmethod
    def _weights(layers):
        """The penalised arrays: each trainable layer's ``params["weights"]`` (biases are not)."""
        for layer in layers:
            params = getattr(layer, "params", None) or {}
            if "weights" in params:
                yield layer, params["weights"]

    def value(self, layers) -> float:
        """``R``: the penalty summed over the weights of ``layers`` (e.g. ``network.trainable``)."""
        return float(sum(self._value(W) for _, W in self._weights(layers)))

    def add_gradients(self, layers) -> None:
        """Add ``dR/dW`` to each layer's weight gradient, in place (after the layer's ``backward``)."""
        if self.strength == 0:
            return
        for layer, W in self._weights(layers):
            layer.grads["weights"][...] += self._gradient(W)

    def _value(self, W: np.ndarray) -> float:  # pragma: no cover - abstract
        raise NotImplementedError

    def _gradient(self, W: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError


class L2(Penalty):
    """``r(W) = lam * sum W^2``, gradient ``2 lam W`` (the NNFS book's form; see the module docstring).

    Under plain SGD the gradient step ``-eta 2 lam W`` shrinks every weight by the
    factor ``1 - 2 eta lam`` per step: "weight decay". Under Adam it does not, because
    Adam divides it by ``sqrt(v_hat)`` like the rest of the gradient (chapter 14).
    """

    def _value(self, W):
        return self.strength * float(np.sum(W * W))

    def _gradient(self, W):
        return (2.0 * self.strength) * W


class L1(Penalty):
    """``r(W) = lam * sum |W|``, gradient ``lam * sign(W)`` with ``sign(0) = 0`` (a subgradient).

    The pull towards 0 has the same size ``lam`` however small a weight is, so L1
    drives many weights to (nearly) 0, where L2's pull ``2 lam W`` fades away.
    Gradient steps make weights hover around 0 rather than land on it exactly.
    """

    def _value(self, W):
        return self.strength * float(np.sum(np.abs(W)))

    def _gradient(self, W):
        return self.strength * np.sign(W)


def _check_rate(rate) -> float:
    if isinstance(rate, bool) or not isinstance(rate, (int, float, np.integer, np.floating)):
        raise TypeError(f"Dropout rate must be a number, got {type(rate).__name__}.")
    if not (math.isfinite(rate) and 0 <= rate < 1):
        hint = ""
        if rate == 1:
            hint = " A rate of 1 would drop every unit (and divide by 1 - rate = 0)."
        elif rate > 1:
            hint = " A percentage? Write 0.5, not 50."
        raise ValueError(
            f"Dropout rate must be in [0, 1): the probability of DROPPING a unit, got {rate!r}.{hint} "
            "(The dropout paper calls the probability of keeping a unit p; nnlib, Keras and "
            "PyTorch give the probability of dropping it.)"
        )
    return float(rate)


class Dropout:
    """Inverted dropout: while training, zero each entry with probability ``rate``, scale the rest.

    Parameters
    ----------
    rate : float in [0, 1)
        The probability of **dropping** an entry (not of keeping it).
    rng : None, int or numpy.random.Generator
        Source of the masks. Pass a seed for reproducible training.

    In training mode (``forward(x, training=True)``, as ``Network.fit`` calls it)::

        keep = rng.random(x.shape) >= rate        # True with probability 1 - rate
        mask = keep / (1 - rate)                  # 0 or 1 / (1 - rate)
        output = x * mask                         # E[output] = x

    and ``backward(dvalues)`` returns ``dvalues * mask``, with the same mask. In
    inference mode (``forward(x)``, the default, as ``predict`` and ``evaluate`` call
    it) the layer is the identity: it returns ``x`` itself, and ``backward`` returns
    ``dvalues``. Any shape; the mask has the input's shape and dtype.

    Attributes
    ----------
    inputs, output : ndarrays of the same shape, after ``forward``
    mask : ndarray or None
        The last training forward's scaled mask (``None`` after an inference forward).
    dinputs : ndarray, after ``backward``
    """

    def __init__(self, rate: float, *, rng=None):
        self.rate = _check_rate(rate)
        self.rng = make_rng(rng)
        self.mask = None

    def __repr__(self) -> str:
        return f"Dropout({self.rate:g})"

    @entry_point
    def forward(self, inputs, training: bool = False) -> np.ndarray:
        """Check ``inputs`` (numbers, no NaN or inf), then apply dropout (``training=True``) or not."""
        if not isinstance(training, (bool, np.bool_)):
            raise TypeError(f"training must be True or False, got {training!r}.")
        x = as_float_array(inputs, "Dropout inputs")
        return self._forward(x, training)

    def _forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        self.inputs = x
        if not training or self.rate == 0:
            self.mask = None
            self.output = x
            return x
        mask = (self.rng.random(x.shape) >= self.rate).astype(x.dtype)
        mask *= x.dtype.type(1.0 / (1.0 - self.rate))
        self.mask = mask
        self.output = x * mask
        return self.output

    @entry_point
    def backward(self, dvalues) -> np.ndarray:
        """Given ``dL/d(output)``, return ``dL/d(inputs) = dvalues * mask`` (``dvalues`` at inference)."""
        if not hasattr(self, "output"):
            raise RuntimeError(f"{self!r}.backward() called before forward(): there is no mask yet.")
        d = as_float_array(dvalues, "dvalues", ndim=self.output.ndim)
        check_same_shape(d, self.output, "dvalues", f"{self!r}'s output")
        return self._backward(d)

    def _backward(self, d: np.ndarray, need_dinputs: bool = True) -> np.ndarray | None:
        self.dinputs = d if self.mask is None else d * self.mask
        return self.dinputs
