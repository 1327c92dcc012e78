"""Figures for the book, drawn with matplotlib.

Every function draws on an ``ax`` you pass (or a new one) and returns it, so a
chapter can add titles, combine panels and caption the figure. matplotlib is
imported only when a function is called, so ``import nnlib`` stays light.

Classes have one colour everywhere: :data:`CLASS_COLORS`, matplotlib's
``tab10`` order (class 0 ``tab:blue``, 1 ``tab:orange``, 2 ``tab:green``, ...).
Use it in hand-made figures too, e.g. ``ax.scatter(..., color=CLASS_COLORS[c])``.
"""

from __future__ import annotations

import numpy as np

from ._checks import as_float_array

#: One colour per class, for the regions and the points of every decision-boundary
#: figure: matplotlib's "tab10" colours, in its order (tab:blue, tab:orange,
#: tab:green, tab:red, tab:purple, tab:brown, tab:pink, tab:gray, tab:olive, tab:cyan).
CLASS_COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")


def _axes(ax, figsize=(6, 4)):
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=figsize)
    return ax


def loss_curve(history, ax=None, *, label=None, xlabel="epoch", ylabel="loss", logy=False, **kwargs):
    """Plot a loss curve from a :class:`~nnlib.network.History` or a sequence.

    Point ``i`` is drawn at ``x = i + 1``. A ``History`` holds one loss per epoch
    (the mean over the epoch's mini-batches), hence the default ``xlabel``; for
    a list with one loss per update, say so: ``xlabel="step"``. Label the y-axis
    with what the loss *is* (e.g. "sum of squared errors"), not a generic word.
    """
    values = history.loss if hasattr(history, "loss") else list(history)
    ax = _axes(ax)
    ax.plot(np.arange(1, len(values) + 1), values, label=label, **kwargs)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if logy:
        ax.set_yscale("log")
    if label is not None:
        ax.legend()
    return ax


