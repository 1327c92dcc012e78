"""Claims measured over seeds: run an experiment several times and summarise it.

One training run is an anecdote. Another random seed (other initial weights,
other training data) can reverse a difference that looked clear, so a claim
such as "full-batch training ends with a lower test loss" is measured over at
least 5 seeds, on a test set large enough that its own noise is small (fresh
spiral points are free: use thousands), and reported as median and range.

Write the experiment as a function of the seed that returns named numbers::

    def run(seed):
        X, y = nnlib.data.spiral(100, 3, seed=seed)                # data depend on the seed
        X_test, y_test = nnlib.data.spiral(1000, 3, seed=10_000 + seed)
        net = ...                                                  # and so do the weights: rng=seed
        early, final = ...
        return {"early_loss": early, "final_loss": final}

    results = nnlib.experiments.over_seeds(run, seeds=range(5))
    print(results)                         # metric | median | min | max | one column per seed
    results.median("final_loss")           # a float; also .min, .max, .mean, .sem
    results.values("final_loss")           # the 5 values as an array, in seed order
    results.count(lambda r: r["final_loss"] < r["early_loss"])   # in how many seeds: 0..5
    results.compare("final_loss", "early_loss")                  # paired, seed by seed

Settings side by side: pass a dict of run functions. Every setting runs on the
same seeds, so the comparison is paired (seed 3 of one setting against seed 3
of the other)::

    results = over_seeds({"batch 32": run32, "full batch": run_full}, seeds=range(5))
    print(results)                         # one table per metric, one row per setting
    results["batch 32"].median("test_loss")
    cmp = results.compare("test_loss", "batch 32", "full batch")
    print(cmp)                             # lower in 4 of 5 seeds; difference median, range
    assert cmp.lower >= 4                  # a check cell asserts the robust form of a claim

In a notebook, the results display as HTML tables; ``to_markdown()`` gives
the same tables as Markdown text.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np

#: Tables show one column per seed up to this many seeds, only the summary beyond.
MAX_SEED_COLUMNS = 10


def _fmt(x: float) -> str:
    return f"{x:#.4g}"  # 4 significant digits, trailing zeros kept: columns line up


def _seed_text(seeds: tuple[int, ...]) -> str:
    n = len(seeds)
    if n > 2 and seeds == tuple(range(seeds[0], seeds[0] + n)):
        listed = f"{seeds[0]}..{seeds[-1]}"
    else:
        listed = ", ".join(str(s) for s in seeds)
    return f"{n} seed{'s' if n != 1 else ''} ({listed})"


def _text_table(header: list[str], rows: list[list[str]], split: int) -> str:
    """Left-aligned first column, right-aligned numbers, a '|' before column ``split``."""
    widths = [max(len(r[c]) for r in [header, *rows]) for c in range(len(header))]
    lines = []
    for r in [header, *rows]:
        cells = [r[0].ljust(widths[0])] + [cell.rjust(w) for cell, w in zip(r[1:], widths[1:], strict=True)]
        if split < len(cells):
            cells.insert(split, "|")
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def _html_table(header: list[str], rows: list[list[str]], caption: str) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + f"<th>{html.escape(r[0])}</th>"
        + "".join(f'<td style="text-align: right">{html.escape(c)}</td>' for c in r[1:]) + "</tr>"
        for r in rows)
    return (f"<table><caption>{html.escape(caption)}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table>")


def _markdown_table(header: list[str], rows: list[list[str]]) -> str:
    def line(cells):
        return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

    return "\n".join([line(header), "|" + "|".join([" --- "] + [" ---: "] * (len(header) - 1)) + "|",
                      *(line(r) for r in rows)])


@dataclass(frozen=True)
class PairedComparison:
    """``first - second`` seed by seed, as returned by ``compare``.

    ``first`` and ``second`` name two metrics of one run, or two settings (then
    ``metric`` says which metric). ``differences[i]`` is ``first - second`` for
    ``seeds[i]``. ``lower`` counts the seeds where ``first`` is lower, ``higher``
    where it is higher, ``ties`` where they are equal; ``median``, ``min`` and
    ``max`` summarise the differences. A check cell asserts a count
    (``cmp.lower >= 4``), never one seed.
    """

    first: str
    second: str
    seeds: tuple[int, ...]
    differences: np.ndarray
    metric: str | None = None

    @property
    def n(self) -> int:
        return len(self.seeds)

    @property
    def lower(self) -> int:
        return int(np.sum(self.differences < 0))

    @property
    def higher(self) -> int:
        return int(np.sum(self.differences > 0))

    @property
    def ties(self) -> int:
        return self.n - self.lower - self.higher

    @property
    def median(self) -> float:
        return float(np.median(self.differences))

    @property
    def min(self) -> float:
        return float(self.differences.min())

    @property
    def max(self) -> float:
        return float(self.differences.max())

    def __repr__(self) -> str:
        ties = f", equal in {self.ties}" if self.ties else ""
        what = f"{self.metric}: " if self.metric else ""
        return (f"{what}{self.first} vs {self.second} over {_seed_text(self.seeds)}\n"
                f"  {self.first} lower in {self.lower} of {self.n} seeds, higher in {self.higher}{ties}\n"
                f"  {self.first} - {self.second}: median {_fmt(self.median)}, "
                f"range [{_fmt(self.min)}, {_fmt(self.max)}]")


class SeedResults:
    """The numbers one run function returned for each seed, with their summary.

    ``seeds`` (tuple, in the order run), ``metrics`` (the names, in the order
    the function returned them) and ``runs`` (one dict per seed). Build it with
    :func:`over_seeds`.
    """

    def __init__(self, seeds: tuple[int, ...], runs: list[dict[str, float]], name: str | None = None):
        self.seeds = tuple(seeds)
        self.name = name
        self.metrics = tuple(runs[0])
        self.runs = tuple(dict(r) for r in runs)
        self._table = np.array([[r[m] for m in self.metrics] for r in runs], dtype=np.float64)

    def _column(self, metric: str) -> np.ndarray:
        if metric not in self.metrics:
            raise KeyError(f"no metric {metric!r}; the run function returned {list(self.metrics)}.")
        return self._table[:, self.metrics.index(metric)]

    def values(self, metric: str) -> np.ndarray:
        """The metric for every seed, in the order of ``seeds`` (a new array)."""
        return self._column(metric).copy()

    def median(self, metric: str) -> float:
        return float(np.median(self._column(metric)))

    def min(self, metric: str) -> float:
        return float(self._column(metric).min())

    def max(self, metric: str) -> float:
        return float(self._column(metric).max())

    def mean(self, metric: str) -> float:
        return float(self._column(metric).mean())

    def sem(self, metric: str) -> float:
        """Standard error of the mean, ``std(ddof=1) / sqrt(n)``; needs 2 seeds or more."""
        v = self._column(metric)
        if v.size < 2:
            raise ValueError("the standard error needs at least 2 seeds.")
        return float(v.std(ddof=1) / np.sqrt(v.size))

    def count(self, predicate: Callable[[dict[str, float]], bool]) -> int:
        """In how many seeds ``predicate(run)`` is True; ``run`` is that seed's dict of metrics."""
        hits = 0
        for seed, run in zip(self.seeds, self.runs, strict=True):
            verdict = predicate(dict(run))
            if not isinstance(verdict, (bool, np.bool_)):
                raise TypeError(f"the predicate must return True or False, but for seed {seed} it "
                                f"returned {verdict!r}. Write a comparison, e.g. "
                                "lambda r: r['final_loss'] < r['early_loss'].")
            hits += bool(verdict)
        return hits

    def compare(self, first: str, second: str) -> PairedComparison:
        """Metric ``first`` against metric ``second`` of the same run, seed by seed."""
        return PairedComparison(first, second, self.seeds, self._column(first) - self._column(second))

    # ------------------------------------------------------------------ display
    def _rows(self):
        per_seed = len(self.seeds) <= MAX_SEED_COLUMNS
        header = ["metric", "median", "min", "max"] + ([f"seed {s}" for s in self.seeds] if per_seed else [])
        rows = [[m, _fmt(self.median(m)), _fmt(self.min(m)), _fmt(self.max(m))]
                + ([_fmt(v) for v in self._column(m)] if per_seed else []) for m in self.metrics]
        return header, rows

    def _title(self) -> str:
        return (f"{self.name}: " if self.name else "") + _seed_text(self.seeds)

    def __repr__(self) -> str:
        header, rows = self._rows()
        return self._title() + "\n" + _text_table(header, rows, split=4)

    def _repr_html_(self) -> str:
        return _html_table(*self._rows(), caption=self._title())

    def to_markdown(self) -> str:
        return f"{self._title()}\n\n{_markdown_table(*self._rows())}"


