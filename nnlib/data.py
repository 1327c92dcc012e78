"""Small data sets used in the book.

* :func:`xor` is seed 000's truth table, with its column of ones.
* :func:`spiral` and :func:`vertical` wrap ``nnfs.datasets`` (the generators
  seed 001 uses) so that a seed makes them reproducible *without* calling
  ``nnfs.init()``, which would replace ``np.dot``, ``np.zeros`` and
  ``np.random.randn`` for the whole process. NumPy's global random state is
  restored afterwards, so calling these functions changes nothing else.
* :func:`digits` loads a real data set shipped inside nnlib: the 1 797 8x8
  handwritten digits of the UCI "Optical Recognition of Handwritten Digits"
  test set (CC BY 4.0; source and citation in ``nnlib/datasets/README.md``).
* :func:`load_idx` reads the IDX files MNIST and Fashion-MNIST come in.
* :func:`train_val_test_split` splits a data set into three disjoint parts,
  keeping each class's share the same in every part (stratified).
"""

from __future__ import annotations

import gzip
import os
import struct
from importlib import resources

import numpy as np
from nnfs.datasets import spiral_data, vertical_data

from ._checks import make_rng


def xor() -> tuple[np.ndarray, np.ndarray]:
    """Seed 000's XOR data: ``X`` of shape ``(4, 3)``, ``y`` of shape ``(4, 1)``.

    The first two columns are the XOR inputs; the third is always 1. A weight
    on a constant input acts exactly like a bias, which is how seed 000's
    network, "ignoring the biases", still has one in its first layer.
    """
    X = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]], dtype=np.float64)
    y = np.array([[0], [1], [1], [0]], dtype=np.float64)
    return X, y


def _seeded(generator, samples: int, classes: int, seed: int):
    for name, v in (("samples", samples), ("classes", classes)):
        if not isinstance(v, (int, np.integer)) or v < 1:
            raise ValueError(f"{name} must be a positive integer, got {v!r}.")
    if not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed must be an int, got {seed!r}.")
    saved = np.random.get_state()
    try:
        np.random.seed(seed)
        X, y = generator(int(samples), int(classes))
    finally:
        np.random.set_state(saved)
    return np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.int64)


def spiral(samples: int = 100, classes: int = 3, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``classes`` interleaved spiral arms of ``samples`` points each.

    Returns ``X`` of shape ``(samples * classes, 2)`` (float64) and integer labels
    ``y`` of shape ``(samples * classes,)``, class by class (the first ``samples``
    rows are class 0). nnfs's generator (CS231n's, with the angle scaled by 2.5,
    so the arms wind further and are harder to separate) puts point ``i`` of
    class ``c`` at ``(r sin(2.5 t), r cos(2.5 t))`` with::

        r = i / (samples - 1)                    a fixed grid from 0 to 1
        t = 4 c + 4 i / (samples - 1) + 0.2 e    e drawn from N(0, 1)

    Only the angle noise ``e`` is random: the radii are the same for every seed.
    A "fresh" spiral of the same size (another ``seed``) therefore has exactly one
    point at each radius of the training set on each arm. That makes it a
    stratified sample, not an i.i.d. one; it is still a valid held-out set, since
    its noise is independent of the training data. For a large evaluation set,
    ask for more points per arm, e.g. ``spiral(samples=2000, seed=...)``: its
    radii also fall between the training radii. Point ``i = 0`` of every arm is
    the origin, so ``(0, 0)`` appears once per class, with different labels.
    """
    return _seeded(spiral_data, samples, classes, seed)


def vertical(samples: int = 100, classes: int = 3, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Gaussian blobs side by side (``nnfs.datasets.vertical_data``); same shapes as :func:`spiral`."""
    return _seeded(vertical_data, samples, classes, seed)


# ---------------------------------------------------------------------------
# Handwritten digits (UCI optdigits test set, as bundled by scikit-learn)
# ---------------------------------------------------------------------------

DIGITS_FILE = "digits.csv.gz"


def digits() -> tuple[np.ndarray, np.ndarray]:
    """The 1 797 handwritten digits of UCI's "Optical Recognition of Handwritten Digits".

    Returns ``X`` of shape ``(1797, 64)`` (float64) and integer labels ``y`` of
    shape ``(1797,)`` (int64, the digit 0..9). Row ``i`` of ``X`` is an 8x8 image
    read row by row (``X[i].reshape(8, 8)``); each value counts the ink pixels in
    a 4x4 block of the original 32x32 bitmap, so it is a whole number from 0
    (blank) to 16 (all ink). The data are the set's writer-independent test part
    (``optdigits.tes``, 13 writers), in the file's order, which is not sorted by
    class.

    The file ships inside nnlib (``nnlib/datasets/digits.csv.gz``, the copy
    scikit-learn bundles, unchanged), so no network access is needed. Each call
    reads it again and returns new arrays. Licence CC BY 4.0; cite Alpaydin and
    Kaynak (1998), https://doi.org/10.24432/C50P49 (see ``nnlib/datasets/README.md``).
    """
    source = resources.files("nnlib").joinpath("datasets", DIGITS_FILE)
    with source.open("rb") as raw, gzip.open(raw, "rt", encoding="ascii") as text:
        table = np.loadtxt(text, delimiter=",", dtype=np.int64)
    if table.shape != (1797, 65):  # pragma: no cover - guards a damaged installation
        raise RuntimeError(
            f"nnlib's {DIGITS_FILE} has shape {table.shape}, expected (1797, 65): "
            "the installed copy is damaged; reinstall nnlib."
        )
    return table[:, :64].astype(np.float64), table[:, 64].copy()


