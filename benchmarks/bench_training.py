"""Time one training task four ways and print the ratios.

The task is seed 001's second network: spiral data with 200 points in each of
2 classes, a 2-100-100-2 ReLU network with softmax and cross-entropy, 3000
full-batch gradient-descent steps at learning rate 0.5.

Contestants, all in this one process and on the same data:

* ``seed``   - seed 001's own classes and training loop, as written there
               (float64 here: nnfs.init() is not called in this process);
* ``seed after nnfs.init()`` - the same loop as the seed ran it, in float32 with
               nnfs's patched np.dot, timed in a subprocess;
* ``nnlib``  - ``nnlib.Network`` with ``SGD(0.5)``;
* ``fused``  - the same maths hand-fused into one NumPy loop, no classes;
* ``torch``  - PyTorch on the CPU, only if it happens to be installed.

Usage: ``python benchmarks/bench_training.py [--steps 3000] [--repeats 5]``.
The ratios, not the seconds, are the result: they travel between machines.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

import nnlib
from nnlib import SGD, Dense, Network, ReLU, SoftmaxCrossEntropy

S, C, HIDDEN, LR = 200, 2, 100, 0.5


def data():
    return nnlib.data.spiral(S, C, seed=0)


# --------------------------------------------------------------------------- seed 001, as written
# The classes and loop below are seed 001's (its second training cell), kept
# as they are so the benchmark measures what a reader of the seed would run.


class Layer_Dense:
    def __init__(self, n_inputs, n_neurons):
        self.weights = 0.1 * np.random.randn(n_inputs, n_neurons)
        self.biases = np.zeros((1, n_neurons))

    def forward(self, inputs):
        self.output = np.dot(inputs, self.weights) + self.biases


class Activation_ReLU:
    def forward(self, inputs):
        self.output = np.maximum(0, inputs)


class SoftMax:
    def forward(self, inputs):
        exp_values = np.exp(inputs - np.max(inputs, axis=1, keepdims=True))
        self.output = exp_values / np.sum(exp_values, axis=1, keepdims=True)


class Loss_CCE:
    def calculate(self, output, y):
        return np.mean(self.forward(output, y))

    def forward(self, y_pred, y_true):
        y_pred_clipped = np.clip(y_pred, 1e-7, 1 - 1e-7)
        correct_confidence = y_pred_clipped[range(len(y_pred_clipped)), y_true]
        return -np.log(correct_confidence)


def run_seed(X, y, steps):
    np.random.seed(0)
    m = len(X)
    dense1, activation1 = Layer_Dense(2, HIDDEN), Activation_ReLU()
    dense2, activation2 = Layer_Dense(HIDDEN, HIDDEN), Activation_ReLU()
    dense3, activation3 = Layer_Dense(HIDDEN, C), SoftMax()
    loss_function = Loss_CCE()
    alpha = LR
    for _ in range(steps):
        dense1.forward(X)
        activation1.forward(dense1.output)
        dense2.forward(activation1.output)
        activation2.forward(dense2.output)
        dense3.forward(activation2.output)
        activation3.forward(dense3.output)
        loss = loss_function.calculate(activation3.output, y)
        OH_y = np.zeros(activation3.output.shape)
        OH_y[range(len(OH_y)), y] = 1
        dSM = activation3.output - OH_y
        da2 = np.dot(dense3.weights, dSM.T) * np.greater(activation2.output, 0).astype(int).T
        da1 = np.dot(dense2.weights, da2) * np.greater(activation1.output, 0).astype(int).T
        dw3 = np.dot(activation2.output.T, (dSM)) / m
        dw2 = np.dot(activation1.output.T, da2.T) / m
        dw1 = np.dot(da1, X).T / m
        dense3.biases = np.subtract(dense3.biases, (alpha * dSM.mean(axis=0)))
        dense3.weights = np.subtract(dense3.weights, (alpha * dw3))
        dense2.biases = np.subtract(dense2.biases, (alpha * da2.mean(axis=1)))
        dense2.weights = np.subtract(dense2.weights, (alpha * dw2))
        dense1.biases = np.subtract(dense1.biases, (alpha * da1.mean(axis=1)))
        dense1.weights = np.subtract(dense1.weights, (alpha * dw1))
    return float(loss)


# --------------------------------------------------------------------------- nnlib


def run_nnlib(X, y, steps):
    net = Network(
        [Dense(2, HIDDEN, rng=0), ReLU(), Dense(HIDDEN, HIDDEN, rng=1), ReLU(), Dense(HIDDEN, C, rng=2)],
        SoftmaxCrossEntropy(),
        SGD(LR),
    )
    return net.fit(X, y, steps, verbose=False).loss[-1]


# --------------------------------------------------------------------------- hand-fused NumPy


def run_fused(X, y, steps):
    rng = np.random.default_rng(0)
    W1, W2, W3 = (0.1 * rng.standard_normal(s) for s in [(2, HIDDEN), (HIDDEN, HIDDEN), (HIDDEN, C)])
    b1, b2, b3 = np.zeros((1, HIDDEN)), np.zeros((1, HIDDEN)), np.zeros((1, C))
    n = len(X)
    rows = np.arange(n)
    for _ in range(steps):
        Z1 = X @ W1 + b1
        A1 = np.maximum(Z1, 0)
        Z2 = A1 @ W2 + b2
        A2 = np.maximum(Z2, 0)
        Z3 = A2 @ W3 + b3
        Z3 -= Z3.max(axis=1, keepdims=True)
        E = np.exp(Z3)
        P = E / E.sum(axis=1, keepdims=True)
        loss = -np.log(P[rows, y]).mean()
        P[rows, y] -= 1
        P /= n
        dA2 = P @ W3.T
        dA2[Z2 <= 0] = 0
        dA1 = dA2 @ W2.T
        dA1[Z1 <= 0] = 0
        W3 -= LR * (A2.T @ P)
        b3 -= LR * P.sum(axis=0, keepdims=True)
        W2 -= LR * (A1.T @ dA2)
        b2 -= LR * dA2.sum(axis=0, keepdims=True)
        W1 -= LR * (X.T @ dA1)
        b1 -= LR * dA1.sum(axis=0, keepdims=True)
    return float(loss)


# --------------------------------------------------------------------------- PyTorch (optional)


def torch_runner():
    try:
        import torch
    except ImportError:
        return None

    def run_torch(X, y, steps):
        torch.manual_seed(0)
        Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
        model = torch.nn.Sequential(
            torch.nn.Linear(2, HIDDEN), torch.nn.ReLU(),
            torch.nn.Linear(HIDDEN, HIDDEN), torch.nn.ReLU(),
            torch.nn.Linear(HIDDEN, C),
        ).double()
        opt = torch.optim.SGD(model.parameters(), lr=LR)
        loss_fn = torch.nn.CrossEntropyLoss()
        for _ in range(steps):
            opt.zero_grad()
            loss = loss_fn(model(Xt), yt)
            loss.backward()
            opt.step()
        return float(loss.detach())

    return run_torch


def time_all(runners, X, y, steps, repeats):
    """Median time per runner. Runs are interleaved (round robin) so that a
    burst of load on the machine hits every contestant alike."""
    times = {name: [] for name in runners}
    losses = {}
    for _ in range(repeats):
        for name, fn in runners.items():
            t0 = time.perf_counter()
            losses[name] = fn(X, y, steps)
            times[name].append(time.perf_counter() - t0)
    return {name: (statistics.median(ts), losses[name]) for name, ts in times.items()}


def seed_float32_time(steps, repeats):
    """Median time of seed 001's loop as the seed ran it, after nnfs.init().

    Run in a subprocess, because nnfs.init() replaces np.dot, np.zeros and
    np.random.randn for the whole process (np.dot then converts its arguments
    to float64 and its result back to float32 on every call).
    """
    code = (
        "import nnfs, statistics, time; nnfs.init();"
        "import benchmarks.bench_training as b;"
        "X, y = b.data(); X = X.astype('float32'); ts = [];\n"
        "for _ in range(%d):\n"
        "    t = time.perf_counter(); b.run_seed(X, y, %d); ts.append(time.perf_counter() - t)\n"
        "print(statistics.median(ts))" % (repeats, steps)
    )
    root = str(Path(__file__).resolve().parent.parent)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=root)
    return float(out.stdout.strip().splitlines()[-1])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--steps", type=int, default=3000)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--no-seed-float32", dest="seed_float32", action="store_false",
                    help="skip timing seed 001's loop after nnfs.init() (float32, patched np.dot)")
    args = ap.parse_args(argv)
    X, y = data()
    runners = {"seed": run_seed, "nnlib": run_nnlib, "fused": run_fused}
    if (t := torch_runner()) is not None:
        runners["torch"] = t
    print(f"seed 001 second network: spiral({S}, {C}), 2-{HIDDEN}-{HIDDEN}-{C} ReLU + softmax, "
          f"{args.steps} full-batch steps, lr {LR}; median of {args.repeats} runs")
    results = time_all(runners, X, y, args.steps, args.repeats)
    for name, (seconds, loss) in results.items():
        print(f"  {name:<6} {seconds:8.3f} s   final loss {loss:.4f}")
    if args.seed_float32:
        t32 = seed_float32_time(args.steps, args.repeats)
        print(f"  seed after nnfs.init() (float32, as the seed ran it): {t32:.3f} s")
    t = {k: v[0] for k, v in results.items()}
    print("ratios (larger = nnlib faster):")
    print(f"  seed  / nnlib = {t['seed'] / t['nnlib']:.2f}x")
    print(f"  nnlib / fused = {t['nnlib'] / t['fused']:.2f}x  (1.00 = as fast as hand-fused)")
    if "torch" in t:
        print(f"  torch / nnlib = {t['torch'] / t['nnlib']:.2f}x")
    if args.seed_float32:
        print(f"  seed(float32, nnfs.init) / nnlib = {t32 / t['nnlib']:.2f}x")


if __name__ == "__main__":
    main()
