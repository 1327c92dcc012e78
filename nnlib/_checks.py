"""Input checks shared by every nnlib module.

A teaching library must never hand back a quietly wrong number. NumPy broadcasts
happily: a ``(N, 1)`` prediction minus a ``(N,)`` target becomes an ``(N, N)``
matrix, and the "loss" computed from it is nonsense. Every public entry point
in nnlib therefore passes its arrays through the functions below, which raise a
``ValueError`` or ``TypeError`` that says what was expected, what arrived and
what to try.

Checks cost time, so they run where data *enters*: in ``Network.fit``,
``Network.forward`` (and so ``predict`` and ``evaluate``), and in a layer or loss
you call yourself. A public method that checks its arguments and then calls an
unchecked private twin (``forward`` and ``_forward``) is marked with
:func:`entry_point`. Inside a training step, ``Network`` calls the twins
directly, but only where the array handed over was produced by nnlib's own code
from checked data (see ``Network`` for the rule).
"""

from __future__ import annotations

import math

import numpy as np

#: The floating-point types a layer can compute in. float64 is the default everywhere.
FLOAT_DTYPES = (np.float64, np.float32)


def entry_point(method):
    """Mark ``method`` as a checked entry point with an unchecked twin ``_<name>``.

    ``forward`` checks its input, then calls ``_forward``, which does the work.
    ``Network`` looks for this mark: where it finds it, it may call the twin
    directly on arrays it has already checked. A method you write yourself (an
    override in a subclass, or a replacement assigned to the class) carries no
    mark, so ``Network`` calls it as written.
    """
    method.unchecked_twin = "_" + method.__name__
    return method


def float_dtype(dtype) -> np.dtype:
    """Return ``dtype`` as a NumPy dtype if it is float64 or float32; refuse anything else."""
    try:
        dt = np.dtype(dtype)
    except TypeError:
        dt = None
    if dt is None or dt.type not in FLOAT_DTYPES:
        raise TypeError(
            f"dtype must be np.float64 (the default) or np.float32, got {dtype!r}. "
            "float32 halves the memory and is faster; float64 is needed for gradient checks."
        )
    return dt


def as_float_array(x, name: str, ndim: int | None = None, dtype=None) -> np.ndarray:
    """Return ``x`` as a floating-point array, refusing what cannot be one.

    Integer and boolean arrays are converted to float64 (the seeds feed integer
    inputs such as ``[[0, 0, 1], ...]``); float32 stays float32. With ``dtype``
    (a layer's float64 or float32) the result is cast to it once, here.
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
    if dtype is not None and arr.dtype != dtype:
        with np.errstate(over="ignore"):  # a value too large for float32 becomes inf: refused below
            arr = arr.astype(dtype)
    elif kind != "f":
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


def all_finite(arr: np.ndarray) -> bool:
    """True if the float array ``arr`` holds no NaN and no infinity.

    One sum is the fast test: a NaN or inf anywhere makes the sum NaN or inf. Only
    if the sum is not finite (it may also have overflowed) is every entry looked at.
    A sum that overflows warns: call this inside ``np.errstate(over="ignore",
    invalid="ignore")``, as ``Network.fit`` and :func:`check_finite` do.
    """
    return math.isfinite(np.add.reduce(arr, axis=None)) or bool(np.isfinite(arr).all())


def check_finite(arr: np.ndarray, name: str) -> None:
    """Raise ``ValueError`` if ``arr`` holds NaN or infinity, saying where."""
    if arr.dtype.kind != "f":
        return
    with np.errstate(over="ignore", invalid="ignore"):
        finite = all_finite(arr)
    if not finite:
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
