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
