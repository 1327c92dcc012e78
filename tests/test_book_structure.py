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


#: How every chapter ends (book/contributing.md, "Anatomy of a chapter"): exercises, then where the chapter's
#: material comes from (and where it corrects its sources), the quiz, and the summary, in this order.
CLOSING_SECTIONS = ["Exercises", "Where this comes from", "Check your understanding", "Summary"]


@pytest.mark.parametrize("nb_path", _chapters(), ids=_ids(_chapters()))
def test_chapter_ends_with_the_closing_sections_in_order(nb_path):
    headings = [line[3:].strip() for line in _markdown_lines(_read(nb_path)) if line.startswith("## ")]
    last = headings[-len(CLOSING_SECTIONS):]
    assert last == CLOSING_SECTIONS, (
        f"{nb_path.name}: its last '## ' sections are {last}; a chapter ends with {CLOSING_SECTIONS} "
        "(see book/contributing.md)"
    )


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


# --------------------------------------------------------------------------------------
# Numbering: chapter N is book/NN_slug.ipynb (book/contributing.md, "Numbering")


def _toc_parts() -> list[dict]:
    return _load_yaml("_toc.yml").get("parts", [])


def _part_files(part: dict) -> list[str]:
    return [_strip_suffix(e) for e in _toc_entries(part.get("chapters", []))]


def _chapter_numbers() -> dict[str, int]:
    """The number Sphinx gives each page of a numbered part, from _toc.yml alone.

    With `use_multitoc_numbering` the count runs on from one numbered part to the
    next; an unnumbered part neither gets numbers nor moves the count.
    """
    numbers, count = {}, 0
    for part in _toc_parts():
        if not part.get("numbered"):
            continue
        for entry in _part_files(part):
            count += 1
            numbers[entry] = count
    return numbers


def test_numbering_runs_on_across_parts():
    html = _load_yaml("_config.yml").get("html", {})
    assert html.get("use_multitoc_numbering") is True, (
        "html.use_multitoc_numbering must be true in _config.yml, or every numbered part "
        "starts again at chapter 1"
    )


def test_numbered_parts_number_chapters_only():
    for part in _toc_parts():
        numbered = part.get("numbered")
        files = _part_files(part)
        chapters = [f for f in files if CHAPTER_NAME.match(Path(f).name + ".ipynb")]
        if numbered:
            assert numbered == 1, (
                f"part {part.get('caption')!r}: use `numbered: 1` (chapters get numbers, their "
                f"sections do not), not {numbered!r}"
            )
            assert chapters == files, (
                f"part {part.get('caption')!r} is numbered but lists pages that are not chapters: "
                f"{sorted(set(files) - set(chapters))}; move them to an unnumbered part"
            )
        else:
            assert not chapters, (
                f"part {part.get('caption')!r} is unnumbered but holds chapters {chapters}; "
                "chapters belong in a part with `numbered: 1`"
            )


def test_chapter_number_equals_file_prefix():
    numbers = _chapter_numbers()
    assert numbers, "no numbered part in _toc.yml"
    wrong = {
        entry: number
        for entry, number in numbers.items()
        if int(Path(entry).name[:2]) != number
    }
    assert not wrong, (
        "these chapters would be numbered differently from their file names "
        f"(page: number Sphinx gives it): {wrong}. Keep _toc.yml in file order."
    )
    listed = {str(p.relative_to(ROOT).with_suffix("")) for p in _chapters()}
    assert set(numbers) == listed, f"chapters not in a numbered part: {sorted(listed - set(numbers))}"


def test_no_doubled_reference_words():
    # {ref} to an exercise prints "Exercise N.k" and {numref} to a figure "Figure N.k":
    # writing the word before the role doubles it ("Exercise Exercise 13.2").
    doubled = re.compile(r"\b(Exercise|Figure|Fig\.|Equation)\s+\{(ref|numref)\}`", re.IGNORECASE)
    found = []
    for nb_path in _chapters():
        for index, cell in enumerate(_read(nb_path).cells):
            if cell.cell_type == "markdown" and doubled.search(cell.source):
                found.append(f"{nb_path.name} cell {index}: {doubled.search(cell.source).group(0)}")
    assert not found, f"the role already prints the word: {found}"


# --------------------------------------------------------------------------------------
# Quizzes: book/quizzes/NN_slug.json beside each chapter (book/contributing.md)

QUIZZES = BOOK / "quizzes"
# Chapters whose notebook must already have the quiz cell. The others get it
# from tools/insert_quiz.py; add each chapter here once it has it.
# Every chapter has its quiz on the page (tools/insert_quiz.py adds the section).
CHAPTERS_WITH_QUIZ_CELL = [p.stem for p in sorted(BOOK.glob("[0-9][0-9]_*.ipynb"))]
QUIZ_HEADING = "Check your understanding"


def _quiz(stem: str) -> list[dict]:
    import json

    with open(QUIZZES / f"{stem}.json", encoding="utf-8") as f:
        return json.load(f)


