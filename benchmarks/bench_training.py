"""Time nnlib against hand-fused NumPy (and PyTorch, if installed); print the ratios.

Three measurements, all in this one process and on the same data:

1. **Full batch**: the spiral tutorial's second network (seed 001): spiral data
   with 200 points in each of 2 classes, a 2-100-100-2 ReLU network with softmax
   and cross-entropy, 3000 full-batch gradient-descent steps at learning rate 0.5.
   Contestants, in float64 and in float32:

   * ``seed``   - the tutorial's own classes and training loop, as written there
                  (float64: nnfs.init() is not called in this process);
   * ``seed after nnfs.init()`` - the same loop as the tutorial ran it, in float32
                  with nnfs's patched np.dot, timed in a subprocess;
   * ``nnlib``  - ``nnlib.Network`` with ``SGD(0.5)``; float32 via ``Network.astype``;
   * ``fused``  - the same maths hand-fused into one NumPy loop, no classes;
   * ``fused-multiply`` - the same loop with the ReLU gradient as a multiplication
                  by the mask and the bias added in place, as nnlib does;
   * ``torch``  - PyTorch on the CPU, only if it happens to be installed.

2. **Mini-batch**: spiral data with 1000 points in each of 3 classes, a 2-64-64-3
   ReLU network, batches of 32, Adam; nnlib and PyTorch.

3. **Scaling**: nnlib's time per full-batch step for several batch sizes and
   layer widths (2-W-W-2), with the FLOP rate it reaches as a fraction of this
   machine's measured matrix-multiply peak.

Usage: ``python benchmarks/bench_training.py [--steps 3000] [--repeats 5] [--quick]``.
Contestants are interleaved (round robin), so a burst of load on the machine hits
every one alike; the load average is printed before and after. The ratios, not the
seconds, are the result: they travel between machines.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

import nnlib
from nnlib import SGD, Adam, Dense, Network, ReLU, SoftmaxCrossEntropy

S, C, HIDDEN, LR = 200, 2, 100, 0.5
MB_S, MB_C, MB_HIDDEN, MB_BATCH, MB_LR = 1000, 3, 64, 32, 0.005


def data():
    return nnlib.data.spiral(S, C, seed=0)


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} ({os.cpu_count()} CPUs)"


# --------------------------------------------------------------------------- seed 001, as written
# The classes and loop below are the spiral tutorial's (its second training
# cell), kept as they are so the benchmark measures what a reader would run.


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


def nnlib_network(sizes, optimizer, dtype=np.float64):
    layers = []
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
        layers += [Dense(n_in, n_out, rng=i), ReLU()]
    return Network(layers[:-1], SoftmaxCrossEntropy(), optimizer).astype(dtype)


def run_nnlib(X, y, steps, dtype=np.float64):
    net = nnlib_network([2, HIDDEN, HIDDEN, C], SGD(LR), dtype)
    return net.fit(X, y, steps, verbose=False).loss[-1]


# --------------------------------------------------------------------------- hand-fused NumPy


def run_fused(X, y, steps, dtype=np.float64):
    rng = np.random.default_rng(0)
    W1, W2, W3 = ((0.1 * rng.standard_normal(s)).astype(dtype)
                  for s in [(2, HIDDEN), (HIDDEN, HIDDEN), (HIDDEN, C)])
    b1, b2, b3 = np.zeros((1, HIDDEN), dtype), np.zeros((1, HIDDEN), dtype), np.zeros((1, C), dtype)
    X = X.astype(dtype)
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


def run_fused_multiply(X, y, steps, dtype=np.float64):
    """The hand-fused loop with the two changes that make nnlib faster than it: the ReLU
    gradient as ``dA * (Z > 0)`` instead of ``dA[Z <= 0] = 0`` (boolean-mask assignment is
    slow), and the bias added in place. The floor for NumPy written this way."""
    rng = np.random.default_rng(0)
    W1, W2, W3 = ((0.1 * rng.standard_normal(s)).astype(dtype)
                  for s in [(2, HIDDEN), (HIDDEN, HIDDEN), (HIDDEN, C)])
    b1, b2, b3 = np.zeros((1, HIDDEN), dtype), np.zeros((1, HIDDEN), dtype), np.zeros((1, C), dtype)
    X = X.astype(dtype)
    n = len(X)
    rows = np.arange(n)
    for _ in range(steps):
        Z1 = X @ W1
        Z1 += b1
        A1 = np.maximum(Z1, 0)
        Z2 = A1 @ W2
        Z2 += b2
        A2 = np.maximum(Z2, 0)
        Z3 = A2 @ W3
        Z3 += b3
        Z3 -= Z3.max(axis=1, keepdims=True)
        E = np.exp(Z3)
        P = E / E.sum(axis=1, keepdims=True)
        loss = -np.log(P[rows, y]).mean()
        P[rows, y] -= 1
        P /= n
        dA2 = (P @ W3.T) * (Z2 > 0)
        dA1 = (dA2 @ W2.T) * (Z1 > 0)
        W3 -= LR * (A2.T @ P)
        b3 -= LR * P.sum(axis=0, keepdims=True)
        W2 -= LR * (A1.T @ dA2)
        b2 -= LR * dA2.sum(axis=0, keepdims=True)
        W1 -= LR * (X.T @ dA1)
        b1 -= LR * dA1.sum(axis=0, keepdims=True)
    return float(loss)


# --------------------------------------------------------------------------- PyTorch (optional)


def torch_module():
    try:
        import torch
    except ImportError:
        return None
    return torch


def torch_mlp(torch, sizes, dtype):
    torch.manual_seed(0)
    layers = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True):
        layers += [torch.nn.Linear(n_in, n_out), torch.nn.ReLU()]
    return torch.nn.Sequential(*layers[:-1]).to(dtype)


def torch_full_batch(torch, dtype):
    def run_torch(X, y, steps):
        Xt, yt = torch.from_numpy(X).to(dtype), torch.from_numpy(y)
        model = torch_mlp(torch, [2, HIDDEN, HIDDEN, C], dtype)
        opt = torch.optim.SGD(model.parameters(), lr=LR)
        loss_fn = torch.nn.CrossEntropyLoss()
        for _ in range(steps):
            opt.zero_grad()
            loss = loss_fn(model(Xt), yt)
            loss.backward()
            opt.step()
        return float(loss.detach())

    return run_torch


def torch_minibatch(torch, dtype):
    """A plain PyTorch loop doing what nnlib's fit does: shuffle every epoch, and
    record the loss and the number of correct predictions of every batch."""

    def run_torch(X, y, epochs):
        Xt, yt = torch.from_numpy(X).to(dtype), torch.from_numpy(y)
        model = torch_mlp(torch, [2, MB_HIDDEN, MB_HIDDEN, MB_C], dtype)
        opt = torch.optim.Adam(model.parameters(), lr=MB_LR, eps=1e-7)
        loss_fn = torch.nn.CrossEntropyLoss()
        gen = torch.Generator().manual_seed(0)
        n = len(Xt)
        for _ in range(epochs):
            order = torch.randperm(n, generator=gen)
            Xe, ye = Xt[order], yt[order]
            total, correct = 0.0, 0
            for start in range(0, n, MB_BATCH):
                xb, yb = Xe[start:start + MB_BATCH], ye[start:start + MB_BATCH]
                opt.zero_grad()
                logits = model(xb)
                loss = loss_fn(logits, yb)
                loss.backward()
                opt.step()
                total += loss.item() * len(xb)
                correct += int((logits.argmax(dim=1) == yb).sum())
        return total / n

    return run_torch


def run_nnlib_minibatch(X, y, epochs, dtype=np.float64):
    net = nnlib_network([2, MB_HIDDEN, MB_HIDDEN, MB_C], Adam(MB_LR), dtype)
    return net.fit(X, y, epochs, batch_size=MB_BATCH, rng=0, verbose=False).loss[-1]


# --------------------------------------------------------------------------- timing


def time_all(runners, X, y, steps, repeats):
    """Median time per runner, runs interleaved (round robin)."""
    times = {name: [] for name in runners}
    losses = {}
    for _ in range(repeats):
        for name, fn in runners.items():
            t0 = time.perf_counter()
            losses[name] = fn(X, y, steps)
            times[name].append(time.perf_counter() - t0)
    return {name: (statistics.median(ts), min(ts), max(ts), losses[name]) for name, ts in times.items()}


def seed_float32_time(steps, repeats):
    """Median time of the tutorial's loop as it ran, after nnfs.init().

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


