#!/usr/bin/env python3
"""Check that every reference a notebook makes to the guide names something the guide has.

The notebooks cite the guide in their markdown cells in four forms ("guide" in any case)::

    guide, Chapter 6        guide, Section 6.2
    guide, Equation (BP1)   guide, Equation (4.3)

Any other text after "guide, Chapter|Section|Equation" is malformed. The chapters, sections and
equations that exist are read from a built guide: its ``.toc`` (chapters and sections) and its
``.aux`` (every label with its number and hyperref anchor).

    python tools/guide_references.py              # after `make -C guide`

exits with status 1 and lists the problems if a reference is malformed or names nothing.
``tests/test_guide.py`` runs the same check on a fresh build.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_GLOBS = ("notebooks/*.ipynb", "notebooks/solutions/*.ipynb")

#: \newlabel{NAME}{{NUMBER}{PAGE}{TITLE}{ANCHOR}{}} as written by LaTeX with hyperref; a number
#: set by amsmath's \tag is wrapped in one more pair of braces: {{{BP1}}{17}...}.
NEWLABEL = re.compile(
    r"^\\newlabel\{(?P<name>[^}]*)\}\{\{(?P<number>\{[^{}]*\}|[^{}]*)\}\{[^{}]*\}\{.*\}\{(?P<anchor>[^{}]*)\}\{[^{}]*\}\}\s*$"
)
#: \contentsline {section}{\numberline {6.2}Title}{18}{section.6.2}%
TOCLINE = re.compile(r"^\\contentsline \{(?P<kind>chapter|section)\}\{\\numberline \{(?P<number>[^{}]+)\}")

#: Where a notebook starts a reference to the guide, and the exact forms that are accepted.
REFERENCE_START = re.compile(r"(?i:guide),\s+(?P<kind>Chapter|Section|Equation)\b")
REFERENCE_FORMS = {
    "Chapter": re.compile(r"\s+(?P<number>\d+)\b(?![.]\d)"),
    "Section": re.compile(r"\s+(?P<number>\d+\.\d+)\b(?![.]\d)"),
    "Equation": re.compile(r"\s+\((?P<number>BP[1-4]|\d+\.\d+)\)"),
}


def parse_aux(text: str) -> dict[str, tuple[str, str]]:
    """Map each label of a .aux file to (number, hyperref anchor)."""
    labels = {}
    for line in text.splitlines():
        match = NEWLABEL.match(line)
        if match:
            labels[match["name"]] = (match["number"].strip("{}"), match["anchor"])
    return labels


def guide_targets(aux_text: str, toc_text: str) -> dict[str, set[str]]:
    """The chapter, section and equation numbers a notebook may cite."""
    targets: dict[str, set[str]] = {"Chapter": set(), "Section": set(), "Equation": set()}
    for line in toc_text.splitlines():
        match = TOCLINE.match(line)
        if match:
            targets["Chapter" if match["kind"] == "chapter" else "Section"].add(match["number"])
    for number, anchor in parse_aux(aux_text).values():
        if anchor.startswith("chapter."):
            targets["Chapter"].add(number)
        elif anchor.startswith("section."):
            targets["Section"].add(number)
        elif anchor.startswith(("equation.", "AMS.")):
            targets["Equation"].add(number)
    return targets


def find_references(text: str) -> tuple[list[tuple[str, str]], list[str]]:
    """Return the (kind, number) references to the guide in ``text`` and the malformed ones."""
    references, malformed = [], []
    for start in REFERENCE_START.finditer(text):
        kind = start["kind"]
        form = REFERENCE_FORMS[kind].match(text, start.end())
        if form:
            references.append((kind, form["number"]))
        else:
            malformed.append(text[start.start() : start.end() + 12].replace("\n", " "))
    return references, malformed


def markdown_text(notebook_path: Path) -> str:
    """The concatenated source of the markdown cells of a notebook."""
    notebook = json.loads(notebook_path.read_text(encoding="utf-8"))
    sources = []
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "markdown":
            source = cell.get("source", "")
            sources.append("".join(source) if isinstance(source, list) else source)
    return "\n\n".join(sources)


def missing_references(notebook_paths: list[Path], targets: dict[str, set[str]]) -> list[str]:
    """Describe every reference in the notebooks that is malformed or names nothing in the guide."""
    problems = []
    for path in notebook_paths:
        references, malformed = find_references(markdown_text(path))
        problems += [f"{path.name}: malformed reference {text!r}" for text in malformed]
        for kind, number in references:
            if number not in targets[kind]:
                problems.append(f"{path.name}: 'guide, {kind} {number}' does not exist in the guide")
    return problems


def notebook_paths(root: Path = REPO_ROOT) -> list[Path]:
    """Every notebook and solutions notebook of the series, in name order."""
    return sorted(path for pattern in NOTEBOOK_GLOBS for path in root.glob(pattern))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    build = REPO_ROOT / "guide" / "build"
    parser.add_argument("--aux", type=Path, default=build / "backprop-guide.aux", help="default: %(default)s")
    parser.add_argument("--toc", type=Path, default=build / "backprop-guide.toc", help="default: %(default)s")
    args = parser.parse_args(argv)
    try:
        targets = guide_targets(args.aux.read_text(encoding="utf-8"), args.toc.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        print(
            f"guide_references: error: {error.filename} not found: build the guide with `make -C guide`",
            file=sys.stderr,
        )
        return 1
    problems = missing_references(notebook_paths(), targets)
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"guide_references: {len(problems)} problem(s) in {len(notebook_paths())} notebooks")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
