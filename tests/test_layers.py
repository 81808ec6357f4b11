"""helpers.layers and helpers.optimizers: every backward against centred differences in float64,
the loss layers against scikit-learn, and wrong targets refused with a message that says what to do."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import log_loss

from helpers import layers as L
from helpers import optimizers as O
from helpers.data import one_hot
from helpers.gradcheck import numerical_gradient, relative_error


@pytest.fixture
def rng():
    """A fresh generator for every test: its inputs do not depend on which tests ran before it."""
    return np.random.default_rng(0)


def _check_layer(rng, forward, backward, inputs):
    """J = sum(G * forward(*inputs)) for a fixed random G: every gradient backward returns is checked."""
    out, cache = forward(*inputs)
    G = rng.standard_normal(out.shape)
    grads = backward(G, cache)
    grads = grads if isinstance(grads, tuple) else (grads,)
    assert len(grads) == len(inputs)
    for x, dx in zip(inputs, grads, strict=True):
        assert dx.shape == x.shape
        numeric = numerical_gradient(lambda: float(np.sum(G * forward(*inputs)[0])), x)
        assert relative_error(dx, numeric) < 1e-8


def test_affine_backward(rng):
    _check_layer(
        rng, L.affine_forward, L.affine_backward, [rng.standard_normal(s) for s in ((5, 4), (4, 3), (3,))]
    )


@pytest.mark.parametrize("name", ["relu", "sigmoid", "tanh"])
def test_activation_backward(name, rng):
    Z = rng.standard_normal((6, 4))
    Z[np.abs(Z) < 0.1] = 0.5  # away from ReLU's kink
    _check_layer(rng, getattr(L, f"{name}_forward"), getattr(L, f"{name}_backward"), [Z])


def test_softmax_cross_entropy_matches_scikit_learn_and_its_gradient(rng):
    Z = rng.standard_normal((7, 4)) * 3
    y = rng.integers(0, 4, size=7)
    loss, dZ = L.softmax_cross_entropy(Z, one_hot(y, 4))
    P = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
    assert loss == pytest.approx(log_loss(y, P, labels=range(4)), rel=1e-12)
    numeric = numerical_gradient(lambda: L.softmax_cross_entropy(Z, one_hot(y, 4))[0], Z)
    assert relative_error(dZ, numeric) < 1e-8


def test_mse_loss_gradient(rng):
    Y_hat, Y = rng.standard_normal((5, 3)), rng.standard_normal((5, 3))
    loss, dY_hat = L.mse_loss(Y_hat, Y)
    assert loss == pytest.approx(np.sum((Y_hat - Y) ** 2) / 10)
    assert relative_error(dY_hat, numerical_gradient(lambda: L.mse_loss(Y_hat, Y)[0], Y_hat)) < 1e-8


@pytest.mark.parametrize("loss", [L.softmax_cross_entropy, L.mse_loss])
def test_integer_labels_are_refused_even_when_the_batch_size_equals_the_class_count(loss, rng):
    Z = rng.standard_normal((3, 3))  # N = K = 3: (P - y) would broadcast silently
    with pytest.raises(ValueError, match=r"integer labels of shape \(3,\).*one_hot\(y, 3\)"):
        loss(Z, np.array([0, 2, 1]))
    with pytest.raises(ValueError, match=r"shaped like the outputs \(3, 3\), got \(3, 4\)"):
        loss(Z, np.zeros((3, 4)))


@pytest.mark.parametrize("activation", ["relu", "sigmoid", "tanh"])
def test_mlp_backward_against_centred_differences(activation, rng):
    params = L.init_params([5, 4, 4, 3], rng, scale=0.8)
    params = {name: p + 0.1 * rng.standard_normal(p.shape) for name, p in params.items()}
    X, Y = rng.standard_normal((6, 5)), one_hot(rng.integers(0, 3, size=6), 3)

    def loss():
        return L.softmax_cross_entropy(L.mlp_forward(params, X, activation)[0], Y)[0]

    Z, caches = L.mlp_forward(params, X, activation)
    grads, dX = L.mlp_backward(L.softmax_cross_entropy(Z, Y)[1], caches, input_gradient=True)  # caches alone
    assert grads.keys() == params.keys()
    for name in params:
        assert relative_error(grads[name], numerical_gradient(loss, params[name])) < 1e-7
    assert relative_error(dX, numerical_gradient(loss, X)) < 1e-7
    assert L.mlp_backward(L.softmax_cross_entropy(Z, Y)[1], caches)[1] is None


def test_mlp_backward_takes_its_activation_from_the_caches_and_counts_layers_by_name():
    local = np.random.default_rng(7)
    params = L.init_params([4, 5, 3], local, scale=0.8)
    params["gamma1"], params["beta1"] = np.ones(5), np.zeros(5)  # another layer's parameters: not counted
    assert L.count_layers(params) == 2
    X, Y = local.standard_normal((6, 4)), one_hot(local.integers(0, 3, size=6), 3)
    Z, caches = L.mlp_forward(params, X, "tanh")
    assert [cache.activation_backward for cache in caches] == [L.tanh_backward, None]
    grads, _ = L.mlp_backward(L.softmax_cross_entropy(Z, Y)[1], caches)  # no activation argument to forget
    assert grads.keys() == {"W1", "b1", "W2", "b2"}

    def loss():
        return L.softmax_cross_entropy(L.mlp_forward(params, X, "tanh")[0], Y)[0]

    assert relative_error(grads["W1"], numerical_gradient(loss, params["W1"])) < 1e-7
    with pytest.raises(TypeError):  # the old call with the activation repeated fails loudly
        L.mlp_backward(L.softmax_cross_entropy(Z, Y)[1], caches, "tanh")
    with pytest.raises(ValueError, match="no layer"):
        L.mlp_forward({"gamma1": np.ones(3)}, X)


def test_affine_backward_skips_the_input_gradient_only_when_asked():
    local = np.random.default_rng(8)
    X, W, b, dZ = (
        local.standard_normal((3, 4)),
        local.standard_normal((4, 2)),
        np.zeros(2),
        local.standard_normal((3, 2)),
    )
    _, cache = L.affine_forward(X, W, b)
    dX, dW, db = L.affine_backward(dZ, cache)
    skipped, dW2, db2 = L.affine_backward(dZ, cache, input_gradient=False)
    assert skipped is None and np.array_equal(dW, dW2) and np.array_equal(db, db2)
    np.testing.assert_allclose(dX, dZ @ W.T)


def test_init_params_scales_and_names(rng):
    params = L.init_params([400, 300, 10], np.random.default_rng(1))
    assert list(params) == ["W1", "b1", "W2", "b2"]
    assert params["W1"].std() == pytest.approx(np.sqrt(2 / 400), rel=0.02)
    assert L.init_params([400, 300], np.random.default_rng(1), scale="xavier")["W1"].std() == pytest.approx(
        np.sqrt(1 / 400), rel=0.02
    )
    with pytest.raises(ValueError, match="scale must be"):
        L.init_params([3, 2], rng, scale="glorot")


def test_optimizers_on_a_quadratic_follow_their_formulas():
    # J = 1/2 sum(theta^2): the gradient is theta. Each rule's first steps, computed by hand.
    params, state = {"w": np.array([1.0, -2.0])}, {}
    O.sgd_step(params, {"w": params["w"].copy()}, state, learning_rate=0.1)
    np.testing.assert_allclose(params["w"], [0.9, -1.8])

    params, state = {"w": np.array([1.0])}, {}
    for expected in (0.9, 0.9 - 0.09 - 0.09):  # v1 = -0.1; v2 = 0.9 v1 - 0.1 * 0.9
        O.momentum_step(params, {"w": params["w"].copy()}, state, learning_rate=0.1, momentum=0.9)
        np.testing.assert_allclose(params["w"], [expected])

    params, state = {"w": np.array([3.0, -0.5])}, {}
    O.adam_step(params, {"w": params["w"].copy()}, state, learning_rate=0.01, eps=0.0)
    np.testing.assert_allclose(params["w"], [2.99, -0.49])  # first step: eta * sign(g), bias-corrected
    assert state["t"] == 1

    with pytest.raises(KeyError, match="unmatched"):
        O.sgd_step({"w": np.zeros(1)}, {"v": np.zeros(1)}, {}, learning_rate=0.1)
