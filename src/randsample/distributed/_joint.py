"""Joint inspections on partitioned populations: coordinated department draws, merged.

:func:`draw_joint_datasets` is :func:`randsample.draw_joint` with one
:class:`PartitionedPopulation` per scope: every department of every merged task draws with
the period's seed on the engine (each scope is scanned and digested once, whatever the number
of departments), the drawn units are merged into visits, and the coordination report is
computed from membership counts instead of per-enterprise Python objects (for one scope these
are the per-stratum counts; for several, a shuffle by id counts the scope memberships). The
result equals ``draw_joint`` on the same units.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from ..core import PURPOSE_ENTERPRISES, Seed
from ..design import Sizes, StratifiedSample
from ..design._srswor import _check_sizes  # the same size checks as a local draw
from ..errors import InvalidInputError, InvalidTypeError
from ..joint import JointDraw, MergedPlan, MergedTask
from ..joint._coordination import Signature
from ..joint._draw import _period_of, coordinated_draw  # the one coordinated mode
from ._commitment import POPULATION_DIGEST_V1
from ._dataset import PartitionedPopulation, Runner, _as_runner
from ._draw import sample_from
from ._partition import Scan

__all__ = ["draw_joint_datasets"]


def _scope(
    scopes: Mapping[str, PartitionedPopulation], scope: str, task: str
) -> PartitionedPopulation:
    if not isinstance(scopes, Mapping):
        raise InvalidTypeError("scopes", scopes, "a mapping from scope to PartitionedPopulation")
    population = scopes.get(scope)
    if population is None:
        raise InvalidInputError(
            "scopes", scope, f"has no population for the scope of task {task!r}"
        )
    if not isinstance(population, PartitionedPopulation):
        raise InvalidTypeError(f"scopes[{scope!r}]", population, "a PartitionedPopulation")
    return population


def draw_joint_datasets(
    merged_plan: MergedPlan,
    seed: Seed,
    scopes: Mapping[str, PartitionedPopulation],
    *,
    period: str | None = None,
    client: Any = None,
) -> JointDraw:
    """Draw every department of every merged task of ``period`` on partitions, and merge.

    The same :class:`~randsample.joint.JointDraw` as :func:`randsample.draw_joint` on the same
    units (department samples, visits, off-site checks and coordination report).

    >>> import pytest; _ = pytest.importorskip("dask.dataframe")  # the dask extra
    >>> from randsample import draw_joint
    >>> from randsample.examples import small_joint
    >>> merged, seed, scopes = small_joint()
    >>> parts = {scope: PartitionedPopulation.from_population(pop, partitions=2)
    ...          for scope, pop in scopes.items()}
    >>> draw_joint_datasets(merged, seed, parts) == draw_joint(merged, seed, scopes)
    True
    """
    period = _period_of(merged_plan, period)
    if not isinstance(seed, Seed):
        raise InvalidTypeError("seed", seed, "a Seed")
    runner = _as_runner(client)
    scanned: dict[str, tuple[Scan, str]] = {}

    def scanned_scope(task: MergedTask) -> tuple[Scan, str]:
        # Each scope is scanned and digested once, however many departments draw from it.
        if task.scope not in scanned:
            population = _scope(scopes, task.scope, task.task_id)
            scan = population.scan(client=runner)
            if not any(counts[1] for counts in scan.strata.values()):
                raise InvalidInputError(
                    f"scopes[{task.scope!r}]", scan.rows, "has no eligible unit to draw from"
                )
            scanned[task.scope] = (
                scan,
                POPULATION_DIGEST_V1.compute(population, scan.rows, runner),
            )
        return scanned[task.scope]

    def eligible(task: MergedTask) -> dict[str, int]:
        scan, _ = scanned_scope(task)
        return {label: scan.strata[label][1] for label in sorted(scan.strata)}

    def draw(task: MergedTask, sizes: Sizes) -> StratifiedSample:
        scan, digest = scanned_scope(task)
        return sample_from(
            scopes[task.scope],
            _check_sizes(sizes, tuple(sorted(scan.strata))),
            seed,
            purpose=PURPOSE_ENTERPRISES,
            scan=scan,
            digest=digest,
            runner=runner,
            kernel="auto",
        )

    def memberships(keys: list[str]) -> tuple[Counter[Signature], int]:
        counts = _signatures(keys, scopes, {key: scanned[key][0] for key in keys}, runner)
        return counts, sum(count for signature, count in counts.items() if len(signature) > 1)

    return coordinated_draw(
        merged_plan, period, seed, eligible=eligible, draw=draw, memberships=memberships
    )


def _signatures(
    used: list[str],
    scopes: Mapping[str, PartitionedPopulation],
    scans: Mapping[str, Scan],
    runner: Runner,
) -> Counter[Signature]:
    """Count enterprises by their (scope, stratum, eligible) memberships, scopes in order."""
    if len(used) == 1:
        (scope,) = used
        found: Counter[Signature] = Counter()
        for label, (units, eligible, _) in scans[scope].strata.items():
            if eligible:
                found[((scope, label, True),)] += eligible
            if units - eligible:
                found[((scope, label, False),)] += units - eligible
        return found
    from ._dataset import _dask

    frames = [
        scopes[scope].frame[["id", "stratum", "eligible"]].assign(_scope=scope) for scope in used
    ]
    everything = _dask().concat(frames).shuffle(on="id")
    parts = runner.compute([_count_part(part, used) for part in everything.to_delayed()])
    total: Counter[Signature] = Counter()
    for part in parts:
        total.update(part)
    return total


def _count_part(part: Any, order: list[str]) -> Any:
    from ._dataset import dask_core

    return dask_core().delayed(_count, pure=True)(part, order)


def _count(part: Any, order: list[str]) -> Counter[Signature]:
    rank = {scope: k for k, scope in enumerate(order)}
    memberships: dict[str, list[tuple[str, str, bool]]] = {}
    for ident, label, ok, scope in zip(
        part["id"].tolist(),
        part["stratum"].tolist(),
        part["eligible"].tolist(),
        part["_scope"].tolist(),
        strict=True,
    ):
        memberships.setdefault(ident, []).append((scope, label, bool(ok)))
    return Counter(tuple(sorted(m, key=lambda entry: rank[entry[0]])) for m in memberships.values())
