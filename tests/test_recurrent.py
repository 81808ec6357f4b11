"""helpers.recurrent: notebook 08's RNN, BPTT against finite differences and against the autodiff engine."""

from __future__ import annotations

import numpy as np

from helpers.autodiff import Tensor
from helpers.gradcheck import check_gradient, relative_error
from helpers.recurrent import (
    clip_by_norm,
    global_norm,
    init_rnn_params,
    make_sine_data,
    rnn_backward,
    rnn_forward,
    sequence_mse_loss,
    train_truncated,
)


def _problem(seed=0, n=3, steps=6, hidden=5):
    rng = np.random.default_rng(seed)
    X, Y = make_sine_data(n, steps, rng)
    params = init_rnn_params(1, hidden, 1, rng)
    params["b_h"] = rng.normal(0, 0.1, size=hidden)
    params["b_y"] = rng.normal(0, 0.1, size=1)
    h0 = rng.normal(0, 0.5, size=(n, hidden))
    return X, Y, params, h0


def test_shapes_and_targets_are_the_next_sample():
    X, Y = make_sine_data(4, 10, np.random.default_rng(1))
    assert X.shape == Y.shape == (10, 4, 1)
    assert np.array_equal(X[1:], Y[:-1])  # the target at step t is the input at step t + 1
    Y_hat, hs = rnn_forward(init_rnn_params(1, 7, 1, np.random.default_rng(2)), X, np.zeros((4, 7)))
    assert Y_hat.shape == (10, 4, 1) and len(hs) == 11 and hs[3].shape == (4, 7)


def test_bptt_matches_finite_differences_including_dh0():
    X, Y, params, h0 = _problem()
    Y_hat, hs = rnn_forward(params, X, h0)
    grads, dh0 = rnn_backward(params, X, Y, Y_hat, hs)
    errors = check_gradient(
        lambda: sequence_mse_loss(rnn_forward(params, X, h0)[0], Y), params | {"h0": h0}, grads | {"h0": dh0}
    )
    assert max(errors.values()) < 1e-7


def test_bptt_matches_the_autodiff_engine():
    X, Y, params, h0 = _problem(seed=3, n=4, steps=9, hidden=6)
    Y_hat, hs = rnn_forward(params, X, h0)
    grads, _ = rnn_backward(params, X, Y, Y_hat, hs)
    weights = {name: Tensor(value) for name, value in params.items()}
    h, total = Tensor(h0), Tensor(0.0)
    for t in range(len(X)):
        h = (X[t] @ weights["W_xh"] + h @ weights["W_hh"] + weights["b_h"]).tanh()
        error = h @ weights["W_hy"] + weights["b_y"] - Y[t]
        total = total + (error * error).sum()
    J = total / (2 * X.shape[1] * len(X))
    J.backward()
    assert abs(float(J.data) - sequence_mse_loss(Y_hat, Y)) < 1e-12
    for name, grad in grads.items():
        assert relative_error(weights[name].grad, grad) < 1e-12, name


def test_clip_by_norm_keeps_the_direction():
    grads = {"a": np.array([3.0, 0.0]), "b": np.array([[4.0]])}
    clipped = clip_by_norm(grads, 1.0)
    assert global_norm(grads) == 5.0 and abs(global_norm(clipped) - 1.0) < 1e-15
    assert np.allclose(clipped["a"], [0.6, 0.0]) and np.allclose(clipped["b"], [[0.8]])
    assert clip_by_norm(grads, 10.0) is grads


def test_truncated_training_with_one_chunk_is_full_bptt_gradient_descent():
    X, Y, params, _ = _problem(seed=4, n=5, steps=8, hidden=4)
    trained, losses = train_truncated(params, X, Y, k=len(X), learning_rate=0.1, n_epochs=3, max_norm=1e9)
    expected = {name: value.copy() for name, value in params.items()}
    h0 = np.zeros((5, 4))
    for _ in range(3):
        Y_hat, hs = rnn_forward(expected, X, h0)
        grads, _ = rnn_backward(expected, X, Y, Y_hat, hs)
        for name in expected:
            expected[name] -= 0.1 * grads[name]
    assert all(np.array_equal(trained[name], expected[name]) for name in params)
    assert len(losses) == 3 and losses[-1] < losses[0]
    assert not np.shares_memory(trained["W_hh"], params["W_hh"])  # the input parameters are left alone
