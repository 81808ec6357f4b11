"""Dropout and the L2 penalty (helpers.layers, from notebook 06) and helpers.training: gradients against
centred differences in float64, dropout's statistics, the paired comparison against a hand count, and the
training loop's early stopping."""

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


def test_split_mnist_gives_disjoint_scaled_subsets():
    images = np.arange(20 * 28 * 28, dtype=np.int64).reshape(20, 28, 28) % 256
    images = images.astype(np.uint8)
    labels = np.arange(20)
    (X_train, y_train), (X_val, y_val) = T.split_mnist(images, labels, 12, 5, np.random.default_rng(0))
    assert X_train.shape == (12, 784) and X_val.shape == (5, 784) and X_train.dtype == np.float64
    assert not set(y_train) & set(y_val)
    assert X_train.min() >= 0.0 and X_train.max() <= 1.0
    assert np.array_equal(X_train[0], images[y_train[0]].reshape(-1) / 255.0)


def test_paired_difference_against_a_hand_count():
    right_a = np.array([True, True, True, False, True, False])
    right_b = np.array([True, False, False, False, True, True])
    difference, error, only_a, only_b = T.paired_difference(right_a, right_b)
    d = np.array([0, 1, 1, 0, 0, -1.0])
    assert (only_a, only_b) == (2, 1)
    assert difference == pytest.approx(1 / 6)
    assert error == pytest.approx(np.std(d, ddof=1) / np.sqrt(6))


def _blobs(seed, n=200):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, n)
    X = rng.standard_normal((n, 4)) * 0.5 + np.eye(3, 4)[y] * 2.0
    return X, y


def test_train_lowers_the_loss_and_early_stopping_returns_the_best_weights():
    train_set, val_set = _blobs(0), _blobs(1, 100)
    params = L.init_params([4, 8, 3], np.random.default_rng(0))
    first_loss = T.evaluate_mlp(params, *val_set)[0]
    best, history, best_epoch = T.train_mlp(
        T.fresh_copy(params),
        T.mlp_loss_and_gradients,
        train_set,
        val_set,
        shuffle_seed=0,
        n_epochs=30,
        patience=3,
    )
    assert min(history["val_loss"]) < first_loss / 2
    assert T.evaluate_mlp(best, *val_set)[0] == min(history["val_loss"])
    assert history["val_loss"][best_epoch - 1] == min(history["val_loss"])
    # the same seeds give the same run; without a validation set nothing is recorded
    runs = [
        T.train_mlp(
            T.fresh_copy(params), T.mlp_loss_and_gradients, train_set, None, shuffle_seed=0, n_epochs=2
        )
        for _ in range(2)
    ]
    np.testing.assert_array_equal(runs[0][0]["W1"], runs[1][0]["W1"])
    assert runs[0][0]["W1"] is not params["W1"] and not np.array_equal(runs[0][0]["W1"], params["W1"])
    assert all(values == [] for values in runs[0][1].values())
    with pytest.raises(ValueError, match="val_set"):
        T.train_mlp(
            T.fresh_copy(params), T.mlp_loss_and_gradients, train_set, None, shuffle_seed=0, patience=2
        )


def test_early_stopping_says_so_when_training_diverges():
    train_set, val_set = _blobs(0), _blobs(1, 100)
    params = L.init_params([4, 8, 3], np.random.default_rng(0))
    with np.errstate(all="ignore"), pytest.raises(ValueError, match="never finite.*lower the learning rate"):
        T.train_mlp(
            params,
            T.mlp_loss_and_gradients,
            train_set,
            val_set,
            learning_rate=1e200,
            shuffle_seed=0,
            patience=2,
        )
