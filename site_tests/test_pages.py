"""Every page of the built site, as a reader on a desktop browser meets it."""

from __future__ import annotations

import re

import pytest
from conftest import CHAPTER, chapter_number, close, load_config, open_page, toc_pages

PAGES = toc_pages() + ["search", "genindex"]

# Text that MathJax should have replaced: \( \) \[ \] $$ and $...$ outside code.
RAW_MATH_JS = r"""() => {
    const skip = "pre, code, script, style, textarea, mjx-container, .highlight, .MathJax";
    const walker = document.createTreeWalker(document.querySelector("main") || document.body,
                                             NodeFilter.SHOW_TEXT);
    const found = [];
    while (walker.nextNode()) {
        const node = walker.currentNode;
        const el = node.parentElement;
        if (!el || el.closest(skip)) continue;
        const text = node.textContent;
        if (/\\\(|\\\)|\\\[|\\\]|\$\$|\$[^$\s][^$]*\$/.test(text)) found.push(text.trim().slice(0, 80));
    }
    return found;
}"""


@pytest.fixture(scope="module", params=PAGES)
def visit(request, browser, site_url):
    v = open_page(browser, site_url, request.param)
    yield v
    close(v)


def test_no_console_errors(visit):
    assert not visit.errors, f"{visit.docname}: the page logged errors: {visit.errors}"


def test_no_request_leaves_the_site(visit):
    # Offline site: no CDN fonts, scripts or MathJax. Blocked requests would also
    # have been console errors; this names them.
    assert not visit.external, f"{visit.docname}: requests to other hosts: {visit.external}"


def test_math_is_typeset_by_the_offline_mathjax(visit):
    page = visit.page
    math = page.locator(".math")
    count = math.count()
    if CHAPTER.match(visit.docname):
        assert count > 0, f"{visit.docname}: a chapter without any mathematics?"
    if count:
        version = page.evaluate("() => window.MathJax && window.MathJax.version")
        assert version and version.startswith("3"), f"MathJax 3 is not running: {version}"
        sources = page.evaluate(
            "() => [...document.querySelectorAll('script[src*=\"mathjax\"]')].map(s => s.src)"
        )
        assert sources and all(s.startswith(visit.url.split("/book/")[0]) for s in sources), sources
        untypeset = page.evaluate(
            "() => [...document.querySelectorAll('.math')]"
            ".filter(m => !m.querySelector('mjx-container')).map(m => m.textContent.slice(0, 60))"
        )
        assert not untypeset, f"{visit.docname}: math left as TeX: {untypeset[:5]}"
    raw = page.evaluate(RAW_MATH_JS)
    assert not raw, f"{visit.docname}: raw TeX in the text: {raw[:5]}"


def test_images_have_alt_text_and_load(visit):
    images = visit.page.evaluate(
        """() => [...document.querySelectorAll('img')].map(i => ({
               src: i.getAttribute('src'), alt: (i.getAttribute('alt') || '').trim(),
               loaded: i.complete && i.naturalWidth > 0}))"""
    )
    missing_alt = [i["src"] for i in images if not i["alt"]]
    assert not missing_alt, f"{visit.docname}: images without alt text: {missing_alt}"
    # An alt text that is the file name is no description.
    file_alt = [i["src"] for i in images if re.search(r"\.(png|jpe?g|svg)$", i["alt"], re.I)]
    assert not file_alt, f"{visit.docname}: alt text is a file name: {file_alt}"
    broken = [i["src"] for i in images if not i["loaded"]]
    assert not broken, f"{visit.docname}: images that did not load: {broken}"


def test_launch_buttons_open_this_pages_notebook(visit):
    links = visit.page.evaluate(
        "() => [...document.querySelectorAll('.dropdown-launch-buttons a')].map(a => a.href)"
    )
    if not CHAPTER.match(visit.docname):
        # Only notebooks have a launch menu; no other page may launch anything.
        assert not links, f"{visit.docname} is not a notebook but has launch links {links}"
        return
    config = load_config()
    repo = config["repository"]["url"].removeprefix("https://github.com/").rstrip("/")
    branch = config["repository"]["branch"]
    notebook = f"{visit.docname}.ipynb"
    binder = [h for h in links if "mybinder.org" in h]
    colab = [h for h in links if "colab.research.google.com" in h]
    assert binder == [f"https://mybinder.org/v2/gh/{repo}/{branch}?urlpath=tree/{notebook}"], binder
    assert colab == [f"https://colab.research.google.com/github/{repo}/blob/{branch}/{notebook}"], colab


