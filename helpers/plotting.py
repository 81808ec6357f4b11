"""One figure style for the whole series, and the plots that would distract from a lesson.

Importing this module applies the style (:func:`use_style`). Every function returns its
``matplotlib.figure.Figure`` (tests inspect it; notebooks write ``fig = plot_history(...)`` so the
figure is drawn once). Every axis is labelled and every figure titled.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

__all__ = [
    "STYLE",
    "use_style",
    "plot_lines",
    "plot_history",
    "show_digits",
    "plot_confusion_matrix",
    "plot_decision_boundary",
    "show_weights",
    "plot_descent_path",
    "plot_activations",
    "plot_runs",
    "plot_layer_histograms",
]

#: rcParams shared by every figure of the series.
STYLE = {
    "figure.figsize": (6.4, 4.0),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "figure.constrained_layout.use": True,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "legend.fontsize": 9,
    "legend.frameon": False,
    "lines.linewidth": 1.8,
    "image.cmap": "viridis",
    "axes.prop_cycle": plt.cycler(
        color=["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]
    ),  # Okabe-Ito: distinguishable with the common colour-vision deficiencies
}


def use_style() -> None:
    """Apply :data:`STYLE` to every figure made from now on."""
    plt.rcParams.update(STYLE)


use_style()


def _new_figure(n_rows=1, n_cols=1, *, size=None, **kwargs):
    return plt.subplots(n_rows, n_cols, figsize=size, squeeze=False, **kwargs)


def plot_lines(
    x, curves: dict, *, xlabel: str, ylabel: str, title: str, logx=False, logy=False, markers=False, ax=None
):
    """Several curves over the same x: ``curves`` maps a legend label to y values (same length as x)."""
    if ax is None:
        fig, axes = _new_figure()
        ax = axes[0, 0]
    else:
        fig = ax.figure
    for label, y in curves.items():
        if len(y) != len(x):
            raise ValueError(f"curve {label!r} has {len(y)} points but x has {len(x)}.")
        ax.plot(x, y, marker="o" if markers else None, markersize=4, label=label)
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
    if logx:
        ax.set_xscale("log")
    if logy:
        ax.set_yscale("log")
    if len(curves) > 1:
        ax.legend()
    return fig


def plot_history(history: dict, *, title: str = "Training history", x_label: str = "epoch"):
    """Loss and (if recorded) accuracy curves from a training history.

    ``history`` maps names to per-epoch lists: ``train_loss`` and optionally ``val_loss``,
    ``train_accuracy``, ``val_accuracy`` (fractions in 0-1, shown as percentages).
    """
    if "train_loss" not in history:
        raise KeyError(f"history needs a 'train_loss' list; it has {sorted(history)}.")
    has_accuracy = any(key in history for key in ("train_accuracy", "val_accuracy"))
    fig, axes = _new_figure(1, 2 if has_accuracy else 1, size=(10, 3.6) if has_accuracy else None)
    epochs = np.arange(1, len(history["train_loss"]) + 1)
    loss_curves = {
        f"{part}": history[f"{part}_loss"] for part in ("train", "val") if f"{part}_loss" in history
    }
    plot_lines(
        epochs,
        {("validation" if k == "val" else k): v for k, v in loss_curves.items()},
        xlabel=x_label,
        ylabel="loss",
        title="Loss",
        ax=axes[0, 0],
    )
    if has_accuracy:
        accuracy = {
            ("validation" if part == "val" else part): 100 * np.asarray(history[f"{part}_accuracy"])
            for part in ("train", "val")
            if f"{part}_accuracy" in history
        }
        plot_lines(epochs, accuracy, xlabel=x_label, ylabel="accuracy (%)", title="Accuracy", ax=axes[0, 1])
    fig.suptitle(title)
    return fig


def show_digits(images, labels=None, predictions=None, *, n_cols: int = 10, title: str = "Digits"):
    """A grid of greyscale images (N, 28, 28) or (N, 784); labels above each, and with
    ``predictions`` "pred/true" in red where they differ."""
    images = np.asarray(images)
    if images.ndim == 2:
        side = int(round(np.sqrt(images.shape[1])))
        if side * side != images.shape[1]:
            raise ValueError(f"flattened images must be square, got {images.shape[1]} pixels.")
        images = images.reshape(-1, side, side)
    n = len(images)
    n_cols = min(n_cols, n)
    n_rows = int(np.ceil(n / n_cols))
    fig, axes = _new_figure(n_rows, n_cols, size=(1.1 * n_cols, 1.25 * n_rows + 0.4))
    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i >= n:
            continue
        ax.imshow(images[i], cmap="gray_r")
        if predictions is not None:
            wrong = predictions[i] != labels[i]
            ax.set_title(
                f"{predictions[i]}/{labels[i]}" if wrong else f"{labels[i]}",
                color="#D55E00" if wrong else "black",
                fontsize=9,
            )
        elif labels is not None:
            ax.set_title(str(labels[i]), fontsize=9)
    fig.suptitle(title + (" (predicted/true where wrong)" if predictions is not None else ""))
    return fig


def plot_confusion_matrix(y_true, y_pred, *, class_names=None, title: str = "Confusion matrix"):
    """Counts of (true class, predicted class), annotated; the diagonal holds the correct ones."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"y_true and y_pred must have the same shape, got {y_true.shape} and {y_pred.shape}."
        )
    n_classes = len(class_names) if class_names is not None else int(max(y_true.max(), y_pred.max())) + 1
    counts = np.zeros((n_classes, n_classes), dtype=int)
    np.add.at(counts, (y_true, y_pred), 1)
    names = list(class_names) if class_names is not None else [str(k) for k in range(n_classes)]
    size = max(3.5, 0.5 * n_classes + 1.5)
    fig, axes = _new_figure(size=(size + 0.8, size))
    ax = axes[0, 0]
    image = ax.imshow(counts, cmap="Blues")
    ax.grid(False)
    for i in range(n_classes):
        for j in range(n_classes):
            ax.text(
                j,
                i,
                str(counts[i, j]),
                ha="center",
                va="center",
                fontsize=8,
                color="white" if counts[i, j] > counts.max() / 2 else "black",
            )
    ax.set_xticks(range(n_classes), names, rotation=45 if n_classes <= 5 else 0)
    ax.set_yticks(range(n_classes), names)
    ax.set(xlabel="predicted class", ylabel="true class", title=title)
    fig.colorbar(image, ax=ax, label="examples")
    return fig