def decision_boundary(predict, X, y, ax=None, *, resolution=200, margin=0.1, legend=False,
                      colors=None):
    """Shade the class a model predicts over the plane, with the data on top.

    ``predict`` is a function (or anything with ``.predict``) mapping ``(M, 2)``
    points to ``(M, C)`` probabilities (class = argmax) or ``(M, 1)`` outputs
    (class 1 where the output is above 0.5). ``y`` holds the labels of ``X``:
    ``(N,)`` integers, ``(N, 1)`` zeros and ones, or one-hot ``(N, C)``. The grid
    spans **each axis's own** range: ``X[:, 0]`` for the horizontal axis and
    ``X[:, 1]`` for the vertical one, each widened by ``margin``.

    Class ``c`` is drawn in ``CLASS_COLORS[c]``, light for its region and full
    for its points, in every figure (or in ``colors[c]`` if you pass a list).
    ``legend=True`` adds a key "class 0", "class 1", ...; pass a list of names
    instead, e.g. ``legend=["XOR = 0", "XOR = 1"]``, to label the classes. The
    key goes where it hides the fewest points; move it with
    ``ax.get_legend().set_loc("lower right")``.
    """
    X = as_float_array(X, "X", ndim=2)
    if X.shape[1] != 2:
        raise ValueError(f"decision_boundary draws 2-D inputs; X has shape {X.shape}.")
    fn = predict.predict if hasattr(predict, "predict") else predict
    x0_min, x0_max = X[:, 0].min() - margin, X[:, 0].max() + margin
    x1_min, x1_max = X[:, 1].min() - margin, X[:, 1].max() + margin
    g0, g1 = np.meshgrid(
        np.linspace(x0_min, x0_max, resolution), np.linspace(x1_min, x1_max, resolution)
    )
    out = np.asarray(fn(np.column_stack([g0.ravel(), g1.ravel()])))
    if out.ndim == 2 and out.shape[1] > 1:
        classes = out.argmax(axis=1)
        n_classes = out.shape[1]
    else:
        classes = (out.reshape(-1) > 0.5).astype(int)
        n_classes = 2
    labels = np.asarray(y).reshape(len(X), -1)
    labels = labels.argmax(axis=1) if labels.shape[1] > 1 else labels[:, 0]
    if not np.all(labels == np.round(labels)) or labels.min() < 0:
        raise ValueError("y must hold class labels 0, 1, 2, ... (or one-hot rows); got values "
                         f"{np.unique(labels)[:5].tolist()}.")
    labels = labels.astype(int)
    n_classes = max(n_classes, int(labels.max()) + 1)
    colors = CLASS_COLORS if colors is None else tuple(colors)
    if n_classes > len(colors):
        raise ValueError(f"{n_classes} classes but only {len(colors)} colours; pass colors=[...] "
                         "with one colour per class.")
    names = None
    if legend is True:
        names = [f"class {c}" for c in range(n_classes)]
    elif legend is not False and legend is not None:
        names = [str(name) for name in legend]
        if len(names) != n_classes:
            raise ValueError(f"legend has {len(names)} names but the plot has {n_classes} classes.")
    ax = _axes(ax, figsize=(5, 5))
    levels = np.arange(n_classes + 1) - 0.5  # band c is (c - 0.5, c + 0.5): class c
    ax.contourf(g0, g1, classes.reshape(g0.shape), levels=levels, colors=list(colors[:n_classes]),
                alpha=0.3)
    ax.scatter(X[:, 0], X[:, 1], c=[colors[c] for c in labels], s=12, edgecolors="k", linewidths=0.3)
    if names is not None:
        from matplotlib.lines import Line2D

        handles = [Line2D([], [], linestyle="", marker="o", markersize=6, markerfacecolor=colors[c],
                          markeredgecolor="k", markeredgewidth=0.3, label=name)
                   for c, name in enumerate(names)]
        ax.legend(handles=handles, framealpha=0.9)
    ax.set_xlim(x0_min, x0_max)
    ax.set_ylim(x1_min, x1_max)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_aspect("equal")
    return ax


