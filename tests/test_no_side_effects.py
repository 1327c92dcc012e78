"""Importing and using nnlib must not change NumPy for the rest of the process.

NNFS's ``nnfs.init()`` replaces ``np.dot``, ``np.zeros`` and ``np.random.randn`` and
reseeds the global generator; nnlib promises never to do that. Each check runs in a
fresh interpreter, so what other tests imported cannot hide (or cause) a side effect.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import nnlib

NNLIB_DIR = Path(nnlib.__file__).resolve().parent


def run_python(code: str) -> str:
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


SNAPSHOT = """
import sys
import numpy as np
np.random.seed(12345)
originals = {"dot": np.dot, "zeros": np.zeros, "eye": np.eye, "randn": np.random.randn}
state = np.random.get_state()
errstate = np.geterr()

def assert_numpy_untouched(when):
    now = {"dot": np.dot, "zeros": np.zeros, "eye": np.eye, "randn": np.random.randn}
    for name, fn in originals.items():
        assert now[name] is fn, f"np.{name} was replaced {when}"
    assert np.zeros(2).dtype == np.float64, f"np.zeros makes non-float64 arrays {when}"
    s = np.random.get_state()
    assert s[0] == state[0] and (s[1] == state[1]).all() and s[2:] == state[2:], \\
        f"the global random state changed {when}"
    assert np.geterr() == errstate, f"np.seterr was changed {when}"
"""


def test_import_changes_nothing_in_numpy():
    out = run_python(SNAPSHOT + """
import nnlib
assert_numpy_untouched("by import nnlib")
print("ok")
""")
    assert out.strip() == "ok"


def test_using_nnlib_changes_nothing_in_numpy():
    out = run_python(SNAPSHOT + """
import nnlib
X, y = nnlib.data.spiral(20, 3, seed=0)
nnlib.data.vertical(10, 2, seed=1)
net = nnlib.Network(
    [nnlib.Dense(2, 8, rng=0), nnlib.ReLU(), nnlib.Dense(8, 3, rng=1)],
    nnlib.SoftmaxCrossEntropy(), nnlib.Adam(0.01))
net.fit(X, y, 3, batch_size=16, rng=2, verbose=False)
nnlib.check_network(net, X[:5], y[:5])
nnlib.exercises.check_relu(lambda z: np.maximum(0, z), verbose=False)
assert_numpy_untouched("by using nnlib")
print("ok")
""")
    assert out.strip() == "ok"


def test_the_snapshot_would_notice_nnfs_init():
    # The check above must be able to fail: nnfs.init() is exactly what it should catch.
    result = subprocess.run(
        [sys.executable, "-c", SNAPSHOT + "\nimport nnfs\nnnfs.init()\nassert_numpy_untouched('x')"],
        capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "was replaced" in result.stderr


def test_import_does_not_load_pyplot():
    out = run_python("""
import sys
import nnlib
print("matplotlib.pyplot" in sys.modules)
""")
    assert out.strip() == "False"


def test_source_never_calls_nnfs_init():
    # Parse the code (so comments and docstrings that *mention* nnfs.init() do not count)
    # and look for any call to something named init that comes from nnfs.
    files = sorted(NNLIB_DIR.glob("*.py"))
    assert len(files) >= 10
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("nnfs"):
                names = {alias.name for alias in node.names}
                assert "init" not in names and "*" not in names, f"{path.name} imports nnfs.init"
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                if node.func.attr == "init" and isinstance(node.func.value, ast.Name):
                    assert node.func.value.id != "nnfs", f"{path.name}:{node.lineno} calls nnfs.init()"
