#!/usr/bin/env python3
"""Typeset the notation tables of ``CONVENTIONS.md`` as the guide's Tables 2.1 and 2.2.

The section "## Notation" of ``CONVENTIONS.md`` holds, under each "### heading", a markdown table
with the columns symbol | meaning | shape | code. ``make -C guide`` runs

    python tools/guide_notation.py --output guide/generated/notation.tex

which writes one ``longtable`` per table (labels ``tab:notation-1``, ``tab:notation-2``, ...), so the
guide's tables are the conventions, never a copy of them. Cells are markdown: ``$...$`` is LaTeX math
and passes through, ```code``` becomes ``\\code{...}``, ``**bold**`` and ``*emphasis*`` are kept, and
the characters LaTeX treats specially are escaped. A row with the wrong number of cells, or a
section without a table, stops the script with a message naming the line.

Only the standard library is used, so any ``python3`` can run it.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
COLUMNS = ("symbol", "meaning", "shape", "code")

#: Inline markdown: math, code, bold, emphasis (in this order of precedence).
INLINE = re.compile(r"(?P<math>\$[^$]+\$)|`(?P<code>[^`]+)`|\*\*(?P<bold>[^*]+)\*\*|\*(?P<emph>[^*]+)\*")
#: Characters that LaTeX treats specially, in text and inside \code{...}.
ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "_": r"\_",
    "%": r"\%",
    "#": r"\#",
    "&": r"\&",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "$": r"\$",
}
#: Characters the guide's fonts set better as LaTeX commands (math and text alike).
UNICODE = {"…": r"\dots{}", "–": "--", "—": "---", "′": "'", "×": r"\texttimes{}"}


class NotationError(ValueError):
    """CONVENTIONS.md's notation section is not in the form this script reads."""


@dataclass
class Table:
    heading: str
    rows: list[tuple[str, str, str, str]]


def notation_section(text: str) -> list[tuple[int, str]]:
    """The numbered lines (1-based) of the section "## Notation", up to the next "## " heading."""
    lines = text.splitlines()
    try:
        start = next(i for i, line in enumerate(lines) if line.strip() == "## Notation")
    except StopIteration:
        raise NotationError('CONVENTIONS.md has no section "## Notation"') from None
    section = []
    for number, line in enumerate(lines[start + 1 :], start=start + 2):
        if line.startswith("## "):
            break
        section.append((number, line))
    return section


def split_row(number: int, line: str) -> list[str]:
    """The cells of one markdown table row ``| a | b | c | d |``."""
    if not (line.startswith("|") and line.rstrip().endswith("|")):
        raise NotationError(f"CONVENTIONS.md:{number}: a table row must start and end with '|': {line!r}")
    return [cell.strip() for cell in line.strip()[1:-1].split("|")]


def parse_tables(text: str) -> list[Table]:
    """Every "### heading" of the notation section that is followed by a table, with its rows."""
    tables: list[Table] = []
    heading, in_table = None, False
    for number, line in notation_section(text):
        if line.startswith("### "):
            heading, in_table = line[4:].strip(), False
        elif line.startswith("|"):
            cells = split_row(number, line)
            if len(cells) != len(COLUMNS):
                raise NotationError(
                    f"CONVENTIONS.md:{number}: expected {len(COLUMNS)} cells ({' | '.join(COLUMNS)}), "
                    f"found {len(cells)} (a '|' inside a cell must be written \\vert or \\lVert)"
                )
            if not in_table:
                if heading is None:
                    raise NotationError(
                        f"CONVENTIONS.md:{number}: a notation table needs a '### ' heading above it"
                    )
                if [cell.lower() for cell in cells] != list(COLUMNS):
                    raise NotationError(
                        f"CONVENTIONS.md:{number}: the header must be | {' | '.join(COLUMNS)} |"
                    )
                tables.append(Table(heading, []))
                in_table = True
            elif not set("".join(cells)) <= set("-: "):
                tables[-1].rows.append(tuple(cells))
        else:
            in_table = False
    if not tables or not all(table.rows for table in tables):
        raise NotationError(
            'CONVENTIONS.md: the section "## Notation" must hold at least one table with rows'
        )
    return tables