class SettingsResults(Mapping):
    """Several settings run on the same seeds: ``results[setting]`` is a :class:`SeedResults`.

    Every setting returned the same metrics. It prints one table per metric,
    one row per setting. Build it with :func:`over_seeds` and a dict of run functions.
    """

    def __init__(self, by_setting: dict[str, SeedResults]):
        self._by_setting = dict(by_setting)
        first = next(iter(self._by_setting.values()))
        self.settings = tuple(self._by_setting)
        self.seeds = first.seeds
        self.metrics = first.metrics

    def __getitem__(self, setting: str) -> SeedResults:
        if setting not in self._by_setting:
            raise KeyError(f"no setting {setting!r}; the settings are {list(self.settings)}.")
        return self._by_setting[setting]

    def __iter__(self):
        return iter(self._by_setting)

    def __len__(self) -> int:
        return len(self._by_setting)

    def count(self, predicate: Callable[[dict[str, dict[str, float]]], bool]) -> int:
        """In how many seeds ``predicate(run)`` is True; ``run[setting][metric]`` is that seed's value.

        For example ``results.count(lambda r: r["batch 32"]["loss"] < r["full batch"]["loss"])``.
        """
        hits = 0
        for i, seed in enumerate(self.seeds):
            run = {s: dict(res.runs[i]) for s, res in self._by_setting.items()}
            verdict = predicate(run)
            if not isinstance(verdict, (bool, np.bool_)):
                raise TypeError(f"the predicate must return True or False, but for seed {seed} it "
                                f"returned {verdict!r}.")
            hits += bool(verdict)
        return hits

    def compare(self, metric: str, first: str, second: str) -> PairedComparison:
        """``metric`` of setting ``first`` against setting ``second``, seed by seed."""
        diff = self[first].values(metric) - self[second].values(metric)
        return PairedComparison(first, second, self.seeds, diff, metric=metric)

    # ------------------------------------------------------------------ display
    def _rows(self, metric: str):
        per_seed = len(self.seeds) <= MAX_SEED_COLUMNS
        header = ["setting", "median", "min", "max"] + ([f"seed {s}" for s in self.seeds] if per_seed else [])
        rows = [[s, _fmt(r.median(metric)), _fmt(r.min(metric)), _fmt(r.max(metric))]
                + ([_fmt(v) for v in r.values(metric)] if per_seed else [])
                for s, r in self._by_setting.items()]
        return header, rows

    def _title(self, metric: str) -> str:
        return f"{metric} over {_seed_text(self.seeds)}"

    def __repr__(self) -> str:
        return "\n\n".join(self._title(m) + "\n" + _text_table(*self._rows(m), split=4)
                           for m in self.metrics)

    def _repr_html_(self) -> str:
        return "".join(_html_table(*self._rows(m), caption=self._title(m)) for m in self.metrics)

    def to_markdown(self) -> str:
        return "\n\n".join(f"{self._title(m)}\n\n{_markdown_table(*self._rows(m))}" for m in self.metrics)


