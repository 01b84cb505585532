"""The plan's target ratios: joint share, enterprises inspected jointly, credit-risk-based draws.

Each metric is a figure with its numerator and denominator and a pass/fail against a target
the user can set (defaults from the plan: 60%, 50%, 95%). The definitions:

* **joint tasks / all tasks** (次数): the tasks run in the periods, one per (period, task);
  joint tasks are those the plan declares joint (a declared :class:`~randsample.joint.JointTask`,
  or in the coordinated mode a task merged under a declared industry lead). Nothing is
  inferred from who happens to draw what.
* **joint-inspected / inspected enterprises** (户数): the (period, enterprise) pairs drawn for
  inspection, each period counted on its own and added (as in the cumulative monthly report).
  An enterprise is *joint-inspected* when **two or more departments inspect it in one joint
  task**: being on a joint task's list is not enough. (In the coordinated mode two departments
  at A 3% and A 1% put three times as many enterprises on the task as they inspect together;
  only the overlap counts.)
* **credit-risk draws / all draws**: the draws made (one draw record each; a cooperating
  department's share of a declared list is not a draw), counting those whose rates differ by
  credit class (:func:`~randsample.joint.credit_risk_based`, crossed strata such as ``C|餐饮``
  understood) or that the task declared so. ``credit_classes`` sets the class scheme (A-D by
  default; A-E allowed).

"Inspected" here means drawn for inspection; counting results entered (已检查) is the monthly
report's column 完成检查户数.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import attrs

from .. import _validation as check
from .._text import Column, Tabular, percent
from ..design import parse_rate
from ..joint import CreditScheme, DepartmentDraw, JointDraw, credit_risk_based
from ._burden import _check_results

__all__ = ["MetricTargets", "PlanMetric", "PlanMetrics", "plan_metrics"]


def _joint_tasks_target(value: object) -> Fraction:
    return parse_rate(value, field="targets.joint_tasks")


def _joint_enterprises_target(value: object) -> Fraction:
    return parse_rate(value, field="targets.joint_enterprises")


def _credit_risk_target(value: object) -> Fraction:
    return parse_rate(value, field="targets.credit_risk_draws")


@attrs.frozen
class MetricTargets:
    """The plan's targets (each a rate such as ``"60%"``); the defaults are the plan's."""

    joint_tasks: Fraction = attrs.field(default=Fraction(3, 5), converter=_joint_tasks_target)
    joint_enterprises: Fraction = attrs.field(
        default=Fraction(1, 2), converter=_joint_enterprises_target
    )
    credit_risk_draws: Fraction = attrs.field(
        default=Fraction(95, 100), converter=_credit_risk_target
    )


@attrs.frozen
class PlanMetric:
    """One target ratio: numerator, denominator, exact value, target and whether it is met."""

    name: str
    numerator: int
    denominator: int
    target: Fraction

    @property
    def value(self) -> Fraction | None:
        """Return the exact ratio, or None when nothing was counted."""
        return Fraction(self.numerator, self.denominator) if self.denominator else None

    @property
    def passed(self) -> bool | None:
        """Return whether the ratio meets the target (None when nothing was counted)."""
        return None if self.value is None else self.value >= self.target


def _value(value: Fraction | None) -> str:
    return "n/a" if value is None else percent(value)


def _met(passed: bool | None) -> str:
    return {None: "n/a", True: "yes", False: "NO"}[passed]


@attrs.frozen(eq=False)
class PlanMetrics(Tabular):
    """The plan's three target ratios over a set of periods (a table: one row per metric)."""

    joint_tasks: PlanMetric
    joint_enterprises: PlanMetric
    credit_risk_draws: PlanMetric

    def __repr__(self) -> str:
        shown = ", ".join(f"{m.numerator}/{m.denominator} {_met(m.passed)}" for m in self.metrics)
        return f"PlanMetrics({shown})"

    @property
    def metrics(self) -> tuple[PlanMetric, PlanMetric, PlanMetric]:
        """The three metrics, in the plan's order."""
        return (self.joint_tasks, self.joint_enterprises, self.credit_risk_draws)

    def _columns(self) -> list[Column]:
        return [
            Column("name", "metric", align="<"),
            Column("numerator", "numerator"),
            Column("denominator", "denominator"),
            Column("value", "value", _value),
            Column("target", "target", percent),
            Column("passed", "met", _met, "<"),
        ]

    def _items(self) -> list[dict[str, object]]:
        return [
            {
                "name": m.name,
                "numerator": m.numerator,
                "denominator": m.denominator,
                "value": m.value,
                "target": m.target,
                "passed": m.passed,
            }
            for m in self.metrics
        ]


def _credit_flag(draw: DepartmentDraw, scheme: CreditScheme | None) -> bool:
    if scheme is None:
        return draw.uses_credit_risk
    if draw.declared_credit_risk is not None:
        return draw.declared_credit_risk
    rates = dict(draw.nominal_rates) if draw.nominal_rates else draw.sizes
    return credit_risk_based(rates, scheme)


def plan_metrics(
    results: Sequence[JointDraw],
    *,
    targets: MetricTargets | None = None,
    credit_classes: CreditScheme | None = None,
) -> PlanMetrics:
    """Compute the plan's target ratios over the draws of one or more periods.

    The definitions are in the module doc. ``credit_classes`` re-derives every draw's
    credit-risk flag under another class scheme (by default the flag each draw was made with,
    under its plan's classes).

    >>> from randsample.examples import small_joint_draw
    >>> print(plan_metrics([small_joint_draw()]).summary())
    metric                                   numerator  denominator    value  target  met
    joint tasks / all tasks                          1            1  100.00%  60.00%  yes
    joint-inspected / inspected enterprises          3            3  100.00%  50.00%  yes
    credit-risk draws / all draws                    2            2  100.00%  95.00%  yes
    >>> metrics = plan_metrics([small_joint_draw()], targets=MetricTargets(joint_tasks="80%"))
    >>> metrics.joint_tasks.value, metrics.joint_tasks.target, metrics.joint_tasks.passed
    (Fraction(1, 1), Fraction(4, 5), True)
    """
    targets = MetricTargets() if targets is None else targets
    check.instance(targets, "targets", MetricTargets)
    if credit_classes is not None:
        check.instance(credit_classes, "credit_classes", CreditScheme)
    checked = _check_results(results)
    task_count = joint_count = enterprises = joint_enterprises = 0
    for result in checked:
        joint_ids = {task.task_id for task in result.tasks if task.kind == "joint"}
        task_count += len(result.tasks)
        joint_count += len(joint_ids)
        for visit in (*result.visits, *result.off_site_checks):
            enterprises += 1
            by_task: dict[str, set[str]] = {}
            for unit in visit.drawn_units:
                if unit.task_id in joint_ids:
                    by_task.setdefault(unit.task_id, set()).add(unit.department)
            joint_enterprises += any(len(d) >= 2 for d in by_task.values())
    draws = [draw for r in checked for draw in r.draws if draw.is_draw]
    return PlanMetrics(
        PlanMetric("joint tasks / all tasks", joint_count, task_count, targets.joint_tasks),
        PlanMetric(
            "joint-inspected / inspected enterprises",
            joint_enterprises,
            enterprises,
            targets.joint_enterprises,
        ),
        PlanMetric(
            "credit-risk draws / all draws",
            sum(_credit_flag(d, credit_classes) for d in draws),
            len(draws),
            targets.credit_risk_draws,
        ),
    )
