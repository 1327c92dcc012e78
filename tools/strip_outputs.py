"""Remove outputs and execution counts from Jupyter notebooks.

The book executes every notebook when it is built, so notebooks are committed
without outputs: diffs stay readable and no stale output can be published.

Usage:
    python tools/strip_outputs.py [PATH ...]          strip in place (default: book/)
    python tools/strip_outputs.py --check [PATH ...]  only report; exit 1 if any
                                                      notebook has outputs

A PATH is a notebook or a folder, which is searched recursively for *.ipynb
(skipping _build and .ipynb_checkpoints).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

SKIP_DIRS = {"_build", ".ipynb_checkpoints", ".venv"}


def find_notebooks(paths: list[Path]) -> list[Path]:
    """Return the notebooks named by ``paths`` (files or folders), sorted."""
    found: set[Path] = set()
    for path in paths:
        if path.is_dir():
            for nb_path in path.rglob("*.ipynb"):
                if not SKIP_DIRS.intersection(nb_path.parts):
                    found.add(nb_path)
        elif path.suffix == ".ipynb" and path.is_file():
            found.add(path)
        else:
            raise SystemExit(f"error: {path} is neither a notebook nor a folder")
    return sorted(found)


def problems(nb: nbformat.NotebookNode) -> list[str]:
    """Describe what would be stripped from ``nb`` (empty if it is clean)."""
    found = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if cell.get("outputs"):
            found.append(f"cell {index}: {len(cell.outputs)} output(s)")
        if cell.get("execution_count") is not None:
            found.append(f"cell {index}: execution_count {cell.execution_count}")
        if "execution" in cell.get("metadata", {}):
            found.append(f"cell {index}: execution timing metadata")
    return found


def strip(nb: nbformat.NotebookNode) -> None:
    """Clear outputs, execution counts and timing metadata of ``nb`` in place."""
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cell.outputs = []
        cell.execution_count = None
        cell.metadata.pop("execution", None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, default=[Path("book")])
    parser.add_argument(
        "--check",
        action="store_true",
        help="do not modify anything; exit 1 if a notebook has outputs",
    )
    args = parser.parse_args(argv)

    dirty = 0
    for nb_path in find_notebooks(args.paths):
        nb = nbformat.read(nb_path, as_version=nbformat.NO_CONVERT)
        found = problems(nb)
        if not found:
            continue
        dirty += 1
        if args.check:
            print(f"{nb_path}: " + "; ".join(found))
        else:
            strip(nb)
            nbformat.write(nb, nb_path)
            print(f"stripped {nb_path}")

    if args.check and dirty:
        print(f"{dirty} notebook(s) have outputs; run `make strip`.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
