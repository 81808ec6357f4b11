"""The layers the series teaches, in one contract (CONVENTIONS.md, "The layer contract").

Every layer is a pair of functions:

    out, cache = name_forward(inputs..., parameters...)
    d_inputs..., d_parameters... = name_backward(d_out, cache)

``forward`` returns its output and what ``backward`` needs (the cache); ``backward`` takes the
gradient of the loss with respect to the output (``d_out``, same shape as ``out``) and returns the
gradients with respect to each input and parameter, in the order of ``forward``'s arguments. A loss
layer returns the loss and its gradient with respect to its input, so (BP1) lives in one place.
Examples are rows; ``d`` means "the gradient of the loss with respect to". Parameters of a network
are one dict, name -> array (``"W1"``, ``"b1"``, ...), and so are their gradients: the form that
``helpers.gradcheck.check_gradient`` and the optimizers of ``helpers.optimizers`` take.
"""

from __future__ import annotations

import numpy as np

from helpers.functions import relu, relu_prime, sigmoid, sigmoid_prime, tanh, tanh_prime

__all__ = [
    "affine_forward",
    "affine_backward",
    "relu_forward",
    "relu_backward",
    "sigmoid_forward",
    "sigmoid_backward",
    "tanh_forward",
    "tanh_backward",
    "softmax_cross_entropy",
    "mse_loss",
    "init_params",
    "mlp_forward",
    "mlp_backward",
    "check_targets",
]


def affine_forward(X, W, b):
    """Z = X W + b: X (N, D), W (D, M), b (M,) -> Z (N, M), cache (X, W)."""
    Z = X @ W + b  # (N, D) @ (D, M) + (M,) -> (N, M)
    return Z, (X, W)


def affine_backward(dZ, cache):
    """Gradients through Z = X W + b: dZ (N, M) -> dX (N, D), dW (D, M), db (M,).

    dW is (BP4), db is (BP3), and dX = dZ W^T is the product of (BP2).
    """
    X, W = cache
    dX = dZ @ W.T  # (N, M) @ (M, D) -> (N, D)
    dW = X.T @ dZ  # (D, N) @ (N, M) -> (D, M)
    db = dZ.sum(axis=0)  # (N, M) -> (M,): sum over the examples
    return dX, dW, db


def relu_forward(Z):
    """A = max(0, Z), element-wise: Z (N, M) -> A (N, M), cache Z."""
    return relu(Z), Z


def relu_backward(dA, cache):
    """dZ = dA * relu'(Z), element-wise (the Hadamard product of (BP2)): dA (N, M) -> dZ (N, M)."""
    return dA * relu_prime(cache)


def sigmoid_forward(Z):
    """A = sigmoid(Z), element-wise: Z (N, M) -> A (N, M), cache Z."""
    return sigmoid(Z), Z


def sigmoid_backward(dA, cache):
    """dZ = dA * sigmoid'(Z), element-wise: dA (N, M) -> dZ (N, M)."""
    return dA * sigmoid_prime(cache)


def tanh_forward(Z):
    """A = tanh(Z), element-wise: Z (N, M) -> A (N, M), cache Z."""
    return tanh(Z), Z


def tanh_backward(dA, cache):
    """dZ = dA * tanh'(Z), element-wise: dA (N, M) -> dZ (N, M)."""
    return dA * tanh_prime(cache)


def check_targets(Z, Y, name):
    """Raise a ValueError that says what to do when Y is not one-hot targets shaped like Z (N, K)."""
    Z, Y = np.asarray(Z), np.asarray(Y)
    if Y.ndim == 1 and Z.ndim == 2 and len(Y) == len(Z):
        raise ValueError(
            f"{name} expects one-hot targets Y of shape {Z.shape}, got integer labels of shape {Y.shape}; "
            f"convert them with helpers.data.one_hot(y, {Z.shape[1]})."
        )
    if Y.shape != Z.shape:
        raise ValueError(f"{name} expects targets Y shaped like the outputs {Z.shape}, got {Y.shape}.")


def softmax_cross_entropy(Z, Y):
    """Mean cross-entropy of softmax(Z) against one-hot Y, and (BP1): its gradient dJ/dZ = (P - Y) / N.

    Z: logits (N, K); Y: one-hot targets (N, K). Returns loss (float), dZ (N, K).
    Computed from log-softmax (the log-sum-exp with the row maximum subtracted), so a logit far
    below the largest one gives a large finite loss, never log(0).
    """
    check_targets(Z, Y, "softmax_cross_entropy")
    shifted = Z - Z.max(axis=1, keepdims=True)  # (N, K), largest entry of each row is 0
    exp = np.exp(shifted)  # (N, K)
    sums = exp.sum(axis=1, keepdims=True)  # (N, 1)
    log_P = shifted - np.log(sums)  # (N, K), log softmax
    n_examples = len(Z)
    loss = float(-np.sum(Y * log_P) / n_examples)
    dZ = (exp / sums - Y) / n_examples  # (BP1): (P - Y) / N, (N, K)
    return loss, dZ


