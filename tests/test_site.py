"""The website, built from the committed notebooks by tools/build_site.py and read as a reader reads it:
headless Chromium (Debian's `chromium` package) driven by Playwright, never a downloaded browser.

Every page is opened once at 1280x800 (desktop) and once at 390x844 (phone, touch), and everything
below is read from that one visit (`readings`), so the browser work stays small:

- no console error, failed request or HTTP error (each named by its URL); every formula typeset, every
  image loaded;
- no raw LaTeX in the text, and no prose set as a formula (what a `$$` inside a paragraph once did);
- every image has an alt text that is not a file name; an output figure's alt text is its "*Figure:*"
  description, and the figure is a link to the image itself (a phone opens it full size);
- no page wider than the screen, nothing cut off at its edge (formulas, inline code, tables);
- at 1280 px, at most 5% of the code blocks (and of the outputs) scroll sideways;
- the phone drawers (site navigation, page contents) open when tapped and show their links; the
  desktop sidebar toggle hides and shows the sidebar;
- every "guide, Chapter N" is a link to the guide's PDF at its stable address, at chapter N's named
  destination, which the PDF has;
- a notebook page has a launch menu (Colab, Binder), a download of its .ipynb, a line saying how to
  run it (`pip install ...`), copy buttons on its code, no Colab setup cell; every page has the guide
  in its header; formulas are not tab stops; lessons are each followed by their solutions, titled.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import queue
import re
import shutil
import subprocess
import threading
import time
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
SCREENS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
GUIDE = "guide/backprop-guide.pdf"  # the PDF's stable address on the site (its path in the repository)
CITATION = re.compile(r"\bguide(?:,|'s|’s)\s+Chapter\s+(\d+)")
MAX_SCROLLING = 0.05  # share of code blocks (and of outputs) allowed to scroll sideways at 1280 px


def _chromium() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), shutil.which("chromium"), "/usr/bin/chromium"):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The site built from this checkout, or the built site named by SITE_DIR (to test a build
    made elsewhere, e.g. from an older commit)."""
    if os.environ.get("SITE_DIR"):
        return Path(os.environ["SITE_DIR"])
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
def chromium() -> str:
    """Debian's Chromium, and Playwright to drive it; or a skip (a failure under CI) saying what is missing."""
    executable = _chromium()
    if executable is None:
        message = "no Chromium here: `apt-get install chromium` (Debian's package) to run the browser tests"
        if os.environ.get("CI"):
            pytest.fail(message + " (CI is set, so the site must be tested in a browser)")
        pytest.skip(message)
    pytest.importorskip("playwright.sync_api")
    return executable


@pytest.fixture(scope="module")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _pages(site: Path) -> list[str]:
    """Every page a reader can open, but the root's redirect (index.html, tested on its own)."""
    return sorted(
        p.relative_to(site).as_posix()
        for p in site.rglob("*.html")
        if "_static" not in p.parts and p.name != "index.html"
    )


def _is_notebook(name: str) -> bool:
    return name.startswith("notebooks/")


