#!/usr/bin/env python3
"""Draw the data plots of the guide as PDF files (the diagrams are TikZ, in the .tex sources).

    PYTHONPATH=.. python figures/make_figures.py --outdir build/figures

Each figure computes with the code the notebooks teach, imported from the repository's ``helpers``
package (the Makefile puts the repository first on the path): the layers, the update rules, gradient
descent and the attention of the series, so a figure shows what that code does. NumPy and Matplotlib
do the rest. The output is byte-for-byte reproducible: no creation date in the PDFs, fixed seeds, float64
throughout, and fonts embedded as TrueType (``pdf.fonttype = 42``) rather than Type 3.
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from helpers.attention import attention_forward  # noqa: E402
from helpers.conv import conv_backward, conv_forward  # noqa: E402
from helpers.data import one_hot  # noqa: E402
from helpers.descent import gradient_descent as descend  # noqa: E402
from helpers.descent import heavy_ball  # noqa: E402
from helpers.functions import relu, relu_prime, sigmoid, sigmoid_prime, tanh, tanh_prime  # noqa: E402
from helpers.layers import (  # noqa: E402
    affine_backward,
    affine_forward,
    init_params,
    mlp_forward,
    relu_backward,
    relu_forward,
    sigmoid_backward,
    sigmoid_forward,
    softmax_cross_entropy,
)
from helpers.normalization import (  # noqa: E402
    batchnorm_backward,
    batchnorm_forward,
    layernorm_backward,
    layernorm_forward,
)
from helpers.optimizers import adagrad_step, adam_step, rmsprop_step, sgd_step  # noqa: E402

plt.rcParams.update(
    {
        "pdf.fonttype": 42,
        "font.size": 9,
        "axes.titlesize": 10,
        "legend.fontsize": 8,
        "figure.dpi": 100,
        "axes.grid": True,
        "grid.alpha": 0.3,
    }
)
# fontTools (used to subset fonts) warns that the TrueType files of the fonts carry old
# timestamps; that is harmless, so only that logger is quietened.
logging.getLogger("fontTools").setLevel(logging.ERROR)
PDF_METADATA = {"CreationDate": None, "Creator": None, "Producer": None}
SEED = 0


def save(fig: plt.Figure, path: Path) -> None:
    """Write ``fig`` as a reproducible PDF and close it."""
    fig.savefig(path, metadata=PDF_METADATA)
    plt.close(fig)


def activations(path: Path) -> None:
    """Sigmoid, tanh and ReLU with their derivatives (helpers.functions)."""
    z = np.linspace(-5, 5, 1001)
    functions = [
        ("sigmoid", sigmoid(z), sigmoid_prime(z), r"$\sigma'(z)=\sigma(z)(1-\sigma(z))$"),
        ("tanh", tanh(z), tanh_prime(z), r"$\tanh'(z)=1-\tanh^2(z)$"),
        ("ReLU", relu(z), relu_prime(z), r"$\mathrm{ReLU}'(z)=[z>0]$"),
    ]
    fig, axes = plt.subplots(1, 3, figsize=(7.0, 2.4), constrained_layout=True)
    for ax, (name, value, slope, slope_label) in zip(axes, functions, strict=True):
        ax.plot(z, value, label=name)
        ax.plot(z, slope, "--", label=slope_label)
        ax.set_title(name)
        ax.set_xlabel("pre-activation $z$")
        ax.set_ylabel("value")
        ax.legend(loc="upper left")
    axes[2].set_ylim(-0.2, 3.0)
    save(fig, path)


def gradient_descent(path: Path) -> None:
    """Gradient descent on J(t) = (t1^2 + 20 t2^2)/2 with several learning rates, and momentum (helpers.descent)."""
    curvatures = np.array([1.0, 20.0])  # eigenvalues of the Hessian; h_max = 20
    start = np.array([-9.0, 2.0])

    def loss(theta: np.ndarray) -> np.ndarray:
        return 0.5 * (curvatures * theta**2).sum(axis=-1)

    def grad(theta: np.ndarray) -> np.ndarray:
        return curvatures * theta

    def run(learning_rate: float, momentum: float = 0.0, steps: int = 60) -> np.ndarray:
        if momentum:
            return heavy_ball(grad, start, learning_rate, momentum, steps)
        return descend(grad, start, learning_rate, steps)

    runs = [
        (r"$\eta=0.02$", run(0.02)),
        (r"$\eta=0.09$ (close to $2/h_{\max}=0.1$)", run(0.09)),
        (r"$\eta=0.102$ (diverges)", run(0.102)),
        (r"$\eta=0.09$, momentum $\beta=0.5$", run(0.09, momentum=0.5)),
    ]
    fig, (left, right) = plt.subplots(1, 2, figsize=(7.0, 2.9), constrained_layout=True)
    grid1, grid2 = np.meshgrid(np.linspace(-10, 10, 201), np.linspace(-3, 3, 121))
    left.contour(
        grid1, grid2, loss(np.stack([grid1, grid2], axis=-1)), levels=12, colors="0.75", linewidths=0.6
    )
    for label, trajectory in runs:
        shown = trajectory[:25]
        left.plot(shown[:, 0], shown[:, 1], ".-", markersize=3, linewidth=0.8, label=label)
        right.semilogy(loss(trajectory), label=label)
    left.set_xlim(-10, 10)
    left.set_ylim(-3, 3)
    left.set_title("first 25 steps on the contours of $J$")
    left.set_xlabel(r"$\theta_1$ (curvature 1)")
    left.set_ylabel(r"$\theta_2$ (curvature 20)")
    right.set_title("loss against step")
    right.set_xlabel("step")
    right.set_ylabel(r"$J(\theta)$ (log scale)")
    right.set_ylim(1e-8, 1e4)
    right.legend(loc="lower left")
    save(fig, path)


def finite_differences(path: Path) -> None:
    """Error of one-sided and centred differences of sin at x = 1 against the step size."""
    x = 1.0
    steps = np.logspace(-15, 0, 121)
    exact = np.cos(x)
    forward = (np.sin(x + steps) - np.sin(x)) / steps
    centred = (np.sin(x + steps) - np.sin(x - steps)) / (2 * steps)
    x32, steps32 = np.float32(x), steps.astype(np.float32)
    centred32 = (np.sin(x32 + steps32) - np.sin(x32 - steps32)) / (np.float32(2) * steps32)
    with np.errstate(divide="ignore"):
        errors = [
            ("one-sided, float64", np.abs(forward - exact)),
            ("centred, float64", np.abs(centred - exact)),
            ("centred, float32", np.abs(centred32.astype(np.float64) - exact)),
        ]
    fig, ax = plt.subplots(figsize=(5.2, 3.2), constrained_layout=True)
    for label, error in errors:
        ax.loglog(steps, np.maximum(error, 1e-17), label=label)
    ax.axvline(1e-6, color="0.4", linestyle=":", linewidth=1, label=r"$\varepsilon=10^{-6}$")
    ax.set_ylim(1e-13, 1e1)
    ax.set_title(r"error of the numerical derivative of $\sin$ at $x=1$")
    ax.set_xlabel(r"step size $\varepsilon$")
    ax.set_ylabel("absolute error")
    ax.legend(loc="lower left")
    save(fig, path)


def initialisation(path: Path) -> None:
    """Standard deviation of the activations layer by layer in a deep network, per initialisation.

    The network is helpers.layers' init_params and mlp_forward; the caches hold each layer's input A^[l-1].
    """
    rng = np.random.default_rng(SEED)
    width, depth, n_examples = 256, 20, 500
    inputs = rng.standard_normal((n_examples, width))
    sizes = [width] * (depth + 2)  # layers 1..depth are hidden; layer depth + 1 only reads A^[depth]
    setups = [("tanh, std 0.01", "tanh", 0.01), ("tanh, Xavier", "tanh", "xavier")]
    setups += [("ReLU, Xavier", "relu", "xavier"), ("ReLU, He", "relu", "he")]
    fig, ax = plt.subplots(figsize=(5.2, 3.0), constrained_layout=True)
    layers = np.arange(1, depth + 1)
    for label, activation, scale in setups:
        params = init_params(sizes, rng, scale=scale)  # square layers: Xavier's two forms agree
        _, caches = mlp_forward(params, inputs, activation)
        stds = [caches[layer][0][0].std() for layer in layers]  # the input of layer l + 1 is A^[l]
        ax.semilogy(layers, stds, "o-", markersize=3, label=label)
    ax.set_title(f"activations through {depth} layers of {width} units")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(r"layer $\ell$")
    ax.set_ylabel(r"standard deviation of $A^{[\ell]}$")
    ax.legend(loc="lower left")
    save(fig, path)


def conv_coverage(path: Path) -> None:
    """How many windows contain each input pixel: dJ/dX of helpers.conv for a kernel of ones and G = 1."""
    settings = [(8, 3, 1, 1), (8, 3, 2, 1), (8, 2, 3, 0)]  # (H, k, s, P), square images and kernels
    fig, axes = plt.subplots(1, 3, figsize=(7.0, 2.7), constrained_layout=True)
    for ax, (size, kernel, stride, pad) in zip(axes, settings, strict=True):
        X = np.zeros((1, 1, size, size))
        W, b = np.ones((1, 1, kernel, kernel)), np.zeros(1)
        out, cache = conv_forward(X, W, b, stride=stride, pad=pad)
        dX, _, _ = conv_backward(np.ones_like(out), cache)  # (12.6): the sum over the windows of each pixel
        counts = dX[0, 0]
        ax.imshow(counts, cmap="Blues", vmin=0, vmax=counts.max() * 1.6)
        for (i, j), count in np.ndenumerate(counts):
            ax.text(j, i, f"{count:.0f}", ha="center", va="center", fontsize=7)
        ax.set_title(
            f"$k = {kernel}$, $s = {stride}$, $P = {pad}$ ({out.shape[2]}$\\times${out.shape[3]} outputs)",
            fontsize=8,
        )
        ax.set_xticks(range(size))
        ax.set_yticks(range(size))
        ax.tick_params(length=0, labelsize=7)
        ax.grid(False)
        ax.set_xlabel("column $v$ of $X$")
        ax.set_ylabel("row $u$ of $X$")
    save(fig, path)


def normalization(path: Path) -> None:
    """A 10-layer sigmoid network with weights of std 0.01: plain, with batch norm, with layer norm."""
    rng = np.random.default_rng(SEED)
    n_examples, n_inputs, width, n_layers, n_classes = 256, 64, 100, 10, 10
    X = rng.standard_normal((n_examples, n_inputs))
    Y = one_hot(rng.integers(0, n_classes, size=n_examples), n_classes)
    sizes = [n_inputs] + [width] * (n_layers - 1) + [n_classes]
    params = init_params(sizes, rng, scale=0.01)
    ones, zeros = np.ones(width), np.zeros(width)

    def run(kind: str) -> tuple[np.ndarray, np.ndarray]:
        """Spread of each hidden layer's (normalised) pre-activations, and the norm of each dJ/dW^[l]."""
        A, caches, spreads = X, [], []
        for layer in range(1, n_layers + 1):
            Z, affine_cache = affine_forward(A, params[f"W{layer}"], params[f"b{layer}"])
            if layer == n_layers:
                caches.append((affine_cache, None, None))
                break
            norm_cache = None
            if kind == "batch norm":
                Z, norm_cache = batchnorm_forward(Z, ones, zeros, {}, training=True)
            elif kind == "layer norm":
                Z, norm_cache = layernorm_forward(Z, ones, zeros)
            spreads.append(Z.std(axis=0).mean())  # the spread between examples, per unit
            A, sigmoid_cache = sigmoid_forward(Z)
            caches.append((affine_cache, norm_cache, sigmoid_cache))
        _, dZ = softmax_cross_entropy(Z, Y)
        norms, dA = [], None  # the output layer (last in caches) has no activation: dZ is (BP1)
        for affine_cache, norm_cache, sigmoid_cache in reversed(caches):
            if sigmoid_cache is not None:
                dZ = sigmoid_backward(dA, sigmoid_cache)
                if kind == "batch norm":
                    dZ, _, _ = batchnorm_backward(dZ, norm_cache)
                elif kind == "layer norm":
                    dZ, _, _ = layernorm_backward(dZ, norm_cache)
            dA, dW, _ = affine_backward(dZ, affine_cache)
            norms.append(np.linalg.norm(dW))
        return np.array(spreads), np.array(norms[::-1])

    fig, (left, right) = plt.subplots(1, 2, figsize=(7.0, 2.8), constrained_layout=True)
    for kind, marker in (("no normalization", "o"), ("batch norm", "s"), ("layer norm", "^")):
        spreads, norms = run(kind)
        left.semilogy(np.arange(1, n_layers), spreads, marker + "-", markersize=3, label=kind)
        right.semilogy(np.arange(1, n_layers + 1), norms, marker + "-", markersize=3, label=kind)
    left.set_title("forward: how much the examples differ")
    left.set_xlabel(r"hidden layer $\ell$")
    left.set_ylabel(r"spread of $Z^{[\ell]}$ over the batch")
    right.set_title("backward: gradient of each layer")
    right.set_xlabel(r"layer $\ell$")
    right.set_ylabel(r"$\Vert \partial J/\partial W^{[\ell]} \Vert$")
    for ax in (left, right):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.legend(loc="lower right")
    save(fig, path)


