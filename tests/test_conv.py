"""helpers.conv: the im2col layers against the loop versions, every gradient against centred differences
in float64 (stride 2 and padding included), and the convolution against scipy.signal as an independent
reference; max pooling's routing, ties and overlapping windows; clear errors for wrong shapes."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.signal import convolve2d, correlate2d

from helpers import conv as C
from helpers.gradcheck import numerical_gradient, relative_error


@pytest.fixture
def rng():
    """A fresh generator for every test: its inputs do not depend on which tests ran before it."""
    return np.random.default_rng(0)


CASES = [(1, 0, (3, 3)), (2, 1, (3, 3)), (1, 2, (2, 3)), (2, 0, (2, 2)), (3, 1, (3, 2))]


def _inputs(rng, kernel, N=2, Cin=3, H=7, W=6, F=4):
    return rng.standard_normal((N, Cin, H, W)), rng.standard_normal((F, Cin, *kernel)), rng.standard_normal(F)


@pytest.mark.parametrize(
    "forward,backward", [(C.conv_forward, C.conv_backward), (C.conv_forward_naive, C.conv_backward_naive)]
)
@pytest.mark.parametrize("stride,pad,kernel", CASES)
def test_conv_gradients_match_finite_differences(forward, backward, stride, pad, kernel, rng):
    X, W, b = _inputs(rng, kernel)
    out, cache = forward(X, W, b, stride, pad)
    G = rng.standard_normal(out.shape)
    grads = backward(G, cache)
    for x, dx in zip((X, W, b), grads, strict=True):
        assert dx.shape == x.shape
        numeric = numerical_gradient(lambda: float(np.sum(G * forward(X, W, b, stride, pad)[0])), x)
        assert relative_error(dx, numeric) < 1e-8


@pytest.mark.parametrize("stride,pad,kernel", CASES + [(3, 1, (5, 5))])
def test_im2col_layer_equals_the_loops(stride, pad, kernel, rng):
    X, W, b = _inputs(rng, kernel, N=3, Cin=2, H=9, W=8)
    out_naive, cache_naive = C.conv_forward_naive(X, W, b, stride, pad)
    out_fast, cache_fast = C.conv_forward(X, W, b, stride, pad)
    np.testing.assert_allclose(out_fast, out_naive, rtol=0, atol=1e-12)
    G = rng.standard_normal(out_naive.shape)
    for fast, naive in zip(
        C.conv_backward(G, cache_fast), C.conv_backward_naive(G, cache_naive), strict=True
    ):
        np.testing.assert_allclose(fast, naive, rtol=0, atol=1e-12)


def test_conv_and_its_gradients_match_scipy(rng):
    X, W, b = _inputs(rng, (3, 2))
    out, cache = C.conv_forward(X, W, b)
    G = rng.standard_normal(out.shape)
    dX, dW, db = C.conv_backward(G, cache)
    N, Cin, F = X.shape[0], X.shape[1], W.shape[0]
    ref = np.array(
        [
            [sum(correlate2d(X[n, c], W[f, c], "valid") for c in range(Cin)) + b[f] for f in range(F)]
            for n in range(N)
        ]
    )
    dW_ref = np.array(
        [
            [sum(correlate2d(X[n, c], G[n, f], "valid") for n in range(N)) for c in range(Cin)]
            for f in range(F)
        ]
    )
    dX_ref = np.array(
        [[sum(convolve2d(G[n, f], W[f, c], "full") for f in range(F)) for c in range(Cin)] for n in range(N)]
    )
    np.testing.assert_allclose(out, ref, atol=1e-12)
    np.testing.assert_allclose(dW, dW_ref, atol=1e-12)
    np.testing.assert_allclose(dX, dX_ref, atol=1e-12)
    np.testing.assert_allclose(db, G.sum(axis=(0, 2, 3)), atol=1e-12)


def test_first_layer_skips_the_input_gradient(rng):
    X, W, b = _inputs(rng, (3, 3))
    out, cache = C.conv_forward(X, W, b, 2, 1)
    G = rng.standard_normal(out.shape)
    dX, dW, db = C.conv_backward(G, cache, input_gradient=False)
    assert dX is None
    _, dW_full, db_full = C.conv_backward(G, cache)
    np.testing.assert_array_equal(dW, dW_full)
    np.testing.assert_array_equal(db, db_full)


def _maxpool_loops(X, size, stride):
    N, Cn, H, W = X.shape
    Ho, Wo = (H - size) // stride + 1, (W - size) // stride + 1
    out = np.empty((N, Cn, Ho, Wo))
    for i in range(Ho):
        for j in range(Wo):
            out[:, :, i, j] = X[:, :, i * stride : i * stride + size, j * stride : j * stride + size].max(
                axis=(2, 3)
            )
    return out


@pytest.mark.parametrize("size,stride", [(2, 2), (3, 2), (2, 1), (3, 3)])
def test_maxpool_matches_loops_and_finite_differences(size, stride, rng):
    X = rng.standard_normal((2, 3, 7, 8))  # random: no ties
    out, cache = C.maxpool_forward(X, size, stride)
    np.testing.assert_array_equal(out, _maxpool_loops(X, size, stride))
    G = rng.standard_normal(out.shape)
    dX = C.maxpool_backward(G, cache)
    numeric = numerical_gradient(lambda: float(np.sum(G * C.maxpool_forward(X, size, stride)[0])), X)
    assert relative_error(dX, numeric) < 1e-8


def test_maxpool_routes_a_tie_to_the_first_maximum():
    X = np.array([[[[3.0, 3.0], [1.0, 3.0]]]])
    out, cache = C.maxpool_forward(X)
    np.testing.assert_array_equal(C.maxpool_backward(np.ones_like(out), cache), [[[[1.0, 0.0], [0.0, 0.0]]]])


def test_flatten_round_trip(rng):
    X = rng.standard_normal((2, 3, 4, 5))
    out, cache = C.flatten_forward(X)
    assert out.shape == (2, 60)
    np.testing.assert_array_equal(C.flatten_backward(out, cache), X)


def test_output_size_and_errors():
    assert C.conv_output_size(28, 5) == 24
    assert C.conv_output_size(32, 3, stride=2, pad=1) == 16
    assert C.conv_output_size(6, 3, stride=2) == 2
    with pytest.raises(ValueError, match="does not fit"):
        C.conv_output_size(3, 5)
    with pytest.raises(ValueError, match="stride must be"):
        C.conv_output_size(8, 3, stride=0)
    with pytest.raises(ValueError, match=r"X\[:, None\]"):
        C.conv_forward(np.zeros((2, 8, 8)), np.zeros((1, 1, 3, 3)), np.zeros(1))
    with pytest.raises(ValueError, match="channels"):
        C.conv_forward(np.zeros((2, 3, 8, 8)), np.zeros((1, 1, 3, 3)), np.zeros(1))
    with pytest.raises(ValueError, match="maxpool_forward expects"):
        C.maxpool_forward(np.zeros((8, 8)))


@pytest.mark.parametrize("stride,pad,kernel", CASES)
def test_memory_order_changes_no_result(stride, pad, kernel, rng):
    """batch_last stores the same array image-innermost: every layer gives the same numbers on it."""
    X, W, b = _inputs(rng, kernel)
    X_last = C.batch_last(X)
    np.testing.assert_array_equal(X_last, X)
    assert X_last.strides[0] == X.itemsize  # the image index is the innermost in memory
    out, cache = C.conv_forward(X, W, b, stride, pad)
    out_last, cache_last = C.conv_forward(X_last, W, b, stride, pad)
    np.testing.assert_array_equal(out_last, out)
    G = rng.standard_normal(out.shape)
    for grad, grad_last in zip(C.conv_backward(G, cache), C.conv_backward(G, cache_last), strict=True):
        np.testing.assert_array_equal(grad_last, grad)
    pooled, pool_cache = C.maxpool_forward(out, 2, 2)
    pooled_last, pool_cache_last = C.maxpool_forward(out_last, 2, 2)
    np.testing.assert_array_equal(pooled_last, pooled)
    G_pool = rng.standard_normal(pooled.shape)
    np.testing.assert_array_equal(
        C.maxpool_backward(G_pool, pool_cache_last), C.maxpool_backward(G_pool, pool_cache)
    )


def test_maxpool_routes_ties_after_relu_like_relu_after_pooling(rng):
    """relu(maxpool(Z)) = maxpool(relu(Z)), gradients included, even with windows of tied zeros."""
    Z = np.round(rng.standard_normal((4, 3, 8, 8)), 1)  # rounded: many exact ties
    Z[:, :, :4, :4] = -1.0  # whole windows below zero
    G = rng.standard_normal((4, 3, 4, 4))
    pooled, pool_cache = C.maxpool_forward(Z)
    relu_after = np.maximum(pooled, 0)
    d_pool_first = C.maxpool_backward(G * (pooled > 0), pool_cache)
    A = np.maximum(Z, 0)
    relu_first, relu_pool_cache = C.maxpool_forward(A)
    d_relu_first = C.maxpool_backward(G, relu_pool_cache) * (Z > 0)
    np.testing.assert_array_equal(relu_after, relu_first)
    np.testing.assert_array_equal(d_pool_first, d_relu_first)


def test_init_lenet_shapes_scales_and_dtype():
    """Notebook 10's LeNet parameters: the shapes of one dict, He scale for the kernels, zero biases, the last
    dense layer scaled down by 10, and the dtype asked for."""
    from helpers.conv import init_lenet

    params = init_lenet(np.random.default_rng(0), channels=(12, 24), hidden=128)
    shapes = {name: value.shape for name, value in params.items()}
    assert shapes == {
        "K1": (12, 1, 5, 5),
        "c1": (12,),
        "K2": (24, 12, 5, 5),
        "c2": (24,),
        "W1": (600, 128),
        "b1": (128,),
        "W2": (128, 10),
        "b2": (10,),
    }
    assert all(value.dtype == np.float64 for value in params.values())
    assert not params["c1"].any() and not params["c2"].any()
    np.testing.assert_allclose(params["K1"].std(), np.sqrt(2 / 25), rtol=0.15)
    np.testing.assert_allclose(params["K2"].std(), np.sqrt(2 / (25 * 12)), rtol=0.05)
    np.testing.assert_allclose(params["W2"].std(), 0.1 * np.sqrt(2 / 128), rtol=0.1)
    assert all(v.dtype == np.float32 for v in init_lenet(np.random.default_rng(0), np.float32).values())
