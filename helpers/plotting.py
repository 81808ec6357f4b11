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
    "plot_annotated_heatmap",
    "draw_network",
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
    return plot_annotated_heatmap(
        counts,
        row_labels=names,
        col_labels=names,
        xlabel="predicted class",
        ylabel="true class",
        title=title,
        colorbar_label="examples",
        fmt="{:d}",
        cmap="Blues",
        rotate_col_labels=n_classes <= 5,
        size=(size + 0.8, size),
    )


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


def plot_annotated_heatmap(
    values,
    *,
    row_labels,
    col_labels,
    xlabel: str,
    ylabel: str,
    title: str,
    colorbar_label: str,
    fmt: str = "{:.2f}",
    cmap: str = "viridis",
    vmin=None,
    vmax=None,
    rotate_col_labels: bool = False,
    size=None,
):
    """A matrix ``values`` (rows, columns) as coloured cells, each with its number written in it.

    ``fmt`` formats one number; the text is black on light cells and white on dark ones (by the
    luminance of the cell's colour, so it works for every colour map). ``vmin``/``vmax`` fix the
    colour scale (default: the data's range). Used by :func:`plot_confusion_matrix`.
    """
    values = np.asarray(values)
    if values.ndim != 2 or values.shape != (len(row_labels), len(col_labels)):
        raise ValueError(
            f"values must be a matrix with one row per row label and one column per column label: got shape "
            f"{values.shape} for {len(row_labels)} row and {len(col_labels)} column labels."
        )
    fig, axes = _new_figure(size=size)
    ax = axes[0, 0]
    image = ax.imshow(values, cmap=cmap, vmin=vmin, vmax=vmax, aspect="auto")
    ax.grid(False)
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            red, green, blue, _ = image.cmap(image.norm(values[i, j]))
            luminance = 0.299 * red + 0.587 * green + 0.114 * blue
            ax.text(
                j,
                i,
                fmt.format(values[i, j].item()),
                ha="center",
                va="center",
                fontsize=8,
                color="black" if luminance > 0.5 else "white",
            )
    ax.set_xticks(
        range(len(col_labels)), [str(c) for c in col_labels], rotation=45 if rotate_col_labels else 0
    )
    ax.set_yticks(range(len(row_labels)), [str(r) for r in row_labels])
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
    fig.colorbar(image, ax=ax, label=colorbar_label)
    return fig


def draw_network(layer_sizes, *, title: str, weights=None, unit_labels=None, layer_names=None):
    """A dense network as columns of circles (one column per layer), each unit joined to every unit of
    the next layer.

    ``layer_sizes`` is [n_0, ..., n_L]. ``weights``, if given, is one (n_{l-1}, n_l) array per layer,
    written on the edges (unit i to unit j). ``unit_labels`` is one list of strings per layer, written in
    the circles; ``layer_names`` is one string per layer, written under its column.
    """
    from matplotlib.patches import Circle

    layer_sizes = [int(n) for n in layer_sizes]
    if len(layer_sizes) < 2 or min(layer_sizes) < 1:
        raise ValueError(
            f"layer_sizes must list at least two layers of at least one unit, got {layer_sizes}."
        )
    if weights is not None:
        shapes = [tuple(np.shape(W)) for W in weights]
        expected = list(zip(layer_sizes[:-1], layer_sizes[1:], strict=True))
        if shapes != expected:
            raise ValueError(f"weights have shapes {shapes}; layer_sizes {layer_sizes} need {expected}.")
    if unit_labels is not None and [len(labels) for labels in unit_labels] != layer_sizes:
        raise ValueError(f"unit_labels must hold one list per layer, of lengths {layer_sizes}.")
    if layer_names is not None and len(layer_names) != len(layer_sizes):
        raise ValueError(
            f"layer_names must hold one name per layer ({len(layer_sizes)}), got {len(layer_names)}."
        )
    spacing, radius, column_gap = 1.0, 0.32, 3.0
    tallest = max(layer_sizes)

    def centre(layer, unit):
        return column_gap * layer, spacing * ((layer_sizes[layer] - 1) / 2 - unit)

    fig, axes = _new_figure(size=(2.2 * len(layer_sizes) + 1.0, 0.55 * tallest + 1.6))
    ax = axes[0, 0]
    for layer in range(len(layer_sizes) - 1):
        for i in range(layer_sizes[layer]):
            for j in range(layer_sizes[layer + 1]):
                (x0, y0), (x1, y1) = centre(layer, i), centre(layer + 1, j)
                ax.plot([x0, x1], [y0, y1], color="0.65", linewidth=0.8, zorder=1)
                if weights is not None:
                    t = 0.25 + 0.5 * j / max(layer_sizes[layer + 1] - 1, 1)  # staggered along the edge
                    ax.text(
                        x0 + t * (x1 - x0),
                        y0 + t * (y1 - y0),
                        f"{weights[layer][i, j]:g}",
                        ha="center",
                        va="center",
                        fontsize=7,
                        bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.3},
                        zorder=3,
                    )
    for layer, size in enumerate(layer_sizes):
        for unit in range(size):
            x, y = centre(layer, unit)
            ax.add_patch(Circle((x, y), radius, facecolor="white", edgecolor="black", zorder=2))
            if unit_labels is not None:
                ax.text(x, y, unit_labels[layer][unit], ha="center", va="center", fontsize=7, zorder=4)
        if layer_names is not None:
            ax.text(
                centre(layer, 0)[0],
                -spacing * (tallest - 1) / 2 - 0.6,
                layer_names[layer],
                ha="center",
                va="top",
            )
    half = spacing * (tallest - 1) / 2
    ax.set(
        xlim=(-1.2, column_gap * (len(layer_sizes) - 1) + 1.2), ylim=(-half - 1.5, half + 0.6), title=title
    )
    ax.set_aspect("equal")
    ax.axis("off")
    return fig
