"""The plan's target ratios: joint share, enterprises covered jointly, credit-risk-based draws.

Each metric is a figure with its numerator and denominator and a pass/fail against a target
the user can set (defaults from the plan: 60%, 50%, 95%).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import attrs

from .._text import decimal as _decimal
from ..design import parse_rate
from ..errors import InvalidTypeError
from ..joint import JointDraw
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


@attrs.frozen
class PlanMetrics:
    """The plan's three target ratios over a set of periods."""

    joint_tasks: PlanMetric
    joint_enterprises: PlanMetric
    credit_risk_draws: PlanMetric

    def summary(self) -> str:
        """Return the three ratios as a table (percentages rounded half up).

        >>> from randsample.examples import small_joint_draw
        >>> print(plan_metrics([small_joint_draw()]).summary())
        metric                                           count    value  target  met
        joint tasks / all tasks                            1/1  100.00%  60.00%  yes
        joint-inspected / inspected enterprises            3/3  100.00%  50.00%  yes
        credit-risk draws / all draws                      2/2  100.00%  95.00%  yes
        """
        rows = [f"{'metric':<42} {'count':>11} {'value':>8} {'target':>7}  met"]
        for m in (self.joint_tasks, self.joint_enterprises, self.credit_risk_draws):
            value = "n/a" if m.value is None else _decimal(m.value * 100) + "%"
            met = {None: "n/a", True: "yes", False: "NO"}[m.passed]
            count = f"{m.numerator}/{m.denominator}"
            rows.append(
                f"{m.name:<42} {count:>11} {value:>8} {_decimal(m.target * 100) + '%':>7}  {met}"
            )
        return "\n".join(rows)


def plan_metrics(
    results: Sequence[JointDraw], *, targets: MetricTargets | None = None
) -> PlanMetrics:
    """Compute the plan's target ratios over the draws of one or more periods.

    * joint tasks: merged tasks with several departments / all merged tasks (次数);
    * joint enterprises: enterprises drawn in a joint task / all enterprises drawn (户数),
      each period counted on its own and the counts added (an enterprise drawn in two
      periods counts twice, as in the cumulative monthly report);
    * credit-risk draws: department draws whose design uses the credit-risk classes / all
      department draws (one draw record each).

    >>> from randsample.examples import small_joint_draw
    >>> metrics = plan_metrics([small_joint_draw()], targets=MetricTargets(joint_tasks="80%"))
    >>> metrics.joint_tasks.value, metrics.joint_tasks.target, metrics.joint_tasks.passed
    (Fraction(1, 1), Fraction(4, 5), True)
    """
    targets = MetricTargets() if targets is None else targets
    if not isinstance(targets, MetricTargets):
        raise InvalidTypeError("targets", targets, "a MetricTargets")
    checked = _check_results(results)
    tasks = [task for r in checked for task in r.tasks]
    joint_ids = {task.task_id for task in tasks if task.kind == "joint"}
    joint_enterprises = enterprises = 0
    for result in checked:
        everyone = result.visits + result.off_site_checks
        enterprises += len(everyone)
        joint_enterprises += sum(
            any(a.task_id in joint_ids for a in visit.drawn_units) for visit in everyone
        )
    draws = [draw for r in checked for draw in r.draws]
    return PlanMetrics(
        PlanMetric("joint tasks / all tasks", len(joint_ids), len(tasks), targets.joint_tasks),
        PlanMetric(
            "joint-inspected / inspected enterprises",
            joint_enterprises,
            enterprises,
            targets.joint_enterprises,
        ),
        PlanMetric(
            "credit-risk draws / all draws",
            sum(d.uses_credit_risk for d in draws),
            len(draws),
            targets.credit_risk_draws,
        ),
    )