def draw_network(layer_sizes, ax=None, *, layer_names=None, show_bias=False, max_nodes=10,
                 node_labels=None, gap_labels=None, edge_labels=None):
    """Draw a fully connected network: one column of circles per layer.

    ``layer_sizes`` such as ``[3, 4, 1]`` (the XOR tutorial's network). Layers larger than
    ``max_nodes`` are drawn with ``max_nodes`` circles and a "⋮" marking the rest.
    ``show_bias`` adds a "+1" node to every layer but the last.

    Labels, all optional:

    * ``node_labels``: one list of strings per layer, written inside the circles (``None`` in the
      outer list leaves a layer unlabelled);
    * ``gap_labels``: one string per gap between two layers, written above the gap, for example the
      name and shape of the weight matrix that connects them;
    * ``edge_labels``: a dict ``{(gap, k, j): text}`` (all counted from 0). The edge from node ``k`` of
      layer ``gap`` to node ``j`` of layer ``gap + 1``, which carries the weight ``W[k, j]`` of that
      gap's ``(n_in, n_out)`` matrix, is drawn in colour and labelled.
    """
    sizes = [int(s) for s in layer_sizes]
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"layer_sizes needs at least two positive sizes, got {layer_sizes!r}.")
    if gap_labels is not None and len(gap_labels) != len(sizes) - 1:
        raise ValueError(f"gap_labels needs one label per gap between layers ({len(sizes) - 1}), "
                         f"got {len(gap_labels)}.")
    if node_labels is not None and len(node_labels) != len(sizes):
        raise ValueError(f"node_labels needs one list (or None) per layer ({len(sizes)}), "
                         f"got {len(node_labels)}.")
    shown = [min(s, max_nodes) for s in sizes]
    edge_labels = dict(edge_labels or {})
    for gap, k, j in edge_labels:
        if not (0 <= gap < len(sizes) - 1 and 0 <= k < shown[gap] and 0 <= j < shown[gap + 1]):
            raise ValueError(f"edge_labels key {(gap, k, j)!r} names no drawn edge: gap must be in "
                             f"0..{len(sizes) - 2}, k and j must index circles of the two layers (from 0).")
    ax = _axes(ax, figsize=(1.8 * len(sizes) + 1, 4))
    if layer_names is None:
        layer_names = ["input"] + [f"hidden {i}" for i in range(1, len(sizes) - 1)] + ["output"]
    tallest = max(shown) + (1 if show_bias else 0)
    positions = []
    for li, n in enumerate(shown):
        ys = np.linspace(0, 1, n + 2)[1:-1] if n > 1 else np.array([0.5])
        ys = 0.5 + (ys - 0.5) * (n / tallest)
        positions.append([(li, yy) for yy in ys[::-1]])
    for li in range(len(sizes) - 1):
        for k, (x0, y0) in enumerate(positions[li]):
            for j, (x1, y1) in enumerate(positions[li + 1]):
                if (li, k, j) not in edge_labels:
                    ax.plot([x0, x1], [y0, y1], color="0.6", lw=0.7, zorder=1)
        for (gap, k, j), text in edge_labels.items():
            if gap != li:
                continue
            (x0, y0), (x1, y1) = positions[li][k], positions[li + 1][j]
            ax.plot([x0, x1], [y0, y1], color="tab:red", lw=2.2, zorder=1.5)
            ax.annotate(text, (x0 + 0.35 * (x1 - x0), y0 + 0.35 * (y1 - y0)), ha="center", va="center",
                        fontsize=10, color="tab:red", zorder=3,
                        bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "tab:red", "lw": 0.8})
        if show_bias:
            by = 0.5 - 0.5 * (shown[li] + 1) / tallest + 0.02
            for x1, y1 in positions[li + 1]:
                ax.plot([li, x1], [by, y1], color="tab:orange", lw=0.7, ls="--", zorder=1)
            ax.scatter([li], [by], s=500, color="white", edgecolors="tab:orange", zorder=2)
            ax.annotate("+1", (li, by), ha="center", va="center", fontsize=9, color="tab:orange")
        if gap_labels is not None:
            ax.annotate(gap_labels[li], (li + 0.5, 1.02), ha="center", va="bottom", fontsize=10)
    for li, pos in enumerate(positions):
        xs, ys = zip(*pos, strict=True)
        ax.scatter(xs, ys, s=500, color="white", edgecolors="k", zorder=2)
        if node_labels is not None and node_labels[li] is not None:
            for (xn, yn), text in zip(pos, node_labels[li], strict=False):
                ax.annotate(text, (xn, yn), ha="center", va="center", fontsize=9, zorder=3)
        if sizes[li] > shown[li]:
            ax.annotate("⋮", (li, min(ys) - 0.06), ha="center", va="center", fontsize=14)
        ax.annotate(f"{layer_names[li]}\n({sizes[li]})", (li, 1.02), ha="center", va="bottom", fontsize=9)
    ax.set_xlim(-0.5, len(sizes) - 0.5)
    ax.set_ylim(-0.05, 1.15)
    ax.axis("off")
    return ax