def _quiz_stems() -> list[str]:
    return sorted(p.stem for p in QUIZZES.glob("*.json"))


def test_every_chapter_has_a_quiz_file_and_every_quiz_a_chapter():
    chapters = {p.stem for p in _chapters()}
    quizzes = set(_quiz_stems())
    assert not chapters - quizzes, f"chapters without book/quizzes/<stem>.json: {sorted(chapters - quizzes)}"
    assert not quizzes - chapters, f"quiz files without a chapter: {sorted(quizzes - chapters)}"


def _balanced_dollars(text: str) -> bool:
    return len(re.findall(r"(?<!\\)\$", text)) % 2 == 0


@pytest.mark.parametrize("stem", _quiz_stems())
def test_quiz_file_is_well_formed(stem):
    questions = _quiz(stem)
    assert 3 <= len(questions) <= 5, f"{stem}: {len(questions)} questions; a quiz has 3 to 5"
    for q_number, q in enumerate(questions, start=1):
        where = f"{stem} question {q_number}"
        assert q.get("question", "").strip(), f"{where}: no question text"
        assert _balanced_dollars(q["question"]), f"{where}: unbalanced $ in the question"
        answers = q.get("answers", [])
        feedbacks = [a.get("feedback", "").strip() for a in answers]
        assert all(feedbacks), f"{where}: every answer needs its own feedback"
        assert all(_balanced_dollars(f) for f in feedbacks), f"{where}: unbalanced $ in a feedback"
        assert len(set(feedbacks)) == len(feedbacks), (
            f"{where}: two answers share a feedback; each wrong answer explains its own mistake"
        )
        if q["type"] == "multiple_choice":
            assert len(answers) >= 3, f"{where}: at least 3 choices"
            texts = [a.get("answer", "").strip() for a in answers]
            assert all(texts) and len(set(texts)) == len(texts), f"{where}: empty or repeated choices"
            assert sum(bool(a.get("correct")) for a in answers) == 1, f"{where}: exactly one right choice"
        elif q["type"] == "numeric":
            values = [a for a in answers if a.get("type") in ("value", "range")]
            defaults = [a for a in answers if a.get("type") == "default"]
            assert any(a.get("correct") for a in values), f"{where}: no right answer"
            assert sum(not a.get("correct") for a in values) >= 2, (
                f"{where}: catalogue at least two wrong numbers learners type, each with its explanation"
            )
            assert len(defaults) == 1, f"{where}: one default feedback for other numbers"
            exact = [a["value"] for a in values if a["type"] == "value"]
            assert len(set(exact)) == len(exact), f"{where}: a number is listed twice"
            for a in values:
                if a["type"] == "range":
                    assert a["range"][0] < a["range"][1], f"{where}: empty range {a['range']}"
            # jupyterquiz answers with the first entry that matches the number typed,
            # so an entry hidden behind an earlier one would never be shown.
            for i, a in enumerate(values):
                typed = a["value"] if a["type"] == "value" else sum(a["range"]) / 2
                first = next(j for j, b in enumerate(values) if _matches(b, typed))
                assert first == i, f"{where}: the number {typed} is caught by an earlier entry"
        else:
            raise AssertionError(f"{where}: type {q['type']!r}; use multiple_choice or numeric")


def _matches(entry: dict, number: float) -> bool:
    if entry["type"] == "value":
        return number == entry["value"]
    low, high = entry["range"]
    return low <= number < high


def _quiz_cell_indices(nb) -> list[int]:
    return [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and "show_quiz(" in c.source]


@pytest.mark.parametrize("nb_path", _chapters(), ids=_ids(_chapters()))
def test_quiz_cell_shows_its_own_chapter(nb_path):
    nb = _read(nb_path)
    cells = _quiz_cell_indices(nb)
    if nb_path.stem in CHAPTERS_WITH_QUIZ_CELL:
        assert len(cells) == 1, f"{nb_path.name}: needs one quiz cell (tools/insert_quiz.py adds it)"
    for index in cells:
        cell = nb.cells[index]
        shown = re.findall(r"show_quiz\(\s*[\"']([^\"']+)[\"']\s*\)", cell.source)
        assert shown == [nb_path.stem], f"{nb_path.name}: the quiz cell shows {shown}, not its own quiz"
        assert "remove-input" in cell.metadata.get("tags", []), (
            f"{nb_path.name}: the quiz cell must be tagged remove-input (its output is the quiz)"
        )
        heading = nb.cells[index - 1]
        assert heading.cell_type == "markdown" and _has_heading(
            heading.source.splitlines(), QUIZ_HEADING
        ), f"{nb_path.name}: the quiz cell must follow its '## {QUIZ_HEADING}' heading"
        after = nb.cells[index + 1]
        assert after.cell_type == "markdown" and after.source.lstrip().lower().startswith("## summary"), (
            f"{nb_path.name}: the quiz section goes just before '## Summary'"
        )


