"""The website, built from the committed notebooks by tools/build_site.py and read in a real browser:
headless Chromium (Debian's `chromium` package) driven by Playwright, never a downloaded browser.

Every page loads with no console error; every formula is typeset with no math error; every image
loads; every internal link and anchor resolves; search finds a word of the last notebook; and at
phone and desktop width nothing widens the page beyond the screen.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import threading
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest

import build_site
import series

ROOT = Path(__file__).resolve().parent.parent

CHROMIUM_ARGS = [  # as root, offline: no sandbox, and no background connections that would fail
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WIDTHS = {"phone": 390, "desktop": 1280}


def _chromium() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), shutil.which("chromium"), "/usr/bin/chromium"):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    build_site.build(out)
    return out


@pytest.fixture(scope="module")
def base_url(site):
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def browser():
    executable = _chromium()
    if executable is None:
        message = "no Chromium here: `apt-get install chromium` (Debian's package) to run the browser tests"
        if os.environ.get("CI"):
            pytest.fail(message + " (CI is set, so the site must be tested in a browser)")
        pytest.skip(message)
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if "_static" not in p.parts)


def _open(browser, url: str, width: int):
    """A page at ``url`` after its scripts (MathJax included) have run, and what its console said."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    problems = []
    page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
    page.goto(url, wait_until="networkidle")
    page.wait_for_function("() => !window.MathJax || (MathJax.startup && MathJax.startup.promise)")
    page.evaluate("() => window.MathJax ? MathJax.startup.promise : null")
    return page, problems


def test_the_site_has_every_notebook_in_series_order(site):
    pages = set(_pages(site))
    for notebook in series.SERIES:
        assert f"notebooks/{notebook.stem}.html" in pages
        if notebook.solutions_path.exists():
            assert f"notebooks/solutions/{notebook.stem}_solutions.html" in pages
    home = (site / "README.html").read_text(encoding="utf-8")
    positions = [home.find(f'href="notebooks/{n.stem}.html"') for n in series.SERIES]
    assert -1 not in positions and positions == sorted(positions), "the sidebar is not in series order"
    assert (site / "index.html").is_file() and "README.html" in (site / "index.html").read_text()
    assert list(site.rglob("backprop-guide.pdf")), "the guide's PDF is not on the site"


def test_every_page_loads_typesets_its_math_and_shows_its_images(site, base_url, browser):
    failures = []
    for name in _pages(site):
        page, problems = _open(browser, base_url + name, WIDTHS["desktop"])
        math = page.locator(".math").count()
        typeset = page.locator(".math mjx-container").count()
        if typeset != math:
            problems.append(f"{math - typeset} of {math} formulas not typeset")
        if page.locator("mjx-merror").count():
            problems.append(f"math errors: {page.locator('mjx-merror').all_inner_texts()[:3]}")
        broken = page.evaluate(
            "() => [...document.images].filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)"
        )
        problems += [f"image did not load: {src[:80]}" for src in broken]
        failures += [f"{name}: {problem}" for problem in problems]
        page.close()
    assert not failures, "\n".join(failures)


def test_every_internal_link_and_anchor_resolves(site):
    ids: dict[Path, set[str]] = {}
    failures = []
    for name in _pages(site):
        html = (site / name).read_text(encoding="utf-8")
        for href in re.findall(r'href="([^"]+)"', html):
            if re.match(r"[a-z]+:", href) or href.startswith("//"):
                continue
            target = urlparse(urljoin(f"http://site/{name}", href))
            path = site / unquote(target.path.lstrip("/"))
            path = path / "index.html" if path.is_dir() else path
            if not path.is_file():
                failures.append(f"{name}: {href} -> no such file")
            elif target.fragment and path.suffix == ".html":
                if path not in ids:
                    ids[path] = set(re.findall(r'id="([^"]+)"', path.read_text(encoding="utf-8")))
                if unquote(target.fragment) not in ids[path]:
                    failures.append(f"{name}: {href} -> no anchor #{target.fragment}")
    assert not failures, "\n".join(sorted(set(failures))[:40])


def test_search_finds_a_word_of_the_last_notebook(base_url, browser):
    last = series.SERIES[-1]
    word = max(re.findall(r"[a-z]+", last.title.lower()), key=len)
    page, problems = _open(browser, f"{base_url}search.html?q={word}", WIDTHS["desktop"])
    page.wait_for_selector(f'#search-results a[href*="{last.stem}"]', timeout=15_000)
    assert not problems, problems
    page.close()


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_no_page_is_wider_than_the_screen(site, base_url, browser, width, tmp_path):
    too_wide = []
    for name in [n for n in _pages(site) if n.startswith("notebooks/")] + ["README.html"]:
        page, _ = _open(browser, base_url + name, width)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            too_wide.append(f"{name}: {scroll_width} px wide at {width} px")
            page.screenshot(path=tmp_path / (name.replace("/", "_") + ".png"), full_page=False)
        page.close()
    assert not too_wide, "\n".join(too_wide) + f"\n(screenshots in {tmp_path})"