def draw_neuron(inputs, weights, bias, ax=None, *, activation=None, activation_name="f",
                show_parts=False):
    """Draw one neuron: inputs, weighted edges, the sum with its bias, and optionally the activation.

    Input ``k`` is labelled ``x_k`` and its edge ``w_k``, with the numbers filled in, and the neuron
    shows ``sum + b``, so the figure *is* the arithmetic: ``z = x . w + b``. Edges are blue for
    positive weights, red for negative ones, thicker for larger ``|w|``.

    ``activation``:

    * ``None``: the figure stops at the weighted sum ``z``;
    * a string such as ``"ReLU"``: written under ``z`` as a label;
    * a function of one number: drawn as a box named ``activation_name`` after ``z``, followed by the
      output ``a = f(z)`` with its value.

    ``show_parts=True`` names the parts (inputs, weights, sum plus bias, weighted sum, activation,
    output) along the bottom of the figure.
    """
    x = np.asarray(inputs, dtype=float).ravel()
    w = np.asarray(weights, dtype=float).ravel()
    if x.shape != w.shape:
        raise ValueError(f"{x.size} inputs but {w.size} weights: a neuron needs one weight per input.")
    if activation is not None and not (isinstance(activation, str) or callable(activation)):
        raise TypeError(f"activation must be None, a name or a function of one number, "
                        f"got {type(activation).__name__}.")
    z = float(x @ w + float(bias))
    draw_f = callable(activation)
    ax = _axes(ax, figsize=(8, 3.5) if draw_f else (6, 3.5))
    n = x.size
    ys = np.linspace(0.9, 0.1, n) if n > 1 else np.array([0.5])
    for k, (xk, wk, yk) in enumerate(zip(x, w, ys, strict=True), start=1):
        ax.annotate(f"$x_{{{k}}} = {xk:g}$", (0.0, yk), ha="center", va="center",
                    bbox={"boxstyle": "round,pad=0.4", "fc": "white", "ec": "k"})
        ax.annotate("", xy=(0.62, 0.5), xytext=(0.1, yk),
                    arrowprops={"arrowstyle": "->", "color": "tab:blue" if wk >= 0 else "tab:red",
                                "lw": 0.8 + 2 * abs(wk)})
        ax.annotate(f"$w_{{{k}}} = {wk:g}$", (0.33, 0.5 + (yk - 0.5) * 0.56 + 0.05), ha="center",
                    va="center", fontsize=9, color="tab:blue" if wk >= 0 else "tab:red",
                    bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.85})
    ax.annotate(f"$\\Sigma$ + b\n$b = {float(bias):g}$", (0.7, 0.5), ha="center", va="center",
                bbox={"boxstyle": "circle,pad=0.6", "fc": "lightyellow", "ec": "k"})
    if not draw_f:
        out_label = f"$z = {z:.4g}$" if activation is None else f"$z = {z:.4g}$\n{activation}"
        ax.annotate("", xy=(1.0, 0.5), xytext=(0.8, 0.5), arrowprops={"arrowstyle": "->"})
        ax.annotate(out_label, (1.05, 0.5), ha="left", va="center")
        ax.set_xlim(-0.1, 1.3)
    else:
        a = float(activation(z))
        ax.annotate("", xy=(1.12, 0.5), xytext=(0.8, 0.5), arrowprops={"arrowstyle": "->"})
        ax.annotate(f"$z = {z:.4g}$", (0.96, 0.55), ha="center", va="bottom")
        ax.annotate(activation_name, (1.2, 0.5), ha="center", va="center", fontsize=13,
                    bbox={"boxstyle": "square,pad=0.5", "fc": "lavender", "ec": "k"})
        ax.annotate("", xy=(1.55, 0.5), xytext=(1.28, 0.5), arrowprops={"arrowstyle": "->"})
        ax.annotate(f"$a = {a:.4g}$", (1.6, 0.5), ha="left", va="center")
        ax.set_xlim(-0.1, 1.85)
    if show_parts:
        parts = [(0.0, "inputs"), (0.33, "weights"), (0.7, "sum\nplus bias")]
        parts += ([(0.96, "weighted\nsum"), (1.2, "activation"), (1.64, "output")] if draw_f
                  else [(1.1, "weighted\nsum")])
        for xpos, name in parts:
            ax.annotate(name, (xpos, -0.06), ha="center", va="top", fontsize=9, color="0.35",
                        annotation_clip=False)
    ax.set_ylim(-0.15 if show_parts else 0, 1)
    ax.axis("off")
    return ax
