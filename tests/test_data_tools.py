"""helpers.data: iris split and standardisation, one_hot, minibatches, train_val_split."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import load_iris as sklearn_iris

from helpers.data import load_iris, minibatches, one_hot, split_mnist, train_val_split


def test_iris_split_is_stratified_seeded_and_standardised_on_training_only():
    (x_train, y_train), (x_test, y_test), info = load_iris(test_size=0.3, seed=0)
    assert x_train.shape == (105, 4) and x_test.shape == (45, 4)
    assert np.bincount(y_train).tolist() == [35, 35, 35]
    assert np.bincount(y_test).tolist() == [15, 15, 15]
    np.testing.assert_allclose(x_train.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(x_train.std(axis=0), 1, atol=1e-12)
    assert np.abs(x_test.mean(axis=0)).max() > 1e-3  # test data is scaled with the training statistics
    raw = sklearn_iris().data
    restored = np.vstack([x_train, x_test]) * info["std"] + info["mean"]
    # every restored row is a row of the original data set, and each is used exactly once
    matches = (np.abs(restored[:, None, :] - raw[None, :, :]).max(axis=2) < 1e-9).sum(axis=1)
    assert matches.min() >= 1 and len(np.unique(np.round(restored, 6), axis=0)) == len(np.unique(raw, axis=0))
    assert info["class_names"] == ["setosa", "versicolor", "virginica"]
    assert all(type(name) is str for name in info["class_names"] + info["feature_names"])
    assert len(info["feature_names"]) == 4


def test_iris_is_reproducible_and_the_seed_matters():
    first, second, other = load_iris(seed=1), load_iris(seed=1), load_iris(seed=2)
    np.testing.assert_array_equal(first[0][0], second[0][0])
    assert not np.array_equal(first[0][0], other[0][0])


def test_one_hot_encodes_rows():
    encoded = one_hot(np.array([2, 0, 1, 2]), 3)
    np.testing.assert_array_equal(encoded, [[0, 0, 1], [1, 0, 0], [0, 1, 0], [0, 0, 1]])
    assert encoded.dtype == np.float64
    np.testing.assert_array_equal(one_hot(np.array([1.0, 0.0]), 2), [[0, 1], [1, 0]])  # whole floats are fine


@pytest.mark.parametrize(
    ("labels", "num_classes", "message"),
    [
        ([0, 3], 3, r"outside 0…2: \[3\]"),
        ([-1, 0], 3, r"outside 0…2: \[-1\]"),
        ([0.5, 1.0], 3, "non-integer values such as 0.5"),
        (["a", "b"], 3, "integer class labels"),
        ([[0, 1]], 3, "1-D array"),
    ],
)
def test_one_hot_rejects_bad_labels_clearly(labels, num_classes, message):
    with pytest.raises(ValueError, match=message):
        one_hot(np.array(labels), num_classes)


def test_minibatches_cover_every_example_once_in_a_seeded_order():
    X = np.arange(23)[:, None] * np.ones((1, 2))
    Y = np.arange(23)
    batches = list(minibatches(X, Y, 5, np.random.default_rng(0)))
    assert [len(b[1]) for b in batches] == [5, 5, 5, 5, 3]
    seen = np.concatenate([b[1] for b in batches])
    assert sorted(seen.tolist()) == list(range(23)) and seen.tolist() != list(range(23))
    for X_batch, Y_batch in batches:
        np.testing.assert_array_equal(X_batch[:, 0], Y_batch)  # rows stay paired
    again = np.concatenate([b[1] for b in minibatches(X, Y, 5, np.random.default_rng(0))])
    np.testing.assert_array_equal(seen, again)
    in_order = np.concatenate([b[1] for b in minibatches(X, Y, 5, np.random.default_rng(0), shuffle=False)])
    assert in_order.tolist() == list(range(23))


def test_minibatches_reject_bad_arguments():
    with pytest.raises(ValueError, match="same number of rows"):
        list(minibatches(np.zeros((3, 2)), np.zeros(4), 2, np.random.default_rng(0)))
    with pytest.raises(ValueError, match="positive integer"):
        list(minibatches(np.zeros((3, 2)), np.zeros(3), 0, np.random.default_rng(0)))
    with pytest.raises(TypeError, match="default_rng"):
        list(minibatches(np.zeros((3, 2)), np.zeros(3), 2, 0))


def test_train_val_split_partitions_the_rows():
    X, y = np.arange(50)[:, None], np.arange(50)
    (X_train, y_train), (X_val, y_val) = train_val_split(X, y, 0.2, np.random.default_rng(3))
    assert len(y_val) == 10 and len(y_train) == 40
    assert sorted(np.concatenate([y_train, y_val]).tolist()) == list(range(50))
    np.testing.assert_array_equal(X_train[:, 0], y_train)
    (_, y_train_n), (_, y_val_n) = train_val_split(X, y, 7, np.random.default_rng(3))
    assert len(y_val_n) == 7 and len(y_train_n) == 43
    for bad in (0, 50, 0.0, 1.0):
        with pytest.raises(ValueError, match="at least one on each side"):
            train_val_split(X, y, bad, np.random.default_rng(0))


def test_split_mnist_gives_disjoint_scaled_subsets():
    images = (np.arange(20 * 28 * 28, dtype=np.int64).reshape(20, 28, 28) % 256).astype(np.uint8)
    labels = np.arange(20)
    (X_train, y_train), (X_val, y_val) = split_mnist(images, labels, 12, 5, np.random.default_rng(0))
    assert X_train.shape == (12, 784) and X_val.shape == (5, 784) and X_train.dtype == np.float64
    assert not set(y_train) & set(y_val)
    assert X_train.min() >= 0.0 and X_train.max() <= 1.0
    assert np.array_equal(X_train[0], images[y_train[0]].reshape(-1) / 255.0)
    with pytest.raises(ValueError, match="must not overlap"):
        split_mnist(images, labels, 15, 10, np.random.default_rng(0))