def print_results(results, reference):
    ref = results[reference][0]
    print(f"  {'contestant':<28} {'median':>8} {'(min - max)':>17}  {'final loss':>10}  time / {reference}")
    for name, (med, lo, hi, loss) in results.items():
        print(f"  {name:<28} {med:7.3f}s  ({lo:6.3f} - {hi:6.3f})  {loss:10.4f}  {med / ref:6.2f}")


def matmul_peak(dtype, n=1536, repeats=5):
    """GFLOP/s of the best of ``repeats`` ``(n, n) @ (n, n)`` products in ``dtype``."""
    rng = np.random.default_rng(0)
    a = rng.standard_normal((n, n)).astype(dtype)
    b = rng.standard_normal((n, n)).astype(dtype)
    a @ b  # warm up the BLAS threads
    best = min(_timed(lambda: a @ b) for _ in range(repeats))
    return 2 * n**3 / best / 1e9


def _timed(fn):
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def _seconds_per_step(net, X, y, budget):
    """Time per step of ``net.fit``, without fit's one-off work (its checks and the
    first forward pass): the difference between fitting 2s and s steps, divided by s."""

    def fit(steps):
        return _timed(lambda: net.fit(X, y, steps, verbose=False))

    fit(1)  # warm up
    steps = max(2, int(budget / max(fit(1), 1e-6)))
    return max(min(fit(2 * steps) for _ in range(3)) - min(fit(steps) for _ in range(3)), 1e-9) / steps


