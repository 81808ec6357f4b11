"""helpers.plotting: every function returns a titled figure with labelled axes showing the data."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers import plotting  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _assert_labelled(fig):
    """Every visible data axes has both axis labels and a title; the figure or axes has a title."""
    data_axes = [ax for ax in fig.axes if ax.axison and ax.get_label() != "<colorbar>"]
    assert data_axes, "no visible axes"
    for ax in data_axes:
        assert ax.get_xlabel() and ax.get_ylabel(), f"unlabelled axes: {ax.get_title()!r}"
        assert ax.get_title() or fig.get_suptitle(), "untitled axes"


def test_style_is_applied_on_import():
    assert plt.rcParams["axes.spines.top"] is False
    assert plt.rcParams["figure.dpi"] == 100


def test_plot_lines_draws_each_curve_with_a_legend():
    fig = plotting.plot_lines(
        [1, 2, 3], {"a": [1, 2, 3], "b": [3, 2, 1]}, xlabel="x", ylabel="y", title="t", logy=True
    )
    ax = fig.axes[0]
    assert [line.get_label() for line in ax.get_lines()] == ["a", "b"]
    assert ax.get_legend() is not None and ax.get_yscale() == "log"
    _assert_labelled(fig)
    with pytest.raises(ValueError, match="curve 'a' has 2 points but x has 3"):
        plotting.plot_lines([1, 2, 3], {"a": [1, 2]}, xlabel="x", ylabel="y", title="t")


def test_plot_history_shows_loss_and_accuracy_for_train_and_validation():
    history = {
        "loss": [2.0, 1.5, 1.2, 0.9, 0.8, 0.4],
        "epoch_loss": [1.2, 0.6, 0.35],
        "train_loss": [1.0, 0.5, 0.3],
        "val_loss": [1.1, 0.7, 0.6],
        "train_accuracy": [0.5, 0.8, 0.9],
        "val_accuracy": [0.4, 0.7, 0.8],
        "best_epoch": 3,
        "diverged": False,
    }
    fig = plotting.plot_history(history, title="run")
    loss_ax, accuracy_ax = fig.axes
    np.testing.assert_array_equal(loss_ax.get_lines()[1].get_ydata(), [1.1, 0.7, 0.6])
    np.testing.assert_allclose(accuracy_ax.get_lines()[0].get_ydata(), [50, 80, 90])
    assert [t.get_text() for t in loss_ax.get_legend().get_texts()] == ["training", "validation"]
    assert accuracy_ax.get_ylabel() == "accuracy (%)"
    _assert_labelled(fig)


def test_plot_history_draws_the_running_mean_when_the_training_set_was_not_scored():
    fig = plotting.plot_history(
        {"epoch_loss": [1.2, 0.6], "val_loss": [1.0, 0.7], "val_accuracy": [0.5, 0.6]}
    )
    loss_ax, _ = fig.axes
    assert [t.get_text() for t in loss_ax.get_legend().get_texts()] == [
        "training (running mean)",
        "validation",
    ]
    np.testing.assert_array_equal(loss_ax.get_lines()[0].get_ydata(), [1.2, 0.6])
    only_loss = plotting.plot_history({"epoch_loss": [3, 2]})
    assert len(only_loss.axes) == 1
    with pytest.raises(KeyError, match="epoch_loss"):
        plotting.plot_history({"loss": [1, 2, 3]})


def test_show_digits_marks_wrong_predictions():
    images = np.zeros((12, 784))
    labels = np.arange(12) % 10
    predictions = labels.copy()
    predictions[3] = 8
    fig = plotting.show_digits(images, labels, predictions, n_cols=6)
    titled = [ax for ax in fig.axes if ax.get_images()]
    assert len(titled) == 12
    assert titled[3].get_title() == "8/3" and titled[0].get_title() == "0"
    assert "predicted/true" in fig.get_suptitle()
    with pytest.raises(ValueError, match="square"):
        plotting.show_digits(np.zeros((2, 10)))


def test_confusion_matrix_counts_pairs():
    y_true = np.array([0, 0, 1, 2, 2, 2])
    y_pred = np.array([0, 1, 1, 2, 2, 0])
    fig = plotting.plot_confusion_matrix(y_true, y_pred, class_names=["a", "b", "c"])
    ax = fig.axes[0]
    counts = np.asarray(ax.get_images()[0].get_array())
    np.testing.assert_array_equal(counts, [[1, 1, 0], [0, 1, 0], [1, 0, 2]])
    assert sorted(int(t.get_text()) for t in ax.texts) == sorted(counts.ravel().tolist())
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("predicted class", "true class")


def test_decision_boundary_colours_the_plane_by_the_prediction():
    X = np.array([[-1.0, 0.0], [1.0, 0.0], [-2.0, 1.0], [2.0, -1.0]])
    y = np.array([0, 1, 0, 1])
    fig = plotting.plot_decision_boundary(
        lambda points: (points[:, 0] > 0).astype(int),
        X,
        y,
        class_names=["left", "right"],
        feature_names=("u", "v"),
    )
    ax = fig.axes[0]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("u", "v")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["left", "right"]
    _assert_labelled(fig)
    with pytest.raises(ValueError, match="2-D data"):
        plotting.plot_decision_boundary(lambda p: p[:, 0], np.zeros((3, 3)), y[:3])


def test_show_weights_draws_each_column_on_a_symmetric_scale():
    W = np.linspace(-2, 1, 784 * 5).reshape(784, 5)
    fig = plotting.show_weights(W, n_cols=3)
    images = [ax.get_images()[0] for ax in fig.axes if ax.get_images()]
    assert len(images) == 5
    assert images[0].get_clim() == (-2.0, 2.0)
    np.testing.assert_array_equal(images[4].get_array(), W[:, 4].reshape(28, 28))
    with pytest.raises(ValueError, match="784 pixels"):
        plotting.show_weights(np.zeros((100, 2)))


def test_descent_path_and_activations():
    path = np.array([[2.0, 2.0], [1.0, 1.0], [0.0, 0.0]])
    fig = plotting.plot_descent_path(lambda a, b: a**2 + 10 * b**2, {"GD": path}, xlim=(-3, 3), ylim=(-3, 3))
    line = fig.axes[0].get_lines()[0]
    np.testing.assert_array_equal(line.get_xdata(), path[:, 0])
    assert line.get_label() == "GD (2 steps)"
    _assert_labelled(fig)
    fig = plotting.plot_descent_path(
        lambda a, b: a**2 + b**2, {"GD": path}, xlim=(-3, 3), ylim=(-3, 3), levels=[0.5, 1, 2], minimum=(0, 0)
    )
    np.testing.assert_array_equal(fig.axes[0].collections[0].levels, [0.5, 1, 2])
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["GD (2 steps)", "minimum"]
    fig = plotting.plot_activations(
        {
            "tanh": (np.tanh, lambda z: 1 - np.tanh(z) ** 2),
            "relu": (lambda z: np.maximum(z, 0), lambda z: (z > 0).astype(float)),
        }
    )
    assert [ax.get_title() for ax in fig.axes] == ["tanh", "relu"]
    assert [len(ax.get_lines()) for ax in fig.axes] == [2, 2]
    _assert_labelled(fig)


def test_activation_steps_are_not_joined_by_a_vertical_line():
    fig = plotting.plot_activations({"relu": (lambda z: np.maximum(z, 0), lambda z: (z > 0).astype(float))})
    derivative = fig.axes[0].get_lines()[1].get_ydata()
    assert np.isnan(derivative).sum() == 1  # one break, at the kink
    assert not np.isnan(fig.axes[0].get_lines()[0].get_ydata()).any()  # ReLU itself is continuous


def test_draw_unrolled_rnn_draws_every_step_and_cuts_the_gradient_at_chunk_boundaries():
    fig = plotting.draw_unrolled_rnn(4)
    texts = [t.get_text() for t in fig.axes[0].texts]
    for t in range(1, 5):
        assert f"$h_{{{t}}}$" in texts and f"$x_{{{t}}}$" in texts and rf"$\hat{{Y}}_{{{t}}}$" in texts
    assert "T = 4" in fig.axes[0].get_title()
    assert not fig.axes[0].lines  # no cut markers without truncation
    truncated = plotting.draw_unrolled_rnn(8, chunk=3)
    cuts = [line for line in truncated.axes[0].lines if line.get_marker() == "x"]
    assert len(cuts) == 2 and "k = 3" in truncated.axes[0].get_title()  # boundaries after steps 3 and 6
    with pytest.raises(ValueError, match="chunk"):
        plotting.draw_unrolled_rnn(4, chunk=4)


def test_draw_engine_graph_numbers_the_nodes_in_the_given_order():
    from helpers.autodiff import Value, topological_order

    a, b = Value(2.0), Value(-3.0)
    J = a * b + a
    J.backward()
    order = topological_order(J)
    fig = plotting.draw_engine_graph(order, names={a: "a", b: "b"}, title="J = a b + a")
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert [str(i) for i in range(1, len(order) + 1)] == [t for t in texts if t.isdigit()]
    assert "a\n2.00, grad -2.00" in texts and "b\n-3.00, grad 2.00" in texts
    assert fig.axes[0].get_title() == "J = a b + a"
    assert len(fig.axes[0].patches) == len(order)  # one box per node


def test_plot_step_errors_marks_each_best_step_and_draws_the_predictions():
    steps = np.array([1e-1, 1e-2, 1e-3, 1e-4])
    measured = {"one-sided": [1e-1, 1e-2, 1e-3, 1e-2], "centred": [1e-2, 1e-4, 1e-5, 1e-3]}
    fig = plotting.plot_step_errors(
        steps, measured, {"truncation": (steps, "one-sided"), "round-off": (1e-16 / steps, None)}, title="t"
    )
    ax = fig.axes[0]
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert lines["best h, one-sided"].get_xdata()[0] == 1e-3  # the smallest error of each curve
    assert lines["best h, centred"].get_xdata()[0] == 1e-3
    assert lines["truncation"].get_color() == lines["one-sided"].get_color()
    assert lines["truncation"].get_linestyle() == ":" and lines["round-off"].get_linestyle() == "--"
    assert ax.get_xscale() == ax.get_yscale() == "log" and ax.get_legend() is not None
    assert ax.get_ylim()[0] == pytest.approx(1e-9)  # four decades below the smallest measured error
    _assert_labelled(fig)
    with pytest.raises(ValueError, match="'centred' has 3 points but there are 4 steps"):
        plotting.plot_step_errors(steps, {"centred": [1, 2, 3]}, {}, title="t")
    with pytest.raises(KeyError, match="'other', which is not measured"):
        plotting.plot_step_errors(steps, measured, {"p": (steps, "other")}, title="t")


def _texts(fig):
    return [text.get_text() for ax in fig.axes for text in ax.texts]


def test_draw_graph_writes_every_value_above_and_every_gradient_below_its_edge():
    nodes = {"x": (0.0, 0.0, "$x$", 0.3), "square": (2.0, 0.0, "$()^2$", None), "J": (4.0, 0.0, "$J$", 0.3)}
    edges = [("x", "square", "x=3", "6"), ("square", "J", "J=9", "1")]
    fig = plotting.draw_graph(nodes, edges, title="x squared")
    ax = fig.axes[0]
    texts = {text.get_text(): text for text in ax.texts}
    assert {"$x$", "$()^2$", "$J$", "x=3", "6", "J=9", "1"} <= texts.keys()
    assert texts["x=3"].get_position()[1] > 0 > texts["6"].get_position()[1]  # value above, gradient below
    assert len([child for child in ax.get_children() if type(child).__name__ == "Annotation"]) == 2
    assert ax.get_title() == "x squared" and ax.get_legend() is not None

    backwards = plotting.draw_graph(  # edges pointing left: text turned upright, value still above
        {"a": (2.0, 0.0, "a", 0.3), "b": (0.0, 0.0, "b", 0.3), "c": (0.0, -2.0, "c", 0.3)},
        [("a", "b", "up", "down"), ("a", "c", "up-left", "down-left")],
        title="t",
    )
    texts = {text.get_text(): text for text in backwards.axes[0].texts}
    assert (
        texts["up"].get_rotation() == 0
        and texts["up"].get_position()[1] > 0 > texts["down"].get_position()[1]
    )
    assert texts["up-left"].get_rotation() == pytest.approx(45)  # the edge a -> c, read left to right
    assert texts["up-left"].get_position()[1] > texts["down-left"].get_position()[1]
    with pytest.raises(KeyError, match="names the node 'y'"):
        plotting.draw_graph(nodes, [("x", "y", "", "")], title="t")


def test_draw_network_draws_every_unit_every_connection_and_the_weights():
    from matplotlib.patches import Circle

    sizes = [4, 8, 3]
    fig = plotting.draw_network(sizes, title="4-8-3", layer_names=["in", "hidden", "out"])
    ax = fig.axes[0]
    assert ax.get_title() == "4-8-3"
    assert sum(isinstance(p, Circle) for p in ax.patches) == sum(sizes)  # one circle per unit
    assert len(ax.lines) == 4 * 8 + 8 * 3  # one edge per connection
    assert [t.get_text() for t in ax.texts] == ["in", "hidden", "out"]  # no weights given: none written
    W1, W2 = np.arange(6.0).reshape(2, 3), np.arange(6.0).reshape(3, 2) / 10
    fig = plotting.draw_network(
        [2, 3, 2],
        weights=[W1, W2],
        unit_labels=[["a", "b"], ["c", "d", "e"], ["f", "g"]],
        layer_names=["in", "hidden", "out"],
        title="net",
    )
    ax = fig.axes[0]
    assert len(ax.patches) == 7 and len(ax.get_lines()) == 2 * 3 + 3 * 2
    texts = _texts(fig)
    assert {"a", "e", "g", "in", "hidden", "out"} <= set(texts)
    assert {"0", "5", "0.1", "0.5"} <= set(texts)  # the weights, formatted with :g
    with pytest.raises(ValueError, match="need"):
        plotting.draw_network([2, 3, 2], weights=[W1.T, W2], title="t")
    with pytest.raises(ValueError, match="unit_labels"):
        plotting.draw_network([2, 3], unit_labels=[["a"], ["b"]], title="t")


def test_annotated_heatmap_writes_every_value_readably_on_its_cell():
    values = np.array([[0.0, 0.25, 0.5], [0.75, 1.0, 0.1]])
    fig = plotting.plot_annotated_heatmap(
        values,
        row_labels=["a", "b"],
        col_labels=["x", "y", "z"],
        xlabel="column",
        ylabel="row",
        title="t",
        colorbar_label="value",
        vmin=0,
        vmax=1,
    )
    _assert_labelled(fig)
    ax = fig.axes[0]
    texts = {(round(t.get_position()[1]), round(t.get_position()[0])): t for t in ax.texts}
    assert {key: t.get_text() for key, t in texts.items()} == {
        (i, j): f"{values[i, j]:.2f}" for i in range(2) for j in range(3)
    }
    # viridis is dark at 0 and light at 1: white text on the dark cell, black on the light one
    assert texts[(0, 0)].get_color() == "white" and texts[(1, 1)].get_color() == "black"
    np.testing.assert_array_equal(ax.images[0].get_array(), values)
    with pytest.raises(ValueError, match="one row per row label"):
        plotting.plot_annotated_heatmap(
            values,
            row_labels=["a"],
            col_labels=["x", "y", "z"],
            xlabel="c",
            ylabel="r",
            title="t",
            colorbar_label="v",
        )


def test_confusion_matrix_uses_the_annotated_heatmap():
    fig = plotting.plot_confusion_matrix([0, 1, 1, 2], [0, 1, 2, 2], class_names=["a", "b", "c"])
    ax = fig.axes[0]
    assert sorted(t.get_text() for t in ax.texts) == sorted(["1", "0", "0", "0", "1", "1", "0", "0", "1"])
    # the largest count is dark blue in "Blues", so its number is white
    dark = [t for t in ax.texts if (round(t.get_position()[1]), round(t.get_position()[0])) == (0, 0)][0]
    assert dark.get_color() == "white"


def test_plot_runs_puts_each_run_in_its_own_panel_with_the_reference_line():
    x = np.arange(1, 5)
    runs = {
        "healthy": {"layer 1": [1e-3, 2e-3, 1e-3, 1e-3], "layer 2": [1e-4, 1e-4, 2e-4, 1e-4]},
        "unhealthy": {"layer 1": [1e-1, 1e-2, 0.0, 0.0], "layer 2": [1.0, 1e-1, 1e-2, 1e-2]},
    }
    fig = plotting.plot_runs(
        x, runs, xlabel="step", ylabel="ratio", title="t", logy=True, reference=1e-3, reference_label="1e-3"
    )
    left, right = fig.axes
    assert [left.get_title(), right.get_title()] == ["healthy", "unhealthy"]
    assert left.get_yscale() == "log" and fig.get_suptitle() == "t"
    np.testing.assert_array_equal(right.get_lines()[1].get_ydata(), [1.0, 1e-1, 1e-2, 1e-2])
    reference = right.get_lines()[-1]
    assert reference.get_linestyle() == "--" and list(reference.get_ydata()) == [1e-3, 1e-3]
    assert [t.get_text() for t in right.get_legend().get_texts()] == ["layer 1", "layer 2", "1e-3"]
    assert left.get_shared_y_axes().joined(left, right)
    _assert_labelled(fig)
    with pytest.raises(ValueError, match="runs is empty"):
        plotting.plot_runs(x, {}, xlabel="step", ylabel="ratio", title="t")


def test_plot_layer_histograms_draws_a_density_per_layer_in_a_runs_by_moments_grid():
    rng = np.random.default_rng(0)
    values = {"layer 1": np.r_[np.zeros(30), rng.random(70)], "layer 2": rng.random(10)}
    runs = {"a": {"step 0": values, "step 9": values}, "b": {"step 0": values, "step 9": values}}
    fig = plotting.plot_layer_histograms(runs, xlabel="activation", title="t", bins=5, drop_zeros=True)
    assert len(fig.axes) == 4
    ax = fig.axes[1]
    assert ax.get_title() == "a, step 9"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["layer 1 (30% zeros)", "layer 2 (0% zeros)"]
    first = ax.patches[0]  # the histogram of layer 1 without its 30 zeros is a density: area 1
    counts, edges, _ = first.get_data()
    assert np.isclose(np.sum(counts * np.diff(edges)), 1.0) and edges[0] > 0
    _assert_labelled(fig)
    with pytest.raises(ValueError, match="run 'b' has moments"):
        plotting.plot_layer_histograms(
            {"a": {"step 0": values}, "b": {"step 5": values}}, xlabel="x", title="t"
        )
