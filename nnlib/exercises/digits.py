"""Chapter 16, handwritten digits: ``check_confusion_matrix``."""

from __future__ import annotations

import numpy as np

from ._engine import Check, Mistake


def _confusion(y_true, y_pred, n_classes):
    """Counts: row = true class, column = predicted class; np.add.at counts repeated pairs every time."""
    M = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(M, (y_true, y_pred), 1)
    return M


def _loop(y_true, y_pred, n_classes):
    M = np.zeros((n_classes, n_classes))
    for t, p in zip(y_true, y_pred, strict=True):
        M[t, p] += 1
    return M


def _bincount(y_true, y_pred, n_classes):
    # Row-major index of the cell (t, p) in a flattened n_classes x n_classes matrix.
    flat = y_true.astype(np.int64) * n_classes + y_pred
    return np.bincount(flat, minlength=n_classes * n_classes).reshape(n_classes, n_classes)


def _masks(y_true, y_pred, n_classes):
    return np.array([[np.sum((y_true == i) & (y_pred == j)) for j in range(n_classes)]
                     for i in range(n_classes)])


def _histogram2d(y_true, y_pred, n_classes):
    edges = np.arange(n_classes + 1)  # bins [0, 1), [1, 2), ..., [C-1, C]: one per class
    return np.histogram2d(y_true, y_pred, bins=[edges, edges])[0]


# ------------------------------------------------------------------------------- the mistakes


def _transposed(y_true, y_pred, n_classes):
    M = np.zeros((n_classes, n_classes))
    for t, p in zip(y_true, y_pred, strict=True):
        M[p, t] += 1
    return M


def _fancy_index_increment(y_true, y_pred, n_classes):
    M = np.zeros((n_classes, n_classes), dtype=np.int64)
    M[y_true, y_pred] += 1
    return M


def _normalised_rows(y_true, y_pred, n_classes):
    M = _confusion(y_true, y_pred, n_classes)
    return M / M.sum(axis=1, keepdims=True)


def _normalised_total(y_true, y_pred, n_classes):
    return _confusion(y_true, y_pred, n_classes) / len(y_true)


def _histogram2d_without_edges(y_true, y_pred, n_classes):
    return np.histogram2d(y_true, y_pred, bins=n_classes)[0]


def _bincount_without_minlength(y_true, y_pred, n_classes):
    return np.bincount(y_true.astype(np.int64) * n_classes + y_pred).reshape(n_classes, n_classes)


def _size_from_labels(y_true, y_pred, n_classes):
    size = max(y_true.max(), y_pred.max()) + 1
    M = np.zeros((size, size), dtype=np.int64)
    np.add.at(M, (y_true, y_pred), 1)
    return M


def _range_minus_one(y_true, y_pred, n_classes):
    M = np.zeros((n_classes, n_classes))
    for i in range(n_classes - 1):
        for j in range(n_classes - 1):
            M[i, j] = np.sum((y_true == i) & (y_pred == j))
    return M


def _dtype_of_labels(y_true, y_pred, n_classes):
    M = np.zeros((n_classes, n_classes), dtype=y_true.dtype)
    np.add.at(M, (y_true, y_pred), 1)
    return M


def _labels(values, dtype=np.int64):
    return np.array(values, dtype=dtype)


_gen = np.random.default_rng(16)
_T10 = _gen.integers(0, 10, size=200)
_P10 = np.where(_gen.random(200) < 0.8, _T10, _gen.integers(0, 10, size=200))

check_confusion_matrix = Check(
    name="confusion matrix",
    chapter="digits",
    signature="fn(y_true, y_pred, n_classes) -> M of shape (n_classes, n_classes), where M[i, j] counts the "
              "samples of true class i predicted as class j (rows: true, columns: predicted); y_true and "
              "y_pred are integer labels of shape (N,)",
    reference=_confusion,
    cases=[
        ("6 samples, 3 classes; the pair (true 2, predicted 2) occurs twice",
         (_labels([0, 0, 1, 2, 2, 2]), _labels([0, 1, 1, 2, 0, 2]), 3)),
        ("4 classes, but class 3 never occurs and class 0 is never predicted",
         (_labels([1, 1, 2, 0, 2, 1]), _labels([1, 2, 2, 1, 2, 1]), 4)),
        ("a single sample: true 2, predicted 0", (_labels([2]), _labels([0]), 3)),
        ("305 samples with uint8 labels (as load_idx returns MNIST's), 300 of them true 0 predicted 0",
         (_labels([0] * 300 + [1, 1, 2, 2, 1], np.uint8), _labels([0] * 300 + [1, 2, 2, 0, 1], np.uint8), 3)),
        ("200 samples, 10 classes, 80 % predicted right", (_T10, _P10, 10)),
    ],
    mistakes=[
        Mistake("transposed",
                "rows and columns are swapped: row i is the TRUE class and column j the PREDICTED one, so a "
                "sample adds 1 at M[y_true[k], y_pred[k]], not at M[y_pred[k], y_true[k]].", _transposed),
        Mistake("fancy-index-increment",
                "M[y_true, y_pred] += 1 counts each distinct (true, predicted) pair only ONCE. It means "
                "M[y_true, y_pred] = M[y_true, y_pred] + 1: NumPy reads the cells, adds 1 and writes them "
                "back, so a cell listed several times is written several times with the same value. Count "
                "with np.add.at(M, (y_true, y_pred), 1), np.bincount, or a loop over the samples.",
                _fancy_index_increment),
        Mistake("normalised-rows",
                "return counts, not fractions: dividing each row by its sum gives the per-class accuracy "
                "on the diagonal (and 0/0 for a class with no samples). Normalise afterwards if you want to.",
                _normalised_rows),
        Mistake("normalised-total",
                "return counts, not fractions of all samples: do not divide by N.", _normalised_total),
        Mistake("histogram2d-without-edges",
                "np.histogram2d(y_true, y_pred, bins=n_classes) spreads its bins between the smallest and "
                "largest label that occur, not over 0..n_classes-1, so a class missing from the data "
                "shifts every bin. Give the edges: bins=[np.arange(n_classes + 1)] * 2.",
                _histogram2d_without_edges),
        Mistake("bincount-without-minlength",
                "np.bincount(y_true * n_classes + y_pred) only counts up to the largest index that occurs, "
                "so reshaping to (n_classes, n_classes) fails when the last classes are missing: pass "
                "minlength=n_classes * n_classes.", _bincount_without_minlength),
        Mistake("size-from-labels",
                "the size of M must be n_classes, not the largest label + 1: a class that never occurs, or "
                "is never predicted, still gets its row and column (of zeros).", _size_from_labels),
        Mistake("range-minus-one",
                "the last class is never counted: range(n_classes) already stops at n_classes - 1, so "
                "loop over range(n_classes), not range(n_classes - 1).", _range_minus_one),
        Mistake("dtype-of-labels",
                "the counts overflow: M has the labels' dtype, and uint8 labels (as IDX files store them) "
                "make M uint8, which wraps around after 255. Create M with an integer type that is wide "
                "enough, e.g. np.zeros((n_classes, n_classes), dtype=np.int64).", _dtype_of_labels),
    ],
    alternatives=[
        ("a loop over the samples into a float matrix", _loop),
        ("np.bincount with minlength", _bincount),
        ("a double loop over classes with boolean masks", _masks),
        ("np.histogram2d with explicit bin edges", _histogram2d),
        ("nested Python lists", lambda t, p, c: _confusion(t, p, c).tolist()),
    ],
)
