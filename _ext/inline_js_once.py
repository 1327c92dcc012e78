"""Sphinx extension: write each inline <script> once per page.

Why: with Sphinx 7.x, a script that an extension adds with
``app.add_js_file(None, body=...)`` after the HTML builder is initialised ends up
twice in every page. ``Sphinx.add_js_file`` hands it to the builder as filename
``None``; ``StandaloneHTMLBuilder.prepare_writing`` then re-adds every registered
asset as filename ``''``, and ``None != ''``, so the duplicate check misses it.
sphinx-thebe adds its configuration this way (``const THEBE_JS_URL = ...``), and
the second ``const`` declaration is a JavaScript error on every page
("Identifier 'THEBE_JS_URL' has already been declared"); sphinx-togglebutton's
``var togglebuttonSelector`` is doubled the same way, harmlessly.

Upstream: fixed in Sphinx by https://github.com/sphinx-doc/sphinx/pull/13402 (Sphinx
8.2), which Jupyter Book 1.x cannot use (it requires ``sphinx~=7.0``). Delete this
extension, and its line in _config.yml, once the book builds with a Sphinx that has
the fix; site_tests/ checks that the configuration is loaded once either way.
"""

from __future__ import annotations

import os


def _key(asset) -> tuple:
    if isinstance(asset, str):  # old-style entries are plain file names
        return (asset,)
    filename = os.fspath(asset.filename or "")
    return (filename, asset.priority, tuple(sorted(asset.attributes.items())))


def drop_repeated_scripts(app, pagename, templatename, context, doctree) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for asset in scripts:
        key = _key(asset)
        if key not in seen:
            seen.add(key)
            unique.append(asset)
    # In place: `script_files` is the builder's own list, which Sphinx restores
    # after each page.
    scripts[:] = unique


def setup(app):
    app.connect("html-page-context", drop_repeated_scripts)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
