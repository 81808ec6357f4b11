"""Tests of the companion guide (guide/) and of the tools that feed it.

* The guide builds from a fresh copy with `make` (latexmk fails on undefined references or
  citations), it has at least 30 pages and no Type 3 fonts, two builds are identical to the byte,
  and the committed guide/backprop-guide.pdf has the same text as the fresh build, so the
  committed PDF is never stale.
* Tables 2.1 and 2.2 are typeset from the notation section of CONVENTIONS.md by
  tools/guide_notation.py at build time, and every row reaches the PDF.
* Every figure that guide/figures/make_figures.py draws is one the Makefile knows.
* Every reference a notebook makes to the guide names a chapter, section or equation that
  exists in the fresh build. The accepted forms, in markdown cells of notebooks/*.ipynb and
  notebooks/solutions/*.ipynb ("guide" in any case):

      guide, Chapter 6        guide, Section 6.2
      guide, Equation (BP1)   guide, Equation (4.3)

  Any other text after "guide, Chapter|Section|Equation" is reported as malformed.
  The parsers live in tools/guide_references.py (also a command line check).
* tools/guide_numbers.py extracts the last "Test accuracy: NN.NN%" line of a notebook (and notebook
  04's scikit-learn line) and fails clearly, naming the line, without one.

The build tests need latexmk, pdflatex, biber, make and poppler-utils (pdftotext, pdfinfo,
pdffonts). Without them they are skipped, unless the environment variable CI is set, in which
case they fail. Run with `python -m pytest tests/test_guide.py -p no:nbval`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
GUIDE = REPO / "guide"
PDF_NAME = "backprop-guide.pdf"
TOOLS = ("make", "latexmk", "pdflatex", "biber", "pdftotext", "pdfinfo", "pdffonts")
BUILD_TIMEOUT = 600  # seconds; the build itself takes well under a minute


sys.path.insert(0, str(REPO / "tools"))
import guide_notation  # noqa: E402
import guide_numbers  # noqa: E402
from guide_references import guide_targets, missing_references, notebook_paths, parse_aux  # noqa: E402

# --------------------------------------------------------------------------------------------
# Building the guide once per test session
# --------------------------------------------------------------------------------------------


def require_tools() -> None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        message = f"tools needed to build the guide are missing: {', '.join(missing)}"
        if os.environ.get("CI"):
            pytest.fail(message + " (CI is set, so the guide must be tested)")
        pytest.skip(message)


def run(command: list[str], **kwargs) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs).stdout


def pdf_text(pdf: Path) -> str:
    return run(["pdftotext", "-layout", str(pdf), "-"])


class Build:
    """A fresh build of the guide in a temporary copy of guide/."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.pdf = folder / PDF_NAME
        self.aux = (folder / "build" / "backprop-guide.aux").read_text(encoding="utf-8")
        self.toc = (folder / "build" / "backprop-guide.toc").read_text(encoding="utf-8")
        self.text = pdf_text(self.pdf)


@pytest.fixture(scope="session")
def build(tmp_path_factory) -> Build:
    require_tools()
    folder = tmp_path_factory.mktemp("guide-build") / "guide"
    shutil.copytree(GUIDE, folder, ignore=shutil.ignore_patterns("build", "generated", PDF_NAME))
    command = ["make", "-C", str(folder), f"ROOT={REPO}", f"PYTHON={sys.executable}"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=BUILD_TIMEOUT)
    if result.returncode != 0:
        pytest.fail(
            f"`{' '.join(command)}` failed with exit code {result.returncode}:\n"
            f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
        )
    return Build(folder)


# --------------------------------------------------------------------------------------------
# The build
# --------------------------------------------------------------------------------------------


def test_fresh_build_has_at_least_30_pages(build):
    info = run(["pdfinfo", str(build.pdf)])
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))
    assert pages >= 30


def test_fresh_build_has_no_type3_fonts(build):
    fonts = run(["pdffonts", str(build.pdf)])
    assert "Type 3" not in fonts