def optimizers(path: Path) -> None:
    """AdaGrad against gradient descent on an aligned and a turned valley; start-up step sizes."""
    curvatures, n_steps = np.array([1.0, 25.0]), 60
    rules = [
        ("gradient descent", sgd_step, {"learning_rate": 0.07}),
        ("AdaGrad", adagrad_step, {"learning_rate": 1.0}),
    ]

    def run(step, settings: dict, angle: float) -> tuple[np.ndarray, np.ndarray]:
        """The losses and the path (in the valley's own axes) of one rule on the valley turned by angle."""
        c, s = np.cos(np.radians(angle)), np.sin(np.radians(angle))
        rotation = np.array([[c, -s], [s, c]])  # the valley's axes in the parameters' coordinates
        hessian = rotation @ np.diag(curvatures) @ rotation.T
        start = rotation @ np.array([-4.0, 1.0])  # the same point of the same valley, turned with it
        params, state, visited = {"theta": start.copy()}, {}, [start.copy()]
        for _ in range(n_steps):
            step(params, {"theta": hessian @ params["theta"]}, state, **settings)
            visited.append(params["theta"].copy())
        visited = np.array(visited)
        losses = 0.5 * np.einsum("ti,ij,tj->t", visited, hessian, visited)
        return losses, visited @ rotation  # each point turned back: (along, across) the valley

    fig, axes = plt.subplots(1, 3, figsize=(7.0, 2.6), constrained_layout=True)
    for colour, (label, step, settings) in enumerate(rules):
        for angle, style in ((0.0, "-"), (45.0, "--")):
            losses, in_valley = run(step, settings, angle)
            axes[0].semilogy(losses, style, color=f"C{colour}", label=f"{label}, {angle:.0f}$^\\circ$")
            if label == "AdaGrad":
                shown = in_valley[:16]
                axes[1].plot(
                    shown[:, 0],
                    shown[:, 1],
                    "o" + style,
                    color="C1" if angle else "C2",
                    markersize=3,
                    linewidth=0.9,
                    label=f"axes turned {angle:.0f}$^\\circ$",
                )
    axes[0].set_title("loss on the valley")
    axes[0].set_xlabel("step")
    axes[0].set_ylabel(r"$J(\theta)$")
    axes[0].set_ylim(1e-9, 1e2)
    axes[0].legend(loc="lower left", fontsize=6)
    grid1, grid2 = np.meshgrid(np.linspace(-4.5, 0.5, 101), np.linspace(-1.2, 1.2, 49))
    axes[1].contour(
        grid1,
        grid2,
        0.5 * (curvatures[0] * grid1**2 + curvatures[1] * grid2**2),
        levels=[0.05, 0.5, 2, 5, 12],
        colors="0.75",
        linewidths=0.6,
    )
    axes[1].set_title("AdaGrad's first 15 steps")
    axes[1].set_xlabel("along the valley (curvature 1)")
    axes[1].set_ylabel("across (curvature 25)")
    axes[1].legend(loc="lower right", fontsize=6)
    steps = np.arange(1, 1001)
    constant = {"theta": np.array([1.0])}
    for label, step, settings in [("RMSProp, $\\rho = 0.9$", rmsprop_step, {}), ("Adam", adam_step, {})]:
        params, state, sizes = {"theta": np.zeros(1)}, {}, []
        for _ in steps:
            before = params["theta"].copy()
            step(params, constant, state, learning_rate=1.0, **settings)
            sizes.append(abs(before[0] - params["theta"][0]))
        axes[2].semilogx(steps, sizes, label=label)
    axes[2].semilogx(steps, (1 - 0.9**steps) / np.sqrt(1 - 0.999**steps), "--", label="Adam, no correction")
    axes[2].set_title("step size, constant gradient")
    axes[2].set_xlabel("step $t$")
    axes[2].set_ylabel(r"step / $\eta$")
    axes[2].set_ylim(0, 7)
    axes[2].legend(loc="upper right", fontsize=6)
    save(fig, path)


