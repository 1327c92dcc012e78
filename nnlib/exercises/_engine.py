"""The engine behind every exercise check: a reference, cases, and a catalogue of known mistakes.

A :class:`Check` knows three things about an exercise:

* the **reference**, a correct implementation;
* the **cases**, inputs chosen so that every known mistake gives itself away on at least one of them
  (mixed scales, non-square shapes, a batch of one, values where a naive formula overflows, ...);
* the **mistakes**, a catalogue of small wrong implementations, each with the hint it earns.

Checking your function runs it, the reference and every catalogued mistake on every case (each on its
own deep copy of the inputs) and records an :class:`Outcome` for each run: the value returned, or the
exception raised, plus any NumPy warning and any input changed in place. If your outcomes match the
reference's, the check passes. Otherwise the mistake whose outcomes are the same as yours, on every
case, is the one you made, and you get its hint. So a hint is never a guess from the shape of the
answer alone: it is shown because a known wrong implementation does exactly what yours does.

When no catalogued mistake matches, you still get the case, what was expected, what you got and where
the two differ, entry by entry (and part by part for answers such as ``(dW, db, dX)``).
"""

from __future__ import annotations

import copy
import inspect
import textwrap
import warnings
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

OK = "✅"
BAD = "❌"
SMALL = 24  # arrays with at most this many entries are printed whole
WIDTH = 100  # messages are wrapped to this many characters, so they fit a notebook and a web page


def wrap(first: str, text: str, indent: int = 3) -> str:
    """``first + text`` wrapped to :data:`WIDTH`, continuation lines indented under ``text``."""
    pad = " " * (indent + len(first.lstrip()) if first.startswith(" ") else len(first))
    return textwrap.fill(text, width=WIDTH, initial_indent=first, subsequent_indent=pad,
                         break_long_words=False, break_on_hyphens=False)

class BadAnswer(Exception):
    """Raised by a check's ``call`` adapter when the learner's function *returned* something unusable.

    It is reported as "your function returned ...", never as "your function raised ...", because the
    learner's code did not raise: the check could not use what it gave back.
    """


@dataclass(frozen=True)
class Mistake:
    """A known wrong answer: a short ``id``, the ``hint`` it earns, and a ``wrong`` implementation.

    ``wrong`` has the same signature as the reference and makes exactly this mistake, as a learner
    would write it.
    """

    id: str
    hint: str
    wrong: Callable


@dataclass
class Outcome:
    """What one call of a function on one case did."""

    kind: str  # "value", "none", "raised" or "bad-answer"
    value: tuple = ()  # the returned arrays (one per part) when kind == "value"
    exception: str = ""  # the exception type, e.g. "ValueError"
    message: str = ""  # its message, or the BadAnswer message
    warnings: frozenset = frozenset()  # messages of NumPy RuntimeWarnings
    mutated: tuple = ()  # positions of the arguments changed in place


def _call_plainly(fn, args):
    return fn(*args)


def _as_parts(raw, parts):
    """Turn a returned value into a tuple of arrays, one per part (raising BadAnswer if impossible)."""
    if parts is None:
        try:
            return (np.asarray(raw),)
        except Exception as exc:  # e.g. a ragged list
            raise BadAnswer(f"returned something that is not an array ({exc}).") from None
    names = ", ".join(parts)
    if not isinstance(raw, (tuple, list)):
        raise BadAnswer(f"returned a {type(raw).__name__}; return a tuple ({names}).")
    if len(raw) != len(parts):
        raise BadAnswer(f"returned {len(raw)} value(s); return {len(parts)}: ({names}).")
    out = []
    for name, item in zip(parts, raw, strict=True):
        if item is None:
            raise BadAnswer(f"returned None for {name}: did you forget to compute or return it?")
        try:
            out.append(np.asarray(item))
        except Exception as exc:
            raise BadAnswer(f"returned a {name} that is not an array ({exc}).") from None
    return tuple(out)


