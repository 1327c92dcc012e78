"""Saving and loading networks: ``save(network, path)`` and ``load(path)``, and nothing is unpickled.

The file format: ``nnlib-network``, version 1
--------------------------------------------
A saved network is one ZIP archive (the container NumPy's ``.npz`` files use; call it ``model.npz``)
holding plain data only:

* ``network.json``, a UTF-8 JSON text that describes the network::

      {
        "format": "nnlib-network",
        "version": 1,
        "written_by": "nnlib 0.1.0",
        "layers": [
          {"type": "Dense", "n_inputs": 64, "n_outputs": 64, "dtype": "float64"},
          {"type": "ReLU"},
          {"type": "Dense", "n_inputs": 64, "n_outputs": 10, "dtype": "float64"}
        ],
        "loss": {"type": "SoftmaxCrossEntropy"},
        "metadata": {"class_names": ["0", "1", ...]}
      }

  ``layers`` lists the layers in order, each with its type and the arguments its constructor needs;
  ``loss`` likewise; ``metadata`` is whatever JSON object you passed to ``save`` (class names, the input
  scaling, where the data came from), ``{}`` by default.
* one ``.npy`` file per parameter array, named ``layers.<i>.<name>.npy`` after the layer's position
  ``i`` in ``layers`` and the parameter's name: ``layers.0.weights.npy`` (64, 64) and
  ``layers.0.biases.npy`` (1, 64) for the first ``Dense`` layer above. The shape and dtype of each array
  follow from its layer's description (``(n_inputs, n_outputs)`` and ``(1, n_outputs)``, in ``dtype``).

``np.load(path, allow_pickle=False)`` opens such a file too, so you can look inside without nnlib; any
ZIP tool shows ``network.json`` as text.

Why not pickle
--------------
``pickle.dump(network, f)`` would save anything in one line, but ``pickle.load`` rebuilds objects by
calling whatever functions the file names, so loading a file someone else wrote can run any code they
chose (the Python documentation warns: only unpickle data you trust). This format holds numbers and
text only. ``load`` reads each array with ``numpy.lib.format.read_array(..., allow_pickle=False)``,
which refuses an array of Python objects (the one kind of ``.npy`` that needs pickle) before it reads
its contents, and builds each layer by looking its ``type`` up in :data:`LAYERS`, an explicit table of
nnlib's own classes: a name in the file is never imported or called. So a file can describe a network,
but it cannot make ``load`` do anything else.

What is saved, and what is not
------------------------------
Saved: the layers in order, each layer's constructor arguments and parameter arrays, exactly (the
predictions of the loaded network equal the saved one's bit for bit, in float64 and in float32), the
loss, and your metadata. Not saved: the optimizer and its state (Adam's moment estimates, momentum's
velocity), gradients, and the outputs of the last forward pass. A saved model is for *using*: to predict
you need the weights only, and the optimizer's state would double or triple the file. To train on,
pass a new optimizer, ``load(path, optimizer=Adam(0.001))``; it starts with fresh state, so its first
steps are not the ones the old optimizer would have taken (keep the process running, or
``copy.deepcopy`` the network, if you need the exact continuation).

Only nnlib's own types are saved, and only exactly those: a layer of your own, or a subclass of
``Dense`` whose ``forward`` you changed, would need its code to be loaded, which is what this format
refuses to do. ``save`` says so instead of writing a file that loads into a different network.

What ``load`` refuses, and why
------------------------------
Each of these raises :class:`ModelFileError` (a ``ValueError``) with a message that says what is wrong,
except a missing file, which raises ``FileNotFoundError``:

* a missing file, a folder, an empty file;
* a file that is not a ZIP archive (a pickle, a single ``.npy`` array, a text file);
* a truncated or damaged archive, and an archive whose bytes changed since it was written (every
  entry carries a CRC-32 checksum, which ``zipfile`` checks as it reads);
* an archive without ``network.json`` (e.g. an ``.npz`` of other arrays), invalid JSON, or a description
  with another ``format``;
* a newer format ``version`` than this nnlib reads ("made by a newer nnlib: upgrade");
* an unknown layer or loss type, missing or unknown fields, invalid constructor arguments;
* a missing array, an array the description does not mention, an array of Python objects (a pickle),
  an array whose shape or dtype differs from the description, an array with NaN or infinity.

``save`` writes the same bytes for the same network and metadata (the archive's timestamps are fixed and
nothing is compressed), so a file's SHA-256 identifies the model. It writes to a temporary file next to
``path`` and renames it at the end, so an interrupted save never leaves half a file under ``path``.

Adding a layer type
-------------------
One entry in :data:`LAYERS`: the class, the names of its constructor arguments (read from the layer's
attributes of the same names when saving) and the names of its parameter arrays. Losses likewise in
:data:`LOSSES`. A change that older readers cannot read bumps :data:`FORMAT_VERSION`.
"""

