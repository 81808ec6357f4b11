"""Update rules on the series' parameter dict (CONVENTIONS.md, "The layer contract").

Every rule has one form:

    state = {}                                    # created once, before the first step
    name_step(params, grads, state, learning_rate, ...hyperparameters)

``params`` and ``grads`` are dicts name -> array with the same names and shapes; ``params`` is
updated in place; ``state`` is the rule's memory (velocities, moment estimates, the step count),
kept between calls by the caller and filled by the rule on its first call. Nothing is returned.
"""

from __future__ import annotations

import numpy as np

__all__ = ["sgd_step", "momentum_step", "adam_step"]


def _check_names(params, grads):
    if params.keys() != grads.keys():
        raise KeyError(
            f"params and grads must have the same names; unmatched: {sorted(params.keys() ^ grads.keys())}"
        )


def sgd_step(params, grads, state, learning_rate):
    """Plain gradient descent: theta <- theta - eta * dJ/dtheta, for every array in params."""
    _check_names(params, grads)
    for name, theta in params.items():
        theta -= learning_rate * grads[name]


def momentum_step(params, grads, state, learning_rate, momentum=0.9):
    """Heavy-ball momentum: v <- beta v - eta dJ/dtheta, then theta <- theta + v (state holds v)."""
    _check_names(params, grads)
    velocities = state.setdefault("velocity", {name: np.zeros_like(p) for name, p in params.items()})
    for name, theta in params.items():
        velocity = velocities[name]
        velocity *= momentum
        velocity -= learning_rate * grads[name]
        theta += velocity


def adam_step(params, grads, state, learning_rate=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0):
    """Adam with bias correction; with ``weight_decay`` > 0, AdamW's decoupled decay.

    m <- beta1 m + (1 - beta1) g;  v <- beta2 v + (1 - beta2) g^2;  t <- t + 1
    theta <- theta - eta * ( m / (1 - beta1^t) / (sqrt(v / (1 - beta2^t)) + eps) + weight_decay * theta )
    """
    _check_names(params, grads)
    first = state.setdefault("m", {name: np.zeros_like(p) for name, p in params.items()})
    second = state.setdefault("v", {name: np.zeros_like(p) for name, p in params.items()})
    state["t"] = t = state.get("t", 0) + 1
    for name, theta in params.items():
        g = grads[name]
        first[name] *= beta1
        first[name] += (1 - beta1) * g
        second[name] *= beta2
        second[name] += (1 - beta2) * g * g
        m_hat = first[name] / (1 - beta1**t)
        v_hat = second[name] / (1 - beta2**t)
        if weight_decay:
            theta -= learning_rate * weight_decay * theta
        theta -= learning_rate * m_hat / (np.sqrt(v_hat) + eps)
