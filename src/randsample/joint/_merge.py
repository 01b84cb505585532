"""The coordinated mode: merging departments' own draws, one joint task per industry.

This is the second, explicitly named mode of joint work (一业一查 merging of the departments'
own designs); the default is the declared joint task of a
:class:`~randsample.joint.YearPlan`. :func:`merge_plan` applies the plan's two merging rules
and says why for each result:

* *one industry, one inspection* (一业一查): the tasks of several departments over the same
  scope in the same period become one **joint** task led by the scope's lead department;
* a department's several tasks over one scope and period become one draw (**internal** task
  when no other department joins), their items merged. Their designs must agree: one
  department cannot draw one scope twice in one period.
"""

from __future__ import annotations

from typing import ClassVar

import attrs

from ..errors import InvalidInputError, InvalidTypeError
from ._credit import FOUR_CLASSES, CreditScheme
from ._plan import _INTERNAL, _JOINT, Department, Design, InspectionItem, Plan, Task, TaskKind

__all__ = ["MergedPlan", "MergedTask", "TaskPart", "merge_plan"]


@attrs.frozen
class TaskPart:
    """One department's share of a merged task: its merged items, design and source tasks."""

    department: str
    items: tuple[str, ...]
    on_site_items: tuple[str, ...]
    design: Design
    source_tasks: tuple[str, ...]

    @property
    def on_site(self) -> bool:
        """Whether the department needs a visit to the enterprises it draws."""
        return bool(self.on_site_items)


@attrs.frozen
class MergedTask:
    """One draw occasion: a scope in a period, with one part per department taking part."""

    task_id: str
    kind: TaskKind
    period: str
    scope: str
    lead: str
    parts: tuple[TaskPart, ...]
    reason: str

    @property
    def departments(self) -> tuple[str, ...]:
        """The departments taking part, by code."""
        return tuple(part.department for part in self.parts)

    def part(self, department: str) -> TaskPart:
        """Return ``department``'s part of this task."""
        for part in self.parts:
            if part.department == department:
                return part
        raise InvalidInputError("department", department, f"takes no part in task {self.task_id!r}")

    def explain(self) -> str:
        """Return which input tasks went where, and why."""
        lines = [f"{self.task_id} ({self.kind}, lead {self.lead}): {self.reason}"]
        for part in self.parts:
            sources = ", ".join(part.source_tasks)
            merged = (
                " (merged: same department, scope and period)" if len(part.source_tasks) > 1 else ""
            )
            visit = "on-site" if part.on_site else "off-site only"
            lines.append(
                f"  {part.department}: from {sources}{merged}; items {', '.join(part.items)}"
                f" [{visit}]; design {part.design.describe()}"
            )
        return "\n".join(lines)


@attrs.frozen
class MergedPlan:
    """The plan after merging: one task per (period, scope). See :func:`merge_plan`."""

    departments: tuple[Department, ...]
    items: tuple[InspectionItem, ...]
    industry_leads: tuple[tuple[str, str], ...]
    tasks: tuple[MergedTask, ...]
    source_count: int
    credit_classes: CreditScheme = FOUR_CLASSES

    #: The mode of joint work this plan runs (see :mod:`randsample.joint`).
    mode: ClassVar[str] = "coordinated"

    @property
    def periods(self) -> tuple[str, ...]:
        """The periods of the plan, in code point order."""
        return tuple(sorted({task.period for task in self.tasks}))

    def tasks_in(self, period: str) -> tuple[MergedTask, ...]:
        """Return the merged tasks of ``period``, by scope."""
        return tuple(task for task in self.tasks if task.period == period)

    def task(self, task_id: str) -> MergedTask:
        """Return the merged task with id ``task_id``."""
        for task in self.tasks:
            if task.task_id == task_id:
                return task
        raise InvalidInputError("task_id", task_id, "is not a merged task of the plan")

    def item(self, item_id: str) -> InspectionItem:
        """Return the inspection item ``item_id`` (its department, category and method)."""
        for item in self.items:
            if item.item_id == item_id:
                return item
        raise InvalidInputError("item_id", item_id, "is not an inspection item of the plan")

    def explain(self) -> str:
        """Return a human-readable account of every merge.

        >>> from randsample.examples import small_joint_plan
        >>> print(merge_plan(small_joint_plan()).explain())  # doctest: +NORMALIZE_WHITESPACE
        3 input tasks -> 1 merged tasks (1 joint, 0 internal)
        joint/2026-Q4/餐饮 (joint, lead SAMR): 2 departments draw scope '餐饮' in 2026-Q4:
          one industry, one inspection (一业一查), led by SAMR (the lead declared for '餐饮')
          HEALTH: from H1; items H-01 [on-site]; design A 1/10, B n=1 (rounding ceiling)
          SAMR: from S1, S2 (merged: same department, scope and period); items F-01, F-02
          [on-site]; design A 1/10, B n=1 (rounding ceiling)
        """
        joint = sum(task.kind == "joint" for task in self.tasks)
        lines = [
            f"{self.source_count} input tasks -> {len(self.tasks)} merged tasks "
            f"({joint} joint, {len(self.tasks) - joint} internal)"
        ]
        lines.extend(task.explain() for task in self.tasks)
        return "\n".join(lines)

    def as_plan(self) -> Plan:
        """Return a plan with one task per merged part (merging it again changes nothing)."""
        tasks = [
            Task(
                task_id=f"{task.task_id}/{part.department}",
                department=part.department,
                items=part.items,
                scope=task.scope,
                period=task.period,
                rates=part.design.rates,
                sizes=part.design.sizes,
                take_all=part.design.take_all,
                rounding=part.design.rounding,
                uses_credit_risk=part.design.uses_credit_risk,
            )
            for task in self.tasks
            for part in task.parts
        ]
        return Plan(
            self.departments,
            self.items,
            tasks,
            self.industry_leads,
            credit_classes=self.credit_classes,
        )


