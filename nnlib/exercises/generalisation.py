"""Chapter 13, generalisation: ``check_train_val_split``."""

from __future__ import annotations

import copy

import numpy as np

from ._engine import BadAnswer, Check, Mistake

PARTS = ("training rows", "validation rows", "rows in both sets", "rows missing or repeated",
         "labels stay with their rows", "rows shuffled", "same split from the same rng")


def _make(n_per_class, classes, d, seed):
    """Rows sorted by class, as nnlib.data.spiral returns them; column 0 numbers the rows."""
    gen = np.random.default_rng(seed)
    n = n_per_class * classes
    X = np.column_stack([np.arange(n, dtype=np.float64), gen.standard_normal((n, d - 1))])
    return X, np.repeat(np.arange(classes), n_per_class)


def _summary(X, y, val_fraction, parts, parts_again):
    """What the check compares: sizes, overlap, coverage, pairing, shuffling, reproducibility."""
    n = len(X)
    n_val = int(round(val_fraction * n))
    X_tr, y_tr, X_va, y_va = parts
    ids_tr = np.asarray(X_tr)[:, 0].astype(int)
    ids_va = np.asarray(X_va)[:, 0].astype(int)
    overlap = len(np.intersect1d(ids_tr, ids_va))
    missing = (n - len(np.union1d(ids_tr, ids_va))
               + len(ids_tr) - len(np.unique(ids_tr)) + len(ids_va) - len(np.unique(ids_va)))
    pairs = bool(np.array_equal(np.asarray(y_tr).reshape(-1), y[ids_tr])
                 and np.array_equal(np.asarray(y_va).reshape(-1), y[ids_va]))
    unshuffled = {frozenset(range(n - n_val, n)), frozenset(range(n_val))}
    shuffled = frozenset(ids_va.tolist()) not in unshuffled
    same = len(parts_again) == 4 and all(
        np.array_equal(np.asarray(a), np.asarray(b)) for a, b in zip(parts, parts_again, strict=True))
    return (len(ids_tr), len(ids_va), overlap, missing, pairs, shuffled, same)


def _unpack(parts, X):
    if not (isinstance(parts, (tuple, list)) and len(parts) == 4):
        raise BadAnswer("returned something other than four arrays: return (X_train, y_train, X_val, y_val).")
    parts = tuple(np.asarray(p) for p in parts)
    for p, name in ((parts[0], "X_train"), (parts[2], "X_val")):
        if p.ndim != 2 or p.shape[1] != X.shape[1]:
            raise BadAnswer(f"returned {name} with shape {p.shape}; it should keep X's {X.shape[1]} columns. "
                            "The order is (X_train, y_train, X_val, y_val) (scikit-learn's train_test_split "
                            "uses another: X_train, X_val, y_train, y_val).")
    for p, q, name in ((parts[1], parts[0], "y_train"), (parts[3], parts[2], "y_val")):
        if p.reshape(-1).shape[0] != q.shape[0]:
            raise BadAnswer(f"returned {name} with {p.reshape(-1).shape[0]} labels for {q.shape[0]} rows.")
    return parts


def _call(fn, args):
    X, y, val_fraction, rng = args
    rng_again, X_again, y_again = copy.deepcopy(rng), X.copy(), y.copy()
    parts = fn(X, y, val_fraction, rng)
    if parts is None:
        return None
    parts = _unpack(parts, X)
    again = fn(X_again, y_again, val_fraction, rng_again)
    again = _unpack(again, X) if again is not None else ()
    return tuple(np.asarray(v) for v in _summary(X, y, val_fraction, parts, again))


def _split(X, y, val_fraction, rng):
    order = rng.permutation(len(X))
    n_val = int(round(val_fraction * len(X)))
    val, train = order[:n_val], order[n_val:]
    return X[train], y[train], X[val], y[val]


def _no_shuffle(X, y, val_fraction, rng):
    n_val = int(round(val_fraction * len(X)))
    return X[n_val:], y[n_val:], X[:n_val], y[:n_val]


def _overlap(X, y, val_fraction, rng):
    order = rng.permutation(len(X))
    n_val = int(round(val_fraction * len(X)))
    return X[order], y[order], X[order[:n_val]], y[order[:n_val]]


def _with_replacement(X, y, val_fraction, rng):
    n = len(X)
    n_val = int(round(val_fraction * n))
    idx = rng.integers(0, n, size=n)
    return X[idx[n_val:]], y[idx[n_val:]], X[idx[:n_val]], y[idx[:n_val]]


def _separately(X, y, val_fraction, rng):
    n_val = int(round(val_fraction * len(X)))
    Xs, ys = X[rng.permutation(len(X))], y[rng.permutation(len(X))]
    return Xs[n_val:], ys[n_val:], Xs[:n_val], ys[:n_val]


def _global_random(X, y, val_fraction, rng):
    order = np.random.permutation(len(X))  # noqa: NPY002 - the mistake is using the global generator
    n_val = int(round(val_fraction * len(X)))
    return X[order[n_val:]], y[order[n_val:]], X[order[:n_val]], y[order[:n_val]]


