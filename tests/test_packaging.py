"""A plain, non-editable install of nnlib (Colab's `pip install git+...`) contains every module."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_contains_every_module(tmp_path):
    # Build from a copy, so that setuptools' build/ folder does not land in the repository.
    # setuptools is pinned in requirements.txt, so --no-build-isolation needs no network.
    src = tmp_path / "src"
    shutil.copytree(ROOT / "nnlib", src / "nnlib", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, src / name)
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w",
         str(tmp_path), str(src)],
        capture_output=True, text=True, cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    (wheel,) = tmp_path.glob("nnlib-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {str(p.relative_to(ROOT)) for p in (ROOT / "nnlib").rglob("*.py")}
    missing = sorted(expected - names)
    assert not missing, f"the wheel lacks {missing}: check [tool.setuptools.packages.find] in pyproject.toml"