def merge_plan(plan: Plan) -> MergedPlan:
    """Merge the plan's tasks: one task per (period, scope), one part per department.

    Several departments over one scope and period make a **joint** task led by the scope's
    lead; a lone department makes an **internal** task. A department's tasks over one scope and
    period become one part with their items merged (their designs agree: :class:`Plan` checks).
    The result does not depend on the order of the plan's tasks.

    >>> from randsample.examples import small_joint_plan
    >>> merged = merge_plan(small_joint_plan())
    >>> [(t.task_id, t.kind, t.lead, t.departments) for t in merged.tasks]
    [('joint/2026-Q4/餐饮', 'joint', 'SAMR', ('HEALTH', 'SAMR'))]
    >>> merged.tasks[0].part("SAMR").items
    ('F-01', 'F-02')
    """
    if not isinstance(plan, Plan):
        raise InvalidTypeError("plan", plan, "a Plan")
    items = {item.item_id: item for item in plan.items}
    leads = dict(plan.industry_leads)
    groups: dict[tuple[str, str], dict[str, list[Task]]] = {}
    for task in plan.tasks:
        by_department = groups.setdefault((task.period, task.scope), {})
        by_department.setdefault(task.department, []).append(task)
    merged: list[MergedTask] = []
    for (period, scope), by_department in sorted(groups.items()):
        parts = []
        for department, tasks in sorted(by_department.items()):
            ids = sorted({item for task in tasks for item in task.items})
            parts.append(
                TaskPart(
                    department=department,
                    items=tuple(ids),
                    on_site_items=tuple(i for i in ids if items[i].on_site),
                    design=tasks[0].design,
                    source_tasks=tuple(sorted(task.task_id for task in tasks)),
                )
            )
        if len(parts) > 1:
            lead = leads[scope]
            task_id, kind = f"joint/{period}/{scope}", _JOINT
            reason = (
                f"{len(parts)} departments draw scope {scope!r} in {period}: one industry, one "
                f"inspection (一业一查), led by {lead} (the lead declared for {scope!r})"
            )
        else:
            lead = parts[0].department
            task_id, kind = f"internal/{period}/{scope}", _INTERNAL
            reason = f"only {lead} draws scope {scope!r} in {period}: an internal task"
        if any(task.task_id == task_id for task in merged):
            # Only reachable when labels contain "/" and two (period, scope) pairs spell alike.
            raise InvalidInputError(
                "tasks", task_id, "two (period, scope) pairs give the same merged task id"
            )
        merged.append(MergedTask(task_id, kind, period, scope, lead, tuple(parts), reason))
    return MergedPlan(
        departments=tuple(sorted(plan.departments, key=lambda d: d.code)),
        items=tuple(sorted(plan.items, key=lambda i: i.item_id)),
        industry_leads=plan.industry_leads,
        tasks=tuple(merged),
        source_count=len(plan.tasks),
        credit_classes=plan.credit_classes,
    )