def observe(fn, args, *, call=_call_plainly, parts=None) -> Outcome:
    """Run ``call(fn, args)`` on a deep copy of ``args`` and record what happened."""
    call_args = copy.deepcopy(args)
    raw = None
    with warnings.catch_warnings(record=True) as caught, np.errstate(
        over="warn", invalid="warn", divide="warn", under="ignore"
    ):
        warnings.simplefilter("always")
        try:
            raw = call(fn, call_args)
        except BadAnswer as exc:
            outcome = Outcome("bad-answer", message=str(exc))
        except Exception as exc:  # the learner's code may raise anything
            outcome = Outcome("raised", exception=type(exc).__name__, message=str(exc))
        else:
            if raw is None:
                outcome = Outcome("none")
            else:
                try:
                    outcome = Outcome("value", value=_as_parts(raw, parts))
                except BadAnswer as exc:
                    outcome = Outcome("bad-answer", message=str(exc))
    outcome.warnings = frozenset(
        str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)
    )
    outcome.mutated = tuple(i for i, (a, b) in enumerate(zip(args, call_args, strict=True)) if _changed(a, b))
    return outcome


def _changed(before, after) -> bool:
    if isinstance(before, np.ndarray):
        return not (
            isinstance(after, np.ndarray)
            and before.shape == after.shape
            and np.array_equal(before, after, equal_nan=True)
        )
    if isinstance(before, list):
        return before != after
    return False


def _numeric(a: np.ndarray) -> bool:
    return a.dtype.kind in "fiuc"


def _close(a: np.ndarray, b: np.ndarray, rtol: float, atol: float, nan_equal: bool) -> bool:
    if a.shape != b.shape:
        return False
    if not (_numeric(a) and _numeric(b)):
        return a.dtype == b.dtype and np.array_equal(a, b)
    return bool(np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=nan_equal))


def same_outcome(a: Outcome, b: Outcome, *, rtol=1e-9, atol=1e-12, loose=False) -> bool:
    """Do two runs behave alike? ``loose`` compares exceptions by type and warnings by presence only."""
    if a.kind != b.kind or a.mutated != b.mutated:
        return False
    if (bool(a.warnings) != bool(b.warnings)) if loose else (a.warnings != b.warnings):
        return False
    if a.kind == "raised":
        return a.exception == b.exception and (loose or a.message == b.message)
    if a.kind == "bad-answer":
        return a.message == b.message
    if a.kind == "value":
        return len(a.value) == len(b.value) and all(
            (x.dtype.kind == "b") == (y.dtype.kind == "b") and _close(x, y, rtol, atol, nan_equal=True)
            for x, y in zip(a.value, b.value, strict=True)
        )
    return True  # both returned None


# ---------------------------------------------------------------------------------------- display


def show(x, indent: int = 0) -> str:
    """An array (or number) as text, whole when small, summarised (never silently cut) when large."""
    if callable(x) and not isinstance(x, np.ndarray):
        return getattr(x, "__name__", repr(x))
    if isinstance(x, np.random.Generator):
        return "a numpy random Generator"
    arr = np.asarray(x)
    if arr.dtype == object:
        return repr(x)
    if arr.ndim == 0:
        return f"{arr.item():.10g}" if _numeric(arr) else repr(arr.item())
    if arr.size <= SMALL:
        text = np.array2string(arr, precision=4, suppress_small=False, max_line_width=WIDTH - indent)
    else:
        text = (f"array of shape {arr.shape}: "
                + np.array2string(arr, precision=4, threshold=SMALL, edgeitems=2,
                                  max_line_width=WIDTH - indent - 30))
    pad = " " * indent
    return text.replace("\n", "\n" + pad)


def _fmt(v) -> str:
    return f"{v:.6g}" if np.isscalar(v) and not isinstance(v, (bool, np.bool_)) else repr(v)


