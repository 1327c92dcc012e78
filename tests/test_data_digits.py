"""Tests for nnlib.data.digits: the UCI handwritten digits shipped inside nnlib.

The expected values come from outside nnlib:

* the class counts from the UCI description of the data set ("Class: No of examples in testing set",
  https://archive.ics.uci.edu/dataset/80/optical+recognition+of+handwritten+digits), which scikit-learn's
  documentation of ``load_digits`` summarises as "Samples per class ~180, Samples total 1797,
  Dimensionality 64, Features integers 0-16";
* the first image and the first and last labels from scikit-learn's tutorials, which print
  ``digits.images[0]`` and ``digits.target`` (``array([0, 1, 2, ..., 8, 9, 8])``);
* the file's SHA-256 from nnlib/datasets/README.md, computed when the file was taken from the
  scikit-learn 1.9.1 wheel.
"""

from __future__ import annotations

import hashlib
import re
import socket
import tomllib
from fnmatch import fnmatch
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from nnlib import data

ROOT = Path(__file__).resolve().parents[1]
DATASETS = ROOT / "nnlib" / "datasets"

# UCI's optdigits.names, "Class: No of examples in testing set", digits 0..9.
UCI_TEST_COUNTS = [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]

FIRST_IMAGE = [  # scikit-learn's `digits.images[0]`, a zero
    [0, 0, 5, 13, 9, 1, 0, 0],
    [0, 0, 13, 15, 10, 15, 5, 0],
    [0, 3, 15, 2, 0, 11, 8, 0],
    [0, 4, 12, 0, 0, 8, 8, 0],
    [0, 5, 8, 0, 0, 9, 8, 0],
    [0, 4, 11, 0, 1, 12, 7, 0],
    [0, 2, 14, 5, 10, 12, 0, 0],
    [0, 0, 6, 13, 10, 0, 0, 0],
]


def test_shapes_and_dtypes():
    X, y = data.digits()
    assert X.shape == (1797, 64) and y.shape == (1797,)
    assert X.dtype == np.float64 and y.dtype == np.int64


def test_pixel_values_are_whole_numbers_from_0_to_16():
    X, _ = data.digits()
    assert np.all(X == np.round(X))
    assert X.min() == 0 and X.max() == 16
    assert set(np.unique(X).astype(int)) == set(range(17))  # every count 0..16 occurs


def test_class_counts_match_the_uci_description():
    _, y = data.digits()
    assert sum(UCI_TEST_COUNTS) == 1797
    np.testing.assert_array_equal(np.bincount(y, minlength=10), UCI_TEST_COUNTS)
    assert y.min() == 0 and y.max() == 9


def test_first_image_and_labels_match_scikit_learn():
    X, y = data.digits()
    np.testing.assert_array_equal(X[0].reshape(8, 8), FIRST_IMAGE)
    np.testing.assert_array_equal(y[:3], [0, 1, 2])
    np.testing.assert_array_equal(y[-3:], [8, 9, 8])
    assert y[50] == 2


def test_not_sorted_by_class():
    # The file interleaves the classes; a learner who cuts it without shuffling still gets every class,
    # but the chapter must not rely on an order the tests do not pin down.
    _, y = data.digits()
    np.testing.assert_array_equal(y[:10], np.arange(10))
    assert np.any(np.diff(y) < 0)


def test_returns_fresh_arrays():
    X, y = data.digits()
    X[0, 0] = -1.0
    y[0] = 7
    X2, y2 = data.digits()
    assert X2[0, 0] == 0 and y2[0] == 0
    assert not np.shares_memory(X, X2) and not np.shares_memory(y, y2)
    assert X2.flags.writeable and y2.flags.writeable


def test_works_without_network_access(monkeypatch):
    def no_network(*args, **kwargs):
        raise OSError("network access is not allowed in this test")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    X, y = data.digits()
    assert X.shape == (1797, 64) and y.shape == (1797,)


def test_deterministic():
    X1, y1 = data.digits()
    X2, y2 = data.digits()
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)


def test_file_is_found_as_package_data_and_matches_its_recorded_checksum():
    source = resources.files("nnlib").joinpath("datasets", data.DIGITS_FILE)
    assert source.is_file()
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    readme = (DATASETS / "README.md").read_text(encoding="utf-8")
    recorded = re.search(r"SHA-256 of the file: `([0-9a-f]{64})`", readme)
    assert recorded is not None, "nnlib/datasets/README.md must record the file's SHA-256"
    assert digest == recorded.group(1)


def test_readme_states_source_citation_and_licence():
    readme = (DATASETS / "README.md").read_text(encoding="utf-8")
    for needed in ("Alpaydin", "Kaynak", "10.24432/C50P49", "CC BY 4.0", "archive.ics.uci.edu"):
        assert needed in readme


def test_every_data_file_is_declared_as_package_data():
    # `pip install .` copies only the files that pyproject.toml's package-data globs name.
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    globs = config["tool"]["setuptools"]["package-data"]["nnlib"]
    for path in DATASETS.iterdir():
        relative = path.relative_to(ROOT / "nnlib").as_posix()
        assert any(fnmatch(relative, g) for g in globs), f"{relative} is not in package-data"


@pytest.mark.parametrize("attribute", ["digits", "load_idx", "train_val_test_split"])
def test_public_in_data_module(attribute):
    assert callable(getattr(data, attribute))