# What the browser reads from a page, in one call: plain data, checked in Python by the tests below.
READ_PAGE = r"""
async () => {
  if (window.MathJax && MathJax.startup) await MathJax.startup.promise;
  await document.fonts.ready;
  const W = window.innerWidth;
  const visible = e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0
    && getComputedStyle(e).visibility !== 'hidden'; };
  const article = document.querySelector('.bd-article') || document.body;
  const facts = {width: document.documentElement.scrollWidth, viewport: W};

  // Formulas: typeset, no errors; the TeX of each, to find prose set as math.
  facts.math = document.querySelectorAll('.math').length;
  facts.typeset = document.querySelectorAll('.math mjx-container').length;
  facts.mathErrors = [...document.querySelectorAll('mjx-merror')].map(e => e.textContent).slice(0, 3);
  facts.tex = [];
  if (window.MathJax && MathJax.startup && MathJax.startup.document)
    for (const item of MathJax.startup.document.math) facts.tex.push(item.math);
  facts.tabStops = [...document.querySelectorAll('mjx-container')].filter(e => e.tabIndex >= 0).length;

  // Text a reader sees outside formulas and code (raw LaTeX, unlinked guide citations).
  const texts = [];
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT, {acceptNode: n =>
    n.parentElement.closest('mjx-container, code, pre, script, style, .headerlink')
      ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT});
  while (walker.nextNode()) {
    const n = walker.currentNode;
    if (n.textContent.trim()) texts.push([n.textContent, !!n.parentElement.closest('a')]);
  }
  facts.texts = texts;

  // Images: alt text, whether loaded, whether an output figure linked to its own file.
  facts.images = [...document.images].map(i => {
    const cell = i.closest('.cell');
    let description = null;
    if (i.closest('.cell_output') && cell) {
      let next = cell.nextElementSibling;
      while (next && !next.textContent.trim()) next = next.nextElementSibling;
      // the first paragraph after the cell, its formulas replaced by their TeX
      if (next) {
        const p = next.matches('p') ? next : next.querySelector('p');
        if (p) {
          const copy = p.cloneNode(true);
          copy.querySelectorAll('mjx-container').forEach(m => m.replaceWith(' '));
          description = copy.textContent;
        }
      }
    }
    const link = i.closest('a');
    return {src: i.currentSrc || i.src, alt: i.getAttribute('alt'), loaded: i.complete && i.naturalWidth > 0,
            output: !!i.closest('.cell_output'), description, link: link ? link.href : null};
  });

  // Whatever runs past the screen's edge or is cut off by a box that does not scroll.
  const cut = [];
  for (const e of article.querySelectorAll('mjx-container, code, img, table, pre, .cell_output, p, li')) {
    const r = e.getBoundingClientRect();
    if (!r.width) continue;
    let box = e.parentElement, verdict = null;
    while (box && box !== document.documentElement) {
      const o = getComputedStyle(box).overflowX;
      if (o === 'auto' || o === 'scroll') { verdict = 'scrolls'; break; }
      if ((o === 'hidden' || o === 'clip') && r.right > box.getBoundingClientRect().right + 1) {
        verdict = 'cut'; break;
      }
      box = box.parentElement;
    }
    if (verdict === null && r.right > W + 1) verdict = 'cut';
    if (verdict === 'cut') cut.push(`${e.tagName.toLowerCase()} "${e.textContent.trim().slice(0, 50)}" ends at ${Math.round(r.right)} px`);
  }
  facts.cut = cut.slice(0, 5);
  facts.cutCount = cut.length;

  // Code blocks and outputs that scroll sideways.
  const scrolls = e => e.scrollWidth > e.clientWidth + 1;
  const code = [...article.querySelectorAll('div:not(.output) > div.highlight > pre')];
  const outputs = [...article.querySelectorAll('.cell_output .output pre')];
  facts.code = code.length;
  facts.codeScrolling = code.filter(scrolls).map(e => e.textContent.split('\n').reduce((a, l) => Math.max(a, l.length), 0));
  facts.outputs = outputs.length;
  facts.outputsScrolling = outputs.filter(scrolls).length;
  facts.copyButtons = article.querySelectorAll('button.copybtn').length;
  facts.colabCell = code.some(e => visible(e) && e.textContent.includes('google.colab'));

  // Header, launch menu, the run line, previous/next, the sidebar.
  const hrefs = sel => [...document.querySelectorAll(sel)].map(a => a.href);
  facts.launch = hrefs('.dropdown-launch-buttons a');
  facts.download = hrefs('.dropdown-download-buttons a[href$=".ipynb"]');
  facts.guideButton = hrefs('.article-header-buttons a.btn-guide-pdf-button');
  const h1 = article.querySelector('h1');
  const runLine = h1 && h1.nextElementSibling;
  facts.runLine = runLine ? runLine.textContent : '';
  facts.runLinks = runLine ? [...runLine.querySelectorAll('a')].map(a => a.href) : [];
  facts.next = hrefs('.prev-next-area a.right-next');
  facts.previous = hrefs('.prev-next-area a.left-prev');
  facts.sidebar = [...document.querySelectorAll('#pst-primary-sidebar nav.bd-links a')].map(a => [a.textContent.trim(), a.href]);
  facts.guideLinks = [...article.querySelectorAll('a')].filter(a => /backprop-guide\.pdf/.test(a.href))
    .map(a => [a.textContent, a.href]);
  return facts;
}
"""

