"""helpers.autodiff: the engine of notebook 09, against finite differences and against helpers.layers."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from helpers.autodiff import Tensor, Value, topological_order, unbroadcast
from helpers.gradcheck import numerical_gradient, relative_error
from helpers.layers import (
    affine_backward,
    affine_forward,
    mse_loss,
    sigmoid_backward,
    sigmoid_forward,
    softmax_cross_entropy,
    tanh_backward,
    tanh_forward,
)


def _engine_and_numeric(f, *arrays, seed=0):
    """Gradients of J = sum(f(inputs) * R) by the engine and by centred differences, for each input."""
    arrays = [np.array(a, dtype=np.float64) for a in arrays]
    R = np.random.default_rng(seed).normal(size=f(*[Tensor(a) for a in arrays]).shape)
    leaves = [Tensor(a) for a in arrays]
    (f(*leaves) * R).sum().backward()
    numeric = [
        numerical_gradient(lambda: np.sum(f(*[Tensor(a) for a in arrays]).data * R), array)
        for array in arrays
    ]
    return [leaf.grad for leaf in leaves], numeric


def _cases():
    """Each operation with its inputs: fixed arrays, drawn once from their own generator."""
    rng = np.random.default_rng(2026)
    positive = rng.uniform(0.5, 2.0, size=(4, 3))
    separated = rng.permuted(np.arange(12.0).reshape(4, 3) * 0.5, axis=1)
    constant = rng.normal(size=(4, 3))
    return {
        "add, bias broadcast": (lambda a, b: a + b, rng.normal(size=(4, 3)), rng.normal(size=3)),
        "mul, (N, 1) * (1, H)": (lambda a, b: a * b, rng.normal(size=(4, 1)), rng.normal(size=(1, 3))),
        "sub, array on the left": (lambda a: constant - a, rng.normal(size=(4, 3))),
        "div": (lambda a, b: a / b, rng.normal(size=(4, 3)), positive[0]),
        "rdiv": (lambda a: 2.0 / a, positive),
        "matmul": (lambda a, b: a @ b, rng.normal(size=(4, 5)), rng.normal(size=(5, 3))),
        "matmul, stack": (lambda a, b: a @ b, rng.normal(size=(2, 4, 5)), rng.normal(size=(5, 3))),
        "exp": (lambda a: a.exp(), rng.normal(size=(4, 3))),
        "log": (lambda a: a.log(), positive),
        "sigmoid": (lambda a: a.sigmoid(), rng.normal(size=(4, 3))),
        "tanh": (lambda a: a.tanh(), rng.normal(size=(4, 3))),
        "relu": (lambda a: a.relu(), separated - 2.75),
        "sum axis 1 keepdims": (lambda a: a.sum(axis=1, keepdims=True), rng.normal(size=(4, 3))),
        "sum axis -2 of 3-D": (lambda a: a.sum(axis=-2), rng.normal(size=(2, 4, 3))),
        "mean axis 0": (lambda a: a.mean(axis=0), rng.normal(size=(4, 3))),
        "max axis 1": (lambda a: a.max(axis=1), separated),
        "max axis 0 keepdims": (lambda a: a.max(axis=0, keepdims=True), separated),
        "max of all": (lambda a: a.max(), separated),
        "reshape": (lambda a: a.reshape(3, 4), rng.normal(size=(4, 3))),
        "transpose 3-D": (lambda a: a.transpose(0, 2, 1), rng.normal(size=(2, 4, 3))),
        "getitem, repeated rows": (lambda a: a[[0, 2, 0]], rng.normal(size=(4, 3))),
        "softmax, composed": (lambda a: a.softmax(axis=-1), rng.normal(size=(4, 3))),
        "log_softmax, composed": (lambda a: a.log_softmax(axis=1), rng.normal(size=(4, 3))),
    }


CASES = _cases()


@pytest.mark.parametrize("name", list(CASES))
def test_every_operation_matches_finite_differences(name):
    f, *arrays = CASES[name]
    engine, numeric = _engine_and_numeric(f, *arrays)
    for grad, num, array in zip(engine, numeric, arrays, strict=True):
        assert grad.shape == np.shape(array)
        assert relative_error(grad, num) < 1e-7, name


def test_value_operations_match_finite_differences():
    x = np.array([0.7, -1.3])
    leaves = [Value(v) for v in x]

    def f(a, b):
        return ((a * b).tanh() + a.exp() / (b * b + 1) - (a**2).log() + b.relu()) * 3

    f(*leaves).backward()
    numeric = numerical_gradient(lambda: f(*[Value(v) for v in x]).data, x)
    assert relative_error([leaf.grad for leaf in leaves], numeric) < 1e-7


def test_network_gradients_equal_those_of_helpers_layers():
    """The engine on affine -> sigmoid -> affine -> tanh -> affine -> softmax-CE reproduces the contract's layers."""
    r = np.random.default_rng(5)
    X = r.normal(size=(7, 4))
    Y = np.eye(3)[r.integers(0, 3, size=7)]
    p = {
        "W1": r.normal(size=(4, 6)),
        "b1": r.normal(size=6),
        "W2": r.normal(size=(6, 5)),
        "b2": r.normal(size=5),
    }
    p |= {"W3": r.normal(size=(5, 3)), "b3": r.normal(size=3)}
    Z1, c1 = affine_forward(X, p["W1"], p["b1"])
    A1, s1 = sigmoid_forward(Z1)
    Z2, c2 = affine_forward(A1, p["W2"], p["b2"])
    A2, s2 = tanh_forward(Z2)
    Z3, c3 = affine_forward(A2, p["W3"], p["b3"])
    loss, dZ3 = softmax_cross_entropy(Z3, Y)
    dA2, dW3, db3 = affine_backward(dZ3, c3)
    dA1, dW2, db2 = affine_backward(tanh_backward(dA2, s2), c2)
    _, dW1, db1 = affine_backward(sigmoid_backward(dA1, s1), c1)
    expected = {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2, "W3": dW3, "b3": db3}

    for fused in (True, False):
        t = {name: Tensor(value) for name, value in p.items()}
        A = ((Tensor(X) @ t["W1"] + t["b1"]).sigmoid() @ t["W2"] + t["b2"]).tanh()
        Z = A @ t["W3"] + t["b3"]
        J = Z.softmax_cross_entropy(Y) if fused else -(Y * Z.log_softmax(axis=1)).sum() / len(X)
        J.backward()
        assert abs(float(J.data) - loss) < 1e-12
        for name, grad in expected.items():
            assert relative_error(t[name].grad, grad) < 1e-12, (fused, name)


