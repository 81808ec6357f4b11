"""Print the exercise cells of a notebook, rendered from the registry in helpers/exercises.py.

    python tools/exercise_cells.py 02              # markdown, stub and check cells of notebook 02
    python tools/exercise_cells.py 02 --solutions  # the solutions notebook's cells
    python tools/exercise_cells.py --list          # every exercise and its catalogued mistakes

The stubs, checks and solutions come from one place (helpers.exercises.EXERCISES), so a notebook whose
cells were pasted from this output cannot disagree with what `check` expects; tests/test_exercises.py
runs every rendered stub and solution.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from helpers import exercises as E  # noqa: E402


def cells(notebook: str, solutions: bool = False) -> str:
    """The cells of one notebook's exercises, each introduced by a line '--- markdown' or '--- code'."""
    found = E.exercises_of(notebook) + [ex for _, ex in E.PENDING.values() if ex.notebook == notebook]
    if not found:
        raise SystemExit(
            f"no exercise for notebook {notebook!r}; notebooks with exercises: "
            + ", ".join(sorted({ex.notebook for ex in E.EXERCISES.values()}))
        )
    parts = []
    for exercise in found:
        if solutions:
            parts += ["--- code", E.solution_cell(exercise.id), "--- code", E.check_cell(exercise.id)]
        else:
            parts += [
                "--- markdown",
                E.markdown_cell(exercise.id),
                "--- code",
                E.stub_cell(exercise.id),
                "--- code",
                E.check_cell(exercise.id),
            ]
    return "\n".join(parts)


def listing() -> str:
    lines = []
    pending = {exercise_id: reason for exercise_id, (reason, _) in E.PENDING.items()}
    for exercise_id, exercise in {**E.EXERCISES, **{i: ex for i, (_, ex) in E.PENDING.items()}}.items():
        note = f"  (pending: {pending[exercise_id]})" if exercise_id in pending else ""
        lines.append(f"{exercise_id}: {exercise.name}({exercise.arguments}) -> {exercise.title}{note}")
        lines += [f"    - {m.name}  [{m.source}]" for m in exercise.mistakes]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook", nargs="?", help="two digits, e.g. 02")
    parser.add_argument("--solutions", action="store_true", help="the solutions notebook's cells")
    parser.add_argument("--list", action="store_true", help="every exercise and its mistakes")
    args = parser.parse_args(argv)
    if args.list:
        print(listing())
    elif args.notebook:
        print(cells(args.notebook, args.solutions))
    else:
        parser.error("give a notebook number (02) or --list")
    return 0


if __name__ == "__main__":
    sys.exit(main())