# The sidebar (primary) or page contents (secondary): open it with its visible button, and say what shows.
OPEN_DRAWER = r"""
async (which) => {
  const button = [...document.querySelectorAll(`button.${which}-toggle`)].find(b => {
    const r = b.getBoundingClientRect(); return r.width > 0 && getComputedStyle(b).visibility !== 'hidden'; });
  if (!button) return {button: false};
  return {button: true, box: JSON.stringify(button.getBoundingClientRect())};
}
"""
DRAWER_STATE = r"""
(which) => {
  const dialog = document.getElementById(`pst-${which}-sidebar-modal`);
  const links = dialog ? [...dialog.querySelectorAll('a')].filter(a => {
    const r = a.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.right > 0 && r.left < window.innerWidth && r.top < window.innerHeight;
  }) : [];
  return {open: !!(dialog && dialog.open), links: links.length};
}
"""


# Drawers and the sidebar slide in and out; without the slide the tests need not wait for it.
NO_TRANSITIONS = "*, *::before, *::after { transition: none !important; animation: none !important; }"


class _Reader:
    """One browser tab (with a touch screen), reused from page to page; problems are named by URL.

    Each page is loaded once, at desktop size, and read; then the window is narrowed to the phone's
    size and the page read again. (A page lays out again at the new width; loading it twice, each
    time typesetting hundreds of formulas, would double the time of these tests.)
    """

    def __init__(self, browser):
        self.context = browser.new_context(viewport=SCREENS["desktop"], has_touch=True, device_scale_factor=1)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        self.page.on(
            "requestfailed", lambda r: self.problems.append(f"request failed: {r.url} ({r.failure})")
        )
        self.page.on(
            "response", lambda r: r.status >= 400 and self.problems.append(f"HTTP {r.status}: {r.url}")
        )

    def _console(self, message):
        if message.type == "error":
            where = (message.location or {}).get("url", "")
            self.problems.append(f"console: {message.text} ({where or 'no URL given'})")

    def _resize(self, screen: str) -> None:
        self.page.set_viewport_size(SCREENS[screen])
        self.page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")

    def read(self, url: str) -> dict[str, dict]:
        """What the page shows at each screen size: {screen: facts}."""
        self.problems = []
        self._resize("desktop")
        self.page.goto(url, wait_until="load")
        self.page.add_style_tag(content=NO_TRANSITIONS)
        desktop = self.page.evaluate(READ_PAGE)
        desktop["sidebar_toggle"] = self._sidebar_toggle()
        desktop["drawers"] = {"secondary": self._drawer("secondary", tap=False)}
        self._resize("phone")
        phone = self.page.evaluate(READ_PAGE)
        phone["drawers"] = {which: self._drawer(which, tap=True) for which in ("primary", "secondary")}
        desktop["problems"] = phone["problems"] = self.problems
        return {"desktop": desktop, "phone": phone}

    def _drawer(self, which: str, *, tap: bool) -> dict:
        found = self.page.evaluate(OPEN_DRAWER, which)
        if not found["button"]:
            return {"button": False}
        box = json.loads(found["box"])
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        for _ in range(2):  # a second tap if the first went unanswered (seen once, under heavy load)
            if tap:
                self.page.touchscreen.tap(x, y)
            else:
                self.page.mouse.click(x, y)
            try:  # open, showing a link
                self.page.wait_for_function(f"(w) => ({DRAWER_STATE})(w).links > 0", arg=which, timeout=2500)
                break
            except Exception:
                pass
        state = self.page.evaluate(DRAWER_STATE, which)
        self.page.keyboard.press("Escape")
        return {"button": True, **state}

    def _sidebar_toggle(self) -> dict:
        shown = """() => { const s = document.getElementById('pst-primary-sidebar');
            const r = s.getBoundingClientRect();
            return r.right > 1 && getComputedStyle(s).visibility !== 'hidden'; }"""
        button = self.page.locator("button.primary-toggle:visible")
        if not button.count():
            return {"button": False}
        states = [self.page.evaluate(shown)]
        for _ in range(2):
            button.first.click()
            try:  # the sidebar slides away, or back
                self.page.wait_for_function(f"(was) => ({shown})() !== was", arg=states[-1], timeout=2000)
            except Exception:
                pass
            states.append(self.page.evaluate(shown))
        return {"button": True, "before": states[0], "after": states[1], "again": states[2]}

    def close(self):
        self.context.close()