def test_composed_cross_entropy_finds_the_fused_gradient():
    r = np.random.default_rng(1)
    Z = r.normal(size=(6, 4)) * 5
    Y = np.eye(4)[r.integers(0, 4, size=6)]
    loss, dZ = softmax_cross_entropy(Z, Y)
    logits = Tensor(Z)
    J = -(Tensor(Y) * logits.log_softmax(axis=1)).sum() / 6
    J.backward()
    assert abs(float(J.data) - loss) < 1e-12
    assert relative_error(logits.grad, dZ) < 1e-12


def test_the_fused_loss_refuses_integer_labels():
    with pytest.raises(ValueError, match="one_hot"):
        Tensor(np.zeros((3, 3))).softmax_cross_entropy(np.array([0, 1, 2]))


def test_a_numpy_array_on_the_left_builds_the_right_graph():
    """Y - Y_hat with Y a NumPy array: without __array_ufunc__ = None this was an object array of Tensors."""
    r = np.random.default_rng(9)
    Y_hat_array, Y = r.normal(size=(6, 2)), r.normal(size=(6, 2))
    Y_hat = Tensor(Y_hat_array)
    difference = Y - Y_hat
    assert isinstance(difference, Tensor) and difference.shape == (6, 2)
    J = (difference * difference).sum() / (2 * len(Y))
    J.backward()
    loss, dY_hat = mse_loss(Y_hat_array, Y)
    assert abs(float(J.data) - loss) < 1e-12 and relative_error(Y_hat.grad, dY_hat) < 1e-12
    for left in (Y * Y_hat, Y + Y_hat, Y / (Y_hat * Y_hat + 1)):
        assert isinstance(left, Tensor)
    with pytest.raises(TypeError, match="does not support ufuncs"):
        np.exp(Y_hat)


def test_backward_resets_and_refuses_a_non_scalar_start():
    w = Tensor(np.array([[1.5, -2.0]]))
    J = (w.tanh() * w).sum()
    J.backward()
    first = w.grad.copy()
    J.backward()
    assert np.array_equal(w.grad, first)
    with pytest.raises(ValueError, match="single number"):
        (w * 2).backward()


def test_max_sends_the_gradient_to_the_first_maximum_at_a_tie():
    t = Tensor(np.array([[1.0, 3.0, 3.0], [2.0, 0.0, 1.0]]))
    t.max(axis=1).sum().backward()
    assert np.array_equal(t.grad, [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]])
    with pytest.raises(ValueError, match="one axis"):
        t.max(axis=(0, 1))


def test_a_graph_deeper_than_the_recursion_limit():
    x = Tensor(np.ones(3))
    y = x
    for _ in range(3 * sys.getrecursionlimit()):
        y = y + 1.0
    y.sum().backward()
    assert np.array_equal(x.grad, np.ones(3))
    assert len(topological_order(y)) == 1 + 2 * 3 * sys.getrecursionlimit()


def test_unbroadcast_sums_over_the_broadcast_axes():
    grad = np.ones((5, 4, 3))
    assert unbroadcast(grad, (3,)).tolist() == [20.0, 20.0, 20.0]
    assert unbroadcast(grad, (4, 1)).shape == (4, 1) and np.all(unbroadcast(grad, (4, 1)) == 15.0)


def test_reused_value_accumulates():
    a = Value(0.7)
    (a * a + a + a).backward()
    assert a.grad == pytest.approx(2 * 0.7 + 2, abs=1e-15)


def test_the_checkers_pass_right_rules_and_catch_wrong_ones(capsys):
    from helpers.autodiff import check_tensor_op, check_value_op

    assert check_value_op("a * b", lambda a, b: a * b, [1.3, -0.7]) < 1e-7
    assert check_value_op("wrong", lambda a: a * a + Value(a.data), [1.3], tolerance=None) > 1e-3
    errors = check_tensor_op("A @ B", lambda a, b: a @ b, np.ones((2, 3)), np.ones((3, 4)))
    assert len(errors) == 2 and max(errors) < 1e-7
    assert "relative error" in capsys.readouterr().out
    with pytest.raises(AssertionError):
        check_value_op("wrong", lambda a: a * a + Value(a.data), [1.3])
