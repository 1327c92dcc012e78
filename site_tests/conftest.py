"""Fixtures for the browser tests of the built site (make test-site).

The site in _build/html is served on a free local port and driven in headless
Chromium through Playwright. The browser is the system's (Debian's chromium
package, or $CHROMIUM); Playwright never downloads one. Every request that leaves
the local server is blocked and recorded: the site must work with no network.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
# The built site; SITE_DIR points the tests at another build.
SITE = Path(os.environ.get("SITE_DIR", ROOT / "_build" / "html"))
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Flags for a headless Chromium on a machine without network access: without the
# background-networking ones it keeps trying to reach Google's servers.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
CHAPTER = re.compile(r"^book/(\d\d)_\w+$")


def _toc_entries(node) -> list[str]:
    entries = []
    if isinstance(node, dict):
        for key in ("root", "file"):
            if key in node:
                entries.append(node[key])
        for value in node.values():
            if isinstance(value, (dict, list)):
                entries.extend(_toc_entries(value))
    elif isinstance(node, list):
        for item in node:
            entries.extend(_toc_entries(item))
    return entries


def load_config() -> dict:
    with open(ROOT / "_config.yml", encoding="utf-8") as f:
        return yaml.safe_load(f)


def toc_pages() -> list[str]:
    """Every page of the book as a docname, e.g. 'book/05_softmax', in toc order."""
    with open(ROOT / "_toc.yml", encoding="utf-8") as f:
        toc = yaml.safe_load(f)
    return [re.sub(r"\.(md|ipynb)$", "", e) for e in _toc_entries(toc)]


def chapter_pages() -> list[str]:
    return [p for p in toc_pages() if CHAPTER.match(p)]


def chapter_number(docname: str) -> int:
    return int(CHAPTER.match(docname).group(1))


def pytest_configure(config):
    if not (SITE / "index.html").is_file():
        raise pytest.UsageError(f"no built site in {SITE}; run 'make book' first")
    if not os.access(CHROMIUM, os.X_OK):
        raise pytest.UsageError(
            f"no Chromium at {CHROMIUM}; install Debian's chromium package or set CHROMIUM=/path"
        )


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        pass


@pytest.fixture(scope="session")
def site_url():
    handler = functools.partial(_QuietHandler, directory=str(SITE))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        # launch() starts from a fresh, empty profile (a new user-data-dir) each time.
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@dataclass
class Visit:
    """A page loaded in the browser, and what it logged while loading."""

    page: object
    url: str
    docname: str
    errors: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)


def open_page(browser, base_url: str, docname: str, *, viewport=DESKTOP, theme: str | None = None,
              route_extra=None, path: str | None = None) -> Visit:
    """Open `docname` (or a raw `path`) and wait until its math is typeset.

    `theme` "light" or "dark" sets the reader's choice in pydata-sphinx-theme's
    switcher (localStorage) before the page loads; None leaves the default.
    `route_extra(route) -> bool` may answer a request itself (return True).
    """
    context = browser.new_context(viewport=viewport, color_scheme=theme or "light")
    if theme:
        context.add_init_script(
            f"localStorage.setItem('mode', '{theme}'); localStorage.setItem('theme', '{theme}');"
        )
    page = context.new_page()
    url = base_url + (path if path is not None else f"{docname}.html")
    visit = Visit(page=page, url=url, docname=docname)

    def on_console(msg):
        if msg.type == "error":
            visit.errors.append(f"console.error: {msg.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: visit.errors.append(f"uncaught: {exc}"))

    def route(r):
        if route_extra is not None and route_extra(r):
            return
        if r.request.url.startswith(base_url) or r.request.url.startswith("file:"):
            r.continue_()
        else:
            visit.external.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.goto(url, wait_until="load")
    wait_until_ready(page)
    return visit


def wait_until_ready(page) -> None:
    """Wait for MathJax's first typeset and for the quizzes to finish drawing."""
    page.evaluate(
        """async () => {
            const mj = window.MathJax;
            if (mj && mj.startup && mj.startup.promise) { await mj.startup.promise; }
        }"""
    )
    # A quiz draws its questions once MathJax is ready and typesets them 500 ms
    # later (jupyterquiz's delay); wait until no quiz text is left untypeset.
    if page.locator("div[id^='quiz_']").count():
        page.wait_for_function(
            r"""() => {
                const quizzes = [...document.querySelectorAll("div[id^='quiz_'] .Quiz")];
                return quizzes.length > 0 && !quizzes.some(q => /\\\(|\\\[/.test(q.innerText));
            }""",
            timeout=15_000,
        )


def close(visit: Visit) -> None:
    visit.page.context.close()


def open_all_folds(page) -> None:
    """Open every solution dropdown and folded cell, so that everything is drawn."""
    page.evaluate(
        """() => {
            document.querySelectorAll(".admonition.dropdown.toggle-hidden > .admonition-title")
                .forEach(title => title.click());
            document.querySelectorAll("details").forEach(d => { d.open = true; });
        }"""
    )
    page.wait_for_timeout(300)   # togglebutton's opening transition
