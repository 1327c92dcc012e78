"""nnlib.exercises.check_numerical_gradient (chapter 10, gradient checking).

A correct central-difference function passes; the usual mistakes fail with a hint
that names the mistake.
"""

from __future__ import annotations

import numpy as np
import pytest

from nnlib.exercises import check_numerical_gradient
from nnlib.gradcheck import numerical_gradient


def central_in_place(f, x, h):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        f_plus = f(x)
        x[i] = old - h
        f_minus = f(x)
        x[i] = old
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


def central_on_copies(f, x, h):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        x_plus, x_minus = x.copy(), x.copy()
        x_plus[i] += h
        x_minus[i] -= h
        grad[i] = (f(x_plus) - f(x_minus)) / (2 * h)
    return grad


def central_via_nnlib(f, x, h):
    return numerical_gradient(lambda: f(x), x, h)


def forward_difference(f, x, h):
    grad = np.zeros_like(x)
    f0 = f(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        grad[i] = (f(x) - f0) / h
        x[i] = old
    return grad


def never_restores(f, x, h):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        f_plus = f(x)
        x[i] = old - h
        f_minus = f(x)
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


def restores_by_adding_h(f, x, h):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        x[i] += h
        f_plus = f(x)
        x[i] -= 2 * h
        f_minus = f(x)
        x[i] += h
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


def divides_by_h(f, x, h):
    return 2 * central_on_copies(f, x, h)


def precedence_slip(f, x, h):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        x_plus, x_minus = x.copy(), x.copy()
        x_plus[i] += h
        x_minus[i] -= h
        grad[i] = (f(x_plus) - f(x_minus)) / 2 * h
    return grad


def whole_array_at_once(f, x, h):
    return np.full_like(x, (f(x + h) - f(x - h)) / (2 * h))


@pytest.mark.parametrize("fn", [central_in_place, central_on_copies, central_via_nnlib])
def test_correct_versions_pass(fn, capsys):
    assert check_numerical_gradient(fn)
    assert "correct" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("fn", "hint"),
    [
        (forward_difference, "one-sided difference"),
        (never_restores, "x was not restored"),
        (restores_by_adding_h, "Save old = x[i]"),
        (divides_by_h, "divide by 2 * h"),
        (precedence_slip, "operator precedence"),
        (whole_array_at_once, "perturb one entry at a time"),
    ],
)
def test_typical_mistakes_are_caught_with_a_hint(fn, hint, capsys):
    assert not check_numerical_gradient(fn)
    out = capsys.readouterr().out
    assert "not right yet" in out
    assert hint in out


def test_missing_return_is_reported(capsys):
    def forgot_return(f, x, h):
        central_on_copies(f, x, h)

    assert not check_numerical_gradient(forgot_return)
    assert "returned None" in capsys.readouterr().out
