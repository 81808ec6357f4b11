"""Sphinx configuration of the series' website (built by tools/build_site.py; see its docstring).

Every package that shapes the pages is pinned exactly in requirements.txt. sphinx-book-theme 1.2.0
with pydata-sphinx-theme 0.16.1 is the newest pair whose phone drawers and desktop sidebar toggle
work: from pydata-sphinx-theme 0.17 on (sphinx-book-theme 1.3, 1.4) the theme binds its drawer to a
second, hidden `.primary-toggle` and the visible buttons do nothing (pydata/pydata-sphinx-theme#2451).
tests/test_site.py taps them.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
import series  # noqa: E402
import site_transforms  # noqa: E402

project = "Backpropagation from scratch"
author = "the authors of Backpropagation from scratch"
copyright = "the authors, MIT licence"  # noqa: A001 (Sphinx's name)
root_doc = "README"

extensions = [
    "myst_nb",
    "sphinx-mathjax-offline",  # MathJax 3 in _static: no CDN, the site reads offline
    "sphinx_copybutton",
]
nb_execution_mode = "off"  # the committed outputs, which pytest --nbval checks, are what the site shows
nb_merge_streams = True
myst_enable_extensions = ["dollarmath", "amsmath"]
# A `$$` equation that starts on a line inside a paragraph (as Jupyter allows) is display math, not
# the start of an inline formula that swallows the prose after it.
myst_dmath_double_inline = True
myst_heading_anchors = 3  # "../README.md#contents" and the like resolve on the site too
exclude_patterns = ["**.ipynb_checkpoints", "_downloadable"]  # the latter: see tools/build_site.py

# Formulas are not tab stops (MathJax's menu makes each one a stop by default: 232 Tabs from the top
# of notebook 05 to "Next"); the menu still opens on right click, and screen readers read the math.
mathjax3_config = {"options": {"menuOptions": {"settings": {"inTabOrder": False}}}}

# A copy button on code cells and code blocks, not on outputs; the prompts of a shell session are not
# copied.
copybutton_selector = "div:not(.output) > div.highlight > pre"
copybutton_prompt_text = r"\$ "
copybutton_prompt_is_regexp = True

html_theme = "sphinx_book_theme"
html_title = project
html_extra_path = ["extra"]  # index.html, which sends the site's root address to README.html
html_show_sourcelink = False
html_theme_options = {
    "repository_url": f"https://github.com/{series.REPOSITORY}",
    "repository_branch": series.BRANCH,
    "path_to_docs": "",  # the site's source tree has the repository's layout (notebooks/...)
    "use_repository_button": True,
    "use_download_button": True,  # the repository's notebook (site_transforms.header_buttons)
    "launch_buttons": {
        "colab_url": "https://colab.research.google.com",
        "binderhub_url": "https://mybinder.org",
        "notebook_interface": "jupyterlab",
    },
    "show_navbar_depth": 1,
    "home_page_in_toc": False,  # the title above the sidebar is the link home (it was there twice)
    "navigation_with_keys": True,  # left and right arrow keys turn the pages
}
html_copy_source = True  # the download button of README and CONVENTIONS offers their .md
html_favicon = "extra/favicon.svg"
html_context = {"default_mode": "light"}
templates_path = ["_templates"]  # page-toc.html: see its comment
html_static_path = ["static"]
html_css_files = ["custom.css"]


def setup(app):
    site_transforms.setup(app)
