"""helpers.training (exported from notebook 05): the training loop's steps do what they promise."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.data import minibatches, one_hot
from helpers.layers import init_params, mlp_forward, softmax_cross_entropy
from helpers.optimizers import sgd_step
from helpers.training import mlp_accuracy, mlp_evaluate, mlp_predict, mlp_train, mlp_train_epoch


def _blobs(n=120, seed=0):
    """Three well-separated Gaussian clusters in 2-D: X (n, 2), integer y (n,), one-hot Y (n, 3)."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, size=n)
    centres = np.array([[3.0, 0.0], [-3.0, 0.0], [0.0, 3.0]])
    X = centres[y] + 0.5 * rng.standard_normal((n, 2))
    return X, y, one_hot(y, 3)


def test_train_learns_separable_data_and_records_its_history():
    X, y, Y = _blobs()
    params, history = mlp_train(
        [2, 16, 3], X, Y, epochs=5, learning_rate=0.1, momentum=0.9, batch_size=20, seed=0, validation=(X, Y)
    )
    assert mlp_accuracy(params, X, y) == 1.0
    assert history["train_loss"][-1] < history["train_loss"][0]
    assert len(history["batch_loss"]) == 5 * 6 and len(history["seconds"]) == 5
    assert history["val_loss"][-1] == pytest.approx(mlp_evaluate(params, X, Y)[0])
    assert history["val_accuracy"][-1] == 1.0


def test_train_is_reproducible_from_its_seed_and_drops_validation_keys_without_validation():
    X, _, Y = _blobs()
    settings = dict(epochs=2, learning_rate=0.1, momentum=0.9, batch_size=32)
    first, history = mlp_train([2, 8, 3], X, Y, seed=3, **settings)
    second, _ = mlp_train([2, 8, 3], X, Y, seed=3, **settings)
    other, _ = mlp_train([2, 8, 3], X, Y, seed=4, **settings)
    assert all(np.array_equal(first[k], second[k]) for k in first)
    assert not np.array_equal(first["W1"], other["W1"])
    assert "val_loss" not in history and "val_accuracy" not in history


def test_train_epoch_takes_one_step_per_minibatch_and_calls_the_monitor_after_each():
    X, _, Y = _blobs(n=50)
    params = init_params([2, 4, 3], np.random.default_rng(0))
    before = {k: v.copy() for k, v in params.items()}
    seen = []
    loss, acc, batch_losses = mlp_train_epoch(
        params,
        {},
        X,
        Y,
        np.random.default_rng(1),
        learning_rate=0.5,
        momentum=0.0,
        batch_size=20,
        monitor=lambda p, state: seen.append({k: v.copy() for k, v in p.items()}),
        step=lambda params, grads, state, learning_rate, momentum: sgd_step(
            params, grads, state, learning_rate
        ),
    )
    assert len(batch_losses) == len(seen) == 3  # 20 + 20 + 10
    assert not np.array_equal(seen[0]["W1"], before["W1"]) and np.array_equal(seen[-1]["W1"], params["W1"])
    assert loss == pytest.approx((20 * batch_losses[0] + 20 * batch_losses[1] + 10 * batch_losses[2]) / 50)
    # the accuracy of each minibatch before its update, over the epoch (the same order: the same seed)
    batches = minibatches(X, Y, 20, np.random.default_rng(1))
    before_each = [before, *seen[:-1]]
    right = [
        np.sum(mlp_predict(p, Xb) == Yb.argmax(axis=1))
        for p, (Xb, Yb) in zip(before_each, batches, strict=True)
    ]
    assert acc == sum(right) / 50 and 0 < acc < 1  # a real run: neither nothing nor everything right yet


def test_evaluate_and_predict_agree_with_the_layers():
    X, y, Y = _blobs(n=30)
    params = init_params([2, 5, 3], np.random.default_rng(2))
    Z, _ = mlp_forward(params, X)
    loss, acc = mlp_evaluate(params, X, Y)
    assert loss == softmax_cross_entropy(Z, Y)[0]
    assert np.array_equal(mlp_predict(params, X), Z.argmax(axis=1))
    assert acc == mlp_accuracy(params, X, y) == np.mean(Z.argmax(axis=1) == y)


def test_integer_labels_where_one_hot_targets_are_expected_fail_loudly():
    X, y, _ = _blobs(n=30)
    with pytest.raises(ValueError, match="one-hot"):
        mlp_train([2, 4, 3], X, y, epochs=1, learning_rate=0.1, momentum=0.9, batch_size=30, seed=0)
