"""Chapter 18, why deep networks are hard to train: ``check_init_std`` and ``check_update_ratios``."""

from __future__ import annotations

import numpy as np

from ..activations import ReLU, Sigmoid
from ..layers import Dense
from ..losses import SoftmaxCrossEntropy
from ..network import Network
from ._engine import Check, Mistake

# ------------------------------------------------------------------------ check_init_std


def _init_std(n_in, n_out, activation):
    """He's scale for ReLU (forward pass), Glorot's compromise for tanh."""
    if activation == "relu":
        return np.sqrt(2.0 / n_in)
    if activation == "tanh":
        return np.sqrt(2.0 / (n_in + n_out))
    raise ValueError(f"activation must be 'relu' or 'tanh', got {activation!r}")


def _init_std_from_variance(n_in, n_out, activation):
    fan = {"relu": n_in / 2, "tanh": (n_in + n_out) / 2}[activation]   # Var(w) = 1 / fan
    return (1 / fan) ** 0.5


def _with(relu, tanh):
    """A learner's function that computes ``relu(n_in, n_out)`` or ``tanh(n_in, n_out)``."""
    return lambda n_in, n_out, activation: relu(n_in, n_out) if activation == "relu" else tanh(n_in, n_out)


_glorot = lambda n_in, n_out: np.sqrt(2.0 / (n_in + n_out))   # noqa: E731
_he = lambda n_in, n_out: np.sqrt(2.0 / n_in)                 # noqa: E731

check_init_std = Check(
    name="initial weight scale",
    chapter="deep_networks",
    signature="fn(n_in, n_out, activation) -> s, the standard deviation of a layer's initial weights: "
              "He's sqrt(2 / n_in) for activation 'relu', Glorot's sqrt(2 / (n_in + n_out)) for 'tanh'",
    reference=_init_std,
    cases=[
        ("a ReLU layer 64 -> 256 (more outputs than inputs)", (64, 256, "relu")),
        ("a ReLU layer 300 -> 100", (300, 100, "relu")),
        ("a tanh layer 300 -> 100", (300, 100, "tanh")),
        ("a tanh layer 64 -> 10, like an output layer", (64, 10, "tanh")),
        ("a ReLU layer with a single input, 1 -> 8", (1, 8, "relu")),
    ],
    mistakes=[
        Mistake("fan-out",
                "for ReLU, the forward pass multiplies the mean square by n_in * s**2 / 2 (the sum in "
                "z = x @ W runs over the n_in inputs), so s = sqrt(2 / n_in). sqrt(2 / n_out) keeps the "
                "BACKWARD pass steady instead; with n_in != n_out the two differ.",
                _with(lambda a, b: np.sqrt(2.0 / b), _glorot)),
        Mistake("variance-not-std",
                "that is the VARIANCE of the weights, s**2 = 2 / n_in. The function returns the standard "
                "deviation, the number you multiply randn by: take the square root.",
                _with(lambda a, b: 2.0 / a, lambda a, b: 2.0 / (a + b))),
        Mistake("no-factor-2",
                "the ReLU sets half of the pre-activations to 0 and so halves the mean square; He's factor 2 "
                "makes up for it: s = sqrt(2 / n_in), not sqrt(1 / n_in).",
                _with(lambda a, b: np.sqrt(1.0 / a), _glorot)),
        Mistake("factor-2-for-tanh",
                "the factor 2 of He's scale is there because the ReLU zeroes half its inputs; tanh does "
                "not, so Glorot's scale has no extra 2: s = sqrt(2 / (n_in + n_out)), where the 2 is from "
                "averaging n_in and n_out.",
                _with(_he, lambda a, b: np.sqrt(4.0 / (a + b)))),
        Mistake("glorot-uniform-bound",
                "sqrt(6 / (n_in + n_out)) is the BOUND a of Glorot's uniform distribution U(-a, a), whose "
                "standard deviation is a / sqrt(3) = sqrt(2 / (n_in + n_out)). Return the standard "
                "deviation.",
                _with(_he, lambda a, b: np.sqrt(6.0 / (a + b)))),
        Mistake("he-uniform-bound",
                "sqrt(6 / n_in) is the bound of He's uniform distribution U(-a, a); its standard deviation "
                "is a / sqrt(3) = sqrt(2 / n_in). Return the standard deviation.",
                _with(lambda a, b: np.sqrt(6.0 / a), _glorot)),
        Mistake("sum-not-average",
                "Glorot's compromise averages the two conditions n_in s**2 = 1 and n_out s**2 = 1: "
                "(n_in + n_out) / 2 * s**2 = 1, so s = sqrt(2 / (n_in + n_out)); the 2 is missing.",
                _with(_he, lambda a, b: np.sqrt(1.0 / (a + b)))),
        Mistake("sqrt-of-numerator-only",
                "the square root must cover the whole fraction: np.sqrt(2 / n_in), not np.sqrt(2) / n_in.",
                _with(lambda a, b: np.sqrt(2.0) / a, lambda a, b: np.sqrt(2.0) / (a + b))),
        Mistake("same-for-both",
                "the scale depends on the activation: He's sqrt(2 / n_in) is for ReLU; for tanh use "
                "Glorot's sqrt(2 / (n_in + n_out)).",
                _with(_he, _he)),
    ],
    alternatives=[
        ("from the variance 1 / fan", _init_std_from_variance),
        ("a power of a float", lambda a, b, act: float((2.0 / (a if act == "relu" else a + b)) ** 0.5)),
    ],
)

# ------------------------------------------------------------------------ check_update_ratios


def _update_ratios(net, lr):
    """lr * ||dW|| / ||W|| for every layer with weights, first layer first (plain SGD's step size)."""
    return np.array([lr * np.linalg.norm(layer.dweights) / np.linalg.norm(layer.weights)
                     for layer in net.trainable])