@pytest.mark.parametrize(
    "broken", [r"See \ref{sec:does-not-exist}.", r"See \parencite{no-such-key}."], ids=["ref", "cite"]
)
def test_undefined_reference_or_citation_fails_the_build(build, tmp_path, broken):
    folder = tmp_path / "guide"
    shutil.copytree(build.folder, folder)  # keeps build/ and the figures, so only LaTeX reruns
    with (folder / "chapters" / "beyond.tex").open("a", encoding="utf-8") as chapter:
        chapter.write(f"\n{broken}\n")
    command = ["make", "-C", str(folder), f"ROOT={REPO}", f"PYTHON={sys.executable}"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=BUILD_TIMEOUT)
    assert result.returncode != 0
    assert broken.split("{")[1].rstrip("}.") in result.stdout + result.stderr


def test_builds_are_reproducible_to_the_byte(build, tmp_path):
    # A second build in another folder (figures and PDF made anew) gives the same bytes:
    # SOURCE_DATE_EPOCH and FORCE_SOURCE_DATE pin every date, and no path leaks into the PDF.
    folder = tmp_path / "elsewhere" / "guide"
    shutil.copytree(GUIDE, folder, ignore=shutil.ignore_patterns("build", "generated", PDF_NAME))
    command = ["make", "-C", str(folder), f"ROOT={REPO}", f"PYTHON={sys.executable}"]
    subprocess.run(command, check=True, capture_output=True, text=True, timeout=BUILD_TIMEOUT)
    assert (folder / PDF_NAME).read_bytes() == build.pdf.read_bytes()


def test_committed_pdf_matches_fresh_build(build):
    committed = GUIDE / PDF_NAME
    assert committed.exists(), "guide/backprop-guide.pdf is missing: run `make -C guide` and commit it"
    assert pdf_text(committed) == build.text, (
        "guide/backprop-guide.pdf is stale: run `make -C guide` and commit the PDF"
    )


def test_guide_quotes_the_notebooks_not_placeholders(build):
    for macro in ("IrisTestAccuracy", "MnistTestAccuracy"):
        assert re.search(
            rf"\\newcommand\{{\\{macro}\}}\{{\d+\.\d\d\\,\\%\}}",
            (build.folder / "generated" / "results.tex").read_text(),
        )


def test_backpropagation_equations_are_tagged_bp1_to_bp4_in_order(build):
    labels = parse_aux(build.aux)
    assert [labels[f"eq:bp{i}"][0] for i in range(1, 5)] == ["BP1", "BP2", "BP3", "BP4"]
    # The .aux file lists labels in the order they appear in the document.
    positions = [build.aux.index(f"\\newlabel{{eq:bp{i}}}") for i in range(1, 5)]
    assert positions == sorted(positions)


def test_chapters_are_in_the_agreed_order(build):
    labels = parse_aux(build.aux)
    order = [
        "introduction",
        "notation",
        "forward",
        "losses",
        "chainrule",
        "backprop",
        "gradcheck",
        "descent",
        "examples",
        "limitations",
        "beyond",
    ]
    assert [labels[f"ch:{name}"][0] for name in order] == [str(i) for i in range(1, 12)]


def test_every_notebook_reference_to_the_guide_exists(build):
    targets = guide_targets(build.aux, build.toc)
    assert {"6", "6.2", "BP1", "BP4"} <= targets["Chapter"] | targets["Section"] | targets["Equation"]
    assert missing_references(notebook_paths(), targets) == []


def test_every_figure_is_known_to_the_makefile():
    """make builds the figures as one target: a figure missing from FIGURE_NAMES would not be rebuilt."""
    makefile = (GUIDE / "Makefile").read_text(encoding="utf-8").replace("\\\n", " ")
    names = re.search(r"^FIGURE_NAMES :=(.*)$", makefile, re.MULTILINE)[1].split()
    sys.path.insert(0, str(GUIDE / "figures"))
    try:
        make_figures = pytest.importorskip("make_figures")
    finally:
        sys.path.remove(str(GUIDE / "figures"))
    assert [f"{name}.pdf" for name in names] == list(make_figures.FIGURES)