def plot_decision_boundary(
    predict,
    X,
    y,
    *,
    class_names=None,
    feature_names=("feature 1", "feature 2"),
    title: str = "Decision regions",
    resolution: int = 200,
    margin: float = 0.5,
):
    """Colour the plane by ``predict`` (a function of an (M, 2) array returning M class labels),
    with the examples ``X`` (N, 2) on top, coloured by their labels ``y``."""
    X = np.asarray(X)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"plot_decision_boundary draws 2-D data; X has shape {X.shape}.")
    (x0, y0), (x1, y1) = X.min(axis=0) - margin, X.max(axis=0) + margin
    grid_x, grid_y = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    regions = np.asarray(predict(np.column_stack([grid_x.ravel(), grid_y.ravel()]))).reshape(grid_x.shape)
    fig, axes = _new_figure()
    ax = axes[0, 0]
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    n_classes = int(max(np.max(y), np.max(regions))) + 1
    from matplotlib.colors import ListedColormap

    cmap = ListedColormap(colors[:n_classes])
    ax.contourf(grid_x, grid_y, regions, levels=np.arange(n_classes + 1) - 0.5, cmap=cmap, alpha=0.25)
    for k in range(n_classes):
        chosen = np.asarray(y) == k
        ax.scatter(
            X[chosen, 0],
            X[chosen, 1],
            s=18,
            color=colors[k],
            edgecolor="white",
            linewidth=0.5,
            label=class_names[k] if class_names is not None else f"class {k}",
        )
    ax.set(xlabel=feature_names[0], ylabel=feature_names[1], title=title)
    ax.legend()
    return fig


def show_weights(W, *, image_shape=(28, 28), n_cols: int = 8, title: str = "First-layer weights"):
    """Each column of ``W`` (D, n_units) drawn as an image of ``image_shape`` (D pixels), on a
    symmetric colour scale so that positive and negative weights are told apart."""
    W = np.asarray(W)
    if W.shape[0] != int(np.prod(image_shape)):
        raise ValueError(
            f"W has {W.shape[0]} rows but an image of shape {image_shape} has {int(np.prod(image_shape))} pixels."
        )
    n_units = W.shape[1]
    n_cols = min(n_cols, n_units)
    n_rows = int(np.ceil(n_units / n_cols))
    fig, axes = _new_figure(n_rows, n_cols, size=(1.2 * n_cols + 0.8, 1.2 * n_rows + 0.5))
    limit = np.abs(W).max()
    for unit, ax in enumerate(axes.flat):
        ax.axis("off")
        if unit < n_units:
            image = ax.imshow(W[:, unit].reshape(image_shape), cmap="RdBu_r", vmin=-limit, vmax=limit)
    fig.colorbar(image, ax=axes, shrink=0.8, label="weight")
    fig.suptitle(title)
    return fig


def plot_descent_path(
    f,
    paths: dict,
    *,
    xlim,
    ylim,
    title: str = "Gradient descent",
    levels=30,
    xlabel: str = "$w_1$",
    ylabel: str = "$w_2$",
    log_levels: bool = True,
    minimum=None,
):
    """Contours of ``f(W1, W2)`` (vectorised over grids) with one or more descent paths on top.

    ``paths`` maps a legend label to an array of shape (steps, 2) of visited points. ``levels`` is a
    number of contour levels (spaced geometrically from 1e-3 of the largest value when
    ``log_levels``) or an explicit increasing array of levels. ``minimum``, a point (w1, w2), is
    marked with a star.
    """
    grid_x, grid_y = np.meshgrid(np.linspace(*xlim, 300), np.linspace(*ylim, 300))
    values = f(grid_x, grid_y)
    fig, axes = _new_figure(size=(6.4, 4.8))
    ax = axes[0, 0]
    if not np.isscalar(levels):
        contour_levels = np.asarray(levels)
    elif log_levels:
        low, high = max(values.min(), 1e-3 * values.max() + 1e-12), values.max()
        contour_levels = np.geomspace(low, high, levels)
    else:
        contour_levels = levels
    ax.contour(grid_x, grid_y, values, levels=contour_levels, cmap="Greys", linewidths=0.7)
    for label, path in paths.items():
        path = np.asarray(path)
        ax.plot(path[:, 0], path[:, 1], marker="o", markersize=3, label=f"{label} ({len(path) - 1} steps)")
    if minimum is not None:
        ax.plot(*minimum, marker="*", markersize=14, color="black", linestyle="none", label="minimum")
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title, xlim=xlim, ylim=ylim)
    ax.legend()
    return fig


