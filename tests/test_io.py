"""Tests for nnlib.save and nnlib.load (nnlib/io.py): the round trip, the format, and every refusal.

The file is read here with plain ``zipfile``, ``json`` and ``np.load(allow_pickle=False)`` to check
that it is what the module docstring documents, independently of ``nnlib.load``. Damaged files are
made by cutting, flipping bytes and rewriting entries of a good file.
"""

from __future__ import annotations

import copy
import io
import json
import pickle
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pytest

import nnlib
from nnlib import (
    SGD,
    Adam,
    CategoricalCrossEntropy,
    Dense,
    MeanSquaredError,
    Network,
    ReLU,
    Sigmoid,
    Softmax,
    SoftmaxCrossEntropy,
    Step,
    SumSquaredError,
)
from nnlib.io import FORMAT_VERSION, LAYERS, ModelFileError, load, read_description, save


def _trained(layers, loss, X, y, epochs=5, lr=0.05):
    net = Network(layers, loss, SGD(lr))
    net.fit(X, y, epochs, verbose=False)
    return net


def _architectures():
    """(name, network, inputs): trained a few steps so that weights and biases are far from their start."""
    rng = np.random.default_rng(0)
    X4 = rng.normal(size=(40, 4))
    labels = rng.integers(0, 3, size=40)
    out = []
    r = np.random.default_rng(1)
    out.append(("dense-relu-dense, softmax cross-entropy",
                _trained([Dense(4, 8, rng=r), ReLU(), Dense(8, 3, rng=r)], SoftmaxCrossEntropy(), X4, labels),
                X4))
    X_xor, y_xor = nnlib.data.xor()
    r = np.random.default_rng(2)
    out.append(("XOR 3-4-1 sigmoid, summed squared error",
                _trained([Dense(3, 4, rng=r, init=1.0), Sigmoid(), Dense(4, 1, rng=r, init=1.0), Sigmoid()],
                         SumSquaredError(), X_xor, y_xor, epochs=50, lr=1.0), X_xor))
    r = np.random.default_rng(3)
    out.append(("softmax layer with categorical cross-entropy (eps 1e-5)",
                _trained([Dense(4, 3, rng=r), Softmax()], CategoricalCrossEntropy(eps=1e-5), X4, labels), X4))
    r = np.random.default_rng(4)
    target = rng.normal(size=(40, 2))
    out.append(("regression, mean squared error, three Dense layers",
                _trained([Dense(4, 6, rng=r), ReLU(), Dense(6, 6, rng=r), Sigmoid(), Dense(6, 2, rng=r)],
                         MeanSquaredError(), X4, target), X4))
    r = np.random.default_rng(5)
    out.append(("a step layer (not trainable through, but predicts)",
                Network([Dense(4, 5, rng=r), Step(), Dense(5, 3, rng=r)], SoftmaxCrossEntropy()), X4))
    r = np.random.default_rng(6)
    f32 = Network([Dense(4, 8, rng=r, dtype=np.float32), ReLU(), Dense(8, 3, rng=r, dtype=np.float32)],
                  SoftmaxCrossEntropy(), Adam(0.01))
    f32.fit(X4, labels, 5, batch_size=8, rng=0, verbose=False)
    out.append(("float32, trained with Adam", f32, X4))
    r = np.random.default_rng(7)
    out.append(("a single Dense layer", Network([Dense(4, 3, rng=r)], SoftmaxCrossEntropy()), X4))
    return out


ARCHITECTURES = _architectures()
IDS = [name for name, _, _ in ARCHITECTURES]


@pytest.fixture
def digits_like(tmp_path):
    """A trained 64-16-10 network saved with metadata; returns (network, path, inputs)."""
    rng = np.random.default_rng(0)
    X = rng.integers(0, 17, size=(60, 64)).astype(float)
    y = rng.integers(0, 10, size=60)
    r = np.random.default_rng(1)
    net = _trained([Dense(64, 16, rng=r), ReLU(), Dense(16, 10, rng=r)], SoftmaxCrossEntropy(), X / 16, y)
    path = save(net, tmp_path / "model.npz", metadata={"class_names": [str(c) for c in range(10)]})
    return net, path, X / 16


