"""Tests for nnlib.data: the XOR table, and seeded spiral/vertical data without side effects."""

# These tests are about NumPy's legacy global generator (nnfs uses it), so they call it.
# ruff: noqa: NPY002

from __future__ import annotations

import numpy as np
import pytest
from nnfs.datasets import spiral_data, vertical_data

from nnlib import data


@pytest.fixture(autouse=True)
def _keep_global_random_state():
    """These tests seed NumPy's global generator for the reference data; undo that."""
    state = np.random.get_state()
    yield
    np.random.set_state(state)


def test_xor_is_seed_000_table():
    X, y = data.xor()
    np.testing.assert_array_equal(X, [[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]])
    np.testing.assert_array_equal(y, [[0], [1], [1], [0]])
    assert X.shape == (4, 3) and y.shape == (4, 1)
    assert X.dtype == np.float64 and y.dtype == np.float64
    # y is the XOR of the first two columns
    np.testing.assert_array_equal(y[:, 0], np.logical_xor(X[:, 0], X[:, 1]))


def test_xor_returns_fresh_arrays():
    X, _ = data.xor()
    X[0, 0] = 99
    assert data.xor()[0][0, 0] == 0


@pytest.mark.parametrize(("samples", "classes", "seed"), [(100, 3, 0), (50, 2, 1), (7, 5, 123)])
def test_spiral_equals_nnfs_after_seeding_the_global_generator(samples, classes, seed):
    X, y = data.spiral(samples, classes, seed=seed)
    np.random.seed(seed)
    X_ref, y_ref = spiral_data(samples, classes)
    np.testing.assert_array_equal(X, X_ref)
    np.testing.assert_array_equal(y, y_ref)


@pytest.mark.parametrize(("samples", "classes", "seed"), [(100, 3, 0), (20, 4, 5)])
def test_vertical_equals_nnfs_after_seeding_the_global_generator(samples, classes, seed):
    X, y = data.vertical(samples, classes, seed=seed)
    np.random.seed(seed)
    X_ref, y_ref = vertical_data(samples, classes)
    np.testing.assert_array_equal(X, X_ref)
    np.testing.assert_array_equal(y, y_ref)


@pytest.mark.parametrize("make", [data.spiral, data.vertical])
def test_shapes_dtypes_and_labels(make):
    X, y = make(40, 3, seed=2)
    assert X.shape == (120, 2) and y.shape == (120,)
    assert X.dtype == np.float64 and y.dtype == np.int64
    np.testing.assert_array_equal(np.bincount(y), [40, 40, 40])
    assert np.all(np.isfinite(X))


def test_spiral_radius_grows_along_each_arm():
    # The spiral's radius r runs linearly from 0 to 1 along each arm (CS231n's generator).
    X, y = data.spiral(50, 2, seed=0)
    for c in range(2):
        r = np.hypot(*X[y == c].T)
        np.testing.assert_allclose(r, np.linspace(0, 1, 50), atol=1e-12)


@pytest.mark.parametrize("make", [data.spiral, data.vertical])
def test_same_seed_same_data_and_different_seed_different(make):
    X1, y1 = make(30, 3, seed=4)
    X2, y2 = make(30, 3, seed=4)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    assert not np.array_equal(X1, make(30, 3, seed=5)[0])


@pytest.mark.parametrize("make", [data.spiral, data.vertical])
def test_global_random_state_is_restored(make):
    np.random.seed(123)
    expected = np.random.rand(3)
    np.random.seed(123)
    make(10, 3, seed=0)
    np.testing.assert_array_equal(np.random.rand(3), expected)


def test_global_random_state_is_restored_after_an_error():
    np.random.seed(7)
    expected = np.random.rand()
    np.random.seed(7)
    with pytest.raises(ValueError):
        data.spiral(10, 3, seed=-1)  # np.random.seed refuses negative seeds
    assert np.random.rand() == expected


@pytest.mark.parametrize("make", [data.spiral, data.vertical])
@pytest.mark.parametrize(("samples", "classes"), [(0, 3), (-1, 3), (10, 0), (2.5, 3), (10, "3")])
def test_bad_sizes(make, samples, classes):
    with pytest.raises(ValueError, match="must be a positive integer"):
        make(samples, classes, seed=0)


@pytest.mark.parametrize("seed", [1.5, "0", None])
def test_bad_seed(seed):
    with pytest.raises(TypeError, match="seed must be an int"):
        data.spiral(10, 3, seed=seed)


def test_spiral_radii_are_a_fixed_grid_and_only_the_angle_is_random():
    # What the spiral() docstring says about nnfs's generator, checked on its output.
    n = 2000
    X0, y0 = data.spiral(n, 3, seed=0)
    X1, _ = data.spiral(n, 3, seed=1)
    i = np.arange(n)
    for c in range(3):
        arm0, arm1 = X0[y0 == c], X1[y0 == c]
        r0, r1 = np.hypot(*arm0.T), np.hypot(*arm1.T)
        np.testing.assert_allclose(r0, i / (n - 1), atol=1e-12)  # same radii for every seed
        np.testing.assert_allclose(r1, r0, atol=1e-12)
        np.testing.assert_array_equal(arm0[0], [0.0, 0.0])  # every arm starts at the origin
        # angle = 2.5 t with t = 4c + 4i/(n-1) + 0.2 e: the residual angle is 2.5 * 0.2 * e
        angle = np.arctan2(arm0[1:, 0], arm0[1:, 1])
        residual = np.angle(np.exp(1j * (angle - 2.5 * (4 * c + 4 * i[1:] / (n - 1)))))
        assert abs(residual.mean()) < 0.05  # mean 0; standard error 0.5 / sqrt(2000) = 0.011
        assert residual.std() == pytest.approx(0.5, rel=0.05)
    assert not np.allclose(X0, X1)  # the angles differ between seeds


def test_a_bigger_spiral_has_radii_between_the_training_radii():
    # r = i/1999 equals some j/99 only at 0 and 1 (1999 is prime), so a 2000-point
    # evaluation spiral shares just two radii with a 100-point training spiral.
    X_train, y_train = data.spiral(100, 3, seed=0)
    X_eval, y_eval = data.spiral(2000, 3, seed=1)
    r_train = np.hypot(*X_train[y_train == 0].T)
    r_eval = np.hypot(*X_eval[y_eval == 0].T)
    shared = np.isclose(r_eval[:, None], r_train[None, :], rtol=0, atol=1e-12).any(axis=1)
    assert shared.sum() == 2 and shared[0] and shared[-1]