def _swapped_sizes(X, y, val_fraction, rng):
    order = rng.permutation(len(X))
    n_train = int(round(val_fraction * len(X)))
    return X[order[:n_train]], y[order[:n_train]], X[order[n_train:]], y[order[n_train:]]


def _shuffle_in_place(X, y, val_fraction, rng):
    order = rng.permutation(len(X))
    X[:] = X[order]
    y[:] = y[order]
    n_val = int(round(val_fraction * len(X)))
    return X[n_val:], y[n_val:], X[:n_val], y[:n_val]


def _sklearn_order(X, y, val_fraction, rng):
    X_tr, y_tr, X_va, y_va = _split(X, y, val_fraction, rng)
    return X_tr, X_va, y_tr, y_va


def _int_truncates(X, y, val_fraction, rng):
    order = rng.permutation(len(X))
    n_val = int(val_fraction * len(X))
    return X[order[n_val:]], y[order[n_val:]], X[order[:n_val]], y[order[:n_val]]


def _float_count(X, y, val_fraction, rng):
    order = rng.permutation(len(X))
    n_val = val_fraction * len(X)
    return X[order[n_val:]], y[order[n_val:]], X[order[:n_val]], y[order[:n_val]]


def _split_val_last(X, y, val_fraction, rng):
    order = rng.permutation(len(X))
    n_train = len(X) - int(round(val_fraction * len(X)))
    return X[order[:n_train]], y[order[:n_train]], X[order[n_train:]], y[order[n_train:]]


X1, Y1 = _make(10, 3, 2, 1)
X2, Y2 = _make(25, 4, 3, 2)
X3, Y3 = _make(6, 2, 2, 3)

check_train_val_split = Check(
    name="train/validation split",
    chapter="generalisation",
    signature="fn(X, y, val_fraction, rng) -> (X_train, y_train, X_val, y_val): shuffle the rows once with "
              "rng.permutation(N), round(val_fraction * N) rows to validation, the rest to training, X and "
              "y indexed with the same indices",
    reference=_split,
    call=_call,
    parts=PARTS,
    cases=[
        ("30 rows sorted by class (3 classes), val_fraction 0.2", (X1, Y1, 0.2, np.random.default_rng(0))),
        ("100 rows sorted by class (4 classes), 3 columns, val_fraction 0.25",
         (X2, Y2, 0.25, np.random.default_rng(1))),
        ("12 rows, val_fraction 0.5", (X3, Y3, 0.5, np.random.default_rng(2))),
        ("30 rows, val_fraction 0.25 (7.5 rows: round(7.5) is 8)", (X1, Y1, 0.25, np.random.default_rng(3))),
    ],
    mistakes=[
        Mistake("no-shuffle",
                "the split takes the first or last rows without shuffling. The data are sorted by class, so "
                "the validation set then holds only the first or last class(es): shuffle first.",
                _no_shuffle),
        Mistake("overlap",
                "some rows are in both sets: the validation rows must be left out of the training set (take "
                "order[:n_val] for validation and order[n_val:] for training).", _overlap),
        Mistake("with-replacement",
                "some rows are in neither set or appear twice: rng.integers draws with replacement. Shuffle "
                "with one permutation, rng.permutation(N), and split it.", _with_replacement),
        Mistake("shuffled-separately",
                "the labels no longer belong to their rows: X and y were shuffled separately. Draw one "
                "permutation and index both X and y with it.", _separately),
        Mistake("global-random",
                "two calls with identical generators gave different splits: draw the permutation from the "
                "rng argument (rng.permutation), not from np.random, so the split is reproducible.",
                _global_random),
        Mistake("swapped-sizes",
                "the sizes are swapped: val_fraction is the fraction that goes to VALIDATION.",
                _swapped_sizes),
        Mistake("shuffle-in-place",
                "X[:] = X[order] shuffles the caller's arrays in place: index into new arrays instead, "
                "X[order[n_val:]], and leave X and y as they were.", _shuffle_in_place),
        Mistake("int-truncates",
                "int(val_fraction * N) cuts 7.5 down to 7 validation rows: use round(val_fraction * N), as "
                "the exercise asks (nnlib.data.train_val_test_split rounds the same way).", _int_truncates),
        Mistake("float-count",
                "val_fraction * N is a float, and arrays cannot be sliced with a float: turn it into a whole "
                "number of rows with round(val_fraction * N).", _float_count),
        Mistake("sklearn-order",
                "return the four arrays in this order: (X_train, y_train, X_val, y_val).", _sklearn_order),
    ],
    alternatives=[
        ("a boolean mask", lambda X, y, f, rng: (lambda order, n_val: (lambda m: (X[~m], y[~m], X[m], y[m]))(
            np.isin(np.arange(len(X)), order[:n_val])))(rng.permutation(len(X)), int(round(f * len(X))))),
        ("lists", lambda X, y, f, rng: list(_split(X, y, f, rng))),
        ("validation rows from the end of the permutation", _split_val_last),
    ],
)