def _rewrite(path: Path, out: Path, *, replace=None, drop=(), add=None) -> Path:
    """A copy of the archive ``path`` at ``out`` with some entries replaced, dropped or added."""
    replace, add = replace or {}, add or {}
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w") as dst, warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "Duplicate name": one test adds a second network.json
        for name in src.namelist():
            if name in drop:
                continue
            dst.writestr(name, replace.get(name, src.read(name)))
        for name, data in add.items():
            dst.writestr(name, data)
    return out


def _description(path: Path) -> dict:
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("network.json"))


def _with_description(path: Path, out: Path, change) -> Path:
    d = _description(path)
    change(d)
    return _rewrite(path, out, replace={"network.json": json.dumps(d).encode()})


def _npy(array, allow_pickle=False) -> bytes:
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, array, allow_pickle=allow_pickle)
    return buffer.getvalue()


def _refused(path, *phrases):
    with pytest.raises(ModelFileError) as info:
        load(path)
    message = str(info.value)
    assert str(path) in message
    for phrase in phrases:
        assert phrase in message, f"{phrase!r} not in: {message}"
    return message


# ------------------------------------------------------------------------------------ round trip


@pytest.mark.parametrize(("name", "net", "X"), ARCHITECTURES, ids=IDS)
def test_round_trip_predicts_bit_for_bit(tmp_path, name, net, X):
    loaded = load(save(net, tmp_path / "m.npz"))
    assert np.array_equal(loaded.predict(X), net.predict(X))
    assert np.array_equal(loaded.forward(X), net.forward(X))
    assert repr(loaded.layers) == repr(net.layers)
    assert type(loaded.loss) is type(net.loss) and loaded.dtype == net.dtype
    for a, b in zip(loaded.trainable, net.trainable, strict=True):
        for key in ("weights", "biases"):
            assert a.params[key].dtype == b.params[key].dtype
            assert np.array_equal(a.params[key], b.params[key])
            assert not np.shares_memory(a.params[key], b.params[key])


def test_float32_file_is_about_half_the_size(tmp_path):
    r = np.random.default_rng(0)
    net = Network([Dense(64, 64, rng=r), ReLU(), Dense(64, 10, rng=r)], SoftmaxCrossEntropy())
    big = save(net, tmp_path / "f64.npz").stat().st_size
    small = save(net.astype(np.float32), tmp_path / "f32.npz").stat().st_size
    n_params = 64 * 64 + 64 + 64 * 10 + 10
    assert n_params * 8 < big < n_params * 8 + 2000      # the numbers, plus headers and the description
    assert n_params * 4 < small < n_params * 4 + 2000
    loaded = load(tmp_path / "f32.npz")
    assert loaded.dtype == np.float32
    assert all(layer.weights.dtype == np.float32 for layer in loaded.trainable)


def test_categorical_eps_is_kept(tmp_path):
    _, net, _ = ARCHITECTURES[2]
    assert load(save(net, tmp_path / "m.npz")).loss.eps == 1e-5


def test_metadata_round_trip_is_exact(tmp_path):
    values = [0.1, 1 / 3, 1e-300, 5e-324, -0.0, 2.0**60 + 1, 1.7976931348623157e308]
    meta = {"class_names": ["zero", "un", "два"], "mean": values, "nested": {"a": [1, 2, None, True]},
            "tuple": (1, 2)}
    r = np.random.default_rng(0)
    path = save(Network([Dense(2, 2, rng=r)], SoftmaxCrossEntropy()), tmp_path / "m.npz", metadata=meta)
    back = read_description(path)["metadata"]
    assert back["class_names"] == meta["class_names"] and back["nested"] == meta["nested"]
    assert back["tuple"] == [1, 2]                            # JSON has lists, not tuples
    assert np.array_equal(np.array(back["mean"]), np.array(values))
    assert np.signbit(back["mean"][4])                        # -0.0 keeps its sign
    assert read_description(save(Network([Dense(2, 2, rng=r)], SoftmaxCrossEntropy()),
                                 tmp_path / "n.npz"))["metadata"] == {}


