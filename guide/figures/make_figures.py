#!/usr/bin/env python3
"""Draw the data plots of the guide as PDF files (the diagrams are TikZ, in the .tex sources).

    python figures/make_figures.py --outdir build/figures

Plain NumPy + Matplotlib, no project helpers, so the guide builds on its own. The output is
byte-for-byte reproducible: no creation date in the PDFs, fixed seeds, and fonts embedded as
TrueType (``pdf.fonttype = 42``) rather than Type 3.
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
    """Sigmoid, tanh and ReLU with their derivatives."""
    z = np.linspace(-5, 5, 1001)
    sigmoid = 1 / (1 + np.exp(-z))
    functions = [
        ("sigmoid", sigmoid, sigmoid * (1 - sigmoid), r"$\sigma'(z)=\sigma(z)(1-\sigma(z))$"),
        ("tanh", np.tanh(z), 1 - np.tanh(z) ** 2, r"$\tanh'(z)=1-\tanh^2(z)$"),
        ("ReLU", np.maximum(z, 0), (z > 0).astype(float), r"$\mathrm{ReLU}'(z)=[z>0]$"),
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
    """Gradient descent on J(t) = (t1^2 + 20 t2^2)/2 with several learning rates, and momentum."""
    curvatures = np.array([1.0, 20.0])  # eigenvalues of the Hessian; h_max = 20
    start = np.array([-9.0, 2.0])

    def loss(theta: np.ndarray) -> np.ndarray:
        return 0.5 * (curvatures * theta**2).sum(axis=-1)

    def run(learning_rate: float, momentum: float = 0.0, steps: int = 60) -> np.ndarray:
        theta, velocity, path_ = start.copy(), np.zeros(2), [start.copy()]
        for _ in range(steps):
            velocity = momentum * velocity - learning_rate * curvatures * theta
            theta = theta + velocity
            path_.append(theta.copy())
        return np.array(path_)

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
    """Standard deviation of the activations layer by layer in a deep network, per initialisation."""
    rng = np.random.default_rng(SEED)
    width, depth, n_examples = 256, 20, 500
    inputs = rng.standard_normal((n_examples, width))
    setups = [
        ("tanh, std 0.01", np.tanh, lambda n_in, n_out: 0.01),
        ("tanh, Xavier", np.tanh, lambda n_in, n_out: np.sqrt(2 / (n_in + n_out))),
        ("ReLU, Xavier", lambda z: np.maximum(z, 0), lambda n_in, n_out: np.sqrt(2 / (n_in + n_out))),
        ("ReLU, He", lambda z: np.maximum(z, 0), lambda n_in, n_out: np.sqrt(2 / n_in)),
    ]
    fig, ax = plt.subplots(figsize=(5.2, 3.0), constrained_layout=True)
    layers = np.arange(1, depth + 1)
    for label, activation, scale in setups:
        activations = inputs
        stds = []
        for _ in layers:
            weights = rng.standard_normal((width, width)) * scale(width, width)
            activations = activation(activations @ weights)  # (N, n) @ (n, n) -> (N, n)
            stds.append(activations.std())
        ax.semilogy(layers, stds, "o-", markersize=3, label=label)
    ax.set_title(f"activations through {depth} layers of {width} units")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(r"layer $\ell$")
    ax.set_ylabel(r"standard deviation of $A^{[\ell]}$")
    ax.legend(loc="lower left")
    save(fig, path)


FIGURES = {
    "activations.pdf": activations,
    "gradient_descent.pdf": gradient_descent,
    "finite_differences.pdf": finite_differences,
    "initialisation.pdf": initialisation,
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
