"""Chapter 17, saving, loading and using a network: ``check_grid_to_input``."""

from __future__ import annotations

import numpy as np

from ._engine import Check, Mistake


def _grid_to_input(grid, mean, std):
    """Row by row into one row of 64 floats, then the training set's standardisation."""
    x = np.asarray(grid, dtype=np.float64).reshape(1, 64)
    return (x - mean) / std


def _ravel_newaxis(grid, mean, std):
    return (np.ravel(np.asarray(grid, dtype=float))[np.newaxis, :] - mean) / std


def _list_comprehension(grid, mean, std):
    row = [float(value) for line in grid for value in line]
    return (np.array([row]) - mean) / std


def _in_place_on_a_copy(grid, mean, std):
    x = np.array(grid, dtype=float).reshape(1, 64)  # np.array copies, so changing x is safe
    x -= mean
    x /= std
    return x


def _times_reciprocal(grid, mean, std):
    return (np.asarray(grid, dtype=float).reshape(1, -1) - mean) * (1.0 / std)


# ------------------------------------------------------------------------------- the mistakes


def _column_major(grid, mean, std):
    return (np.asarray(grid, dtype=float).T.reshape(1, 64) - mean) / std


def _flat(grid, mean, std):
    return (np.asarray(grid, dtype=float).ravel() - mean) / std


def _column_vector(grid, mean, std):
    return (np.asarray(grid, dtype=float).reshape(64, 1) - mean) / std


def _not_flattened(grid, mean, std):
    return (np.asarray(grid, dtype=float) - mean) / std


def _no_scaling(grid, mean, std):
    return np.asarray(grid, dtype=float).reshape(1, 64)


def _divide_by_16(grid, mean, std):
    return np.asarray(grid, dtype=float).reshape(1, 64) / 16


def _divide_by_255(grid, mean, std):
    return np.asarray(grid, dtype=float).reshape(1, 64) / 255


def _precedence(grid, mean, std):
    x = np.asarray(grid, dtype=float).reshape(1, 64)
    return x - mean / std


def _own_statistics(grid, mean, std):
    x = np.asarray(grid, dtype=float).reshape(1, 64)
    return (x - x.mean()) / x.std()


def _integer_in_place(grid, mean, std):
    x = np.array(grid).reshape(1, 64)  # whole numbers make an integer array
    x -= mean
    x /= std
    return x


def _in_place_on_the_input(grid, mean, std):
    x = np.asarray(grid, dtype=float).reshape(1, 64)  # no copy when grid is already a float array
    x -= mean
    x /= std
    return x


# ---------------------------------------------------------------------------------- the cases

_gen = np.random.default_rng(17)
_MEAN = np.round(_gen.uniform(0, 12, size=64), 3)
_STD = np.round(_gen.uniform(0.5, 6, size=64), 3)
_MEAN[[0, 7, 56, 63]], _STD[[0, 7, 56, 63]] = 0.0, 1.0   # corners blank in every training image: sigma 1

_SEVEN = [  # a typed 7: ink along the top row and down a slanted stroke; not symmetric
    [0, 4, 12, 16, 16, 16, 9, 0],
    [0, 3, 8, 8, 9, 16, 8, 0],
    [0, 0, 0, 0, 11, 13, 1, 0],
    [0, 0, 0, 2, 16, 6, 0, 0],
    [0, 0, 0, 10, 14, 0, 0, 0],
    [0, 0, 3, 16, 6, 0, 0, 0],
    [0, 0, 9, 15, 1, 0, 0, 0],
    [0, 0, 12, 9, 0, 0, 0, 0],
]
_ONE = np.array([[0, 0, 0, 6, 13, 2, 0, 0]] + [[0, 0, 2, 14, 16, 1, 0, 0]] * 6 + [[0, 0, 0, 9, 15, 4, 0, 0]])

