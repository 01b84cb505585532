"""The fairness benchmark with its runs spread over a cluster.

:func:`run_design_cluster` does what :func:`randsample.run_design` does (run ``i`` draws with
``run_seed(seed_label, i)``, every unit counts at most once per run, the counts are tested with
:func:`randsample.fairness.assess_counts`), but the runs are split into chunks that run as
tasks on a ``distributed`` cluster. The counts do not depend on how the runs are split, so the
result equals a local ``run_design`` with the same arguments.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from fractions import Fraction
from typing import Any

from ..design import StratifiedSample
from ..errors import InvalidInputError, InvalidTypeError
from ..fairness import FairnessResult, assess_counts, run_seed
from ._dataset import _as_runner, dask_core

__all__ = ["run_design_cluster"]


def _count_runs(draw: Callable[[Any], Any], label: str, start: int, stop: int) -> Counter[str]:
    counts: Counter[str] = Counter()
    for counter in range(start, stop):
        outcome = draw(run_seed(label, counter))
        ids = outcome.ids if isinstance(outcome, StratifiedSample) else outcome
        if isinstance(ids, (str, bytes)) or not isinstance(ids, Iterable):
            raise InvalidTypeError(
                "draw", outcome, "ids (an iterable of str) or a StratifiedSample"
            )
        counts.update(set(ids))  # inclusion: at most once per run
    return counts


def run_design_cluster(
    draw: Callable[[Any], Any],
    stated: Mapping[str, Fraction | float],
    *,
    runs: int,
    client: Any = None,
    seed_label: str = "fairness",
    strata: Mapping[str, str] | None = None,
    alpha: float = 0.01,
    chunks: int | None = None,
) -> FairnessResult:
    """Run ``draw`` on ``runs`` seeds, spread over a cluster, and test every unit's frequency.

    The result equals :func:`randsample.run_design` with the same arguments. ``draw`` must be
    picklable (a module-level function or a :func:`functools.partial` of one); ``chunks``
    (default: four per worker, at least one) is how many tasks the runs are split into;
    ``client`` is a ``distributed.Client`` (``None``: Dask's local scheduler).

    >>> import pytest; _ = pytest.importorskip("dask.dataframe")  # the dask extra
    >>> from functools import partial
    >>> from randsample import Population, draw_stratified, run_design
    >>> pop = Population.from_columns(["a", "b", "c", "d"], strata="A")
    >>> design = partial(draw_stratified, pop, {"A": 2})
    >>> stated = {u: Fraction(1, 2) for u in "abcd"}
    >>> run_design_cluster(design, stated, runs=200).summary() == (
    ...     run_design(design, stated, runs=200).summary())
    True
    """
    if not callable(draw):
        raise InvalidTypeError("draw", draw, "a callable taking a Seed")
    if isinstance(runs, bool) or not isinstance(runs, int):
        raise InvalidTypeError("runs", runs, "an integer")
    if runs < 1:
        raise InvalidInputError("runs", runs, "must be at least 1")
    if not isinstance(seed_label, str) or not seed_label:
        raise InvalidInputError("seed_label", seed_label, "must be a non-empty string")
    runner = _as_runner(client)
    if chunks is None:
        workers = len(runner.client.scheduler_info()["workers"]) if runner.client else 1
        chunks = 4 * max(1, workers)
    if isinstance(chunks, bool) or not isinstance(chunks, int) or chunks < 1:
        raise InvalidInputError("chunks", chunks, "must be a positive integer")
    step = -(-runs // chunks)
    task = dask_core().delayed(_count_runs, pure=True)
    parts = runner.compute(
        [task(draw, seed_label, start, min(start + step, runs)) for start in range(0, runs, step)]
    )
    counts: Counter[str] = Counter()
    for part in parts:
        counts.update(part)
    unknown = sorted(str(unit) for unit in counts if unit not in stated)
    if unknown:
        raise InvalidInputError(
            "draw",
            unknown[0],
            "selected a unit that is not in stated"
            + (f" (and {len(unknown) - 1} more)" if len(unknown) > 1 else ""),
        )
    return assess_counts(
        dict(counts), stated, runs=runs, strata=strata, alpha=alpha, seed_label=seed_label
    )