from __future__ import annotations

import io
import json
import math
import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .activations import ReLU, Sigmoid, Softmax, Step
from .layers import Dense
from .losses import CategoricalCrossEntropy, MeanSquaredError, SoftmaxCrossEntropy, SumSquaredError
from .network import Network
from .optimizers import Optimizer

FORMAT_NAME = "nnlib-network"
#: The newest version this nnlib writes and reads.
FORMAT_VERSION = 1
#: The name of the description inside the archive.
DESCRIPTION = "network.json"
#: ``save`` stamps every entry with this time, so that the same network gives the same bytes.
ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)
#: ``load`` refuses archives that would unpack to more than this many bytes (a "zip bomb").
MAX_BYTES = 1 << 30


class ModelFileError(ValueError):
    """``nnlib.load`` cannot turn this file into a network; the message says why."""


@dataclass(frozen=True)
class Kind:
    """How one nnlib class is described in the file.

    ``args`` are the names of the constructor's keyword arguments, read from the object's attributes of
    the same names when saving; ``arrays`` are the names of its parameter arrays (attributes too).
    """

    cls: type
    args: tuple[str, ...] = ()
    arrays: tuple[str, ...] = ()


#: The layer types a file may name: the only classes ``load`` will build. Adding a type is one entry.
LAYERS: dict[str, Kind] = {
    "Dense": Kind(Dense, args=("n_inputs", "n_outputs", "dtype"), arrays=("weights", "biases")),
    "ReLU": Kind(ReLU),
    "Sigmoid": Kind(Sigmoid),
    "Softmax": Kind(Softmax),
    "Step": Kind(Step),
}

#: The loss types a file may name.
LOSSES: dict[str, Kind] = {
    "SoftmaxCrossEntropy": Kind(SoftmaxCrossEntropy),
    "CategoricalCrossEntropy": Kind(CategoricalCrossEntropy, args=("eps",)),
    "SumSquaredError": Kind(SumSquaredError),
    "MeanSquaredError": Kind(MeanSquaredError),
}

#: The dtypes an array may have, by the name the description uses.
DTYPES = {"float64": np.dtype(np.float64), "float32": np.dtype(np.float32)}

_TOP_FIELDS = ("format", "version", "written_by", "layers", "loss", "metadata")


# ------------------------------------------------------------------------------------------ saving