READERS = 2  # browsers reading pages at the same time: on two cores, about 1.5 times as fast as one


@pytest.fixture(scope="module")
def readings(site, base_url, chromium) -> dict[str, dict[str, dict]]:
    """{screen: {page: facts}}: every page read at each screen size, by READERS browsers at once
    (each in its own thread, with its own Playwright: the sync API is not shared between threads)."""
    from playwright.sync_api import sync_playwright

    start = time.perf_counter()
    pages = queue.Queue()
    for name in _pages(site):
        pages.put(name)
    read, errors = {}, []

    def work():
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
                reader = _Reader(browser)
                while True:
                    try:
                        name = pages.get_nowait()
                    except queue.Empty:
                        break
                    read[name] = reader.read(base_url + name)
                reader.close()
                browser.close()
        except Exception as error:  # raised again below, in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(READERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    print(f"\nread {len(read)} pages at {len(SCREENS)} sizes in {time.perf_counter() - start:.1f} s")
    return {screen: {name: read[name][screen] for name in sorted(read)} for screen in SCREENS}


def _report(failures: list[str], what: str, limit: int = 40) -> str:
    shown = "\n".join(failures[:limit])
    more = f"\n... and {len(failures) - limit} more" if len(failures) > limit else ""
    return f"{len(failures)} {what}:\n{shown}{more}"


# --- The pages are there, in order -------------------------------------------------------------------


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
    assert (site / GUIDE).is_file(), f"the guide's PDF is not at its stable address {GUIDE}"


def test_every_internal_link_and_anchor_resolves(site):
    ids: dict[Path, set[str]] = {}
    failures = []
    for name in _pages(site) + ["index.html"]:
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
    reader = _Reader(browser)
    try:
        reader.page.goto(f"{base_url}search.html?q={word}", wait_until="load")
        reader.page.wait_for_selector(f'#search-results a[href*="{last.stem}"]', timeout=15_000)
        assert not reader.problems, reader.problems
    finally:
        reader.close()


def test_the_root_address_sends_the_reader_home_without_an_error(site, base_url, browser):
    # A page that declares no icon makes the browser ask for /favicon.ico, which the site has not:
    # a 404 that raced the redirect and failed this test now and then.
    assert re.search(r'<link rel="icon"', (site / "index.html").read_text()), "index.html declares no icon"
    reader = _Reader(browser)
    try:
        reader.page.goto(base_url, wait_until="load")
        reader.page.wait_for_url("**/README.html", timeout=10_000)
        reader.page.wait_for_load_state("load")
        assert not reader.problems, reader.problems
    finally:
        reader.close()


# --- What every page shows, at both sizes ------------------------------------------------------------


def test_every_page_loads_typesets_its_math_and_shows_its_images(readings):
    failures = []
    for screen, pages in readings.items():
        for name, facts in pages.items():
            problems = list(facts["problems"])
            if facts["typeset"] != facts["math"]:
                problems.append(f"{facts['math'] - facts['typeset']} of {facts['math']} formulas not typeset")
            if facts["mathErrors"]:
                problems.append(f"math errors: {facts['mathErrors']}")
            problems += [f"image did not load: {i['src'][-60:]}" for i in facts["images"] if not i["loaded"]]
            failures += [f"{name} ({screen}): {problem}" for problem in problems]
    assert not failures, _report(failures, "problems")


RAW_LATEX = re.compile(r"\$|\\[A-Za-z]{2,}|[_^]\{")
TEX_COMMAND = re.compile(r"\\(?:text|mathrm|operatorname|textbf|mbox|mathit)\s*\{[^{}]*\}|\\[A-Za-z]+")
PROSE = re.compile(r"(?:\b[A-Za-z]{2,}[.,;:]?\s+){4,}[A-Za-z]{2,}")  # five words in a row


