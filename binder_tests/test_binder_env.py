"""The Binder environment, rebuilt offline as repo2docker builds it (make test-binder).

repo2docker cannot run here (it needs Docker and the network), so this test does
what it does for this repository, in the order its Python buildpack does it
(repo2docker/buildpacks/python/__init__.py; book/contributing.md, "Binder"):

1. take the Python that binder/runtime.txt names;
2. with the repository as the working directory, `pip install -r
   binder/requirements.txt`, and nothing else: because binder/ exists,
   repo2docker reads no other environment file and does not `pip install .`;

then checks that the result is lean, that nnlib is the editable copy of the
repository (an edit to nnlib/ shows up in a new kernel), and runs every notebook
in that environment. The kernel itself (ipykernel) is what repo2docker's base
environment provides, so it is added here, at requirements.txt's pin.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
DEV_TOOLS = ["jupyter-book", "sphinx", "pytest", "ruff", "nbval", "playwright"]


def _git_files(root: Path) -> list[str]:
    out = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=root, check=True, capture_output=True, text=True,
    ).stdout
    return [f for f in out.split("\0") if f and (root / f).is_file()]


def _pin(name: str) -> str:
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        if line.split("==")[0].strip().lower() == name:
            return line.strip()
    raise AssertionError(f"{name} is not pinned in requirements.txt")


@pytest.fixture(scope="module")
def binder(tmp_path_factory):
    """(repository copy, environment) built as repo2docker would."""
    runtime = (ROOT / "binder" / "runtime.txt").read_text(encoding="utf-8").strip()
    version = re.fullmatch(r"python-(\d+\.\d+)", runtime).group(1)
    python = shutil.which(f"python{version}")
    assert python, (
        f"binder/runtime.txt names Python {version}, and there is no python{version} on PATH to "
        "build the test environment with"
    )
    base = tmp_path_factory.mktemp("binder")
    repo = base / "repo"   # a copy: the test edits nnlib/ in it
    for name in _git_files(ROOT):
        target = repo / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    env = base / "env"
    subprocess.run([python, "-m", "venv", str(env)], check=True)
    pip = [str(env / "bin" / "python"), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    # repo2docker: `pip install --no-cache-dir -r "binder/requirements.txt"`, run in ${REPO_DIR}.
    subprocess.run([*pip, "-r", "binder/requirements.txt"], cwd=repo, check=True)
    # repo2docker's base environment provides the kernel.
    subprocess.run([*pip, _pin("ipykernel")], cwd=repo, check=True)
    return repo, env


def _python(env: Path, code: str, cwd: Path) -> str:
    return subprocess.run(
        [str(env / "bin" / "python"), "-c", code], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout.strip()


def test_runs_the_python_runtime_txt_names(binder):
    repo, env = binder
    runtime = (repo / "binder" / "runtime.txt").read_text(encoding="utf-8").strip()
    version = _python(env, "import sys; print(f'{sys.version_info[0]}.{sys.version_info[1]}')", repo)
    assert runtime == f"python-{version}"


def test_has_the_pinned_packages_and_no_development_tools(binder):
    repo, env = binder
    freeze = _python(env, "import importlib.metadata as m; print('\\n'.join(sorted("
                     "f\"{d.metadata['Name'].lower()}=={d.version}\" for d in m.distributions())))", repo)
    installed = dict(line.split("==") for line in freeze.splitlines())
    for line in (repo / "binder" / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-"):
            name, version = line.split("==")
            assert installed.get(name.lower()) == version, f"{name}: {installed.get(name.lower())}"
    present = [tool for tool in DEV_TOOLS if tool in installed]
    assert not present, f"the Binder environment installs development tools: {present}"


def test_nnlib_is_the_editable_repository_copy(binder):
    repo, env = binder
    where = Path(_python(env, "import nnlib; print(nnlib.__file__)", repo / "book"))
    assert where == repo / "nnlib" / "__init__.py", f"nnlib is imported from {where}"
    # A learner edits nnlib/ in the Binder session; a new kernel sees the edit.
    init = repo / "nnlib" / "__init__.py"
    original = init.read_text(encoding="utf-8")
    try:
        init.write_text(original + "\nEDITED_IN_BINDER = True\n", encoding="utf-8")
        assert _python(env, "import nnlib; print(nnlib.EDITED_IN_BINDER)", repo / "book") == "True"
    finally:
        init.write_text(original, encoding="utf-8")


def _notebooks() -> list[str]:
    return sorted(p.name for p in (ROOT / "book").glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.parametrize("name", _notebooks())
def test_notebook_runs_in_the_binder_environment(binder, name, tmp_path):
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    repo, env = binder
    # A kernel spec that starts the Binder environment's Python.
    spec_dir = tmp_path / "kernels" / "binder"
    spec_dir.mkdir(parents=True)
    (spec_dir / "kernel.json").write_text(
        '{"argv": ["%s", "-m", "ipykernel_launcher", "-f", "{connection_file}"], '
        '"display_name": "Binder", "language": "python"}' % (env / "bin" / "python"),
        encoding="utf-8",
    )
    ksm = KernelSpecManager(kernel_dirs=[str(tmp_path / "kernels")])
    km = KernelManager(kernel_name="binder", kernel_spec_manager=ksm)
    nb = nbformat.read(repo / "book" / name, as_version=4)
    # One more cell, to see which Python and which nnlib the notebook ran with.
    nb.cells.append(
        nbformat.v4.new_code_cell("import sys, nnlib\nprint(sys.executable)\nprint(nnlib.__file__)")
    )
    client = NotebookClient(
        nb, km=km, timeout=300, allow_errors=False,
        resources={"metadata": {"path": str(repo / "book")}},
    )
    client.execute()   # raises CellExecutionError, with the traceback, if a cell fails
    printed = "".join(o.get("text", "") for o in nb.cells[-1].outputs).split()
    assert printed == [str(env / "bin" / "python"), str(repo / "nnlib" / "__init__.py")], printed
