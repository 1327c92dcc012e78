"""Tests for nnlib.experiments: claims measured over seeds.

The run functions here are deterministic functions of the seed, so every
expected median, range, count and difference is worked out by hand below.
"""

from __future__ import annotations

import math
from html.parser import HTMLParser

import numpy as np
import pytest

import nnlib
from nnlib.experiments import MAX_SEED_COLUMNS, PairedComparison, SeedResults, SettingsResults, over_seeds

SEEDS = [3, 1, 4, 5, 9]


def square_and_countdown(seed):
    return {"a": seed**2, "b": 10.0 - seed}


# By hand, for SEEDS = 3, 1, 4, 5, 9:
A = [9, 1, 16, 25, 81]  # median 16, min 1, max 81, mean 132 / 5 = 26.4
B = [7, 9, 6, 5, 1]  # median 6, min 1, max 9
A_MINUS_B = [2, -8, 10, 20, 80]  # a lower in 1 seed (seed 1), higher in 4; median 10


def test_summary_values_by_hand():
    res = over_seeds(square_and_countdown, seeds=SEEDS)
    assert isinstance(res, SeedResults)
    assert res.seeds == (3, 1, 4, 5, 9) and res.metrics == ("a", "b")
    np.testing.assert_array_equal(res.values("a"), A)
    np.testing.assert_array_equal(res.values("b"), B)
    assert (res.median("a"), res.min("a"), res.max("a")) == (16.0, 1.0, 81.0)
    assert (res.median("b"), res.min("b"), res.max("b")) == (6.0, 1.0, 9.0)
    assert res.mean("a") == pytest.approx(26.4)
    # squared deviations from 26.4: 302.76 + 645.16 + 108.16 + 1.96 + 2981.16 = 4039.2
    assert res.sem("a") == pytest.approx(math.sqrt(4039.2 / 4) / math.sqrt(5))
    assert res.runs[1] == {"a": 1.0, "b": 9.0}  # seed 1, the second seed run


def test_median_of_an_even_number_of_seeds_is_the_middle_mean():
    res = over_seeds(lambda s: {"x": float(s)}, seeds=[0, 1, 2, 10])
    assert res.median("x") == 1.5


def test_count_and_compare_by_hand():
    res = over_seeds(square_and_countdown, seeds=SEEDS)
    assert res.count(lambda r: r["a"] > r["b"]) == 4
    assert res.count(lambda r: r["a"] < 0) == 0
    cmp = res.compare("a", "b")
    assert isinstance(cmp, PairedComparison)
    np.testing.assert_array_equal(cmp.differences, A_MINUS_B)
    assert (cmp.n, cmp.lower, cmp.higher, cmp.ties) == (5, 1, 4, 0)
    assert (cmp.median, cmp.min, cmp.max) == (10.0, -8.0, 80.0)
    text = repr(cmp)
    assert "a lower in 1 of 5 seeds, higher in 4" in text
    assert "median 10.00" in text and "range [-8.000, 80.00]" in text


def test_compare_counts_ties():
    res = over_seeds(lambda s: {"x": float(s % 2), "y": 0.0}, seeds=range(5))  # x = 0 1 0 1 0
    cmp = res.compare("x", "y")
    assert (cmp.lower, cmp.higher, cmp.ties) == (0, 2, 3)
    assert "equal in 3" in repr(cmp)


def test_values_returns_a_copy():
    res = over_seeds(square_and_countdown, seeds=SEEDS)
    res.values("a")[:] = -1
    assert res.median("a") == 16.0


def test_fn_is_called_once_per_seed_in_order_and_results_are_deterministic():
    calls = []

    def run(seed):
        calls.append(seed)
        rng = np.random.default_rng(seed)
        return {"noise": float(rng.standard_normal())}

    first = over_seeds(run, seeds=SEEDS)
    assert calls == SEEDS
    second = over_seeds(run, seeds=SEEDS)
    assert first.runs == second.runs and repr(first) == repr(second)
    expected = [np.random.default_rng(s).standard_normal() for s in SEEDS]
    np.testing.assert_array_equal(first.values("noise"), expected)


@pytest.mark.parametrize("value", [3, np.float32(0.25), np.int64(7), np.array(0.5), np.float64(1e-3)])
def test_numbers_of_any_numpy_kind_are_accepted_as_floats(value):
    res = over_seeds(lambda s: {"v": value}, seeds=[0])
    assert res.runs[0]["v"] == float(value) and isinstance(res.runs[0]["v"], float)


# --------------------------------------------------------------------------- display


def test_text_table_shows_summary_and_every_seed():
    text = repr(over_seeds(square_and_countdown, seeds=SEEDS))
    lines = text.splitlines()
    assert lines[0] == "5 seeds (3, 1, 4, 5, 9)"
    assert lines[1].split() == ["metric", "median", "min", "max", "|",
                                "seed", "3", "seed", "1", "seed", "4", "seed", "5", "seed", "9"]
    assert lines[2].split() == ["a", "16.00", "1.000", "81.00", "|", "9.000", "1.000", "16.00", "25.00",
                                "81.00"]
    assert lines[3].split()[:4] == ["b", "6.000", "1.000", "9.000"]
    assert str(over_seeds(square_and_countdown, seeds=SEEDS)) == text


