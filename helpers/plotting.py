"""One figure style for the whole series, and the plots that would distract from a lesson.

Importing this module applies the style (:func:`use_style`). Every function returns its
``matplotlib.figure.Figure`` (tests inspect it; notebooks write ``fig = plot_history(...)`` so the
figure is drawn once). Every axis is labelled and every figure titled.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, FancyBboxPatch

from helpers.data import one_hot

FORWARD_COLOUR, BACKWARD_COLOUR = (
    "#0072B2",
    "#D55E00",
)  # blue and vermilion, told apart by colour-blind readers too

__all__ = [
    "FORWARD_COLOUR",
    "BACKWARD_COLOUR",
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
    "draw_unrolled_rnn",
    "draw_engine_graph",
    "plot_step_errors",
    "draw_graph",
    "draw_network",
    "plot_annotated_heatmap",
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
    """Loss and (if recorded) accuracy curves, per epoch, from a training history.

    ``history`` is what ``helpers.training.train`` returns: per-epoch lists ``"{name}_loss"`` and
    ``"{name}_accuracy"`` for every scored set (``"train"``, ``"val"``, ...; accuracies are fractions,
    drawn as percentages) and ``"epoch_loss"``, the mean minibatch loss, drawn as "training (running
    mean)" when the training set was not scored on its own.
    """
    sets = [key[: -len("_loss")] for key in history if key.endswith("_loss") and key != "epoch_loss"]
    losses = {_SET_NAMES.get(name, name): history[f"{name}_loss"] for name in sets}
    if "epoch_loss" in history and "train" not in sets:
        losses = {"training (running mean)": history["epoch_loss"], **losses}
    if not losses:
        raise KeyError(
            f"history needs per-epoch losses ('epoch_loss' or 'val_loss', ...); it has {sorted(history)}."
        )
    accuracy = {
        _SET_NAMES.get(name, name): 100 * np.asarray(history[f"{name}_accuracy"])
        for name in sets
        if f"{name}_accuracy" in history
    }
    fig, axes = _new_figure(1, 2 if accuracy else 1, size=(10, 3.6) if accuracy else None)
    epochs = np.arange(1, len(next(iter(losses.values()))) + 1)
    plot_lines(epochs, losses, xlabel=x_label, ylabel="loss", title="Loss", ax=axes[0, 0])
    if accuracy:
        plot_lines(epochs, accuracy, xlabel=x_label, ylabel="accuracy (%)", title="Accuracy", ax=axes[0, 1])
    fig.suptitle(title)
    return fig


#: How plot_history names the data sets of a history in its legends.
_SET_NAMES = {"train": "training", "val": "validation", "test": "test"}


def show_digits(images, labels=None, predictions=None, *, n_cols: int = 10, title: str = "Digits"):
    """A grid of greyscale images (N, 28, 28) or (N, 784); labels above each, and with
    ``predictions`` "pred/true" in red where they differ."""
    images = np.asarray(images)
    if images.ndim == 2:
        side = int(round(np.sqrt(images.shape[1])))
        if side * side != images.shape[1]:
            raise ValueError(f"flattened images must be square, got {images.shape[1]} pixels.")
        images = images.reshape(-1, side, side)
    if predictions is not None and labels is None:
        raise ValueError("show_digits: predictions are shown as predicted/true, so pass the true labels too.")
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
                color=BACKWARD_COLOUR if wrong else "black",
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
    # one_hot refuses labels that are not integer class indices below n_classes, with a clear message
    counts = (one_hot(y_true.ravel(), n_classes).T @ one_hot(y_pred.ravel(), n_classes)).astype(int)
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


_DIAGRAM_COLORS = {"x": "#E8F1FA", "h": "#FCE9DC", "y": "#E3F4EC", "op": "#F2F2F2"}


def _box(ax, x, y, text, kind, *, width=0.9, height=0.6, fontsize=12):

    ax.add_patch(
        FancyBboxPatch(
            (x - width / 2, y - height / 2),
            width,
            height,
            boxstyle="round,pad=0.05",
            facecolor=_DIAGRAM_COLORS[kind],
            edgecolor="black",
        )
    )
    ax.text(x, y, text, ha="center", va="center", fontsize=fontsize)


def _arrow(ax, start, end, *, color="black", linestyle="-", label=None, offset=(0, 0)):
    ax.annotate(
        "",
        xy=end,
        xytext=start,
        arrowprops={"arrowstyle": "-|>", "color": color, "linestyle": linestyle, "lw": 1.4},
    )
    if label:
        middle = ((start[0] + end[0]) / 2 + offset[0], (start[1] + end[1]) / 2 + offset[1])
        ax.text(*middle, label, fontsize=9, color=color, ha="center", va="center")


def draw_unrolled_rnn(n_steps: int = 4, *, chunk: int | None = None):
    """An RNN unrolled over ``n_steps`` steps: boxes for x_t, h_t and Y_hat_t, forward arrows in black,
    the paths of the gradient in red (dashed).

    With ``chunk = k`` it shows truncated BPTT: dotted lines cut the sequence into chunks of k steps; the
    forward arrow h_t -> h_{t+1} still crosses each boundary, but the red arrow back across it is cut (x).
    """
    if chunk is not None and not 1 <= chunk < n_steps:
        raise ValueError(f"chunk must be between 1 and n_steps - 1 = {n_steps - 1}, got {chunk}.")
    spacing = 2.2
    fig, axes = _new_figure(size=(max(9, 1.9 * n_steps + 1.5), 4.4))
    ax = axes[0, 0]
    ax.set_xlim(-1.6, spacing * n_steps + 0.2)
    ax.set_ylim(-0.8, 4.9)
    ax.axis("off")
    _box(ax, -1.0, 2.0, "$h_0$", "h")
    for t in range(1, n_steps + 1):
        cx = spacing * (t - 1) + 0.8
        _box(ax, cx, 0.0, f"$x_{{{t}}}$", "x")
        _box(ax, cx, 2.0, f"$h_{{{t}}}$", "h")
        _box(ax, cx, 4.0, rf"$\hat{{Y}}_{{{t}}}$", "y")
        _arrow(ax, (cx, 0.35), (cx, 1.65), label="$W_{xh}$", offset=(-0.35, 0))
        _arrow(ax, (cx, 2.35), (cx, 3.65), label="$W_{hy}$", offset=(-0.35, 0))
        _arrow(ax, (cx + 0.15, 3.65), (cx + 0.15, 2.35), color=BACKWARD_COLOUR, linestyle="--")
        previous = -1.0 if t == 1 else cx - spacing
        _arrow(ax, (previous + 0.5, 2.1), (cx - 0.5, 2.1), label="$W_{hh}$", offset=(0, 0.3))
        boundary = chunk is not None and t > 1 and (t - 1) % chunk == 0
        if boundary:  # truncated: no gradient from h_t back to h_{t-1}
            middle = cx - spacing / 2
            ax.axvline(middle, ymin=0.02, ymax=0.98, color="#777777", linestyle=":", lw=1.2)
            ax.plot(middle, 1.85, marker="x", color=BACKWARD_COLOUR, markersize=11, mew=2.5)
        else:
            _arrow(ax, (cx - 0.5, 1.85), (previous + 0.5, 1.85), color=BACKWARD_COLOUR, linestyle="--")
    if chunk is None:
        note = "the same $W_{xh}$, $W_{hh}$, $W_{hy}$ at every step;  red dashed: gradient flowing back"
        title = f"A recurrent network unrolled over T = {n_steps} time steps"
    else:
        note = "dotted: chunk boundaries; the state crosses them forward, the gradient (x) does not"
        title = f"Truncated BPTT: T = {n_steps} steps in chunks of k = {chunk}"
    ax.text(0.8 + spacing * (n_steps - 1) / 2, -0.65, note, ha="center", fontsize=9, color="#444444")
    ax.set_title(title)
    return fig


def _graph_depths(order):
    """Column of each node: 0 for leaves, else one more than its deepest parent."""
    depth = {}
    for node in order:  # parents come first in a topological order
        depth[node] = 1 + max((depth[p] for p in node._parents), default=-1)
    return depth


def draw_engine_graph(order, *, names=None, title: str = "Computational graph"):
    """The graph of an autodiff expression, each node numbered by its place in ``order``.

    ``order`` is a topological order of the nodes (e.g. ``topological_order(J)`` of helpers.autodiff):
    every node has ``_parents``, ``op`` and ``data``; ``names`` maps some nodes (the inputs) to a label.
    Leaves are drawn on the left and every operation to the right of its inputs, with its value and
    gradient; the number in the circle is the node's position in ``order``, and ``backward`` visits the
    nodes from the highest number down.
    """
    names = names or {}
    position = {node: i for i, node in enumerate(order, start=1)}
    depth = _graph_depths(order)
    columns = {}
    for node in order:
        columns.setdefault(depth[node], []).append(node)
    xy = {}
    for column, nodes in columns.items():
        for row, node in enumerate(nodes):
            xy[node] = (2.6 * column, 1.5 * ((len(nodes) - 1) / 2 - row))
    n_columns, n_rows = len(columns), max(len(nodes) for nodes in columns.values())
    fig, axes = _new_figure(size=(max(6.4, 2.3 * n_columns + 1.5), max(3.2, 1.3 * n_rows + 1.6)))
    ax = axes[0, 0]
    ax.axis("off")
    ax.set_xlim(-1.0, 2.6 * (n_columns - 1) + 1.0)
    ax.set_ylim(-0.75 * n_rows - 0.9, 0.75 * n_rows + 0.4)
    for node in order:
        for parent in node._parents:
            (x0, y0), (x1, y1) = xy[parent], xy[node]
            _arrow(ax, (x0 + 0.6, y0), (x1 - 0.6, y1))
    for node in order:
        x, y = xy[node]
        value, grad = np.asarray(node.data), np.asarray(node.grad)
        label = names.get(node, node.op if node._parents else "const")
        numbers = f"{value.item():.2f}, grad {grad.item():.2f}" if value.size == 1 else f"shape {value.shape}"
        _box(
            ax, x, y, f"{label}\n{numbers}", "op" if node._parents else "x", width=1.2, height=0.7, fontsize=9
        )
        ax.text(
            x - 0.62,
            y + 0.42,
            str(position[node]),
            ha="center",
            va="center",
            fontsize=9,
            color="white",
            bbox={"boxstyle": "circle,pad=0.2", "facecolor": BACKWARD_COLOUR, "edgecolor": "none"},
        )
    ax.text(
        1.3 * (n_columns - 1),
        -0.75 * n_rows - 0.6,
        f"numbers: the topological order; backward() runs the nodes' rules from {len(order)} down to 1",
        ha="center",
        fontsize=9,
        color="#444444",
    )
    ax.set_title(title)
    return fig


def plot_step_errors(steps, measured: dict, predicted: dict, *, title: str, ylabel: str = "relative error"):
    """Errors of finite-difference estimates against the step h, on log-log axes.

    ``measured`` maps a legend label to one error per step, drawn with markers and a star at the
    curve's smallest error (its best step). ``predicted`` maps a label to ``(values, colour_of)``:
    one predicted error per step, drawn as a thin dotted line in the colour of the measured curve
    named ``colour_of`` (grey and dashed when it is None).
    """
    steps = np.asarray(steps, dtype=float)
    fig, axes = _new_figure()
    ax = axes[0, 0]
    colours = {}
    for label, errors in measured.items():
        errors = np.asarray(errors, dtype=float)
        if errors.shape != steps.shape:
            raise ValueError(
                f"measured curve {label!r} has {errors.size} points but there are {steps.size} steps."
            )
        (line,) = ax.plot(steps, errors, marker="o", markersize=4, label=label)
        colours[label] = line.get_color()
        best = int(np.argmin(errors))
        ax.plot(
            steps[best], errors[best], "*", color=line.get_color(), markersize=14, label=f"best h, {label}"
        )
    for label, (values, colour_of) in predicted.items():
        if colour_of is not None and colour_of not in colours:
            raise KeyError(
                f"predicted line {label!r} takes its colour from {colour_of!r}, which is not measured."
            )
        style = (
            {"color": colours[colour_of], "linestyle": ":"}
            if colour_of
            else {"color": "0.4", "linestyle": "--"}
        )
        ax.plot(steps, np.asarray(values, dtype=float), linewidth=1, label=label, **style)
    lowest = min(np.min(np.asarray(errors, dtype=float)) for errors in measured.values())
    ax.set(xscale="log", yscale="log", xlabel="step h", ylabel=ylabel, title=title)
    ax.set_ylim(bottom=10 ** (np.floor(np.log10(lowest)) - 4))  # predictions far below the data are cut
    ax.legend(loc="lower left", ncols=2)
    return fig


#: Colours of the two directions in the graph diagrams: values forward, gradients backward.


def _edge_fraction(node, dx, dy):
    """Fraction of the segment (dx, dy) from a node's centre that lies inside its circle or box."""
    half_width = node[3]
    if half_width is None:
        return 0.33 / np.hypot(dx, dy)
    return min((half_width + 0.08) / abs(dx) if dx else np.inf, 0.28 / abs(dy) if dy else np.inf)