def test_notation_tables_are_typeset_from_conventions(build):
    tables = guide_notation.parse_tables((REPO / "CONVENTIONS.md").read_text(encoding="utf-8"))
    assert (build.folder / "generated" / "notation.tex").read_text(encoding="utf-8") == guide_notation.render(
        tables
    )
    labels = parse_aux(build.aux)
    assert [labels[f"tab:notation-{i}"][0] for i in range(1, len(tables) + 1)] == [
        f"2.{i}" for i in range(1, len(tables) + 1)
    ]
    for table in tables:  # every row reaches the PDF: its code column, as pdftotext shows it
        for row in table.rows:
            first_code = re.search(r"`([^`]+)`", row[3])
            assert first_code is None or first_code[1].split()[0] in build.text, row


# --------------------------------------------------------------------------------------------
# The parsers, on synthetic input (no LaTeX needed)
# --------------------------------------------------------------------------------------------

SYNTHETIC_AUX = r"""\relax
\newlabel{ch:backprop}{{6}{17}{Backpropagation}{chapter.6}{}}
\newlabel{sec:proof-bp1}{{6.2}{18}{Proof of (BP1): the error of the output layer}{section.6.2}{}}
\newlabel{eq:bp1}{{{BP1}}{17}{The four equations}{AMS.28}{}}
\newlabel{eq:softmax-ce-grad}{{4.7}{12}{Step 3: the batch}{equation.4.4.7}{}}
\newlabel{ex:bp-cost}{{6.5}{21}{Exercises}{exercise.6.5}{}}
"""
SYNTHETIC_TOC = r"""\contentsline {chapter}{\numberline {1}Introduction}{1}{chapter.1}%
\contentsline {section}{\numberline {1.1}What backpropagation is}{1}{section.1.1}%
"""


def test_parse_aux_reads_numbers_including_tags():
    labels = parse_aux(SYNTHETIC_AUX)
    assert labels["eq:bp1"] == ("BP1", "AMS.28")
    assert labels["eq:softmax-ce-grad"] == ("4.7", "equation.4.4.7")
    assert labels["ch:backprop"] == ("6", "chapter.6")


def test_guide_targets_separate_kinds():
    targets = guide_targets(SYNTHETIC_AUX, SYNTHETIC_TOC)
    assert targets["Chapter"] == {"1", "6"}
    assert targets["Section"] == {"1.1", "6.2"}
    assert targets["Equation"] == {"BP1", "4.7"}  # the exercise label 6.5 is not an equation


def write_notebook(path: Path, markdown: list[str]) -> Path:
    cells = [{"cell_type": "markdown", "metadata": {}, "source": text} for text in markdown]
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    return path


def test_reference_checker_reports_missing_and_malformed(tmp_path):
    notebook = write_notebook(
        tmp_path / "99_fake.ipynb",
        [
            "As shown in the guide, Chapter 6 and the (guide, Section 6.2), "
            "with Guide, Equation (BP1) and guide, Equation (4.7).",
            "See the guide, Chapter 99, and guide, Equation (BP5), and guide, Section 6.9.",
            "And guide, Equation BP2 without parentheses.",
        ],
    )
    problems = missing_references([notebook], guide_targets(SYNTHETIC_AUX, SYNTHETIC_TOC))
    assert len(problems) == 4, problems
    assert any("'guide, Chapter 99'" in problem for problem in problems)
    assert any("'guide, Section 6.9'" in problem for problem in problems)
    assert any("malformed" in problem and "Equation BP2" in problem for problem in problems)
    assert all("99_fake.ipynb" in problem for problem in problems)