@pytest.mark.parametrize(("meta", "error", "phrase"), [
    ({"mean": np.zeros(3)}, TypeError, "metadata['mean'] is a ndarray, which JSON cannot hold"),
    ({"n": np.int64(3)}, TypeError, ".tolist()"),
    ({"x": [1.0, float("nan")]}, ValueError, "metadata['x'][1] is nan"),
    ({1: "a"}, TypeError, "JSON keys must be strings"),
    ({"f": print}, TypeError, "builtin_function_or_method"),
    ([1, 2], TypeError, "metadata must be a dict"),
])
def test_metadata_that_json_cannot_hold_is_refused(tmp_path, meta, error, phrase):
    net = Network([Dense(2, 2, rng=0)], SoftmaxCrossEntropy())
    with pytest.raises(error) as info:
        save(net, tmp_path / "m.npz", metadata=meta)
    assert phrase in str(info.value)
    assert not (tmp_path / "m.npz").exists()


def test_loaded_network_has_no_optimizer_until_given_one(digits_like):
    net, path, X = digits_like
    y = np.argmax(net.predict(X), axis=1)
    loaded = load(path)
    assert loaded.optimizer is None
    with pytest.raises(ValueError, match="needs an optimizer"):
        loaded.fit(X, y, 1, verbose=False)
    trained_on = load(path, optimizer=Adam(0.01))
    before = trained_on.layers[0].weights.copy()
    trained_on.fit(X, y, 2, verbose=False)
    assert not np.array_equal(trained_on.layers[0].weights, before)
    assert np.array_equal(load(path).layers[0].weights, before)        # the file did not change
    with pytest.raises(TypeError, match="Optimizer"):
        load(path, optimizer="adam")


# ------------------------------------------------------------------------- the format, read by hand


def test_file_is_the_documented_zip_of_json_and_npy(digits_like):
    net, path, _ = digits_like
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        assert names == ["network.json", "layers.0.weights.npy", "layers.0.biases.npy",
                         "layers.2.weights.npy", "layers.2.biases.npy"]
        assert all(info.compress_type == zipfile.ZIP_STORED for info in archive.infolist())
        description = json.loads(archive.read("network.json").decode("utf-8"))
    assert list(description) == ["format", "version", "written_by", "layers", "loss", "metadata"]
    assert description["format"] == "nnlib-network" and description["version"] == 1
    assert description["written_by"] == f"nnlib {nnlib.__version__}"
    assert description["layers"] == [
        {"type": "Dense", "n_inputs": 64, "n_outputs": 16, "dtype": "float64"},
        {"type": "ReLU"},
        {"type": "Dense", "n_inputs": 16, "n_outputs": 10, "dtype": "float64"},
    ]
    assert description["loss"] == {"type": "SoftmaxCrossEntropy"}
    assert description["metadata"] == {"class_names": list("0123456789")}
    with np.load(path, allow_pickle=False) as npz:           # NumPy reads it without nnlib
        assert np.array_equal(npz["layers.0.weights"], net.layers[0].weights)
        assert np.array_equal(npz["layers.2.biases"], net.layers[2].biases)
        assert json.loads(npz["network.json"]) == description


def test_file_holds_no_pickle(digits_like):
    _, path, _ = digits_like
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            data = archive.read(name)
            if name.endswith(".npy"):
                buffer = io.BytesIO(data)
                version = np.lib.format.read_magic(buffer)
                read_header = {(1, 0): np.lib.format.read_array_header_1_0,
                               (2, 0): np.lib.format.read_array_header_2_0}[version]
                _, _, dtype = read_header(buffer)
                assert dtype == np.float64 and not dtype.hasobject
            else:
                assert name == "network.json"
                json.loads(data)
            assert b"\x80\x04\x95" not in data and b"c__builtin__" not in data   # no pickle framing


def test_same_network_same_bytes(tmp_path, digits_like):
    net, path, _ = digits_like
    again = save(copy.deepcopy(net), tmp_path / "again.npz", metadata={"class_names": list("0123456789")})
    assert again.read_bytes() == path.read_bytes()
    with zipfile.ZipFile(path) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    other = save(net, tmp_path / "other.npz", metadata={"class_names": list("0123456789"), "x": 1})
    assert other.read_bytes() != path.read_bytes()