check_grid_to_input = Check(
    name="grid to input",
    chapter="saving",
    signature="fn(grid, mean, std) -> x of shape (1, 64): grid is an 8x8 image (a list of 8 rows of 8 whole "
              "numbers 0..16, or an (8, 8) array), mean and std the training set's per-pixel statistics of "
              "shape (64,); x is the grid read row by row, standardised as (x - mean) / std, in float64",
    reference=_grid_to_input,
    cases=[
        ("a typed 7, as a list of 8 lists of whole numbers", (_SEVEN, _MEAN, _STD)),
        ("a 1 as an (8, 8) float64 array", (_ONE.astype(np.float64), _MEAN, _STD)),
        ("the 7 as an (8, 8) int64 array", (np.array(_SEVEN, dtype=np.int64), _MEAN, _STD)),
    ],
    mistakes=[
        Mistake("column-major",
                "the pixels are read column by column: the training images are rows of 64 values read ROW "
                "by row (X[i].reshape(8, 8) gives the picture back), so use np.asarray(grid).reshape(1, 64), "
                "without .T and without order='F'. A transposed digit is a different picture to the network.",
                _column_major),
        Mistake("flat-64",
                "the result has shape (64,): a single image must still be a batch of one, shape (1, 64), "
                "because the network takes rows of samples. Use .reshape(1, 64) (or reshape(1, -1)).", _flat),
        Mistake("column-vector",
                "reshape(64, 1) makes a column, and (64, 1) - mean of shape (64,) broadcasts into a (64, 64) "
                "matrix without a warning. One image is one ROW: reshape(1, 64).", _column_vector),
        Mistake("not-flattened",
                "flatten the 8x8 grid first: an (8, 8) array minus a mean of shape (64,) cannot broadcast. "
                "Read it row by row into one row of 64 values, reshape(1, 64), then standardise.",
                _not_flattened),
        Mistake("no-scaling",
                "the input is not standardised: the network was trained on (x - mean) / std with the "
                "training set's mean and std, and it only knows inputs on that scale. Apply the same "
                "standardisation to every new image.", _no_scaling),
        Mistake("divide-by-16",
                "dividing by 16 puts the values in [0, 1], but this network was trained on standardised "
                "inputs, (x - mean) / std with the training set's statistics: use exactly the scaling the "
                "network was trained with, which the saved metadata records.", _divide_by_16),
        Mistake("divide-by-255",
                "dividing by 255 is MNIST's scaling (pixels 0..255); these digits count ink from 0 to 16, "
                "and this network was trained on (x - mean) / std with the training set's statistics.",
                _divide_by_255),
        Mistake("precedence",
                "x - mean / std divides only the mean: / binds more tightly than -. Write (x - mean) / std.",
                _precedence),
        Mistake("own-statistics",
                "the image is standardised with its OWN mean and standard deviation (x.mean(), x.std()), "
                "but the network was trained with the training set's per-pixel mean and std: use the "
                "mean and std you were given, one value per pixel.", _own_statistics),
        Mistake("integer-in-place",
                "np.array of whole numbers is an INTEGER array, and x -= mean tries to store floats in it, "
                "which NumPy refuses. Make floats first, np.asarray(grid, dtype=float), or write "
                "x = (x - mean) / std, which creates a new float array.", _integer_in_place),
        Mistake("in-place-on-input",
                "your function changed the caller's grid: np.asarray(grid, dtype=float) does not copy an "
                "array that is already float64, reshape gives a view of it, and x -= mean then writes into "
                "the caller's array. Compute x = (x - mean) / std (a new array), or copy with np.array.",
                _in_place_on_the_input),
    ],
    alternatives=[
        ("np.ravel with np.newaxis", _ravel_newaxis),
        ("a list comprehension over rows and values", _list_comprehension),
        ("in place on a copy made with np.array", _in_place_on_a_copy),
        ("times the reciprocal of std", _times_reciprocal),
    ],
)
