"""helpers.recurrent: notebook 08's RNN in the layer contract.

Every backward pass against centred differences (check_layer: J = sum(G * out) for a random G), BPTT against the autodiff engine, batch-first shapes,
dtypes, clear errors, truncated BPTT, and notebook 08's numbers as the time-first version computed them.
"""

from __future__ import annotations

import numpy as np
import pytest

from helpers.autodiff import Tensor
from helpers.gradcheck import check_gradient, check_layer, numerical_gradient, relative_error
from helpers.layers import affine_forward, mse_loss
from helpers.recurrent import (
    clip_by_norm,
    global_norm,
    init_rnn_params,
    make_sine_data,
    rnn_backward,
    rnn_forward,
    rnn_loss_and_gradients,
    rnn_network_backward,
    rnn_network_forward,
    rnn_step_backward,
    rnn_step_forward,
    sequence_mse_loss,
    temporal_affine_backward,
    temporal_affine_forward,
    train_truncated,
)


def _problem(seed=0, n=3, steps=6, hidden=5):
    """A small float64 problem with non-zero biases and initial state: X, Y (N, T, 1), params, h0 (N, n_h)."""
    rng = np.random.default_rng(seed)
    X, Y = make_sine_data(n, steps, rng)
    params = init_rnn_params(1, hidden, 1, rng)
    params["b_h"] = rng.normal(0, 0.1, size=hidden)
    params["b_y"] = rng.normal(0, 0.1, size=1)
    h0 = rng.normal(0, 0.5, size=(n, hidden))
    return X, Y, params, h0


def test_sequences_are_batch_first_and_the_target_is_the_next_sample():
    X, Y = make_sine_data(4, 10, np.random.default_rng(1))
    assert X.shape == Y.shape == (4, 10, 1)
    assert np.array_equal(X[:, 1:], Y[:, :-1])  # the target at step t is the input at step t + 1
    assert not np.shares_memory(X, Y)  # perturbing X (a gradient check) must leave Y alone
    params = init_rnn_params(1, 7, 1, np.random.default_rng(2))
    H, cache = rnn_forward(X, np.zeros((4, 7)), params["W_xh"], params["W_hh"], params["b_h"])
    assert H.shape == (4, 10, 7) and len(cache) == 10
    Y_hat, network_cache = rnn_network_forward(params, X, np.zeros((4, 7)))
    assert Y_hat.shape == (4, 10, 1) and np.array_equal(network_cache["H"], H)


def test_the_layer_is_the_step_in_a_loop():
    X, _, params, h0 = _problem(seed=1, n=4, steps=5, hidden=3)
    H, _ = rnn_forward(X, h0, params["W_xh"], params["W_hh"], params["b_h"])
    h = h0
    for t in range(1, 6):
        h = np.tanh(X[:, t - 1] @ params["W_xh"] + h @ params["W_hh"] + params["b_h"])  # the formula of 08
        assert np.array_equal(H[:, t - 1], h)


def test_step_backward_matches_finite_differences():
    rng = np.random.default_rng(5)
    x_t, h_prev = rng.normal(size=(4, 3)), rng.normal(0, 0.5, size=(4, 6))
    W_xh, W_hh, b_h = rng.normal(size=(3, 6)), rng.normal(0, 0.5, size=(6, 6)), rng.normal(0, 0.1, size=6)
    errors = check_layer(rnn_step_forward, rnn_step_backward, x_t, h_prev, W_xh, W_hh, b_h, rng=rng)
    assert list(errors) == ["x_t", "h_prev", "W_xh", "W_hh", "b_h"]


def test_rnn_backward_matches_finite_differences_for_every_input_and_parameter():
    X, _, params, h0 = _problem(seed=2, n=3, steps=7, hidden=4)
    X = np.random.default_rng(3).normal(size=(3, 7, 2))  # D = 2, so that dX is more than a column
    W_xh = np.random.default_rng(4).normal(size=(2, 4))
    errors = check_layer(rnn_forward, rnn_backward, X, h0, W_xh, params["W_hh"], params["b_h"])
    assert list(errors) == ["X", "h0", "W_xh", "W_hh", "b_h"]