def test_load_is_deterministic(digits_like):
    _, path, X = digits_like
    a, b = load(path), load(path)
    assert np.array_equal(a.predict(X), b.predict(X))


def test_save_overwrites_and_leaves_no_temporary_file(tmp_path):
    r = np.random.default_rng(0)
    first, second = (Network([Dense(3, 2, rng=r)], SoftmaxCrossEntropy()) for _ in range(2))
    path = save(first, tmp_path / "m.npz")
    save(second, path)
    assert np.array_equal(load(path).layers[0].weights, second.layers[0].weights)
    assert [p.name for p in tmp_path.iterdir()] == ["m.npz"]
    ordinary = tmp_path / "ordinary.txt"
    ordinary.write_text("x")
    assert path.stat().st_mode & 0o777 == ordinary.stat().st_mode & 0o777   # not the temporary file's 0o600


def test_interrupted_save_keeps_the_old_file(tmp_path, monkeypatch):
    r = np.random.default_rng(0)
    good = Network([Dense(3, 2, rng=r)], SoftmaxCrossEntropy())
    path = save(good, tmp_path / "m.npz")
    before = path.read_bytes()

    def fail(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(np.lib.format, "write_array", fail)
    with pytest.raises(KeyboardInterrupt):
        save(Network([Dense(3, 2, rng=r)], SoftmaxCrossEntropy()), path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["m.npz"]


# ------------------------------------------------------------------------------- what save refuses


class MyLayer:
    def forward(self, x):
        return x

    def backward(self, d):
        return d


class MyDense(Dense):
    def forward(self, inputs):
        return super().forward(inputs) * 2


class MyLoss(SoftmaxCrossEntropy):
    pass


@pytest.mark.parametrize(("make", "phrase"), [
    (lambda: Network([Dense(2, 2, rng=0), MyLayer()], SoftmaxCrossEntropy()), "cannot save layer 1"),
    (lambda: Network([MyDense(2, 2, rng=0)], SoftmaxCrossEntropy()), "a subclass of one of these"),
    (lambda: Network([Dense(2, 2, rng=0)], MyLoss()), "cannot save the loss"),
])
def test_save_refuses_what_it_could_not_load(tmp_path, make, phrase):
    with pytest.raises(TypeError) as info:
        save(make(), tmp_path / "m.npz")
    assert phrase in str(info.value) and "data only" in str(info.value)
    assert not list(tmp_path.iterdir())


def test_save_refuses_a_diverged_network_and_bad_arguments(tmp_path):
    net = Network([Dense(2, 2, rng=0)], SoftmaxCrossEntropy())
    net.layers[0].weights[0, 1] = np.nan
    with pytest.raises(ValueError, match="diverged"):
        save(net, tmp_path / "m.npz")
    with pytest.raises(TypeError, match="takes an nnlib Network"):
        save([Dense(2, 2)], tmp_path / "m.npz")
    with pytest.raises(TypeError, match="path must be"):
        save(Network([Dense(2, 2, rng=0)], SoftmaxCrossEntropy()), 3)
    with pytest.raises(FileNotFoundError, match="does not exist"):
        save(Network([Dense(2, 2, rng=0)], SoftmaxCrossEntropy()), tmp_path / "no" / "m.npz")
    assert not list(tmp_path.iterdir())


# ------------------------------------------------------------------------------- what load refuses


def test_missing_file(tmp_path, monkeypatch):
    with pytest.raises(FileNotFoundError) as info:
        load(tmp_path / "nothing.npz")
    assert "there is no file" in str(info.value) and "nothing.npz" in str(info.value)
    assert "looked for" not in str(info.value)                    # an absolute path needs no resolving
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FileNotFoundError) as info:
        load("nothing.npz")
    resolved = str(tmp_path.resolve() / "nothing.npz")
    assert f"there is no file 'nothing.npz' (looked for {resolved!r})" in str(info.value)


def test_folder_and_empty_file(tmp_path):
    _refused(tmp_path, "it is a folder")
    (tmp_path / "empty.npz").write_bytes(b"")
    _refused(tmp_path / "empty.npz", "the file is empty (0 bytes)")


def test_other_kinds_of_file(tmp_path):
    np.save(tmp_path / "one.npy", np.zeros(3))
    _refused(tmp_path / "one.npy", "a single NumPy array (.npy)")
    (tmp_path / "notes.txt").write_text("weights: 1 2 3\n")
    _refused(tmp_path / "notes.txt", "it is not a ZIP archive", "b'weights:'")
    np.savez(tmp_path / "arrays.npz", w=np.zeros((2, 2)))
    _refused(tmp_path / "arrays.npz", "without network.json", "w.npy")


def test_truncated_file_at_every_cut(tmp_path, digits_like):
    _, path, _ = digits_like
    data = path.read_bytes()
    cut = tmp_path / "cut.npz"
    for n in [*range(1, 200, 7), *range(200, len(data), 97), len(data) - 1]:
        cut.write_bytes(data[:n])
        message = _refused(cut)
        assert "truncated or damaged" in message or "not a ZIP archive" in message, message
    cut.write_bytes(data[: len(data) // 2])
    _refused(cut, "the archive is truncated or damaged", "cut short")


def test_changed_bytes_in_an_array_fail_the_checksum(tmp_path, digits_like):
    _, path, _ = digits_like
    data = bytearray(path.read_bytes())
    start = data.find(b"\x93NUMPY", data.find(b"layers.0.weights.npy"))
    data[start + 500] ^= 0x01                                    # one bit of one weight
    (tmp_path / "flipped.npz").write_bytes(bytes(data))
    _refused(tmp_path / "flipped.npz", "entry 'layers.0.weights.npy' is damaged", "CRC")


def test_random_damage_never_escapes_as_another_error(tmp_path, digits_like):
    net, path, X = digits_like
    data = path.read_bytes()
    rng = np.random.default_rng(0)
    damaged = tmp_path / "damaged.npz"
    outcomes = {"refused": 0, "loaded": 0}
    for _ in range(600):
        changed = bytearray(data)
        for _ in range(rng.integers(1, 4)):     # one to three bytes set to random values
            changed[rng.integers(len(data))] = int(rng.integers(0, 256))
        damaged.write_bytes(bytes(changed))
        try:
            loaded = load(damaged)
        except ModelFileError:
            outcomes["refused"] += 1
        else:   # a byte the zip format does not check (a timestamp, a flag): the network is intact
            assert np.array_equal(loaded.predict(X), net.predict(X))
            outcomes["loaded"] += 1
    assert outcomes["refused"] > 500


def test_corrupted_json(tmp_path, digits_like):
    _, path, _ = digits_like
    text = _description(path)
    good = json.dumps(text)
    cases = {
        "cut": good[:40].encode(),
        "comma": good.replace(",", "", 1).encode(),
        "latin1": "{\"format\": \"caf\xe9\"}".encode("latin-1"),
        "nan": good.replace('"version": 1', '"version": NaN').encode(),
        "duplicate": good.replace('"version": 1', '"version": 1, "version": 2').encode(),
        "list": b"[1, 2, 3]",
    }
    phrases = {"cut": "is not valid JSON", "comma": "is not valid JSON", "latin1": "is not UTF-8 text",
               "nan": "holds NaN", "duplicate": "gives the field(s) ['version'] twice",
               "list": "does not describe an nnlib network"}
    for name, raw in cases.items():
        bad = _rewrite(path, tmp_path / f"{name}.npz", replace={"network.json": raw})
        _refused(bad, phrases[name])


def test_not_an_nnlib_description(tmp_path, digits_like):
    _, path, _ = digits_like
    bad = _with_description(path, tmp_path / "other.npz", lambda d: d.update(format="keras-model"))
    _refused(bad, "does not describe an nnlib network", "'keras-model'")
    bad = _with_description(path, tmp_path / "none.npz", lambda d: d.pop("format"))
    _refused(bad, "its \"format\" is None")


def test_newer_format_version(tmp_path, digits_like):
    _, path, _ = digits_like

    def future(d):
        d.update(version=FORMAT_VERSION + 1, written_by="nnlib 9.0", layers=[{"type": "Attention"}],
                 extra_field=True)

    message = _refused(_with_description(path, tmp_path / "future.npz", future),
                       "made by a newer nnlib (nnlib 9.0, format version 2)", "upgrade nnlib")
    assert f"reads format versions up to {FORMAT_VERSION}" in message


@pytest.mark.parametrize("version", [0, -1, "1", 1.0, True, None])
def test_invalid_version(tmp_path, digits_like, version):
    _, path, _ = digits_like
    bad = _with_description(path, tmp_path / "v.npz", lambda d: d.update(version=version))
    _refused(bad, f"its format version is {version!r}")


def test_missing_and_unknown_fields(tmp_path, digits_like):
    _, path, _ = digits_like
    _refused(_with_description(path, tmp_path / "a.npz", lambda d: d.pop("loss")), "missing fields ['loss']")
    _refused(_with_description(path, tmp_path / "b.npz", lambda d: d.update(optimizer="Adam")),
             "unknown fields ['optimizer']")
    _refused(_with_description(path, tmp_path / "c.npz", lambda d: d["layers"][0].pop("dtype")),
             "layer 0 (Dense) has missing fields ['dtype']")
    _refused(_with_description(path, tmp_path / "d.npz", lambda d: d["layers"][1].update(alpha=0.1)),
             "layer 1 (ReLU) has missing fields [] and unknown fields ['alpha']")
    _refused(_with_description(path, tmp_path / "e.npz", lambda d: d.update(layers=[])), "non-empty list")
    _refused(_with_description(path, tmp_path / "f.npz", lambda d: d.update(metadata=[1])),
             "\"metadata\" must be a JSON object")
    _refused(_with_description(path, tmp_path / "g.npz", lambda d: d["layers"].__setitem__(1, "ReLU")),
             "layer 1 is described by 'ReLU'")


def test_unknown_layer_and_loss_types_are_never_imported(tmp_path, digits_like):
    _, path, _ = digits_like
    for name in ("Conv2D", "os.system", "nnlib.io.save", "Network", "dense"):
        bad = _with_description(path, tmp_path / "t.npz", lambda d, n=name: d["layers"][1].update(type=n))
        _refused(bad, f"layer 1 has the type {name!r}, which this nnlib does not know", "never imports")
    bad = _with_description(path, tmp_path / "l.npz", lambda d: d["loss"].update(type="HingeLoss"))
    _refused(bad, "the loss has the type 'HingeLoss'", "SoftmaxCrossEntropy")


@pytest.mark.parametrize(("change", "phrase"), [
    (lambda d: d["layers"][0].update(n_inputs=0), "n_inputs must be a positive integer"),
    (lambda d: d["layers"][0].update(n_inputs=64.0), "n_inputs must be a positive integer"),
    (lambda d: d["layers"][0].update(n_inputs=True), "n_inputs must be a positive integer"),
    (lambda d: d["layers"][0].update(dtype="float16"), "layer 0 (Dense) has dtype 'float16'"),
    (lambda d: d["layers"][0].update(dtype="object"), "has dtype 'object'"),
    (lambda d: d["loss"].update(type="CategoricalCrossEntropy", eps=2.0), "eps must be in (0, 0.5)"),
])
def test_invalid_constructor_arguments(tmp_path, digits_like, change, phrase):
    _, path, _ = digits_like
    _refused(_with_description(path, tmp_path / "bad.npz", change), phrase)


def test_arrays_that_do_not_match_the_description(tmp_path, digits_like):
    net, path, _ = digits_like
    W = net.layers[0].weights
    cases = {
        "transposed": (_npy(W.T.copy()), "has shape (16, 64) and dtype float64, but the description implies "
                       "shape (64, 16)"),
        "float32": (_npy(W.astype(np.float32)), "dtype float32, but the description implies shape (64, 16) "
                    "and dtype float64"),
        "integers": (_npy(W.astype(np.int64)), "dtype int64"),
        "flat": (_npy(W.ravel()), "has shape (1024,)"),
        "nan": (_npy(np.where(np.arange(W.size).reshape(W.shape) == 70, np.nan, W)),
                "holds 1 NaN or infinite value(s), the first at (4, 6)"),
        "inf": (_npy(np.full_like(W, np.inf)), "holds 1024 NaN or infinite value(s)"),
        "not npy": (b"\x93NUMPY garbage", "is not a valid .npy array"),
    }
    for name, (raw, phrase) in cases.items():
        bad = _rewrite(path, tmp_path / f"{name}.npz", replace={"layers.0.weights.npy": raw})
        _refused(bad, "'layers.0.weights.npy'", phrase)


def test_description_inconsistent_with_itself(tmp_path, digits_like):
    _, path, _ = digits_like

    def widen(d):      # the second Dense now claims 17 inputs, and its weights are (17, 10)
        d["layers"][2]["n_inputs"] = 17

    bad = _with_description(path, tmp_path / "w.npz", widen)
    bad = _rewrite(bad, tmp_path / "w2.npz", replace={"layers.2.weights.npy": _npy(np.zeros((17, 10)))})
    _refused(bad, "its layers do not fit together", "expects 17 inputs")


def test_missing_and_extra_arrays(tmp_path, digits_like):
    _, path, _ = digits_like
    _refused(_rewrite(path, tmp_path / "a.npz", drop=("layers.2.biases.npy",)),
             "it lacks the array 'layers.2.biases.npy', the biases of layer 2 (Dense)")
    _refused(_rewrite(path, tmp_path / "b.npz", add={"layers.1.weights.npy": _npy(np.zeros(3))}),
             "entries that its description does not mention: ['layers.1.weights.npy']")
    _refused(_rewrite(path, tmp_path / "c.npz", add={"network.json": b"{}"}),
             "two entries with the same name")


class _Marker:
    """Unpickling this object creates the file ``path``: a stand-in for any code a pickle can run."""

    def __init__(self, path):
        self.path = str(path)

    def __reduce__(self):
        return (open, (self.path, "w"))


def test_pickled_array_is_refused_and_its_code_never_runs(tmp_path, digits_like):
    _, path, _ = digits_like
    marker = tmp_path / "the-pickle-ran"
    payload = np.array([_Marker(marker)], dtype=object)
    raw = _npy(payload, allow_pickle=True)
    pickle.loads(pickle.dumps(_Marker(tmp_path / "control")))      # the payload is live: it does run
    assert (tmp_path / "control").exists()
    bad = _rewrite(path, tmp_path / "evil.npz", replace={"layers.0.weights.npy": raw})
    _refused(bad, "'layers.0.weights.npy' is an array of Python objects", "never unpickles")
    with pytest.raises(ValueError, match="allow_pickle=False"):
        np.load(bad, allow_pickle=False)["layers.0.weights"]
    assert not marker.exists()


def test_a_pickle_file_is_refused_unread(tmp_path, digits_like):
    net, _, _ = digits_like
    marker = tmp_path / "the-pickle-ran"
    for protocol in (2, 3, 4, 5):
        pickled = tmp_path / f"model{protocol}.pkl"
        pickled.write_bytes(pickle.dumps({"network": net, "x": _Marker(marker)}, protocol=protocol))
        _refused(pickled, "it is a Python pickle", "never unpickles")
        with pytest.raises(ModelFileError, match="Python pickle"):
            read_description(pickled)
    assert not marker.exists()


def test_read_description_checks_without_building(tmp_path, digits_like):
    _, path, _ = digits_like
    d = read_description(path)
    assert d["layers"][0] == {"type": "Dense", "n_inputs": 64, "n_outputs": 16, "dtype": "float64"}
    assert d["metadata"]["class_names"][3] == "3"
    bad = _with_description(path, tmp_path / "future.npz", lambda d: d.update(version=99))
    with pytest.raises(ModelFileError, match="newer nnlib"):
        read_description(bad)
    with pytest.raises(FileNotFoundError):
        read_description(tmp_path / "nothing.npz")


def test_every_layer_kind_is_an_nnlib_class_with_its_arrays():
    for name, kind in LAYERS.items():
        assert getattr(nnlib, name) is kind.cls
        assert kind.cls.__module__.startswith("nnlib.")
    assert LAYERS["Dense"].arrays == ("weights", "biases")
    assert set(Dense(2, 3, rng=0).params) == set(LAYERS["Dense"].arrays)