def scaling_table(batches, widths, dtype, budget=0.25):
    """nnlib's time per full-batch step of a 2-W-W-2 network, and its FLOP rate."""
    peak = matmul_peak(dtype)
    print(f"\n{np.dtype(dtype).name}: matrix-multiply peak {peak:.1f} GFLOP/s "
          "(best (1536 x 1536) @ (1536 x 1536)); each cell: time per step, GFLOP/s, % of peak")
    print("  " + f"{'batch':>6}" + "".join(f"{f'width {w}':>26}" for w in widths))
    for n in batches:
        cells = []
        X, y = nnlib.data.spiral(n // 2, 2, seed=1)
        for w in widths:
            sizes = [2, w, w, 2]
            # Forward X W, backward X^T dZ and dZ W^T (not for the first layer): 2 N n_in n_out each.
            flops = sum(6 * n * a * b for a, b in zip(sizes[:-1], sizes[1:], strict=True)) - 2 * n * 2 * w
            seconds = _seconds_per_step(nnlib_network(sizes, SGD(0.01), dtype), X, y, budget)
            rate = flops / seconds / 1e9
            cells.append(f"{seconds * 1e3:8.3f} ms {rate:6.1f} {100 * rate / peak:5.1f}%")
        print("  " + f"{n:>6}" + "".join(f"{c:>26}" for c in cells))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--steps", type=int, default=3000, help="full-batch steps (default 3000)")
    ap.add_argument("--epochs", type=int, default=20, help="mini-batch epochs (default 20)")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--quick", action="store_true", help="fewer steps and repeats, for a smoke test")
    ap.add_argument("--no-seed-float32", dest="seed_float32", action="store_false",
                    help="skip timing the tutorial's loop after nnfs.init() (float32, patched np.dot)")
    ap.add_argument("--no-scaling", dest="scaling", action="store_false", help="skip the scaling table")
    args = ap.parse_args(argv)
    if args.quick:
        args.steps, args.epochs, args.repeats = 300, 2, 2
    torch = torch_module()
    print(f"NumPy {np.__version__}" + (f", PyTorch {torch.__version__} ({torch.get_num_threads()} threads)"
                                       if torch else ", PyTorch not installed"))
    print(f"before: {load()}")

    # 1. Full batch.
    X, y = data()
    runners = {
        "seed (float64)": run_seed,
        "nnlib float64": run_nnlib,
        "fused float64": run_fused,
        "fused-multiply float64": run_fused_multiply,
        "nnlib float32": lambda X, y, s: run_nnlib(X, y, s, np.float32),
        "fused float32": lambda X, y, s: run_fused(X, y, s, np.float32),
        "fused-multiply float32": lambda X, y, s: run_fused_multiply(X, y, s, np.float32),
    }
    if torch is not None:
        runners["torch float64"] = torch_full_batch(torch, torch.float64)
        runners["torch float32"] = torch_full_batch(torch, torch.float32)
    print(f"\n1. Full batch: spiral({S}, {C}), 2-{HIDDEN}-{HIDDEN}-{C} ReLU + softmax, "
          f"{args.steps} steps of SGD({LR}); median of {args.repeats} interleaved runs")
    full = time_all(runners, X, y, args.steps, args.repeats)
    if args.seed_float32:
        t32 = seed_float32_time(args.steps, args.repeats)
        full["seed after nnfs.init()"] = (t32, t32, t32, float("nan"))
    print_results(full, "nnlib float64")
    t = {k: v[0] for k, v in full.items()}
    print("  ratios:")
    print(f"    nnlib float64 / fused float64 = {t['nnlib float64'] / t['fused float64']:.3f}"
          "  (target <= 1.05)")
    print(f"    nnlib float32 / fused float32 = {t['nnlib float32'] / t['fused float32']:.3f}"
          "  (target <= 1.10)")
    print(f"    nnlib / fused-multiply        = {t['nnlib float64'] / t['fused-multiply float64']:.3f}"
          f" (float64), {t['nnlib float32'] / t['fused-multiply float32']:.3f} (float32)")
    print(f"    float64 / float32 for nnlib   = {t['nnlib float64'] / t['nnlib float32']:.2f}x")
    print(f"    seed / nnlib float64          = {t['seed (float64)'] / t['nnlib float64']:.2f}x")
    if torch is not None:
        print(f"    torch float32 / nnlib float32 = {t['torch float32'] / t['nnlib float32']:.2f}x"
              "  (target >= 1: nnlib at least as fast)")
        print(f"    torch float64 / nnlib float64 = {t['torch float64'] / t['nnlib float64']:.2f}x")

    # 2. Mini-batch.
    Xm, ym = nnlib.data.spiral(MB_S, MB_C, seed=0)
    steps_per_epoch = -(-len(Xm) // MB_BATCH)
    runners = {
        "nnlib float64": run_nnlib_minibatch,
        "nnlib float32": lambda X, y, e: run_nnlib_minibatch(X, y, e, np.float32),
    }
    if torch is not None:
        runners["torch float32"] = torch_minibatch(torch, torch.float32)
        runners["torch float64"] = torch_minibatch(torch, torch.float64)
    print(f"\n2. Mini-batch: spiral({MB_S}, {MB_C}), 2-{MB_HIDDEN}-{MB_HIDDEN}-{MB_C}, "
          f"batches of {MB_BATCH}, Adam({MB_LR}), {args.epochs} epochs = "
          f"{args.epochs * steps_per_epoch} steps; "
          f"median of {args.repeats} interleaved runs")
    mini = time_all(runners, Xm, ym, args.epochs, args.repeats)
    print_results(mini, "nnlib float64")
    m = {k: v[0] for k, v in mini.items()}
    per_step = {k: v / (args.epochs * steps_per_epoch) * 1e6 for k, v in m.items()}
    print("  per step: " + ", ".join(f"{k} {v:.0f} us" for k, v in per_step.items()))
    if torch is not None:
        print("  ratios:")
        print(f"    torch float32 / nnlib float64 = {m['torch float32'] / m['nnlib float64']:.2f}x"
              "  (target >= 2)")
        print(f"    torch float32 / nnlib float32 = {m['torch float32'] / m['nnlib float32']:.2f}x")
        print(f"    torch float64 / nnlib float64 = {m['torch float64'] / m['nnlib float64']:.2f}x")

    # 3. Scaling.
    if args.scaling:
        print("\n3. Scaling: nnlib, full-batch SGD steps of a 2-W-W-2 ReLU network on N spiral points")
        batches = [32, 256, 2048] if not args.quick else [32, 256]
        widths = [64, 256, 1024] if not args.quick else [64, 256]
        for dtype in (np.float64, np.float32):
            scaling_table(batches, widths, dtype, budget=0.25 if not args.quick else 0.05)
    print(f"\nafter: {load()}")


if __name__ == "__main__":
    main()
