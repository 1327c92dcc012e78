"""Tests for nnlib.plot (drawn off-screen with the Agg backend, set in conftest.py)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.colors import to_hex, to_rgb

from nnlib import Dense, History, Network, SoftmaxCrossEntropy, plot


def _node_count(ax):
    """Circles drawn by scatter calls (one offset per node)."""
    return sum(len(c.get_offsets()) for c in ax.collections if isinstance(c, PathCollection))


def _texts(ax):
    return [t.get_text() for t in ax.texts]


# --------------------------------------------------------------------------- loss_curve


def test_loss_curve_from_history():
    history = History(loss=[3.0, 2.0, 1.5, 1.2])
    ax = plot.loss_curve(history, ylabel="sum of squared errors")
    assert isinstance(ax, Axes)
    assert ax.get_xlabel() == "epoch"  # a History holds one (mean) loss per epoch
    assert ax.get_ylabel() == "sum of squared errors"
    (line,) = ax.get_lines()
    np.testing.assert_array_equal(line.get_xdata(), [1, 2, 3, 4])  # epochs count from 1
    np.testing.assert_array_equal(line.get_ydata(), [3.0, 2.0, 1.5, 1.2])


def test_loss_curve_from_a_list_on_a_given_axes_with_log_scale_and_legend():
    _, ax = plt.subplots()
    out = plot.loss_curve([1.0, 0.1, 0.01], ax=ax, label="SGD", logy=True)
    assert out is ax
    assert ax.get_yscale() == "log"
    assert ax.get_ylabel() == "loss" and ax.get_xlabel()
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["SGD"]


def test_loss_curve_x_label_for_per_step_losses():
    ax = plot.loss_curve([2.0, 1.0, 0.5], xlabel="step (mini-batch update)")
    assert ax.get_xlabel() == "step (mini-batch update)"


# --------------------------------------------------------------------------- CLASS_COLORS


def test_class_colors_are_tab10_in_order():
    names = ["blue", "orange", "green", "red", "purple", "brown", "pink", "gray", "olive", "cyan"]
    assert [to_hex(c) for c in plot.CLASS_COLORS] == [to_hex(f"tab:{n}") for n in names]
    assert [to_hex(c) for c in plot.CLASS_COLORS] == [to_hex(c) for c in colormaps["tab10"].colors]


def _thirds(points):
    """Class 0, 1, 2 for the left, middle and right third of [0, 3] x [0, 1]."""
    c = np.clip(points[:, 0].astype(int), 0, 2)
    return np.eye(3)[c]


def _pixel(ax, x, y):
    """RGB (0..1) of the rendered figure at data point (x, y)."""
    fig = ax.figure
    fig.canvas.draw()
    img = np.asarray(fig.canvas.buffer_rgba())[..., :3] / 255
    px, py = ax.transData.transform((x, y))
    return img[int(round(img.shape[0] - py)), int(round(px))]


def test_regions_and_points_use_the_class_colors():
    # Points only along the bottom edge, so the middle of each third shows the region alone.
    X = np.array([[0.5, 0.0], [1.5, 0.0], [2.5, 0.0], [0.0, 1.0], [3.0, 0.0]])
    y = np.array([0, 1, 2, 0, 2])
    _, ax = plt.subplots(figsize=(6, 2), dpi=100)
    plot.decision_boundary(_thirds, X, y, ax=ax, margin=0.0, resolution=90)
    for c, x in enumerate([0.5, 1.5, 2.5]):
        expected = 0.3 * np.array(to_rgb(plot.CLASS_COLORS[c])) + 0.7  # alpha 0.3 over white
        np.testing.assert_allclose(_pixel(ax, x, 0.6), expected, atol=0.02)
    (points,) = [col for col in ax.collections if isinstance(col, PathCollection)]
    np.testing.assert_allclose(points.get_facecolors()[:, :3], [to_rgb(plot.CLASS_COLORS[c]) for c in y])


def test_a_class_keeps_its_color_whatever_the_number_of_classes():
    X = np.array([[0.0, 0.0], [1.0, 1.0], [0.0, 1.0], [1.0, 0.0]])
    binary = plot.decision_boundary(lambda P: P[:, :1], X, np.array([[0], [1], [1], [0]]), resolution=20)
    three = plot.decision_boundary(lambda P: np.column_stack([P, 0 * P[:, :1]]), X, np.array([0, 1, 2, 1]),
                                   resolution=20)
    for ax, labels in ((binary, [0, 1, 1, 0]), (three, [0, 1, 2, 1])):
        (points,) = [col for col in ax.collections if isinstance(col, PathCollection)]
        np.testing.assert_allclose(points.get_facecolors()[:, :3],
                                   [to_rgb(plot.CLASS_COLORS[c]) for c in labels])
    assert not binary.get_legend() and not three.get_legend()  # legend is off by default


@pytest.mark.parametrize(("legend", "texts"), [
    (True, ["class 0", "class 1", "class 2"]),
    (["setosa", "versicolor", "virginica"], ["setosa", "versicolor", "virginica"]),
])
def test_decision_boundary_legend(legend, texts):
    X = np.array([[0.5, 0.5], [1.5, 0.5], [2.5, 0.5]])
    ax = plot.decision_boundary(_thirds, X, np.array([0, 1, 2]), legend=legend, resolution=30)
    key = ax.get_legend()
    assert [t.get_text() for t in key.get_texts()] == texts
    colors = [to_hex(h.get_markerfacecolor()) for h in key.legend_handles]
    assert colors == [to_hex(c) for c in plot.CLASS_COLORS[:3]]


def test_decision_boundary_legend_and_colors_must_fit_the_classes():
    X = np.array([[0.5, 0.5], [1.5, 0.5], [2.5, 0.5]])
    with pytest.raises(ValueError, match="legend has 2 names but the plot has 3 classes"):
        plot.decision_boundary(_thirds, X, np.array([0, 1, 2]), legend=["a", "b"], resolution=10)
    with pytest.raises(ValueError, match="11 classes but only 10 colours"):
        plot.decision_boundary(lambda P: np.zeros((len(P), 11)), X, np.array([0, 1, 2]), resolution=10)
    ax = plot.decision_boundary(_thirds, X, np.array([0, 1, 2]), colors=["k", "r", "b"], resolution=10)
    (points,) = [col for col in ax.collections if isinstance(col, PathCollection)]
    np.testing.assert_allclose(points.get_facecolors()[:, :3], [to_rgb(c) for c in "krb"])


def test_decision_boundary_refuses_labels_that_are_not_classes():
    X = np.array([[0.5, 0.5], [1.5, 0.5], [2.5, 0.5]])
    with pytest.raises(ValueError, match="class labels"):
        plot.decision_boundary(_thirds, X, np.array([0.0, 0.5, 1.0]), resolution=10)
    with pytest.raises(ValueError, match="class labels"):
        plot.decision_boundary(_thirds, X, np.array([0, -1, 2]), resolution=10)


# --------------------------------------------------------------------------- decision_boundary


def test_decision_boundary_grid_spans_each_axis_own_range():
    rng = np.random.default_rng(0)
    X = np.column_stack([rng.uniform(0, 1, 50), rng.uniform(10, 20, 50)])
    X[0], X[1] = [0.0, 10.0], [1.0, 20.0]  # exact extremes: x0 in [0, 1], x1 in [10, 20]
    y = (X[:, 0] > 0.5).astype(int)
    seen = []

    def predict(points):
        seen.append(points)
        p1 = (points[:, 0] > 0.5).astype(float)
        return np.column_stack([1 - p1, p1])

    margin = 0.1
    ax = plot.decision_boundary(predict, X, y, margin=margin, resolution=50)
    ax.figure.canvas.draw()  # let matplotlib apply the aspect ratio, then read the limits
    assert isinstance(ax, Axes)
    assert ax.get_xlim() == pytest.approx((0.0 - margin, 1.0 + margin))
    assert ax.get_ylim() == pytest.approx((10.0 - margin, 20.0 + margin))
    (grid,) = seen
    assert grid.shape == (50 * 50, 2)
    assert grid[:, 0].min() == pytest.approx(-margin) and grid[:, 0].max() == pytest.approx(1 + margin)
    assert grid[:, 1].min() == pytest.approx(10 - margin) and grid[:, 1].max() == pytest.approx(20 + margin)
    assert ax.get_xlabel() and ax.get_ylabel() and ax.get_xlabel() != ax.get_ylabel()


def test_decision_boundary_accepts_a_network_and_binary_outputs():
    X = np.array([[0.0, 0.0], [1.0, 1.0], [0.0, 1.0], [1.0, 0.0]])
    net = Network([Dense(2, 3, rng=0)], SoftmaxCrossEntropy())
    ax = plot.decision_boundary(net, X, np.array([0, 1, 2, 0]), resolution=20)
    assert isinstance(ax, Axes) and ax.get_xlabel() and ax.get_ylabel()
    ax2 = plot.decision_boundary(lambda P: P[:, :1], X, np.array([[0], [1], [1], [0]]),
                                 resolution=20)
    assert isinstance(ax2, Axes)


def test_decision_boundary_needs_two_features():
    with pytest.raises(ValueError, match=r"2-D inputs.*\(4, 3\)"):
        plot.decision_boundary(lambda P: P, np.zeros((4, 3)), np.zeros(4, dtype=int))


# --------------------------------------------------------------------------- draw_network


def test_draw_network_seed_000_shape():
    ax = plot.draw_network([3, 4, 1])
    assert isinstance(ax, Axes)
    assert _node_count(ax) == 3 + 4 + 1
    assert len(ax.get_lines()) == 3 * 4 + 4 * 1  # one edge per weight
    texts = _texts(ax)
    assert "input\n(3)" in texts and "hidden 1\n(4)" in texts and "output\n(1)" in texts


def test_draw_network_with_bias_nodes():
    ax = plot.draw_network([3, 4, 1], show_bias=True, layer_names=["x", "h", "y"])
    assert _node_count(ax) == 8 + 2  # a "+1" node for every layer but the last
    assert len(ax.get_lines()) == 16 + 4 + 1  # plus one edge per bias
    assert _texts(ax).count("+1") == 2
    assert "h\n(4)" in _texts(ax)


def test_draw_network_caps_large_layers():
    ax = plot.draw_network([2, 64, 3], max_nodes=10)
    assert _node_count(ax) == 2 + 10 + 3
    assert "⋮" in _texts(ax) and "hidden 1\n(64)" in _texts(ax)


@pytest.mark.parametrize("sizes", [[3], [3, 0], [2, -1, 1]])
def test_draw_network_bad_sizes(sizes):
    with pytest.raises(ValueError, match="at least two positive sizes"):
        plot.draw_network(sizes)


def test_draw_network_labels_nodes_gaps_and_one_edge_per_weight():
    ax = plot.draw_network([4, 3], node_labels=[["$x_1$", "$x_2$", "$x_3$", "$x_4$"], None],
                           gap_labels=["$W$: (4, 3)"], edge_labels={(0, 2, 0): "$W_{31}$"})
    texts = _texts(ax)
    assert "$W$: (4, 3)" in texts and "$W_{31}$" in texts and "$x_4$" in texts
    lines = ax.get_lines()
    assert len(lines) == 4 * 3  # still one edge per weight, the labelled one included
    red = [line for line in lines if line.get_color() == "tab:red"]
    assert len(red) == 1
    # the labelled edge runs from input 3 (k = 2, the third circle from the top) to neuron 1 (j = 0)
    (x0, x1), (y0, y1) = red[0].get_xdata(), red[0].get_ydata()
    inputs_y = sorted({line.get_ydata()[0] for line in lines}, reverse=True)
    neurons_y = sorted({line.get_ydata()[1] for line in lines}, reverse=True)
    assert (x0, x1) == (0, 1) and y0 == inputs_y[2] and y1 == neurons_y[0]


@pytest.mark.parametrize("kwargs, message", [
    ({"gap_labels": ["a", "b"]}, "one label per gap"),
    ({"node_labels": [["a"]]}, "one list"),
    ({"edge_labels": {(1, 0, 0): "w"}}, "names no drawn edge"),
    ({"edge_labels": {(0, 4, 0): "w"}}, "names no drawn edge"),
])
def test_draw_network_rejects_labels_that_do_not_fit(kwargs, message):
    with pytest.raises(ValueError, match=message):
        plot.draw_network([4, 3], **kwargs)


# --------------------------------------------------------------------------- draw_neuron


def test_draw_neuron_shows_the_arithmetic():
    # The spiral tutorial's neuron: 7*0.1 + 3*(-0.6) + 2*0.5 + 1 = 0.9 (by hand).
    ax = plot.draw_neuron([7, 3, 2], [0.1, -0.6, 0.5], 1.0)
    assert isinstance(ax, Axes)
    texts = " ".join(_texts(ax))
    assert "$z = 0.9$" in texts
    for label in ("$x_{1} = 7$", "$x_{2} = 3$", "$x_{3} = 2$", "$w_{1} = 0.1$", "$w_{2} = -0.6$",
                  "$b = 1$"):
        assert label in texts
    ax2 = plot.draw_neuron([1, 2], [3, 4], 0, activation="ReLU")
    assert "$z = 11$\nReLU" in _texts(ax2)


def test_draw_neuron_draws_the_activation_and_its_output():
    # 1*3 + 2*(-4) + 0 = -5 by hand; the step gives 0 and ReLU gives 0, the identity -5.
    ax = plot.draw_neuron([1, 2], [3, -4], 0, activation=lambda z: float(z > 0), activation_name="step")
    texts = _texts(ax)
    assert "$z = -5$" in texts and "step" in texts and "$a = 0$" in texts
    ax2 = plot.draw_neuron([1, 2], [3, -4], 0.5, activation=lambda z: z)
    assert "$a = -4.5$" in _texts(ax2) and "f" in _texts(ax2)


def test_draw_neuron_rejects_an_activation_that_is_neither_name_nor_function():
    with pytest.raises(TypeError, match="activation must be None, a name or a function"):
        plot.draw_neuron([1, 2], [3, 4], 0, activation=3)


def test_draw_neuron_rejects_mismatched_inputs_and_weights():
    with pytest.raises(ValueError, match="3 inputs but 2 weights"):
        plot.draw_neuron([7, 3, 2], [0.1, -0.6], 1.0)


def test_draw_neuron_names_its_parts_on_request():
    ax = plot.draw_neuron([1, 2], [3, 4], 0, activation=np.tanh, show_parts=True)
    texts = _texts(ax)
    for name in ("inputs", "weights", "sum\nplus bias", "weighted\nsum", "activation", "output"):
        assert name in texts
    assert "inputs" not in _texts(plot.draw_neuron([1, 2], [3, 4], 0))