def draw_graph(nodes: dict, edges: list, *, title: str, width: float = 10.0):
    """A computational graph with the forward value above each edge and the gradient below it.

    ``nodes`` maps a name to ``(x, y, label, half_width)`` in data units: an operation is a circle
    of radius 0.3 (``half_width`` None), a value or a layer a box of that half-width. ``edges`` is a
    list of ``(start, end, forward text, gradient text)``; each arrow points forward, its forward
    text is written above it in blue and its gradient text below it in orange. ``width`` is the
    figure's width in inches; the height follows from the nodes' extent (equal axes).
    """
    for start, end, *_ in edges:
        for name in (start, end):
            if name not in nodes:
                raise KeyError(f"edge {start!r} -> {end!r} names the node {name!r}, which is not in nodes.")
    xs = [x for x, *_ in nodes.values()]
    ys = [y for _, y, *_ in nodes.values()]
    pad = max((n[3] or 0.3) for n in nodes.values()) + 0.5
    xlim, ylim = (min(xs) - pad, max(xs) + pad), (min(ys) - 0.7, max(ys) + 1.1)
    height = width * (ylim[1] - ylim[0]) / (xlim[1] - xlim[0])
    fig, ax = plt.subplots(figsize=(width, height))
    for x, y, label, half_width in nodes.values():
        if half_width is None:
            ax.add_patch(Circle((x, y), 0.3, facecolor="white", edgecolor="black", zorder=2))
        else:
            box = FancyBboxPatch((x - half_width, y - 0.2), 2 * half_width, 0.4, boxstyle="round,pad=0.04")
            box.set(facecolor="#EEEEEE", zorder=2)
            ax.add_patch(box)
        ax.text(x, y, label, ha="center", va="center", fontsize=12, zorder=3)
    for start, end, forward_text, gradient_text in edges:
        (x0, y0), (x1, y1) = nodes[start][:2], nodes[end][:2]
        dx, dy = x1 - x0, y1 - y0
        t0, t1 = _edge_fraction(nodes[start], dx, dy), 1 - _edge_fraction(nodes[end], dx, dy)
        ax.annotate(
            "",
            xy=(x0 + t1 * dx, y0 + t1 * dy),
            xytext=(x0 + t0 * dx, y0 + t0 * dy),
            arrowprops={"arrowstyle": "-|>", "color": "0.35", "shrinkA": 0, "shrinkB": 0},
        )
        # text along the edge, turned the right way up; the value goes on its upper side, the gradient
        # on its lower side (left and right of a vertical edge)
        angle = np.degrees(np.arctan2(dy, dx))
        angle = angle - 180 if angle > 90 else angle + 180 if angle <= -90 else angle
        normal_x, normal_y = -np.sin(np.radians(angle)) * 0.06, np.cos(np.radians(angle)) * 0.06
        x_mid, y_mid = x0 + (t0 + t1) / 2 * dx, y0 + (t0 + t1) / 2 * dy
        style = {"ha": "center", "fontsize": 9, "rotation": angle, "rotation_mode": "anchor"}
        ax.text(x_mid + normal_x, y_mid + normal_y, forward_text, color=FORWARD_COLOUR, va="bottom", **style)
        ax.text(x_mid - normal_x, y_mid - normal_y, gradient_text, color=BACKWARD_COLOUR, va="top", **style)
    handles = [
        Line2D([], [], color=FORWARD_COLOUR, linewidth=3, label="forward value (above an edge)"),
        Line2D(
            [],
            [],
            color=BACKWARD_COLOUR,
            linewidth=3,
            label="gradient $\\partial J/\\partial$(value) (below)",
        ),
    ]
    ax.legend(handles=handles, loc="upper right")
    ax.set(xlim=xlim, ylim=ylim, title=title, aspect="equal")
    ax.axis("off")
    return fig