def where_they_differ(expected: np.ndarray, got: np.ndarray, rtol: float, atol: float) -> str:
    """One line saying how many entries differ, the first one and the largest one."""
    if got.shape != expected.shape:
        return f"the shape is {got.shape}, expected {expected.shape}."
    if not (_numeric(got) and _numeric(expected)):
        return f"the dtype is {got.dtype}, expected numbers like {expected.dtype}."
    with np.errstate(all="ignore"):
        gf, ef = got.astype(np.float64), expected.astype(np.float64)
        bad = ~np.isclose(gf, ef, rtol=rtol, atol=atol)
        if expected.ndim == 0:
            return f"expected {_fmt(ef.item())}, got {_fmt(gf.item())}."
        idx = np.argwhere(bad)
        first = tuple(int(i) for i in idx[0])
        diff = np.where(bad, np.abs(gf - ef), -1.0)
        diff = np.where(np.isnan(diff), np.inf, diff)
        worst = tuple(int(i) for i in np.unravel_index(np.argmax(diff), diff.shape))
    line = (f"{len(idx)} of {expected.size} entries differ; the first at {list(first)}: "
            f"expected {_fmt(ef[first])}, got {_fmt(gf[first])}")
    if worst != first:
        line += f"; the largest at {list(worst)}: expected {_fmt(ef[worst])}, got {_fmt(gf[worst])}"
    return line + "."


# ------------------------------------------------------------------------------------------ Check


