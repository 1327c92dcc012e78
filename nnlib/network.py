"""``Network``: a list of layers, a loss and an optimizer, trained by ``fit``.

The network does nothing the chapters do not do by hand: ``forward`` calls each
layer's ``forward`` in order, ``backward`` starts from ``loss.backward`` and
calls each layer's ``backward`` in reverse, and ``fit`` repeats forward,
backward and ``optimizer.step`` for a number of epochs.

Checked once, then fast
-----------------------
Every public method of a layer checks its argument (shape, type, NaN and inf).
Inside a training step those checks would look again and again at arrays that
nnlib has just computed from data it already checked, and on a small network
they cost as much as the arithmetic. So ``fit`` checks ``X`` and ``y`` once, and
each step calls the layers' unchecked twins (``_forward``, ``_backward``; see
:func:`nnlib._checks.entry_point`), but only where the array handed over comes
from nnlib's own code: a layer you wrote, or whose ``forward``/``backward`` you
replaced, is called through its own methods, and the nnlib layer after it checks
what it receives. ``forward`` (and so ``predict`` and ``evaluate``) lets the
first layer check ``X`` and runs the rest unchecked.

What a step still checks is whether training has diverged: the loss and the
network's output must be finite, and after the update every parameter.

Regularisation
--------------
With ``penalty=L2(...)`` (or ``L1``) the network minimises the objective
``J = L + R``: the penalty ``R`` on the weights is added to every batch's loss
and its gradient to every ``dweights`` (:mod:`nnlib.regularisation` says why
here and not in the layers). A layer whose ``forward`` takes ``training=``
(``Dropout``) runs in training mode inside ``fit``'s steps and in inference
mode everywhere else.
"""

from __future__ import annotations

import copy
import functools
import inspect
import math
from dataclasses import dataclass, field

import numpy as np

from ._checks import all_finite, as_float_array, check_columns, class_labels, float_dtype, make_rng
from .activations import _Activation
from .losses import Loss
from .metrics import _n_correct, accuracy
from .optimizers import Optimizer
from .regularisation import Dropout, Penalty


class TrainingDiverged(FloatingPointError):
    """Raised by ``Network.fit`` the moment the loss, the output or the weights stop being finite."""


@dataclass
class History:
    """What ``fit`` records: one entry per epoch.

    ``loss[k]`` and ``accuracy[k]`` describe epoch ``k``'s batches, each measured on
    its batch *before* that batch's update (as the tutorials record their loss) and
    averaged with weights proportional to the batch sizes, so they are the mean over
    the epoch's samples. With full batches that is the loss of the network as it was
    at the start of the epoch.

    ``val_loss`` and ``val_accuracy`` (with ``fit(validation_data=...)``) and
    ``train_loss_end`` and ``train_accuracy_end`` (with ``fit(evaluate_train=True)``)
    are measured *after* the epoch's last update, on the whole validation set or the
    whole training set. So ``train_loss_end[k]`` is about one epoch ahead of
    ``loss[k]``: compare validation numbers with it, not with ``loss``.
    The accuracy lists stay empty when the task is not classification.

    With a penalty (``Network(..., penalty=L2(...))``), ``loss`` is the objective
    that ``fit`` minimises, data loss plus penalty, and ``data_loss`` its data part
    alone (without a penalty the two are equal). ``val_loss`` and ``train_loss_end``
    are data losses: the penalty depends on the weights, not on the data, so it
    would add the same number to both.
    """

    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)
    train_loss_end: list[float] = field(default_factory=list)
    train_accuracy_end: list[float] = field(default_factory=list)
    data_loss: list[float] = field(default_factory=list)

    def __getitem__(self, key: str) -> list[float]:
        return getattr(self, key)

    def __len__(self) -> int:
        return len(self.loss)


def _twin(obj, name: str):
    """``obj``'s unchecked twin of the method ``name``, or None if ``obj.name`` is not
    one of nnlib's checked entry points (so it was written or replaced by you)."""
    twin = getattr(getattr(type(obj), name, None), "unchecked_twin", None)
    if twin is None or name in getattr(obj, "__dict__", {}):
        return None
    return getattr(obj, twin)


