"""run_design's counting: workers, chunks, progress over the whole run, and bad draws.

The pool is forced on (``PARALLEL_MIN_WORK = 0``) where a test needs it; otherwise small runs
stay in the process.
"""

from __future__ import annotations

import io
import sys
from fractions import Fraction
from functools import partial

import pytest

from randsample import Population, Seed, draw_stratified, draw_stratified_pips
from randsample.errors import InvalidInputError, InvalidTypeError, SampleSizeError
from randsample.fairness import _runner, assess_counts, run_design, run_seed, tqdm_progress
from randsample.fairness._statistics import steps_for_tests

from .test_fairness import ANCHOR_POP, STATED


def _duplicates(seed: Seed) -> list[str]:
    return ["u1", "u1", "u6"]


def _unknown(seed: Seed) -> list[str]:
    return ["u1", "zz", "yy"] if seed == run_seed("unknown", 3) else ["u1"]


@pytest.fixture
def pool(monkeypatch):
    """Use the process pool for any size of run."""
    monkeypatch.setattr(_runner, "PARALLEL_MIN_WORK", 0)


@pytest.mark.parametrize("workers", [2, 3])
def test_results_do_not_depend_on_workers(pool, workers):
    """Serial and pooled runs give equal results (every count, z and p-value)."""
    draw = partial(draw_stratified_pips, ANCHOR_POP, {"A": 3})
    serial = run_design(draw, STATED, runs=240, seed_label="workers")
    pooled = run_design(draw, STATED, runs=240, seed_label="workers", workers=workers)
    assert serial == pooled
    assert serial.to_rows() == pooled.to_rows()


def test_small_runs_stay_serial_and_large_ones_use_the_pool():
    """The pool is used only with workers > 1 and at least PARALLEL_MIN_WORK unit-draws."""
    draw = partial(draw_stratified_pips, ANCHOR_POP, {"A": 3})
    assert not _runner._use_pool(draw, 1, 10**7, 10)
    assert not _runner._use_pool(draw, 2, 1000, 6)
    assert _runner._use_pool(draw, 2, _runner.PARALLEL_MIN_WORK, 1)
    assert not _runner._use_pool(draw, 2, 1, _runner.PARALLEL_MIN_WORK)  # one run: no chunks


def test_a_unit_counts_once_per_run():
    """An id returned twice by one draw counts once for that run."""
    result = run_design(_duplicates, STATED, runs=7, seed_label="dup")
    counts = {u.unit: u.count for u in result.units}
    assert 7 == counts["u1"]
    assert 0 == counts["u2"]


def test_a_stratified_sample_is_accepted():
    """A draw returning a StratifiedSample is counted by its ids."""
    pop = Population.from_columns(["a", "b"], strata="A")
    result = run_design(
        partial(draw_stratified, pop, {"A": 1}), {"a": 0.5, "b": 0.5}, runs=10, seed_label="s"
    )
    assert 10 == sum(u.count for u in result.units)


def test_progress_covers_draws_and_tests():
    """progress(done, total) rises to total = runs + testing steps, the same total each call."""
    calls: list[tuple[int, int]] = []
    draw = partial(draw_stratified_pips, ANCHOR_POP, {"A": 3})
    run_design(draw, STATED, runs=300, seed_label="p", progress=lambda *a: calls.append(a))
    total = 300 + steps_for_tests(len(STATED))
    assert {total} == {t for _, t in calls}
    done = [d for d, _ in calls]
    assert done == sorted(set(done))
    assert (total, total) == calls[-1]
    assert 300 in done  # the draws end before the tests report
    assert 100 + steps_for_tests(len(STATED)) == len(calls)  # 100 chunks of draws


def test_progress_of_a_pooled_run(pool):
    """A pooled run reports the same steps in total."""
    calls: list[tuple[int, int]] = []
    draw = partial(draw_stratified_pips, ANCHOR_POP, {"A": 3})
    run_design(
        draw, STATED, runs=50, seed_label="p", workers=2, progress=lambda *a: calls.append(a)
    )
    assert (52, 52) == calls[-1]
    assert [d for d, _ in calls] == sorted({d for d, _ in calls})


def test_assess_counts_reports_its_steps():
    """assess_counts reports only the testing steps."""
    calls: list[tuple[int, int]] = []
    assess_counts({"a": 3}, {"a": 0.5}, runs=5, progress=lambda *a: calls.append(a))
    assert [(1, 2), (2, 2)] == calls


def test_tqdm_progress_draws_a_bar():
    """tqdm_progress gives a bar that reaches the total and closes."""
    pytest.importorskip("tqdm")
    out = io.StringIO()
    bar = tqdm_progress(file=out, mininterval=0)
    run_design(_duplicates, STATED, runs=30, seed_label="bar", progress=bar)
    assert "32/32" in out.getvalue()
    assert bar._bar is None


