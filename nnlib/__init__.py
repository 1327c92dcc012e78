"""nnlib: the small NumPy neural-network library of *Neural Networks from Scratch*.

Read it in this order, which is the order of the book:
``layers`` (Dense) -> ``activations`` -> ``losses`` -> ``metrics`` ->
``optimizers`` -> ``network`` -> ``gradcheck`` -> ``regularisation`` (chapter 14) ->
``io`` (``save`` and ``load``, chapter 17) -> ``diagnostics`` (chapter 18: gradient norms by layer,
a learning-rate range test) -> ``autograd`` (chapter 19); ``data``, ``plot``, ``experiments`` (a claim
measured over seeds) and ``exercises`` support the chapters. Importing nnlib has no side effects: it never
changes NumPy's behaviour or its global random state.
"""

from . import autograd, data, diagnostics, exercises, experiments, gradcheck, io, plot, regularisation
from .activations import ReLU, Sigmoid, Softmax, Step, sigmoid, softmax
from .autograd import Tensor
from .gradcheck import check_layer, check_loss, check_network, numerical_gradient, relative_error
from .io import load, save
from .layers import Dense
from .losses import (
    BinaryCrossEntropy,
    CategoricalCrossEntropy,
    Loss,
    MeanSquaredError,
    SoftmaxCrossEntropy,
    SumSquaredError,
)
from .metrics import accuracy, mean_absolute_error, r2_score
from .network import History, Network, TrainingDiverged
from .optimizers import SGD, AdaGrad, Adam, Optimizer, RMSprop
from .regularisation import L1, L2, Dropout, Penalty

__version__ = "0.1.0"

__all__ = [
    "AdaGrad",
    "Adam",
    "BinaryCrossEntropy",
    "CategoricalCrossEntropy",
    "Dense",
    "Dropout",
    "History",
    "L1",
    "L2",
    "Loss",
    "MeanSquaredError",
    "Network",
    "Optimizer",
    "Penalty",
    "RMSprop",
    "ReLU",
    "SGD",
    "Sigmoid",
    "Softmax",
    "SoftmaxCrossEntropy",
    "Step",
    "SumSquaredError",
    "Tensor",
    "TrainingDiverged",
    "accuracy",
    "autograd",
    "check_layer",
    "check_loss",
    "check_network",
    "data",
    "diagnostics",
    "exercises",
    "experiments",
    "gradcheck",
    "io",
    "load",
    "mean_absolute_error",
    "numerical_gradient",
    "plot",
    "r2_score",
    "regularisation",
    "relative_error",
    "save",
    "sigmoid",
    "softmax",
]