def save(network: Network, path, *, metadata: dict | None = None) -> Path:
    """Write ``network`` to the file ``path`` (exactly that name; ``.npz`` is the usual ending).

    ``metadata`` is an optional dict of JSON values (str keys; str, int, float, bool, None, lists and
    dicts of them) stored with the network, e.g. ``{"class_names": [...], "input_mean": mean.tolist()}``.
    NumPy arrays must be converted with ``.tolist()``; floats come back exactly. Returns the path
    written. The optimizer is not saved (see the module docstring). Overwrites an existing file.
    """
    if not isinstance(network, Network):
        raise TypeError(f"save() takes an nnlib Network, got {type(network).__name__}.")
    path = _as_path(path)
    metadata = {} if metadata is None else metadata
    if not isinstance(metadata, dict):
        raise TypeError(f"metadata must be a dict, got {type(metadata).__name__}.")
    _check_json_value(metadata, "metadata")

    import nnlib  # here, not at the top: nnlib/__init__ imports this module

    layers, arrays = [], {}
    for i, layer in enumerate(network.layers):
        name, kind = _kind_of(layer, LAYERS, f"layer {i}")
        entry = {"type": name, **{arg: _to_json(getattr(layer, arg)) for arg in kind.args}}
        for param in kind.arrays:
            value = np.asarray(getattr(layer, param))
            if value.dtype.kind == "f" and not np.all(np.isfinite(value)):
                raise ValueError(
                    f"layer {i}, {layer!r}, has NaN or infinite {param}: the network diverged. "
                    "Nothing was saved; save a network that trained well."
                )
            arrays[f"layers.{i}.{param}"] = value
        layers.append(entry)
    loss_name, loss_kind = _kind_of(network.loss, LOSSES, "the loss")
    description = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "written_by": f"nnlib {nnlib.__version__}",
        "layers": layers,
        "loss": {"type": loss_name, **{arg: _to_json(getattr(network.loss, arg)) for arg in loss_kind.args}},
        "metadata": metadata,
    }
    _write_archive(path, _dumps(description), arrays)
    return path


def _kind_of(obj, table: dict[str, Kind], what: str) -> tuple[str, Kind]:
    for name, kind in table.items():
        if type(obj) is kind.cls:
            return name, kind
    known = ", ".join(table)
    raise TypeError(
        f"cannot save {what}, {obj!r}: nnlib saves only its own types ({known}). A class of your own "
        "(or a subclass of one of these) would need its code to be loaded, and nnlib files hold data only."
    )


def _to_json(value):
    """A constructor argument as a JSON value: a dtype by its name, NumPy numbers as Python numbers."""
    if isinstance(value, np.dtype):
        return value.name
    if isinstance(value, np.generic):
        return value.item()
    return value


def _check_json_value(value, where: str) -> None:
    """Refuse what JSON cannot hold exactly, saying where it is (``metadata['input_mean']``)."""
    if value is None or isinstance(value, (bool, str, int)):  # NumPy integers are not ints
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{where} is {value}: JSON has no NaN or infinity; store a number or None.")
        return
    if isinstance(value, (list, tuple)):
        for k, item in enumerate(value):
            _check_json_value(item, f"{where}[{k}]")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"{where} has the key {key!r}; JSON keys must be strings.")
            _check_json_value(item, f"{where}[{key!r}]")
        return
    hint = " Convert it with .tolist()." if isinstance(value, (np.ndarray, np.generic)) else ""
    raise TypeError(
        f"{where} is a {type(value).__name__}, which JSON cannot hold: metadata may contain only "
        f"str, int, float, bool, None, and lists and dicts of them.{hint}"
    )


def _dumps(description: dict) -> str:
    """The description as JSON text: one line per field, per layer and per metadata entry."""
    lines = ["{"]
    items = list(description.items())
    for n, (key, value) in enumerate(items):
        comma = "," if n < len(items) - 1 else ""
        if key in ("layers", "metadata") and value:
            inner = value if key == "layers" else [{k: v} for k, v in value.items()]
            lines.append(f"  {json.dumps(key)}: " + ("[" if key == "layers" else "{"))
            for m, item in enumerate(inner):
                text = json.dumps(item, ensure_ascii=False, allow_nan=False)
                if key == "metadata":
                    text = text[1:-1]  # "key": value, without the braces of the one-entry dict
                lines.append(f"    {text}" + ("," if m < len(inner) - 1 else ""))
            lines.append("  " + ("]" if key == "layers" else "}") + comma)
        else:
            text = json.dumps(value, ensure_ascii=False, allow_nan=False)
            lines.append(f"  {json.dumps(key)}: {text}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _write_archive(path: Path, description: str, arrays: dict[str, np.ndarray]) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise FileNotFoundError(f"cannot save to {str(path)!r}: the folder {str(folder)!r} does not exist.")
    handle, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_STORED) as archive:
            _add(archive, DESCRIPTION, description.encode("utf-8"))
            for name, value in arrays.items():
                buffer = io.BytesIO()
                np.lib.format.write_array(buffer, value, allow_pickle=False)
                _add(archive, f"{name}.npy", buffer.getvalue())
        os.chmod(tmp_name, 0o666 & ~_umask())  # mkstemp makes the file private; give it the usual mode
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _add(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIMESTAMP)
    info.compress_type = zipfile.ZIP_STORED
    info.external_attr = 0o644 << 16  # an ordinary file, readable by all
    archive.writestr(info, data)


