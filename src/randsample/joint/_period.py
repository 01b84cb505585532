"""Drawing one period of a year plan: declared joint tasks, exclusions, annual caps.

:func:`draw_period` draws every task of the period. For a **joint task** the initiator draws
one list (stratified SRSWOR, :func:`~randsample.draw_stratified`, with the period's seed and the
``enterprises`` purpose, on the task's scope after the plan's exclusion rules) at the task's
share of its annual count for the period; every cooperating department inspects every
enterprise on it, with its own items. An **internal task** is the same with one department.
Tasks of one period share tickets, so an enterprise on several lists gets one visit
(:func:`~randsample.joint.merge_drawn_units`). Each task's draw is an ordinary sample: its
initiator seals it with :func:`~randsample.make_record`; cooperating departments seal nothing
(``DepartmentDraw.drawn_by`` names the initiator).

Before returning, the year so far (``earlier`` draws and this one) is checked against the
plan's hard caps (:class:`~randsample.joint.AnnualCapError`, naming the class or the
enterprise): a draw that would break one never reaches a record.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence

from .. import _validation as check
from ..core import PURPOSE_ENTERPRISES, Seed
from ..design import draw_stratified
from ..errors import InvalidInputError
from ..population import Population
from ..records import DrawRecord
from ._annual import AnnualReport, annual_report, raise_if_broken
from ._coordination import _report
from ._credit import credit_risk_based
from ._draw import JointDraw
from ._exclusion import ExclusionSummary, apply_exclusions
from ._merge import MergedTask, TaskPart
from ._plan import Design
from ._rules import RANDOM, InspectionHistory, PastInspection
from ._sizing import AnnualSizing
from ._tasks import JointTask
from ._verify import JointVerificationReport, _verify_expected
from ._visits import DepartmentDraw, DrawnUnit, MergedVisit, merge_drawn_units
from ._year import YearPlan, YearTask

__all__ = ["annual_check", "draw_period", "inspections_from", "verify_period"]


def _check_earlier(
    plan: YearPlan, period: str, earlier: Sequence[JointDraw]
) -> tuple[JointDraw, ...]:
    draws = check.sequence(earlier, "earlier", what="a sequence of JointDraw")
    position = plan.periods.index(period)
    seen: set[str] = set()
    for index, draw in enumerate(draws):
        check.instance(draw, f"earlier[{index}]", JointDraw)
        if draw.period not in plan.periods or plan.periods.index(draw.period) >= position:
            raise InvalidInputError(
                f"earlier[{index}].period",
                draw.period,
                f"is not a period of the plan before {period}",
            )
        if draw.period in seen:
            raise InvalidInputError(f"earlier[{index}].period", draw.period, "is given twice")
        seen.add(draw.period)
    return draws


def _design(task: YearTask) -> Design:
    # An approximation of the quotas for explain(): bounds are in the task's reason text.
    return Design(
        rates=tuple((h, q.rate) for h, q in task.quotas if q.rate is not None),
        sizes=tuple((h, q.count) for h, q in task.quotas if q.count is not None),
        take_all=tuple(h for h, q in task.quotas if q.take_all),
        rounding=task.rounding,
        uses_credit_risk=task.uses_credit_risk,
    )


def _reason(plan: YearPlan, task: YearTask) -> str:
    departments = plan.departments_of(task)
    if isinstance(task, JointTask):
        entry = plan.joint_item(task.joint_item)
        return (
            f"declared joint item {entry.item_id} ({entry.level}, {entry.name}): "
            f"{task.initiator} draws one list ({task.describe()}); "
            f"{', '.join(departments[1:])} inspect every enterprise on it"
        )
    return f"internal task of {departments[0]} ({task.describe()})"


def draw_period(
    plan: YearPlan,
    period: str,
    seed: Seed,
    scopes: Mapping[str, Population],
    *,
    sizing: AnnualSizing,
    as_of: datetime.date,
    history: InspectionHistory | Sequence[PastInspection] = (),
    earlier: Sequence[JointDraw] = (),
) -> JointDraw:
    """Draw every task of ``period`` (see the module doc); return the period's draws and visits.

    Parameters
    ----------
    plan : YearPlan
        The year's plan.
    period : str
        One of the plan's periods.
    seed : Seed
        The period's seed (a fresh one per period, published when the period is drawn).
    scopes : mapping of str to Population
        Each scope's population at the draw.
    sizing : AnnualSizing
        ``plan.sizing(base)``, made once at the start of the year.
    as_of : datetime.date
        The draw date: for the exclusion windows and the tasks' windows.
    history : InspectionHistory or sequence of PastInspection
        Past inspections known at the draw (this year's earlier draws included, see
        :func:`inspections_from`), for the plan's exclusion rules.
    earlier : sequence of JointDraw
        The year's earlier periods, for the annual caps.

    Examples
    --------
    >>> import datetime
    >>> from randsample.examples import small_year
    >>> plan, sizing, seed, scopes = small_year()
    >>> draw = draw_period(plan, "2026-01", seed, scopes, sizing=sizing,
    ...                    as_of=datetime.date(2026, 1, 10))
    >>> [(d.task_id, d.department, d.drawn_by, d.sample.sizes.total) for d in draw.draws]
    [('T-01', 'SAMR', None, 2), ('T-01', 'HEALTH', 'SAMR', 2), ('T-02', 'SAMR', None, 3)]
    >>> draw.visits[0].departments
    ('HEALTH', 'SAMR')
    """
    check.instance(plan, "plan", YearPlan)
    check.one_of(period, "period", plan.periods)
    check.instance(seed, "seed", Seed)
    check.instance(sizing, "sizing", AnnualSizing)
    if sizing.plan != plan:
        raise InvalidInputError("sizing", sizing, "was made for another plan")
    as_of = check.date(as_of, "as_of")
    scopes = check.mapping(scopes, "scopes", key=check.label)
    if not isinstance(history, InspectionHistory):
        history = InspectionHistory(history)
    before = _check_earlier(plan, period, earlier)
    tasks: list[MergedTask] = []
    draws: list[DepartmentDraw] = []
    units: list[DrawnUnit] = []
    exclusions: list[tuple[str, ExclusionSummary]] = []
    populations: list[tuple[str, Population]] = []
    for task in plan.tasks_in(period):
        where = f"task {task.task_id!r}"
        if not task.in_window(as_of):
            raise InvalidInputError(
                f"{where}.window", as_of.isoformat(), f"is outside the task's window ({period})"
            )
        population = scopes.get(task.scope)
        if population is None:
            raise InvalidInputError("scopes", task.scope, f"has no population for {where}")
        check.instance(population, f"scopes[{task.scope!r}]", Population)
        departments = plan.departments_of(task)
        if plan.exclusions or task.object_types is not None:
            population, summary = apply_exclusions(
                population,
                plan.exclusions,
                history,
                as_of=as_of,
                departments=departments,
                credit_classes=plan.credit_classes,
                object_types=task.object_types,
            )
            exclusions.append((task.task_id, summary))
        populations.append((task.task_id, population))
        sizes = sizing.sizes(task.task_id, period, population.eligible_counts())
        sample = draw_stratified(population, sizes, seed, purpose=PURPOSE_ENTERPRISES)
        rates = sizing.nominal_rates(task.task_id)
        declared = task.uses_credit_risk
        flag = credit_risk_based(rates, plan.credit_classes) if declared is None else declared
        items = plan.items_of(task)
        parts = []
        for department in departments:
            on_site = tuple(i for i in items[department] if plan.item(i).on_site)
            drawn_by = None if department == task.initiator else task.initiator
            draws.append(
                DepartmentDraw(
                    task.task_id,
                    department,
                    task.scope,
                    sizes,
                    flag,
                    bool(on_site),
                    sample,
                    declared_credit_risk=declared,
                    drawn_by=drawn_by,
                    nominal_rates=tuple(sorted(rates.items())),
                )
            )
            parts.append(
                TaskPart(department, items[department], on_site, _design(task), (task.task_id,))
            )
            units.extend(
                DrawnUnit(
                    task.task_id,
                    department,
                    task.initiator,
                    task.scope,
                    unit.stratum,
                    unit.id,
                    unit.rank,
                    items[department],
                    on_site,
                )
                for unit in sample.selection
            )
        tasks.append(
            MergedTask(
                task.task_id,
                task.kind,
                period,
                task.scope,
                task.initiator,
                tuple(parts),
                _reason(plan, task),
            )
        )
    visits, off_site = merge_drawn_units(period, units)
    by_task = dict(populations)
    report = _report(
        period,
        draws,
        by_task,
        len(visits),
        len(visits) + len(off_site),
        key=_task_of,
        grouped_by="task",
    )
    result = JointDraw(
        period,
        seed,
        tuple(tasks),
        tuple(draws),
        visits,
        off_site,
        report,
        mode="declared",
        exclusions=tuple(exclusions),
        date=as_of,
        populations=tuple(populations),
    )
    raise_if_broken(_annual(plan, sizing, [*before, result]), period)
    return result


def _task_of(draw: DepartmentDraw) -> str:
    return draw.task_id


def _annual(plan: YearPlan, sizing: AnnualSizing, draws: Sequence[JointDraw]) -> AnnualReport:
    return annual_report(
        draws,
        class_of=sizing.class_of,
        class_totals=sizing.class_totals,
        bands={band.credit_class: band for band in plan.bands},
        annual_cap=plan.annual_cap,
        key_tasks=frozenset(t.task_id for t in plan.tasks if plan.is_key(t)),
    )


def annual_check(plan: YearPlan, sizing: AnnualSizing, draws: Sequence[JointDraw]) -> AnnualReport:
    """Report the year so far: per class the share inspected against its band, and the caps.

    ``draws`` are the year's period draws (any subset, in order). See
    :class:`~randsample.joint.AnnualReport`.

    >>> import datetime
    >>> from randsample.examples import small_year
    >>> plan, sizing, seed, scopes = small_year()
    >>> draw = draw_period(plan, "2026-01", seed, scopes, sizing=sizing,
    ...                    as_of=datetime.date(2026, 1, 10))
    >>> annual_check(plan, sizing, [draw]).ok
    True
    """
    check.instance(plan, "plan", YearPlan)
    check.instance(sizing, "sizing", AnnualSizing)
    draws = check.sequence(draws, "draws", what="a sequence of JointDraw")
    for index, draw in enumerate(draws):
        check.instance(draw, f"draws[{index}]", JointDraw)
    return _annual(plan, sizing, draws)


def inspections_from(
    draw: JointDraw,
    *,
    outcomes: Mapping[tuple[str, str], str] | None = None,
    date: datetime.date | None = None,
) -> list[PastInspection]:
    """Return a period's inspections as history: one per (enterprise, department).

    Dated ``date`` (default: the draw's date), trigger ``random``; ``outcomes`` maps
    (period, enterprise) to the outcome label once results are in (e.g. ``"problem-found"``).

    >>> import datetime
    >>> from randsample.examples import small_year
    >>> plan, sizing, seed, scopes = small_year()
    >>> draw = draw_period(plan, "2026-01", seed, scopes, sizing=sizing,
    ...                    as_of=datetime.date(2026, 1, 10))
    >>> len(inspections_from(draw)), inspections_from(draw)[0].trigger
    (5, 'random')
    """
    check.instance(draw, "draw", JointDraw)
    day = draw.date if date is None else check.date(date, "date")
    if day is None:
        raise InvalidInputError("date", None, "is needed: the draw does not record its date")
    found = {} if outcomes is None else check.mapping(outcomes, "outcomes")
    return [
        PastInspection(
            enterprise=visit.enterprise,
            date=day,
            department=department,
            trigger=RANDOM,
            outcome=found.get((draw.period, visit.enterprise)),
        )
        for visit in (*draw.visits, *draw.off_site_checks)
        for department in visit.departments
    ]


def verify_period(
    plan: YearPlan,
    period: str,
    seed: Seed,
    scopes: Mapping[str, Population],
    records: Mapping[tuple[str, str], DrawRecord | str | bytes],
    *,
    sizing: AnnualSizing,
    as_of: datetime.date,
    history: InspectionHistory | Sequence[PastInspection] = (),
    earlier: Sequence[JointDraw] = (),
    visits: Sequence[MergedVisit] | None = None,
    off_site_checks: Sequence[MergedVisit] | None = None,
) -> JointVerificationReport:
    """Re-derive a period of a year plan and check every initiator's record and the visits.

    ``records`` maps (task id, initiating department) to its draw record; cooperating
    departments draw nothing and have no record. Each record is verified against the task's
    population after the exclusion rules (re-applied from ``history``), and must use the
    period's seed, the ``enterprises`` purpose and the plan's sizes.

    >>> import datetime
    >>> from randsample import make_record
    >>> from randsample.examples import small_year
    >>> plan, sizing, seed, scopes = small_year()
    >>> day = datetime.date(2026, 1, 10)
    >>> draw = draw_period(plan, "2026-01", seed, scopes, sizing=sizing, as_of=day)
    >>> records = {(d.task_id, d.department): make_record(d.sample, authority=d.department,
    ...            draw_id=f"{d.task_id}/2026-01", timestamp="2026-01-10T02:00:00Z")
    ...            for d in draw.own_draws}
    >>> print(verify_period(plan, "2026-01", seed, scopes, records, sizing=sizing, as_of=day,
    ...                     visits=draw.visits))
    VERIFIED: 2 draws and the visits of 2026-01
    """
    expected = draw_period(
        plan, period, seed, scopes, sizing=sizing, as_of=as_of, history=history, earlier=earlier
    )
    return _verify_expected(
        expected, seed, expected.population, records, visits=visits, off_site_checks=off_site_checks
    )
