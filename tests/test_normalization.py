"""helpers.normalization: batch and layer normalization, every backward against centred differences in
float64, against an independent reference (the statistics computed with np.mean/np.var, and layer norm
as batch norm of the transposed input), the running statistics, and bad input refused."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import normalization as Nm
from helpers.gradcheck import numerical_gradient, relative_error


@pytest.fixture
def rng():
    """A fresh generator for every test: its inputs do not depend on which tests ran before it."""
    return np.random.default_rng(0)


def _check(rng, forward, backward, inputs, *, forward_kwargs=None):
    """J = sum(G * forward(*inputs)) for a fixed random G: every gradient backward returns is checked."""
    forward_kwargs = forward_kwargs or {}
    out, cache = forward(*inputs, **forward_kwargs)
    G = rng.standard_normal(out.shape)
    grads = backward(G, cache)
    assert len(grads) == len(inputs)
    for x, dx in zip(inputs, grads, strict=True):
        assert dx.shape == x.shape
        numeric = numerical_gradient(lambda: float(np.sum(G * forward(*inputs, **forward_kwargs)[0])), x)
        assert relative_error(dx, numeric) < 1e-8


@pytest.mark.parametrize("shape", [(6, 5), (3, 4, 5), (1, 5)])
def test_layernorm_backward(shape, rng):
    _check(
        rng,
        Nm.layernorm_forward,
        Nm.layernorm_backward,
        [rng.normal(1.0, 2.0, shape), *rng.standard_normal((2, 5))],
    )


def test_layernorm_forward_against_a_direct_computation(rng):
    X = rng.normal(3.0, 2.0, (4, 3, 6))
    gamma, beta = rng.standard_normal(6), rng.standard_normal(6)
    out, _ = Nm.layernorm_forward(X, gamma, beta, eps=1e-5)
    expected = (X - X.mean(axis=-1, keepdims=True)) / np.sqrt(
        X.var(axis=-1, keepdims=True) + 1e-5
    ) * gamma + beta
    np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-12)


def test_layernorm_refuses_parameters_of_the_wrong_shape():
    with pytest.raises(ValueError, match=r"gamma and beta of shape \(d,\)"):
        Nm.layernorm_forward(np.zeros((2, 3)), np.ones(2), np.zeros(2))


@pytest.mark.parametrize("training", [True, False])
def test_batchnorm_backward(training, rng):
    state = {"running_mean": rng.standard_normal(4), "running_var": rng.uniform(0.5, 2.0, 4)}
    state_before = {k: v.copy() for k, v in state.items()}
    inputs = [rng.normal(2.0, 3.0, (6, 4)), *rng.standard_normal((2, 4))]
    if training:
        _check(
            rng,
            Nm.batchnorm_forward,
            Nm.batchnorm_backward,
            inputs,
            forward_kwargs={"state": {}, "training": True},
        )
    else:
        _check(
            rng,
            Nm.batchnorm_forward,
            Nm.batchnorm_backward,
            inputs,
            forward_kwargs={"state": state, "training": False},
        )
        for name in state:  # evaluation mode reads the running statistics and does not change them
            np.testing.assert_array_equal(state[name], state_before[name])


def test_batchnorm_forward_against_a_direct_computation(rng):
    X = rng.normal(3.0, 2.0, (8, 5))
    gamma, beta = rng.standard_normal(5), rng.standard_normal(5)
    out, _ = Nm.batchnorm_forward(X, gamma, beta, {}, training=True, eps=1e-5)
    expected = (X - X.mean(axis=0)) / np.sqrt(X.var(axis=0) + 1e-5) * gamma + beta
    np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-12)


def test_batchnorm_running_statistics_and_evaluation_mode(rng):
    state = {}
    batches = [rng.normal(2.0, 3.0, (10, 3)) for _ in range(3)]
    mean, var = np.zeros(3), np.ones(3)
    for X in batches:
        Nm.batchnorm_forward(X, np.ones(3), np.zeros(3), state, training=True, momentum=0.8)
        mean, var = 0.8 * mean + 0.2 * X.mean(axis=0), 0.8 * var + 0.2 * X.var(axis=0)
    np.testing.assert_allclose(state["running_mean"], mean, rtol=1e-12)
    np.testing.assert_allclose(state["running_var"], var, rtol=1e-12)
    X = rng.normal(size=(4, 3))
    out, _ = Nm.batchnorm_forward(X, np.ones(3), np.zeros(3), state, training=False)
    np.testing.assert_allclose(out, (X - mean) / np.sqrt(var + 1e-5), rtol=1e-12)
    # in evaluation mode an example's output does not depend on its batch
    out_alone, _ = Nm.batchnorm_forward(X[:1], np.ones(3), np.zeros(3), state, training=False)
    np.testing.assert_array_equal(out_alone[0], out[0])


def test_layernorm_is_batchnorm_of_the_transpose(rng):
    X, G = rng.normal(1.0, 2.0, (5, 7)), rng.standard_normal((5, 7))
    out_ln, cache_ln = Nm.layernorm_forward(X, np.ones(7), np.zeros(7))
    out_bn, cache_bn = Nm.batchnorm_forward(X.T, np.ones(5), np.zeros(5), {}, training=True)
    np.testing.assert_allclose(out_ln, out_bn.T, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(
        Nm.layernorm_backward(G, cache_ln)[0],
        Nm.batchnorm_backward(G.T, cache_bn)[0].T,
        rtol=1e-10,
        atol=1e-12,
    )


def test_batchnorm_gradient_sums_to_zero_and_batch_of_one_gives_beta(rng):
    X, G = rng.normal(size=(9, 4)), rng.standard_normal((9, 4))
    dX = Nm.batchnorm_backward(G, Nm.batchnorm_forward(X, np.ones(4), np.zeros(4), {}, training=True)[1])[0]
    assert np.abs(dX.sum(axis=0)).max() < 1e-12
    beta = rng.standard_normal(4)
    out, cache = Nm.batchnorm_forward(X[:1], rng.standard_normal(4), beta, {}, training=True)
    np.testing.assert_array_equal(out[0], beta)
    assert not np.any(Nm.batchnorm_backward(G[:1], cache)[0])


def test_batchnorm_refuses_bad_input():
    with pytest.raises(ValueError, match=r"gamma and beta of shape \(D,\)"):
        Nm.batchnorm_forward(np.zeros((4, 3)), np.ones(2), np.zeros(2), {}, training=True)
    with pytest.raises(ValueError, match=r"X \(N, D\)"):
        Nm.batchnorm_forward(np.zeros((4, 3, 2)), np.ones(2), np.zeros(2), {}, training=True)
    with pytest.raises(ValueError, match="train with training=True"):
        Nm.batchnorm_forward(np.zeros((4, 3)), np.ones(3), np.zeros(3), {}, training=False)


@pytest.mark.parametrize("training", [True, False])
@pytest.mark.parametrize("batch_last", [False, True])
def test_spatial_batchnorm_against_per_channel_statistics_and_finite_differences(training, batch_last, rng):
    """One mean and variance per channel over (N, H, W); the same for helpers.conv's batch-last maps."""
    X = rng.normal(1.0, 2.0, (3, 4, 5, 2))  # (N, C, H, W)
    if batch_last:
        X = X.transpose(1, 2, 3, 0).copy().transpose(3, 0, 1, 2)  # helpers.conv.batch_last
    gamma, beta = rng.standard_normal(4), rng.standard_normal(4)
    state = (
        {} if training else {"running_mean": rng.standard_normal(4), "running_var": rng.uniform(0.5, 2, 4)}
    )
    mean = X.mean(axis=(0, 2, 3)) if training else state["running_mean"]
    var = X.var(axis=(0, 2, 3)) if training else state["running_var"]
    out, _ = Nm.spatial_batchnorm_forward(X, gamma, beta, dict(state), training)
    expected = (X - mean[:, None, None]) / np.sqrt(var[:, None, None] + 1e-5) * gamma[:, None, None]
    np.testing.assert_allclose(out, expected + beta[:, None, None], rtol=1e-12, atol=1e-12)
    _check(
        rng,
        lambda X, gamma, beta: Nm.spatial_batchnorm_forward(X, gamma, beta, dict(state), training),
        Nm.spatial_batchnorm_backward,
        (X, gamma, beta),
    )
    with pytest.raises(ValueError, match=r"feature maps X \(N, C, H, W\)"):
        Nm.spatial_batchnorm_forward(np.zeros((4, 3)), np.ones(3), np.zeros(3), {}, training=True)


