"""Chapter 8, backpropagation by hand on XOR: ``check_xor_gradients``."""

from __future__ import annotations

import numpy as np

from ..activations import sigmoid as _sigmoid
from ._engine import Check, Mistake


def _gradients(X, y, W1, W2, *, out_sign=1.0, two=2.0, out_prime=True, hidden_prime=True, scale=1.0):
    A1 = _sigmoid(X @ W1)
    y_hat = _sigmoid(A1 @ W2)
    dZ2 = two * out_sign * (y_hat - y) * (y_hat * (1 - y_hat) if out_prime else 1.0)
    dZ1 = (dZ2 @ W2.T) * (A1 * (1 - A1) if hidden_prime else 1.0)
    return scale * (X.T @ dZ1), scale * (A1.T @ dZ2)


def _reference(X, y, W1, W2):
    return _gradients(X, y, W1, W2)


def _dW1_sign_only(X, y, W1, W2):
    dW1, dW2 = _gradients(X, y, W1, W2)
    return -dW1, dW2


def _dW1_transposed(X, y, W1, W2):
    dW1, dW2 = _gradients(X, y, W1, W2)
    return dW1.T, dW2


def _dW2_transposed(X, y, W1, W2):
    dW1, dW2 = _gradients(X, y, W1, W2)
    return dW1, dW2.T


def _dW2_sign_only(X, y, W1, W2):
    dW1, dW2 = _gradients(X, y, W1, W2)
    return dW1, -dW2


def _updates_weights(X, y, W1, W2):
    dW1, dW2 = _gradients(X, y, W1, W2)
    W1 -= dW1
    W2 -= dW2
    return dW1, dW2


def _W2_not_transposed(X, y, W1, W2):
    A1 = _sigmoid(X @ W1)
    y_hat = _sigmoid(A1 @ W2)
    dZ2 = 2 * (y_hat - y) * y_hat * (1 - y_hat)
    dZ1 = (dZ2 @ W2) * A1 * (1 - A1)
    return X.T @ dZ1, A1.T @ dZ2


def _X_not_transposed(X, y, W1, W2):
    A1 = _sigmoid(X @ W1)
    y_hat = _sigmoid(A1 @ W2)
    dZ2 = 2 * (y_hat - y) * y_hat * (1 - y_hat)
    dZ1 = (dZ2 @ W2.T) * A1 * (1 - A1)
    return X @ dZ1, A1.T @ dZ2


def _A1_not_transposed(X, y, W1, W2):
    A1 = _sigmoid(X @ W1)
    y_hat = _sigmoid(A1 @ W2)
    dZ2 = 2 * (y_hat - y) * y_hat * (1 - y_hat)
    dZ1 = (dZ2 @ W2.T) * A1 * (1 - A1)
    return X.T @ dZ1, A1 @ dZ2


def _sigmoid_again(X, y, W1, W2):
    A1 = _sigmoid(X @ W1)
    y_hat = _sigmoid(A1 @ W2)
    dZ2 = 2 * (y_hat - y) * y_hat * (1 - y_hat)
    s = _sigmoid(A1)
    dZ1 = (dZ2 @ W2.T) * s * (1 - s)
    return X.T @ dZ1, A1.T @ dZ2


_rng = np.random.default_rng(9)
_X_XOR = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]], dtype=np.float64)
_Y_XOR = np.array([[0], [1], [1], [0]], dtype=np.float64)

