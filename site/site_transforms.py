"""What the site adds to Sphinx's pages (loaded by site/conf.py).

- The guide's PDF at one stable address, ``guide/backprop-guide.pdf`` (as in the repository), instead
  of Sphinx's ``_downloads/<hash>/`` copy, whose address changes with every new PDF.
- Every citation "guide, Chapter N" (or "the guide's Chapter N") a link to that chapter in the PDF:
  the named destination ``chapter.N`` that hyperref gives every chapter.
- "Guide (PDF)" among the buttons of every page's header; a notebook's download button gives the
  repository's notebook, unchanged, at its own path next to the page (``notebooks/NN_topic.ipynb``).
- Every figure of a notebook's output a link to the image itself, so that a phone can open it full
  size and zoom into it.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform
from sphinx.util.osutil import relative_uri

GUIDE = "guide/backprop-guide.pdf"  # the PDF's address on the site, the same path as in the repository
DOWNLOADS = "_downloadable"  # notebooks copied unchanged into the site (tools/build_site.py puts them there)
CITATION = re.compile(r"\bguide(?:,|'s|’s)\s+Chapter\s+(\d+)\b")
SKIP = (nodes.reference, nodes.literal, nodes.literal_block, nodes.math, nodes.math_block, nodes.raw)


def chapter_fragment(chapter: int | str) -> str:
    """The fragment that opens the guide at a chapter (PDF open parameters: a named destination)."""
    return f"#nameddest=chapter.{chapter}"


class GuideLinks(SphinxTransform):
    """Links to the guide go to its stable address; "guide, Chapter N" becomes such a link."""

    default_priority = 800  # after MyST made its references, before the download collector runs

    def apply(self, **kwargs) -> None:
        base = self.app.builder.get_target_uri(self.env.docname)

        def url(target: str) -> str:
            return relative_uri(base, target)

        for node in list(self.document.findall(addnodes.download_reference)):
            if posixpath.basename(node.get("reftarget", "")) == posixpath.basename(GUIDE):
                link = nodes.reference("", "", *node.children, refuri=url(GUIDE), internal=False)
                link["classes"] += ["guide-link"]
                node.replace_self(link)
        # A citation may span several Text nodes (a line break in the markdown is a node of its own).
        for parent in list(self.document.findall(nodes.TextElement)):
            if isinstance(parent, SKIP) or any(isinstance(a, SKIP) for a in _ancestors(parent)):
                continue
            i = 0
            while i < len(parent.children):
                if not isinstance(parent.children[i], nodes.Text):
                    i += 1
                    continue
                j = i
                while j < len(parent.children) and isinstance(parent.children[j], nodes.Text):
                    j += 1
                pieces = _split("".join(str(t) for t in parent.children[i:j]), url)
                if pieces is None:
                    i = j
                    continue
                parent[i:j] = pieces
                i += len(pieces)


def _ancestors(node):
    node = node.parent
    while node is not None:
        yield node
        node = node.parent


def _split(value: str, url) -> list[nodes.Node] | None:
    matches = list(CITATION.finditer(value))
    if not matches:
        return None
    pieces, start = [], 0
    for match in matches:
        if match.start() > start:
            pieces.append(nodes.Text(value[start : match.start()]))
        link = nodes.reference(
            "", match.group(0), refuri=url(GUIDE) + chapter_fragment(match.group(1)), internal=False
        )
        link["classes"] += ["guide-link"]
        pieces.append(link)
        start = match.end()
    if start < len(value):
        pieces.append(nodes.Text(value[start:]))
    return pieces


def link_figures_to_full_size(app, doctree, docname) -> None:
    """Wrap each output image of a notebook in a link to the image file (Sphinx does this itself
    only for images given a size)."""
    builder = app.builder
    if builder.format != "html":
        return
    imgpath = relative_uri(builder.get_target_uri(docname), builder.imagedir)
    for image in list(doctree.findall(nodes.image)):
        if isinstance(image.parent, nodes.reference):
            continue
        if not any("cell_output" in a.get("classes", []) for a in _ancestors(image)):
            continue
        candidate = image.get("candidates", {}).get("*", image["uri"])
        if candidate not in app.env.images:
            continue
        link = nodes.reference("", "", refuri=posixpath.join(imgpath, app.env.images[candidate][1]))
        link["classes"] += ["figure-full-size"]
        image.replace_self(link)
        link.append(image)


def header_buttons(app, pagename, templatename, context, doctree) -> None:
    """The guide's PDF among the header's buttons, after the theme's own (download, full screen); a
    notebook's download is the repository's notebook, at its own path on the site."""
    buttons = context.get("header_buttons")
    if buttons is None:
        return
    downloadable = Path(app.srcdir) / DOWNLOADS / f"{pagename}.ipynb"
    for group in buttons:
        if group.get("label") != "download-buttons" or not downloadable.is_file():
            continue
        for button in group["buttons"]:
            if button.get("url", "").endswith(".ipynb"):  # the theme's link to _sources/
                button["url"] = context["pathto"](f"{pagename}.ipynb", 1)
    buttons.append(
        {
            "type": "link",
            "url": context["pathto"](GUIDE, 1),
            "text": "Guide (PDF)",
            "tooltip": "The guide: every derivation, as a PDF",
            "icon": "fas fa-book",
            "label": "guide-pdf-button",
        }
    )


def check_sources(app) -> None:
    """The source tree has the PDF where the README links it (tools/build_site.py copies it there);
    the notebooks to download, if any, go to the site as they are."""
    if (Path(app.srcdir) / DOWNLOADS).is_dir():
        app.config.html_extra_path.append(str(Path(app.srcdir) / DOWNLOADS))
    if not (Path(app.srcdir) / GUIDE).is_file():
        raise FileNotFoundError(
            f"{GUIDE} is missing from the site's sources: build the guide (make -C guide)"
        )


def copy_guide(app, exception) -> None:
    """The PDF at its stable address in the built site (links to it were made so by GuideLinks)."""
    if exception is None and app.builder.format == "html":
        target = Path(app.outdir) / GUIDE
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((Path(app.srcdir) / GUIDE).read_bytes())


def setup(app) -> None:
    app.add_transform(GuideLinks)
    app.connect("builder-inited", check_sources)
    app.connect("doctree-resolved", link_figures_to_full_size)
    app.connect("html-page-context", header_buttons, priority=502)  # after the theme's buttons (501)
    app.connect("build-finished", copy_guide)