# ----------------------------------------------------------------------------------------- loading


def load(path, *, optimizer: Optimizer | None = None) -> Network:
    """Read a network written by :func:`save`; it predicts exactly as the saved one did.

    ``optimizer`` (e.g. ``Adam(0.001)``) is given to the network, for training on; without it the
    network can ``predict`` and ``evaluate`` but not ``fit``. Never unpickles anything. Raises
    ``FileNotFoundError`` for a missing file and :class:`ModelFileError` for a file that is not a
    valid nnlib network, with a message that says what is wrong (see the module docstring).
    The metadata is in ``read_description(path)["metadata"]``.
    """
    if optimizer is not None and not isinstance(optimizer, Optimizer):
        raise TypeError(f"optimizer must be an nnlib Optimizer (SGD, Adam, ...) or None, got {optimizer!r}.")
    path = _as_path(path)
    with _open_archive(path) as archive:
        description = _read_description(archive, path)
        members = {name for name in archive.namelist() if name != DESCRIPTION}
        layers = []
        for i, entry in enumerate(description["layers"]):
            kind = LAYERS[entry["type"]]
            layer = _build(kind, entry, f"layer {i} ({entry['type']})", path)
            for param in kind.arrays:
                member = f"layers.{i}.{param}.npy"
                if member not in members:
                    raise _error(path, f"it lacks the array {member!r}, the {param} of layer {i} "
                                 f"({entry['type']}).")
                members.discard(member)
                expected = getattr(layer, param)
                value = _read_array(archive, member, path)
                _check_array(value, expected, member, path)
                setattr(layer, param, value)
            layers.append(layer)
        if members:
            raise _error(path, f"it holds entries that its description does not mention: {sorted(members)}. "
                         "It was not written by nnlib.save, or was changed afterwards.")
        loss = _build(LOSSES[description["loss"]["type"]], description["loss"], "the loss", path)
    try:
        return Network(layers, loss, optimizer)
    except (TypeError, ValueError) as exc:
        raise _error(path, f"its layers do not fit together: {exc}") from None


def read_description(path) -> dict:
    """The description stored in ``path`` (the parsed ``network.json``), checked but without the arrays.

    Use it to see what a file holds before you load it, and to read its ``"metadata"``.
    """
    path = _as_path(path)
    with _open_archive(path) as archive:
        return _read_description(archive, path)


def _as_path(path) -> Path:
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a str or a pathlib.Path, got {type(path).__name__}.")
    return Path(path)


def _error(path: Path, problem: str) -> ModelFileError:
    return ModelFileError(f"{str(path)!r} is not a network nnlib can load: {problem}")


def _open_archive(path: Path) -> zipfile.ZipFile:
    """Open ``path`` as a ZIP archive, or say what kind of file it is instead."""
    if not path.exists():
        where = "" if path.is_absolute() else f" (looked for {str(path.resolve())!r})"
        raise FileNotFoundError(
            f"there is no file {str(path)!r}{where}. Check the name and the folder; "
            "nnlib.save(network, path) writes one."
        )
    if path.is_dir():
        raise _error(path, "it is a folder. Give the path of the file that nnlib.save wrote.")
    data = path.read_bytes()
    if not data:
        raise _error(path, "the file is empty (0 bytes): the save was interrupted, or the file never "
                     "received its contents. Save or download it again.")
    if not data.startswith(b"PK\x03\x04"):
        raise _error(path, _what_instead(data))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, NotImplementedError, ValueError, OSError, EOFError) as exc:
        raise _error(path, f"the archive is truncated or damaged ({exc}; {len(data)} bytes). It starts "
                     "like an nnlib file but was cut short or changed, e.g. by an interrupted download "
                     "or copy. Save or download it again.") from None
    total = sum(info.file_size for info in archive.infolist())
    if total > MAX_BYTES:
        archive.close()
        raise _error(path, f"its entries would unpack to {total} bytes, more than the {MAX_BYTES} "
                     "nnlib accepts.")
    return archive


