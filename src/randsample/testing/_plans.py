"""Strategies for joint-inspection plans."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hypothesis import strategies as st

from ..joint import METHODS, Department, InspectionItem, Plan, Task
from ..population import CREDIT_CLASSES
from ._units import designs

__all__ = ["plans"]


@st.composite
def plans(
    draw: st.DrawFn,
    *,
    strata: Sequence[str] = CREDIT_CLASSES,
    max_departments: int = 3,
    periods: Sequence[str] = ("2026-Q1", "2026-Q2"),
    scopes: Sequence[str] = ("餐饮", "药店", "商超"),
) -> Plan:
    """Return a strategy for small valid plans, joint and internal tasks mixed.

    Departments ``D0``, ``D1``... each have one or two items (random methods); in each
    (period, scope) some departments draw, by per-stratum rates over ``strata``
    (:func:`designs`, up to 20%), with the last stratum maybe take-all. A department may
    split its draw into two tasks (same design, another item), which
    :func:`~randsample.merge_plan` merges. Every scope drawn by several departments in a
    period has a lead that takes part. Populations for :func:`~randsample.draw_joint` need
    exactly the labels of ``strata``.

    >>> from hypothesis import given, settings
    >>> from randsample import merge_plan
    >>> @settings(max_examples=10, database=None)
    ... @given(plans())
    ... def check(plan):
    ...     assert merge_plan(plan).tasks
    >>> check()
    """
    codes = [f"D{k}" for k in range(draw(st.integers(1, max_departments)))]
    departments = [Department(code, f"部门{code}") for code in codes]
    items: dict[str, list[InspectionItem]] = {}
    for code in codes:
        items[code] = [
            InspectionItem(
                code, f"{code}-{k:02d}", "法律依据", "类别", draw(st.sampled_from(METHODS))
            )
            for k in range(draw(st.integers(1, 2)))
        ]
    leads = {scope: draw(st.sampled_from(codes)) for scope in scopes}
    tasks: list[Task] = []
    for period in periods:
        for scope in scopes:
            taking_part = draw(st.lists(st.sampled_from(codes), unique=True))
            if len(taking_part) > 1 and leads[scope] not in taking_part:
                taking_part.append(leads[scope])
            for code in taking_part:
                tasks.extend(
                    _tasks(
                        draw,
                        code=code,
                        items=items[code],
                        scope=scope,
                        period=period,
                        strata=strata,
                        start=len(tasks),
                    )
                )
    if not tasks:
        tasks.extend(
            _tasks(
                draw,
                code=codes[0],
                items=items[codes[0]],
                scope=scopes[0],
                period=periods[0],
                strata=strata,
                start=0,
            )
        )
    used = {task.scope for task in tasks}
    return Plan(
        departments,
        [item for code in codes for item in items[code]],
        tasks,
        {scope: lead for scope, lead in leads.items() if scope in used},
    )


def _tasks(
    draw: st.DrawFn,
    *,
    code: str,
    items: list[InspectionItem],
    scope: str,
    period: str,
    strata: Sequence[str],
    start: int,
) -> list[Task]:
    design: dict[str, Any] = {"rates": draw(designs(strata=strata, max_rate=20))}
    if len(strata) > 1 and draw(st.booleans()):
        del design["rates"][strata[-1]]
        design["take_all"] = [strata[-1]]
    split = len(items) > 1 and draw(st.booleans())
    groups = [[items[0].item_id], [items[1].item_id]] if split else [[i.item_id for i in items]]
    return [
        Task(
            task_id=f"T{start + k + 1:03d}",
            department=code,
            items=group,
            scope=scope,
            period=period,
            **design,
        )
        for k, group in enumerate(groups)
    ]
