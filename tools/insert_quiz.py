"""Insert a chapter's "Check your understanding" quiz section into its notebook.

Each chapter book/NN_slug.ipynb has its questions in book/quizzes/NN_slug.json.
This script adds, right before the chapter's `## Summary` heading, two cells:

- a Markdown cell with the heading `## Check your understanding` and one line on
  how the quiz works;
- a code cell tagged `remove-input` that shows the quiz (its code is hidden on the
  web page, its output is the quiz).

It is idempotent: a notebook that already has the section is left as it is, after
checking that its quiz cell shows the chapter's own question file. It changes
nothing else in the notebook.

Usage:
    python tools/insert_quiz.py book/05_softmax.ipynb [...]   these chapters
    python tools/insert_quiz.py --all                          every chapter in book/
    python tools/insert_quiz.py --check [PATH ...]             only report; exit 1 if a
                                                               chapter lacks the section
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"
QUIZZES = BOOK / "quizzes"
CHAPTER_NAME = re.compile(r"^\d\d_\w+\.ipynb$")

HEADING = "## Check your understanding"
INTRO = (
    "A few questions on this chapter's core ideas. Pick an answer, or type a number and press Enter: every "
    "answer, right or wrong, tells you why. The quiz runs in your browser; nothing is recorded."
)
TAG = "remove-input"


def quiz_cell_source(stem: str) -> str:
    """The code of the quiz cell of chapter `stem` (e.g. "05_softmax")."""
    return (
        f"# Check your understanding: shows the questions in quizzes/{stem}.json (with jupyterquiz).\n"
        "import sys\n"
        'if "google.colab" in sys.modules:  # Colab has this notebook but not the quiz files\n'
        '    print("The quiz for this chapter is on the course website.")\n'
        "else:\n"
        "    from quizzes import show_quiz\n"
        "\n"
        f'    show_quiz("{stem}")\n'
    )


def _is_heading(cell, heading: str) -> bool:
    if cell.cell_type != "markdown":
        return False
    pattern = re.compile(r"^" + re.escape(heading) + r"\s*$", re.IGNORECASE)
    return any(pattern.match(line.strip()) for line in cell.source.splitlines())


def quiz_cells(nb) -> list[int]:
    """Indices of the code cells that show a quiz (call show_quiz)."""
    return [
        i for i, c in enumerate(nb.cells) if c.cell_type == "code" and "show_quiz(" in c.source
    ]


def shown_quiz(source: str) -> str | None:
    """The quiz name a cell's code passes to show_quiz, or None."""
    match = re.search(r"show_quiz\(\s*[\"']([^\"']+)[\"']\s*\)", source)
    return match.group(1) if match else None


def insert(nb_path: Path) -> bool:
    """Add the quiz section to `nb_path` if it is missing. Return True if it changed."""
    stem = nb_path.stem
    if not (QUIZZES / f"{stem}.json").is_file():
        raise SystemExit(f"error: {nb_path.name}: no question file book/quizzes/{stem}.json; write it first")
    nb = nbformat.read(nb_path, as_version=4)

    headings = [i for i, c in enumerate(nb.cells) if _is_heading(c, HEADING)]
    if headings:
        cells = quiz_cells(nb)
        names = [shown_quiz(nb.cells[i].source) for i in cells]
        if names != [stem]:
            raise SystemExit(
                f"error: {nb_path.name} has a '{HEADING}' section, but its quiz cells show {names}, "
                f"not ['{stem}']; fix the notebook by hand"
            )
        return False

    summaries = [i for i, c in enumerate(nb.cells) if _is_heading(c, "## Summary")]
    if len(summaries) != 1:
        raise SystemExit(
            f"error: {nb_path.name}: expected one '## Summary' heading, found {len(summaries)}"
        )
    at = summaries[0]
    if nb.cells[at].source.lstrip().splitlines()[0].strip().lower() != "## summary":
        raise SystemExit(
            f"error: {nb_path.name}: '## Summary' must start its Markdown cell, "
            "so that the quiz can go before it"
        )

    heading = nbformat.v4.new_markdown_cell(f"{HEADING}\n\n{INTRO}")
    heading.id = f"{stem}-quiz-heading"
    code = nbformat.v4.new_code_cell(quiz_cell_source(stem), metadata={"tags": [TAG]})
    code.id = f"{stem}-quiz"
    nb.cells[at:at] = [heading, code]
    nbformat.validate(nb)
    nbformat.write(nb, nb_path)
    return True


def has_section(nb_path: Path) -> bool:
    nb = nbformat.read(nb_path, as_version=4)
    return any(_is_heading(c, HEADING) for c in nb.cells) and bool(quiz_cells(nb))


def chapters(book: Path = BOOK) -> list[Path]:
    return sorted(p for p in book.glob("*.ipynb") if CHAPTER_NAME.match(p.name))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("paths", nargs="*", type=Path, help="chapter notebooks")
    parser.add_argument("--all", action="store_true", help="every chapter notebook in book/")
    parser.add_argument("--check", action="store_true", help="report chapters without the section")
    args = parser.parse_args(argv)
    paths = chapters() if args.all or (args.check and not args.paths) else args.paths
    if not paths:
        parser.error("name chapter notebooks, or use --all")
    for path in paths:
        if not CHAPTER_NAME.match(path.name):
            raise SystemExit(f"error: {path} is not a chapter notebook (book/NN_slug.ipynb)")
    if args.check:
        missing = [p for p in paths if not has_section(p)]
        for p in missing:
            print(f"{p}: no '{HEADING}' section")
        return 1 if missing else 0
    for path in paths:
        print(f"{path}: {'quiz section inserted' if insert(path) else 'already has its quiz section'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
