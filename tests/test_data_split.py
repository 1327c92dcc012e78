"""Tests for nnlib.data.train_val_test_split.

The properties are the definition of a stratified three-way split, checked directly: sizes
round(fraction * N), disjoint sets that cover every row, each label still with its row, and in
each set each class's count within one row of its exact proportional share n_c * n_set / N.
"""

from __future__ import annotations

import numpy as np
import pytest

from nnlib import data
from nnlib.data import train_val_test_split

SETS = ("train", "val", "test")


def labelled_rows(class_sizes, seed=0):
    """X whose column 0 is the row's id, and its labels, sorted by class (the hard case)."""
    y = np.repeat(np.arange(len(class_sizes)), class_sizes)
    rng = np.random.default_rng(seed)
    X = np.column_stack([np.arange(len(y)), rng.normal(size=len(y))])
    return X, y


def as_sets(result):
    X_train, y_train, X_val, y_val, X_test, y_test = result
    return {"train": (X_train, y_train), "val": (X_val, y_val), "test": (X_test, y_test)}


CASES = [
    ("balanced", [40, 40, 40], 0.2, 0.2),
    ("imbalanced", [5, 50, 500], 0.15, 0.25),
    ("digits-like", [178, 182, 177, 183, 181, 182, 181, 179, 174, 180], 0.2, 0.2),
    ("tiny classes", [1, 2, 3, 30], 0.3, 0.3),
    ("no validation set", [30, 20], 0.0, 0.5),
]