def _break_jumps(y, threshold: float = 0.2):
    """A copy of ``y`` (float) with NaN where consecutive values jump by more than ``threshold`` times
    the range, so a step (ReLU's derivative) is drawn as two pieces, not joined by a vertical line."""
    y = np.array(y, dtype=float)
    span = np.nanmax(y) - np.nanmin(y)
    jumps = np.abs(np.diff(y)) > threshold * span if span > 0 else np.zeros(len(y) - 1, dtype=bool)
    y[1:][jumps] = np.nan
    return y


def plot_activations(functions: dict, *, x=None, title: str = "Activation functions and their derivatives"):
    """One panel per activation: ``functions`` maps a name to ``(f, f_prime)``, both element-wise."""
    x = np.linspace(-5, 5, 401) if x is None else np.asarray(x)
    fig, axes = _new_figure(1, len(functions), size=(3.2 * len(functions), 3.2), sharey=False)
    for ax, (name, (f, f_prime)) in zip(axes.flat, functions.items(), strict=False):
        ax.plot(x, _break_jumps(f(x)), label=f"{name}(z)")
        ax.plot(x, _break_jumps(f_prime(x)), linestyle="--", label=f"{name}'(z)")
        ax.set(xlabel="z", ylabel="value", title=name)
        ax.legend()
    fig.suptitle(title)
    return fig


def plot_runs(
    x, runs: dict, *, xlabel: str, ylabel: str, title: str, logy=False, reference=None, reference_label=None
):
    """Training runs side by side, one panel per run, on a shared y-axis.

    ``runs`` maps a run's name (the panel title) to its curves, a dict legend label -> y values (same
    length as x), for example {"eta = 0.1": {"layer 1": ratios, "layer 2": ratios}}. ``reference``
    draws a dashed horizontal line at that y in every panel (a rule of thumb), labelled
    ``reference_label``.
    """
    if not runs:
        raise ValueError("runs is empty: give at least one run, {name: {label: y values}}.")
    fig, axes = _new_figure(1, len(runs), size=(5.0 * len(runs), 3.8), sharey=True)
    for ax, (name, curves) in zip(axes[0], runs.items(), strict=True):
        plot_lines(x, curves, xlabel=xlabel, ylabel=ylabel, title=name, logy=logy, ax=ax)
        if reference is not None:
            ax.axhline(reference, color="black", linestyle="--", linewidth=1, label=reference_label)
            ax.legend()
    fig.suptitle(title)
    return fig


def plot_layer_histograms(runs: dict, *, xlabel: str, title: str, bins: int = 60, drop_zeros=False):
    """Histograms of one quantity per layer, at several moments of several runs: a grid of panels.

    ``runs`` maps a run's name (a row) to {moment (a column, e.g. "step 0"): {layer label: values}};
    every run must have the same moments. Each panel draws one outlined histogram per layer, as a
    density (so layers of different sizes compare). With ``drop_zeros`` exact zeros are left out of the
    histogram and their share is given in the legend (the switched-off units of a ReLU layer).
    """
    if not runs:
        raise ValueError("runs is empty: give {run: {moment: {layer: values}}}.")
    moments = list(next(iter(runs.values())))
    for name, snapshots in runs.items():
        if list(snapshots) != moments:
            raise ValueError(f"run {name!r} has moments {list(snapshots)}, the first run has {moments}.")
    fig, axes = _new_figure(len(runs), len(moments), size=(3.6 * len(moments), 2.9 * len(runs)))
    for row, (name, snapshots) in enumerate(runs.items()):
        for col, (moment, layers) in enumerate(snapshots.items()):
            ax = axes[row, col]
            for layer, values in layers.items():
                values = np.ravel(np.asarray(values, dtype=float))
                label = layer
                if drop_zeros:
                    label = f"{layer} ({100 * np.mean(values == 0):.0f}% zeros)"
                    values = values[values != 0]
                if values.size:
                    counts, edges = np.histogram(values, bins=bins, density=True)
                    ax.stairs(counts, edges, label=label)
                else:
                    ax.plot([], [], label=label)
            ax.set(xlabel=xlabel, ylabel="density", title=f"{name}, {moment}")
            ax.legend()
    fig.suptitle(title)
    return fig
