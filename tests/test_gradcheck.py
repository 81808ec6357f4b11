"""helpers.gradcheck against gradients known in closed form (an independent reference)."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.gradcheck import check_gradient, check_layer, numerical_gradient, relative_error
from helpers.layers import affine_backward, affine_forward


def test_numerical_gradient_matches_closed_forms_and_restores_x():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(3, 4))
    A = rng.normal(size=(4, 4))
    original = x.copy()

    def quadratic():
        return float(np.sum((x @ A) * x))  # sum_i x_i^T A x_i, gradient x (A + A^T)

    numeric = numerical_gradient(quadratic, x)
    np.testing.assert_array_equal(x, original)
    assert relative_error(numeric, x @ (A + A.T)) < 1e-8
    assert relative_error(numerical_gradient(lambda: float(np.sum(np.sin(x))), x), np.cos(x)) < 1e-8


def test_centred_differences_are_second_order():
    # error of the centred difference of exp at 0 is about h^2/6: tenfold smaller h, ~100x smaller error
    x = np.zeros(1)
    errors = [abs(numerical_gradient(lambda: float(np.exp(x[0])), x, h=h)[0] - 1.0) for h in (1e-2, 1e-3)]
    assert errors[0] == pytest.approx(1e-4 / 6, rel=1e-2)
    assert 80 < errors[0] / errors[1] < 120


def test_numerical_gradient_refuses_arrays_it_cannot_perturb():
    with pytest.raises(TypeError, match="float64"):
        numerical_gradient(lambda: 0.0, np.zeros(3, dtype=np.float32))
    with pytest.raises(TypeError, match="float64"):
        numerical_gradient(lambda: 0.0, [0.0, 1.0])


def test_relative_error_scale():
    a = np.array([1.0, 2.0, 3.0])
    assert relative_error(a, a) == 0.0
    assert relative_error(a, -a) == pytest.approx(1.0)
    assert relative_error(a, a * (1 + 1e-6)) == pytest.approx(0.5e-6, rel=1e-3)
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    with pytest.raises(ValueError, match=r"\(3,\) and \(2,\)"):
        relative_error(a, a[:2])


def test_check_gradient_prints_passes_and_catches_a_wrong_gradient(capsys):
    rng = np.random.default_rng(1)
    W = rng.normal(size=(3, 2))
    b = rng.normal(size=2)
    X = rng.normal(size=(5, 3))

    def loss():
        return float(np.sum(np.tanh(X @ W + b) ** 2) / 2)

    T = np.tanh(X @ W + b)
    dZ = T * (1 - T**2)
    errors = check_gradient(loss, {"W": W, "b": b}, {"W": X.T @ dZ, "b": dZ.sum(axis=0)})
    printed = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in printed] == ["W", "b"]
    assert all("relative error: " in line for line in printed)
    assert max(errors.values()) < 1e-8
    with pytest.raises(AssertionError, match="gradient check failed for W"):
        check_gradient(loss, {"W": W, "b": b}, {"W": X.T @ dZ / 5, "b": dZ.sum(axis=0)})
    reported = check_gradient(loss, {"W": W}, {"W": X.T @ dZ / 5}, tolerance=None)
    assert reported["W"] > 0.1
    with pytest.raises(ValueError, match="shape"):
        check_gradient(loss, {"W": W}, {"W": (X.T @ dZ).T})


def test_check_layer_passes_a_right_layer_names_its_arguments_and_catches_a_wrong_one(capsys):
    rng = np.random.default_rng(3)
    X, W, b = rng.normal(size=(4, 3)), rng.normal(size=(3, 2)), rng.normal(size=2)
    errors = check_layer(affine_forward, affine_backward, X, W, b, rng=np.random.default_rng(0))
    assert list(errors) == ["X", "W", "b"] and max(errors.values()) < 1e-8
    assert "W  relative error:" in capsys.readouterr().out

    def backward_doubling_db(dZ, cache):
        dX, dW, db = affine_backward(dZ, cache)
        return dX, dW, 2 * db  # the bias gradient counted twice

    with pytest.raises(AssertionError, match="gradient check failed for b"):
        check_layer(affine_forward, backward_doubling_db, X, W, b)
    skipped = check_layer(affine_forward, lambda d, c: affine_backward(d, c, input_gradient=False), X, W, b)
    assert list(skipped) == ["W", "b"]  # a gradient returned as None is not checked


def test_check_layer_says_what_to_pass():
    X = np.ones((2, 2), dtype=np.float32)
    with pytest.raises(TypeError, match="float64"):
        check_layer(lambda X: (X * 2.0, None), lambda d, c: 2.0 * d, X)
    with pytest.raises(ValueError, match="positionally"):
        check_layer(lambda X: (X * 2.0, None), lambda d, c: (2.0 * d, d), np.ones((2, 2)))