def _prose_in_formula(tex: str) -> str | None:
    """What makes a formula's TeX look like prose set as math (a markdown mix-up), or None."""
    if "$" in tex or "**" in tex or "`" in tex:
        return "markdown inside a formula"
    match = PROSE.search(TEX_COMMAND.sub(" ", tex))
    return f"prose inside a formula: {match.group(0)!r}" if match else None


def test_no_raw_latex_and_no_prose_set_as_math(readings):
    """A reader sees formulas typeset and prose as prose: no `$`, `\\frac`, `_{` in the text, and no
    formula that holds sentences (a `$$` inside a paragraph once made MyST set the prose as math)."""
    failures = []
    for name, facts in readings["desktop"].items():
        for text, _ in facts["texts"]:
            if RAW_LATEX.search(text):
                failures.append(f"{name}: raw LaTeX in the text: {' '.join(text.split())[:100]!r}")
        for tex in facts["tex"]:
            problem = _prose_in_formula(tex)
            if problem:
                failures.append(f"{name}: {problem} in ${' '.join(tex.split())[:100]}$")
    pages = len({f.split(":")[0] for f in failures})
    assert not failures, _report(failures, f"garbled passages on {pages} pages")


FILE_NAME = re.compile(r"^\S*\.(png|jpe?g|svg|gif|webp)$|^[0-9a-f]{16,}|_images/", re.I)


def _words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z]{2,}", text.replace("Figures:", "").replace("Figure:", ""))


def _describes(alt: str, description: str, n: int = 8) -> bool:
    """Whether the alt text is the description: the description's first words (outside its formulas,
    which the page shows typeset) come in the same order among the alt text's first words."""
    said = iter(_words(alt)[: 3 * n])
    return all(word in said for word in _words(description)[:n])


def test_every_image_has_a_text_alternative_from_its_figure_description(readings):
    failures, images = [], 0
    for name, facts in readings["desktop"].items():
        for image in facts["images"]:
            images += 1
            alt, where = (image["alt"] or "").strip(), f"{name}: {image['src'].rsplit('/', 1)[-1][:24]}"
            if not alt or FILE_NAME.search(alt):
                failures.append(f"{where}: alt text {alt!r} is empty or a file name")
            elif image["output"]:
                if not (image["description"] or "").strip().startswith(("Figure:", "Figures:")):
                    failures.append(f"{where}: no '*Figure:*' description after the figure")
                elif not _describes(alt, image["description"]):
                    failures.append(
                        f"{where}: alt {alt[:50]!r} is not the description {image['description'][:60]!r}"
                    )
    assert images, "no image on the site"
    assert not failures, _report(failures, f"of {images} images without a usable alt text")


def test_a_phone_can_open_every_figure_full_size(readings):
    failures = []
    for name, facts in readings["phone"].items():
        for image in facts["images"]:
            if image["output"] and image["link"] != image["src"]:
                failures.append(f"{name}: {image['src'].rsplit('/', 1)[-1][:24]} links to {image['link']}")
    assert not failures, _report(failures, "figures that a tap does not open full size")


@pytest.mark.parametrize("screen", SCREENS)
def test_no_page_is_wider_than_the_screen_and_nothing_is_cut_off(readings, screen):
    failures = []
    for name, facts in readings[screen].items():
        if facts["width"] > facts["viewport"]:
            failures.append(f"{name}: {facts['width']} px wide on a {facts['viewport']} px screen")
        if facts["cutCount"]:
            failures.append(f"{name}: {facts['cutCount']} elements cut off, e.g. {facts['cut'][:2]}")
    pages = len({f.split(":")[0] for f in failures})
    assert not failures, _report(failures, f"overflows on {pages} of {len(readings[screen])} pages")