def test_temporal_affine_is_the_affine_layer_at_every_step():
    rng = np.random.default_rng(6)
    H, W, b = rng.normal(size=(3, 4, 5)), rng.normal(size=(5, 2)), rng.normal(size=2)
    Y, _ = temporal_affine_forward(H, W, b)
    for t in range(4):
        assert np.allclose(Y[:, t], affine_forward(H[:, t], W, b)[0], rtol=1e-14, atol=0)
    assert list(check_layer(temporal_affine_forward, temporal_affine_backward, H, W, b)) == ["H", "W", "b"]


def test_sequence_mse_loss_is_mse_loss_over_batch_and_steps():
    rng = np.random.default_rng(7)
    Y_hat, Y = rng.normal(size=(3, 4, 2)), rng.normal(size=(3, 4, 2))
    loss, dY_hat = sequence_mse_loss(Y_hat, Y)
    assert np.isclose(loss, np.sum((Y_hat - Y) ** 2) / (2 * 3 * 4), rtol=1e-14)
    assert np.allclose(dY_hat, (Y_hat - Y) / (3 * 4), rtol=1e-14, atol=0)
    assert loss == mse_loss(Y_hat.reshape(12, 2), Y.reshape(12, 2))[0]
    numeric = numerical_gradient(lambda: sequence_mse_loss(Y_hat, Y)[0], Y_hat)
    assert relative_error(dY_hat, numeric) < 1e-7
    with pytest.raises(ValueError, match=r"same shape \(N, T, K\)"):
        sequence_mse_loss(Y_hat, Y[:, :3])


def test_network_backward_matches_finite_differences_including_dX():
    X, Y, params, h0 = _problem(seed=8)
    Y_hat, cache = rnn_network_forward(params, X, h0)
    _, dY_hat = sequence_mse_loss(Y_hat, Y)
    grads, dX = rnn_network_backward(dY_hat, cache, input_gradient=True)
    assert list(grads) == list(params)
    assert rnn_network_backward(dY_hat, cache)[1] is None  # no dX unless asked for
    errors = check_gradient(
        lambda: sequence_mse_loss(rnn_network_forward(params, X, h0)[0], Y)[0],
        params | {"X": X},
        grads | {"X": dX},
    )
    assert len(errors) == 6


def test_loss_and_gradients_compose_the_network_from_a_zero_state():
    X, Y, params, _ = _problem(seed=11)
    loss, grads = rnn_loss_and_gradients(params, X, Y)
    Y_hat, cache = rnn_network_forward(params, X, np.zeros((3, 5)))
    expected_loss, dY_hat = sequence_mse_loss(Y_hat, Y)
    assert loss == expected_loss
    for name, grad in rnn_network_backward(dY_hat, cache)[0].items():
        assert np.array_equal(grads[name], grad)
    check_gradient(lambda: rnn_loss_and_gradients(params, X, Y)[0], params, grads)


def test_bptt_matches_the_autodiff_engine():
    X, Y, params, h0 = _problem(seed=3, n=4, steps=9, hidden=6)
    Y_hat, cache = rnn_network_forward(params, X, h0)
    loss, dY_hat = sequence_mse_loss(Y_hat, Y)
    grads, _ = rnn_network_backward(dY_hat, cache)
    weights = {name: Tensor(value) for name, value in params.items()}
    h, total = Tensor(h0), Tensor(0.0)
    for t in range(X.shape[1]):
        h = (X[:, t] @ weights["W_xh"] + h @ weights["W_hh"] + weights["b_h"]).tanh()
        error = h @ weights["W_hy"] + weights["b_y"] - Y[:, t]
        total = total + (error * error).sum()
    J = total / (2 * X.shape[0] * X.shape[1])
    J.backward()
    assert abs(float(J.data) - loss) < 1e-12 * loss
    for name, grad in grads.items():
        assert relative_error(weights[name].grad, grad) < 1e-12, name


