"""The coordinated-mode example: six departments' own designs over four industries.

Also the small two-department example used by the doctests of the coordinated mode and of the
reports.
"""

from __future__ import annotations

import hashlib
from fractions import Fraction
from typing import Any

from ..core import Seed
from ..joint import (
    Department,
    InspectionItem,
    JointDraw,
    MergedPlan,
    Method,
    Plan,
    Task,
    draw_joint,
    merge_plan,
)
from ..population import Population
from ..reports import MonthlyReport, Outcome, monthly_report
from ..teams import Directory, Inspector
from ._county import TOWNSHIPS, _stream, _uniform_below

#: The demo county's industries (scopes of the joint plan), with their share in percent.
INDUSTRIES = {"餐饮": 35, "食品销售": 30, "药品零售": 10, "制造业": 25}
#: Department code -> (name, industries covered, class rates A/B/C/D in percent, method).
DEMO_DEPARTMENTS: dict[str, tuple[str, tuple[str, ...], tuple[int, int, int, int], Method]] = {
    "SAMR": ("市场监督管理局", tuple(INDUSTRIES), (3, 5, 10, 30), "on-site"),
    "HEALTH": ("卫生健康局", ("餐饮", "食品销售"), (2, 4, 8, 20), "on-site"),
    "NMPA": ("药品监督管理局", ("药品零售",), (5, 8, 15, 40), "on-site"),
    "EMERG": ("应急管理局", ("制造业", "餐饮"), (1, 3, 10, 25), "on-site"),
    "FIRE": ("消防救援大队", ("餐饮", "食品销售", "药品零售"), (1, 2, 5, 15), "on-site"),
    "ECO": ("生态环境分局", ("制造业",), (2, 5, 12, 35), "online-monitoring"),
}
#: The department in charge of each industry ("one industry, one inspection").
DEMO_LEADS = {"餐饮": "SAMR", "食品销售": "SAMR", "药品零售": "NMPA", "制造业": "EMERG"}


def _industry_of(ident: str) -> str:
    point = int.from_bytes(hashlib.sha256(f"industry/{ident}".encode()).digest()[:8], "big")
    point = point * 100 >> 64
    for name, share in INDUSTRIES.items():
        if point < share:
            return name
        point -= share
    raise AssertionError("shares sum to 100")  # pragma: no cover


def demo_scopes(county: Population) -> dict[str, Population]:
    """Split the county into one population per industry (each a scope of the joint plan).

    >>> from randsample.examples import demo_population
    >>> sorted(demo_scopes(demo_population(size=200)))
    ['制造业', '药品零售', '食品销售', '餐饮']
    """
    rows: dict[str, list[int]] = {name: [] for name in INDUSTRIES}
    for index, ident in enumerate(county.ids.tolist()):
        rows[_industry_of(ident)].append(index)
    return {
        name: Population.from_columns(
            county.ids[index], strata=county.strata[index], eligible=county.eligible[index]
        )
        for name, index in rows.items()
    }


def demo_joint_plan(period: str) -> Plan:
    """Return the example plan: six departments, one task per (department, industry).

    >>> len(demo_joint_plan("2026-12").tasks)
    13
    """
    items: list[InspectionItem] = []
    tasks: list[Task] = []
    for code, (_, industries, rates, method) in DEMO_DEPARTMENTS.items():
        items.append(InspectionItem(code, f"{code}-01", f"{code} 法规", "日常监管", method))
        tasks.extend(
            Task(
                task_id=f"{code}-{industry}",
                department=code,
                items=[f"{code}-01"],
                scope=industry,
                period=period,
                rates={h: Fraction(r, 100) for h, r in zip("ABCD", rates, strict=True)},
            )
            for industry in industries
        )
    departments = [Department(code, name) for code, (name, *_) in DEMO_DEPARTMENTS.items()]
    return Plan(departments, items, tasks, DEMO_LEADS)


def demo_joint_directory(*, per_department: int = 12) -> Directory:
    """Return officers for the six departments of :func:`demo_joint_plan`.

    Each department has ``per_department`` certified officers holding the plan's item category
    ``"日常监管"``, based in the county's towns, capacities 20-29.

    >>> directory = demo_joint_directory(per_department=3)
    >>> len(directory.inspectors), sorted(directory.departments)[:2]
    (18, ['ECO', 'EMERG'])
    """
    return Directory(
        [
            Inspector(
                id=f"{code}-{i:02d}",
                department=code,
                certified=True,
                categories={"日常监管"},
                home_region=TOWNSHIPS[_stream(f"home {code}", i) % len(TOWNSHIPS)],
                capacity=20 + _stream(f"capacity {code}", i) % 10,
            )
            for code in DEMO_DEPARTMENTS
            for i in range(per_department)
        ]
    )


def demo_outcomes(result: JointDraw) -> dict[tuple[str, str], Outcome]:
    """Return example inspection outcomes for every enterprise drawn in ``result``.

    About 90% are completed and about 15% of those find a problem (deterministic, from SHA-256
    of the enterprise id).
    """
    outcomes = {}
    for visit in (*result.visits, *result.off_site_checks):
        completed = _uniform_below("completed", visit.enterprise, Fraction(9, 10))
        problem = completed and _uniform_below("problem", visit.enterprise, Fraction(15, 100))
        outcomes[result.period, visit.enterprise] = Outcome(completed, problem)
    return outcomes


# -- a small joint example (two departments, one scope), used by the doctests --------------


def small_joint_plan() -> Plan:
    """Return a two-department plan over one scope, for examples and doctests."""
    common: dict[str, Any] = {"scope": "餐饮", "period": "2026-Q4"}
    common |= {"rates": {"A": "10%"}, "sizes": {"B": 1}}
    return Plan(
        departments=[Department("SAMR", "市场监管局"), Department("HEALTH", "卫生健康局")],
        items=[
            InspectionItem("SAMR", "F-01", "《食品安全法》第八十七条", "食品安全", "on-site"),
            InspectionItem("SAMR", "F-02", "《广告法》第四十九条", "广告", "written-review"),
            InspectionItem("HEALTH", "H-01", "《公共场所卫生管理条例》", "卫生", "on-site"),
        ],
        tasks=[
            Task(task_id=task, department=department, items=[item], **common)
            for task, department, item in (
                ("S1", "SAMR", "F-01"),
                ("S2", "SAMR", "F-02"),
                ("H1", "HEALTH", "H-01"),
            )
        ],
        industry_leads={"餐饮": "SAMR"},
    )


def small_joint() -> tuple[MergedPlan, Seed, dict[str, Population]]:
    """Return the small example's merged plan, seed and scope populations."""
    population = Population.from_columns(
        [f"E{i:02d}" for i in range(25)], strata=["A"] * 20 + ["B"] * 5
    )
    return merge_plan(small_joint_plan()), Seed.from_bytes(bytes(range(16))), {"餐饮": population}


def small_joint_draw() -> JointDraw:
    """Return the small example's coordinated draw (two departments, one scope)."""
    merged, seed, scopes = small_joint()
    return draw_joint(merged, seed, scopes)


def small_monthly_report() -> MonthlyReport:
    """Return the monthly report of :func:`small_joint_draw` with two outcomes."""
    draw = small_joint_draw()
    first, second = (visit.enterprise for visit in draw.visits[:2])
    outcomes = {
        ("2026-Q4", first): Outcome(completed=True, problem_found=True),
        ("2026-Q4", second): Outcome(completed=True),
    }
    return monthly_report([draw], outcomes)
