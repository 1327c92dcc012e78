"""Layout as readers meet it: on a phone (390 px wide), and in dark mode."""

from __future__ import annotations

import io

import pytest
from conftest import CHAPTER, PHONE, close, open_all_folds, open_page, toc_pages

PAGES = toc_pages()

# Elements that stick out past the right edge of the screen, and whether each is
# inside a box that scrolls sideways on its own (a wide table, code block or
# equation may; the page itself must not).
OVERFLOW_JS = r"""() => {
    const W = window.innerWidth;
    const stuck = [];
    for (const el of document.querySelectorAll("main article *")) {
        if (el.closest("mjx-assistive-mml")) continue;   // MathJax's text for screen readers, not drawn
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0 || r.right <= W + 1) continue;
        let box = el.parentElement, scrolls = false;
        while (box && box !== document.body) {
            const ox = getComputedStyle(box).overflowX;
            if (ox === "auto" || ox === "scroll") {
                // A box that scrolls and fits the screen lets the reader reach el; one wider than the
                // screen helps only if a box further out scrolls it into view in turn.
                if (box.getBoundingClientRect().right <= W + 1) { scrolls = true; break; }
            }
            // A box that hides its overflow cuts el off only if el sticks out of it; one that holds el
            // whole (MathJax's span.math is overflow: hidden and as wide as its formula) cuts nothing.
            if ((ox === "hidden" || ox === "clip") && r.right > box.getBoundingClientRect().right + 1) break;
            box = box.parentElement;
        }
        if (!scrolls) stuck.push(`${el.tagName.toLowerCase()}.${[...el.classList].join(".")} ` +
                                 `(right edge at ${Math.round(r.right)} px)`);
    }
    return stuck.slice(0, 10);
}"""


@pytest.fixture(scope="module", params=PAGES)
def phone(request, browser, site_url):
    v = open_page(browser, site_url, request.param, viewport=PHONE)
    yield v
    close(v)


def test_phone_page_does_not_scroll_sideways(phone):
    widths = phone.page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert widths[0] <= widths[1], (
        f"{phone.docname}: at {PHONE['width']} px the page is {widths[0]} px wide and scrolls sideways"
    )


def test_phone_wide_content_scrolls_in_its_own_box(phone):
    open_all_folds(phone.page)   # solutions are read on phones too
    phone.page.evaluate("() => window.dispatchEvent(new Event('resize'))")   # wide-math.js refits
    phone.page.wait_for_timeout(400)
    stuck = phone.page.evaluate(OVERFLOW_JS)
    assert not stuck, (
        f"{phone.docname}: content cut off at the right edge, in no scrollable box: {stuck}"
    )


def test_phone_has_no_console_errors(phone):
    assert not phone.errors, f"{phone.docname}: {phone.errors}"


# ---------------------------------------------------------------------------------
# Dark mode. The decision (book/contributing.md, "Figures in dark mode"): figures
# keep the light paper they are drawn on. Matplotlib saves them with an opaque
# white background, and pydata-sphinx-theme puts every cell output image on a
# light panel in dark mode (slightly dimmed), so dark axes, labels and legends
# stay on a light ground. No figure is recoloured. The test measures the result
# on the rendered pixels, whatever produces it.


def _luminance(rgb):
    """WCAG relative luminance of sRGB values 0-255 (an array's last axis is RGB)."""
    import numpy as np

    c = np.asarray(rgb, dtype=float)[..., :3] / 255
    linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return linear @ np.array([0.2126, 0.7152, 0.0722])


def _contrast(l1: float, l2: float) -> float:
    hi, lo = max(l1, l2), min(l1, l2)
    return (hi + 0.05) / (lo + 0.05)


def figure_contrast(png: bytes) -> tuple[float, float]:
    """(luminance of a rendered figure's background, contrast of its darkest ink against it).

    The background is the median luminance of the outermost ring of pixels of the
    element as drawn (the theme's panel, or the figure's own paper); the ink is the
    darkest 0.5 % of its pixels.
    """
    import numpy as np
    from PIL import Image

    lum = _luminance(np.asarray(Image.open(io.BytesIO(png)).convert("RGB")))
    ring = np.concatenate([lum[:2].ravel(), lum[-2:].ravel(), lum[:, :2].ravel(), lum[:, -2:].ravel()])
    background = float(np.median(ring))
    ink = float(np.quantile(lum, 0.005))
    return background, _contrast(background, ink)