@dataclass
class Check:
    """An exercise check: call it on your function, ``check(my_fn)``; it prints a verdict, returns a bool.

    Parameters
    ----------
    name : str
        What the learner's function computes, e.g. ``"softmax"``; used in the messages.
    signature : str
        The contract, e.g. ``"fn(z) -> P, z of shape (N, C)"``; shown by ``help`` and ``repr``.
    reference : callable
        A correct implementation.
    cases : list of (description, args)
        The inputs. ``args`` is a tuple passed as ``fn(*args)`` (through ``call`` if given).
    mistakes : list of Mistake
        The catalogue of known wrong answers.
    alternatives : list of (description, callable)
        Other correct implementations; the tests prove that each passes.
    parts : tuple of str, optional
        Names of the parts of a tuple answer, e.g. ``("dW", "db", "dX")``.
    call : callable, optional
        ``call(fn, args)`` runs the function and returns what is compared (default ``fn(*args)``).
        Raise :class:`BadAnswer` there when the returned value cannot be used.
    rtol, atol : float
        Tolerances for comparing with the reference.
    chapter : str
        The chapter slug whose exercises use this check.
    """

    name: str
    signature: str
    reference: Callable
    cases: list
    mistakes: list = field(default_factory=list)
    alternatives: list = field(default_factory=list)
    parts: tuple | None = None
    call: Callable = _call_plainly
    rtol: float = 1e-6
    atol: float = 1e-8
    chapter: str = ""
    _expected: list | None = field(default=None, init=False, repr=False)
    _mistake_outcomes: dict | None = field(default=None, init=False, repr=False)

    def __post_init__(self):
        if not self.cases:
            raise ValueError(f"check {self.name!r} needs at least one case.")
        ids = [m.id for m in self.mistakes]
        if len(ids) != len(set(ids)):
            raise ValueError(f"check {self.name!r} has two mistakes with the same id: {ids}.")
        self.__doc__ = f"Check ``{self.signature}``."

    def __repr__(self) -> str:
        return (f"<check {self.name}: {self.signature}; {len(self.cases)} cases, "
                f"{len(self.mistakes)} known mistakes>")

    # -- the runs -------------------------------------------------------------------------------

    def run(self, fn) -> list[Outcome]:
        """The outcome of ``fn`` on every case."""
        return [observe(fn, args, call=self.call, parts=self.parts) for _, args in self.cases]

    @property
    def expected(self) -> list[Outcome]:
        """The reference's outcome on every case (computed once)."""
        if self._expected is None:
            outs = self.run(self.reference)
            for (desc, _), out in zip(self.cases, outs, strict=True):
                if out.kind != "value" or out.warnings or out.mutated:
                    raise RuntimeError(f"the reference of check {self.name!r} misbehaves on {desc!r}: {out}")
            self._expected = outs
        return self._expected

    @property
    def mistake_outcomes(self) -> dict[str, list[Outcome]]:
        """Every catalogued mistake's outcome on every case (computed once)."""
        if self._mistake_outcomes is None:
            self._mistake_outcomes = {m.id: self.run(m.wrong) for m in self.mistakes}
        return self._mistake_outcomes

    def correct(self, got: Outcome, expected: Outcome) -> bool:
        """Is one outcome a right answer?"""
        if got.kind != "value" or got.warnings or got.mutated or len(got.value) != len(expected.value):
            return False
        for g, e in zip(got.value, expected.value, strict=True):
            if g.dtype.kind == "b" and e.dtype.kind != "b":
                return False
            if not _close(g, e, self.rtol, self.atol, nan_equal=False):
                return False
        return True

    # -- diagnosis ------------------------------------------------------------------------------

    def diagnose(self, outcomes: list[Outcome]) -> tuple[Mistake | None, str]:
        """The catalogued mistake that explains ``outcomes`` and how sure the match is.

        Returns ``(mistake, "every case")`` when the mistake behaves exactly like the learner's
        function on every case, ``(mistake, "the failing cases")`` when it does on every case that
        failed, ``(mistake, "this case")`` when only the first failing case matches, else
        ``(None, "")``. Each step is taken only when exactly one mistake fits.
        """
        failing = [i for i, (o, e) in enumerate(zip(outcomes, self.expected, strict=True))
                   if not self.correct(o, e)]
        if not failing:
            return None, ""
        tries = [
            ("every case", range(len(outcomes)), False),
            ("every case", range(len(outcomes)), True),
            ("the failing cases", failing, True),
            ("this case", failing[:1], True),
        ]
        for how, which, loose in tries:
            fits = [m for m in self.mistakes
                    if all(same_outcome(outcomes[i], self.mistake_outcomes[m.id][i], loose=loose)
                           for i in which)]
            if len(fits) == 1:
                return fits[0], how
            if len(fits) > 1 and how == "every case":
                return fits[0], how  # mistakes that coincide everywhere: the catalogue's order decides
        return None, ""

    def __call__(self, fn, *, verbose: bool = True, name: str | None = None) -> bool:
        if not callable(fn):
            raise TypeError(f"pass your function itself, e.g. check(my_function), not a {type(fn).__name__}.")
        outcomes = self.run(fn)
        failing = [i for i, (o, e) in enumerate(zip(outcomes, self.expected, strict=True))
                   if not self.correct(o, e)]
        label = name or self.name
        if not failing:
            if verbose:
                print(f"{OK} {label} is correct on all {len(self.cases)} test inputs.")
            return True
        if verbose:
            mistake, how = self.diagnose(outcomes)
            print(self.report(label, failing[0], outcomes[failing[0]], mistake, how))
        return False

    # -- the report -----------------------------------------------------------------------------

    def _arg_names(self) -> list[str]:
        try:
            params = list(inspect.signature(self.reference).parameters)
        except (TypeError, ValueError):
            params = []
        n = len(self.cases[0][1])
        return params[:n] if len(params) >= n else [f"input {i + 1}" for i in range(n)]

    def report(self, label, i, got: Outcome, mistake, how) -> str:
        desc, args = self.cases[i]
        expected = self.expected[i]
        lines = [wrap(f"{BAD} ", f"{label} is not right yet: {self._what(got, expected)}"),
                 wrap("   ", f"case {i + 1} of {len(self.cases)}: {desc}")]
        for arg_name, a in zip(self._arg_names(), args, strict=True):
            lines.append(f"   {arg_name} = {show(a, indent=6 + len(arg_name))}")
        lines.extend(self._comparison(got, expected))
        if mistake is not None:
            prefix = "" if how != "this case" else "(on this case your answer matches a known mistake) "
            lines.append(wrap("   hint: ", prefix + mistake.hint))
        else:
            generic = self._generic_hint(got, expected)
            if generic:
                lines.append(wrap("   hint: ", generic))
        return "\n".join(lines)

    def _what(self, got: Outcome, expected: Outcome) -> str:
        if got.kind == "raised":
            return f"your function raised {got.exception}: {got.message}"
        if got.kind == "bad-answer":
            return f"your function {got.message}"
        if got.kind == "none":
            return "your function returned None."
        if got.mutated:
            return "it changed its input in place."
        if got.warnings:
            return f"NumPy warned: {sorted(got.warnings)[0]}."
        booleans = any(g.dtype.kind == "b" for g in got.value)
        if booleans and not any(e.dtype.kind == "b" for e in expected.value):
            return "it returned booleans (True/False), not numbers."
        if self.parts:
            wrong = [p for p, g, e in zip(self.parts, got.value, expected.value, strict=True)
                     if not _close(g, e, self.rtol, self.atol, nan_equal=False)]
            return f"{' and '.join(wrong)} {'is' if len(wrong) == 1 else 'are'} not right."
        g, e = got.value[0], expected.value[0]
        if g.shape != e.shape:
            return f"the result has shape {g.shape}, expected {e.shape}."
        return "the values differ."

    def _comparison(self, got: Outcome, expected: Outcome) -> list[str]:
        if got.kind != "value":
            return [f"   expected: {show(expected.value[0], indent=13)}"] if not self.parts else []
        names = self.parts or ("",)
        lines = []
        for name, g, e in zip(names, got.value, expected.value, strict=True):
            right = _close(g, e, self.rtol, self.atol, nan_equal=False) and not (
                g.dtype.kind == "b" and e.dtype.kind != "b")
            head = f"   {name}: " if name else "   "
            if name and right:
                lines.append(f"{head}right")
                continue
            pad = len(head) + 10
            e_text, g_text = show(e, indent=pad), show(g, indent=pad)
            if e_text == g_text and e.ndim == 0 == g.ndim:  # two numbers that differ beyond 10 digits
                e_text, g_text = repr(e.item()), repr(g.item())
            lines.append(f"{head}expected: {e_text}")
            lines.append(f"{' ' * len(head)}got:      {g_text}")
            if not right and e.ndim > 0:
                lines.append(wrap(" " * len(head), where_they_differ(e, g, self.rtol, self.atol)))
        return lines

    def _generic_hint(self, got: Outcome, expected: Outcome) -> str | None:
        if got.kind == "none":
            return "did you forget the `return` statement?"
        if got.mutated:
            return "work on a copy (or build a new array) so the caller's data stays as it was."
        if got.kind != "value":
            return None
        if got.warnings:
            return "look for an exp that overflows, a log of 0 or a division by 0."
        for g, e in zip(got.value, expected.value, strict=True):
            if g.dtype.kind == "b" and e.dtype.kind != "b":
                return "a comparison such as `z > 0` gives booleans; return numbers (e.g. `.astype(float)`)."
            if g.shape != e.shape and g.shape == e.T.shape and _close(g.T, e, self.rtol, self.atol, False):
                return "your result is the transpose of the expected one."
            if g.shape == e.shape and _numeric(g) and np.all(np.isfinite(g)) and e.size > 0:
                with np.errstate(all="ignore"):
                    flipped = _close(g, -e, self.rtol, self.atol, False)
                    if flipped and not _close(e, 0 * e, 0, self.atol, False):
                        return "the sign is flipped."
        return None


# ----------------------------------------------------------------------------------- quick checks


def check_function(fn, reference, cases, *, name=None, mistakes=(), parts=None, rtol=1e-6, atol=1e-8,
                   verbose=True) -> bool:
    """Compare ``fn`` with ``reference`` on ``cases`` (a list of ``(description, args)``), once.

    A quick check for your own experiments; the book's checks are :class:`Check` objects with a
    catalogue of mistakes. ``mistakes`` may list :class:`Mistake` objects to recognise.
    """
    check = Check(name=name or getattr(fn, "__name__", "your function"), signature="", reference=reference,
                  cases=list(cases), mistakes=list(mistakes), parts=parts, rtol=rtol, atol=atol)
    return check(fn, verbose=verbose)