def test_every_layer_keeps_float32():
    X, Y, _, h0 = _problem(seed=9)
    X, Y, h0 = X.astype(np.float32), Y.astype(np.float32), h0.astype(np.float32)
    params = init_rnn_params(1, 5, 1, np.random.default_rng(9), dtype=np.float32)
    assert all(value.dtype == np.float32 for value in params.values())
    h_t, step_cache = rnn_step_forward(X[:, 0], h0, params["W_xh"], params["W_hh"], params["b_h"])
    assert h_t.dtype == np.float32
    assert all(g.dtype == np.float32 for g in rnn_step_backward(np.ones_like(h_t), step_cache))
    Y_hat, cache = rnn_network_forward(params, X, h0)
    loss, dY_hat = sequence_mse_loss(Y_hat, Y)
    grads, dX = rnn_network_backward(dY_hat, cache, input_gradient=True)
    assert Y_hat.dtype == dY_hat.dtype == dX.dtype == cache["H"].dtype == np.float32
    assert all(g.dtype == np.float32 for g in grads.values())
    _, dh0, *_ = rnn_backward(np.ones_like(cache["H"]), cache["rnn"])
    assert dh0.dtype == np.float32
    trained, _ = train_truncated(params, X, Y, k=2, learning_rate=0.1, n_epochs=1)
    assert all(value.dtype == np.float32 for value in trained.values())


def test_rnn_forward_refuses_time_first_sequences_and_says_how_to_convert():
    X, _, params, h0 = _problem(n=3, steps=6)
    weights = params["W_xh"], params["W_hh"], params["b_h"]
    with pytest.raises(ValueError, match=r"transpose\(1, 0, 2\)"):
        rnn_forward(X.transpose(1, 0, 2), h0, *weights)  # (T, N, D): 6 rows, but h0 has 3
    with pytest.raises(ValueError, match=r"\(N, T, D\)"):
        rnn_forward(X[:, :, 0], h0, *weights)
    with pytest.raises(ValueError, match="at least one time step"):
        rnn_forward(X[:, :0], h0, *weights)


def test_clip_by_norm_keeps_the_direction():
    grads = {"a": np.array([3.0, 0.0]), "b": np.array([[4.0]])}
    clipped = clip_by_norm(grads, 1.0)
    assert global_norm(grads) == 5.0 and abs(global_norm(clipped) - 1.0) < 1e-15
    assert np.allclose(clipped["a"], [0.6, 0.0]) and np.allclose(clipped["b"], [[0.8]])
    assert clip_by_norm(grads, 10.0) is grads


def test_chunks_that_carry_the_state_give_the_full_forward_pass():
    X, _, params, h0 = _problem(seed=10, n=3, steps=8, hidden=4)
    Y_hat, cache = rnn_network_forward(params, X, h0)
    h, outputs = h0, []
    for start in range(0, 8, 3):
        Y_chunk, chunk_cache = rnn_network_forward(params, X[:, start : start + 3], h)
        outputs.append(Y_chunk)
        h = chunk_cache["H"][:, -1]
    assert np.allclose(np.concatenate(outputs, axis=1), Y_hat, rtol=1e-14, atol=1e-15)
    assert np.array_equal(h, cache["H"][:, -1])


def test_truncated_training_with_one_chunk_is_full_bptt_gradient_descent():
    X, Y, params, _ = _problem(seed=4, n=5, steps=8, hidden=4)
    trained, losses = train_truncated(params, X, Y, k=X.shape[1], learning_rate=0.1, n_epochs=3, max_norm=1e9)
    expected = {name: value.copy() for name, value in params.items()}
    h0 = np.zeros((5, 4))
    for _ in range(3):
        Y_hat, cache = rnn_network_forward(expected, X, h0)
        grads, _ = rnn_network_backward(sequence_mse_loss(Y_hat, Y)[1], cache)
        for name in expected:
            expected[name] -= 0.1 * grads[name]
    assert all(np.array_equal(trained[name], expected[name]) for name in params)
    assert len(losses) == 3 and losses[-1] < losses[0]
    assert not np.shares_memory(trained["W_hh"], params["W_hh"])  # the input parameters are left alone


