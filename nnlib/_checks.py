"""Input checks shared by every nnlib module.

A teaching library must never hand back a quietly wrong number. NumPy broadcasts
happily: a ``(N, 1)`` prediction minus a ``(N,)`` target becomes an ``(N, N)``
matrix, and the "loss" computed from it is nonsense. Every public entry point
in nnlib therefore passes its arrays through the functions below, which raise a
``ValueError`` or ``TypeError`` that says what was expected, what arrived and
what to try.
"""

from __future__ import annotations

import numpy as np


def as_float_array(x, name: str, ndim: int | None = None) -> np.ndarray:
    """Return ``x`` as a floating-point array, refusing what cannot be one.

    Integer and boolean arrays are converted to float64 (the seeds feed integer
    inputs such as ``[[0, 0, 1], ...]``); float32 stays float32.
    """
    if isinstance(x, np.ndarray):
        arr = x
    else:
        try:
            arr = np.asarray(x)
        except ValueError as exc:  # ragged nested lists
            raise ValueError(
                f"{name} could not be turned into an array ({exc}). "
                "Every row must have the same length."
            ) from None
    kind = arr.dtype.kind  # 'f' float, 'i'/'u' integer, 'b' bool, 'c' complex
    if kind == "c":
        raise TypeError(f"{name} must be real-valued, got dtype {arr.dtype}.")
    if kind not in "fiub":
        raise TypeError(
            f"{name} must hold numbers, got an array of dtype {arr.dtype}. "
            "Convert it with np.asarray(..., dtype=float)."
        )
    if kind != "f":
        arr = arr.astype(np.float64)
    if ndim is not None and arr.ndim != ndim:
        hint = ""
        if ndim == 2 and arr.ndim == 1:
            hint = (
                " A single sample must still be a batch: use x.reshape(1, -1) "
                "for one sample or x.reshape(-1, 1) for one feature."
            )
        raise ValueError(
            f"{name} must be a {ndim}-D array, got shape {arr.shape} ({arr.ndim}-D).{hint}"
        )
    if arr.ndim >= 1 and arr.shape[0] == 0:
        raise ValueError(f"{name} is empty (shape {arr.shape}); pass at least one sample.")
    check_finite(arr, name)
    return arr


def check_finite(arr: np.ndarray, name: str) -> None:
    """Raise ``ValueError`` if ``arr`` holds NaN or infinity, saying where."""
    if arr.dtype.kind != "f":
        return
    with np.errstate(over="ignore", invalid="ignore"):
        total = np.sum(arr)
    if np.isfinite(total):
        return  # a NaN or inf anywhere would make the sum NaN or inf: fast path
    if not np.all(np.isfinite(arr)):  # the sum may also have overflowed: look closely
        bad = np.argwhere(~np.isfinite(arr))
        first = tuple(int(i) for i in bad[0])
        raise ValueError(
            f"{name} contains {len(bad)} non-finite value(s) (NaN or inf), the first at "
            f"index {first}: {arr[first]}. Check the data, or lower the learning rate "
            "if this appeared during training."
        )


def check_columns(arr: np.ndarray, expected: int, name: str, what: str) -> None:
    """Raise if a 2-D ``arr`` does not have ``expected`` columns."""
    if arr.shape[1] != expected:
        raise ValueError(
            f"{name} has {arr.shape[1]} columns but {what} expects {expected} "
            f"(got shape {arr.shape}, expected (N, {expected}))."
        )


def check_same_shape(a: np.ndarray, b: np.ndarray, name_a: str, name_b: str) -> None:
    """Raise if two arrays that are combined elementwise differ in shape.

    This is the guard against silent broadcasting, e.g. ``(N, 1) - (N,)``.
    """
    if a.shape != b.shape:
        hint = ""
        if a.ndim != b.ndim and a.size == b.size:
            hint = (
                f" They hold the same number of values: reshape one, e.g. "
                f"{name_b}.reshape({a.shape}), so NumPy does not broadcast them "
                "into a larger matrix."
            )
        raise ValueError(
            f"{name_a} has shape {a.shape} but {name_b} has shape {b.shape}; "
            f"they must match exactly.{hint}"
        )


def class_labels(y_true, n_samples: int, n_classes: int, name: str = "y_true") -> np.ndarray:
    """Validate targets for a classifier and return integer labels of shape ``(N,)``.

    Accepts integer labels of shape ``(N,)`` with values in ``[0, n_classes)``, or
    one-hot rows of shape ``(N, n_classes)``.
    """
    y = np.asarray(y_true)
    if y.ndim == 2 and y.shape[1] == 1 and n_classes > 1:
        raise ValueError(
            f"{name} has shape {y.shape}: a column of labels. Class labels must be a "
            f"1-D array of shape ({n_samples},) (use y.ravel()), or one-hot rows of "
            f"shape ({n_samples}, {n_classes})."
        )
    if y.ndim == 1:
        if not (np.issubdtype(y.dtype, np.integer) or y.dtype == bool):
            if np.issubdtype(y.dtype, np.floating) and np.all(np.isfinite(y)) and np.all(
                y == np.round(y)
            ):
                hint = " They look like whole numbers: convert with y.astype(int)."
            else:
                hint = ""
            raise TypeError(
                f"{name} must hold integer class labels, got dtype {y.dtype}.{hint}"
            )
        if y.shape[0] != n_samples:
            raise ValueError(
                f"{name} has {y.shape[0]} labels but the predictions have {n_samples} rows."
            )
        y = y.astype(np.int64)
        if y.size and (y.min() < 0 or y.max() >= n_classes):
            bad = y[(y < 0) | (y >= n_classes)]
            raise ValueError(
                f"{name} holds label(s) {np.unique(bad).tolist()} outside the valid range "
                f"0..{n_classes - 1} for {n_classes} classes. Labels must be 0-based."
            )
        return y
    if y.ndim == 2:
        if y.shape != (n_samples, n_classes):
            raise ValueError(
                f"one-hot {name} has shape {y.shape}, expected ({n_samples}, {n_classes})."
            )
        yf = y.astype(np.float64)
        if not (np.all((yf == 0) | (yf == 1)) and np.all(yf.sum(axis=1) == 1)):
            raise ValueError(
                f"one-hot {name} must hold a single 1 per row and 0 elsewhere. "
                "For integer labels pass a 1-D array instead."
            )
        return yf.argmax(axis=1)
    raise ValueError(
        f"{name} must be 1-D integer labels ({n_samples},) or one-hot ({n_samples}, "
        f"{n_classes}), got shape {y.shape}."
    )


def make_rng(rng) -> np.random.Generator:
    """Turn ``None``, an int seed or a Generator into a Generator.

    ``None`` gives fresh, unreproducible randomness; pass a seed for
    reproducible results. nnlib never leaves NumPy's global random state
    changed (``nnlib.data`` seeds it for nnfs's generators and restores it).
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None or isinstance(rng, (int, np.integer)):
        return np.random.default_rng(rng)
    raise TypeError(
        f"rng must be None, an int seed or a numpy.random.Generator, got {type(rng).__name__}."
    )
