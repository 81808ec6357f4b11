"""Build the series' website from the committed notebooks, without executing them.

    python tools/build_site.py            # -> build/site/index.html
    python tools/build_site.py --out DIR  # somewhere else

Sphinx with MyST-NB renders the README (the home page), every notebook and every solutions notebook
in series order (each lesson followed by its solutions), with their committed outputs (already
checked by `pytest --nbval`), MathJax from a local copy (no CDN, at build time or when reading),
Sphinx's own search, and the guide's PDF at guide/backprop-guide.pdf. The source tree is assembled
in a temporary folder; nothing in the repository is changed. What the site changes in a notebook
(see `_notebook_for_the_site`): the Colab setup cell and the navigation lines are hidden (the
theme's header and sidebar have them), a line under the title says how to run the notebook, and
each figure gets its "*Figure:*" description as alt text. site/conf.py configures Sphinx and
site/site_transforms.py links the guide. The order of the pages, the titles and the repository's
address come from tools/series.py, the one place that knows them.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

import series

ROOT = series.ROOT
CONF = ROOT / "site" / "conf.py"
GUIDE_PDF = ROOT / "guide" / "backprop-guide.pdf"


def _toctree(caption: str, entries: list[str]) -> str:
    lines = ["```{toctree}", ":maxdepth: 1", f":caption: {caption}", ":hidden:", ""]
    return "\n".join(lines + entries + ["```", ""])


def home_page(readme: str) -> str:
    """The README with the site's hidden contents trees appended (they make the sidebar and the
    previous/next links, in series order)."""
    notebooks = [f"notebooks/{n.stem}" for n in series.SERIES]
    # A link to a folder works on GitHub but is no page of the site: point it at the contents table,
    # whose rows link every solutions notebook.
    readme = readme.replace("](notebooks/solutions/)", "](#contents)")
    return "\n\n".join(
        [
            readme.rstrip(),
            _toctree("Notebooks", notebooks),  # each lesson lists its solutions in its own toctree
            _toctree("Reference", ["CONVENTIONS"]),
        ]
    )


FIGURE = re.compile(r"\A\s*\*Figures?:\*\s*")


def figure_description(markdown: str) -> str | None:
    """The plain text of a "*Figure:* ..." paragraph (its first paragraph), for an image's alt text;
    None if the markdown does not start with one."""
    if not FIGURE.match(markdown):
        return None
    text = FIGURE.sub("", markdown).split("\n\n")[0]
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links: their text
    text = re.sub(r"\\(?:mathrm|text|operatorname|mathbf|boldsymbol|mathcal)\{([^{}]*)\}", r"\1", text)
    text = re.sub(r"\\([A-Za-z]+)", r"\1", text)  # \eta -> eta, \times -> times
    text = re.sub(r"[*`${}]|\\(?=\W)", "", text)
    return " ".join(text.split())


def run_line(relative: str) -> str:
    """One line under a notebook's title: where to run it, and what to install to run the downloaded
    file outside a clone of the repository (its first cell installs `helpers` only on Colab)."""
    depth = relative.count("/")
    readme = "../" * depth + "README.md#run-it"
    return (
        f"**Run this notebook:** [Colab]({series.colab_url(relative)}) · "
        f"[Binder]({series.binder_url(relative)}) · or download it (⬇ above) and run "
        f'`pip install jupyterlab "git+https://github.com/{series.REPOSITORY}@{series.BRANCH}"` '
        f"and `jupyter lab` ([more]({readme}))."
    )


def _hide(cell) -> None:
    """Keep the cell in the notebook (and its download) but not on the page."""
    tags = cell.metadata.setdefault("tags", [])
    if "remove-cell" not in tags:
        tags.append("remove-cell")


def _notebook_for_the_site(path: Path, target: Path, index: int, solutions: bool) -> None:
    """The notebook as the site shows it; nothing of its code or outputs changes.

    On the page the title comes first, then one line on how to run it: the navigation lines and the
    Colab setup cell stay in the notebook (and its download) but are hidden, because the theme has
    the navigation, the Colab/Binder/download menus and the previous/next links. A lesson ends with
    a link to its solutions (titled), and its solutions follow it in the navigation. Every image of
    an output gets the "*Figure:*" description after its cell as alt text.
    """
    nb = nbformat.read(path, as_version=4)
    relative = path.relative_to(ROOT).as_posix()
    cells = []
    for position, cell in enumerate(nb.cells):
        if cell.get("id") in ("nav-top", "setup", "nav-bottom"):
            _hide(cell)
        cells.append(cell)
        if cell.get("id") == "nav-bottom" and not solutions:
            cells.append(nbformat.v4.new_markdown_cell(series.solutions_line(index), id="site-solutions"))
        if position == 1 and cell.cell_type == "markdown":  # the title cell: the run line under the title
            title, _, rest = cell.source.partition("\n")
            cell.source = f"{title}\n\n{run_line(relative)}\n{rest}"
        if cell.cell_type == "code" and any(
            "image/png" in o.get("data", {}) for o in cell.get("outputs", [])
        ):
            following = nb.cells[position + 1] if position + 1 < len(nb.cells) else None
            description = figure_description(following.source) if following is not None else None
            if description is None:
                raise SystemExit(
                    f"{relative}: the figure of cell {position} has no '*Figure:* ...' description in "
                    "the markdown cell after it (it becomes the image's alt text on the site): add one."
                )
            cell.metadata.setdefault("mystnb", {}).setdefault("image", {})["alt"] = description
    if not solutions and series.SERIES[index].solutions_path.exists():
        cells.append(  # the solutions come right after their lesson in the sidebar and in previous/next
            nbformat.v4.new_markdown_cell(
                f"```{{toctree}}\n:hidden:\n\nsolutions/{series.SERIES[index].stem}_solutions\n```",
                id="site-toctree",
            )
        )
    nb.cells = cells
    nbformat.write(nb, target)


DOWNLOADS = "_downloadable"  # in the source tree: the notebooks as they are, copied to the site as such


def assemble(source: Path) -> None:
    """Copy what the site shows into ``source``: README (as the root page), notebooks, guide, licence.

    The notebooks are there twice: as the site shows them, and unchanged under DOWNLOADS, which
    site/site_transforms.py puts on the site at the notebook's own path (``notebooks/NN_topic.ipynb``,
    next to its page) for the download button: the file a reader downloads is the repository's.
    """
    (source / "README.md").write_text(
        home_page((ROOT / "README.md").read_text(encoding="utf-8")), encoding="utf-8"
    )
    for index, notebook in enumerate(series.SERIES):
        for path, solutions in ((notebook.path, False), (notebook.solutions_path, True)):
            if path.exists():
                target = source / path.relative_to(ROOT)
                target.parent.mkdir(parents=True, exist_ok=True)
                _notebook_for_the_site(path, target, index, solutions)
                original = source / DOWNLOADS / path.relative_to(ROOT)
                original.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(path, original)
    (source / "guide").mkdir()
    shutil.copy(GUIDE_PDF, source / "guide" / GUIDE_PDF.name)
    for name in ("LICENSE", "CONVENTIONS.md"):
        shutil.copy(ROOT / name, source / name)


def build(out: Path, *, quiet: bool = True) -> float:
    """Build the site into ``out``; return the seconds it took. Warnings are errors."""
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="site-src-") as tmp:
        source = Path(tmp)
        assemble(source)
        command = [
            sys.executable,
            "-m",
            "sphinx",
            "-b",
            "html",
            "-c",
            str(CONF.parent),
            "-W",
            "--keep-going",
            "-E",
        ]
        if quiet:
            command.append("-q")
        subprocess.run(command + [str(source), str(out)], check=True)
    return time.perf_counter() - start


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "site", help="output folder")
    args = parser.parse_args(argv)
    if args.out.exists():
        if any(args.out.iterdir()) and not (args.out / ".buildinfo").exists():
            raise SystemExit(
                f"{args.out} is not empty and holds no earlier site build (no .buildinfo): "
                "refusing to delete it; choose a new or empty folder for --out."
            )
        shutil.rmtree(args.out)
    seconds = build(args.out)
    size = sum(p.stat().st_size for p in args.out.rglob("*") if p.is_file())
    print(f"site built in {seconds:.1f} s: {args.out / 'index.html'} ({size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
