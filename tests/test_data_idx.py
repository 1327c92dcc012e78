"""Tests for nnlib.data.load_idx, on small IDX files written here.

The writer below is independent of nnlib: it follows the format as documented with MNIST
(http://yann.lecun.com/exdb/mnist/, "FILE FORMATS FOR THE MNIST DATABASE"): a magic number
0x00000803 (2051) for images and 0x00000801 (2049) for labels, big-endian 32-bit sizes, then the
values. It packs every number with ``struct`` rather than NumPy.
"""

from __future__ import annotations

import gzip
import struct
from pathlib import Path

import numpy as np
import pytest

from nnlib.data import load_idx

# IDX type code -> struct format letter (unsigned/signed byte, int16, int32, float32, float64)
STRUCT_CODES = {0x08: "B", 0x09: "b", 0x0B: "h", 0x0C: "i", 0x0D: "f", 0x0E: "d"}


def idx_bytes(values, shape, code=0x08) -> bytes:
    """An IDX file's bytes: magic, sizes, then ``values`` (a flat list) packed big-endian."""
    letter = STRUCT_CODES[code]
    header = struct.pack(">BBBB", 0, 0, code, len(shape)) + struct.pack(f">{len(shape)}I", *shape)
    return header + struct.pack(f">{len(values)}{letter}", *values)


def write(path: Path, content: bytes, gz: bool = False) -> Path:
    path.write_bytes(gzip.compress(content) if gz else content)
    return path


@pytest.fixture
def mnist_like():
    """Five 28x28 ubyte images with values 0..255, and their labels."""
    n = 5
    pixels = [(7 * i + 3) % 256 for i in range(n * 28 * 28)]
    labels = [3, 0, 9, 1, 7]
    return n, pixels, labels


@pytest.mark.parametrize("gz", [False, True])
def test_reads_mnist_style_images_and_labels(tmp_path, mnist_like, gz):
    n, pixels, labels = mnist_like
    suffix = ".gz" if gz else ""
    images_file = write(tmp_path / f"train-images-idx3-ubyte{suffix}", idx_bytes(pixels, (n, 28, 28)), gz)
    labels_file = write(tmp_path / f"train-labels-idx1-ubyte{suffix}", idx_bytes(labels, (n,)), gz)
    magic = gzip.decompress(images_file.read_bytes())[:4] if gz else images_file.read_bytes()[:4]
    assert magic == struct.pack(">I", 2051)              # the writer follows MNIST's documentation
    images, y = load_idx(images_file), load_idx(str(labels_file))
    assert images.shape == (n, 28, 28) and images.dtype == np.uint8
    assert y.shape == (n,) and y.dtype == np.uint8
    assert images[0, 0, 0] == pixels[0] and images[0, 0, 1] == pixels[1]
    assert images[0, 1, 0] == pixels[28]                 # row by row: the second row starts at value 28
    assert images[4, 27, 27] == pixels[-1]
    np.testing.assert_array_equal(images.ravel(), pixels)
    np.testing.assert_array_equal(y, labels)


def test_gzip_is_recognised_by_content_not_by_name(tmp_path, mnist_like):
    _, _, labels = mnist_like
    path = write(tmp_path / "labels-without-suffix", idx_bytes(labels, (5,)), gz=True)
    np.testing.assert_array_equal(load_idx(path), labels)


@pytest.mark.parametrize(
    ("code", "values", "dtype"),
    [
        (0x09, [-128, -1, 0, 1, 127, 5], np.int8),
        (0x0B, [-32768, -2, 0, 300, 32767, 7], np.int16),
        (0x0C, [-(2**31), -70000, 0, 1, 2**31 - 1, 65536], np.int32),
        (0x0D, [-1.5, 0.0, 0.25, 3.0, 1e10, -2.0], np.float32),
        (0x0E, [-1.5, 0.1, 0.25, np.pi, 1e300, -2.0], np.float64),
    ],
)
def test_other_value_types(tmp_path, code, values, dtype):
    path = write(tmp_path / "values.idx", idx_bytes(values, (2, 3), code))
    arr = load_idx(path)
    assert arr.shape == (2, 3) and arr.dtype == np.dtype(dtype)
    assert arr.dtype.isnative                            # no big-endian dtype leaks out
    np.testing.assert_array_equal(arr.ravel(), np.array(values, dtype=dtype))


