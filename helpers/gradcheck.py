"""Gradient checking: centred finite differences and the relative error between two gradients.

Notebook 02 derives and writes these by hand; later notebooks import them from here so that every
check in the series uses the same formula (guide, Chapter 7).
"""

from __future__ import annotations

import numpy as np

__all__ = ["numerical_gradient", "relative_error", "check_gradient"]


def numerical_gradient(f, x: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """Centred finite-difference gradient of a scalar function ``f`` at the array ``x``.

    Each entry is ``(f(x + h e_i) - f(x - h e_i)) / (2 h)``. ``x`` is perturbed *in place* and
    restored, so ``f`` may read ``x`` through a closure (as when ``x`` is a weight matrix of a
    network); ``f`` takes no argument.

    Args:
        f: a function of no arguments returning a float (the loss).
        x: a float64 array read by ``f``; any shape.
        h: the step, 1e-6 by default (a good balance of truncation and round-off in float64).

    Returns:
        An array shaped like ``x``: the estimate of d f / d x.
    """
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        raise TypeError(
            f"numerical_gradient needs a float64 NumPy array to perturb in place, got "
            f"{type(x).__name__} {getattr(x, 'dtype', '')}; convert the parameter with .astype(np.float64) first."
        )
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        saved = x[index]
        x[index] = saved + h
        f_plus = float(f())
        x[index] = saved - h
        f_minus = float(f())
        x[index] = saved
        grad[index] = (f_plus - f_minus) / (2 * h)
    return grad


def relative_error(a, b) -> float:
    """``||a - b|| / max(||a|| + ||b||, 1e-12)``: 0 for equal arrays, 1 for opposite ones.

    Below about 1e-7 in float64, two gradients of a smooth function agree.
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"relative_error compares arrays of the same shape, got {a.shape} and {b.shape}.")
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), 1e-12))


def check_gradient(f, params: dict, grads: dict, h: float = 1e-6, tolerance: float | None = 1e-7) -> dict:
    """Compare analytic gradients with centred differences, one parameter array at a time.

    Prints one line per parameter, ``name  relative error: 1.2e-10``, and raises ``AssertionError``
    naming the parameter when an error exceeds ``tolerance`` (``None``: report only, for showing
    that a deliberately wrong gradient is caught).

    Args:
        f: a function of no arguments returning the loss, reading the arrays in ``params``.
        params: name -> float64 array (perturbed in place, then restored).
        grads: name -> the analytic gradient of the loss with respect to ``params[name]``.

    Returns:
        name -> relative error.
    """
    missing = set(params) ^ set(grads)
    if missing:
        raise KeyError(f"params and grads must have the same names; unmatched: {sorted(missing)}")
    errors = {}
    width = max(len(name) for name in params)
    for name, value in params.items():
        if grads[name].shape != value.shape:
            raise ValueError(
                f"gradient of {name} has shape {grads[name].shape}, but {name} has shape {value.shape}."
            )
        errors[name] = relative_error(grads[name], numerical_gradient(f, value, h))
        print(f"{name:<{width}}  relative error: {errors[name]:.1e}")
    worst = max(errors, key=errors.get)
    assert tolerance is None or errors[worst] < tolerance, (
        f"gradient check failed for {worst}: relative error {errors[worst]:.1e} >= {tolerance:.0e}"
    )
    return errors
