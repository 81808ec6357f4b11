"""helpers.attention: every backward against centred differences, and every forward against an
independent reference (loops over positions, helpers.layers, the exact GELU)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from helpers.attention import (
    BLOCK_PARAMS,
    attention_backward,
    attention_forward,
    block_backward,
    block_forward,
    causal_mask,
    embedding_backward,
    embedding_forward,
    gelu,
    gelu_prime,
    init_transformer,
    merge_heads,
    multi_head_attention_backward,
    multi_head_attention_forward,
    sequence_cross_entropy,
    split_heads,
    transformer_backward,
    transformer_forward,
)
from helpers.data import one_hot
from helpers.gradcheck import check_gradient, numerical_gradient, relative_error
from helpers.layers import softmax_cross_entropy


@pytest.fixture
def rng():
    return np.random.default_rng(1313)


def _attention_by_loops(Q, K, V, causal):
    """Reference: each output row as an explicit weighted mean, one query at a time."""
    out = np.zeros(Q.shape[:-1] + V.shape[-1:])
    for n in np.ndindex(Q.shape[:-2]):
        T = Q.shape[-2]
        for i in range(T):
            keys = range(i + 1) if causal else range(T)
            scores = np.array([Q[n][i] @ K[n][j] / math.sqrt(Q.shape[-1]) for j in keys])
            weights = np.exp(scores - scores.max())
            weights /= weights.sum()
            out[n][i] = sum(w * V[n][j] for w, j in zip(weights, keys, strict=True))
    return out


def test_embedding_scatter_adds_a_repeated_token(rng):
    tokens, positions = rng.standard_normal((4, 3)), rng.standard_normal((5, 3))
    ids = np.array([[2, 2, 0], [1, 2, 3]])
    X, cache = embedding_forward(ids, tokens, positions)
    assert X.shape == (2, 3, 3)
    assert np.array_equal(X[1, 2], tokens[3] + positions[2])
    dX = rng.standard_normal(X.shape)
    d_tokens, d_positions = embedding_backward(dX, cache)
    np.testing.assert_allclose(d_tokens[2], dX[0, 0] + dX[0, 1] + dX[1, 1], rtol=0, atol=1e-15)
    assert np.all(d_positions[3:] == 0)
    check_gradient(
        lambda: np.sum(embedding_forward(ids, tokens, positions)[0] * dX),
        {"tokens": tokens, "positions": positions},
        {"tokens": d_tokens, "positions": d_positions},
    )


@pytest.mark.parametrize(
    ("ids", "message"),
    [
        (np.array([0, 1]), r"\(N, T\)"),
        (np.array([[0.0, 1.0]]), "integer"),
        (np.array([[0, 9]]), "0..3"),
        (np.zeros((1, 7), dtype=int), "position_table"),
    ],
)
def test_embedding_refuses_bad_ids(ids, message):
    with pytest.raises(ValueError, match=message):
        embedding_forward(ids, np.zeros((4, 2)), np.zeros((5, 2)))


@pytest.mark.parametrize("causal", [True, False])
def test_attention_matches_loops_and_finite_differences(rng, causal):
    Q, K, V = rng.standard_normal((2, 4, 3)), rng.standard_normal((2, 4, 3)), rng.standard_normal((2, 4, 5))
    out, cache = attention_forward(Q, K, V, causal)
    np.testing.assert_allclose(out, _attention_by_loops(Q, K, V, causal), rtol=1e-12, atol=1e-12)
    A = cache[3]
    np.testing.assert_allclose(A.sum(axis=-1), 1.0, rtol=0, atol=1e-15)
    if causal:
        assert np.all(A[:, ~causal_mask(4)] == 0)
    R = rng.standard_normal(out.shape)
    dQ, dK, dV = attention_backward(R, cache)
    check_gradient(
        lambda: np.sum(attention_forward(Q, K, V, causal)[0] * R),
        {"Q": Q, "K": K, "V": V},
        {"Q": dQ, "K": dK, "V": dV},
    )


def test_causal_output_ignores_the_future(rng):
    Q, K, V = (rng.standard_normal((1, 5, 2)) for _ in range(3))
    before, _ = attention_forward(Q, K, V)
    K[0, 4], V[0, 4] = 100.0, -100.0  # change only the last position
    after, _ = attention_forward(Q, K, V)
    assert np.array_equal(before[0, :4], after[0, :4])


def test_split_and_merge_heads_are_inverse(rng):
    X = rng.standard_normal((2, 3, 6))
    heads = split_heads(X, 3)
    assert heads.shape == (2, 3, 3, 2)
    assert np.array_equal(heads[0, 1, 2], X[0, 2, 2:4])
    assert np.array_equal(merge_heads(heads), X)
    with pytest.raises(ValueError, match="multiple of the number of heads"):
        split_heads(X, 4)


def test_multi_head_attention_against_per_head_reference_and_gradients(rng):
    d, n_heads = 6, 3
    X = rng.standard_normal((2, 4, d))
    weights = {n: rng.standard_normal((d, d)) / np.sqrt(d) for n in ("W_q", "W_k", "W_v", "W_o")}
    weights["b_o"] = rng.standard_normal(d)
    out, cache = multi_head_attention_forward(X, **weights, n_heads=n_heads)
    width = d // n_heads
    heads = [
        _attention_by_loops(
            *(X @ weights[n][:, h * width : (h + 1) * width] for n in ("W_q", "W_k", "W_v")), True
        )
        for h in range(n_heads)
    ]
    expected = np.concatenate(heads, axis=-1) @ weights["W_o"] + weights["b_o"]
    np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-12)
    R = rng.standard_normal(out.shape)
    dX, *d_weights = multi_head_attention_backward(R, cache)
    check_gradient(
        lambda: np.sum(multi_head_attention_forward(X, **weights, n_heads=n_heads)[0] * R),
        {"X": X, **weights},
        {"X": dX, **dict(zip(weights, d_weights, strict=True))},
    )


def test_gelu_is_close_to_the_exact_form_and_its_derivative_is_right(rng):
    z = np.linspace(-5, 5, 101)
    exact = np.array([0.5 * v * (1 + math.erf(v / math.sqrt(2))) for v in z])
    assert np.max(np.abs(gelu(z) - exact)) < 1e-3
    z = rng.standard_normal(40) * 2
    assert relative_error(gelu_prime(z), numerical_gradient(lambda: np.sum(gelu(z)), z)) < 1e-8


def _random_block(rng, d, d_ff):
    block = {}
    for name in BLOCK_PARAMS:
        if name in ("W_q", "W_k", "W_v", "W_o"):
            block[name] = rng.standard_normal((d, d)) / np.sqrt(d)
        elif name == "W1":
            block[name] = rng.standard_normal((d, d_ff)) / np.sqrt(d)
        elif name == "W2":
            block[name] = rng.standard_normal((d_ff, d)) / np.sqrt(d_ff)
        else:
            block[name] = rng.standard_normal(d_ff if name == "b1" else d) * 0.5 + ("gamma" in name)
    return block


def test_block_gradients_and_residual_identity(rng):
    block = _random_block(rng, 4, 8)
    X, R = rng.standard_normal((2, 3, 4)), rng.standard_normal((2, 3, 4))
    out, cache = block_forward(X, block, n_heads=2)
    dX, grads = block_backward(R, cache)
    assert list(grads) == list(BLOCK_PARAMS)
    check_gradient(
        lambda: np.sum(block_forward(X, block, n_heads=2)[0] * R), {"X": X, **block}, {"X": dX, **grads}
    )
    off = {n: np.zeros_like(p) if n in ("W_o", "b_o", "W2", "b2") else p for n, p in block.items()}
    out, cache = block_forward(X, off, n_heads=2)
    dX, _ = block_backward(R, cache)
    assert np.array_equal(out, X) and np.array_equal(dX, R)


def test_sequence_cross_entropy_equals_the_dense_loss_and_skips_unscored_positions(rng):
    logits = rng.standard_normal((2, 3, 5))
    Y = one_hot(rng.integers(0, 5, size=6), 5).reshape(2, 3, 5)
    loss, dlogits = sequence_cross_entropy(logits, Y)
    dense_loss, dense_grad = softmax_cross_entropy(logits.reshape(6, 5), Y.reshape(6, 5))
    assert abs(loss - dense_loss) < 1e-14
    np.testing.assert_allclose(dlogits.reshape(6, 5), dense_grad, rtol=0, atol=1e-15)
    Y[:, 0] = 0
    loss, dlogits = sequence_cross_entropy(logits, Y)
    scored, _ = sequence_cross_entropy(logits[:, 1:], Y[:, 1:])
    assert abs(loss - scored) < 1e-14 and np.all(dlogits[:, 0] == 0)
    check_gradient(lambda: sequence_cross_entropy(logits, Y)[0], {"logits": logits}, {"logits": dlogits})


def test_sequence_cross_entropy_refuses_bad_targets():
    with pytest.raises(ValueError, match="one_hot"):
        sequence_cross_entropy(np.zeros((2, 3, 5)), np.zeros((2, 3), dtype=int))
    with pytest.raises(ValueError, match="no position"):
        sequence_cross_entropy(np.zeros((2, 3, 5)), np.zeros((2, 3, 5)))


def test_transformer_gradient_against_finite_differences(rng):
    params = init_transformer(n_tokens=4, max_len=5, d=4, n_heads=2, n_blocks=2, rng=rng, d_ff=6)
    params = {n: 0.5 * rng.standard_normal(p.shape) + ("gamma" in n) for n, p in params.items()}
    ids = rng.integers(0, 4, size=(2, 5))
    Y = one_hot(rng.integers(0, 4, size=10), 4).reshape(2, 5, 4)
    logits, cache = transformer_forward(params, ids, n_heads=2)
    assert logits.shape == (2, 5, 4)
    _, dlogits = sequence_cross_entropy(logits, Y)
    grads = transformer_backward(dlogits, cache)[0]
    assert list(grads) == list(params)
    check_gradient(
        lambda: sequence_cross_entropy(transformer_forward(params, ids, n_heads=2)[0], Y)[0], params, grads
    )


def test_initial_model_predicts_nearly_uniformly(rng):
    params = init_transformer(n_tokens=11, max_len=8, d=16, n_heads=2, n_blocks=1, rng=rng)
    assert params["block1.W1"].shape == (16, 64)
    ids = rng.integers(0, 11, size=(50, 8))
    logits, _ = transformer_forward(params, ids, n_heads=2)
    loss, _ = sequence_cross_entropy(logits, one_hot(ids.ravel(), 11).reshape(50, 8, 11))
    assert abs(loss - math.log(11)) < 0.05