def test_consecutive_seeds_are_shown_as_a_range_and_many_seeds_without_columns():
    res = over_seeds(lambda s: {"x": float(s)}, seeds=range(MAX_SEED_COLUMNS + 1))
    lines = repr(res).splitlines()
    assert lines[0] == f"{MAX_SEED_COLUMNS + 1} seeds (0..{MAX_SEED_COLUMNS})"
    assert lines[1].split() == ["metric", "median", "min", "max"]


class _Cells(HTMLParser):
    """Collects the text of every table caption and cell."""

    def __init__(self):
        super().__init__()
        self.tables, self.captions, self.cells, self._tag = 0, [], [], None

    def handle_starttag(self, tag, attrs):
        self.tables += tag == "table"
        self._tag = tag

    def handle_data(self, data):
        if self._tag == "caption":
            self.captions.append(data)
        elif self._tag in ("th", "td"):
            self.cells.append(data)

    def handle_endtag(self, tag):
        self._tag = None


def test_html_and_markdown_tables():
    res = over_seeds({"lr <0.1>": square_and_countdown}, seeds=SEEDS)["lr <0.1>"]
    parser = _Cells()
    parser.feed(res._repr_html_())
    assert parser.tables == 1 and parser.captions == ["lr <0.1>: 5 seeds (3, 1, 4, 5, 9)"]
    assert parser.cells[:9] == ["metric", "median", "min", "max"] + [f"seed {s}" for s in SEEDS]
    assert parser.cells[9:13] == ["a", "16.00", "1.000", "81.00"]
    assert "<0.1>" not in res._repr_html_()  # escaped
    md = res.to_markdown().splitlines()
    assert md[0] == "lr <0.1>: 5 seeds (3, 1, 4, 5, 9)" and md[1] == ""
    assert md[2] == "| metric | median | min | max | seed 3 | seed 1 | seed 4 | seed 5 | seed 9 |"
    assert md[3].startswith("| --- | ---: |")
    assert md[4] == "| a | 16.00 | 1.000 | 81.00 | 9.000 | 1.000 | 16.00 | 25.00 | 81.00 |"


# --------------------------------------------------------------------------- settings side by side


def _settings():
    return {
        "slow": square_and_countdown,
        "fast": lambda s: {"a": s**2 - (s % 3), "b": 10.0 - seed_shift(s)},
    }


def seed_shift(s):
    return s + 1


# For SEEDS 3 1 4 5 9: fast a = 9-0, 1-1, 16-1, 25-2, 81-0 = 9, 0, 15, 23, 81; fast b = 6, 8, 5, 4, 0


def test_settings_side_by_side():
    res = over_seeds(_settings(), seeds=SEEDS)
    assert isinstance(res, SettingsResults)
    assert res.settings == ("slow", "fast") and list(res) == ["slow", "fast"] and len(res) == 2
    assert res.seeds == tuple(SEEDS) and res.metrics == ("a", "b")
    np.testing.assert_array_equal(res["fast"].values("a"), [9, 0, 15, 23, 81])
    assert res["fast"].median("a") == 15.0 and res["slow"].median("a") == 16.0
    assert res["fast"].name == "fast"
    cmp = res.compare("a", "fast", "slow")  # differences 0, -1, -1, -2, 0
    np.testing.assert_array_equal(cmp.differences, [0, -1, -1, -2, 0])
    assert (cmp.lower, cmp.higher, cmp.ties, cmp.median) == (3, 0, 2, -1.0)
    assert cmp.metric == "a" and repr(cmp).startswith("a: fast vs slow over 5 seeds")
    assert res.count(lambda r: r["fast"]["b"] < r["slow"]["b"]) == 5


def test_settings_table_has_one_block_per_metric():
    text = repr(over_seeds(_settings(), seeds=SEEDS))
    blocks = text.split("\n\n")
    assert len(blocks) == 2
    a_lines = blocks[0].splitlines()
    assert a_lines[0] == "a over 5 seeds (3, 1, 4, 5, 9)"
    assert a_lines[1].split()[:4] == ["setting", "median", "min", "max"]
    assert a_lines[2].split()[:4] == ["slow", "16.00", "1.000", "81.00"]
    assert a_lines[3].split()[:4] == ["fast", "15.00", "0.000", "81.00"]
    assert blocks[1].startswith("b over 5 seeds")
    parser = _Cells()
    parser.feed(over_seeds(_settings(), seeds=SEEDS)._repr_html_())
    assert parser.tables == 2 and parser.captions[1] == "b over 5 seeds (3, 1, 4, 5, 9)"
    assert over_seeds(_settings(), seeds=SEEDS).to_markdown().count("| setting |") == 2


def test_settings_unknown_names():
    res = over_seeds(_settings(), seeds=SEEDS)
    with pytest.raises(KeyError, match=r"no setting 'medium'.*\['slow', 'fast'\]"):
        res["medium"]
    with pytest.raises(KeyError, match=r"no metric 'c'.*\['a', 'b'\]"):
        res.compare("c", "slow", "fast")