def test_reference_checker_ignores_code_cells(tmp_path):
    notebook = tmp_path / "98_code.ipynb"
    notebook.write_text(
        json.dumps(
            {
                "cells": [
                    {
                        "cell_type": "code",
                        "metadata": {},
                        "source": "# guide, Chapter 99",
                        "outputs": [],
                        "execution_count": None,
                    }
                ],
                "metadata": {},
                "nbformat": 4,
                "nbformat_minor": 5,
            }
        )
    )
    assert missing_references([notebook], guide_targets(SYNTHETIC_AUX, SYNTHETIC_TOC)) == []


# --------------------------------------------------------------------------------------------
# tools/guide_notation.py
# --------------------------------------------------------------------------------------------

SYNTHETIC_CONVENTIONS = """# Conventions

## Notation

Some prose, and a table that is not in a "###" part is not allowed, so none here.

### Dense networks (guide Chapters 2-11)

| symbol | meaning | shape | code |
|---|---|---|---|
| $W^{[\\ell]}$ | weights of layer $\\ell$, **not** the *width* | $n_{\\ell-1} \\times n_\\ell$ | `W1` / `params["W1"]` |
| $p$ | keep probability; 50% & more … | scalar | `keep_prob` |

### Attention

| symbol | meaning | shape | code |
|---|---|---|---|
| $d_h$ | head width | scalar | `d_h` |

## The layer contract

| not | a | notation | row |
"""


def test_notation_tables_parse_and_render():
    tables = guide_notation.parse_tables(SYNTHETIC_CONVENTIONS)
    assert [table.heading for table in tables] == ["Dense networks (guide Chapters 2-11)", "Attention"]
    assert [len(table.rows) for table in tables] == [
        2,
        1,
    ]  # the table after "## The layer contract" is not read
    latex = guide_notation.render(tables)
    assert r"\caption{Dense networks (Chapters 2-11)}\label{tab:notation-1}" in latex
    assert r"\label{tab:notation-2}" in latex
    assert (
        r"$W^{[\ell]}$ & weights of layer $\ell$, \textbf{not} the \emph{width} & $n_{\ell-1} \times n_\ell$ & "
        r'\code{W1} / \code{params["W1"]} \\'
    ) in latex
    assert r"keep probability; 50\% \& more \dots{}" in latex
    assert r"\code{d\_h}" in latex


@pytest.mark.parametrize(
    "broken, message",
    [
        ("| $p$ | keep probability | scalar |", r"CONVENTIONS\.md:12: expected 4 cells"),
        ("| $p$ | a | b | c | d |", r"CONVENTIONS\.md:12: expected 4 cells"),
        ("$p$ | keep | scalar | `keep_prob` |", None),  # not a table row: ends the table, read as prose
    ],
)
def test_notation_rows_with_the_wrong_cells_are_named(broken, message):
    text = SYNTHETIC_CONVENTIONS.replace(
        "| $p$ | keep probability; 50% & more … | scalar | `keep_prob` |", broken
    )
    if message is None:
        assert [len(table.rows) for table in guide_notation.parse_tables(text)] == [1, 1]
    else:
        with pytest.raises(guide_notation.NotationError, match=message):
            guide_notation.parse_tables(text)


def test_notation_needs_the_section_and_a_heading(tmp_path, capsys):
    with pytest.raises(guide_notation.NotationError, match="no section"):
        guide_notation.parse_tables(SYNTHETIC_CONVENTIONS.replace("## Notation", "## Symbols"))
    with pytest.raises(guide_notation.NotationError, match=r"CONVENTIONS\.md:9: .*'### ' heading"):
        guide_notation.parse_tables(
            SYNTHETIC_CONVENTIONS.replace("### Dense networks (guide Chapters 2-11)", "")
        )
    conventions = tmp_path / "CONVENTIONS.md"
    conventions.write_text("# Conventions\n\n## Notation\n\nNo table yet.\n")
    output = tmp_path / "notation.tex"
    assert guide_notation.main(["--conventions", str(conventions), "--output", str(output)]) == 1
    assert "at least one table" in capsys.readouterr().err
    assert not output.exists()