def _takes_training(layer) -> bool:
    """Does ``layer`` behave differently while training: does its ``forward`` take ``training=``?"""
    forward = layer.forward
    function = getattr(forward, "__func__", forward)
    try:
        return _accepts_training(function)
    except TypeError:  # an unhashable callable object: look at it every time
        return _accepts_training.__wrapped__(function)


@functools.lru_cache(maxsize=256)
def _accepts_training(function) -> bool:
    try:  # looked up once per function: inspect.signature costs as much as a small forward pass
        return "training" in inspect.signature(function).parameters
    except (TypeError, ValueError):  # a builtin or an object without a signature
        return False


def _check_count(name: str, value, allow_none: bool = False) -> None:
    if value is None and allow_none:
        return
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        extra = " or None" if allow_none else ""
        raise ValueError(f"{name} must be a positive integer{extra}, got {value!r}.")


class Network:
    """A feed-forward network.

    Parameters
    ----------
    layers : list
        Objects with ``forward``/``backward`` (``Dense``, activations, ...),
        applied in order. The last one's output is what ``loss`` receives. All
        ``Dense`` layers must compute in the same dtype (see :meth:`astype`).
    loss : Loss
        E.g. ``SoftmaxCrossEntropy()`` (then the last layer is a ``Dense`` and
        :meth:`predict` returns probabilities) or ``SumSquaredError()``.
    optimizer : Optimizer, optional
        Needed only for :meth:`fit`. It belongs to this network's parameters:
        give each network its own (see :mod:`nnlib.optimizers`).
    penalty : Penalty, optional
        E.g. ``L2(1e-3)`` or ``L1(1e-4)``: added to the loss, on every trainable
        layer's weights (not the biases). See :mod:`nnlib.regularisation`.
    """

    def __init__(self, layers, loss: Loss, optimizer: Optimizer | None = None, *,
                 penalty: Penalty | None = None):
        layers = list(layers)
        if not layers:
            raise ValueError("a Network needs at least one layer.")
        for layer in layers:
            if not (hasattr(layer, "forward") and hasattr(layer, "backward")):
                raise TypeError(
                    f"{layer!r} is not a layer: it needs forward() and backward() methods."
                )
        if not isinstance(loss, Loss):
            raise TypeError(f"loss must be an nnlib Loss (e.g. SoftmaxCrossEntropy()), got {loss!r}.")
        if optimizer is not None and not isinstance(optimizer, Optimizer):
            raise TypeError(f"optimizer must be an nnlib Optimizer (SGD, Adam, ...), got {optimizer!r}.")
        if penalty is not None and not isinstance(penalty, Penalty):
            raise TypeError(f"penalty must be an nnlib Penalty such as L1(...) or L2(...), got {penalty!r}.")
        if loss.applies is not None and isinstance(layers[-1], loss.applies):
            last, applied = type(layers[-1]).__name__, loss.applies.__name__.lower()
            raise ValueError(
                f"the network ends in {last}(), but {type(loss).__name__} applies {applied} itself: it takes "
                f"the raw scores (logits) of the last Dense layer, so {applied} would be applied twice and "
                f"training would quietly go wrong. Remove the final {last}() layer; predict() still returns "
                "probabilities."
            )
        self.layers = layers
        self.loss = loss
        self.optimizer = optimizer
        self.penalty = penalty
        self._forward_chain(check_first=True)  # refuse layers that do not fit together, now

    def __repr__(self) -> str:
        inner = ", ".join(repr(layer) for layer in self.layers)
        extra = f", penalty={self.penalty!r}" if self.penalty is not None else ""
        return f"Network([{inner}], loss={self.loss!r}, optimizer={self.optimizer!r}{extra})"

    @property
    def trainable(self) -> list:
        """The layers that have parameters, in order."""
        return [layer for layer in self.layers if getattr(layer, "params", None)]

    @property
    def dtype(self) -> np.dtype:
        """The dtype the layers compute in: float64 unless built in float32 (see :meth:`astype`)."""
        dtypes = {layer.dtype for layer in self.layers if isinstance(getattr(layer, "dtype", None), np.dtype)}
        if len(dtypes) > 1:
            described = ", ".join(f"{layer!r} is {layer.dtype}" for layer in self.layers
                                  if isinstance(getattr(layer, "dtype", None), np.dtype))
            raise TypeError(
                f"the layers compute in different dtypes ({described}). Build every layer with "
                "the same dtype=..., or convert the whole network with network.astype(np.float32)."
            )
        return dtypes.pop() if dtypes else np.dtype(np.float64)

    def astype(self, dtype) -> Network:
        """A copy of the network that computes in ``dtype`` (``np.float32`` or ``np.float64``).

        Like ``ndarray.astype``, the original is left as it is. Weights, biases, their
        gradients and the optimizer's state are cast, so the copy trains on from where
        the original is. E.g. ``Network(layers, loss, Adam()).astype(np.float32)``
        builds a whole network in float32. Gradient checks need float64.
        """
        dtype = float_dtype(dtype)
        new = copy.deepcopy(self)
        for layer in new.layers:
            if hasattr(layer, "_cast"):
                layer._cast(dtype)
        return new

    # ------------------------------------------------------------------ the passes

    def _forward_chain(self, check_first: bool, training: bool = False) -> list:
        """The function to call for each layer in the forward pass.

        A layer's unchecked ``_forward`` is used when its input comes from nnlib's
        own code: the previous layer is one of nnlib's (or, for the first layer,
        ``X`` has been checked already: ``check_first=False``). Otherwise its
        public ``forward`` checks the input. A layer that takes ``training=`` is
        called with ``training``. Also refuses consecutive layers whose sizes do
        not match.
        """
        _ = self.dtype  # refuses layers of mixed dtypes
        chain, trusted, width, before = [], not check_first, None, None
        for i, layer in enumerate(self.layers):
            n_in, n_out = getattr(layer, "n_inputs", None), getattr(layer, "n_outputs", None)
            if n_in is not None and width is not None and n_in != width:
                raise ValueError(
                    f"layer {i}, {layer!r}, expects {n_in} inputs, but the layer before it "
                    f"({before!r}) gives {width} outputs. Make the sizes of consecutive layers match."
                )
            if n_out is not None:
                width, before = n_out, layer
            elif not isinstance(layer, (_Activation, Dropout)):  # elementwise layers keep the width
                width = None
            twin = _twin(layer, "forward")
            f = twin if twin is not None and trusted else layer.forward
            chain.append(functools.partial(f, training=training) if _takes_training(layer) else f)
            trusted = twin is not None
        return chain

    def _backward_chain(self, loss_is_nnlib: bool) -> list:
        """The function to call for each layer in the backward pass, last layer first.

        As in :meth:`_forward_chain`: ``_backward`` where ``dvalues`` comes from nnlib's
        own code. The first layer is asked not to compute ``dL/dX``, which nobody uses.
        """
        chain, trusted = [], loss_is_nnlib
        for i in reversed(range(len(self.layers))):
            layer = self.layers[i]
            twin = _twin(layer, "backward")
            if twin is not None and trusted:
                chain.append(twin if i > 0 else (lambda d, twin=twin: twin(d, need_dinputs=False)))
            else:
                chain.append(layer.backward)
            trusted = twin is not None
        return chain

    def forward(self, X, training: bool = False) -> np.ndarray:
        """Run ``X`` ``(N, D)`` through every layer; return the last layer's output ``(N, K)``.

        The first layer checks ``X``; the layers after it run unchecked (see the module
        docstring). Layers such as ``Dropout`` run in inference mode unless
        ``training=True``.
        """
        out = X
        for f in self._forward_chain(check_first=True, training=training):
            out = f(out)
        return out

    def backward(self, y_pred, y_true) -> np.ndarray:
        """Compute ``dL/dy_pred`` with the loss, backpropagate it through all layers; return ``dL/dX``.

        ``y_pred`` is the ``(N, K)`` output of :meth:`forward` (for ``SoftmaxCrossEntropy``
        the logits, not the probabilities); ``y_true`` has the shape the loss expects.
        The result has the shape ``(N, D)`` of ``X``. Afterwards every ``Dense`` layer
        holds ``dweights`` and ``dbiases``, the gradients of the objective (with a
        penalty, ``dweights`` includes ``dR/dW``). Every layer checks what it receives.
        """
        d = self.loss.backward(y_pred, y_true)
        for layer in reversed(self.layers):
            d = layer.backward(d)
        if self.penalty is not None:
            self.penalty.add_gradients(self.trainable)
        return d

    def penalty_loss(self) -> float:
        """The penalty ``R`` at the current weights (``0.0`` without a penalty)."""
        return 0.0 if self.penalty is None else self.penalty.value(self.trainable)

    def objective(self, X, y) -> float:
        """``J = L + R``: the data loss on ``(X, y)`` (inference mode) plus the penalty.

        What ``fit`` minimises, and what ``nnlib.gradcheck.check_network`` differentiates.
        """
        return self.loss.forward(self.forward(X), y) + self.penalty_loss()

    def predict(self, X) -> np.ndarray:
        """Predictions for ``X``, ``(N, K)`` (``(N, C)`` probabilities for ``SoftmaxCrossEntropy``)."""
        return self.loss.to_output(self.forward(X))

    def evaluate(self, X, y) -> dict[str, float]:
        """``{"loss": ..., "accuracy": ...}`` on ``(X, y)`` without training.

        ``"accuracy"`` is present only for classification (a classification loss, or one
        output with 0/1 targets).
        """
        out = self.forward(X)
        if _twin(self.loss, "forward") is None:  # a loss of your own: its public methods
            result = {"loss": self.loss.forward(out, y)}
            if self._is_classification(out, y):
                result["accuracy"] = accuracy(self.loss.to_output(out), y)
            return result
        p = self.loss._check_pred(out)
        targets = self.loss._targets(p, y)  # y is checked once, for the loss and the accuracy
        result = {"loss": self.loss._forward(p, targets)}
        if self._is_classification(out, y):
            result["accuracy"] = _n_correct(self.loss.to_output(p), targets) / p.shape[0]
        return result

    def _is_classification(self, out, y) -> bool:
        if self.loss.classification:
            return True
        y = np.asarray(y)
        return out.shape[1] == 1 and y.shape == out.shape and bool(np.all((y == 0) | (y == 1)))

    # ------------------------------------------------------------------ training

    def fit(
        self,
        X,
        y,
        epochs: int,
        *,
        batch_size: int | None = None,
        rng=None,
        verbose: bool = True,
        print_every: int | None = None,
        callback=None,
        validation_data=None,
        evaluate_train: bool = False,
    ) -> History:
        """Train for ``epochs`` passes over ``(X, y)``; return a :class:`History`.

        ``X`` is ``(N, D)``; ``y`` is ``(N,)`` integer labels or ``(N, C)`` one-hot rows
        for a classification loss, ``(N, K)`` targets otherwise. ``X`` is cast once to
        the network's dtype.
        ``batch_size=None`` uses the whole data set per step (full batch, as the
        tutorials do); otherwise batches are shuffled each epoch with ``rng``.
        ``validation_data=(X_val, y_val)`` records ``history.val_loss`` (and
        ``val_accuracy``) after every epoch; ``evaluate_train=True`` records the loss
        (and accuracy) on the whole training set after every epoch,
        ``history.train_loss_end``. Both are measured after the epoch's last update,
        the per-batch ``history.loss`` before each update (see :class:`History`).
        With ``verbose``, a line is printed for the first epoch, every ``print_every``
        epochs and the last (default ``print_every``: ``epochs // 10``, so about 10
        lines). ``callback(epoch, network)``, if given, runs after every epoch (e.g. to
        snapshot a decision boundary).

        Raises :class:`TrainingDiverged` as soon as the loss, the network's output or
        the weights are NaN or infinite.

        With a penalty, each step minimises data loss plus penalty, and ``history.loss``
        records both together (``history.data_loss`` the data part). Layers that take
        ``training=`` (``Dropout``) run in training mode for the steps and in inference
        mode for the validation and ``evaluate_train`` measurements and the callback.
        """
        if self.optimizer is None:
            raise ValueError("fit() needs an optimizer: Network(layers, loss, optimizer=SGD(...)).")
        _check_count("epochs", epochs)
        _check_count("batch_size", batch_size, allow_none=True)
        _check_count("print_every", print_every, allow_none=True)
        train = self._checked_data(X, y, "X", "y")
        val = None
        if validation_data is not None:
            if not (isinstance(validation_data, (tuple, list)) and len(validation_data) == 2):
                raise TypeError(
                    "validation_data must be a pair (X_val, y_val), got "
                    f"{type(validation_data).__name__}."
                )
            val = self._checked_data(*validation_data, "X_val", "y_val")
        X, loss_targets, acc_targets, track_acc = train
        n = X.shape[0]
        batch_size = n if batch_size is None else int(batch_size)
        gen = make_rng(rng) if batch_size < n else None
        print_every = max(1, epochs // 10) if print_every is None else int(print_every)

        forward = self._forward_chain(check_first=False, training=True)
        infer = self._forward_chain(check_first=False)
        penalty = self.penalty
        loss_is_nnlib = _twin(self.loss, "forward") is not None and _twin(self.loss, "backward") is not None
        backward = self._backward_chain(loss_is_nnlib)
        loss_and_grad = self.loss._forward_backward if loss_is_nnlib else self._checked_loss_and_grad
        trainable = self.trainable

        history = History()
        for epoch in range(1, int(epochs) + 1):
            Xe, Le, Ae = X, loss_targets, acc_targets
            if gen is not None:  # shuffle once per epoch; the batches are then slices
                order = gen.permutation(n)
                Xe, Le = X[order], loss_targets[order]
                Ae = Le if acc_targets is loss_targets else acc_targets[order]
            loss_sum, data_loss_sum, n_correct = 0.0, 0.0, 0
            params = [p for layer in trainable for p in layer.params.values()]
            # Overflow warnings are silenced: the checks turn them into one clear
            # TrainingDiverged error instead of a stream of warnings.
            with np.errstate(over="ignore", invalid="ignore"):
                for start in range(0, n, batch_size):
                    stop = start + batch_size
                    out = Xe[start:stop]
                    try:
                        for f in forward:
                            out = f(out)
                    except ValueError:
                        # A layer that checks its input refused a non-finite value: if the
                        # weights or a layer's output are no longer finite, that is divergence.
                        if all(all_finite(p) for p in params) and all(
                            all_finite(np.asarray(getattr(layer, "output", 0.0), dtype=float))
                            for layer in self.layers
                        ):
                            raise
                        self._diverged(epoch, "the weights or a layer's output")
                    if not all_finite(out):
                        self._diverged(epoch, "the network's output")
                    loss_value, d, pred = loss_and_grad(out, Le[start:stop])
                    data_loss_sum += loss_value * (out.shape[0] / n)
                    if penalty is not None:
                        loss_value += penalty.value(trainable)
                    if not math.isfinite(loss_value):
                        self._diverged(epoch, "the loss")
                    loss_sum += loss_value * (out.shape[0] / n)
                    if track_acc:
                        n_correct += _n_correct(pred, Ae[start:stop])
                    for f in backward:
                        d = f(d)
                    if penalty is not None:
                        penalty.add_gradients(trainable)
                    self.optimizer.step(trainable)
                    if not all(all_finite(p) for p in params):
                        self._diverged(epoch, "the weights")
                history.loss.append(loss_sum)
                history.data_loss.append(data_loss_sum)
                if track_acc:
                    history.accuracy.append(n_correct / n)
                if val is not None:
                    self._record(history.val_loss, history.val_accuracy, val, infer, epoch)
                if evaluate_train:
                    self._record(history.train_loss_end, history.train_accuracy_end, train, infer, epoch)
            if verbose and (epoch % print_every == 0 or epoch == 1 or epoch == epochs):
                print(self._progress_line(history, epoch, epochs))
            if callback is not None:
                callback(epoch, self)
        return history

    def _checked_data(self, X, y, x_name: str, y_name: str):
        """Check ``(X, y)`` once for training or validation.

        Returns ``(X, loss_targets, accuracy_targets, track_accuracy)``: ``X`` in the
        network's dtype, and ``y`` in the forms the loss and the accuracy take
        (integer labels for classification, whatever the caller passed).
        """
        X = as_float_array(X, x_name, ndim=2, dtype=self.dtype)
        y_arr = np.asarray(y)
        if y_arr.ndim == 0 or y_arr.shape[0] != X.shape[0]:
            raise ValueError(
                f"{x_name} has {X.shape[0]} samples but {y_name} has "
                f"{y_arr.shape[0] if y_arr.ndim else 'none (a scalar)'}; they must match."
            )
        first = self.layers[0]
        if hasattr(first, "n_inputs"):
            check_columns(X, first.n_inputs, x_name, f"the first layer {first!r}")
        # One pass through the untrained network shows the targets' expected shape. All
        # of y is looked at: a regression target whose first value happens to be 0 or 1
        # must not be mistaken for binary labels.
        with np.errstate(all="ignore"):
            out = X
            for f in self._forward_chain(check_first=False):
                out = f(out)
            finite = all_finite(out)
        if not finite:
            self._diverged(1, "the network's output, before any update,")
        if _twin(self.loss, "forward") is not None:
            p = self.loss._check_pred(out)  # e.g. CategoricalCrossEntropy refuses logits
            loss_targets = self.loss._targets(p, y_arr, y_name)
        else:
            self.loss.forward(out, y_arr)  # a loss of your own checks its arguments itself
            loss_targets = y_arr
        track_acc = self._is_classification(out, y_arr)
        acc_targets = loss_targets
        if track_acc and not (self.loss.classification and loss_targets.ndim == 1):
            if out.shape[1] == 1:
                acc_targets = np.asarray(y_arr, dtype=np.float64)
            else:
                acc_targets = class_labels(y_arr, out.shape[0], out.shape[1], y_name)
        return X, loss_targets, acc_targets, track_acc

    def _checked_loss_and_grad(self, out, targets):
        """What ``Loss._forward_backward`` returns, through the public methods of a loss of your own."""
        return self.loss.forward(out, targets), self.loss.backward(out, targets), self.loss.to_output(out)

    def _record(self, losses, accuracies, data, forward, epoch):
        """Append the loss (and accuracy) on a whole checked data set, after this epoch's updates."""
        X, loss_targets, acc_targets, track_acc = data
        out = X
        for f in forward:
            out = f(out)
        if not all_finite(out):
            self._diverged(epoch, "the network's output on the whole data set")
        if _twin(self.loss, "forward") is not None:
            losses.append(self.loss._forward(out, loss_targets))
        else:
            losses.append(self.loss.forward(out, loss_targets))
        if track_acc:
            accuracies.append(_n_correct(self.loss.to_output(out), acc_targets) / X.shape[0])

    def _progress_line(self, history: History, epoch: int, epochs: int) -> str:
        line = f"epoch {epoch:>{len(str(epochs))}}/{epochs}  loss {history.loss[-1]:.4f}"
        if self.penalty is not None:
            line += f" (data {history.data_loss[-1]:.4f})"
        if history.accuracy:
            line += f"  accuracy {history.accuracy[-1]:.3f}"
        if history.val_loss:
            line += f"  val_loss {history.val_loss[-1]:.4f}"
        if history.val_accuracy:
            line += f"  val_accuracy {history.val_accuracy[-1]:.3f}"
        return line + f"  lr {self.optimizer.current_learning_rate:.4g}"

    def _diverged(self, epoch: int, what: str):
        lr = self.optimizer.current_learning_rate
        raise TrainingDiverged(
            f"Training diverged at epoch {epoch}: {what} became NaN or infinite "
            f"(learning rate {lr:.4g}). The steps are too large: try a smaller learning "
            f"rate, e.g. {lr / 10:.4g}, or check the inputs for very large values."
        )
