"""helpers.descent (exported from notebook 03): paths of gradient descent and momentum on quadratics,
compared with their closed forms."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.descent import gradient_descent, heavy_ball, nesterov, steps_to_reach

CURVATURES = np.array([50.0, 1.0])


def quadratic_grad(w):
    return CURVATURES * w


def test_gradient_descent_multiplies_each_coordinate_by_one_minus_eta_h():
    w0, eta = np.array([1.0, 8.0]), 0.03
    path = gradient_descent(quadratic_grad, w0, eta, n_steps=20)
    assert path.shape == (21, 2)
    expected = w0 * (1 - eta * CURVATURES) ** np.arange(21)[:, None]
    np.testing.assert_allclose(path, expected, rtol=1e-12, atol=1e-300)


def test_heavy_ball_follows_its_two_term_recursion():
    # on a quadratic, w_{t+1} = (1 + beta - eta h) w_t - beta w_{t-1}, with w_1 = (1 - eta h) w_0
    w0, eta, beta = np.array([1.0, 8.0]), 0.02, 0.9
    path = heavy_ball(quadratic_grad, w0, eta, beta, n_steps=50)
    expected = [w0, (1 - eta * CURVATURES) * w0]
    for _ in range(49):
        expected.append((1 + beta - eta * CURVATURES) * expected[-1] - beta * expected[-2])
    np.testing.assert_allclose(path, np.array(expected), rtol=1e-10, atol=1e-12)
    # beta = 0 is plain gradient descent
    np.testing.assert_allclose(
        heavy_ball(quadratic_grad, w0, eta, 0.0, 30), gradient_descent(quadratic_grad, w0, eta, 30)
    )


def test_nesterov_takes_the_gradient_at_the_look_ahead_point():
    # on a quadratic: w_{t+1} = w_t + beta v_t - eta h (w_t + beta v_t), v_{t+1} = w_{t+1} - w_t
    w0, eta, beta = np.array([1.0, 8.0]), 0.01, 0.9
    path = nesterov(quadratic_grad, w0, eta, beta, n_steps=40)
    w, v, expected = w0.copy(), np.zeros(2), [w0.copy()]
    for _ in range(40):
        look = w + beta * v
        new = look - eta * CURVATURES * look
        v, w = new - w, new
        expected.append(w)
    np.testing.assert_allclose(path, np.array(expected), rtol=1e-10, atol=1e-12)


def test_steps_to_reach_finds_the_first_close_point_or_none():
    path = np.array([[4.0, 0.0], [2.0, 0.0], [0.5, 0.0], [0.1, 0.0], [0.6, 0.0]])
    assert steps_to_reach(path, np.zeros(2), 1.0) == 2
    assert steps_to_reach(path, np.zeros(2), 0.2) == 3
    assert steps_to_reach(path, np.zeros(2), 0.01) is None


@pytest.mark.parametrize("method", [gradient_descent, heavy_ball, nesterov])
def test_paths_start_at_w0_and_do_not_modify_it(method):
    w0 = np.array([1.0, 8.0])
    args = (0.5,) if method is not gradient_descent else ()
    path = method(quadratic_grad, w0, 0.01, *args, 5)
    np.testing.assert_array_equal(path[0], [1.0, 8.0])
    np.testing.assert_array_equal(w0, [1.0, 8.0])
