"""nnlib.exercises.check_xor_gradients (chapter 8, backpropagation by hand on XOR).

The correct backward pass passes; a flipped sign is reported for the right
gradient (or for both, as in seed 000's d_weights), and other slips get a hint.
"""

from __future__ import annotations

import pytest

from nnlib import Dense, Network, Sigmoid, SumSquaredError
from nnlib.activations import sigmoid
from nnlib.exercises import check_xor_gradients


def correct(X, y, W1, W2):
    A1 = sigmoid(X @ W1)
    y_hat = sigmoid(A1 @ W2)
    dZ2 = 2 * (y_hat - y) * y_hat * (1 - y_hat)
    dZ1 = (dZ2 @ W2.T) * A1 * (1 - A1)
    return X.T @ dZ1, A1.T @ dZ2


def via_nnlib(X, y, W1, W2):
    d1, d2 = Dense(W1.shape[0], W1.shape[1]), Dense(W2.shape[0], 1)
    d1.weights[:], d2.weights[:] = W1, W2
    net = Network([d1, Sigmoid(), d2, Sigmoid()], SumSquaredError())
    net.backward(net.forward(X), y)
    return d1.dweights, d2.dweights


def seed_000(X, y, W1, W2):
    dW1, dW2 = correct(X, y, W1, W2)
    return -dW1, -dW2


def flipped_dW1(X, y, W1, W2):
    dW1, dW2 = correct(X, y, W1, W2)
    return -dW1, dW2


def flipped_dW2(X, y, W1, W2):
    dW1, dW2 = correct(X, y, W1, W2)
    return dW1, -dW2


def without_the_2(X, y, W1, W2):
    dW1, dW2 = correct(X, y, W1, W2)
    return dW1 / 2, dW2 / 2


def mean_loss(X, y, W1, W2):
    dW1, dW2 = correct(X, y, W1, W2)
    return dW1 / len(X), dW2 / len(X)


def sigmoid_applied_twice(X, y, W1, W2):
    A1 = sigmoid(X @ W1)
    y_hat = sigmoid(A1 @ W2)
    dZ2 = 2 * (y_hat - y) * y_hat * (1 - y_hat)
    dZ1 = (dZ2 @ W2.T) * sigmoid(A1) * (1 - sigmoid(A1))
    return X.T @ dZ1, A1.T @ dZ2


def transposed_dW2(X, y, W1, W2):
    dW1, dW2 = correct(X, y, W1, W2)
    return dW1, dW2.T


def test_correct_versions_pass(capsys):
    assert check_xor_gradients(correct)
    assert check_xor_gradients(via_nnlib)
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("wrong", "hint"),
    [
        (seed_000, "both gradients have the wrong sign"),
        (flipped_dW1, "dW1 has the wrong sign"),
        (flipped_dW2, "dW2 has the wrong sign"),
        (without_the_2, "keep the 2"),
        (mean_loss, "divided by N"),
        (sigmoid_applied_twice, "dW1 is off"),
        (transposed_dW2, "dW2 has shape (1, 4), expected (4, 1)"),
        (lambda X, y, W1, W2: correct(X, y, W1, W2)[0], "return a tuple (dW1, dW2)"),
    ],
)
def test_typical_mistakes_are_caught(wrong, hint, capsys):
    assert check_xor_gradients(wrong) is False
    out = capsys.readouterr().out
    assert "❌" in out
    assert hint in out


def test_changing_the_weights_in_place_is_caught(capsys):
    def updates_in_place(X, y, W1, W2):
        dW1, dW2 = correct(X, y, W1, W2)
        W1 -= dW1
        return dW1, dW2

    assert check_xor_gradients(updates_in_place) is False
    assert "changed its input array in place" in capsys.readouterr().out