# ---------------------------------------------------------------------------
# IDX files (MNIST, Fashion-MNIST)
# ---------------------------------------------------------------------------

# The third byte of an IDX file's magic number names the type of its values.
# All multi-byte values are big-endian (">").
IDX_DTYPES = {
    0x08: np.dtype(">u1"),  # unsigned byte (MNIST images and labels)
    0x09: np.dtype(">i1"),  # signed byte
    0x0B: np.dtype(">i2"),  # short, 2 bytes
    0x0C: np.dtype(">i4"),  # int, 4 bytes
    0x0D: np.dtype(">f4"),  # float, 4 bytes
    0x0E: np.dtype(">f8"),  # double, 8 bytes
}

_GZIP_MAGIC = b"\x1f\x8b"


def load_idx(path) -> np.ndarray:
    """Read an IDX file, the format of MNIST and Fashion-MNIST; gzip-compressed or not.

    An IDX file is a 4-byte magic number, then one 4-byte big-endian unsigned
    size per dimension, then the values, big-endian, row by row. The magic
    number is ``0x00 0x00 <type> <ndim>``: the type code is 0x08 (unsigned
    byte), 0x09 (signed byte), 0x0B (int16), 0x0C (int32), 0x0D (float32) or
    0x0E (float64), and ``ndim`` is the number of dimensions. MNIST's
    ``train-images-idx3-ubyte`` is ``0x00000803`` with sizes 60000, 28, 28;
    ``train-labels-idx1-ubyte`` is ``0x00000801`` with size 60000.

    Returns an array of that shape, in native byte order: ``uint8`` for MNIST,
    so images hold 0..255 and labels 0..9. A gzip-compressed file (the ``.gz``
    files the data sets are distributed as) is recognised by its first bytes
    and decompressed on the fly, whatever its name.

    Raises ``FileNotFoundError`` for a missing file and ``ValueError`` for a
    file that is not IDX (wrong magic number, unknown type code), or whose
    length does not match its header (truncated, or with extra bytes).
    """
    path = os.fspath(path)
    if not os.path.isfile(path):
        what = "a directory, not a file" if os.path.isdir(path) else "not found"
        raise FileNotFoundError(
            f"IDX file {path!r}: {what}. Download the four MNIST files first (they end in "
            "-idx3-ubyte.gz and -idx1-ubyte.gz) and pass the path of one of them."
        )
    with open(path, "rb") as f:
        data = f.read()
    if data[:2] == _GZIP_MAGIC:
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise ValueError(
                f"{path!r} starts like a gzip file but cannot be decompressed ({exc}); "
                "the download is probably incomplete: download it again."
            ) from None
    if len(data) < 4:
        raise ValueError(
            f"{path!r} has only {len(data)} byte(s); an IDX file starts with a 4-byte magic number."
        )
    zero1, zero2, code, ndim = data[:4]
    if zero1 != 0 or zero2 != 0:
        raise ValueError(
            f"{path!r} is not an IDX file: its magic number is 0x{data[:4].hex()}, but an IDX "
            "magic number starts with two zero bytes (MNIST images: 0x00000803, labels: "
            "0x00000801). Is it another format, or an HTML error page saved by a failed download?"
        )
    if code not in IDX_DTYPES:
        known = ", ".join(f"0x{c:02X}" for c in IDX_DTYPES)
        raise ValueError(
            f"{path!r} has the unsupported IDX type code 0x{code:02X} (third byte of the magic "
            f"number); the IDX format defines {known}."
        )
    if ndim == 0:
        raise ValueError(f"{path!r} declares 0 dimensions; an IDX array needs at least one.")
    header = 4 + 4 * ndim
    if len(data) < header:
        raise ValueError(
            f"{path!r} is truncated: its magic number announces {ndim} dimension size(s) "
            f"({header} header bytes), but the file has only {len(data)} bytes."
        )
    shape = struct.unpack(f">{ndim}I", data[4:header])
    dtype = IDX_DTYPES[code]
    expected = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    actual = len(data) - header
    if actual != expected:
        problem = "is truncated" if actual < expected else "has extra bytes after its values"
        raise ValueError(
            f"{path!r} {problem}: the header says shape {shape} of {dtype.itemsize}-byte values, "
            f"{expected} bytes of data, but there are {actual}. Download the file again."
        )
    values = np.frombuffer(data, dtype=dtype, offset=header).reshape(shape)
    return values.astype(dtype.newbyteorder("="))  # a native-order, writable copy