# --------------------------------------------------------------------------------------------
# tools/guide_numbers.py
# --------------------------------------------------------------------------------------------


def synthetic_results_notebook(path: Path, printed: list[str]) -> Path:
    """Write a notebook (with nbformat) whose code cells printed the given texts."""
    nbformat = pytest.importorskip("nbformat")
    notebook = nbformat.v4.new_notebook()
    notebook.cells.append(nbformat.v4.new_markdown_cell("Test accuracy: 11.11% (markdown, ignored)"))
    for count, text in enumerate(printed, start=1):
        cell = nbformat.v4.new_code_cell(f"print({text!r})", execution_count=count)
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=text)]
        notebook.cells.append(cell)
    nbformat.write(notebook, path)
    return path


def test_guide_numbers_takes_the_last_test_accuracy_line(tmp_path):
    notebook = synthetic_results_notebook(
        tmp_path / "04_iris_mlp.ipynb",
        [
            "epoch 10  loss 0.4000\nTest accuracy: 90.00%\n",
            "Train accuracy: 99.17%\nTest accuracy: 96.67%\nTest accuracy: 97.5%\n",
        ],
    )
    assert guide_numbers.printed_number(notebook) == "96.67"


def test_guide_numbers_writes_macros(tmp_path):
    synthetic_results_notebook(
        tmp_path / "04_iris_mlp.ipynb",
        [
            "Test accuracy: 96.67%\n",
            "MLPClassifier test accuracy: 11.11%\n",
            "scikit-learn MLPClassifier test accuracy: 97.78%\n",
        ],
    )
    synthetic_results_notebook(
        tmp_path / "05_mnist_mlp.ipynb", ["training time: 6.20 s\nTest accuracy: 98.12%\n"]
    )
    output = tmp_path / "results.tex"
    assert guide_numbers.main(["--notebooks", str(tmp_path), "--output", str(output)]) == 0
    text = output.read_text()
    assert r"\newcommand{\IrisTestAccuracy}{96.67\,\%}" in text
    assert r"\newcommand{\MnistTestAccuracy}{98.12\,\%}" in text
    assert r"\newcommand{\IrisSklearnAccuracy}{97.78\,\%}" in text  # the whole line, not a suffix of it
    assert "6.20" not in text and "Time" not in text  # timings are never quoted


@pytest.mark.parametrize(
    "iris, mnist, named",
    [
        (
            ["Test accuracy: 96.67%\n", "scikit-learn MLPClassifier test accuracy: 97.78%\n"],
            ["Test accuracy was high\n"],
            r"05_mnist_mlp\.ipynb.*'Test accuracy: NN\.NN%'",
        ),
        (
            ["Test accuracy: 96.67%\n"],
            ["Test accuracy: 98.12%\n"],
            r"04_iris_mlp\.ipynb.*'scikit-learn MLPClassifier test accuracy: NN\.NN%'",
        ),
    ],
    ids=["mnist-accuracy", "iris-sklearn"],
)
def test_guide_numbers_fails_clearly_without_a_line(tmp_path, capsys, iris, mnist, named):
    synthetic_results_notebook(tmp_path / "04_iris_mlp.ipynb", iris)
    synthetic_results_notebook(tmp_path / "05_mnist_mlp.ipynb", mnist)
    with pytest.raises(guide_numbers.NumbersError, match=named):
        guide_numbers.macros(tmp_path)
    output = tmp_path / "results.tex"
    assert guide_numbers.main(["--notebooks", str(tmp_path), "--output", str(output)]) == 1
    assert re.search(named, capsys.readouterr().err)
    assert not output.exists()


def test_guide_numbers_names_a_missing_notebook(tmp_path, capsys):
    assert guide_numbers.main(["--notebooks", str(tmp_path), "--output", str(tmp_path / "r.tex")]) == 1
    assert "04_iris_mlp.ipynb" in capsys.readouterr().err