def escape(text: str) -> str:
    """Plain text (or code) with LaTeX's special characters escaped."""
    return "".join(ESCAPES.get(char, char) for char in text)


def unicode_to_latex(text: str) -> str:
    for char, command in UNICODE.items():
        text = text.replace(char, command)
    return text


def plain(text: str) -> str:
    """Running text: escaped, its Unicode dashes and dots as LaTeX, "quotes" as ``quotes''."""
    return re.sub(r'"([^"]*)"', r"``\1''", unicode_to_latex(escape(text)))


def inline(markdown: str) -> str:
    """One cell of markdown as LaTeX (math passes through, code becomes \\code{...})."""
    parts, position = [], 0
    for match in INLINE.finditer(markdown):
        parts.append(plain(markdown[position : match.start()]))
        if match["math"]:
            parts.append(unicode_to_latex(match["math"]))
        elif match["code"]:
            parts.append(rf"\code{{{escape(match['code'])}}}")
        elif match["bold"]:
            parts.append(rf"\textbf{{{inline(match['bold'])}}}")
        else:
            parts.append(rf"\emph{{{inline(match['emph'])}}}")
        position = match.end()
    parts.append(plain(markdown[position:]))
    return "".join(parts)


def caption(heading: str) -> str:
    """The table's caption: its heading, which names the guide's own chapters without "guide"."""
    return inline(heading.replace("guide Chapters", "Chapters").replace("guide Chapter", "Chapter"))


def render(tables: list[Table]) -> str:
    """The LaTeX of the tables (for guide/chapters/notation.tex to \\input)."""
    out = [
        '% Generated by tools/guide_notation.py from the section "## Notation" of CONVENTIONS.md -- do not edit.',
    ]
    head = r"Symbol & Meaning & Shape & Code \\"
    for number, table in enumerate(tables, start=1):
        out += [
            r"{\small",
            r"\setlength{\tabcolsep}{4pt}",
            r"\begin{longtable}{@{}>{\raggedright\arraybackslash}p{2.4cm}"
            r">{\raggedright\arraybackslash}p{5.2cm}>{\raggedright\arraybackslash}p{2.3cm}"
            r">{\raggedright\arraybackslash}p{4.3cm}@{}}",
            rf"\caption{{{caption(table.heading)}}}\label{{tab:notation-{number}}}\\",
            r"\toprule",
            head,
            r"\midrule",
            r"\endfirsthead",
            rf"\multicolumn{{4}}{{@{{}}l}}{{\footnotesize\itshape \cref{{tab:notation-{number}}}, continued}}\\",
            r"\toprule",
            head,
            r"\midrule",
            r"\endhead",
            r"\bottomrule",
            r"\endfoot",
        ]
        out += [" & ".join(inline(cell) for cell in row) + r" \\" for row in table.rows]
        out += [r"\end{longtable}", "}", ""]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--conventions", type=Path, default=REPO_ROOT / "CONVENTIONS.md", help="default: %(default)s"
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=REPO_ROOT / "guide" / "generated" / "notation.tex",
        help="LaTeX file to write (default: %(default)s)",
    )
    args = parser.parse_args(argv)
    try:
        tables = parse_tables(args.conventions.read_text(encoding="utf-8"))
    except (NotationError, FileNotFoundError) as error:
        print(f"guide_notation: error: {error}", file=sys.stderr)
        return 1
    text = render(tables)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    if not args.output.exists() or args.output.read_text(encoding="utf-8") != text:
        args.output.write_text(text, encoding="utf-8")
    rows = sum(len(table.rows) for table in tables)
    print(f"guide_notation: wrote {args.output} ({len(tables)} tables, {rows} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
