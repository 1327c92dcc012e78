"""Show a chapter's "Check your understanding" quiz in a notebook or on the web page.

Each chapter's questions are a data file beside this module, ``<chapter stem>.json``
(for example ``01_neuron.json``), in jupyterquiz's format; book/contributing.md
describes it. A chapter's quiz cell, tagged ``remove-input``, calls::

    from quizzes import show_quiz
    show_quiz("01_neuron")

The questions are embedded in the cell's output, so the quiz answers in the browser
without a kernel and without a network: jupyterquiz's JavaScript and CSS come from
the installed package, not from a CDN.

Why not ``jupyterquiz.display_quiz`` directly: on a built page its script runs
while the page is still loading, before the site's MathJax has started, and 500 ms
later it either fails on ``MathJax.version[0]`` (a console error) or, finding
MathJax half-loaded, tries to load another MathJax from a CDN. ``show_quiz`` builds
the same output from jupyterquiz's own renderer but starts the quiz once MathJax is
ready, and gives the quiz colours that stay legible in light and dark mode.
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent

# jupyterquiz's colour variables. Text on the question panels is light; answer
# buttons are light with dark text; right and wrong answers turn dark green or
# dark red, with white text. All pairs have a contrast ratio above 4.5.
COLORS = {
    "--jq-multiple-choice-bg": "#2b3a67",
    "--jq-mc-button-bg": "#fafafa",
    "--jq-mc-button-border": "#c8c8c8",
    "--jq-mc-button-inset-shadow": "#555555",
    "--jq-many-choice-bg": "#2b3a67",
    "--jq-numeric-bg": "#2b3a67",
    "--jq-numeric-input-bg": "#ffffff",
    "--jq-numeric-input-label": "#1a1a1a",
    "--jq-numeric-input-shadow": "#999999",
    "--jq-string-bg": "#2b3a67",
    "--jq-incorrect-color": "#b71c1c",
    "--jq-correct-color": "#1b5e20",
    "--jq-text-color": "#fafafa",
    "--jq-link-color": "#9abafa",
}

# On top of jupyterquiz's styles.css: an opaque light panel behind each question
# (so that labels and feedback do not depend on the page's light or dark
# background), dark text in the number box, and feedback set apart by a border.
EXTRA_CSS = """
#{id} .Quiz {{ background: #f4f5f7; color: #1a1a1a; padding: 8px; margin-bottom: 12px; }}
#{id} .Quiz .Input-text {{ color: #1a1a1a; border: 1px solid #777777; }}
#{id} .Quiz .Input-text.correctButton, #{id} .Quiz .Input-text.incorrectButton {{ color: #ffffff; }}
#{id} .Feedback {{ font-size: 1rem; line-height: 1.4; text-align: left; padding: 0 8px; }}
#{id} .Feedback.correct, #{id} .Feedback.incorrect {{ border-left: 6px solid currentColor; margin: 8px 0; }}
#{id} .Quiz, #{id} .MCButton {{ font-size: 1rem; line-height: 1.4; }}
"""

# Start jupyterquiz only when the page's MathJax (if any) is ready.
START_JS = """
(function () {{
  function startQuiz() {{
{quiz_js}
  }}
  function whenMathJaxIsReady() {{
    var mj = window.MathJax;
    if (mj && mj.startup && mj.startup.promise) {{
      mj.startup.promise.then(startQuiz);
    }} else if (mj && !mj.version && document.readyState === "loading") {{
      // The page is still loading and MathJax (a deferred script) has not run yet.
      document.addEventListener("DOMContentLoaded", whenMathJaxIsReady);
    }} else {{
      startQuiz();
    }}
  }}
  whenMathJaxIsReady();
}})();
"""


def quiz_path(name: str) -> Path:
    """The question file of chapter `name`, e.g. quiz_path("01_neuron")."""
    return HERE / f"{name}.json"


def load_quiz(name: str) -> list[dict]:
    with open(quiz_path(name), encoding="utf-8") as f:
        return json.load(f)


def quiz_html(name: str, questions: list[dict] | None = None) -> tuple[str, str]:
    """The HTML (container and styles) and the JavaScript that show the quiz."""
    from jupyterquiz.dynamic.renderer import build_script, build_styles, render_div

    if questions is None:
        questions = load_quiz(name)
    # jupyterquiz uses the id as a JavaScript identifier too: letters, digits, _.
    div_id = "quiz_" + "".join(c if c.isalnum() else "_" for c in name)
    container = render_div(
        div_id,
        shuffle_questions=False,
        shuffle_answers=True,
        preserve_responses=False,
        num=1_000_000,
        max_width=720,
        border_radius=6,
        question_alignment="left",
    )
    styles = build_styles(div_id, COLORS).replace(
        "</style>", EXTRA_CSS.format(id=div_id) + "</style>"
    )
    prefix = f"var questions{div_id} = {json.dumps(questions)};\nif (typeof Question === 'undefined') {{\n"
    script = build_script(prefix, True, "", div_id, True)
    return container + "</div>" + styles, START_JS.format(quiz_js=script)


def show_quiz(name: str) -> None:
    """Display chapter `name`'s quiz as the output of the current cell."""
    from IPython.display import HTML, Javascript, display

    html, js = quiz_html(name)
    display(HTML(html))
    display(Javascript(js))