# The networks notebook 11 measures the layers in (exported so that its solutions rerun them).


def _whole_network_errors(rng, params, loss):
    """The largest relative error, over every parameter array, of the analytic gradient against centred
    differences of loss(params) -> (J, grads)."""
    _, grads = loss(params)
    assert set(grads) == set(params)
    return max(
        relative_error(grads[name], numerical_gradient(lambda: loss(params)[0], p))
        for name, p in params.items()
    )


@pytest.mark.parametrize("normalization", [False, True])
def test_norm_lenet_gradient_of_every_parameter(normalization, rng):
    """The LeNet with and without spatial batch norm (training mode): its whole gradient, every array."""
    from helpers.layers import softmax_cross_entropy

    X = rng.uniform(0.0, 1.0, (3, 1, 28, 28))  # (N, 1, 28, 28)
    Y = np.eye(10)[[1, 4, 7]]  # (3, 10)
    params = Nm.init_norm_lenet(normalization, rng, channels=(2, 3), hidden=5)
    for name in params:  # away from their initial 0 and 1, so that a wrong gradient of them shows
        if name.startswith(("c", "gamma", "beta")):
            params[name] += rng.normal(0.0, 0.3, params[name].shape)
    assert ("gamma1" in params) == normalization and ("c1" in params) != normalization

    def loss(params):
        logits, cache = Nm.norm_lenet_forward(params, X, [{}, {}], training=True)
        J, d_logits = softmax_cross_entropy(logits, Y)
        return J, Nm.norm_lenet_backward(d_logits, cache)[0]

    assert _whole_network_errors(rng, params, loss) < 1e-6