def test_quiz_module_embeds_every_question():
    import sys

    sys.path.insert(0, str(BOOK))
    try:
        from quizzes import quiz_html
    finally:
        sys.path.remove(str(BOOK))
    for stem in _quiz_stems():
        html, js = quiz_html(stem)
        div_id = f"quiz_{stem}"
        assert f'id="{div_id}"' in html
        assert re.fullmatch(r"[A-Za-z_]\w*", div_id), "the id doubles as a JavaScript name"
        for q in _quiz(stem):
            assert json_fragment(q["question"]) in js, f"{stem}: a question is missing from the page"
        assert "startup.promise" in js, "the quiz must wait for the page's MathJax"


def json_fragment(text: str) -> str:
    import json

    return json.dumps(text)[1:-1]


# --------------------------------------------------------------------------------------
# Binder: binder/ holds only what the notebooks need, pinned as in requirements.txt

BINDER = ROOT / "binder"
# Provided by repo2docker's own environment (the Jupyter server and kernel), or
# the standard library.
BASE_ENVIRONMENT = {"IPython", "ipykernel"}
LOCAL_MODULES = {"nnlib", "quizzes"}


def _requirement_lines(path: Path) -> list[str]:
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            lines.append(line)
    return lines


def _pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in _requirement_lines(path):
        if line.startswith("-"):
            continue
        name, _, version = line.partition("==")
        assert version, f"{path.name}: {line!r} is not an exact pin (name==version)"
        pins[re.sub(r"[-_.]+", "-", name).lower()] = version
    return pins


def test_binder_folder_holds_only_the_environment_files():
    assert BINDER.is_dir()
    assert not (ROOT / ".binder").exists(), "repo2docker refuses a repository with binder/ and .binder/"
    files = sorted(p.name for p in BINDER.iterdir())
    assert files == ["requirements.txt", "runtime.txt"], (
        f"binder/ holds {files}; an environment.yml, Pipfile or apt.txt would change what "
        "repo2docker installs (see book/contributing.md, 'Binder')"
    )


def test_binder_pins_agree_with_requirements():
    binder, root = _pins(BINDER / "requirements.txt"), _pins(ROOT / "requirements.txt")
    differ = {name: (v, root.get(name)) for name, v in binder.items() if root.get(name) != v}
    assert not differ, f"binder/requirements.txt pins differ from requirements.txt (binder, root): {differ}"
    assert "-e ." in _requirement_lines(BINDER / "requirements.txt"), (
        "binder/requirements.txt must install nnlib editable (`-e .`), so edits to nnlib/ take effect"
    )


def test_binder_python_is_the_supported_one():
    runtime = (BINDER / "runtime.txt").read_text(encoding="utf-8").strip()
    match = re.fullmatch(r"python-(\d+)\.(\d+)", runtime)
    assert match, f"binder/runtime.txt must read python-X.Y, not {runtime!r}"
    floor = re.search(r'requires-python\s*=\s*">=\s*(\d+)\.(\d+)"', (ROOT / "pyproject.toml").read_text())
    assert tuple(map(int, match.groups())) >= tuple(map(int, floor.groups())), (
        f"binder/runtime.txt names {runtime}, older than pyproject.toml's requires-python"
    )
    assert not (ROOT / "runtime.txt").exists(), (
        "a runtime.txt at the repository root is ignored by Binder once binder/ exists; keep one, in binder/"
    )


def _imports(source: str) -> set[str]:
    import ast

    from IPython.core.inputtransformer2 import TransformerManager

    # Notebook cells may hold IPython magics (%pip); IPython turns them into Python.
    source = TransformerManager().transform_cell(source)
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def _notebook_imports() -> set[str]:
    """Top-level modules imported by the notebooks and by the local code they import."""
    found = set()
    for nb_path in _notebooks():
        for cell in _read(nb_path).cells:
            if cell.cell_type == "code":
                found |= _imports(cell.source)
    for module in [*(ROOT / "nnlib").rglob("*.py"), *QUIZZES.glob("*.py")]:
        found |= _imports(module.read_text(encoding="utf-8"))
    return found


def test_binder_installs_exactly_what_the_notebooks_import():
    import importlib.metadata
    import sys

    distributions = importlib.metadata.packages_distributions()
    needed = set()
    unknown = []
    for module in sorted(_notebook_imports() - LOCAL_MODULES - BASE_ENVIRONMENT):
        if module in sys.stdlib_module_names:
            continue
        if module not in distributions:
            unknown.append(module)
            continue
        needed |= {re.sub(r"[-_.]+", "-", d).lower() for d in distributions[module]}
    assert not unknown, f"the notebooks import modules no installed package provides: {unknown}"
    binder = set(_pins(BINDER / "requirements.txt"))
    assert not needed - binder, f"imported by the notebooks but not in binder/: {sorted(needed - binder)}"
    assert not binder - needed, (
        f"in binder/requirements.txt but imported by no notebook: {sorted(binder - needed)}; "
        "development tools belong in requirements.txt only"
    )