def attention(path: Path) -> None:
    """Causal attention weights with and without 1/sqrt(d_h), and the trace of the softmax Jacobian."""
    rng = np.random.default_rng(SEED)
    T, d_h = 12, 256
    Q, K = rng.standard_normal((2, T, d_h))
    V = np.zeros((T, d_h))
    _, (_, _, _, scaled, _) = attention_forward(Q, K, V, causal=True)
    _, (_, _, _, unscaled, _) = attention_forward(Q * np.sqrt(d_h), K, V, causal=True)  # undoes the scale
    fig, axes = plt.subplots(1, 3, figsize=(7.0, 2.5), constrained_layout=True)
    for ax, weights, title in ((axes[0], unscaled, r"$QK^\top$"), (axes[1], scaled, r"$QK^\top/\sqrt{d_h}$")):
        ax.imshow(weights, cmap="Greys", vmin=0, vmax=1)
        ax.set_title(f"weights $A$ from {title}")
        ax.set_xlabel("key position $j$")
        ax.set_ylabel("query position $i$")
        ax.grid(False)
    widths = 2 ** np.arange(2, 11)
    traces = {"unscaled": [], "scaled": []}
    for width in widths:
        q, k = rng.standard_normal((2000, width)), rng.standard_normal((16, width))
        v = np.zeros((16, width))
        for name, factor in (("unscaled", np.sqrt(width)), ("scaled", 1.0)):
            _, (_, _, _, A, _) = attention_forward(q * factor, k, v, causal=False)
            traces[name].append(np.mean(1 - (A**2).sum(axis=-1)))  # trace of diag(a) - a a^T, per row
    axes[2].semilogx(widths, traces["unscaled"], "o-", markersize=3, label=r"$QK^\top$")
    axes[2].semilogx(widths, traces["scaled"], "s-", markersize=3, label=r"$QK^\top/\sqrt{d_h}$")
    axes[2].set_xscale("log", base=2)
    axes[2].set_ylim(0, 1)
    axes[2].set_title("softmax Jacobian, 16 keys")
    axes[2].set_xlabel("head width $d_h$")
    axes[2].set_ylabel("mean trace")
    axes[2].legend(loc="lower left")
    save(fig, path)