def test_result_is_writable_and_independent_of_the_file(tmp_path, mnist_like):
    _, _, labels = mnist_like
    path = write(tmp_path / "labels.idx", idx_bytes(labels, (5,)))
    first = load_idx(path)
    first[0] = 200
    assert load_idx(path)[0] == labels[0]


def test_empty_dimension_gives_an_empty_array(tmp_path):
    path = write(tmp_path / "none.idx", idx_bytes([], (0, 28, 28)))
    arr = load_idx(path)
    assert arr.shape == (0, 28, 28) and arr.dtype == np.uint8


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"not found.*Download"):
        load_idx(tmp_path / "train-images-idx3-ubyte.gz")


def test_directory_instead_of_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="a directory, not a file"):
        load_idx(tmp_path)


@pytest.mark.parametrize(
    "start",
    [b"<!DOCTYPE html><html>", b"\x89PNG\r\n\x1a\n", struct.pack(">I", 2051)[::-1] + b"\x00" * 12],
    ids=["html-error-page", "png", "little-endian-magic"],
)
def test_wrong_magic_number(tmp_path, start):
    path = write(tmp_path / "bad.idx", start)
    with pytest.raises(ValueError, match=r"not an IDX file: its magic number is 0x"):
        load_idx(path)


def test_unsupported_type_code(tmp_path):
    content = struct.pack(">BBBB", 0, 0, 0x0A, 1) + struct.pack(">I", 2) + b"\x00\x00"
    with pytest.raises(ValueError, match=r"unsupported IDX type code 0x0A"):
        load_idx(write(tmp_path / "bad.idx", content))


def test_zero_dimensions(tmp_path):
    with pytest.raises(ValueError, match="0 dimensions"):
        load_idx(write(tmp_path / "bad.idx", struct.pack(">BBBB", 0, 0, 0x08, 0)))


@pytest.mark.parametrize("content", [b"", b"\x00\x00\x08"], ids=["empty", "three-bytes"])
def test_shorter_than_a_magic_number(tmp_path, content):
    with pytest.raises(ValueError, match="4-byte magic number"):
        load_idx(write(tmp_path / "short.idx", content))


def test_truncated_header(tmp_path):
    content = struct.pack(">BBBB", 0, 0, 0x08, 3) + struct.pack(">2I", 5, 28)   # third size missing
    with pytest.raises(ValueError, match=r"truncated: .*3 dimension size"):
        load_idx(write(tmp_path / "short.idx", content))


@pytest.mark.parametrize("gz", [False, True])
def test_truncated_values(tmp_path, mnist_like, gz):
    n, pixels, _ = mnist_like
    content = idx_bytes(pixels, (n, 28, 28))[:-1]      # one byte short
    with pytest.raises(ValueError, match=r"truncated: .*3920 bytes of data, but there are 3919"):
        load_idx(write(tmp_path / "images.idx", content, gz))


def test_extra_bytes(tmp_path):
    content = idx_bytes([1, 2, 3], (3,)) + b"\x00"
    with pytest.raises(ValueError, match="extra bytes"):
        load_idx(write(tmp_path / "labels.idx", content))


def test_wider_values_count_bytes_not_values(tmp_path):
    # Two float64 values need 16 bytes: 8 bytes (one value) must be reported as truncated.
    content = idx_bytes([1.0, 2.0], (2,), 0x0E)[:-8]
    with pytest.raises(ValueError, match=r"8-byte values, 16 bytes of data, but there are 8"):
        load_idx(write(tmp_path / "values.idx", content))


def test_incomplete_gzip_download(tmp_path, mnist_like):
    n, pixels, _ = mnist_like
    compressed = gzip.compress(idx_bytes(pixels, (n, 28, 28)))
    path = tmp_path / "images.gz"
    path.write_bytes(compressed[: len(compressed) // 2])
    with pytest.raises(ValueError, match="cannot be decompressed.*download it again"):
        load_idx(path)
