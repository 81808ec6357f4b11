"""Build the series' website from the committed notebooks, without executing them.

    python tools/build_site.py            # -> build/site/index.html
    python tools/build_site.py --out DIR  # somewhere else

Sphinx with MyST-NB renders the README (the home page), every notebook and every solutions notebook
in series order, with their committed outputs (already checked by `pytest --nbval`), MathJax from a
local copy (no CDN, at build time or when reading), Sphinx's own search, and the guide's PDF. The
source tree is assembled in a temporary folder from the files git tracks; nothing in the repository
is changed. The order of the pages, the titles and the repository's address come from
tools/series.py, the one place that knows them.
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
    solutions = [
        f"notebooks/solutions/{n.stem}_solutions" for n in series.SERIES if n.solutions_path.exists()
    ]
    # A link to a folder works on GitHub but is no page of the site: point it at the contents table,
    # whose rows link every solutions notebook.
    readme = readme.replace("](notebooks/solutions/)", "](#contents)")
    return "\n\n".join(
        [
            readme.rstrip(),
            _toctree("Notebooks", notebooks),
            _toctree("Solutions", solutions),
            _toctree("Reference", ["CONVENTIONS"]),
        ]
    )


BADGE = re.compile(r"\[!\[(Open in Colab|Launch on Binder)\]\([^)]*\)\]\(([^)]*)\)")


def text_badges(markdown: str) -> str:
    """The Colab and Binder badges as text links: their images live on those services, and the site
    loads nothing from elsewhere (it must read offline, and a missing image is an error)."""
    return BADGE.sub(r"[\1](\2)", markdown)


def _notebook_for_the_site(path: Path, target: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = text_badges(cell.source)
    nbformat.write(nb, target)


def assemble(source: Path) -> None:
    """Copy what the site shows into ``source``: README (as the root page), notebooks, guide, licence."""
    (source / "README.md").write_text(
        home_page((ROOT / "README.md").read_text(encoding="utf-8")), encoding="utf-8"
    )
    for notebook in series.SERIES:
        for path in (notebook.path, notebook.solutions_path):
            if path.exists():
                target = source / path.relative_to(ROOT)
                target.parent.mkdir(parents=True, exist_ok=True)
                _notebook_for_the_site(path, target)
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