@pytest.mark.parametrize(("name", "sizes", "val", "test"), CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("stratify", [True, False])
def test_sizes_disjoint_cover_and_pairing(name, sizes, val, test, stratify):
    X, y = labelled_rows(sizes)
    n = len(y)
    sets = as_sets(train_val_test_split(X, y, val, test, rng=1, stratify=stratify))
    assert len(sets["val"][1]) == round(val * n) and len(sets["test"][1]) == round(test * n)
    assert len(sets["train"][1]) == n - round(val * n) - round(test * n)
    ids = np.concatenate([sets[s][0][:, 0] for s in SETS]).astype(int)
    np.testing.assert_array_equal(np.sort(ids), np.arange(n))     # every row exactly once
    for s in SETS:
        Xs, ys = sets[s]
        assert Xs.shape[1:] == X.shape[1:]
        np.testing.assert_array_equal(ys, y[Xs[:, 0].astype(int)])  # each label stays with its row
        np.testing.assert_array_equal(Xs, X[Xs[:, 0].astype(int)])


@pytest.mark.parametrize(("name", "sizes", "val", "test"), CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_stratified_class_counts_within_one_of_the_exact_share(name, sizes, val, test, seed):
    X, y = labelled_rows(sizes)
    n = len(y)
    sets = as_sets(train_val_test_split(X, y, val, test, rng=seed))
    for s in SETS:
        ys = sets[s][1]
        counts = np.bincount(ys, minlength=len(sizes))
        exact = len(ys) * np.array(sizes) / n
        assert np.all(np.abs(counts - exact) < 1), (s, counts, exact)


def test_stratified_on_digits_every_class_in_every_set():
    X, y = data.digits()
    sets = as_sets(train_val_test_split(X, y, 0.2, 0.2, rng=0))
    for s in SETS:
        assert np.all(np.bincount(sets[s][1], minlength=10) >= 34)


def test_plain_split_does_not_keep_proportions_in_general():
    # Sanity check that stratification is doing something: across seeds, a plain random split of a
    # sorted, imbalanced data set moves some class's count by more than one row.
    X, y = labelled_rows([5, 50, 500])
    worst = 0.0
    for seed in range(10):
        ys = train_val_test_split(X, y, 0.2, 0.2, rng=seed, stratify=False)[5]
        exact = len(ys) * np.array([5, 50, 500]) / len(y)
        worst = max(worst, np.max(np.abs(np.bincount(ys, minlength=3) - exact)))
    assert worst > 1


def test_rows_are_shuffled_within_each_set():
    X, y = labelled_rows([100, 100, 100])
    for stratify in (True, False):
        sets = as_sets(train_val_test_split(X, y, 0.2, 0.2, rng=0, stratify=stratify))
        for s in SETS:
            assert np.any(np.diff(sets[s][1]) < 0), f"{s} set is sorted by class"


@pytest.mark.parametrize("stratify", [True, False])
def test_same_rng_same_split_and_different_rng_different(stratify):
    X, y = labelled_rows([30, 30, 30])
    a = train_val_test_split(X, y, 0.2, 0.2, rng=5, stratify=stratify)
    b = train_val_test_split(X, y, 0.2, 0.2, rng=np.random.default_rng(5), stratify=stratify)
    c = train_val_test_split(X, y, 0.2, 0.2, rng=6, stratify=stratify)
    for u, v in zip(a, b, strict=True):
        np.testing.assert_array_equal(u, v)
    assert not np.array_equal(a[0], c[0])


def test_inputs_are_not_changed_and_outputs_are_copies():
    X, y = labelled_rows([20, 20])
    X0, y0 = X.copy(), y.copy()
    out = train_val_test_split(X, y, 0.25, 0.25, rng=0)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)
    for arr in out:
        assert not np.shares_memory(arr, X) and not np.shares_memory(arr, y)


def test_images_and_lists():
    images = np.arange(30 * 8 * 8).reshape(30, 8, 8)
    labels = [0] * 15 + [1] * 15
    X_train, y_train, X_val, y_val, X_test, y_test = train_val_test_split(images, labels, 0.2, 0.2, rng=0)
    assert X_train.shape == (18, 8, 8) and X_val.shape == (6, 8, 8) and X_test.shape == (6, 8, 8)
    np.testing.assert_array_equal(np.bincount(y_val), [3, 3])
    np.testing.assert_array_equal(X_val[:, 0, 0] // 64 >= 15, y_val == 1)   # images keep their labels


def test_plain_split_accepts_float_targets():
    X = np.arange(10.0).reshape(10, 1)
    y = X[:, 0] * 0.5
    X_train, y_train, *_ = train_val_test_split(X, y, 0.2, 0.2, rng=0, stratify=False)
    np.testing.assert_array_equal(y_train, X_train[:, 0] * 0.5)


@pytest.mark.parametrize("value", [-0.1, 1.0, 1.5])
@pytest.mark.parametrize("which", ["val_fraction", "test_fraction"])
def test_fraction_out_of_range(value, which):
    X, y = labelled_rows([10, 10])
    with pytest.raises(ValueError, match=rf"{which} must be at least 0 and below 1, got {value}"):
        train_val_test_split(X, y, rng=0, **{which: value})


@pytest.mark.parametrize("value", ["0.2", None, True])
def test_fraction_not_a_number(value):
    X, y = labelled_rows([10, 10])
    with pytest.raises(TypeError, match="val_fraction must be a number"):
        train_val_test_split(X, y, value, 0.2, rng=0)


def test_no_training_set_left():
    X, y = labelled_rows([10, 10])
    with pytest.raises(ValueError, match="leave no training set"):
        train_val_test_split(X, y, 0.5, 0.5, rng=0)


def test_lengths_must_match():
    X, y = labelled_rows([10, 10])
    with pytest.raises(ValueError, match="X has 20 rows but y has 19 labels"):
        train_val_test_split(X, y[:-1], rng=0)


def test_column_of_labels_is_refused_with_a_hint():
    X, y = labelled_rows([10, 10])
    with pytest.raises(ValueError, match=r"y of shape \(N,\).*y.ravel\(\)"):
        train_val_test_split(X, y.reshape(-1, 1), rng=0)


def test_stratify_needs_integer_labels():
    X, y = labelled_rows([10, 10])
    with pytest.raises(TypeError, match=r"integer class labels.*y.astype\(int\)"):
        train_val_test_split(X, y.astype(float), rng=0)


def test_rng_is_required_and_checked():
    X, y = labelled_rows([10, 10])
    with pytest.raises(TypeError, match="rng"):
        train_val_test_split(X, y, 0.2, 0.2)              # no rng: refused by Python itself
    with pytest.raises(TypeError, match="rng must be None, an int seed or a numpy.random.Generator"):
        train_val_test_split(X, y, 0.2, 0.2, rng="seed")