@pytest.mark.parametrize("scale", [1.0, 0.5])
def test_residual_layer(scale, rng):
    """A = A_prev + scale relu(A_prev W + b): the identity path and the branch, both checked."""
    from helpers.gradcheck import check_layer

    A, W, b = rng.normal(size=(6, 5)), rng.normal(size=(5, 5)), rng.normal(size=5)
    out, _ = Nm.residual_forward(A, W, b, scale)
    np.testing.assert_allclose(out, A + scale * np.maximum(A @ W + b, 0.0), rtol=1e-12)
    assert (
        max(check_layer(Nm.residual_forward, Nm.residual_backward, A, W, b, scale=scale, rng=rng).values())
        < 1e-7
    )
    A_bn, gamma, beta = rng.normal(size=(6, 5)), 1.0 + rng.normal(0.0, 0.3, 5), rng.normal(0.0, 0.3, 5)
    errors = check_layer(
        Nm.residual_bn_forward, Nm.residual_bn_backward, A_bn, W, b, gamma, beta, {}, True, rng=rng
    )
    assert max(errors.values()) < 1e-7


@pytest.mark.parametrize("variant", list(Nm.DEEP_VARIANTS))
def test_deep_network_gradient_of_every_parameter(variant, rng):
    """The four networks of section 7, on a small float64 network (6 inputs, 4 hidden layers of 5, 3 classes)."""
    from helpers.layers import softmax_cross_entropy

    residual, scale, normalised = Nm.DEEP_VARIANTS[variant]
    X, Y = rng.normal(size=(8, 6)), np.eye(3)[rng.integers(0, 3, 8)]
    params = Nm.init_deep([6, 5, 5, 5, 5, 3], normalised, rng)
    for name in params:
        if name.startswith(("gamma", "beta")):
            params[name] += rng.normal(0.0, 0.3, params[name].shape)

    def loss(params):
        Z, cache = Nm.deep_forward(params, X, residual, scale, [{} for _ in range(3)], training=True)
        J, dZ = softmax_cross_entropy(Z, Y)
        return J, Nm.deep_backward(dZ, cache)[0]

    assert _whole_network_errors(rng, params, loss) < 1e-7


def test_fit_deep_and_fit_norm_lenet_train_repeatably_and_refuse_an_unknown_network(rng):
    """One short run of each: the same seed gives the same history, the loss falls, bad names are refused."""
    X = rng.uniform(0.0, 1.0, (100, 784))
    y = (X[:, :392].mean(axis=1) > X[:, 392:].mean(axis=1)).astype(int)  # a learnable two-class rule
    Y = np.eye(10)[y]
    runs = [
        Nm.fit_deep("residual, scaled", X, Y, (X, y), learning_rate=0.05, epochs=3, seed=1) for _ in range(2)
    ]
    histories = [{key: value for key, value in run[1].items() if key != "seconds"} for run in runs]
    assert histories[0] == histories[1] and not histories[0]["diverged"]
    np.testing.assert_array_equal(runs[0][0]["W2"], runs[1][0]["W2"])
    assert np.mean(runs[0][2][-2:]) < np.mean(runs[0][2][:2])  # the last minibatches' loss below the first's
    maps = X.reshape(-1, 1, 28, 28)
    params, forward, history = Nm.fit_norm_lenet(
        True, maps, Y, (maps, y), learning_rate=0.1, epochs=1, seed=1
    )
    assert forward(params, maps[:3])[0].shape == (3, 10) and len(history["val_accuracy"]) == 1
    with pytest.raises(ValueError, match=r"fit_deep trains one of \['plain'"):
        Nm.fit_deep("resnet", X, Y, (X, y), learning_rate=0.05, epochs=1, seed=1)
