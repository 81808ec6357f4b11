"""The activation functions and losses of notebook 01, for the notebooks after it.

Notebook 01 derives and writes each of these where the reader sees it; later notebooks import them
from here instead of writing them again, so every notebook uses the same definitions (the same code
as notebook 01, which asserts that they agree). Each derivative stands next to its function.
Shapes follow CONVENTIONS.md: examples are rows, ``Z`` is (N, K), one-hot targets ``Y`` are (N, K).
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "sigmoid",
    "sigmoid_prime",
    "tanh",
    "tanh_prime",
    "relu",
    "relu_prime",
    "softmax",
    "mse",
    "cross_entropy",
]


def sigmoid(z):
    """Logistic sigmoid 1 / (1 + e^(-z)), element-wise: any shape -> same shape, values in [0, 1]."""
    # For z below about -709, e^(-z) overflows to inf and 1 / inf = 0 is the right limit; the
    # overflow is expected, so it is not reported as a warning.
    with np.errstate(over="ignore"):
        return 1 / (1 + np.exp(-z))


def sigmoid_prime(z):
    """Derivative of the sigmoid, sigmoid(z) * (1 - sigmoid(z)), element-wise: any shape -> same shape."""
    s = sigmoid(z)
    return s * (1 - s)


def tanh(z):
    """Hyperbolic tangent, element-wise: any shape -> same shape, values in (-1, 1)."""
    return np.tanh(z)


def tanh_prime(z):
    """Derivative of tanh, 1 - tanh(z)^2, element-wise: any shape -> same shape."""
    return 1 - np.tanh(z) ** 2


def relu(z):
    """Rectified linear unit max(0, z), element-wise: any shape -> same shape."""
    return np.maximum(0, z)


def relu_prime(z):
    """Derivative of ReLU, element-wise: 1 where z > 0, else 0 (the value 0 at z = 0 is a choice).

    Same shape and float dtype as ``z`` (float64 for integers), so that a float32 network's Delta is
    not converted to float64 on every step of (BP2).
    """
    z = np.asarray(z)
    return (z > 0).astype(z.dtype if np.issubdtype(z.dtype, np.floating) else np.float64)


def softmax(Z):
    """Softmax of each row of logits: Z (N, K) -> P (N, K), rows positive and summing to 1.

    Also accepts one row (K,) -> (K,). Subtracting the row maximum first changes nothing
    mathematically and keeps np.exp from overflowing.
    """
    shifted = Z - Z.max(axis=-1, keepdims=True)  # (N, K), largest entry of each row is 0
    exp = np.exp(shifted)  # (N, K), entries in (0, 1]
    return exp / exp.sum(axis=-1, keepdims=True)  # (N, K) / (N, 1) -> (N, K)


def mse(Y_hat, Y):
    """Mean squared error 1/(2N) * sum (Y_hat - Y)^2: Y_hat (N, K), Y (N, K) -> float."""
    _same_shape(Y_hat, Y, "mse")
    return float(np.sum((Y_hat - Y) ** 2) / (2 * len(Y)))


def cross_entropy(P, Y):
    """Cross-entropy -1/N * sum Y log P: P (N, K) probabilities, Y (N, K) one-hot targets -> float.

    Only the probability of each example's correct class enters (the other terms are 0 * log p).
    """
    _same_shape(P, Y, "cross_entropy")
    p_correct = np.sum(P * Y, axis=1)  # (N,): the probability each example gives its correct class
    return float(-np.mean(np.log(p_correct)))


def _same_shape(A, B, name):
    if np.shape(A) != np.shape(B):
        raise ValueError(
            f"{name} compares arrays of the same shape (N, K), got {np.shape(A)} and {np.shape(B)}; "
            "are the targets one-hot (helpers.data.one_hot)?"
        )
