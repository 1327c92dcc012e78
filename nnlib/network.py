"""``Network``: a list of layers, a loss and an optimizer, trained by ``fit``.

The network does nothing the chapters do not do by hand: ``forward`` calls each
layer's ``forward`` in order, ``backward`` starts from ``loss.backward`` and
calls each layer's ``backward`` in reverse, and ``fit`` repeats forward,
backward and ``optimizer.step`` for a number of epochs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ._checks import as_float_array, check_columns, make_rng
from .losses import Loss
from .metrics import accuracy
from .optimizers import Optimizer


class TrainingDiverged(FloatingPointError):
    """Raised by ``Network.fit`` the moment the loss, the output or the weights stop being finite."""


@dataclass
class History:
    """What ``fit`` records: one entry per epoch.

    ``loss[k]`` and ``accuracy[k]`` are the mean over epoch ``k``'s batches,
    measured on each batch *before* its update (as the seeds record their loss).
    ``accuracy`` is empty when the task is not classification.
    """

    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)

    def __getitem__(self, key: str) -> list[float]:
        return getattr(self, key)

    def __len__(self) -> int:
        return len(self.loss)


class Network:
    """A feed-forward network.

    Parameters
    ----------
    layers : list
        Objects with ``forward``/``backward`` (``Dense``, activations, ...),
        applied in order. The last one's output is what ``loss`` receives.
    loss : Loss
        E.g. ``SoftmaxCrossEntropy()`` (then the last layer is a ``Dense`` and
        :meth:`predict` returns probabilities) or ``SumSquaredError()``.
    optimizer : Optimizer, optional
        Needed only for :meth:`fit`.
    """

    def __init__(self, layers, loss: Loss, optimizer: Optimizer | None = None):
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
            raise TypeError(f"optimizer must be an nnlib Optimizer (SGD, Adam), got {optimizer!r}.")
        self.layers = layers
        self.loss = loss
        self.optimizer = optimizer

    def __repr__(self) -> str:
        inner = ", ".join(repr(layer) for layer in self.layers)
        return f"Network([{inner}], loss={self.loss!r}, optimizer={self.optimizer!r})"

    @property
    def trainable(self) -> list:
        """The layers that have parameters, in order."""
        return [layer for layer in self.layers if getattr(layer, "params", None)]

    def forward(self, X) -> np.ndarray:
        """Run ``X`` ``(N, D)`` through every layer; return the last layer's output ``(N, K)``."""
        out = X
        for layer in self.layers:
            out = layer.forward(out)
        return out

    def backward(self, y_pred, y_true) -> np.ndarray:
        """Compute ``dL/dy_pred`` with the loss, backpropagate it through all layers; return ``dL/dX``.

        ``y_pred`` is the ``(N, K)`` output of :meth:`forward` (for ``SoftmaxCrossEntropy``
        the logits, not the probabilities); ``y_true`` has the shape the loss expects.
        The result has the shape ``(N, D)`` of ``X``. Afterwards every ``Dense`` layer
        holds ``dweights`` and ``dbiases``.
        """
        d = self.loss.backward(y_pred, y_true)
        for layer in reversed(self.layers):
            d = layer.backward(d)
        return d

    def predict(self, X) -> np.ndarray:
        """Predictions for ``X``, ``(N, K)`` (``(N, C)`` probabilities for ``SoftmaxCrossEntropy``)."""
        return self.loss.to_output(self.forward(X))

    def evaluate(self, X, y) -> dict[str, float]:
        """``{"loss": ..., "accuracy": ...}`` on ``(X, y)`` without training.

        ``"accuracy"`` is present only for classification (a classification loss, or one
        output with 0/1 targets).
        """
        out = self.forward(X)
        result = {"loss": self.loss.forward(out, y)}
        if self._is_classification(out, y):
            result["accuracy"] = accuracy(self.loss.to_output(out), y)
        return result

    def _is_classification(self, out, y) -> bool:
        if self.loss.classification:
            return True
        y = np.asarray(y)
        return out.shape[1] == 1 and y.shape == out.shape and bool(np.all((y == 0) | (y == 1)))

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
    ) -> History:
        """Train for ``epochs`` passes over ``(X, y)``; return a :class:`History`.

        ``X`` is ``(N, D)``; ``y`` is ``(N,)`` integer labels or ``(N, C)`` one-hot rows
        for a classification loss, ``(N, K)`` targets otherwise.
        ``batch_size=None`` uses the whole data set per step (full batch, as the
        seeds do); otherwise batches are shuffled each epoch with ``rng``.
        With ``verbose``, a line is printed for the first epoch, every ``print_every``
        epochs and the last (default ``print_every``: ``epochs // 10``, so about 10
        lines). ``callback(epoch, network)``, if given, runs after every epoch (e.g. to
        snapshot a decision boundary).

        Raises :class:`TrainingDiverged` as soon as the loss, the network's output or
        the weights are NaN or infinite.
        """
        if self.optimizer is None:
            raise ValueError("fit() needs an optimizer: Network(layers, loss, optimizer=SGD(...)).")
        if not isinstance(epochs, (int, np.integer)) or epochs < 1:
            raise ValueError(f"epochs must be a positive integer, got {epochs!r}.")
        X = as_float_array(X, "X", ndim=2)
        y_arr = np.asarray(y)
        if y_arr.shape[0] != X.shape[0]:
            raise ValueError(
                f"X has {X.shape[0]} samples but y has {y_arr.shape[0]}; they must match."
            )
        first = self.layers[0]
        if hasattr(first, "n_inputs"):
            check_columns(X, first.n_inputs, "X", f"the first layer {first!r}")
        n = X.shape[0]
        if batch_size is None:
            batch_size = n
        elif not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
            raise ValueError(f"batch_size must be a positive integer or None, got {batch_size!r}.")
        gen = make_rng(rng) if batch_size < n else None
        if print_every is None:
            print_every = max(1, epochs // 10)
        elif not isinstance(print_every, (int, np.integer)) or print_every < 1:
            raise ValueError(f"print_every must be a positive integer or None, got {print_every!r}.")
        # Validate the targets once, on the untrained network's output. All of y is
        # looked at: a regression target whose first value happens to be 0 or 1
        # must not be mistaken for binary labels.
        with np.errstate(all="ignore"):
            track_acc = self._is_classification(self.forward(X), y_arr)
        history = History()
        for epoch in range(1, int(epochs) + 1):
            order = gen.permutation(n) if gen is not None else None
            losses, accs = [], []
            for start in range(0, n, batch_size):
                idx = slice(start, start + batch_size) if order is None else order[start : start + batch_size]
                xb, yb = X[idx], y_arr[idx]
                loss_value, acc = self._train_step(xb, yb, track_acc, epoch)
                losses.append(loss_value)
                if acc is not None:
                    accs.append(acc)
            history.loss.append(float(np.mean(losses)))
            if accs:
                history.accuracy.append(float(np.mean(accs)))
            if verbose and (epoch % print_every == 0 or epoch == 1 or epoch == epochs):
                line = f"epoch {epoch:>{len(str(epochs))}}/{epochs}  loss {history.loss[-1]:.4f}"
                if accs:
                    line += f"  accuracy {history.accuracy[-1]:.3f}"
                line += f"  lr {self.optimizer.current_learning_rate:.4g}"
                print(line)
            if callback is not None:
                callback(epoch, self)
        return history

    def _train_step(self, xb, yb, track_acc, epoch):
        # Overflow warnings are silenced here because the check below turns them
        # into one clear TrainingDiverged error instead of a stream of warnings.
        with np.errstate(over="ignore", invalid="ignore"):
            try:
                out = self.forward(xb)
            except ValueError:
                # Finite weights can still overflow to inf inside the network (a
                # layer then refuses its non-finite input): that is divergence too.
                if self._parameters_finite() and all(
                    np.all(np.isfinite(getattr(layer, "output", 0.0))) for layer in self.layers
                ):
                    raise
                self._diverged(epoch, "the weights or a layer's output")
            if not np.all(np.isfinite(out)):
                self._diverged(epoch, "the network's output")
            loss_value = self.loss.forward(out, yb)
            if not np.isfinite(loss_value):
                self._diverged(epoch, "the loss")
        acc = accuracy(self.loss.to_output(out), yb) if track_acc else None
        self.backward(out, yb)
        self.optimizer.step(self.layers)
        return loss_value, acc

    def _parameters_finite(self) -> bool:
        return all(
            np.all(np.isfinite(p)) for layer in self.trainable for p in layer.params.values()
        )

    def _diverged(self, epoch: int, what: str):
        lr = self.optimizer.current_learning_rate
        raise TrainingDiverged(
            f"Training diverged at epoch {epoch}: {what} became NaN or infinite "
            f"(learning rate {lr:.4g}). The steps are too large: try a smaller learning "
            f"rate, e.g. {lr / 10:.4g}, or check the inputs for very large values."
        )
