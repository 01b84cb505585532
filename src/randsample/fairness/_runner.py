"""Run a design over many seeds and count each unit's inclusions, serially or in processes.

Run ``i`` of a benchmark uses the seed :func:`run_seed` ``(label, i)``. The units of ``stated``
are indexed once; each run's selected ids become row indices and the counts are one numpy
array, summed over chunks of about 1% of the runs, so that a million units over thousands of
runs take a few megabytes and no per-unit Python objects. Chunks run in a process pool when
asked (``workers``); the counts, hence the result, are the same for any number of workers.
Progress is reported over the whole run, the draws and then the tests (see ``_progress``).
"""

from __future__ import annotations

import hashlib
import math
import pickle
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .. import _validation as check
from ..core import Seed, lp
from ..design import StratifiedSample
from ..errors import InvalidInputError, InvalidTypeError, RandsampleError
from ._checks import (
    Progress,
    check_alpha,
    check_progress,
    check_runs,
    check_stated,
    check_strata,
)
from ._result import FairnessResult, Probability
from ._statistics import assess, steps_for_tests

__all__ = ["PARALLEL_MIN_WORK", "Draw", "run_design", "run_seed"]

#: A design under test: seed in, the ids of the selected units out (a
#: :class:`~randsample.StratifiedSample` is accepted too; its ``ids`` are used).
Draw = Callable[[Seed], "Iterable[str] | StratifiedSample"]

_RUN_TAG = b"randsample/v1/fairness-run\x00"
#: The runs are split into at most this many chunks; progress is reported after each one.
_CHUNKS = 100
#: Below this many unit-draws (runs x units) a process pool costs more to start than it
#: saves, and the runs stay in this process whatever ``workers`` says.
PARALLEL_MIN_WORK = 1_000_000


def run_seed(label: str, counter: int) -> Seed:
    """Return the seed of run ``counter`` under ``label``.

    ``Seed.from_bytes(SHA-256("randsample/v1/fairness-run" 0x00 || lp(utf8(label)) ||
    counter as 8 bytes big-endian))``: runs are independent, reproducible one by one, and
    different labels give unrelated runs.

    >>> run_seed("fairness", 0).value.hex()[:16]
    'a6024efed858a12e'
    """
    digest = hashlib.sha256(
        _RUN_TAG + lp(label.encode("utf-8")) + counter.to_bytes(8, "big")
    ).digest()
    return Seed.from_bytes(digest)


# -- counting ----------------------------------------------------------------------------------


def _selected(outcome: object) -> Iterable[object]:
    ids = outcome.ids if isinstance(outcome, StratifiedSample) else outcome
    if isinstance(ids, (str, bytes)) or not isinstance(ids, Iterable):
        raise InvalidTypeError("draw", outcome, "ids (an iterable of str) or a StratifiedSample")
    return ids


def _count_chunk(
    draw: Draw,
    index: Mapping[str, int],
    label: str,
    runs: range,
    out: NDArray[np.int64],
) -> list[str]:
    """Add the inclusions of ``runs`` to ``out``; return the unknown ids of a run, if any.

    Stops at the first run that selects an id not in ``index`` and returns that run's unknown
    ids (sorted, as text); returns [] when every run was counted.
    """
    for counter in runs:
        ids = list(_selected(draw(run_seed(label, counter))))
        try:
            rows = [index[unit] for unit in ids]  # type: ignore[index]  # checked by KeyError
        except (KeyError, TypeError):  # an id not in stated, or not even hashable
            return sorted({str(unit) for unit in ids if not _known(unit, index)})
        # buffered fancy indexing adds 1 once per distinct row: a unit counts once per run
        out[rows] += 1
    return []


def _known(unit: object, index: Mapping[str, int]) -> bool:
    try:
        return unit in index
    except TypeError:
        return False


def _unknown_error(unknown: list[str]) -> InvalidInputError:
    more = f" (and {len(unknown) - 1} more)" if len(unknown) > 1 else ""
    return InvalidInputError("draw", unknown[0], "selected a unit that is not in stated" + more)


# A worker process's only state: the design and the unit index, set once by the pool's
# initializer so that a large population crosses the process boundary once per worker, not
# once per chunk. The parent process never reads or writes it.
_WORKER: dict[str, Any] = {}


def _start_worker(draw: Draw, units: tuple[str, ...], label: str) -> None:
    _WORKER.update(draw=draw, index={u: i for i, u in enumerate(units)}, label=label)


def _worker_chunk(start: int, stop: int) -> tuple[NDArray[np.int64], list[str]] | _Failure:
    out = np.zeros(len(_WORKER["index"]), np.int64)
    try:
        unknown = _count_chunk(
            _WORKER["draw"], _WORKER["index"], _WORKER["label"], range(start, stop), out
        )
    except RandsampleError as exc:  # its __init__ takes (field, value, ...): rebuilt by hand
        return _Failure(type(exc), exc.args, dict(vars(exc)))
    return out, unknown


class _Failure:
    """A randsample error raised in a worker, carried back and raised again in the parent."""

    def __init__(
        self, kind: type[RandsampleError], args: tuple[Any, ...], state: dict[str, Any]
    ) -> None:
        self.kind, self.args, self.state = kind, args, state

    def error(self) -> RandsampleError:
        exc = self.kind.__new__(self.kind)
        Exception.__init__(exc, *self.args)
        vars(exc).update(self.state)
        return exc