def draw_network(layer_sizes, *, title: str, weights=None, unit_labels=None, layer_names=None):
    """A dense network drawn as columns of units, every unit joined to every unit of the next layer.

    ``layer_sizes`` is [n_0, ..., n_L]. ``weights``, if given, is one (n_{l-1}, n_l) array per layer:
    W[i, j] is written on the edge from unit i to unit j, nearer unit i. ``unit_labels`` is one list
    of strings per layer (written in the units); ``layer_names`` one string per layer (under it).
    """
    n_columns = len(layer_sizes)
    if weights is not None:
        shapes = [np.shape(W) for W in weights]
        expected = list(zip(layer_sizes[:-1], layer_sizes[1:], strict=True))
        if shapes != expected:
            raise ValueError(
                f"weights have shapes {shapes}, but layer_sizes {list(layer_sizes)} need {expected}."
            )
    if unit_labels is not None and [len(labels) for labels in unit_labels] != list(layer_sizes):
        raise ValueError(f"unit_labels must hold one list per layer with {list(layer_sizes)} entries.")
    gap, radius = 1.6, 0.5
    tallest = max(layer_sizes)

    def position(layer, unit):
        return 4.0 * layer, gap * ((layer_sizes[layer] - 1) / 2 - unit)

    fig, ax = plt.subplots(figsize=(2.6 * n_columns, 1.1 * tallest + 1.6))
    for layer in range(n_columns - 1):
        for i in range(layer_sizes[layer]):
            for j in range(layer_sizes[layer + 1]):
                (x0, y0), (x1, y1) = position(layer, i), position(layer + 1, j)
                ax.plot([x0, x1], [y0, y1], color="0.6", linewidth=1, zorder=1)
                if weights is not None:
                    t = 0.2 + 0.1 * j  # along the edge, staggered so that crossing edges keep apart
                    ax.text(
                        x0 + t * (x1 - x0),
                        y0 + t * (y1 - y0),
                        f"{weights[layer][i, j]:g}",
                        ha="center",
                        va="center",
                        fontsize=8,
                        color=FORWARD_COLOUR,
                        bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5},
                        zorder=3,
                    )
    for layer, size in enumerate(layer_sizes):
        for unit in range(size):
            x, y = position(layer, unit)
            ax.add_patch(Circle((x, y), radius, facecolor="white", edgecolor="black", zorder=2))
            if unit_labels is not None:
                ax.text(x, y, unit_labels[layer][unit], ha="center", va="center", fontsize=8, zorder=4)
        if layer_names is not None:
            x, _ = position(layer, 0)
            ax.text(x, -gap * (tallest - 1) / 2 - 1.0, layer_names[layer], ha="center", va="top", fontsize=10)
    half_height = gap * (tallest - 1) / 2
    ax.set(
        xlim=(-1.0, 4.0 * (n_columns - 1) + 1.0), ylim=(-half_height - 1.8, half_height + 0.9), title=title
    )
    ax.set_aspect("equal")
    ax.axis("off")
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