check_xor_gradients = Check(
    name="XOR gradients",
    chapter="backprop_xor",
    signature="fn(X, y, W1, W2) -> (dW1, dW2) for y_hat = sigmoid(sigmoid(X W1) W2) and the SUMMED loss "
              "L = sum (y_hat - y)**2; X (N, D), y (N, 1), W1 (D, H), W2 (H, 1)",
    reference=_reference,
    parts=("dW1", "dW2"),
    cases=[
        ("the XOR tutorial's data with uniform [0, 1) weights, as the tutorial starts",
         (_X_XOR, _Y_XOR, _rng.random((3, 4)), _rng.random((4, 1)))),
        ("five samples, three inputs, six hidden units (nothing square)",
         (_rng.standard_normal((5, 3)), (_rng.random((5, 1)) > 0.5).astype(np.float64),
          _rng.standard_normal((3, 6)), _rng.standard_normal((6, 1)))),
    ],
    mistakes=[
        Mistake("tutorial-sign",
                "both gradients have the wrong sign: they are the NEGATIVE gradient, like the XOR "
                "tutorial's d_weights, which uses (y - y_hat). The derivative of (y_hat - y)**2 is "
                "2 (y_hat - y).",
                lambda X, y, W1, W2: _gradients(X, y, W1, W2, out_sign=-1.0)),
        Mistake("no-two",
                "both are half the gradient: the derivative of (y_hat - y)**2 is 2 (y_hat - y); keep the 2.",
                lambda X, y, W1, W2: _gradients(X, y, W1, W2, two=1.0)),
        Mistake("mean",
                "both are divided by N: this check uses the summed loss, so do not average over the batch.",
                lambda X, y, W1, W2: _gradients(X, y, W1, W2, scale=1.0 / len(X))),
        Mistake("no-output-prime",
                "the output sigmoid's derivative is missing: dZ2 = 2 (y_hat - y) * y_hat * (1 - y_hat).",
                lambda X, y, W1, W2: _gradients(X, y, W1, W2, out_prime=False)),
        Mistake("no-hidden-prime",
                "dW1 misses the hidden sigmoid's derivative: dZ1 = (dZ2 @ W2.T) * A1 * (1 - A1).",
                lambda X, y, W1, W2: _gradients(X, y, W1, W2, hidden_prime=False)),
        Mistake("dW1-sign",
                "dW1 has the wrong sign while dW2 is right: look for a flipped difference on the path to "
                "dW1 only: dZ1 = (dZ2 @ W2.T) * A1 * (1 - A1), then dW1 = X.T @ dZ1.", _dW1_sign_only),
        Mistake("dW2-sign",
                "dW2 has the wrong sign while dW1 is right: look at "
                "dZ2 = 2 (y_hat - y) * y_hat * (1 - y_hat) and dW2 = A1.T @ dZ2 (predictions minus targets).",
                _dW2_sign_only),
        Mistake("updates-weights",
                "the function changed W1 and W2 (W1 -= ...): it should only compute the gradients; the "
                "training loop makes the update.", _updates_weights),
        Mistake("dW1-transposed",
                "dW1 is transposed: a gradient has the shape of its parameter, so dW1 = X.T @ dZ1, "
                "shape (D, H) like W1.", _dW1_transposed),
        Mistake("dW2-transposed",
                "dW2 is transposed: dW2 = A1.T @ dZ2 has W2's shape (H, 1).", _dW2_transposed),
        Mistake("W2-not-transposed",
                "going back through Z2 = A1 @ W2 multiplies by W2.T: dA1 = dZ2 @ W2.T, shape (N, H).",
                _W2_not_transposed),
        Mistake("X-not-transposed",
                "dW1 = X.T @ dZ1: the sum over the samples pairs the columns of X with the columns of "
                "dZ1, so X needs its transpose, (D, N) @ (N, H) -> (D, H).", _X_not_transposed),
        Mistake("A1-not-transposed",
                "dW2 = A1.T @ dZ2: the sum over the samples needs A1 transposed, (H, N) @ (N, 1) -> (H, 1). "
                "On the XOR data A1 @ dZ2 happens to fit because N = H = 4.", _A1_not_transposed),
        Mistake("sigmoid-again",
                "A1 is already sigma(Z1): its derivative is A1 * (1 - A1); do not apply the sigmoid again.",
                _sigmoid_again),
    ],
    alternatives=[
        ("np.dot and np.multiply", lambda X, y, W1, W2: (lambda A1: (lambda yh: (
            lambda dZ2: (np.dot(X.T, np.multiply(np.dot(dZ2, W2.T), A1 * (1 - A1))), np.dot(A1.T, dZ2)))(
            2 * (yh - y) * yh * (1 - yh)))(_sigmoid(A1 @ W2)))(_sigmoid(X @ W1))),
        ("a list instead of a tuple", lambda X, y, W1, W2: list(_gradients(X, y, W1, W2))),
    ],
)