def _frobenius_by_hand(net, lr):
    return [lr * np.sqrt(np.sum(layer.dweights ** 2)) / np.sqrt(np.sum(layer.weights ** 2))
            for layer in net.trainable]


def _through_params(net, lr):
    with_weights = [layer for layer in net.layers if "weights" in getattr(layer, "params", {})]
    return np.array([lr * np.linalg.norm(layer.grads["weights"], "fro")
                     / np.linalg.norm(layer.params["weights"]) for layer in with_weights])


def _biases_included(net, lr):
    out = []
    for layer in net.trainable:
        g = np.sqrt(sum(np.sum(a ** 2) for a in layer.grads.values()))
        w = np.sqrt(sum(np.sum(a ** 2) for a in layer.params.values()))
        out.append(lr * g / w)
    return np.array(out)


def _every_layer(net, lr):
    return np.array([lr * np.linalg.norm(layer.dweights) / np.linalg.norm(layer.weights)
                     for layer in net.layers])


class _CaseNetwork(Network):
    """A Network whose repr leaves out the loss, so that a check's report fits the page."""

    def __repr__(self) -> str:
        return "Network([" + ", ".join(repr(layer) for layer in self.layers) + "])"


def _case(seed, sizes, activation, n=6):
    """A network after one backward pass, with non-zero biases (so that biases count if included)."""
    rng = np.random.default_rng(seed)
    layers = []
    for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
        dense = Dense(a, b, rng=rng, init="he")
        dense.biases[...] = rng.normal(scale=0.5, size=dense.biases.shape)
        layers.append(dense)
        if i < len(sizes) - 2:
            layers.append(activation())
    net = _CaseNetwork(layers, SoftmaxCrossEntropy())
    X, y = rng.normal(size=(n, sizes[0])), rng.integers(0, sizes[-1], size=n)
    net.backward(net.forward(X), y)
    return net


def _cases():
    return [
        ("a 4-5-3-2 ReLU network after one backward pass, lr = 0.1", (_case(18, (4, 5, 3, 2), ReLU), 0.1)),
        ("a 3-6-6-3 sigmoid network, lr = 0.5", (_case(19, (3, 6, 6, 3), Sigmoid), 0.5)),
        ("a single Dense(4, 3) layer, lr = 1.0", (_case(20, (4, 3), ReLU), 1.0)),
    ]


check_update_ratios = Check(
    name="update-to-weight ratios",
    chapter="deep_networks",
    signature="fn(net, lr) -> r of shape (number of Dense layers,), r[l] = lr * ||dW|| / ||W|| for each "
              "layer with weights, first layer first, after a backward pass (||.|| the Frobenius norm, the "
              "biases left out)",
    reference=_update_ratios,
    cases=_cases(),
    mistakes=[
        Mistake("no-lr",
                "a plain SGD step changes W by lr * dW, so the size of the update is lr * ||dW||: multiply "
                "by the learning rate.",
                lambda net, lr: np.array([np.linalg.norm(L.dweights) / np.linalg.norm(L.weights)
                                          for L in net.trainable])),
        Mistake("inverted",
                "the ratio is upside down: the update, lr * ||dW||, goes on top and the weights, ||W||, "
                "below, so that a ratio of 0.001 means each step changes the weights by 0.1 %.",
                lambda net, lr: np.array([np.linalg.norm(L.weights) / (lr * np.linalg.norm(L.dweights))
                                          for L in net.trainable])),
        Mistake("biases-included",
                "leave the biases out: the ratio measures how much a step changes the weights, so it uses "
                "dW and W only. (Biases start at zero in nnlib: a ratio for them would divide by almost "
                "nothing early in training.)",
                _biases_included),
        Mistake("squared-norms",
                "those are squared norms (np.sum(dW ** 2)): take the square root, np.linalg.norm(dW), so "
                "that the ratio compares sizes, not squared sizes.",
                lambda net, lr: np.array([lr * np.sum(L.dweights ** 2) / np.sum(L.weights ** 2)
                                          for L in net.trainable])),
        Mistake("spectral-norm",
                "np.linalg.norm(M, 2) of a MATRIX is its largest singular value, not the square root of "
                "the sum of squares. Use np.linalg.norm(M) (or ord='fro').",
                lambda net, lr: np.array([lr * np.linalg.norm(L.dweights, 2) / np.linalg.norm(L.weights, 2)
                                          for L in net.trainable])),
        Mistake("max-abs",
                "np.abs(dW).max() is the largest single entry; the ratio uses the norm of the whole array, "
                "np.linalg.norm(dW).",
                lambda net, lr: np.array([lr * np.abs(L.dweights).max() / np.abs(L.weights).max()
                                          for L in net.trainable])),
        Mistake("dinputs-not-dweights",
                "dinputs is the gradient with respect to the layer's INPUT, which it passes back; the update "
                "of W uses dweights.",
                lambda net, lr: np.array([lr * np.linalg.norm(L.dinputs) / np.linalg.norm(L.weights)
                                          for L in net.trainable])),
        Mistake("last-layer-first",
                "the layers are in backward order: list them first layer first, as net.trainable does "
                "(reversed(...) gives the order of the backward pass).",
                lambda net, lr: _update_ratios(net, lr)[::-1]),
        Mistake("every-layer",
                "activation layers have no weights: loop over net.trainable (the layers with parameters), "
                "not over net.layers.",
                _every_layer),
    ],
    alternatives=[
        ("sums of squares by hand, returned as a list", _frobenius_by_hand),
        ("through params and grads, ord='fro'", _through_params),
    ],
)