def test_settings_must_return_the_same_metrics():
    with pytest.raises(ValueError, match=r"setting 'two' returned the metrics \['a'\] but 'one'"):
        over_seeds({"one": square_and_countdown, "two": lambda s: {"a": 1.0}}, seeds=SEEDS)


@pytest.mark.parametrize(("settings", "error", "match"), [
    ({}, ValueError, "dict of settings is empty"),
    ({1: square_and_countdown}, TypeError, "setting names must be strings"),
    ({"x": 3.0}, TypeError, "setting 'x' must map to a function"),
])
def test_bad_settings(settings, error, match):
    with pytest.raises(error, match=match):
        over_seeds(settings, seeds=SEEDS)


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("seeds", [[], range(0), ()])
def test_no_seeds(seeds):
    with pytest.raises(ValueError, match="seeds is empty"):
        over_seeds(square_and_countdown, seeds=seeds)


@pytest.mark.parametrize(("seeds", "match"), [
    (5, r"sequence of integer seeds such as range\(5\)"),
    (None, "sequence of integer seeds"),
    ([0, 1.5], r"every seed must be an integer, got 1\.5"),
    ([0, True], "every seed must be an integer, got True"),
    (["0"], "every seed must be an integer"),
])
def test_bad_seeds(seeds, match):
    with pytest.raises(TypeError, match=match):
        over_seeds(square_and_countdown, seeds=seeds)


def test_repeated_seeds():
    with pytest.raises(ValueError, match=r"seed\(s\) \[1\] appear more than once"):
        over_seeds(square_and_countdown, seeds=[1, 2, 1])


@pytest.mark.parametrize(("returned", "error", "match"), [
    ([0.1, 0.2], TypeError, r"run\(seed=0\) returned list; it must return a dict"),
    (0.3, TypeError, "returned float; it must return a dict"),
    ({}, ValueError, "returned an empty dict"),
    ({"loss": "0.3"}, TypeError, r"'loss' = '0.3' \(str\); every metric must be a single real number"),
    ({"loss": None}, TypeError, "every metric must be a single real number"),
    ({"loss": np.array([0.1, 0.2])}, TypeError, r"of shape \(2,\)"),
    ({"loss": 1 + 2j}, TypeError, "single real number"),
    ({"converged": True}, TypeError, "a boolean"),
    ({"loss": float("nan")}, ValueError, r"run\(seed=0\) returned 'loss' = nan.*finite"),
    ({"loss": np.inf}, ValueError, "'loss' = inf"),
    ({3: 0.1}, TypeError, "metric names must be strings"),
])
def test_fn_returning_something_unusable(returned, error, match):
    def run(seed):
        return returned

    with pytest.raises(error, match=match):
        over_seeds(run, seeds=range(5))


def test_nan_in_a_later_seed_names_that_seed():
    def run(seed):
        return {"loss": float("nan") if seed == 3 else 0.5}

    with pytest.raises(ValueError, match=r"run\(seed=3\) returned 'loss' = nan"):
        over_seeds(run, seeds=range(5))


def test_different_keys_across_seeds():
    def run(seed):
        return {"loss": 0.1, "acc": 0.9} if seed < 2 else {"loss": 0.1, "accuracy": 0.9}

    with pytest.raises(ValueError, match=r"run\(seed=2\).*run\(seed=0\).*missing \['acc'\], "
                                         r"extra \['accuracy'\]"):
        over_seeds(run, seeds=range(5))


def test_not_a_function():
    with pytest.raises(TypeError, match="fn must be a function of the seed"):
        over_seeds(42, seeds=range(5))


def test_an_exception_in_fn_says_which_seed():
    def run(seed):
        if seed == 2:
            raise RuntimeError("diverged")
        return {"loss": 0.1}

    with pytest.raises(RuntimeError, match="diverged") as info:
        over_seeds(run, seeds=range(5))
    assert any("run(seed=2)" in note for note in info.value.__notes__)


def test_predicate_must_return_a_boolean():
    res = over_seeds(square_and_countdown, seeds=SEEDS)
    with pytest.raises(TypeError, match="must return True or False, but for seed 3 it returned 9.0"):
        res.count(lambda r: r["a"])
    np_bool = res.count(lambda r: np.float64(r["a"]) > 5)  # numpy booleans are fine
    assert np_bool == 4  # 9, 16, 25, 81
    with pytest.raises(TypeError, match="must return True or False"):
        over_seeds(_settings(), seeds=SEEDS).count(lambda r: 1)


def test_unknown_metric_and_sem_of_one_seed():
    res = over_seeds(square_and_countdown, seeds=[0])
    with pytest.raises(KeyError, match=r"no metric 'loss'.*\['a', 'b'\]"):
        res.median("loss")
    with pytest.raises(ValueError, match="at least 2 seeds"):
        res.sem("a")


def test_exported_from_nnlib():
    assert nnlib.experiments.over_seeds is over_seeds
    assert "experiments" in nnlib.__all__
