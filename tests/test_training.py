"""helpers.training: the series' one training loop (notebook 03), the scores of a classifier, a fresh
network trained (notebook 05), and comparisons replicated over seeds (notebook 06)."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.data import one_hot
from helpers.layers import init_params, mlp_forward, softmax_cross_entropy
from helpers.optimizers import adam_step, momentum_step, sgd_step
from helpers.training import (
    copy_params,
    evaluate,
    fit_mlp,
    mlp_loss_and_gradients,
    paired_difference,
    replicate,
    train,
)


def _blobs(n=120, seed=0):
    """Three well-separated Gaussian clusters in 2-D: X (n, 2), integer y (n,), one-hot Y (n, 3)."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, size=n)
    centres = np.array([[3.0, 0.0], [-3.0, 0.0], [0.0, 3.0]])
    X = centres[y] + 0.5 * rng.standard_normal((n, 2))
    return X, y, one_hot(y, 3)


def _train(params, X, Y, **options):
    settings = dict(
        rule=momentum_step, learning_rate=0.1, epochs=5, batch_size=20, rng=np.random.default_rng(1)
    )
    return train(params, mlp_loss_and_gradients, X, Y, **(settings | options))


def test_train_learns_separable_data_and_records_its_history():
    X, y, Y = _blobs()
    params = init_params([2, 16, 3], np.random.default_rng(0))
    history = _train(params, X, Y, evaluate_on={"train": (X, y)}, forward=mlp_forward)
    assert evaluate(mlp_forward, params, X, y)["accuracy"] == 1.0  # the blobs are separable
    assert len(history["loss"]) == len(history["learning_rate"]) == 5 * 6  # 120 examples in batches of 20
    assert len(history["epoch_loss"]) == len(history["seconds"]) == len(history["train_loss"]) == 5
    assert history["epoch_loss"][0] == pytest.approx(np.mean(history["loss"][:6]))  # equal batches
    assert history["train_loss"][-1] == evaluate(mlp_forward, params, X, y)["loss"]
    assert history["train_loss"][-1] < history["train_loss"][0] / 5
    assert history["best_epoch"] is None and history["diverged"] is False  # no validation set


def test_train_is_reproducible_from_its_generator():
    X, _, Y = _blobs()
    runs = []
    for seed in (3, 3, 4):
        params = init_params([2, 8, 3], np.random.default_rng(0))
        _train(params, X, Y, epochs=2, rng=np.random.default_rng(seed))
        runs.append(params)
    assert all(np.array_equal(runs[0][k], runs[1][k]) for k in runs[0])
    assert not np.array_equal(runs[0]["W1"], runs[2]["W1"])  # another minibatch order


def test_the_schedule_gets_the_update_count_and_the_monitor_sees_every_update():
    X, _, Y = _blobs(n=50)
    params = init_params([2, 4, 3], np.random.default_rng(0))
    seen = []
    history = _train(
        params,
        X,
        Y,
        rule=sgd_step,
        epochs=2,
        learning_rate=lambda step: 0.5 / (1 + step),
        monitor=lambda step, p, grads, state: seen.append((step, p["W1"].copy(), grads.keys() == p.keys())),
    )
    assert history["learning_rate"] == [0.5 / (1 + t) for t in range(6)]  # 20 + 20 + 10, twice
    assert [step for step, _, _ in seen] == [1, 2, 3, 4, 5, 6] and all(same for *_, same in seen)
    assert np.array_equal(seen[-1][1], params["W1"]) and not np.array_equal(seen[0][1], seen[1][1])
    first = history["loss"][:3]
    assert history["epoch_loss"][0] == pytest.approx((20 * first[0] + 20 * first[1] + 10 * first[2]) / 50)


def test_any_update_rule_plugs_in_with_its_own_settings():
    X, y, Y = _blobs()
    params = init_params([2, 8, 3], np.random.default_rng(0))
    history = _train(params, X, Y, rule=adam_step, rule_args={"beta1": 0.8}, learning_rate=0.01)
    assert history["epoch_loss"][-1] < history["epoch_loss"][0]
    with pytest.raises(TypeError, match="momentum"):  # sgd_step has no momentum: the mistake is loud
        _train(
            init_params([2, 8, 3], np.random.default_rng(0)), X, Y, rule=sgd_step, rule_args={"momentum": 0.9}
        )


def test_early_stopping_stops_and_writes_the_best_weights_back_in_place():
    X, y, Y = _blobs(n=200)
    X_val, y_val, _ = _blobs(n=60, seed=5)
    params = init_params([2, 32, 3], np.random.default_rng(0))
    W1 = params["W1"]
    history = _train(
        params,
        X,
        Y,
        epochs=200,
        learning_rate=0.3,
        evaluate_on={"val": (X_val, y_val)},
        forward=mlp_forward,
        patience=3,
    )
    n_run, best = len(history["val_loss"]), history["best_epoch"]
    assert n_run < 200 and n_run == best + 3  # stopped after three epochs without a new best
    assert history["val_loss"][best - 1] == min(history["val_loss"])
    assert params["W1"] is W1  # the same arrays, changed in place
    assert evaluate(mlp_forward, params, X_val, y_val)["loss"] == min(history["val_loss"])