# ---------------------------------------------------------------------- running
def _check_seeds(seeds) -> tuple[int, ...]:
    if isinstance(seeds, (int, np.integer)) or not isinstance(seeds, Iterable):
        raise TypeError(f"seeds must be a sequence of integer seeds such as range(5), got {seeds!r}.")
    seeds = tuple(seeds)
    if not seeds:
        raise ValueError("seeds is empty: pass at least one seed, e.g. seeds=range(5). A claim that "
                         "one setting beats another needs 5 or more.")
    for s in seeds:
        if isinstance(s, (bool, np.bool_)) or not isinstance(s, (int, np.integer)):
            raise TypeError(f"every seed must be an integer, got {s!r} ({type(s).__name__}).")
    if len(set(seeds)) != len(seeds):
        repeated = sorted({s for s in seeds if seeds.count(s) > 1})
        raise ValueError(f"seed(s) {repeated} appear more than once; a repeated seed repeats the same "
                         "run and is no extra evidence.")
    return tuple(int(s) for s in seeds)


def _number(value, where: str, metric: str) -> float:
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{where} returned {metric!r} = {value!r}, a boolean. Return a number, e.g. "
                        f"float({metric}), or count yes/no outcomes with results.count(...).")
    kind = getattr(np.asarray(value), "dtype", None)
    if np.ndim(value) != 0 or kind is None or kind.kind not in "iuf":
        shape = f" of shape {np.shape(value)}" if np.ndim(value) else ""
        raise TypeError(f"{where} returned {metric!r} = {value!r} ({type(value).__name__}{shape}); "
                        "every metric must be a single real number, e.g. float(loss).")
    x = float(value)
    if not np.isfinite(x):
        raise ValueError(f"{where} returned {metric!r} = {x}. Every metric must be finite; if a run "
                         "can diverge, catch that and return it as its own metric (e.g. "
                         "'diverged': 1.0) rather than a NaN that a median would hide or spread.")
    return x


