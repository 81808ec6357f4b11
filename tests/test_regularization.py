"""Dropout and the L2 penalty (helpers.layers, from notebook 06) and helpers.training: gradients against
centred differences in float64, and dropout's statistics (the training loop's early stopping and the
paired comparisons are tested in test_training.py)."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import layers as L
from helpers import training as T
from helpers.data import one_hot
from helpers.gradcheck import check_gradient, numerical_gradient, relative_error


def test_dropout_mask_keeps_with_probability_keep_prob_and_preserves_the_mean():
    A = np.ones((400, 500))
    out, mask = L.dropout_forward(A, 0.8, np.random.default_rng(0))
    assert set(np.unique(mask)) == {0.0, 1 / 0.8}
    assert np.array_equal(out, A * mask)
    assert abs(np.mean(mask > 0) - 0.8) < 0.005  # keep_prob is the probability of KEEPING a unit
    assert abs(out.mean() - 1.0) < 0.01  # inverted dropout: E[out] = A


def test_dropout_backward_against_finite_differences_with_a_fixed_mask():
    A = np.random.default_rng(1).standard_normal((6, 5))
    G = np.random.default_rng(2).standard_normal((6, 5))
    _, cache = L.dropout_forward(A, 0.5, np.random.default_rng(3))
    dA = L.dropout_backward(G, cache)
    numeric = numerical_gradient(
        lambda: float(np.sum(G * L.dropout_forward(A, 0.5, np.random.default_rng(3))[0])), A
    )
    assert relative_error(dA, numeric) < 1e-8


def test_dropout_with_keep_prob_1_is_the_identity_and_a_bad_keep_prob_is_refused():
    A = np.arange(6.0).reshape(2, 3)
    out, _ = L.dropout_forward(A, 1.0, np.random.default_rng(0))
    assert np.array_equal(out, A)
    for bad in (0.0, 1.5, -0.2):
        with pytest.raises(ValueError, match="probability of keeping"):
            L.dropout_forward(A, bad, np.random.default_rng(0))


def test_l2_penalty_value_and_gradient():
    rng = np.random.default_rng(4)
    params = L.init_params([5, 4, 3], rng)
    params["b1"] = rng.standard_normal(4)
    penalty, grads = L.l2_penalty(params, 0.3)
    assert penalty == pytest.approx(0.15 * (np.sum(params["W1"] ** 2) + np.sum(params["W2"] ** 2)))
    assert not grads["b1"].any() and not grads["b2"].any()  # the biases are not penalised
    check_gradient(lambda: L.l2_penalty(params, 0.3)[0], params, grads, tolerance=1e-7)


def test_loss_and_gradients_against_finite_differences():
    rng = np.random.default_rng(5)
    params = L.init_params([6, 5, 3], rng)
    X, Y = rng.standard_normal((4, 6)), one_hot(rng.integers(0, 3, 4), 3)
    for activation in ("sigmoid", "tanh"):
        _, grads = T.mlp_loss_and_gradients(params, X, Y, activation)
        check_gradient(lambda a=activation: T.mlp_loss_and_gradients(params, X, Y, a)[0], params, grads)
