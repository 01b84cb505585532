"""Joint inspections: coordinated draws of several departments, merged into one visit each.

**Coordination.** Every department of a merged task (:mod:`randsample.joint`) draws with
:func:`~randsample.draw_stratified` on the scope's population, with the *same* seed and the
same purpose (``enterprises``). Tickets depend only on the sub-key and the enterprise's id, so
all departments share them: each department's sample in stratum ``h`` is the ``n_dh`` smallest
tickets (its own design, its own sizes, its own inclusion probabilities ``n_dh / M_h``), and
the samples nest. This is positive coordination with permanent random numbers (Ohlsson 1995;
Brewer, Early & Joyce 1972): the departments' samples overlap as much as their sizes allow,
so stratum ``h`` needs ``max_d n_dh`` visits, the least possible. Each department's draw is
an ordinary :class:`~randsample.StratifiedSample`, so :func:`~randsample.make_record` and
:func:`~randsample.verify` work on it unchanged; coordination changes nothing a department
publishes except that the seed is shared.

**Across periods** the opposite is wanted: a fresh seed per period, published only when that
period's draw is made, so that nothing about a period's draw can be predicted before, and
samples of different periods are independent. Repeat inspections are then limited by
:func:`randsample.reports.exclude_recent_in_scopes` (``exclude_recently_inspected`` per
scope), whose report states the effect on the probabilities; :func:`randsample.reports.burden`
counts what each enterprise bore.

"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from typing import Literal

import attrs

from ..core import PURPOSE_ENTERPRISES, Seed
from ..design import Sizes, StratifiedSample, draw_stratified
from ..errors import InvalidInputError, InvalidTypeError, RandsampleError
from ..population import Population
from ._coordination import CoordinationReport, Memberships, _signatures, report_from
from ._credit import credit_risk_based
from ._exclusion import ExclusionSummary
from ._merge import MergedPlan, MergedTask
from ._plan import rewrap
from ._visits import DepartmentDraw, DrawnUnit, MergedVisit, merge_drawn_units

__all__ = ["JointDraw", "draw_joint"]


@attrs.frozen
class JointDraw:
    """One period's draws and visits, in either mode of joint work.

    ``mode`` is ``"coordinated"`` for :func:`draw_joint` (every department draws its own
    design; 一业一查 merging) and ``"declared"`` for
    :func:`~randsample.joint.draw_period` (declared joint tasks: the initiator draws one list
    that every cooperating department inspects). ``exclusions`` has, in the declared mode,
    the exclusion report of every task that applied exclusion rules (by task id), ``date``
    the draw date and ``populations`` the population each task drew from (after exclusions).
    """

    period: str
    seed: Seed
    tasks: tuple[MergedTask, ...]
    draws: tuple[DepartmentDraw, ...]
    visits: tuple[MergedVisit, ...]
    off_site_checks: tuple[MergedVisit, ...]
    report: CoordinationReport
    mode: Literal["coordinated", "declared"] = "coordinated"
    exclusions: tuple[tuple[str, ExclusionSummary], ...] = ()
    date: datetime.date | None = None
    populations: tuple[tuple[str, Population], ...] = attrs.field(default=(), repr=False, eq=False)

    def __repr__(self) -> str:
        return (
            f"JointDraw({self.mode}, period={self.period!r}, tasks={len(self.tasks)}, "
            f"draws={sum(d.is_draw for d in self.draws)}, visits={len(self.visits)}, "
            f"off_site_checks={len(self.off_site_checks)})"
        )

    @property
    def own_draws(self) -> tuple[DepartmentDraw, ...]:
        """The draws to seal and count as draws (cooperating departments' shares left out)."""
        return tuple(draw for draw in self.draws if draw.is_draw)

    def draw(self, task_id: str, department: str) -> DepartmentDraw:
        """Return the draw of ``department`` in merged task ``task_id``."""
        for draw in self.draws:
            if (draw.task_id, draw.department) == (task_id, department):
                return draw
        raise InvalidInputError("draw", (task_id, department), f"is not a draw of {self.period}")

    def population(self, draw: DepartmentDraw) -> Population:
        """Return the population ``draw`` was made from (in the declared mode, after exclusions).

        Only available on the result of a draw (a coordinated draw's populations are the
        scopes passed to :func:`draw_joint`, which it does not keep).
        """
        for key, population in self.populations:
            if key == draw.task_id:
                return population
        raise InvalidInputError("draw", draw.task_id, "has no population kept in this result")


def _period_of(merged_plan: MergedPlan, period: str | None) -> str:
    if not isinstance(merged_plan, MergedPlan):
        raise InvalidTypeError("merged_plan", merged_plan, "a MergedPlan (see merge_plan)")
    periods = merged_plan.periods
    if period is None:
        if len(periods) != 1:
            raise InvalidInputError("period", None, f"must be one of {periods} (several)")
        return periods[0]
    if period not in periods:
        raise InvalidInputError("period", period, f"is not a period of the plan {periods}")
    return period


def _scope_population(scopes: Mapping[str, Population], task: MergedTask) -> Population:
    if not isinstance(scopes, Mapping):
        raise InvalidTypeError("scopes", scopes, "a mapping from scope to Population")
    population = scopes.get(task.scope)
    if population is None:
        raise InvalidInputError(
            "scopes", task.scope, f"has no population for the scope of task {task.task_id!r}"
        )
    if not isinstance(population, Population):
        raise InvalidTypeError(f"scopes[{task.scope!r}]", population, "a Population")
    if not population.eligible.any():
        raise InvalidInputError(
            f"scopes[{task.scope!r}]", len(population), "has no eligible unit to draw from"
        )
    return population


def draw_joint(
    merged_plan: MergedPlan,
    seed: Seed,
    scopes: Mapping[str, Population],
    *,
    period: str | None = None,
) -> JointDraw:
    """Draw every department of every merged task of ``period``, coordinated, and merge.

    This is the *coordinated* mode (一业一查 merging of the departments' own designs); for
    declared joint tasks see :func:`~randsample.joint.draw_period`.

    ``scopes`` maps each scope to its population for this period; ``period`` may be omitted
    when the plan has one. Each department draws
    ``draw_stratified(scopes[scope], its sizes, seed, purpose="enterprises")``.

    >>> from randsample.examples import small_joint_draw
    >>> result = small_joint_draw()
    >>> [(d.department, dict(d.sample.sizes)) for d in result.draws]
    [('HEALTH', {'A': 2, 'B': 1}), ('SAMR', {'A': 2, 'B': 1})]
    >>> len(result.visits), result.visits[0].visit_id, result.visits[0].departments
    (3, 'V-2026-Q4-000001', ('HEALTH', 'SAMR'))
    """
    period = _period_of(merged_plan, period)
    if not isinstance(seed, Seed):
        raise InvalidTypeError("seed", seed, "a Seed")

    def eligible(task: MergedTask) -> Mapping[str, int]:
        return _scope_population(scopes, task).eligible_counts()

    def draw(task: MergedTask, sizes: Sizes) -> StratifiedSample:
        return draw_stratified(scopes[task.scope], sizes, seed, purpose=PURPOSE_ENTERPRISES)

    return coordinated_draw(
        merged_plan,
        period,
        seed,
        eligible=eligible,
        draw=draw,
        memberships=lambda keys: _signatures(keys, scopes),
    )


def coordinated_draw(
    merged_plan: MergedPlan,
    period: str,
    seed: Seed,
    *,
    eligible: Callable[[MergedTask], Mapping[str, int]],
    draw: Callable[[MergedTask, Sizes], StratifiedSample],
    memberships: Memberships,
) -> JointDraw:
    """Run the coordinated mode with the scopes' counts, draws and memberships given.

    The one implementation of :func:`draw_joint`, whatever holds the populations: in memory,
    or partitioned (:func:`randsample.distributed.draw_joint_datasets`). ``eligible(task)`` is
    the eligible count per stratum of the task's scope, ``draw(task, sizes)`` the department's
    draw with the period's seed, ``memberships`` counts enterprises by their memberships.
    """
    draws: list[DepartmentDraw] = []
    drawn_units: list[DrawnUnit] = []
    for task in merged_plan.tasks_in(period):
        counts = eligible(task)
        for part in task.parts:
            try:
                sizes = part.design.resolve(counts)
            except RandsampleError as exc:
                raise rewrap(exc, f"task {task.task_id!r} department {part.department!r}") from exc
            sample = draw(task, sizes)
            declared = part.design.uses_credit_risk
            flag = (
                credit_risk_based(sizes, merged_plan.credit_classes)
                if declared is None
                else declared
            )
            draws.append(
                DepartmentDraw(
                    task.task_id,
                    part.department,
                    task.scope,
                    sizes,
                    flag,
                    part.on_site,
                    sample,
                    declared_credit_risk=declared,
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
    report = report_from(period, draws, memberships, len(visits), len(visits) + len(off_site))
    tasks = merged_plan.tasks_in(period)
    return JointDraw(period, seed, tasks, tuple(draws), visits, off_site, report)