def _run_all(fn, seeds: tuple[int, ...], label: str) -> list[dict[str, float]]:
    """Run ``fn`` on every seed and check what it returns; messages name the call as ``label(seed=...)``."""
    runs = []
    for seed in seeds:
        where = f"{label}(seed={seed})"
        try:
            out = fn(seed)
        except Exception as exc:
            exc.add_note(f"(raised by {where}, called from nnlib.experiments.over_seeds)")
            raise
        if not isinstance(out, Mapping):
            raise TypeError(f"{where} returned {type(out).__name__}; it must return a dict of named "
                            "numbers, e.g. {'test_loss': 0.41, 'test_acc': 0.87}.")
        if not out:
            raise ValueError(f"{where} returned an empty dict; return at least one named number.")
        for key in out:
            if not isinstance(key, str):
                raise TypeError(f"{where} returned a metric named {key!r}; metric names must be strings.")
        run = {k: _number(v, where, k) for k, v in out.items()}
        if runs and set(run) != set(runs[0]):
            missing, extra = sorted(set(runs[0]) - set(run)), sorted(set(run) - set(runs[0]))
            raise ValueError(f"{where} returned the metrics {sorted(run)} but {label}(seed={seeds[0]}) "
                             f"returned {sorted(runs[0])} (missing {missing}, extra {extra}). Every "
                             "seed must return the same names.")
        runs.append(run)
    return runs


def over_seeds(fn, seeds: Iterable[int]) -> SeedResults | SettingsResults:
    """Call ``fn(seed)`` for every seed and collect the named numbers it returns.

    ``fn(seed)`` returns a dict ``{metric name: number}`` with the same names for
    every seed; the numbers must be finite. The seed should fix everything random
    in the run (initial weights *and* data), so that the seeds are independent
    repetitions. Returns a :class:`SeedResults`.

    ``fn`` may also be a dict ``{setting name: run function}``: every setting runs
    on the same seeds and must return the same metrics; returns a
    :class:`SettingsResults` whose ``compare(metric, a, b)`` pairs the settings
    seed by seed.
    """
    seeds = _check_seeds(seeds)
    if isinstance(fn, Mapping):
        if not fn:
            raise ValueError("the dict of settings is empty; pass {'name': run_function, ...}.")
        by_setting = {}
        for name, run in fn.items():
            if not isinstance(name, str):
                raise TypeError(f"setting names must be strings, got {name!r}.")
            if not callable(run):
                raise TypeError(f"setting {name!r} must map to a function of the seed, got {run!r}.")
            label = f"setting {name!r}: {getattr(run, '__name__', 'fn')}"
            by_setting[name] = SeedResults(seeds, _run_all(run, seeds, label), name=name)
        first_name, first = next(iter(by_setting.items()))
        for name, res in by_setting.items():
            if set(res.metrics) != set(first.metrics):
                raise ValueError(f"setting {name!r} returned the metrics {sorted(res.metrics)} but "
                                 f"{first_name!r} returned {sorted(first.metrics)}; every setting must "
                                 "return the same names, so that they can be compared.")
        return SettingsResults(by_setting)
    if not callable(fn):
        raise TypeError(f"fn must be a function of the seed (or a dict of them), got {fn!r}.")
    return SeedResults(seeds, _run_all(fn, seeds, getattr(fn, "__name__", "fn")))
