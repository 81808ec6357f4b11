#!/usr/bin/env python3
"""Write the numbers the guide quotes from the notebooks into ``guide/generated/results.tex``.

The guide never types a result by hand: ``make -C guide`` runs this script, which reads the
*committed* outputs of ``notebooks/04_iris_mlp.ipynb`` and ``notebooks/05_mnist_mlp.ipynb`` and
turns the last line each prints as ``Test accuracy: NN.NN%`` into a LaTeX macro::

    \\newcommand{\\IrisTestAccuracy}{96.67\\,\\%}

When present, two optional lines are turned into macros too: ``scikit-learn MLPClassifier test
accuracy: NN.NN%`` (``\\IrisSklearnAccuracy``) and ``Training time: 1.23 s`` / ``training time: 1.23 s``
(``\\IrisTrainingTime``, ``\\MnistTrainingTime``); the guide uses an optional macro only inside
``\\ifdefined``. (Quoting a training time would make the committed PDF stale after every re-run of
the notebook, so the guide currently does not.)

If a notebook or its line is missing the script stops with a message that names it. The
``--placeholder`` flag writes "(not yet run)" macros instead; it exists only so that the guide
can be typeset while the notebooks are being written, and the Makefile never uses it.

Only the standard library is used (a notebook is JSON), so any ``python3`` can run it.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent

#: The exact line the notebooks print; the last one in a notebook wins.
TEST_ACCURACY = re.compile(r"^Test accuracy: (\d{1,3}\.\d{2})%\s*$")
#: Optional extras, used by the guide only when present.
SKLEARN_ACCURACY = re.compile(r"^(?:scikit-learn )?MLPClassifier test accuracy: (\d{1,3}\.\d{2})%\s*$")
TRAINING_TIME = re.compile(r"^[Tt]raining time: (\d+(?:\.\d+)?) s\s*$")

#: (macro prefix, notebook file name) for each notebook the guide quotes.
NOTEBOOKS = (("Iris", "04_iris_mlp.ipynb"), ("Mnist", "05_mnist_mlp.ipynb"))

PLACEHOLDER = r"\textit{(not yet run)}"


class NumbersError(RuntimeError):
    """A notebook, or the line the guide needs from it, is missing."""


def output_lines(notebook_path: Path) -> list[str]:
    """Return every line of text the code cells of a notebook printed, in order.

    Reads stdout streams and the ``text/plain`` of results and displays, as stored in the file.
    """
    try:
        notebook = json.loads(notebook_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise NumbersError(f"notebook not found: {notebook_path}") from None
    except json.JSONDecodeError as error:
        raise NumbersError(f"{notebook_path} is not a valid notebook: {error}") from None
    lines: list[str] = []
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stdout":
                text = output.get("text", "")
            elif output.get("output_type") in ("execute_result", "display_data"):
                text = output.get("data", {}).get("text/plain", "")
            else:
                continue
            if isinstance(text, list):
                text = "".join(text)
            lines.extend(text.splitlines())
    return lines


def last_match(lines: list[str], pattern: re.Pattern[str]) -> str | None:
    """The first group of the last line matching ``pattern``, or None."""
    found = None
    for line in lines:
        match = pattern.match(line)
        if match:
            found = match.group(1)
    return found


def test_accuracy(notebook_path: Path) -> str:
    """The number (as printed, e.g. ``"96.67"``) of the notebook's last ``Test accuracy`` line."""
    value = last_match(output_lines(notebook_path), TEST_ACCURACY)
    if value is None:
        raise NumbersError(
            f"{notebook_path}: no output line 'Test accuracy: NN.NN%' "
            "(run the notebook with tools/run_notebooks.py and commit its outputs)"
        )
    return value


def macros(notebooks_dir: Path) -> dict[str, str]:
    """Map macro names to their LaTeX values for every notebook the guide quotes."""
    values: dict[str, str] = {}
    for prefix, file_name in NOTEBOOKS:
        path = notebooks_dir / file_name
        values[f"{prefix}TestAccuracy"] = rf"{test_accuracy(path)}\,\%"
        lines = output_lines(path)
        sklearn = last_match(lines, SKLEARN_ACCURACY)
        if sklearn is not None:
            values[f"{prefix}SklearnAccuracy"] = rf"{sklearn}\,\%"
        seconds = last_match(lines, TRAINING_TIME)
        if seconds is not None:
            values[f"{prefix}TrainingTime"] = rf"\SI{{{seconds}}}{{\second}}"
    return values


def placeholder_macros() -> dict[str, str]:
    """Macros for a development build before the notebooks exist (never used by the Makefile)."""
    return {f"{prefix}TestAccuracy": PLACEHOLDER for prefix, _ in NOTEBOOKS}


def render(values: dict[str, str], source: str) -> str:
    """The text of results.tex: one \\newcommand per value, in a stable order."""
    lines = [
        "% Generated by tools/guide_numbers.py -- do not edit.",
        f"% Source: {source}",
    ]
    lines += [rf"\newcommand{{\{name}}}{{{value}}}" for name, value in sorted(values.items())]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--notebooks",
        type=Path,
        default=REPO_ROOT / "notebooks",
        help="folder holding 04_iris_mlp.ipynb and 05_mnist_mlp.ipynb (default: %(default)s)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=REPO_ROOT / "guide" / "generated" / "results.tex",
        help="LaTeX file to write (default: %(default)s)",
    )
    parser.add_argument(
        "--placeholder",
        action="store_true",
        help="write '(not yet run)' macros instead of reading the notebooks (development only)",
    )
    args = parser.parse_args(argv)
    if args.placeholder:
        text = render(placeholder_macros(), "placeholders (--placeholder), NOT the notebooks")
    else:
        try:
            values = macros(args.notebooks)
        except NumbersError as error:
            print(f"guide_numbers: error: {error}", file=sys.stderr)
            return 1
        text = render(values, ", ".join(name for _, name in NOTEBOOKS))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    if not args.output.exists() or args.output.read_text(encoding="utf-8") != text:
        args.output.write_text(text, encoding="utf-8")
    print(f"guide_numbers: wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
