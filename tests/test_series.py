"""The series as a whole: generated cells are current, committed notebooks were executed top to
bottom, outputs are clean, links resolve, and nbval ignores nothing but timings."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

import series

ROOT = Path(__file__).resolve().parent.parent

NOTEBOOKS = sorted(p for p in (ROOT / "notebooks").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
MAIN_NOTEBOOKS = [n.path for n in series.SERIES]
IDS = [str(p.relative_to(ROOT / "notebooks")) for p in NOTEBOOKS]
MACHINE_PATH = re.compile(r"(?<![\w.:/])/(?:[A-Za-z0-9_.-]+/){2,}")
LINK = re.compile(r"\]\(([^)\s]+)\)")


def _code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]


def _text_outputs(cell):
    for out in cell.get("outputs", []):
        yield out, "".join(out.get("text", "")) + "".join(out.get("data", {}).get("text/plain", ""))


def test_every_listed_notebook_exists_and_generated_cells_are_current():
    problems = series.stale_files()
    assert not problems, "run `python tools/series.py --write`:\n" + "\n".join(problems)


def test_a_stale_frame_is_detected_and_rewritten(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "notebooks", tmp_path / "notebooks")
    shutil.copy(ROOT / "README.md", tmp_path / "README.md")
    monkeypatch.setattr(series, "ROOT", tmp_path)
    monkeypatch.setattr(series, "NOTEBOOK_DIR", tmp_path / "notebooks")
    monkeypatch.setattr(series, "SOLUTION_DIR", tmp_path / "notebooks" / "solutions")
    monkeypatch.setattr(series, "README", tmp_path / "README.md")
    assert series.stale_files() == []
    path = series.SERIES[0].path
    nb = nbformat.read(path, as_version=4)
    nb.cells[0].source = nb.cells[0].source.replace("Contents", "Index")
    nb.cells.insert(0, nb.cells.pop(2))  # the setup cell back above the title, as it once was
    nb.cells.insert(-1, nbformat.v4.new_markdown_cell("nav-bottom"))  # a placeholder left by a generator
    nbformat.write(nb, path)
    problems = "\n".join(series.stale_files())
    assert "top navigation (first cell) is stale" in problems
    assert "the second cell must be the title" in problems
    assert "hold only a frame cell's name" in problems
    series.write()
    assert series.stale_files() == []
    rewritten = nbformat.read(path, as_version=4)
    assert not any(cell.source == "nav-bottom" for cell in rewritten.cells)
    assert [c.get("id") for c in rewritten.cells[:3:2]] == ["nav-top", "setup"]
    assert rewritten.cells[2].execution_count == 1  # the setup cell keeps its place among the code cells


def test_a_notebook_links_its_solutions_by_their_title():
    for notebook in series.SERIES:
        last = nbformat.read(notebook.path, as_version=4).cells[-1].source
        title = f"{notebook.label} — solutions"
        assert f"[{title}](solutions/{notebook.stem}_solutions.ipynb)" in last, last
        solutions = nbformat.read(notebook.solutions_path, as_version=4)
        assert solutions.cells[1].source.startswith(f"# {title}")  # the link's text is the page's title


def test_repository_url_appears_only_through_series_py():
    for path in NOTEBOOKS + [ROOT / "README.md"]:
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"github(?:\.com)?/([\w.-]+/[\w.-]+?)(?:/|@|\"|\)|\.git)", text):
            assert match.group(1) == series.REPOSITORY, (
                f"{path.name} names another repository: {match.group(1)}"
            )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_was_executed_top_to_bottom_in_a_fresh_kernel(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    counts = [c.execution_count for c in _code_cells(nb)]
    assert counts == list(range(1, len(counts) + 1)), (
        f"execution counts {counts}: re-run `python tools/run_notebooks.py {path.relative_to(ROOT)}`"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_outputs_are_clean_and_small(path):
    assert path.stat().st_size < 3_000_000, f"{path.name} is {path.stat().st_size / 1e6:.1f} MB"
    nb = nbformat.read(path, as_version=4)
    assert set(nb.metadata) <= {"kernelspec", "language_info"}, (
        f"stray notebook metadata {sorted(nb.metadata)}"
    )
    for index, cell in enumerate(nb.cells):
        assert not {"execution", "collapsed", "scrolled"} & set(cell.metadata), (
            f"cell {index}: run-time metadata"
        )
        if cell.cell_type != "code":
            continue
        for out, text in _text_outputs(cell):
            where = f"{path.name} cell {index}"
            if out.output_type == "error":
                assert "raises-exception" in cell.metadata.get("tags", []), f"{where} stored an error"
            assert not (out.get("name") == "stderr" and "Warning" in text), (
                f"{where} shows a warning: {text[:200]}"
            )
            assert not MACHINE_PATH.search(text), (
                f"{where} shows a machine path: {MACHINE_PATH.search(text)[0]}"
            )
            assert "np.float64(" not in text, f"{where} prints a bare NumPy scalar"


FLOAT32_MARK = "# float32: the digits depend on the CPU's BLAS kernel"
TIMING = re.compile(r"perf_counter|timeit")


def timing_functions(nb) -> set[str]:
    """Names of the functions a notebook defines with perf_counter or timeit in their cell."""
    names = set()
    for cell in _code_cells(nb):
        if TIMING.search(cell.source):
            names |= set(re.findall(r"^def (\w+)\(", cell.source, re.M))
    return names


def ignored_output_problem(cell, timers=frozenset()) -> str | None:
    """Why nbval may not ignore this cell's output, or None when it may.

    Two classes of cells only (CONVENTIONS.md, "Outputs that reproduce on any machine"): a timing
    (perf_counter or timeit in the cell, or a call of a function `timers` names, defined with them), or a
    float32 result too slow in float64, whose second line is FLOAT32_MARK and which asserts its result
    with a stated tolerance.
    """
    lines = cell.source.splitlines()
    tags = cell.metadata.get("tags", [])
    if "NBVAL_SKIP" in cell.source or "nbval-skip" in tags:
        return "a skipped cell is never checked"
    if "nbval-ignore-output" in tags:
        return "mark an ignored cell by its first line `# NBVAL_IGNORE_OUTPUT`, not by a tag"
    if "NBVAL_IGNORE_OUTPUT" not in cell.source:
        return None
    if lines[0] != "# NBVAL_IGNORE_OUTPUT":
        return "`# NBVAL_IGNORE_OUTPUT` must be the cell's first line"
    if len(lines) > 1 and lines[1] == FLOAT32_MARK:
        if not re.search(r"^\s*assert\b", cell.source, re.M):
            return "a float32 cell whose output is ignored must assert its result with a tolerance"
        return None
    if not TIMING.search(cell.source) and not any(re.search(rf"\b{name}\(", cell.source) for name in timers):
        return f"NBVAL_IGNORE_OUTPUT on a cell that times nothing and is not marked `{FLOAT32_MARK}`"
    return None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_nbval_ignores_only_timings_and_asserted_float32_cells(path):
    nb = nbformat.read(path, as_version=4)
    timers = timing_functions(nb)
    for cell in _code_cells(nb):
        problem = ignored_output_problem(cell, timers)
        assert problem is None, f"{path.name}: {problem}:\n{cell.source[:300]}"


@pytest.mark.parametrize(
    ("source", "allowed"),
    [
        ("x = 1\nprint(x)", True),
        ("# NBVAL_IGNORE_OUTPUT\nstart = time.perf_counter()\nf()\nprint(time.perf_counter() - start)", True),
        ("# NBVAL_IGNORE_OUTPUT\nprint(timeit.timeit(f, number=3))", True),
        (f"# NBVAL_IGNORE_OUTPUT\n{FLOAT32_MARK}\nacc = train32()\nassert acc > 0.98, acc", True),
        (f"# NBVAL_IGNORE_OUTPUT\n{FLOAT32_MARK}\nacc = train32()\nprint(acc)", False),  # no assert
        ("# NBVAL_IGNORE_OUTPUT\nacc = train32()\nassert acc > 0.98", False),  # not marked float32
        ("# NBVAL_IGNORE_OUTPUT\nprint(train_time_s)", False),  # a name with "time" is not a timing
        ("x = 1\n# NBVAL_IGNORE_OUTPUT\nstart = time.perf_counter()", False),  # not the first line
        ("# NBVAL_IGNORE_OUTPUT\nms = best_time_ms(f)\nprint(ms)", True),  # a timer defined with perf_counter
        ("# NBVAL_IGNORE_OUTPUT\nms = best_score(f)\nprint(ms)", False),
        ("# NBVAL_SKIP\nprint(1)", False),
    ],
)
def test_ignored_output_rule(source, allowed):
    cell = nbformat.v4.new_code_cell(source)
    assert (ignored_output_problem(cell, {"best_time_ms"}) is None) == allowed


@pytest.mark.parametrize("path", MAIN_NOTEBOOKS, ids=[p.name for p in MAIN_NOTEBOOKS])
def test_main_notebook_has_title_exercises_and_a_printed_gradient_check(path):
    nb = nbformat.read(path, as_version=4)
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert re.search(rf"^# {path.stem[:2]} · ", markdown, re.M), "title `# NN · Title` missing"
    assert re.search(r"^## Exercises", markdown, re.M), "`## Exercises` section missing"
    outputs = "\n".join(text for cell in _code_cells(nb) for _, text in _text_outputs(cell))
    assert re.search(r"relative error: \d\.\de-\d\d", outputs), "no printed gradient check"


def _relative_links(path: Path, text: str):
    for target in LINK.findall(text):
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue
        yield target


@pytest.mark.parametrize(
    "path",
    NOTEBOOKS + [ROOT / "README.md", ROOT / "CONVENTIONS.md"],
    ids=IDS + ["README.md", "CONVENTIONS.md"],
)
def test_relative_links_resolve(path):
    if path.suffix == ".ipynb":
        nb = nbformat.read(path, as_version=4)
        text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    else:
        text = path.read_text(encoding="utf-8")
    for target in _relative_links(path, text):
        file_part, _, anchor = target.partition("#")
        resolved = (path.parent / file_part).resolve()
        assert resolved.exists(), f"{path.name} links to missing {target}"
        if anchor and resolved.suffix == ".md":
            headings = {
                re.sub(r"[^\w\- ]", "", h).strip().lower().replace(" ", "-")
                for h in re.findall(r"^#+ (.+)$", resolved.read_text(encoding="utf-8"), re.M)
            }
            assert anchor in headings, f"{path.name} links to missing anchor {target}"


def test_code_is_linted_and_formatted():
    targets = ["helpers", "tests", "tools", "notebooks"]
    lint = subprocess.run(
        [sys.executable, "-m", "ruff", "check", *targets], cwd=ROOT, capture_output=True, text=True
    )
    assert lint.returncode == 0, lint.stdout[-3000:]
    fmt = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", *targets],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert fmt.returncode == 0, fmt.stdout[-3000:]


def test_prose_has_no_common_misspellings():
    targets = ["README.md", "CONVENTIONS.md", "helpers", "tools", "tests"]
    targets += [str(p) for p in (ROOT / "guide").rglob("*.tex")]
    result = subprocess.run(
        [str(Path(sys.executable).parent / "codespell"), *targets], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout[-3000:]


# Accuracies are printed as "NN.NN%" and losses with four decimals (CONVENTIONS.md), so a number of
# either form in the prose must be one that an output of the same notebook shows. Four-decimal numbers
# inside $...$ are exempt: those are steps of a derivation done by hand (e.g. 1/(1 + e^-1) = 1/1.3679).
QUOTED_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}\.\d{2}) ?\\?%|(?<![\w.^])(\d+\.\d{4})(?![\d])")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_numbers_quoted_in_prose_appear_in_the_outputs(path):
    nb = nbformat.read(path, as_version=4)
    outputs = "\n".join(text for cell in _code_cells(nb) for _, text in _text_outputs(cell))
    for cell in nb.cells:
        if cell.cell_type != "markdown" or cell.get("id") in ("nav-top", "nav-bottom"):
            continue
        prose = re.sub(
            r"\$\$.*?\$\$|\$[^$\n]*\$", lambda m: re.sub(r"\d+\.\d{4}", "", m[0]), cell.source, flags=re.S
        )
        for percent, decimal in QUOTED_NUMBER.findall(prose):
            if percent:
                assert re.search(rf"(?<![\d.]){re.escape(percent)} ?%", outputs), (
                    f"{path.name}: the prose quotes {percent}% but no output shows it:\n{cell.source[:300]}"
                )
            else:
                assert re.search(rf"(?<![\d.]){re.escape(decimal)}(?!\d)", outputs), (
                    f"{path.name}: the prose quotes {decimal} but no output shows it:\n{cell.source[:300]}"
                )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_helpers_are_imported_as_an_installed_package(path):
    nb = nbformat.read(path, as_version=4)
    for cell in _code_cells(nb):
        assert "sys.path" not in cell.source, (
            f"{path.name}: path hack instead of the installed helpers package"
        )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_figure_has_a_text_description(path):
    """A figure is described in words in a markdown cell next to it, starting "*Figure:*" (for screen
    readers, and for every renderer: JupyterLab, Colab, nbconvert and the website all show markdown,
    while none of them reads an alt text from a notebook output)."""
    nb = nbformat.read(path, as_version=4)
    for index, cell in enumerate(nb.cells):
        images = [o for o in cell.get("outputs", []) if "image/png" in o.get("data", {})]
        if cell.cell_type != "code" or not images:
            continue
        neighbours = [nb.cells[i] for i in (index - 1, index + 1) if 0 <= i < len(nb.cells)]
        descriptions = [c.source for c in neighbours if c.cell_type == "markdown" and "*Figure" in c.source]
        assert descriptions, (
            f"{path.name}, cell {index}: {len(images)} figure(s) without a text description; add a markdown "
            "cell right before or after it that starts its description with '*Figure:*'"
        )