def residual(path: Path) -> None:
    """Variance and gradient through 32 residual blocks x <- x + f(x) at initialisation."""
    rng = np.random.default_rng(SEED)
    n_examples, d, n_blocks = 256, 64, 32
    X = rng.standard_normal((n_examples, d))
    upstream = rng.standard_normal((n_examples, d))
    branches = [
        init_params([d, 4 * d, d], rng, scale="he") for _ in range(n_blocks)
    ]  # f: affine, ReLU, affine
    for params in branches:  # the second layer is linear: std sqrt(1 / fan-in), not He's sqrt(2 / fan-in)
        params["W2"] *= np.sqrt(0.5)
    ones, zeros = np.ones(d), np.zeros(d)

    def run(scale: float, prenorm: bool) -> tuple[np.ndarray, np.ndarray]:
        stream, caches, variances = X, [], [X.var()]
        for params in branches:
            inputs, norm_cache = layernorm_forward(stream, ones, zeros) if prenorm else (stream, None)
            Z, cache1 = affine_forward(inputs, params["W1"], params["b1"])
            A, relu_cache = relu_forward(Z)
            F, cache2 = affine_forward(A, scale * params["W2"], params["b2"])
            stream = stream + F
            caches.append((norm_cache, cache1, relu_cache, cache2))
            variances.append(stream.var())
        grad, norms = upstream, [np.linalg.norm(upstream)]
        for norm_cache, cache1, relu_cache, cache2 in reversed(caches):
            dA, _, _ = affine_backward(grad, cache2)
            d_inputs, _, _ = affine_backward(relu_backward(dA, relu_cache), cache1)
            if norm_cache is not None:
                d_inputs, _, _ = layernorm_backward(d_inputs, norm_cache)
            grad = grad + d_inputs  # (15.9): the identity path plus the branch
            norms.append(np.linalg.norm(grad))
        return np.array(variances), np.array(norms[::-1]) / norms[0]

    fig, (left, right) = plt.subplots(1, 2, figsize=(7.0, 2.8), constrained_layout=True)
    blocks = np.arange(n_blocks + 1)
    setups = [
        ("no normalization", 1.0, False, "o"),
        (f"no normalization, branches $\\times 1/\\sqrt{{{n_blocks}}}$", 1 / np.sqrt(n_blocks), False, "s"),
        ("pre-norm (layer norm before $f$)", 1.0, True, "^"),
    ]
    for label, scale, prenorm, marker in setups:
        variances, norms = run(scale, prenorm)
        left.semilogy(blocks, variances, marker + "-", markersize=2.5, label=label)
        right.semilogy(blocks, norms, marker + "-", markersize=2.5, label=label)
    left.set_title("forward: variance of the stream")
    left.set_xlabel("after block $b$")
    left.set_ylabel(r"variance of $\mathbf{x}$")
    right.set_title("backward: gradient reaching each block")
    right.set_xlabel("input of block $b + 1$")
    right.set_ylabel(r"$\Vert\bar{\mathbf{x}}\Vert$ / $\Vert\bar{\mathbf{y}}\Vert$")
    for ax in (left, right):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.legend(loc="upper left", fontsize=6)
    save(fig, path)