def test_live_code_configuration_loaded_once(visit):
    page = visit.page
    config_scripts = page.evaluate(
        "() => [...document.scripts].filter(s => s.textContent.includes('THEBE_JS_URL =')).length"
    )
    assert config_scripts == 1, (
        f"{visit.docname}: sphinx-thebe's configuration is in {config_scripts} <script> elements; "
        "a second copy is the 'THEBE_JS_URL has already been declared' error (_ext/inline_js_once.py)"
    )
    # The same Sphinx bug doubles every inline script an extension adds late.
    inline = page.evaluate(
        "() => [...document.head.querySelectorAll('script:not([src])')].map(s => s.textContent.trim())"
        ".filter(t => t)"
    )
    doubled = sorted({t[:60] for t in inline if inline.count(t) > 1})
    assert not doubled, f"{visit.docname}: inline scripts written twice: {doubled}"
    if CHAPTER.match(visit.docname):
        assert page.evaluate("() => typeof THEBE_JS_URL === 'string' && typeof initThebe === 'function'")
        button = page.locator("button.btn-launch-thebe")
        assert button.count() == 1, f"{visit.docname}: no 'Live Code' button"
        assert "Live Code" in button.inner_text()


def test_numbered_per_chapter(visit):
    """Chapter N reads 'N. Title'; its exercises, figures and equations N.1, N.2, ..."""
    page = visit.page
    body = page.locator("main").inner_text()
    for doubled in ("Exercise Exercise", "Figure Figure", "Equation Equation"):
        assert doubled not in body, f"{visit.docname}: '{doubled}' in the text"
    if not CHAPTER.match(visit.docname):
        numbers = page.evaluate(
            "() => [...document.querySelectorAll('.caption-number')].map(c => c.textContent)"
        )
        exercise_numbers = [n for n in numbers if n.startswith("Exercise")]
        assert not exercise_numbers, f"{visit.docname} is not a chapter but has {exercise_numbers}"
        return
    n = chapter_number(visit.docname)
    title = page.locator("main section h1").first.inner_text()
    assert title.startswith(f"{n}. "), f"{visit.docname}: the title reads {title!r}"

    def numbered(kind: str) -> list[str]:
        texts = page.evaluate(
            "() => [...document.querySelectorAll('.caption-number')].map(c => c.textContent.trim())"
        )
        return [t for t in texts if t.startswith(kind)]

    exercises = numbered("Exercise")
    assert exercises, f"{visit.docname}: no numbered exercises found"
    assert exercises == [f"Exercise {n}.{k}" for k in range(1, len(exercises) + 1)], exercises
    figures = numbered("Figure")
    assert figures == [f"Figure {n}.{k}" for k in range(1, len(figures) + 1)], figures
    equations = page.evaluate(
        "() => [...document.querySelectorAll('.eqno')].map(e => e.textContent.replace(/[#\\s]/g, ''))"
    )
    assert equations == [f"({n}.{k})" for k in range(1, len(equations) + 1)], equations
    # Every cross-reference to an exercise names it with its chapter's number: "Exercise 15.2" on this page,
    # "Exercise 8.3" for one in chapter 8, and then it links to chapter 8's page.
    refs = page.evaluate(
        "() => [...document.querySelectorAll('a.reference.internal')]"
        ".map(a => [a.textContent.trim(), a.getAttribute('href') || ''])"
        ".filter(([t]) => /^(Exercise|Solution to Exercise)\\s/.test(t))"
    )
    bad = []
    for text, href in refs:
        m = re.match(r"^(?:Solution to )?Exercise (\d+)\.\d+\b", text)
        page_of_target = href.split("#")[0].rsplit("/", 1)[-1]
        if m is None:
            bad.append(f"{text!r} is not numbered")
        elif int(m.group(1)) != n and not page_of_target.startswith(f"{int(m.group(1)):02d}_"):
            bad.append(f"{text!r} links to {href!r}, not to chapter {m.group(1)}")
    assert not bad, f"{visit.docname}: wrong references to exercises: {bad}"


def test_solution_dropdowns_open_when_clicked(visit):
    # Runs last for its page: it leaves the dropdowns open.
    page = visit.page
    dropdowns = page.locator("div.admonition.dropdown")
    count = dropdowns.count()
    if CHAPTER.match(visit.docname):
        assert count >= 3, f"{visit.docname}: expected at least 3 solution dropdowns, found {count}"
    failed = []
    for i in range(count):
        dropdown = dropdowns.nth(i)
        title = dropdown.locator(":scope > .admonition-title")
        body = dropdown.locator(":scope > :not(.admonition-title)").first
        label = title.inner_text().strip()
        if body.is_visible():
            failed.append(f"{label!r} is open before any click")
            continue
        title.click()
        try:
            body.wait_for(state="visible", timeout=3000)
        except Exception:
            failed.append(f"{label!r} did not open")
    assert not failed, f"{visit.docname}: {failed}"
    # Cells whose code is folded away (tag hide-input) open the same way.
    details = page.locator("article details")
    for i in range(details.count()):
        d = details.nth(i)
        d.locator(":scope > summary").click()
        assert d.evaluate("el => el.open"), f"{visit.docname}: a folded cell did not open"