def _use_pool(draw: Draw, workers: object, runs: int, units: int) -> bool:
    if check.integer(workers, "workers", minimum=1) == 1:
        return False
    try:  # checked whenever workers > 1, so that a small trial fails like the real run
        pickle.dumps(draw)
    except (pickle.PicklingError, AttributeError, TypeError) as exc:
        raise InvalidTypeError(
            "draw",
            draw,
            "a picklable callable when workers > 1 (a module-level function or a "
            f"functools.partial of one; pickling failed: {exc})",
        ) from exc
    return runs > 1 and runs * units >= PARALLEL_MIN_WORK


class _Steps:
    """Counts the steps of one run and reports them to the progress callback."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress, self.total, self.done = progress, total, 0

    def advance(self, steps: int = 1) -> None:
        self.done += steps
        if self.progress is not None:
            self.progress(self.done, self.total)


def _count(
    draw: Draw,
    *,
    units: list[str],
    label: str,
    runs: int,
    workers: int,
    steps: _Steps,
) -> NDArray[np.int64]:
    step = max(1, math.ceil(runs / _CHUNKS))
    bounds = [(start, min(start + step, runs)) for start in range(0, runs, step)]
    counts = np.zeros(len(units), np.int64)
    if workers == 1:
        index = {u: i for i, u in enumerate(units)}
        for start, stop in bounds:
            unknown = _count_chunk(draw, index, label, range(start, stop), counts)
            if unknown:
                raise _unknown_error(unknown)
            steps.advance(stop - start)
        return counts
    pool = ProcessPoolExecutor(
        workers, initializer=_start_worker, initargs=(draw, tuple(units), label)
    )
    try:
        futures: dict[Future[Any], int] = {
            pool.submit(_worker_chunk, start, stop): stop - start for start, stop in bounds
        }
        for future in as_completed(futures):
            outcome = future.result()
            if isinstance(outcome, _Failure):
                raise outcome.error()
            part, unknown = outcome
            if unknown:
                raise _unknown_error(unknown)
            counts += part
            steps.advance(futures.pop(future))  # drop the chunk's array once it is added
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return counts


def run_design(
    draw: Draw,
    stated: Mapping[str, Probability],
    *,
    runs: int,
    seed_label: str = "fairness",
    strata: Mapping[str, str] | None = None,
    alpha: float = 0.01,
    workers: int = 1,
    progress: Progress | None = None,
) -> FairnessResult:
    """Run ``draw`` on ``runs`` seeds and test every unit's frequency against ``stated``.

    Parameters
    ----------
    draw
        The design under test: takes a :class:`~randsample.Seed` and returns the selected
        ids (or a :class:`~randsample.StratifiedSample`). A unit counts once per run.
    stated
        Every unit the design may select, with its stated inclusion probability. A selected
        id missing from ``stated`` is an error, raised after the first run that selects one.
    runs
        Number of independent draws; run ``i`` uses ``run_seed(seed_label, i)``.
    seed_label
        Names the family of seeds; use a fresh label for a fresh, independent benchmark.
    strata
        Optional unit -> stratum label, for the per-stratum sums of squares.
    alpha
        Family-wise significance level of the per-unit Holm tests, in (0, 1).
    workers
        Processes to use. With ``workers > 1`` and at least ``PARALLEL_MIN_WORK`` unit-draws
        (``runs`` times the number of units) the runs are split into chunks of about 1% that
        run in a :class:`~concurrent.futures.ProcessPoolExecutor`; ``draw`` must then be
        picklable (a module-level function, a :func:`functools.partial` of one, or the foils
        of :mod:`randsample.fairness.foils`; not a lambda or a nested function), else
        :class:`InvalidTypeError`. The result does not depend on ``workers``.
    progress
        Optional callback ``progress(done, total)`` over the whole run: one step per draw
        (reported after each chunk), then the testing steps; :func:`tqdm_progress` gives a
        bar. Quiet when None.

    Returns
    -------
    FairnessResult

    >>> from randsample import Population, draw_stratified_pips
    >>> from randsample.design import exact_inclusion_probabilities
    >>> from randsample.fairness.foils import numpy_weighted_choice
    >>> weights = [7, 17, 41, 61, 83, 91]
    >>> ids = ["a", "b", "c", "d", "e", "f"]
    >>> stated = dict(zip(ids, exact_inclusion_probabilities(weights, 3)))
    >>> biased = run_design(numpy_weighted_choice(ids, weights, 3), stated, runs=400)
    >>> biased.passed, biased.flagged, round(biased.max_abs_z, 1)
    (False, ('b', 'e', 'f'), 4.9)
    >>> pop = Population.from_columns(ids, strata="A", weights=weights)
    >>> fair = run_design(lambda seed: draw_stratified_pips(pop, {"A": 3}, seed), stated,
    ...                   runs=400)
    >>> fair.passed
    True
    """
    if not callable(draw):
        raise InvalidTypeError("draw", draw, "a callable taking a Seed")
    checked = check_stated(stated)
    runs = check_runs(runs)
    alpha = check_alpha(alpha)
    strata = check_strata(strata, checked)
    if not isinstance(seed_label, str) or not seed_label:
        raise InvalidInputError("seed_label", seed_label, "must be a non-empty string")
    progress = check_progress(progress)
    units = list(checked)
    parallel = _use_pool(draw, workers, runs, len(units))
    steps = _Steps(progress, runs + steps_for_tests(len(units)))
    counts = _count(
        draw,
        units=units,
        label=seed_label,
        runs=runs,
        workers=workers if parallel else 1,
        steps=steps,
    )
    return assess(
        units,
        list(checked.values()),
        counts,
        runs=runs,
        strata=strata,
        alpha=alpha,
        seed_label=seed_label,
        step=steps.advance,
    )
