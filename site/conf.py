"""Sphinx configuration of the series' website (built by tools/build_site.py; see its docstring)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
import series  # noqa: E402

project = "Backpropagation from scratch"
author = "The authors of Backpropagation from scratch"
copyright = "the authors, MIT licence"  # noqa: A001 (Sphinx's name)
root_doc = "README"

extensions = ["myst_nb", "sphinx-mathjax-offline"]  # the second puts MathJax 3 into _static: no CDN
nb_execution_mode = "off"  # the committed outputs, which pytest --nbval checks, are what the site shows
nb_merge_streams = True
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 3  # "../README.md#contents" and the like resolve on the site too
exclude_patterns = ["**.ipynb_checkpoints"]

html_theme = "sphinx_book_theme"
html_title = project
html_extra_path = ["extra"]  # index.html, which sends the site's root address to README.html
html_show_sourcelink = False
html_theme_options = {
    "repository_url": f"https://github.com/{series.REPOSITORY}",
    "repository_branch": series.BRANCH,
    "use_repository_button": True,
    "show_navbar_depth": 1,
    "home_page_in_toc": True,
}
html_copy_source = True  # the theme's download button offers each notebook as .ipynb
html_favicon = "extra/favicon.svg"
html_context = {"default_mode": "light"}
html_static_path = ["static"]
html_css_files = ["custom.css"]
