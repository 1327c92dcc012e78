"""tools/insert_quiz.py: adds a chapter's quiz section before its summary, once."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("insert_quiz", ROOT / "tools" / "insert_quiz.py")
insert_quiz = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(insert_quiz)


def _chapter(tmp_path: Path, cells: list, stem: str = "05_softmax") -> Path:
    """A small chapter notebook in a throw-away book/ with its quiz file."""
    book = tmp_path / "book"
    (book / "quizzes").mkdir(parents=True)
    shutil.copy(ROOT / "book" / "quizzes" / "05_softmax.json", book / "quizzes" / f"{stem}.json")
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = cells
    path = book / f"{stem}.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.fixture
def use_tmp_book(tmp_path, monkeypatch):
    monkeypatch.setattr(insert_quiz, "QUIZZES", tmp_path / "book" / "quizzes")
    return tmp_path


def _cells():
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    return [
        md("# Softmax\n\n## Learning objectives\n\n- one"),
        code("x = 1"),
        md("## Exercises"),
        md("## Summary\n\nYou can now ..."),
        md("Next, the loss."),
    ]


def test_inserts_the_section_just_before_the_summary(use_tmp_book):
    path = _chapter(use_tmp_book, _cells())
    before = nbformat.read(path, as_version=4)
    assert insert_quiz.insert(path) is True
    after = nbformat.read(path, as_version=4)
    assert len(after.cells) == len(before.cells) + 2
    heading, quiz, summary = after.cells[3], after.cells[4], after.cells[5]
    assert heading.cell_type == "markdown" and heading.source.startswith("## Check your understanding")
    assert quiz.cell_type == "code" and quiz.metadata["tags"] == ["remove-input"]
    assert 'show_quiz("05_softmax")' in quiz.source and quiz.outputs == []
    assert summary.source.startswith("## Summary")
    # Nothing else moved or changed.
    assert [c.source for c in after.cells[:3] + after.cells[5:]] == [c.source for c in before.cells]
    nbformat.validate(after)


def test_is_idempotent(use_tmp_book):
    path = _chapter(use_tmp_book, _cells())
    insert_quiz.insert(path)
    first = path.read_bytes()
    assert insert_quiz.insert(path) is False
    assert path.read_bytes() == first


def test_refuses_a_chapter_without_a_question_file(use_tmp_book):
    path = _chapter(use_tmp_book, _cells())
    (use_tmp_book / "book" / "quizzes" / "05_softmax.json").unlink()
    with pytest.raises(SystemExit, match="no question file"):
        insert_quiz.insert(path)


def test_refuses_a_chapter_without_a_summary(use_tmp_book):
    cells = [c for c in _cells() if "Summary" not in c.source]
    path = _chapter(use_tmp_book, cells)
    with pytest.raises(SystemExit, match="Summary"):
        insert_quiz.insert(path)
    assert "show_quiz" not in path.read_text()


def test_refuses_a_section_that_shows_another_chapters_quiz(use_tmp_book):
    path = _chapter(use_tmp_book, _cells())
    insert_quiz.insert(path)
    nb = nbformat.read(path, as_version=4)
    nb.cells[4].source = nb.cells[4].source.replace('"05_softmax"', '"06_loss"')
    nbformat.write(nb, path)
    with pytest.raises(SystemExit, match="06_loss"):
        insert_quiz.insert(path)


def test_the_quiz_cell_runs_where_the_book_runs(use_tmp_book, monkeypatch, capsys):
    """The inserted code shows the quiz from book/ (as the build, nbval and Binder run it)."""
    import sys

    path = _chapter(use_tmp_book, _cells())
    insert_quiz.insert(path)
    source = nbformat.read(path, as_version=4).cells[4].source
    shown = []
    monkeypatch.syspath_prepend(str(ROOT / "book"))
    import quizzes

    monkeypatch.setattr(quizzes, "show_quiz", shown.append)
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    exec(compile(source, "quiz cell", "exec"), {})
    assert shown == ["05_softmax"]
    # On Colab, where the quiz files are missing, it says where the quiz is instead.
    monkeypatch.setitem(sys.modules, "google.colab", object())
    exec(compile(source, "quiz cell", "exec"), {})
    assert shown == ["05_softmax"]
    assert "course website" in capsys.readouterr().out


CHAPTERS = sorted((ROOT / "book").glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[p.name for p in CHAPTERS])
def test_works_on_every_chapter_as_it_is_today(chapter, tmp_path, monkeypatch):
    """The script will be run on the real chapters: it must place the section right."""
    monkeypatch.setattr(insert_quiz, "QUIZZES", ROOT / "book" / "quizzes")
    copy = tmp_path / chapter.name
    shutil.copy(chapter, copy)
    insert_quiz.insert(copy)
    nb = nbformat.read(copy, as_version=4)
    quiz = insert_quiz.quiz_cells(nb)
    assert len(quiz) == 1 and insert_quiz.shown_quiz(nb.cells[quiz[0]].source) == chapter.stem
    assert nb.cells[quiz[0] - 1].source.startswith("## Check your understanding")
    assert nb.cells[quiz[0] + 1].source.lstrip().startswith("## Summary")
    # A training chapter still ends with its check cell.
    code = [c for c in nb.cells if c.cell_type == "code"]
    original_code = [c for c in nbformat.read(chapter, as_version=4).cells if c.cell_type == "code"]
    if "check" in original_code[-1].metadata.get("tags", []):
        assert "check" in code[-1].metadata.get("tags", [])
    assert insert_quiz.insert(copy) is False
