"""helpers.exercises: every reference passes its own check, every catalogued mistake fails and is named
by its hint, answers that are scaled, sign-flipped, zeroed or 0.1% off never pass, an unattempted stub
is reported as such, a wrong answer never shows a traceback, and the cells rendered from the registry
run and pass."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
import time
import warnings
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from helpers import autodiff, recurrent
from helpers import exercises as E
from helpers.gradcheck import numerical_gradient, relative_error

ROOT = Path(__file__).resolve().parent.parent
ALL = {**E.EXERCISES, **{exercise_id: exercise for exercise_id, (_, exercise) in E.PENDING.items()}}
MISTAKES = [(exercise_id, mistake) for exercise_id, exercise in ALL.items() for mistake in exercise.mistakes]


def _flat(text: str) -> str:
    return " ".join(text.split())


# -- the catalogue ---------------------------------------------------------------------------------
def test_the_catalogue_is_large_enough_and_covers_every_notebook_from_01():
    notebooks = Counter(exercise.notebook for exercise in E.EXERCISES.values())
    assert len(E.EXERCISES) >= 25
    assert len(notebooks) >= 10
    assert set(notebooks) >= {
        f"{n:02d}" for n in range(1, 14)
    }  # every notebook that writes a gradient or a rule
    assert sum(len(exercise.mistakes) for exercise in E.EXERCISES.values()) >= 60


@pytest.mark.parametrize("exercise_id", sorted(ALL))
def test_ids_names_and_notebooks(exercise_id):
    exercise = ALL[exercise_id]
    assert re.fullmatch(r"\d\d\.[a-z0-9_]+", exercise_id)
    assert list((ROOT / "notebooks").glob(f"{exercise.notebook}_*.ipynb")), "no notebook with this number"
    assert exercise.name == "my_" + exercise_id.split(".")[1]  # never shadows the series' own function
    assert len(exercise.mistakes) >= 3
    assert len({m.name for m in exercise.mistakes}) == len(exercise.mistakes)
    for mistake in exercise.mistakes:
        assert mistake.hint.strip() and mistake.source.strip()
        assert len(mistake.hint) <= 300, f"{mistake.name}: a hint is one or two sentences"


# -- references, mistakes, near misses ----------------------------------------------------------------
@pytest.mark.parametrize("exercise_id", sorted(ALL))
def test_the_reference_passes(exercise_id, capsys):
    result = E.check(exercise_id, ALL[exercise_id].reference)
    assert result.passed and result.status == "correct"
    assert capsys.readouterr().out == result.message + "\n"
    assert result.message.startswith(f"{exercise_id}: correct.")


@pytest.mark.parametrize("exercise_id, mistake", MISTAKES, ids=[f"{i}-{m.name}" for i, m in MISTAKES])
def test_every_mistake_fails_and_is_named_by_its_own_hint(exercise_id, mistake, capsys):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing may leak to stderr as a warning
        result = E.check(exercise_id, mistake.function)
    printed = capsys.readouterr()
    assert not result.passed and result.status == "wrong"
    assert result.mistakes and result.mistakes[0] == mistake.name, result.message
    assert _flat(mistake.hint) in _flat(result.message)
    assert "Traceback" not in printed.out + printed.err and printed.err == ""
    assert "internal error" not in result.message
    assert len(result.message.splitlines()) <= 9, "a verdict is a few lines"
    assert re.search(rf"Case {result.case} of \d+: ", result.message)


def _transformed(exercise, factor):
    """The reference with every output (every step of a rule, every gradient of an operation) times factor."""
    reference = exercise.reference
    if isinstance(exercise.runner, E._Steps):

        def rule(params, grads, state, learning_rate, **hyper):
            before = {name: value.copy() for name, value in params.items()}
            reference(params, grads, state, learning_rate, **hyper)
            for name, value in params.items():
                value[...] = before[name] + factor * (value - before[name])

        return rule
    if isinstance(exercise.runner, E._TensorOp):

        def operation(a, b):
            out = reference(a, b)
            backward = out._backward

            def scaled():
                before = [a.grad.copy(), b.grad.copy()]
                backward()
                a.grad = before[0] + factor * (a.grad - before[0])
                b.grad = before[1] + factor * (b.grad - before[1])

            out._backward = scaled
            return out

        return operation

    def scale(value):
        if isinstance(value, dict):
            return {key: scale(item) for key, item in value.items()}
        if isinstance(value, tuple | list):
            return type(value)(scale(item) for item in value)
        return None if value is None else factor * np.asarray(value)

    return lambda *args, **kwargs: scale(reference(*args, **kwargs))


@pytest.mark.parametrize(
    "factor", [2.0, -1.0, 0.0, 1.001], ids=["scaled", "sign-flipped", "zeroed", "0.1% off"]
)
@pytest.mark.parametrize("exercise_id", sorted(ALL))
def test_near_misses_never_pass(exercise_id, factor, capsys):
    result = E.check(exercise_id, _transformed(ALL[exercise_id], factor))
    assert result.status == "wrong", result.message
    assert "internal error" not in result.message


def test_a_scaled_answer_is_told_its_factor(capsys):
    result = E.check("02.affine_backward", _transformed(E.EXERCISES["02.affine_backward"], 2.0))
    assert "is exactly 2 times the expected one" in _flat(result.message)
    result = E.check("02.affine_backward", _transformed(E.EXERCISES["02.affine_backward"], -1.0))
    assert "has the wrong sign everywhere" in _flat(result.message)


def test_no_two_mistakes_of_an_exercise_behave_alike_on_every_case():
    for exercise_id, exercise in ALL.items():
        behaviours = [exercise.mistake_outcomes(m) for m in exercise.mistakes]
        for i in range(len(behaviours)):
            for j in range(i + 1, len(behaviours)):
                alike = all(
                    E._same_behaviour(x, y) for x, y in zip(behaviours[i], behaviours[j], strict=True)
                )
                assert not alike, f"{exercise_id}: {exercise.mistakes[i].name} = {exercise.mistakes[j].name}"


# -- not attempted, errors, bad input -------------------------------------------------------------------
@pytest.mark.parametrize("exercise_id", sorted(ALL))
def test_an_unattempted_stub_never_raises(exercise_id, capsys):
    namespace = {name: E.NAMESPACE[name] for name in ALL[exercise_id].uses}
    exec(E.stub_cell(exercise_id), namespace)
    result = E.check(exercise_id, namespace[ALL[exercise_id].name])
    assert result.status == "not attempted" and not result.passed
    assert "not attempted yet" in capsys.readouterr().out


def test_returning_none_is_not_attempted(capsys):
    assert E.check("02.affine_backward", lambda dZ, cache: None).status == "not attempted"
    assert E.check("02.affine_backward", lambda dZ, cache: (None, None, None)).status == "not attempted"


def test_an_answer_that_raises_is_reported_in_one_line(capsys):
    def broken(dZ, cache):
        raise ValueError("boom\nsecond line")

    result = E.check("02.affine_backward", broken)
    printed = capsys.readouterr()
    assert "Your function raised ValueError: boom" in _flat(result.message)
    assert "second line" not in result.message and "Traceback" not in printed.out + printed.err
    assert result.case == 1


def test_a_wrong_number_of_values_is_said_plainly(capsys):
    result = E.check("02.affine_backward", lambda dZ, cache: (dZ @ cache[1].T, cache[0].T @ dZ))
    assert "it returned 2 values; expected 3: dX, dW, db" in _flat(result.message)


def test_an_unknown_id_and_a_non_function_get_clear_errors():
    with pytest.raises(ValueError, match="did you mean '02.affine_backward'"):
        E.check("02.afine_backward", lambda: None)
    with pytest.raises(TypeError, match=r"check\('02.affine_backward', my_affine_backward\)"):
        E.check("02.affine_backward", "my_affine_backward")


def test_the_result_shows_nothing_more_in_a_notebook(capsys):
    result = E.check("01.relu_prime", E.EXERCISES["01.relu_prime"].reference)
    assert result._ipython_display_() is None  # the verdict was printed once, by check
    assert repr(result) == "CheckResult('01.relu_prime', status='correct')"


def test_diagnosis_names_kinks_transposes_and_in_place_changes(capsys):
    result = E.check("02.relu_backward", lambda dA, Z: dA * (Z >= 0))
    assert "right everywhere except where Z = 0" in _flat(result.message)
    result = E.check(
        "02.affine_backward", lambda dZ, cache: (dZ @ cache[1].T, (cache[0].T @ dZ).T, dZ.sum(0))
    )
    assert "the transpose of the expected (3, 2)" in _flat(result.message)

    def in_place(dZ, cache):
        X, W = cache
        dZ *= 1.0
        X += 0.0
        W *= 2.0
        return dZ @ (W / 2).T, X.T @ dZ, dZ.sum(axis=0)

    result = E.check("02.affine_backward", in_place)
    assert "changed its input cache[1] in place" in _flat(result.message)


def test_two_independent_mistakes_get_both_hints(capsys):
    def two_bugs(dZ, cache):  # db averaged, and dX without the transpose
        X, W = cache
        return dZ @ W, X.T @ dZ, dZ.mean(axis=0)

    result = E.check("02.affine_backward", two_bugs)
    assert not result.passed and set(result.mistakes) == {"db averaged", "dX without the transpose"}
    assert "Hint (db): " in result.message and "Hint (dX): " in result.message


# -- rendered cells -----------------------------------------------------------------------------------
@pytest.mark.parametrize("exercise_id", sorted(ALL))
def test_the_solution_cell_passes(exercise_id, capsys):
    exercise = ALL[exercise_id]
    namespace = {name: E.NAMESPACE[name] for name in exercise.uses}  # only what the notebook provides
    exec(E.solution_cell(exercise_id), namespace)
    assert E.check(exercise_id, namespace[exercise.name]).passed
    stub_namespace = {}
    exec(E.stub_cell(exercise_id), stub_namespace)
    assert stub_namespace[exercise.name].__doc__ == namespace[exercise.name].__doc__
    assert E.check_cell(exercise_id) == f'check("{exercise_id}", {exercise.name})\n'
    assert E.markdown_cell(exercise_id).startswith(f"**Your turn ({exercise_id}).**")


def test_rendered_cells_are_linted_and_formatted(tmp_path):
    """The notebooks are linted and formatted by ruff (tests/test_series.py): so must the cells be."""
    for exercise_id in ALL:
        for kind, text in (("stub", E.stub_cell(exercise_id)), ("solution", E.solution_cell(exercise_id))):
            (tmp_path / f"{exercise_id.replace('.', '_')}_{kind}.py").write_text(text, encoding="utf-8")
    config = ["--config", str(ROOT / "pyproject.toml")]
    # names such as np and sigmoid come from the notebook's earlier cells
    lint = [sys.executable, "-m", "ruff", "check", *config, "--ignore", "F821", str(tmp_path)]
    assert subprocess.run(lint, capture_output=True, text=True).returncode == 0
    fmt = [sys.executable, "-m", "ruff", "format", "--check", *config, str(tmp_path)]
    result = subprocess.run(fmt, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_tensor_exercises_work_with_the_notebooks_own_tensor_class(capsys):
    """Notebook 09 defines its own Tensor (the exported cells run in the notebook): a different class."""
    spec = importlib.util.spec_from_file_location("notebook_09_engine", ROOT / "helpers" / "autodiff.py")
    engine = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(engine)
    assert engine.Tensor is not autodiff.Tensor
    for exercise_id in ("09.tensor_mul", "09.tensor_matmul"):
        namespace = {
            "np": np,
            "Tensor": engine.Tensor,
            "as_tensor": engine.as_tensor,
            "unbroadcast": engine.unbroadcast,
        }
        exec(E.solution_cell(exercise_id), namespace)
        assert E.check(exercise_id, namespace[E.EXERCISES[exercise_id].name]).passed


def test_the_tool_prints_a_notebooks_cells():
    out = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "exercise_cells.py"), "02"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    assert E.stub_cell("02.affine_backward") in out and E.check_cell("02.affine_backward") in out
    solutions = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "exercise_cells.py"), "02", "--solutions"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    assert E.solution_cell("02.affine_backward") in solutions and "NotImplementedError" not in solutions


# -- the restated references are right ---------------------------------------------------------------------
def test_restated_references_against_finite_differences():
    rng = np.random.default_rng(0)
    # softmax_jacobian: column j is d softmax / d z_j
    z = rng.standard_normal(4)
    numeric = np.stack([numerical_gradient(lambda k=k: E.NAMESPACE["softmax"](z)[k], z) for k in range(4)])
    assert relative_error(E.softmax_jacobian(z), numeric) < 1e-7
    # bce_gradients
    params = {"w": rng.standard_normal(3), "b": rng.standard_normal(1)}
    X, y = rng.standard_normal((5, 3)), rng.integers(0, 2, 5).astype(float)

    def bce():
        z = X @ params["w"] + params["b"]
        return float(np.mean(y * np.logaddexp(0, -z) + (1 - y) * np.logaddexp(0, z)))

    for name in params:
        assert (
            relative_error(E.bce_gradients(params, X, y)[name], numerical_gradient(bce, params[name])) < 1e-7
        )
    # mse_loss_and_gradients
    net = {
        "W1": rng.standard_normal((3, 4)),
        "b1": rng.standard_normal(4),
        "W2": rng.standard_normal((4, 2)),
        "b2": rng.standard_normal(2),
    }
    X, Y = rng.standard_normal((5, 3)), np.eye(2)[rng.integers(0, 2, 5)]
    for name in net:
        numeric = numerical_gradient(lambda: E.mse_loss_and_gradients(X, Y, net)[0], net[name])
        assert relative_error(E.mse_loss_and_gradients(X, Y, net)[1][name], numeric) < 1e-7
    # conv1d_backward, softmax_backward, rnn_step_backward: J = sum(G * forward)
    x, w = rng.standard_normal(7), rng.standard_normal(3)
    g = rng.standard_normal(5)
    dx, dw, _ = E.conv1d_backward(g, x, w)
    assert relative_error(dx, numerical_gradient(lambda: float(g @ np.correlate(x, w, "valid")), x)) < 1e-7
    assert relative_error(dw, numerical_gradient(lambda: float(g @ np.correlate(x, w, "valid")), w)) < 1e-7
    S, G = rng.standard_normal((2, 3, 4)), rng.standard_normal((2, 3, 4))
    dS = E.softmax_backward(G, E.NAMESPACE["softmax"](S))
    assert (
        relative_error(dS, numerical_gradient(lambda: float(np.sum(G * E.NAMESPACE["softmax"](S))), S)) < 1e-7
    )
    inputs = [rng.standard_normal(s) for s in ((2, 3), (2, 4), (3, 4), (4, 4), (4,))]
    h, cache = recurrent.rnn_step_forward(*inputs)
    G = rng.standard_normal(h.shape)
    for dvalue, value in zip(recurrent.rnn_step_backward(G, cache), inputs, strict=True):
        numeric = numerical_gradient(lambda: float(np.sum(G * recurrent.rnn_step_forward(*inputs)[0])), value)
        assert relative_error(dvalue, numeric) < 1e-7


# -- speed ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("exercise_id", sorted(ALL))
def test_one_check_takes_well_under_a_second(exercise_id, capsys):
    """Cold (cases, expected outputs and every mistake's outputs computed afresh), with a wrong answer."""
    exercise = ALL[exercise_id]
    exercise._cases = exercise._expected = exercise._mistake_outcomes = None
    start = time.perf_counter()
    E.check(exercise_id, _transformed(exercise, 2.0))
    assert time.perf_counter() - start < 1.0


def test_the_readme_example_is_what_check_prints(capsys):
    """The README shows a learner what a wrong answer gets: that text is check's real output."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = re.search(r"```text\n(02\.affine_backward: not yet right\..*?)```", readme, re.S)
    assert shown, "README.md lost its example of check's output for 02.affine_backward"

    def my_affine_backward(dZ, cache):  # divides by the batch size a second time
        X, W = cache
        return dZ @ W.T, X.T @ dZ / len(X), dZ.sum(axis=0) / len(X)

    result = E.check("02.affine_backward", my_affine_backward)
    assert not result.passed
    assert capsys.readouterr().out.strip() == shown.group(1).strip()


# -- the exercises in the notebooks ----------------------------------------------------------------------
def _check_cells(path: Path) -> dict[str, str]:
    """{exercise id: the committed text output} of every `check("NN.name", ...)` cell of a notebook."""
    import nbformat

    found = {}
    for cell in nbformat.read(path, as_version=4).cells:
        match = re.match(r'check\("([0-9]{2}\.\w+)"', cell.source) if cell.cell_type == "code" else None
        if match:
            found[match.group(1)] = "".join(output.get("text", "") for output in cell.outputs)
    return found


@pytest.mark.parametrize("notebook", sorted({exercise.notebook for exercise in E.EXERCISES.values()}))
def test_every_exercise_is_in_its_notebook_unattempted_and_solved_in_its_solutions(notebook):
    """Issue 23: each registered exercise has a stub and a check cell in its notebook, whose committed
    verdict is "not attempted yet", and the solutions notebook fills it in and shows it passing."""
    (lesson,) = (ROOT / "notebooks").glob(f"{notebook}_*.ipynb")
    solutions = ROOT / "notebooks" / "solutions" / f"{lesson.stem}_solutions.ipynb"
    ids = sorted(i for i, exercise in E.EXERCISES.items() if exercise.notebook == notebook)
    in_lesson, in_solutions = _check_cells(lesson), _check_cells(solutions)
    assert sorted(in_lesson) == ids, f"{lesson.name}: check cells for {sorted(in_lesson)}, registry has {ids}"
    assert sorted(in_solutions) == ids, (
        f"{solutions.name}: check cells for {sorted(in_solutions)}, registry has {ids}"
    )
    for exercise_id in ids:
        assert f"{exercise_id}: not attempted yet" in in_lesson[exercise_id], (lesson.name, exercise_id)
        assert f"{exercise_id}: correct." in in_solutions[exercise_id], (solutions.name, exercise_id)
