"""Tests generated from the exercise checks' catalogues (nnlib.exercises).

For every registered check:

* the reference and every correct alternative pass;
* every catalogued mistake fails, and the learner is shown that mistake's own hint and no other
  mistake's hint (so the cases separate every pair of mistakes);
* nothing the check does changes its own case data;
* the catalogue is broad enough: at least 3 mistakes per check and at least 5 on average.

Adding a mistake to a check's catalogue adds its test here; nothing else is needed.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

from nnlib import exercises

CHECKS = exercises.all_checks()

MISTAKES = [(name, m) for name, check in CHECKS.items() for m in check.mistakes]
ALTERNATIVES = [(name, desc, fn) for name, check in CHECKS.items() for desc, fn in check.alternatives]


def _run(check, fn, capsys):
    result = check(fn)
    return result, capsys.readouterr().out


@pytest.mark.parametrize("name", CHECKS)
def test_reference_passes(name, capsys):
    check = CHECKS[name]
    result, out = _run(check, check.reference, capsys)
    assert result is True, out
    assert out.startswith("✅") and f"all {len(check.cases)} test inputs" in out


@pytest.mark.parametrize(("name", "desc", "fn"), ALTERNATIVES, ids=[f"{n}-{d}" for n, d, _ in ALTERNATIVES])
def test_correct_alternative_passes(name, desc, fn, capsys):
    result, out = _run(CHECKS[name], fn, capsys)
    assert result is True, f"{desc}:\n{out}"


@pytest.mark.parametrize(("name", "mistake"), MISTAKES, ids=[f"{n}-{m.id}" for n, m in MISTAKES])
def test_mistake_gets_its_own_hint(name, mistake, capsys):
    check = CHECKS[name]
    result, out = _run(check, mistake.wrong, capsys)
    assert result is False, f"{mistake.id} was accepted:\n{out}"
    assert out.startswith("❌")
    assert f"hint: {mistake.hint}" in out, f"{mistake.id} did not get its hint:\n{out}"
    others = [m.id for m in check.mistakes if m is not mistake and m.hint in out]
    assert not others, f"{mistake.id} also shows the hints of {others}:\n{out}"


@pytest.mark.parametrize("name", CHECKS)
def test_every_mistake_is_identified_on_every_case(name):
    """Each mistake's behaviour on all cases singles it out (no two mistakes coincide)."""
    check = CHECKS[name]
    for mistake in check.mistakes:
        found, how = check.diagnose(check.mistake_outcomes[mistake.id])
        assert found is mistake and how == "every case", (mistake.id, found and found.id, how)


@pytest.mark.parametrize("name", CHECKS)
def test_check_never_changes_its_cases(name, capsys):
    check = CHECKS[name]
    before = copy.deepcopy(check.cases)

    def vandal(*args):  # changes every array it is given, then fails
        for a in args:
            if isinstance(a, np.ndarray) and a.size and a.dtype.kind == "f":
                a[...] = 123.0
        raise RuntimeError("boom")

    assert check(vandal) is False
    for m in check.mistakes:
        check(m.wrong, verbose=False)
    capsys.readouterr()
    for (d1, a1), (d2, a2) in zip(before, check.cases, strict=True):
        assert d1 == d2
        for x, y in zip(a1, a2, strict=True):
            if isinstance(x, np.ndarray):
                assert np.array_equal(x, y), f"{name}: case {d1!r} was changed"


@pytest.mark.parametrize("name", CHECKS)
def test_quiet_mode_prints_nothing(name, capsys):
    check = CHECKS[name]
    assert check(check.reference, verbose=False) is True
    assert check(lambda *args: None, verbose=False) is False
    assert capsys.readouterr().out == ""


def test_catalogue_is_broad_enough():
    counts = {name: len(check.mistakes) for name, check in CHECKS.items()}
    assert min(counts.values()) >= 3, counts
    assert sum(counts.values()) / len(counts) >= 5, counts


def test_every_check_names_its_chapter():
    from pathlib import Path

    book = Path(__file__).resolve().parent.parent / "book"
    slugs = {p.stem.split("_", 1)[1] for p in book.glob("[0-9][0-9]_*.ipynb")}
    for name, check in CHECKS.items():
        assert check.chapter in slugs, f"{name}: chapter {check.chapter!r} is not a notebook in book/"
