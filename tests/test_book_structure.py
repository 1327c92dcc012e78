"""Consistency checks for the book: table of contents, notebooks, configuration.

These tests read files only; they do not build the site or run notebooks
(`make book` and the nbval run in `make test` do that). The rules they check are
explained in book/contributing.md.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"
SKIP_DIRS = {"_build", ".ipynb_checkpoints"}
PAGE_SUFFIXES = (".md", ".ipynb")
CHAPTER_NAME = re.compile(r"^\d\d_\w+\.ipynb$")


def _load_yaml(name: str) -> dict:
    with open(ROOT / name, encoding="utf-8") as f:
        return yaml.safe_load(f)


def _toc_entries(node) -> list[str]:
    """All `root` and `file` values of a jupyter-book _toc.yml, in order."""
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


def _strip_suffix(entry: str) -> str:
    for suffix in PAGE_SUFFIXES:
        if entry.endswith(suffix):
            return entry[: -len(suffix)]
    return entry


def _book_pages() -> list[Path]:
    return sorted(
        p
        for p in BOOK.rglob("*")
        if p.suffix in PAGE_SUFFIXES and p.is_file() and not SKIP_DIRS.intersection(p.parts)
    )


def _notebooks() -> list[Path]:
    return [p for p in _book_pages() if p.suffix == ".ipynb"]


def _chapters() -> list[Path]:
    return [p for p in _notebooks() if CHAPTER_NAME.match(p.name)]


def _read(nb_path: Path) -> nbformat.NotebookNode:
    return nbformat.read(nb_path, as_version=4)


def _ids(paths: list[Path]) -> list[str]:
    return [str(p.relative_to(ROOT)) for p in paths]


def _markdown_lines(nb: nbformat.NotebookNode) -> list[str]:
    return [
        line.strip()
        for cell in nb.cells
        if cell.cell_type == "markdown"
        for line in cell.source.splitlines()
    ]


def _directive_count(lines: list[str], name: str) -> int:
    """Count MyST directive openings such as ```{exercise-start} or :::{exercise}."""
    pattern = re.compile(r"^(`{3,}|:{3,})\{" + re.escape(name) + r"\}")
    return sum(1 for line in lines if pattern.match(line))


def _has_heading(lines: list[str], title: str) -> bool:
    pattern = re.compile(r"^#{1,6}\s+" + re.escape(title) + r"\s*$", re.IGNORECASE)
    return any(pattern.match(line) for line in lines)


# --------------------------------------------------------------------------------------
# Table of contents


def test_toc_entries_exist():
    toc = _load_yaml("_toc.yml")
    assert toc.get("format") == "jb-book", "_toc.yml must use `format: jb-book`"
    missing, ambiguous = [], []
    for entry in _toc_entries(toc):
        stem = _strip_suffix(entry)
        found = [s for s in PAGE_SUFFIXES if (ROOT / (stem + s)).is_file()]
        if not found:
            missing.append(entry)
        elif len(found) > 1:
            ambiguous.append(entry)
    assert not missing, f"_toc.yml lists pages that do not exist: {missing}"
    assert not ambiguous, f"both a .md and an .ipynb exist for: {ambiguous}; keep one"


def test_every_page_is_in_toc():
    toc = {_strip_suffix(e) for e in _toc_entries(_load_yaml("_toc.yml"))}
    pages = {str(p.relative_to(ROOT).with_suffix("")) for p in _book_pages()}
    orphans = sorted(pages - toc)
    assert not orphans, (
        f"pages in book/ that are not in _toc.yml (they would not be built): {orphans}. "
        "Add them to _toc.yml, or delete them."
    )


def test_toc_has_no_duplicates():
    entries = [_strip_suffix(e) for e in _toc_entries(_load_yaml("_toc.yml"))]
    duplicates = sorted({e for e in entries if entries.count(e) > 1})
    assert not duplicates, f"_toc.yml lists these pages more than once: {duplicates}"


# --------------------------------------------------------------------------------------
# Every notebook


@pytest.mark.parametrize("nb_path", _notebooks(), ids=_ids(_notebooks()))
def test_notebook_has_no_outputs(nb_path):
    nb = _read(nb_path)
    dirty = [
        index
        for index, cell in enumerate(nb.cells)
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None)
    ]
    assert not dirty, (
        f"{nb_path.name}: code cells {dirty} store outputs or execution counts. "
        "Run `make strip` before committing."
    )


@pytest.mark.parametrize("nb_path", _notebooks(), ids=_ids(_notebooks()))
def test_notebook_uses_python3_kernel(nb_path):
    kernel = _read(nb_path).metadata.get("kernelspec", {}).get("name")
    assert kernel == "python3", (
        f"{nb_path.name}: kernelspec name is {kernel!r}, expected 'python3' "
        "(the build and Binder only provide that kernel)"
    )


@pytest.mark.parametrize("nb_path", _notebooks(), ids=_ids(_notebooks()))
def test_first_code_cell_is_colab_install(nb_path):
    nb = _read(nb_path)
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    assert code_cells, f"{nb_path.name}: no code cells; the first one must be the Colab cell"
    first = code_cells[0]
    assert "remove-cell" in first.metadata.get("tags", []), (
        f"{nb_path.name}: the first code cell must be tagged `remove-cell`"
    )
    assert '"google.colab" in sys.modules' in first.source, (
        f"{nb_path.name}: the first code cell must be the Colab install cell "
        "(see book/contributing.md)"
    )
    repo_url = _load_yaml("_config.yml")["repository"]["url"].rstrip("/")
    assert f"nnlib @ git+{repo_url}" in first.source, (
        f"{nb_path.name}: the Colab cell must install from {repo_url} "
        "(repository.url in _config.yml); after a fork, update both"
    )


