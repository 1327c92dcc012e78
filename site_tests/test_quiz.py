"""The "Check your understanding" quizzes answer in the browser, without a kernel.

For every chapter page that shows a quiz, every catalogued wrong answer is given
first and must show its own explanation, marked wrong; then the right answer is
given and must be marked right with its explanation.
"""

from __future__ import annotations

import html
import json
import re

import nbformat
import pytest
from conftest import ROOT, chapter_pages, close, open_page

QUIZZES = ROOT / "book" / "quizzes"


def _chapters_with_quiz_cell() -> list[str]:
    """Chapters whose notebook has a quiz cell (tests/test_book_structure.py checks
    which ones must); each must show its quiz on its page."""
    found = []
    for docname in chapter_pages():
        nb = nbformat.read(ROOT / f"{docname}.ipynb", as_version=4)
        if any(c.cell_type == "code" and "show_quiz(" in c.source for c in nb.cells):
            found.append(docname)
    return found


QUIZ_CHAPTERS = _chapters_with_quiz_cell()


def _fragments(text: str) -> list[str]:
    """The plain-text pieces of a question's text: no $...$ math, no HTML tags."""
    text = re.sub(r"\$[^$]+\$", "\n", text)
    text = html.unescape(re.sub(r"<[^>]+>", "", text))  # &lt;i&gt; shows as <i>
    return [f.strip() for f in text.split("\n") if len(f.strip()) >= 4]


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _shows(feedback_text: str, expected: str) -> bool:
    shown = _normalise(feedback_text)
    return all(_normalise(f) in shown for f in _fragments(expected))


def test_quiz_chapters_are_found():
    assert "book/01_neuron" in QUIZ_CHAPTERS, QUIZ_CHAPTERS


@pytest.fixture(scope="module", params=QUIZ_CHAPTERS)
def chapter(request, browser, site_url):
    v = open_page(browser, site_url, request.param)
    yield v
    close(v)


def test_quiz_is_on_the_page(chapter):
    quizzes = chapter.page.locator("div[id^='quiz_']")
    assert quizzes.count() == 1, f"{chapter.docname}: expected one quiz, found {quizzes.count()}"
    stem = chapter.docname.split("/")[-1]
    assert quizzes.first.get_attribute("id") == f"quiz_{stem}"
    questions = json.loads((QUIZZES / f"{stem}.json").read_text(encoding="utf-8"))
    shown = chapter.page.locator(f"#quiz_{stem} .Quiz")
    assert shown.count() == len(questions), f"{stem}: {shown.count()} of {len(questions)} questions shown"
    # The quiz sits in its own section, just before the summary.
    headings = chapter.page.locator("article h2").all_inner_texts()
    headings = [h.rstrip("#").strip() for h in headings]
    i = headings.index("Check your understanding")
    assert headings[i + 1] == "Summary", headings


def test_every_answer_gets_its_own_response(chapter):
    page = chapter.page
    stem = chapter.docname.split("/")[-1]
    questions = json.loads((QUIZZES / f"{stem}.json").read_text(encoding="utf-8"))
    shown = page.locator(f"#quiz_{stem} .Quiz")
    problems = []
    checked = 0
    for q_index, question in enumerate(questions):
        box = shown.nth(q_index)
        feedback = box.locator(".Feedback")
        if question["type"] == "multiple_choice":
            labels = box.locator("label.MCButton")
            by_feedback = {labels.nth(i).get_attribute("data-feedback"): labels.nth(i)
                           for i in range(labels.count())}
            wrong = [a for a in question["answers"] if not a["correct"]]
            right = [a for a in question["answers"] if a["correct"]]
            for answer in wrong + right:   # wrong ones first, then the right one
                label = by_feedback[answer["feedback"]]
                label.click()
                verdict = "correct" if answer["correct"] else "incorrect"
                page.wait_for_function(
                    "([el, cls]) => el.classList.contains(cls)", arg=[feedback.element_handle(), verdict]
                )
                if not _shows(feedback.inner_text(), answer["feedback"]):
                    problems.append(f"Q{q_index + 1} {answer['answer']!r}: shows {feedback.inner_text()!r}")
                checked += 1
        elif question["type"] == "numeric":
            box_input = box.locator("input.Input-text")
            entries = [a for a in question["answers"] if a.get("type") != "default"]
            default = [a for a in question["answers"] if a.get("type") == "default"]
            tries = [(a, a["value"] if "value" in a else round(sum(a["range"]) / 2, 6)) for a in entries]
            tries.sort(key=lambda t: t[0]["correct"])          # wrong ones first
            if default:
                # A number no entry catalogues gets the default hint.
                taken = [v for _, v in tries]
                tries.insert(0, (default[0], max(taken) + 1000))
            for answer, value in tries:
                box_input.click()
                box_input.press_sequentially(repr(float(value)).removesuffix(".0"))
                box_input.press("Enter")
                verdict = "correct" if answer.get("correct") else "incorrect"
                page.wait_for_function(
                    "([el, cls]) => el.classList.contains(cls)", arg=[feedback.element_handle(), verdict]
                )
                if not _shows(feedback.inner_text(), answer["feedback"]):
                    problems.append(f"Q{q_index + 1} typed {value}: shows {feedback.inner_text()!r}")
                checked += 1
        else:
            problems.append(f"Q{q_index + 1}: question type {question['type']!r} is not tested")
    assert checked >= len(questions) * 2
    assert not problems, f"{stem}: {problems}"
    assert not chapter.errors, f"{stem}: answering logged errors: {chapter.errors}"