def mathematics(path: Path) -> None:
    """Gradients and eigenvectors of f = x^2 + xy + 3y^2; a matrix mapping the unit circle to an ellipse."""
    hessian = np.array([[2.0, 1.0], [1.0, 6.0]])
    fig, (left, right) = plt.subplots(1, 2, figsize=(7.0, 3.2), constrained_layout=True)
    grid = np.linspace(-3, 3, 241)
    g1, g2 = np.meshgrid(grid, grid)
    values = g1**2 + g1 * g2 + 3 * g2**2
    level = 3.0
    left.contour(g1, g2, values, levels=[0.5, 1.5, 6, 10], colors="0.7", linewidths=0.7)
    left.contour(g1, g2, values, levels=[level], colors="0.3", linewidths=1.0)
    curvatures, vectors = np.linalg.eigh(hessian)
    angles = np.linspace(0, 2 * np.pi, 8, endpoint=False) + 0.3
    for angle in angles:  # points on the contour f = level, and the gradient there
        direction = np.array([np.cos(angle), np.sin(angle)])
        point = direction * np.sqrt(2 * level / (direction @ hessian @ direction))
        gradient = hessian @ point
        left.annotate("", point + 0.12 * gradient, point, arrowprops={"arrowstyle": "->", "color": "C3"})
        left.plot(*point, "o", color="C3", markersize=2.5)
    for h, vector, style in zip(curvatures, vectors.T, ("-", "--"), strict=True):
        half_axis = np.sqrt(2 * level / h) * vector
        left.plot(
            [-half_axis[0], half_axis[0]],
            [-half_axis[1], half_axis[1]],
            style,
            color="C0",
            label=f"eigenvector, $h = {h:.2f}$, semi-axis {np.linalg.norm(half_axis):.2f}",
        )
    left.set_aspect("equal")
    left.set_xlim(-3, 3)
    left.set_ylim(-2.2, 2.2)
    left.set_title(r"$f = x^2 + xy + 3y^2$: $\nabla f$ on the contour $f = 3$")
    left.set_xlabel("$x$")
    left.set_ylabel("$y$")
    left.legend(loc="lower left", fontsize=6)

    W = np.array([[1.0, 1.5], [0.0, 0.5]])
    circle = np.stack([np.cos(np.linspace(0, 2 * np.pi, 361)), np.sin(np.linspace(0, 2 * np.pi, 361))])
    image = W @ circle
    right.plot(*circle, color="0.6", linewidth=0.8, label=r"unit circle, $\Vert\mathbf{x}\Vert = 1$")
    right.plot(*image, color="C0", label=r"its image $W\mathbf{x}$")
    U, singular, _ = np.linalg.svd(W)
    for value, axis in zip(singular, U.T, strict=True):
        right.annotate("", value * axis, (0, 0), arrowprops={"arrowstyle": "->", "color": "C0"})
        right.text(*(value * axis * 1.08), f"{value:.2f}", color="C0", fontsize=7, ha="center")
    eigenvalues, eigenvectors = np.linalg.eig(W)
    for value, vector in zip(eigenvalues.real, eigenvectors.T.real, strict=True):
        vector = vector * np.sign(vector[0])  # drawn to the right
        right.plot([-vector[0], vector[0]], [-vector[1], vector[1]], ":", color="C3", linewidth=1.2)
        right.text(
            vector[0] + 0.05, vector[1] - 0.08, f"eigenvalue {value:.1f}", color="C3", fontsize=7, va="top"
        )
    right.set_aspect("equal")
    right.set_xlim(-2.2, 2.2)
    right.set_ylim(-1.6, 1.6)
    right.set_title(r"$W$ = [[1, 1.5], [0, 0.5]] maps the unit circle")
    right.set_xlabel("first coordinate")
    right.set_ylabel("second coordinate")
    right.legend(loc="lower right", fontsize=6)
    save(fig, path)


FIGURES = {
    "activations.pdf": activations,
    "gradient_descent.pdf": gradient_descent,
    "finite_differences.pdf": finite_differences,
    "initialisation.pdf": initialisation,
    "conv_coverage.pdf": conv_coverage,
    "normalization.pdf": normalization,
    "optimizers.pdf": optimizers,
    "attention.pdf": attention,
    "residual.pdf": residual,
    "mathematics.pdf": mathematics,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--outdir", type=Path, default=Path(__file__).resolve().parent.parent / "build" / "figures"
    )
    args = parser.parse_args()
    args.outdir.mkdir(parents=True, exist_ok=True)
    for name, draw in FIGURES.items():
        draw(args.outdir / name)
        print(f"make_figures: wrote {args.outdir / name}")


if __name__ == "__main__":
    main()