def test_tqdm_progress_without_tqdm_says_what_to_install(monkeypatch):
    """Without tqdm, tqdm_progress raises ImportError naming the extra."""
    monkeypatch.setitem(sys.modules, "tqdm", None)
    with pytest.raises(ImportError, match=r"randsample\[progress\]"):
        tqdm_progress()


def test_tqdm_is_not_imported_with_randsample():
    """Importing randsample.fairness does not import tqdm (it is imported on use)."""
    import subprocess

    code = "import sys, randsample.fairness; print('tqdm' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "False" == done.stdout.strip()


@pytest.mark.parametrize("workers", [1, 2])
def test_unknown_ids_fail_at_the_first_bad_run(pool, workers):
    """A run selecting ids outside stated fails with the first one named, serial or pooled."""
    with pytest.raises(
        InvalidInputError,
        match=r"draw: selected a unit that is not in stated \(and 1 more\), got 'yy'",
    ):
        run_design(_unknown, STATED, runs=40, seed_label="unknown", workers=workers)


@pytest.mark.parametrize("workers", [1, 2])
def test_a_randsample_error_in_a_worker_is_raised_typed(pool, workers):
    """A design's own error (an impossible size) reaches the caller as the same typed error."""
    draw = partial(draw_stratified, ANCHOR_POP, {"A": 9})
    with pytest.raises(SampleSizeError) as caught:
        run_design(draw, STATED, runs=10, seed_label="err", workers=workers)
    assert caught.value.field.startswith("sizes")


@pytest.mark.parametrize(
    ("outcome", "match"),
    [
        (None, r"draw: expected ids \(an iterable of str\) or a StratifiedSample, got NoneType"),
        ("u1", r"draw: expected ids .* got str 'u1'"),
    ],
)
def test_a_draw_returning_no_ids_is_a_type_error(outcome, match):
    """A draw returning None or a bare string is refused with InvalidTypeError."""
    with pytest.raises(InvalidTypeError, match=match):
        run_design(lambda seed: outcome, STATED, runs=3)


def test_unhashable_ids_are_reported_as_unknown():
    """An unhashable id (a list) is reported as a unit not in stated, not a TypeError."""
    with pytest.raises(InvalidInputError, match=r"not in stated, got \"\['x'\]\""):
        run_design(lambda seed: [["x"]], STATED, runs=3)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"progress": 3}, InvalidTypeError, r"progress: expected a callable"),
        ({"workers": 1.5}, InvalidTypeError, r"workers: expected an integer"),
        ({"workers": True}, InvalidTypeError, r"workers: expected an integer"),
        ({"stated": {" a": 0.5}}, InvalidInputError, r"stated \(unit id\): .*whitespace"),
        ({"stated": {3: 0.5}}, InvalidTypeError, r"stated \(unit id\)"),
        ({"stated": [("a", 1)]}, InvalidTypeError, r"stated: expected a mapping"),
        ({"stated": {"a": Fraction(3, 2)}}, InvalidInputError, r"stated\['a'\]: .* got Fraction"),
        ({"stated": {"a": 2}}, InvalidInputError, r"stated\['a'\]: .* got 2"),
        ({"strata": {"a": " A"}}, InvalidInputError, r"strata\['a'\]: .*whitespace"),
        ({"strata": {"a": 5}}, InvalidTypeError, r"strata\['a'\]"),
        ({"strata": ["a"]}, InvalidTypeError, r"strata: expected a mapping"),
        ({"alpha": "0.1"}, InvalidTypeError, r"alpha: expected a real number"),
        ({"runs": 2.0}, InvalidTypeError, r"runs: expected an integer"),
    ],
)
def test_more_bad_arguments_raise_typed_errors(kwargs, error, match):
    """Each bad argument of run_design raises a typed error naming it."""
    arguments = {"stated": {"a": 1}, "runs": 10} | kwargs
    with pytest.raises(error, match=match):
        run_design(lambda seed: ["a"], **arguments)


def test_bad_counts_raise_typed_errors():
    """assess_counts refuses a non-mapping, a non-integer count and a bad progress."""
    with pytest.raises(InvalidTypeError, match="counts: expected a mapping"):
        assess_counts([1], {"a": 0.5}, runs=5)
    with pytest.raises(InvalidTypeError, match=r"counts\['a'\]: expected an integer"):
        assess_counts({"a": 1.0}, {"a": 0.5}, runs=5)
    with pytest.raises(InvalidTypeError, match="progress: expected a callable"):
        assess_counts({"a": 1}, {"a": 0.5}, runs=5, progress="bar")