@pytest.mark.parametrize("nb_path", _notebooks(), ids=_ids(_notebooks()))
def test_check_cells_assert(nb_path):
    nb = _read(nb_path)
    weak = [
        index
        for index, cell in enumerate(nb.cells)
        if cell.cell_type == "code"
        and "check" in cell.metadata.get("tags", [])
        and not re.search(r"^\s*assert\b", cell.source, re.MULTILINE)
    ]
    assert not weak, f"{nb_path.name}: cells {weak} are tagged `check` but contain no assert"


def _trains_with_nnlib(nb_path: Path) -> bool:
    """A chapter that calls Network.fit trains something."""
    return any(
        cell.cell_type == "code" and ".fit(" in cell.source for cell in _read(nb_path).cells
    )


def _training_chapters() -> list[Path]:
    return [p for p in _chapters() if _trains_with_nnlib(p)]


def test_training_chapters_are_found():
    # Guards the next test against passing vacuously: chapters 3, 4 and 8-12 call fit().
    assert len(_training_chapters()) >= 5, _ids(_training_chapters())


@pytest.mark.parametrize("nb_path", _training_chapters(), ids=_ids(_training_chapters()))
def test_training_chapter_ends_with_check_cell(nb_path):
    code = [c for c in _read(nb_path).cells if c.cell_type == "code"]
    assert "check" in code[-1].metadata.get("tags", []), (
        f"{nb_path.name} trains a network, so its last code cell must be tagged `check` and "
        "assert the loss/accuracy thresholds (see book/contributing.md)"
    )


# --------------------------------------------------------------------------------------
# Chapter anatomy (book/NN_*.ipynb)


@pytest.mark.parametrize("nb_path", _chapters(), ids=_ids(_chapters()))
def test_chapter_has_learning_objectives(nb_path):
    found = _has_heading(_markdown_lines(_read(nb_path)), "Learning objectives")
    assert found, f"{nb_path.name}: needs a '## Learning objectives' heading"


@pytest.mark.parametrize("nb_path", _chapters(), ids=_ids(_chapters()))
def test_chapter_has_summary(nb_path):
    found = _has_heading(_markdown_lines(_read(nb_path)), "Summary")
    assert found, f"{nb_path.name}: needs a '## Summary' heading"


@pytest.mark.parametrize("nb_path", _chapters(), ids=_ids(_chapters()))
def test_chapter_has_three_exercises(nb_path):
    lines = _markdown_lines(_read(nb_path))
    count = _directive_count(lines, "exercise-start") + _directive_count(lines, "exercise")
    assert count >= 3, f"{nb_path.name}: has {count} exercise(s); a chapter needs at least 3"


@pytest.mark.parametrize("nb_path", _chapters(), ids=_ids(_chapters()))
def test_chapter_gated_directives_are_balanced(nb_path):
    lines = _markdown_lines(_read(nb_path))
    for name in ("exercise", "solution"):
        starts = _directive_count(lines, f"{name}-start")
        ends = _directive_count(lines, f"{name}-end")
        assert starts == ends, (
            f"{nb_path.name}: {starts} `{name}-start` but {ends} `{name}-end` directives"
        )


@pytest.mark.parametrize("nb_path", _chapters(), ids=_ids(_chapters()))
def test_chapter_solutions_are_dropdowns(nb_path):
    nb = _read(nb_path)
    opener = re.compile(r"^(`{3,}|:{3,})\{solution(-start)?\}")
    not_dropdown = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        lines = [line.strip() for line in cell.source.splitlines()]
        for i, line in enumerate(lines):
            if opener.match(line):
                options = []
                for option in lines[i + 1 :]:
                    if not option.startswith(":"):
                        break
                    options.append(option)
                if not any(re.match(r"^:class:.*\bdropdown\b", o) for o in options):
                    not_dropdown.append(index)
    assert not not_dropdown, (
        f"{nb_path.name}: solutions in cells {not_dropdown} lack `:class: dropdown`"
    )


# --------------------------------------------------------------------------------------
# Configuration


def test_config_is_valid_for_jupyter_book():
    from jupyter_book.config import validate_yaml

    # Jupyter Book only prints a warning for an invalid _config.yml and builds
    # anyway, ignoring the bad keys; here an invalid config fails.
    validate_yaml(_load_yaml("_config.yml"), raise_on_errors=True)


def test_config_loads_required_extensions():
    config = _load_yaml("_config.yml")
    extensions = config.get("sphinx", {}).get("extra_extensions") or []
    assert "sphinx_exercise" in extensions
    # The module of sphinx-mathjax-offline is literally named with hyphens.
    assert "sphinx-mathjax-offline" in extensions


def test_config_executes_notebooks():
    execute = _load_yaml("_config.yml").get("execute", {})
    mode = execute.get("execute_notebooks", "auto")
    # In YAML an unquoted `off` is the boolean False.
    assert mode not in (False, "off"), "notebooks must be executed when the book is built"
    assert execute.get("raise_on_error") is True, "a failing cell must fail the build"


def test_config_exercise_settings():
    sphinx_config = _load_yaml("_config.yml").get("sphinx", {}).get("config") or {}
    assert sphinx_config.get("exercise_style") == "solution_follow_exercise"
    assert not sphinx_config.get("hide_solutions"), (
        "hide_solutions crashes sphinx-exercise with gated solutions"
    )


def test_config_only_builds_toc_files():
    assert _load_yaml("_config.yml").get("only_build_toc_files") is True