def mse_loss(Y_hat, Y):
    """Mean squared error 1/(2N) sum (Y_hat - Y)^2 and its gradient dJ/dY_hat = (Y_hat - Y) / N.

    Y_hat: outputs (N, K); Y: targets (N, K). Returns loss (float), dY_hat (N, K).
    """
    check_targets(Y_hat, Y, "mse_loss")
    n_examples = len(Y)
    diff = Y_hat - Y  # (N, K)
    return float(np.sum(diff**2) / (2 * n_examples)), diff / n_examples


def init_params(layer_sizes, rng, *, scale="he", dtype=np.float64):
    """Weights and zero biases of a dense network, as the dict {"W1", "b1", ..., "WL", "bL"}.

    Args:
        layer_sizes: [n_0, n_1, ..., n_L]: inputs D, hidden units, outputs K.
        rng: a seeded ``np.random.default_rng``.
        scale: "he" (std sqrt(2 / n_in), for ReLU), "xavier" (std sqrt(1 / n_in), the forward-only
            form, for tanh) or a number (the same std for every layer).
        dtype: of every array.

    Returns:
        params: "W{l}" is W^[l] (n_{l-1}, n_l) drawn from N(0, std^2); "b{l}" is b^[l] (n_l,), zeros.
    """
    params = {}
    for layer, (n_in, n_out) in enumerate(zip(layer_sizes[:-1], layer_sizes[1:], strict=True), start=1):
        if scale == "he":
            std = np.sqrt(2.0 / n_in)
        elif scale == "xavier":
            std = np.sqrt(1.0 / n_in)
        elif isinstance(scale, int | float):
            std = float(scale)
        else:
            raise ValueError(f'scale must be "he", "xavier" or a number, got {scale!r}.')
        params[f"W{layer}"] = (rng.standard_normal((n_in, n_out)) * std).astype(dtype)
        params[f"b{layer}"] = np.zeros(n_out, dtype=dtype)
    return params


_ACTIVATIONS = {
    "relu": (relu_forward, relu_backward),
    "sigmoid": (sigmoid_forward, sigmoid_backward),
    "tanh": (tanh_forward, tanh_backward),
}


def _activation(name):
    if name not in _ACTIVATIONS:
        raise ValueError(f"activation must be one of {sorted(_ACTIVATIONS)}, got {name!r}.")
    return _ACTIVATIONS[name]


def mlp_forward(params, X, activation="relu"):
    """Forward pass of a dense network: affine -> activation for layers 1..L-1, then affine.

    params: {"W1", "b1", ..., "WL", "bL"} as from ``init_params``; X: inputs (N, D).
    Returns the logits Z^[L] (N, K) and the caches, one (affine, activation) pair per layer.
    """
    forward_activation, _ = _activation(activation)
    n_layers = len(params) // 2
    A, caches = X, []
    for layer in range(1, n_layers + 1):
        Z, affine_cache = affine_forward(A, params[f"W{layer}"], params[f"b{layer}"])  # (N, n_l)
        if layer == n_layers:
            caches.append((affine_cache, None))
            return Z, caches
        A, activation_cache = forward_activation(Z)  # (N, n_l)
        caches.append((affine_cache, activation_cache))
    raise ValueError("params holds no layer: expected keys W1, b1, ...")


def mlp_backward(dZ, caches, activation="relu", *, input_gradient=False):
    """Backward pass of ``mlp_forward``: dZ = dJ/dZ^[L] (N, K) -> grads (a dict shaped like params), dX.

    Runs (BP4), (BP3) and (BP2) from layer L down to 1. dX = dJ/dX (N, D) costs one more matrix
    product, so it is computed only when ``input_gradient`` is true (a network whose input comes
    from another layer, such as the dense head of a convolutional network); otherwise it is None.
    """
    _, backward_activation = _activation(activation)
    grads, dX = {}, None
    for layer in range(len(caches), 0, -1):  # layer = L, ..., 1; here dZ is Delta^[layer]
        affine_cache, _ = caches[layer - 1]
        X, W = affine_cache
        grads[f"W{layer}"] = X.T @ dZ  # (BP4): (n_{l-1}, N) @ (N, n_l) -> (n_{l-1}, n_l)
        grads[f"b{layer}"] = dZ.sum(axis=0)  # (BP3): (N, n_l) -> (n_l,)
        if layer > 1 or input_gradient:
            dA = dZ @ W.T  # dJ/dA^[l-1]: (N, n_l) @ (n_l, n_{l-1}) -> (N, n_{l-1})
            if layer > 1:  # (BP2): Delta^[l-1] = dA * sigma'(Z^[l-1])
                dZ = backward_activation(dA, caches[layer - 2][1])
            else:
                dX = dA
    return grads, dX
