"""Automatic feedback for the book's exercises.

Each ``check_*`` takes *your* implementation, runs it on inputs chosen to expose the usual mistakes,
compares it with a reference and with a catalogue of known mistakes, prints what it found and returns
``True`` or ``False`` (so a solution cell can ``assert`` it)::

    >>> import nnlib
    >>> nnlib.exercises.check_relu(lambda z: np.maximum(0, z))
    ✅ ReLU is correct on all 3 test inputs.

The engine is in :mod:`nnlib.exercises._engine` (read its docstring to see how a hint is chosen); the
checks live in one module per chapter, named after the chapter's notebook:

========================  ====================================================================
module                    checks
========================  ====================================================================
``neuron``                ``check_neuron`` (chapter 1)
``layers_and_batches``    ``check_layer_forward`` (chapters 2 and 3)
``activations``           ``check_step``, ``check_relu``, ``check_sigmoid`` (chapter 4)
``softmax``               ``check_softmax`` (chapter 5)
``loss``                  ``check_cross_entropy`` (chapter 6)
``derivatives``           ``check_numerical_derivative``, ``check_sigmoid_backward`` (chapter 7)
``backprop_xor``          ``check_xor_gradients`` (chapter 8)
``backprop_dense``        ``check_relu_backward``, ``check_softmax_cross_entropy_backward``,
                          ``check_dense_backward`` (chapters 9 and 11)
``gradient_checking``     ``check_numerical_gradient`` (chapter 10)
``training_spiral``       ``check_grid_bounds`` (chapter 11)
``optimizers``            ``check_sgd_momentum_step``, ``check_rmsprop_step`` (chapter 12)
``generalisation``        ``check_train_val_split`` (chapter 13)
``regularisation``        ``check_l2_penalty``, ``check_dropout`` (chapter 14)
``outputs``               ``check_binary_cross_entropy`` (chapter 15)
``digits``                ``check_confusion_matrix`` (chapter 16)
``saving``                ``check_grid_to_input`` (chapter 17)
``deep_networks``         ``check_init_std``, ``check_update_ratios`` (chapter 18)
``autograd``              ``check_autograd_div`` (chapter 19)
========================  ====================================================================

``all_checks()`` lists them all; ``check_function`` compares a function with a reference once,
for your own experiments.
"""

from __future__ import annotations

from . import (
    activations,
    autograd,
    backprop_dense,
    backprop_xor,
    deep_networks,
    derivatives,
    digits,
    generalisation,
    gradient_checking,
    layers_and_batches,
    loss,
    neuron,
    optimizers,
    outputs,
    regularisation,
    saving,
    softmax,
    training_spiral,
)
from ._engine import BadAnswer, Check, Mistake, check_function
from .activations import check_relu, check_sigmoid, check_step
from .autograd import check_autograd_div
from .backprop_dense import check_dense_backward, check_relu_backward, check_softmax_cross_entropy_backward
from .backprop_xor import check_xor_gradients
from .deep_networks import check_init_std, check_update_ratios
from .derivatives import check_numerical_derivative, check_sigmoid_backward
from .digits import check_confusion_matrix
from .generalisation import check_train_val_split
from .gradient_checking import check_numerical_gradient
from .layers_and_batches import check_layer_forward
from .loss import check_cross_entropy
from .neuron import check_neuron
from .optimizers import check_rmsprop_step, check_sgd_momentum_step
from .outputs import check_binary_cross_entropy
from .regularisation import check_dropout, check_l2_penalty
from .saving import check_grid_to_input
from .softmax import check_softmax
from .training_spiral import check_grid_bounds

#: The modules that hold the checks, in the order of the book. A new chapter's module is added here.
MODULES = (neuron, layers_and_batches, activations, softmax, loss, derivatives, backprop_xor,
           backprop_dense, gradient_checking, training_spiral, optimizers, generalisation, regularisation,
           outputs, digits, saving, deep_networks, autograd)


def all_checks() -> dict[str, Check]:
    """Every check of the book by name, e.g. ``{"check_neuron": <check neuron ...>, ...}``."""
    return {name: obj for module in MODULES for name, obj in vars(module).items()
            if name.startswith("check_") and isinstance(obj, Check)}


for _name, _check in all_checks().items():
    _check.__name__ = _name  # so that help() and test ids show check_softmax, not "softmax"


__all__ = [
    "BadAnswer",
    "Check",
    "Mistake",
    "all_checks",
    "check_autograd_div",
    "check_binary_cross_entropy",
    "check_confusion_matrix",
    "check_cross_entropy",
    "check_dense_backward",
    "check_dropout",
    "check_function",
    "check_grid_bounds",
    "check_grid_to_input",
    "check_init_std",
    "check_l2_penalty",
    "check_layer_forward",
    "check_neuron",
    "check_numerical_derivative",
    "check_numerical_gradient",
    "check_relu",
    "check_relu_backward",
    "check_rmsprop_step",
    "check_sgd_momentum_step",
    "check_sigmoid",
    "check_sigmoid_backward",
    "check_softmax",
    "check_softmax_cross_entropy_backward",
    "check_step",
    "check_train_val_split",
    "check_update_ratios",
    "check_xor_gradients",
]