def test_code_fits_the_text_column_on_a_desktop(readings):
    code = sum(f["code"] for f in readings["desktop"].values())
    outputs = sum(f["outputs"] for f in readings["desktop"].values())
    scrolling = {n: f["codeScrolling"] for n, f in readings["desktop"].items() if f["codeScrolling"]}
    scrolling_code = sum(len(v) for v in scrolling.values())
    scrolling_outputs = sum(f["outputsScrolling"] for f in readings["desktop"].values())
    assert code > 100, f"only {code} code blocks on the site"
    print(
        f"\n{scrolling_code} of {code} code blocks, {scrolling_outputs} of {outputs} outputs scroll at 1280 px"
    )
    details = "\n".join(f"{n}: lines of {v} characters" for n, v in scrolling.items())
    assert scrolling_code <= MAX_SCROLLING * code, (
        f"{scrolling_code} of {code} code blocks scroll sideways at 1280 px "
        f"(at most {MAX_SCROLLING:.0%} may):\n{details}"
    )
    assert scrolling_outputs <= MAX_SCROLLING * outputs, (
        f"{scrolling_outputs} of {outputs} outputs scroll sideways at 1280 px (at most {MAX_SCROLLING:.0%} may)"
    )


def test_the_phone_drawers_open_when_tapped_and_show_their_links(readings):
    failures, drawers = [], 0
    for name, facts in readings["phone"].items():
        for which, label in (("primary", "navigation"), ("secondary", "page contents")):
            drawer = facts["drawers"][which]
            if which == "primary" and not drawer["button"]:
                failures.append(f"{name}: no visible button for the {label}")
            if not drawer["button"]:
                continue
            drawers += 1
            if not drawer["open"] or drawer["links"] < 1:
                failures.append(
                    f"{name}: the {label} drawer open={drawer['open']}, {drawer['links']} links shown"
                )
    assert drawers > len(readings["phone"]), "too few drawers found"
    assert not failures, _report(failures, f"of {drawers} drawers that do not work")


def test_the_desktop_sidebar_toggle_hides_and_shows_the_sidebar_and_contents_open(readings):
    failures = []
    for name, facts in readings["desktop"].items():
        toggle = facts["sidebar_toggle"]
        if not toggle["button"]:
            failures.append(f"{name}: no sidebar toggle")
        elif (toggle["before"], toggle["after"], toggle["again"]) != (True, False, True):
            failures.append(f"{name}: sidebar shown before/after/again: {toggle}")
        contents = facts["drawers"]["secondary"]
        if contents["button"] and not (contents["open"] and contents["links"]):
            failures.append(f"{name}: the page contents do not open: {contents}")
    assert not failures, _report(failures, "pages whose desktop sidebar buttons do not work")


def _destinations(pdf: Path) -> dict[str, int]:
    """The PDF's named destinations and their pages (`pdfinfo -dests`, poppler-utils)."""
    if not shutil.which("pdfinfo"):
        if os.environ.get("CI"):
            pytest.fail("pdfinfo (poppler-utils) is needed to read the guide's named destinations")
        pytest.skip("no pdfinfo: apt-get install poppler-utils")
    listing = subprocess.run(["pdfinfo", "-dests", str(pdf)], capture_output=True, text=True, check=True)
    return {
        m.group(2): int(m.group(1)) for m in re.finditer(r'^\s*(\d+)\s.*"([^"]+)"\s*$', listing.stdout, re.M)
    }


def test_every_guide_citation_links_to_its_chapter_in_the_pdf(site, base_url, readings):
    failures, links, citations = [], 0, 0
    pdf = site / GUIDE
    if not pdf.is_file():
        failures.append(f"the guide's PDF is not at its stable address {GUIDE}")
        pdf = ROOT / GUIDE
    destinations = _destinations(pdf)
    for name, facts in readings["desktop"].items():
        for text, linked in facts["texts"]:
            for cited in CITATION.finditer(" ".join(text.split())):
                citations += 1
                if not linked:
                    failures.append(
                        f"{name}: not a link: {cited.group(0)!r} in {' '.join(text.split())[:60]!r}"
                    )
        for text, href in facts["guideLinks"] + [("", h) for h in facts["guideButton"]]:
            links += 1
            url = urlparse(href)
            if url.path != urlparse(base_url + GUIDE).path:
                failures.append(f"{name}: {href} is not the guide's stable address {GUIDE}")
            cited = CITATION.search(" ".join(text.split()))
            if cited:
                fragment = f"nameddest=chapter.{cited.group(1)}"
                if url.fragment != fragment:
                    failures.append(f"{name}: {text!r} links to #{url.fragment}, not #{fragment}")
                elif f"chapter.{cited.group(1)}" not in destinations:
                    failures.append(f"{name}: the guide has no chapter {cited.group(1)}")
                else:
                    page = destinations[f"chapter.{cited.group(1)}"]
                    top = subprocess.run(
                        ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
                        capture_output=True,
                        text=True,
                        check=True,
                    ).stdout
                    if f"Chapter {cited.group(1)}" not in " ".join(top.split()[:4]):
                        failures.append(
                            f"{name}: chapter.{cited.group(1)} is on page {page}, which is not Chapter {cited.group(1)}"
                        )
    assert not failures, _report(
        failures, f"problems with {citations} citations of the guide and {links} links to it"
    )
    assert citations > 50 and links > citations, f"{citations} citations and {links} links to the guide"