@pytest.fixture(scope="module", params=[p for p in PAGES if CHAPTER.match(p)])
def dark(request, browser, site_url):
    v = open_page(browser, site_url, request.param, theme="dark")
    yield v
    close(v)


def test_dark_mode_is_on(dark):
    theme = dark.page.evaluate("() => document.documentElement.dataset.theme")
    assert theme == "dark"
    body = dark.page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    rgb = [int(c) for c in body[body.index("(") + 1 : body.index(")")].split(",")[:3]]
    assert float(_luminance(rgb)) < 0.1, f"the page background is not dark: {body}"


def test_dark_mode_figures_stay_legible(dark):
    open_all_folds(dark.page)   # figures in solutions count too
    figures = dark.page.locator("main div.cell_output img")
    count = figures.count()
    assert count > 0, f"{dark.docname}: no figures found"
    bad = []
    for i in range(count):
        img = figures.nth(i)
        img.scroll_into_view_if_needed()
        background, contrast = figure_contrast(img.screenshot())
        # A light background behind the ink, and ink that stands out from it as
        # WCAG asks of text (4.5:1).
        if background < 0.3 or contrast < 4.5:
            bad.append(f"figure {i + 1}: background luminance {background:.2f}, ink contrast {contrast:.1f}")
    assert not bad, f"{dark.docname} in dark mode: {bad}"


def test_dark_mode_has_no_console_errors(dark):
    assert not dark.errors, f"{dark.docname}: {dark.errors}"


def _png(background, ink) -> bytes:
    """A 200 x 100 picture: a background with a black-ish stroke of `ink` across it."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (200, 100), background)
    ImageDraw.Draw(img).rectangle([20, 40, 180, 60], fill=ink)
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def test_figure_measure_tells_legible_from_illegible():
    # The measure behind the dark-mode test, on pictures whose answer is known:
    # dark ink on light paper passes, dark ink on a dark page (a transparent
    # figure in dark mode) and grey on grey fail.
    background, contrast = figure_contrast(_png((255, 255, 255), (0, 0, 0)))
    assert background > 0.9 and contrast > 15
    background, contrast = figure_contrast(_png((18, 18, 18), (0, 0, 0)))
    assert background < 0.3
    background, contrast = figure_contrast(_png((150, 150, 150), (110, 110, 110)))
    assert contrast < 4.5


def test_overflow_measure_tells_cut_off_from_scrollable(browser):
    # The measure behind the phone test, on a page whose answer is known: content wider than the screen is
    # fine inside a box that scrolls (even within an overflow: hidden box that holds it whole, as MathJax's
    # span.math does), and flagged when it sticks out of the page or out of a box that hides it.
    page = browser.new_page(viewport=PHONE)
    try:
        page.set_content("""<body style="margin: 0"><main><article>
          <div class="plain" style="width: 600px">wide</div>
          <div class="scroller" style="overflow-x: auto; width: 300px">
            <span class="holder" style="overflow: hidden; display: inline-block">
              <div class="scrolled" style="width: 600px">wide, in a scroll box</div></span></div>
          <div class="outer" style="overflow-x: auto; width: 300px">
            <div class="inner" style="overflow-x: auto; width: 500px">
              <div class="deep" style="width: 800px">nested scroll boxes</div></div></div>
          <div class="hider" style="overflow: hidden; width: 500px">
            <div class="cut" style="width: 700px">cut off</div></div>
        </article></main></body>""")
        stuck = page.evaluate(OVERFLOW_JS)
    finally:
        page.close()
    assert sorted(stuck) == ["div.cut (right edge at 700 px)", "div.hider (right edge at 500 px)",
                             "div.plain (right edge at 600 px)"], stuck
