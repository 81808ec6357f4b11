"""Every layer keeps its input's dtype: float32 in, float32 out, gradients included (CONVENTIONS.md,
"The layer contract"). A NumPy float64 scalar (np.sqrt(2), say) multiplied into a float32 array turns
it into float64 silently, so each layer is run on float32 inputs and every array it returns is checked."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import attention as A
from helpers import conv as C
from helpers import layers as L
from helpers import normalization as Nm


def _f32(rng, *shape):
    return rng.standard_normal(shape).astype(np.float32)


def _arrays(values):
    for value in values if isinstance(values, tuple) else (values,):
        if isinstance(value, dict):
            yield from value.values()
        elif isinstance(value, np.ndarray):
            yield value


def _cases():
    rng = np.random.default_rng(0)
    X2, X3, X4 = _f32(rng, 6, 8), _f32(rng, 2, 5, 8), _f32(rng, 2, 3, 6, 6)
    W = {n: _f32(rng, 8, 8) / 3 for n in ("W_q", "W_k", "W_v", "W_o")}
    block = {
        name: np.ones(8, np.float32) if name.endswith("gamma") else _f32(rng, 8) for name in A.BLOCK_PARAMS
    }
    block.update(W, W1=_f32(rng, 8, 16), b1=_f32(rng, 16), W2=_f32(rng, 16, 8))
    one, zero = np.ones(8, np.float32), np.zeros(8, np.float32)
    yield "affine", L.affine_forward, L.affine_backward, (X2, _f32(rng, 8, 4), _f32(rng, 4)), {}
    for name in ("relu", "sigmoid", "tanh"):
        yield name, getattr(L, f"{name}_forward"), getattr(L, f"{name}_backward"), (X2,), {}
    yield "attention", A.attention_forward, A.attention_backward, (X3, X3 + 1, X3 - 1), {}
    mha_args = (X3, W["W_q"], W["W_k"], W["W_v"], W["W_o"], zero, 2)
    yield (
        "multi-head attention",
        A.multi_head_attention_forward,
        A.multi_head_attention_backward,
        mha_args,
        {},
    )
    yield "block", A.block_forward, A.block_backward, (X3, block), {"n_heads": 2}
    yield "layer norm", Nm.layernorm_forward, Nm.layernorm_backward, (X2, one, zero), {}
    yield "batch norm", Nm.batchnorm_forward, Nm.batchnorm_backward, (X2, one, zero, {}), {"training": True}
    yield "conv", C.conv_forward, C.conv_backward, (X4, _f32(rng, 4, 3, 3, 3), _f32(rng, 4)), {"pad": 1}
    yield "max pool", C.maxpool_forward, C.maxpool_backward, (X4,), {}


@pytest.mark.parametrize(
    "name, forward, backward, args, kwargs", list(_cases()), ids=[c[0] for c in _cases()]
)
def test_float32_stays_float32(name, forward, backward, args, kwargs):
    out, cache = forward(*args, **kwargs)
    assert out.dtype == np.float32, f"{name} forward returned {out.dtype}"
    grads = list(_arrays(backward(np.ones_like(out), cache)))
    assert grads and all(g.dtype == np.float32 for g in grads), f"{name} backward: {[g.dtype for g in grads]}"


def test_the_transformer_and_its_loss_keep_float32():
    rng = np.random.default_rng(1)
    params = A.init_transformer(11, 8, 8, 2, 1, rng, dtype=np.float32)
    ids = rng.integers(0, 11, (2, 5))
    logits, cache = A.transformer_forward(params, ids, 2)
    Y = np.zeros(logits.shape, np.float32)
    Y[..., 3] = 1
    loss, dlogits = A.sequence_cross_entropy(logits, Y)
    grads, d_ids = A.transformer_backward(dlogits, cache)
    assert logits.dtype == dlogits.dtype == np.float32 and d_ids is None
    assert {g.dtype for g in grads.values()} == {np.dtype(np.float32)} and grads.keys() == params.keys()