def test_a_diverging_run_stops_at_once_and_says_so(capsys):
    X, y, Y = _blobs()
    params = init_params([2, 8, 3], np.random.default_rng(0))
    with np.errstate(all="ignore"):
        history = _train(params, X, Y, rule=sgd_step, learning_rate=1e6, epochs=50, log=True)
    assert history["diverged"] is True and len(history["epoch_loss"]) < 50
    assert all(np.isfinite(history["loss"]))  # the non-finite loss was not recorded nor stepped on
    assert "diverged" in capsys.readouterr().out
    capped = _train(init_params([2, 8, 3], np.random.default_rng(0)), X, Y, max_loss=0.0)
    assert capped["diverged"] and capped["loss"] == []


def test_train_refuses_what_it_cannot_do():
    X, y, Y = _blobs()
    params = init_params([2, 8, 3], np.random.default_rng(0))
    with pytest.raises(ValueError, match="forward="):
        _train(params, X, Y, evaluate_on={"val": (X, y)})
    with pytest.raises(ValueError, match="validation loss"):
        _train(params, X, Y, patience=2)
    with pytest.raises(ValueError, match="one-hot"):  # integer labels where the loss wants one-hot
        _train(params, X, y)


def test_evaluate_in_batches_equals_the_whole_set_and_refuses_one_hot_labels():
    X, y, Y = _blobs(n=95)
    params = init_params([2, 5, 3], np.random.default_rng(2))
    Z, _ = mlp_forward(params, X)
    scores = evaluate(mlp_forward, params, X, y, batch_size=10)
    assert scores["loss"] == pytest.approx(softmax_cross_entropy(Z, Y)[0], rel=1e-14)
    assert scores["accuracy"] == np.mean(Z.argmax(axis=1) == y)
    with pytest.raises(ValueError, match="pass y, not one-hot Y"):
        evaluate(mlp_forward, params, X, Y)


def test_copy_params_is_a_deep_copy():
    params = init_params([2, 3], np.random.default_rng(0))
    copy = copy_params(params)
    copy["W1"] += 1.0
    assert not np.array_equal(copy["W1"], params["W1"]) and copy.keys() == params.keys()


def test_fit_mlp_is_reproducible_from_its_seed_and_trains():
    X, y, Y = _blobs()
    first, history = fit_mlp(
        [2, 8, 3], X, Y, seed=3, epochs=3, learning_rate=0.1, batch_size=32, lr_decay=0.5
    )
    second, _ = fit_mlp([2, 8, 3], X, Y, seed=3, epochs=3, learning_rate=0.1, batch_size=32, lr_decay=0.5)
    assert all(np.array_equal(first[k], second[k]) for k in first)
    assert history["learning_rate"][::4] == [0.1, 0.05, 0.025]  # 4 minibatches per epoch, halved each epoch
    assert evaluate(mlp_forward, first, X, y)["accuracy"] == 1.0


def test_paired_difference_against_a_hand_count():
    right_a = np.array([True, True, True, False, True, False])
    right_b = np.array([True, False, False, False, True, True])
    difference, error, only_a, only_b = paired_difference(right_a, right_b)
    d = np.array([0, 1, 1, 0, 0, -1.0])
    assert (only_a, only_b) == (2, 1)
    assert difference == pytest.approx(1 / 6)
    assert error == pytest.approx(np.std(d, ddof=1) / np.sqrt(6))


def test_replicate_pairs_by_seed():
    calls = []

    def run(seed, bonus):
        calls.append((seed, bonus))
        return 0.5 + 0.01 * seed + bonus  # the seed's luck is shared by both configurations

    reps = replicate(run, {"plain": {"bonus": 0.0}, "better": {"bonus": 0.02}}, seeds=[1, 2, 5])
    assert sorted(calls) == sorted((s, b) for s in (1, 2, 5) for b in (0.0, 0.02))
    np.testing.assert_allclose(reps.scores["plain"], [0.51, 0.52, 0.55])
    mean, error, per_seed = reps.difference("better", "plain")
    np.testing.assert_allclose(per_seed, [0.02, 0.02, 0.02])
    assert mean == pytest.approx(0.02) and error == pytest.approx(0.0, abs=1e-15)  # the luck cancels
    text = reps.report("plain")
    assert "better minus plain: +2.00 +- 0.00 points (paired over 3 seeds; larger on 3, smaller on 0)" in text
    assert text.splitlines()[1].split() == ["1", "51.00%", "53.00%"]
    with pytest.raises(ValueError, match="at least 3 seeds"):
        replicate(run, {"plain": {"bonus": 0.0}}, seeds=[1, 2])