# ---------------------------------------------------------------------------
# Splitting a data set: training, validation and test sets
# ---------------------------------------------------------------------------


def _check_fraction(name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number between 0 and 1, got {value!r}.")
    if not 0 <= value < 1:
        raise ValueError(f"{name} must be at least 0 and below 1, got {value!r}.")
    return float(value)


def _apportion(total: int, weights: np.ndarray, caps: np.ndarray) -> np.ndarray:
    """Split ``total`` into whole numbers proportional to ``weights``, none above its cap.

    Largest remainder: each part gets the floor of its exact share, and the
    parts with the largest fractional remainders get one more until the total
    is reached (ties go to the lower index). So each part is the floor or the
    ceiling of its exact share unless a cap forces otherwise.
    """
    if caps.sum() < total:  # pragma: no cover - the callers never ask for more than there is
        raise ValueError(f"cannot place {total} rows in parts that hold at most {caps.sum()}.")
    share = total * weights / weights.sum()
    counts = np.minimum(np.floor(share).astype(np.int64), caps)
    remainder = share - np.floor(share)
    order = np.argsort(-remainder, kind="stable")
    while counts.sum() < total:
        for c in order:
            if counts.sum() == total:
                break
            if counts[c] < caps[c]:
                counts[c] += 1
    return counts


def train_val_test_split(X, y, val_fraction=0.2, test_fraction=0.2, *, rng, stratify=True):
    """Split ``(X, y)`` into disjoint training, validation and test sets.

    Returns ``(X_train, y_train, X_val, y_val, X_test, y_test)``. ``X`` may have
    any shape ``(N, ...)`` (rows of features, or images ``(N, 28, 28)``) and
    ``y`` is ``(N,)``; row ``i`` of ``X`` stays with ``y[i]``. The validation set
    gets ``round(val_fraction * N)`` rows, the test set ``round(test_fraction * N)``
    and the training set the rest; every row lands in exactly one set.

    With ``stratify=True`` (the default) ``y`` must hold integer class labels,
    and each class is shared out in proportion: a class with ``n_c`` rows gets
    ``n_c * n_set / N`` rows in each set, rounded down or up (largest
    remainder), so every set has the class proportions of the whole data set,
    within one row per class. With ``stratify=False`` the rows are dealt out
    from one random permutation, as in the chapter on generalisation.

    ``rng`` (a seed or a ``numpy.random.Generator``, required) drives the
    shuffling, so the same ``rng`` gives the same split. Within each set the
    rows are in random order, not sorted by class. The inputs are not changed.
    """
    val_fraction = _check_fraction("val_fraction", val_fraction)
    test_fraction = _check_fraction("test_fraction", test_fraction)
    X = np.asarray(X)
    y = np.asarray(y)
    if X.ndim == 0 or y.ndim != 1:
        raise ValueError(
            f"X must be an array of shape (N, ...) and y of shape (N,); got X {X.shape} and "
            f"y {y.shape}." + (" Use y.ravel() for a column of labels." if y.ndim == 2 else "")
        )
    n = len(X)
    if len(y) != n:
        raise ValueError(f"X has {n} rows but y has {len(y)} labels; they must match.")
    n_val, n_test = round(val_fraction * n), round(test_fraction * n)
    if n - n_val - n_test < 1:
        raise ValueError(
            f"with val_fraction={val_fraction} and test_fraction={test_fraction}, {n} rows leave "
            f"no training set ({n_val} validation + {n_test} test); lower the fractions."
        )
    gen = make_rng(rng)
    if not stratify:
        order = gen.permutation(n)
        parts = [order[n_val + n_test :], order[:n_val], order[n_val : n_val + n_test]]
    else:
        if not (np.issubdtype(y.dtype, np.integer) or y.dtype == bool):
            raise TypeError(
                f"stratify=True needs integer class labels in y, got dtype {y.dtype}. Convert "
                "whole-number labels with y.astype(int), or pass stratify=False."
            )
        classes, y_index = np.unique(y, return_inverse=True)
        sizes = np.bincount(y_index, minlength=len(classes)).astype(np.int64)
        per_val = _apportion(n_val, sizes.astype(float), sizes)
        per_test = _apportion(n_test, sizes.astype(float), sizes - per_val)
        parts = [[], [], []]
        for c in range(len(classes)):
            rows = gen.permutation(np.flatnonzero(y_index == c))
            v, t = per_val[c], per_test[c]
            parts[1].append(rows[:v])
            parts[2].append(rows[v : v + t])
            parts[0].append(rows[v + t :])
        parts = [gen.permutation(np.concatenate(p)) for p in parts]
    out = []
    for idx in parts:
        out += [X[idx], y[idx]]
    return tuple(out)
