"""nnlib.exercises.check_numerical_derivative (chapter 7, derivatives).

A correct central difference passes, for a number and for an array of points;
the usual mistakes fail with a hint that names the mistake.
"""

from __future__ import annotations

import numpy as np
import pytest

from nnlib.exercises import check_numerical_derivative


def central(f, x, h):
    return (f(x + h) - f(x - h)) / (2 * h)


def central_float_h(f, x, h):
    x = np.asarray(x, dtype=np.float64)
    return (f(x + h) - f(x - h)) / (2.0 * h)


def test_correct_versions_pass(capsys):
    assert check_numerical_derivative(central)
    assert check_numerical_derivative(central_float_h)
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("wrong", "hint"),
    [
        (lambda f, x, h: (f(x + h) - f(x)) / h, "forward difference"),
        (lambda f, x, h: (f(x) - f(x - h)) / h, "backward difference"),
        (lambda f, x, h: (f(x + h) - f(x - h)) / h, "divide by 2 * h"),
        (lambda f, x, h: (f(x + h) - f(x - h)) / 2 * h, "operator precedence"),
        (lambda f, x, h: (f(x - h) - f(x + h)) / (2 * h), "sign is flipped"),
        (lambda f, x, h: np.sum((f(x + h) - f(x - h)) / (2 * h)), "one derivative per entry"),
        (lambda f, x, h: None, "return"),
    ],
)
def test_typical_mistakes_are_caught(wrong, hint, capsys):
    assert check_numerical_derivative(wrong) is False
    out = capsys.readouterr().out
    assert "❌" in out
    assert hint in out


def test_quiet_mode_prints_nothing(capsys):
    assert check_numerical_derivative(central, verbose=False)
    assert capsys.readouterr().out == ""
