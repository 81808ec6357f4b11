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
        "train_loss": [1.0, 0.5, 0.3],
        "val_loss": [1.1, 0.7, 0.6],
        "train_accuracy": [0.5, 0.8, 0.9],
        "val_accuracy": [0.4, 0.7, 0.8],
    }
    fig = plotting.plot_history(history, title="run")
    loss_ax, accuracy_ax = fig.axes
    np.testing.assert_array_equal(loss_ax.get_lines()[1].get_ydata(), [1.1, 0.7, 0.6])
    np.testing.assert_allclose(accuracy_ax.get_lines()[0].get_ydata(), [50, 80, 90])
    assert [t.get_text() for t in loss_ax.get_legend().get_texts()] == ["train", "validation"]
    assert accuracy_ax.get_ylabel() == "accuracy (%)"
    _assert_labelled(fig)
    only_loss = plotting.plot_history({"train_loss": [3, 2]})
    assert len(only_loss.axes) == 1
    with pytest.raises(KeyError, match="train_loss"):
        plotting.plot_history({"val_loss": [1]})


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


def test_draw_network_draws_every_unit_and_every_connection():
    from matplotlib.patches import Circle

    sizes = [4, 8, 3]
    fig = plotting.draw_network(sizes, title="4-8-3", layer_names=["in", "hidden", "out"])
    ax = fig.axes[0]
    assert ax.get_title() == "4-8-3"
    assert sum(isinstance(p, Circle) for p in ax.patches) == sum(sizes)
    assert len(ax.lines) == 4 * 8 + 8 * 3
    assert [t.get_text() for t in ax.texts] == ["in", "hidden", "out"]
    weights = [np.arange(2.0).reshape(1, 2), np.ones((2, 1))]
    fig = plotting.draw_network(
        [1, 2, 1], title="w", weights=weights, unit_labels=[["x"], ["h0", "h1"], ["y"]]
    )
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert {"0", "1", "x", "h0", "h1", "y"} <= set(texts)
    with pytest.raises(ValueError, match="need"):
        plotting.draw_network([2, 3], title="bad", weights=[np.ones((3, 2))])
    with pytest.raises(ValueError, match="unit_labels"):
        plotting.draw_network([2, 3], title="bad", unit_labels=[["a"], ["b", "c", "d"]])
