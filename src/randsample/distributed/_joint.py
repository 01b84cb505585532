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
from fractions import Fraction
from itertools import combinations
from typing import Any

from ..core import PURPOSE_ENTERPRISES, Seed
from ..design._srswor import _check_sizes  # the same size checks as a local draw
from ..errors import InvalidInputError, InvalidTypeError, RandsampleError
from ..joint import (
    CoordinationReport,
    DepartmentDraw,
    DrawnUnit,
    JointDraw,
    MergedPlan,
    PairOverlap,
    merge_drawn_units,
)
from ..joint._coordination import _cell
from ..joint._draw import _period_of
from ..joint._plan import rewrap
from ..population import CREDIT_CLASSES
from ._commitment import POPULATION_DIGEST_V1
from ._dataset import PartitionedPopulation, Runner, _as_runner
from ._draw import sample_from
from ._partition import Scan

__all__ = ["draw_joint_datasets"]

Signature = tuple[tuple[str, str, bool], ...]


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
    draws: list[DepartmentDraw] = []
    drawn_units: list[DrawnUnit] = []
    for task in merged_plan.tasks_in(period):
        population = _scope(scopes, task.scope, task.task_id)
        if task.scope not in scanned:
            scan = population.scan(client=runner)
            if not any(counts[1] for counts in scan.strata.values()):
                raise InvalidInputError(
                    f"scopes[{task.scope!r}]", scan.rows, "has no eligible unit to draw from"
                )
            digest = POPULATION_DIGEST_V1.compute(population, scan.rows, runner)
            scanned[task.scope] = (scan, digest)
        scan, digest = scanned[task.scope]
        eligible = {label: scan.strata[label][1] for label in sorted(scan.strata)}
        credit = set(eligible) <= set(CREDIT_CLASSES)
        for part in task.parts:
            try:
                sizes = part.design.resolve(eligible)
            except RandsampleError as exc:
                raise rewrap(exc, f"task {task.task_id!r} department {part.department!r}") from exc
            sample = sample_from(
                population,
                _check_sizes(sizes, tuple(sorted(scan.strata))),
                seed,
                purpose=PURPOSE_ENTERPRISES,
                scan=scan,
                digest=digest,
                runner=runner,
                kernel="auto",
            )
            flag = credit if part.design.uses_credit_risk is None else part.design.uses_credit_risk
            draws.append(
                DepartmentDraw(
                    task.task_id, part.department, task.scope, sizes, flag, part.on_site, sample
                )
            )
            drawn_units.extend(
                DrawnUnit(
                    task.task_id,
                    part.department,
                    task.lead,
                    task.scope,
                    unit.stratum,
                    unit.id,
                    unit.rank,
                    part.items,
                    part.on_site_items,
                )
                for unit in sample.selection
            )
    visits, off_site = merge_drawn_units(period, drawn_units)
    signatures = _signatures(draws, scopes, {s: v[0] for s, v in scanned.items()}, runner)
    report = _report(period, draws, signatures, len(visits), len(visits) + len(off_site))
    tasks = merged_plan.tasks_in(period)
    return JointDraw(period, seed, tasks, tuple(draws), visits, off_site, report)


def _signatures(
    draws: list[DepartmentDraw],
    scopes: Mapping[str, PartitionedPopulation],
    scans: Mapping[str, Scan],
    runner: Runner,
) -> Counter[Signature]:
    """Count enterprises by their (scope, stratum, eligible) memberships."""
    used = list(dict.fromkeys(d.scope for d in draws))
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


def _report(
    period: str,
    draws: list[DepartmentDraw],
    signatures: Counter[Signature],
    visits: int,
    enterprises: int,
) -> CoordinationReport:
    # randsample.joint's report, from membership counts (see joint/_coordination.py).
    by_scope: dict[str, list[DepartmentDraw]] = {}
    for draw in draws:
        by_scope.setdefault(draw.scope, []).append(draw)
    cells = []
    for scope, scope_draws in by_scope.items():
        for stratum_size in scope_draws[0].sizes.details:
            label = stratum_size.stratum
            drawn = [
                (d, {u.id for u in d.sample.selection if u.stratum == label}, d.sample.sizes[label])
                for d in scope_draws
            ]
            cells.append(_cell(scope, label, stratum_size.eligible, drawn))
    departments = sorted({d.department for d in draws})
    visits_expected = enterprises_expected = Fraction(0)
    pair_expected = dict.fromkeys(combinations(departments, 2), Fraction(0))
    pi_of = {
        (draw.task_id, draw.department): {s.stratum: s.rate for s in draw.sizes.details}
        for draw in draws
    }
    for signature, count in signatures.items():
        miss_visit = miss_any = Fraction(1)
        miss_department = dict.fromkeys(departments, Fraction(1))
        for scope, label, ok in signature:
            for draw in by_scope[scope]:
                pi = pi_of[draw.task_id, draw.department][label] if ok else Fraction(0)
                miss_any *= 1 - pi
                miss_department[draw.department] *= 1 - pi
                if draw.on_site:
                    miss_visit *= 1 - pi
        visits_expected += count * (1 - miss_visit)
        enterprises_expected += count * (1 - miss_any)
        for first, second in pair_expected:
            pair_expected[first, second] += (
                count * (1 - miss_department[first]) * (1 - miss_department[second])
            )
    chosen: dict[str, set[str]] = {d: set() for d in departments}
    for draw in draws:
        chosen[draw.department].update(draw.sample.ids)
    pairs = tuple(
        PairOverlap(pair, overlap, expected)
        for pair, expected in pair_expected.items()
        if (overlap := len(chosen[pair[0]] & chosen[pair[1]])) or expected
    )
    return CoordinationReport(
        period=period,
        cells=tuple(cells),
        visits=visits,
        visits_independent=visits_expected,
        visits_minimum=sum(c.visits_minimum for c in cells),
        enterprises=enterprises,
        enterprises_independent=enterprises_expected,
        enterprises_minimum=sum(c.enterprises_minimum for c in cells),
        pairs=pairs,
        shared_enterprises=sum(
            count for signature, count in signatures.items() if len(signature) > 1
        ),
    )