def _what_instead(data: bytes) -> str:
    """Why a file that does not start like a ZIP archive is not an nnlib file, by what it starts like."""
    if data[:1] == b"\x80" and data[1:2] in (b"\x02", b"\x03", b"\x04", b"\x05"):
        return ("it is a Python pickle, not an nnlib file. nnlib never unpickles: loading a pickle "
                "runs whatever code its author put in it. Ask for the network saved with nnlib.save.")
    if data.startswith(b"\x93NUMPY"):
        return ("it is a single NumPy array (.npy), not an nnlib file, which is a ZIP archive of "
                "network.json and the arrays. nnlib.save writes one.")
    return (f"it is not a ZIP archive (it starts with {data[:8]!r}; an nnlib file starts with "
            "b'PK\\x03\\x04'). nnlib.save writes the network as a ZIP archive of network.json and "
            ".npy arrays.")


def _read_member(archive: zipfile.ZipFile, name: str, path: Path) -> bytes:
    try:
        return archive.read(name)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError, RuntimeError) as exc:
        # a CRC-32 that does not match, a truncated entry, an unknown compression method, a flag that
        # marks the entry as encrypted: each is a damaged file here, since nnlib.save writes none of them
        raise _error(path, f"its entry {name!r} is damaged ({exc}): the bytes differ from the ones "
                     "that were written. Save or download the file again.") from None


def _read_description(archive: zipfile.ZipFile, path: Path) -> dict:
    names = archive.namelist()
    if DESCRIPTION not in names:
        shown = ", ".join(names[:6]) + (", ..." if len(names) > 6 else "") if names else "nothing"
        raise _error(path, f"it is a ZIP archive without {DESCRIPTION} (it holds {shown}), so not an "
                     "nnlib network: nnlib.save writes the description next to the arrays.")
    if names.count(DESCRIPTION) > 1 or len(set(names)) != len(names):
        raise _error(path, "it holds two entries with the same name, which nnlib.save never writes.")
    raw = _read_member(archive, DESCRIPTION, path)
    try:
        description = json.loads(raw.decode("utf-8"), object_pairs_hook=_no_duplicate_keys,
                                 parse_constant=_no_constants)
    except UnicodeDecodeError as exc:
        raise _error(path, f"{DESCRIPTION} is not UTF-8 text ({exc}): the file is corrupted.") from None
    except json.JSONDecodeError as exc:
        raise _error(path, f"{DESCRIPTION} is not valid JSON ({exc}): the file is corrupted or was "
                     "edited by hand.") from None
    except ValueError as exc:
        raise _error(path, f"{DESCRIPTION} {exc}") from None
    _check_description(description, path)
    return description


def _no_duplicate_keys(pairs):
    keys = [key for key, _ in pairs]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        raise ValueError(f"gives the field(s) {duplicates} twice; nnlib.save writes each once.")
    return dict(pairs)


def _no_constants(name):
    raise ValueError(f"holds {name}, which JSON does not allow.")