def test_a_notebook_page_says_how_to_run_it_and_offers_launch_download_and_copy(site, base_url, readings):
    failures = []
    for name, facts in readings["desktop"].items():
        if facts["guideButton"] == []:
            failures.append(f"{name}: no 'Guide (PDF)' in the header")
        if facts["tabStops"]:
            failures.append(f"{name}: {facts['tabStops']} formulas are tab stops")
        if not _is_notebook(name):
            continue
        relative = name.replace(".html", ".ipynb")
        colab = series.colab_url(relative)
        if not any(href.startswith(colab) for href in facts["launch"]) or not any(
            "mybinder.org" in href for href in facts["launch"]
        ):
            failures.append(f"{name}: the launch menu lacks Colab or Binder: {facts['launch']}")
        if [urlparse(href).path for href in facts["download"]] != [urlparse(base_url + relative).path]:
            failures.append(f"{name}: the .ipynb download is {facts['download']}, not {relative}")
        elif (site / relative).read_bytes() != (ROOT / relative).read_bytes():
            failures.append(f"{name}: the .ipynb to download is not the repository's {relative}")
        install = f'pip install jupyterlab "git+https://github.com/{series.REPOSITORY}@{series.BRANCH}"'
        if install not in facts["runLine"] or colab not in facts["runLinks"]:
            failures.append(
                f"{name}: the line under the title does not say how to run it: {facts['runLine'][:120]!r}"
            )
        if facts["copyButtons"] < facts["code"] or not facts["code"]:
            failures.append(f"{name}: {facts['copyButtons']} copy buttons for {facts['code']} code blocks")
        if facts["colabCell"]:
            failures.append(f"{name}: shows the Colab setup cell")
    assert not failures, _report(failures, "problems")


def test_each_lesson_is_followed_by_its_solutions_titled(readings, base_url):
    desktop = readings["desktop"]
    order = ["README.html"]
    for notebook in series.SERIES:
        order.append(f"notebooks/{notebook.stem}.html")
        if notebook.solutions_path.exists():
            order.append(f"notebooks/solutions/{notebook.stem}_solutions.html")
    failures = []
    for before, after in zip(order, order[1:], strict=False):
        if desktop[before]["next"] != [base_url + after]:
            failures.append(f"{before}: 'next' is {desktop[before]['next']}, not {after}")
        if desktop[after]["previous"] != [base_url + before]:
            failures.append(f"{after}: 'previous' is {desktop[after]['previous']}, not {before}")
    titles = {href: text for text, href in desktop["README.html"]["sidebar"]}
    for notebook in series.SERIES:
        href = f"{base_url}notebooks/solutions/{notebook.stem}_solutions.html"
        if titles.get(href) != f"{notebook.label} — solutions":
            failures.append(f"the sidebar calls {notebook.stem}'s solutions {titles.get(href)!r}")
    assert not failures, _report(failures, "problems with the order of the pages")


def test_the_arrow_keys_turn_the_pages(base_url, browser):
    reader = _Reader(browser)
    lesson = f"{base_url}notebooks/{series.SERIES[5].stem}.html"
    try:
        reader.page.goto(lesson, wait_until="load")
        reader.page.keyboard.press("ArrowRight")
        reader.page.wait_for_url(f"**/solutions/{series.SERIES[5].stem}_solutions.html", timeout=10_000)
        reader.page.keyboard.press("ArrowLeft")
        reader.page.wait_for_url(lesson, timeout=10_000)
    finally:
        reader.close()
