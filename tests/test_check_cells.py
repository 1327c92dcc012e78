"""The check cells guard training: break training and they must fail.

Each training chapter ends with a cell tagged ``check`` that asserts loss and
accuracy thresholds. nbval shows that they pass on a correct library. This
test shows the other half: with a deliberately broken gradient (the sign of
every ``Dense.dweights`` flipped, so gradient descent climbs instead of
descending), the same notebook's check cell raises ``AssertionError``.

Chapter 19 trains with ``nnlib.autograd`` instead; there the planted bug flips
the sign of the gradient that ``@`` sends to its right factor (the weights).

The break is injected as an extra cell right after the imports; nothing in
nnlib or in the notebooks is changed on disk.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

BOOK = Path(__file__).resolve().parent.parent / "book"

BREAK_GRADIENT = """\
import nnlib.layers as _layers

_original_backward = _layers.Dense.backward


def _sign_flipped_backward(self, dvalues):
    dinputs = _original_backward(self, dvalues)
    self.dweights = -self.dweights      # the planted bug: ascend instead of descend
    return dinputs


_layers.Dense.backward = _sign_flipped_backward
"""

# Chapters whose check cell tests training done with nnlib's Dense layers.
# (Chapter 8 is not here: it trains with hand-written gradients, which the
# injected bug does not touch; its check cell guards those instead.)
TRAINING_CHAPTERS = [
    "03_dense_layer.ipynb",
    "04_activations.ipynb",
    "09_backprop_dense.ipynb",
    "10_gradient_checking.ipynb",
    "11_training_spiral.ipynb",
    "12_optimizers.ipynb",
    "13_generalisation.ipynb",
    "14_regularisation.ipynb",
    "15_outputs.ipynb",
    "16_digits.ipynb",
    "17_saving.ipynb",
    "18_deep_networks.ipynb",
    "19_autograd.ipynb",
]

BREAK_AUTOGRAD = """\
import nnlib.autograd as _autograd

_original_matmul = _autograd.Tensor.__matmul__


def _sign_flipped_matmul(self, other):
    out = _original_matmul(self, other)
    right, backward = out._parents[1], out._backward

    def _flipped_backward():
        before = right.grad.copy()
        backward()
        right.grad[...] = before - (right.grad - before)   # the planted bug: dW with the wrong sign

    out._backward = _flipped_backward
    return out


_autograd.Tensor.__matmul__ = _sign_flipped_matmul
"""

# Chapters whose check cell tests training done with nnlib.autograd.
AUTOGRAD_CHAPTERS = ["19_autograd.ipynb"]


def _check_cell_index(nb) -> int:
    tagged = [i for i, c in enumerate(nb.cells) if "check" in c.metadata.get("tags", [])]
    assert tagged, "no cell tagged 'check'"
    return tagged[-1]


def _run_with_break(name: str, planted: str = BREAK_GRADIENT):
    nb = nbformat.read(BOOK / name, as_version=4)
    # Insert after the first code cell that imports nnlib (the imports cell).
    imports = next(
        i for i, c in enumerate(nb.cells)
        if c.cell_type == "code" and "import nnlib" in c.source and "google.colab" not in c.source
    )
    nb.cells.insert(imports + 1, nbformat.v4.new_code_cell(planted))
    client = NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(BOOK)}})
    client.execute()
    return nb


@pytest.mark.parametrize("name", TRAINING_CHAPTERS)
def test_check_cell_fails_when_the_gradient_is_broken(name):
    nb = _run_with_break(name)
    check = nb.cells[_check_cell_index(nb)]
    errors = [o for o in check.get("outputs", []) if o.get("output_type") == "error"]
    assert errors, f"{name}: the check cell passed although every dweights had its sign flipped"
    assert errors[0]["ename"] in {"AssertionError", "TrainingDiverged"}, errors[0]["ename"]


@pytest.mark.parametrize("name", AUTOGRAD_CHAPTERS)
def test_check_cell_fails_when_autograd_is_broken(name):
    nb = _run_with_break(name, BREAK_AUTOGRAD)
    check = nb.cells[_check_cell_index(nb)]
    errors = [o for o in check.get("outputs", []) if o.get("output_type") == "error"]
    assert errors, f"{name}: the check cell passed although @ sent its weights the wrong gradient"
    assert errors[0]["ename"] in {"AssertionError", "TrainingDiverged"}, errors[0]["ename"]