def _check_description(d, path: Path) -> None:
    """The description's structure: format and version first, then the fields, layers and loss."""
    if not isinstance(d, dict) or d.get("format") != FORMAT_NAME:
        found = d.get("format") if isinstance(d, dict) else type(d).__name__
        raise _error(path, f"its {DESCRIPTION} does not describe an nnlib network (its \"format\" is "
                     f"{found!r}, expected {FORMAT_NAME!r}).")
    version = d.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise _error(path, f"its format version is {version!r}; versions are whole numbers from 1.")
    if version > FORMAT_VERSION:
        import nnlib

        raise _error(path, f"it was made by a newer nnlib ({d.get('written_by', 'unknown')!s}, format "
                     f"version {version}), and this nnlib ({nnlib.__version__}) reads format versions up "
                     f"to {FORMAT_VERSION}: upgrade nnlib (pip install --upgrade nnlib) to load it.")
    missing = [key for key in _TOP_FIELDS if key not in d]
    unknown = [key for key in d if key not in _TOP_FIELDS]
    if missing or unknown:
        raise _error(path, f"its description has missing fields {missing} and unknown fields {unknown}; "
                     f"version {FORMAT_VERSION} has exactly {list(_TOP_FIELDS)}.")
    if not isinstance(d["layers"], list) or not d["layers"]:
        raise _error(path, "its \"layers\" must be a non-empty list of layer descriptions.")
    for i, entry in enumerate(d["layers"]):
        _check_entry(entry, LAYERS, f"layer {i}", "layer", path)
    _check_entry(d["loss"], LOSSES, "the loss", "loss", path)
    if not isinstance(d["metadata"], dict):
        raise _error(path, f"its \"metadata\" must be a JSON object, got {type(d['metadata']).__name__}.")


def _check_entry(entry, table: dict[str, Kind], what: str, noun: str, path: Path) -> None:
    if not isinstance(entry, dict) or "type" not in entry:
        raise _error(path, f"{what} is described by {entry!r}, not by an object with a \"type\".")
    name = entry["type"]
    if not isinstance(name, str) or name not in table:
        raise _error(path, f"{what} has the type {name!r}, which this nnlib does not know (it knows "
                     f"{', '.join(table)}). nnlib builds only the {noun} types in its own table and never "
                     "imports a name from a file; a newer nnlib may know this type.")
    kind = table[name]
    missing = [arg for arg in kind.args if arg not in entry]
    unknown = [key for key in entry if key != "type" and key not in kind.args]
    if missing or unknown:
        raise _error(path, f"{what} ({name}) has missing fields {missing} and unknown fields {unknown}; "
                     f"a {name} is described by {list(kind.args) or 'its type alone'}.")


def _build(kind: Kind, entry: dict, what: str, path: Path):
    """Call the class from the table with the arguments from the description (checked by the class)."""
    kwargs = {}
    for arg in kind.args:
        value = entry[arg]
        if arg == "dtype":
            if value not in DTYPES:
                raise _error(path, f"{what} has dtype {value!r}; nnlib computes in {list(DTYPES)}.")
            value = DTYPES[value]
        kwargs[arg] = value
    if kind.arrays:
        kwargs["rng"] = 0  # the saved arrays replace the initial weights; a seed keeps load deterministic
    try:
        return kind.cls(**kwargs)
    except (TypeError, ValueError) as exc:
        raise _error(path, f"{what} has invalid arguments {kwargs}: {exc}") from None


def _read_array(archive: zipfile.ZipFile, member: str, path: Path) -> np.ndarray:
    data = _read_member(archive, member, path)
    try:
        return np.lib.format.read_array(io.BytesIO(data), allow_pickle=False)
    except ValueError as exc:
        if "allow_pickle" in str(exc):
            raise _error(path, f"its entry {member!r} is an array of Python objects, stored as a pickle. "
                         "nnlib never unpickles, because unpickling runs whatever code the file's author "
                         "chose; a network's arrays hold numbers only.") from None
        raise _error(path, f"its entry {member!r} is not a valid .npy array ({exc}).") from None
    except (OSError, EOFError) as exc:
        raise _error(path, f"its entry {member!r} is not a valid .npy array ({exc}).") from None


def _check_array(value: np.ndarray, expected: np.ndarray, member: str, path: Path) -> None:
    """The array must have exactly the shape and dtype its layer's description implies, and be finite."""
    if value.shape != expected.shape or value.dtype != expected.dtype:
        raise _error(path, f"its array {member!r} has shape {value.shape} and dtype {value.dtype}, but the "
                     f"description implies shape {expected.shape} and dtype {expected.dtype}.")
    if not np.all(np.isfinite(value)):
        bad = np.argwhere(~np.isfinite(value))
        first = tuple(int(k) for k in bad[0])
        raise _error(path, f"its array {member!r} holds {len(bad)} NaN or infinite value(s), the first at "
                     f"{first}: a network that had diverged, or a damaged file.")
