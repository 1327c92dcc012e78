"""Single features of the site: live code, search, execution statistics, offline copy."""

from __future__ import annotations

import re
import urllib.request
import zipfile

import nbformat
import pytest
from conftest import SITE, chapter_pages, close, load_config, open_page

# A stand-in for the thebe library, which the "Live Code" button fetches from a
# CDN. It records what sphinx-thebe asks of it instead of starting a kernel.
FAKE_THEBE = """
window.thebelab = {
  handlers: {},
  on(event, handler) { this.handlers[event] = handler; },
  bootstrap(options) { window.__thebe_bootstraps = (window.__thebe_bootstraps || 0) + 1; },
};
"""


def test_live_code_button_starts_thebe_with_this_repository(browser, site_url):
    requested = []

    def fake_cdn(route):
        if "thebe" in route.request.url and "unpkg.com" in route.request.url:
            requested.append(route.request.url)
            route.fulfill(status=200, content_type="application/javascript", body=FAKE_THEBE)
            return True
        return False

    v = open_page(browser, site_url, "book/05_softmax", route_extra=fake_cdn)
    try:
        page = v.page
        thebe_url = page.evaluate("() => THEBE_JS_URL")
        code_inputs = page.locator("div.cell_input pre").count()
        assert code_inputs > 0
        page.locator(".dropdown-launch-buttons > button.dropdown-toggle").click()
        page.locator("button.btn-launch-thebe").click()
        page.wait_for_function("() => window.__thebe_bootstraps === 1", timeout=5000)
        assert requested == [thebe_url], requested
        # sphinx-thebe turned the code cells into executable ones ...
        # (it moves each cell's output next to its input, hence the count taken before)
        executable = page.locator("pre[data-executable='true']").count()
        assert executable == code_inputs, (executable, code_inputs)
        # ... and the kernel it asks Binder for is this repository's, at the
        # branch the site is built from, working in the notebook's folder.
        thebe_config = page.locator("script[type='text/x-thebe-config']").inner_text()
        config = load_config()
        repo = config["repository"]["url"].removeprefix("https://github.com/").rstrip("/")
        assert f'repo: "{repo}"' in thebe_config
        assert f'ref: "{config["repository"]["branch"]}"' in thebe_config
        path = re.search(r'path: "([^"]*)"', thebe_config).group(1)
        assert path.strip("./") == "book", thebe_config
        assert 'name: "python3"' in thebe_config
        assert not v.errors, v.errors
    finally:
        close(v)


def test_search_finds_softmax_in_the_softmax_chapter(browser, site_url):
    v = open_page(browser, site_url, "search", path="search.html?q=softmax")
    try:
        results = v.page.locator("#search-results ul.search li a")
        results.first.wait_for(timeout=15_000)
        hrefs = [results.nth(i).get_attribute("href") for i in range(results.count())]
        assert any("05_softmax.html" in h for h in hrefs), hrefs
        assert not v.errors, v.errors
    finally:
        close(v)


def test_execution_statistics_list_every_chapter():
    html = (SITE / "book" / "execution_statistics.html").read_text(encoding="utf-8")
    table = html[html.index("<table") : html.index("</table>")]
    rows = re.findall(r"<tr.*?</tr>", table, re.S)
    text_rows = [re.sub(r"<[^>]+>", " ", r) for r in rows]
    for docname in chapter_pages():
        row = [r for r in text_rows if docname in r]
        assert row, f"{docname} is missing from the execution statistics"
        # the run time in seconds, and success
        assert re.search(r"\b\d+(\.\d+)?\b", row[0]), row[0]
        assert "✅" in row[0], f"{docname}: not marked as run successfully: {row[0]}"


def _intro_download_link(browser, site_url):
    v = open_page(browser, site_url, "book/intro")
    try:
        link = v.page.locator("article a[download]")
        assert link.count() == 1, "the intro has no download link for the offline copy"
        return link.evaluate("a => a.href")
    finally:
        close(v)


@pytest.fixture(scope="module")
def offline_copy(tmp_path_factory, browser, site_url):
    """The archive the intro page links to, downloaded from the site and unpacked."""
    href = _intro_download_link(browser, site_url)
    assert href.startswith(site_url), href
    target = tmp_path_factory.mktemp("offline")
    archive = target / "offline.zip"
    with urllib.request.urlopen(href) as response:
        archive.write_bytes(response.read())
    with zipfile.ZipFile(archive) as zf:
        names = zf.namelist()
        zf.extractall(target)
    (top,) = {n.split("/")[0] for n in names}
    return target / top


def test_offline_copy_has_the_site_and_every_executed_notebook(offline_copy):
    assert (offline_copy / "site" / "index.html").is_file()
    assert (offline_copy / "README.txt").is_file()
    for docname in chapter_pages():
        stem = docname.split("/")[-1]
        nb = nbformat.read(offline_copy / "notebooks" / f"{stem}.ipynb", as_version=4)
        outputs = sum(len(c.get("outputs", [])) for c in nb.cells if c.cell_type == "code")
        assert outputs > 0, f"{stem} in the offline copy has no outputs"
        assert (offline_copy / "notebooks" / "quizzes" / f"{stem}.json").is_file()
    requirements = (offline_copy / "requirements.txt").read_text(encoding="utf-8")
    assert "-e ." in requirements and (offline_copy / "nnlib" / "__init__.py").is_file()


def test_offline_copy_works_from_the_files(offline_copy, browser):
    """Opened from disk (file://), with no server and no network."""
    base = (offline_copy / "site").as_uri() + "/"
    v = open_page(browser, base, "book/01_neuron")
    try:
        page = v.page
        assert page.locator("mjx-container").count() > 0, "MathJax did not typeset from file://"
        assert page.locator("div[id^='quiz_'] .Quiz").count() > 0, "the quiz did not draw"
        assert not v.errors, v.errors
        assert not v.external, v.external
    finally:
        close(v)