def test_notebook_08_gives_the_numbers_of_its_time_first_version():
    """Notebook 08's experiments, computed with the batch-first layers, against the full-precision values
    that the time-first rnn_forward/rnn_backward (before the layer contract) printed: the same to 1e-12."""
    rng = np.random.default_rng(8)  # the notebook's SEED, and its draws in its order
    X_train, Y_train = make_sine_data(64, 40, rng)
    X_test, Y_test = make_sine_data(16, 40, rng)
    params = init_rnn_params(1, 16, 1, rng)
    make_sine_data(3, 6, rng), init_rnn_params(1, 5, 1, rng), rng.normal(size=5), rng.normal(size=1)
    X_long, Y_long = make_sine_data(8, 100, rng)
    Q, _ = np.linalg.qr(rng.normal(size=(16, 16)))
    base = init_rnn_params(1, 16, 1, rng)
    base["W_xh"] *= 0.1

    def close(value, reference):
        assert abs(value - reference) <= 1e-12 * abs(reference), (value, reference)

    # Section 4: 300 epochs of full-batch gradient descent, learning rate 0.1.
    trained = {name: value.copy() for name, value in params.items()}
    losses, norms = [], []
    for _ in range(300):
        loss, grads = rnn_loss_and_gradients(trained, X_train, Y_train)
        losses.append(loss)
        norms.append(global_norm(grads))
        for name in trained:
            trained[name] -= 0.1 * grads[name]
    close(losses[0], 0.8253933594027816)
    close(norms[0], 3.2020359615130896)
    close(losses[-1], 0.005340640991954426)
    close(norms[-1], 0.007315488357638308)
    close(
        sequence_mse_loss(rnn_network_forward(trained, X_test, np.zeros((16, 16)))[0], Y_test)[0],
        0.005187083312776041,
    )
    close(sequence_mse_loss(X_test, Y_test)[0], 0.024822654397671857)

    # Section 5: ||dJ/dh_1|| and ||dJ/dh_100|| for a loss on the last step, W_hh = rho Q.
    expected = {
        0.5: (2.394282443593144e-31, 0.21267696707567557),
        0.9: (4.434122199382703e-06, 0.20743570443632478),
        1.0: (0.1251213062278828, 0.19798948238486286),
        1.5: (109.5035956582958, 0.2715501083432443),
    }
    for radius, (first, last) in expected.items():
        W_hh = radius * Q
        H, step_caches = rnn_forward(X_long, np.zeros((8, 16)), base["W_xh"], W_hh, base["b_h"])
        Y_hat_T = H[:, -1] @ base["W_hy"] + base["b_y"]
        dh = mse_loss(Y_hat_T, Y_long[:, -1])[1] @ base["W_hy"].T  # dJ/dh_100
        close(np.linalg.norm(dh), last)
        for t in range(100, 1, -1):
            _, dh, _, _, _ = rnn_step_backward(dh, step_caches[t - 1])
        close(np.linalg.norm(dh), first)

    # Section 7: truncated BPTT, k = 5, 100 epochs, from the same initial parameters.
    trained_k5, losses_k5 = train_truncated(params, X_train, Y_train, k=5, learning_rate=0.1, n_epochs=100)
    close(losses_k5[0], 0.29030042774022724)
    close(losses_k5[-1], 0.00484156285704315)
    close(
        sequence_mse_loss(rnn_network_forward(trained_k5, X_test, np.zeros((16, 16)))[0], Y_test)[0],
        0.004599203245602179,
    )
