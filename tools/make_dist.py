"""Pack the built site and the executed notebooks into one zip, for offline reading.

Run after `make book` (the Makefile's `make dist` does). The archive
_build/dist/<name>.zip unpacks to a folder <name>/ with

    README.txt    how to read and run it
    site/         the website: open site/index.html in a browser, no server needed
    notebooks/    every chapter as the build ran it, outputs included, and the
                  quizzes/ folder its quiz cells read
    nnlib/, pyproject.toml, requirements.txt
                  the course library, to run the notebooks yourself

A copy of the zip is put at the top of the built site (_build/html/<name>.zip),
where the intro page's download link points.

Usage:
    python tools/make_dist.py [--name NAME]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "_build"
HTML = BUILD / "html"
EXECUTED = BUILD / "jupyter_execute" / "book"

README = """\
Neural Networks from Scratch, for offline reading
=================================================

site/        The course website. Open site/index.html in a web browser; it needs
             no internet connection and no server (mathematics, quizzes and
             search all work from the files).
notebooks/   Every chapter as a Jupyter notebook, with the outputs the website
             shows, so you can read them in JupyterLab without running anything.

To run the notebooks yourself you need Python {python} or newer. From this folder:

    python -m venv .venv
    .venv/bin/pip install -r requirements.txt      (Windows: .venv\\Scripts\\pip)
    .venv/bin/pip install jupyterlab
    .venv/bin/jupyter lab notebooks/

requirements.txt installs the packages the notebooks import and nnlib, the course
library, from the nnlib/ folder here. The course's repository has everything else
(the tests, the sources of the website).
"""

SKIP_IN_SITE = {".buildinfo"}


def _python_floor() -> str:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.strip().startswith("requires-python"):
            return line.split("=", 1)[1].strip().strip('"').lstrip(">=")
    return "3"


def build(name: str) -> Path:
    if not (HTML / "index.html").is_file():
        raise SystemExit("error: no built site in _build/html; run 'make book' first")
    notebooks = sorted(EXECUTED.glob("[0-9][0-9]_*.ipynb"))
    if not notebooks:
        raise SystemExit(
            "error: no executed notebooks in _build/jupyter_execute/book; run 'make book' first"
        )

    out_dir = BUILD / "dist"
    stage = out_dir / name
    shutil.rmtree(out_dir, ignore_errors=True)
    stage.mkdir(parents=True)

    def skip_site(folder, names):
        return [n for n in names if n in SKIP_IN_SITE or n.endswith(".zip")]

    shutil.copytree(HTML, stage / "site", ignore=skip_site)
    (stage / "notebooks").mkdir()
    for nb in notebooks:
        shutil.copy2(nb, stage / "notebooks" / nb.name)
    shutil.copytree(
        ROOT / "book" / "quizzes",
        stage / "notebooks" / "quizzes",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    shutil.copytree(ROOT / "nnlib", stage / "nnlib", ignore=shutil.ignore_patterns("__pycache__"))
    for name_ in ("pyproject.toml", "README.md", "LICENSE", "LICENSE-CONTENT"):
        shutil.copy2(ROOT / name_, stage / name_)
    # The notebooks' packages and nnlib: the pins of binder/requirements.txt, whose
    # `-e .` installs the nnlib/ folder next to it.
    pins = [
        line
        for line in (ROOT / "binder" / "requirements.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    (stage / "requirements.txt").write_text(
        "# The packages the notebooks import, and nnlib (the folder nnlib/ here), editable.\n"
        + "\n".join(pins)
        + "\n",
        encoding="utf-8",
    )
    (stage / "README.txt").write_text(README.format(python=_python_floor()), encoding="utf-8")

    archive = out_dir / f"{name}.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for path in sorted(stage.rglob("*")):
            zf.write(path, path.relative_to(out_dir))
    shutil.rmtree(stage)
    shutil.copy2(archive, HTML / archive.name)
    return archive


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--name", default="neural-networks-from-scratch-offline")
    args = parser.parse_args(argv)
    archive = build(args.name)
    size = archive.stat().st_size / 1e6
    print(f"{archive.relative_to(ROOT)} ({size:.1f} MB), also copied to _build/html/{archive.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
