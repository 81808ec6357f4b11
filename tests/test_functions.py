"""helpers.functions against independent references (SciPy, scikit-learn) and finite differences."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from scipy import special
from sklearn.metrics import log_loss

from helpers import functions as F
from helpers.gradcheck import numerical_gradient, relative_error

Z = np.random.default_rng(0).normal(scale=3, size=(6, 4))


def test_activations_match_scipy_and_numpy():
    np.testing.assert_allclose(F.sigmoid(Z), special.expit(Z), rtol=1e-14)
    np.testing.assert_array_equal(F.tanh(Z), np.tanh(Z))
    np.testing.assert_array_equal(F.relu(Z), np.where(Z > 0, Z, 0))
    np.testing.assert_allclose(F.softmax(Z), special.softmax(Z, axis=1), rtol=1e-14)
    np.testing.assert_allclose(F.softmax(Z[0]), special.softmax(Z[0]), rtol=1e-14)


@pytest.mark.parametrize(
    ("f", "f_prime"), [(F.sigmoid, F.sigmoid_prime), (F.tanh, F.tanh_prime), (F.relu, F.relu_prime)]
)
def test_derivatives_match_centred_differences(f, f_prime):
    z = Z[np.abs(Z) > 0.1].copy()  # away from ReLU's kink
    numeric = numerical_gradient(lambda: float(np.sum(f(z))), z)
    assert relative_error(f_prime(z), numeric) < 1e-8


def test_extreme_logits_stay_finite_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np.testing.assert_array_equal(F.sigmoid(np.array([-1000.0, 0.0, 1000.0])), [0.0, 0.5, 1.0])
        P = F.softmax(np.array([[1000.0, 1001.0], [-1000.0, -1001.0]]))
    assert np.all(np.isfinite(P)) and np.allclose(P.sum(axis=1), 1)


def test_losses_match_their_definitions_and_scikit_learn():
    P = F.softmax(Z)
    y = np.array([0, 1, 2, 3, 0, 1])
    Y = np.eye(4)[y]
    assert F.cross_entropy(P, Y) == pytest.approx(log_loss(y, P, labels=range(4)), rel=1e-12)
    Y_hat = Z * 0.1
    assert F.mse(Y_hat, Y) == pytest.approx(0.5 * np.mean(np.sum((Y_hat - Y) ** 2, axis=1)), rel=1e-14)
    assert F.cross_entropy(np.full((3, 5), 0.2), np.eye(5)[[0, 3, 4]]) == pytest.approx(np.log(5))


def test_losses_refuse_integer_labels_with_a_hint():
    with pytest.raises(ValueError, match="one-hot"):
        F.cross_entropy(F.softmax(Z), np.array([0, 1, 2, 3, 0, 1]))
    with pytest.raises(ValueError, match=r"\(6, 4\) and \(6, 3\)"):
        F.mse(Z, Z[:, :3])


def test_derivatives_keep_the_float_dtype_of_their_input():
    z32 = Z.astype(np.float32)
    for f_prime in (F.sigmoid_prime, F.tanh_prime, F.relu_prime):
        assert f_prime(z32).dtype == np.float32, f_prime.__name__
    assert F.relu_prime(np.array([-1, 0, 2])).dtype == np.float64
    np.testing.assert_array_equal(F.relu_prime(np.array([-1, 0, 2])), [0.0, 0.0, 1.0])
