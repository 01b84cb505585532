"""Small declared-mode examples for the doctests: a two-department year plan, v2 teams."""

from __future__ import annotations

import datetime

from ..core import Seed
from ..joint import (
    AnnualSizing,
    Department,
    ExclusionRule,
    InspectionItem,
    InternalTask,
    JointItem,
    JointTask,
    YearPlan,
)
from ..population import Population
from ..teams import Directory, Expert, ExpertPool, Inspector, TeamVisit

# -- a small year plan (declared joint tasks), used by the doctests ---------------------------


def small_year_plan() -> YearPlan:
    """Return a small declared year plan: a joint task of SAMR and HEALTH and an internal task.

    The joint item J-01 (county level) is initiated by SAMR with HEALTH cooperating; task
    T-01 runs it monthly over ``餐饮``; T-02 is SAMR's own advertising check, quarterly. The
    exclusion rule keeps an enterprise from being drawn twice in the year by the same task's
    departments, unless its last inspection found a problem.
    """
    periods = tuple(f"2026-{month:02d}" for month in range(1, 13))
    return YearPlan(
        year=2026,
        periods=periods,
        departments=[Department("SAMR", "市场监管局"), Department("HEALTH", "卫生健康局")],
        items=[
            InspectionItem("SAMR", "S-01", "《食品安全法》第八十七条", "食品安全", "on-site"),
            InspectionItem("SAMR", "S-02", "《广告法》第四十九条", "广告", "written-review"),
            InspectionItem("HEALTH", "H-01", "《公共场所卫生管理条例》", "卫生", "on-site"),
        ],
        joint_items=[
            JointItem(
                item_id="J-01",
                name="餐饮服务联合检查",
                initiator="SAMR",
                cooperating=["HEALTH"],
                level="county",
                items=["S-01", "H-01"],
            )
        ],
        tasks=[
            JointTask(
                task_id="T-01",
                joint_item="J-01",
                initiator="SAMR",
                scope="餐饮",
                periods=periods,
                quotas={"A": "10%", "B": "30%（6户）"},
            ),
            InternalTask(
                task_id="T-02",
                department="SAMR",
                items=["S-02"],
                scope="餐饮",
                periods=periods[::3],
                quotas={"A": "5%", "B": "10%"},
            ),
        ],
        exclusions=[ExclusionRule(name="this year", window="year", departments="task")],
    )


def small_year() -> tuple[YearPlan, AnnualSizing, Seed, dict[str, Population]]:
    """Return the small year plan, its sizing on 120 A and 30 B enterprises, a seed, scopes."""
    plan = small_year_plan()
    population = Population.from_columns(
        [f"E{i:03d}" for i in range(150)], strata=["A"] * 120 + ["B"] * 30
    )
    scopes = {"餐饮": population}
    return plan, plan.sizing(scopes), Seed.from_bytes(bytes(range(16))), scopes


def small_team_inputs() -> tuple[Directory, ExpertPool, list[TeamVisit]]:
    """Return a small directory (SAMR 5, HEALTH 4 officers), 2 experts and 3 v2 visits.

    V-1 is a joint visit initiated by SAMR with HEALTH and one expert; V-2 is SAMR's own
    visit; V-3 is initiated by HEALTH with SAMR, which sends 3 officers.
    """
    day = datetime.date(2026, 3, 2)
    regions = ("城关镇", "东关街道", "西湖乡")
    officers = [
        Inspector(
            id=f"{code}-{i}",
            department=code,
            certified=True,
            categories=categories,
            home_region=regions[i % 3],
            capacity=2,
        )
        for code, count, categories in (
            ("SAMR", 5, {"食品安全", "广告"}),
            ("HEALTH", 4, {"卫生"}),
        )
        for i in range(count)
    ]
    experts = ExpertPool(
        [
            Expert(id=f"专家-{i}", categories={"特种设备"}, home_region=regions[i], capacity=2)
            for i in range(2)
        ]
    )
    both = {"SAMR": {"食品安全"}, "HEALTH": {"卫生"}}
    visits = [
        TeamVisit(
            visit_id="V-1",
            enterprise_id="E-1",
            date=day,
            departments=["SAMR", "HEALTH"],
            items=both,
            experts=1,
            expert_categories={"特种设备"},
            location="城关镇",
        ),
        TeamVisit(
            visit_id="V-2",
            enterprise_id="E-2",
            date=day,
            departments=["SAMR"],
            items={"SAMR": {"广告"}},
            location="东关街道",
        ),
        TeamVisit(
            visit_id="V-3",
            enterprise_id="E-3",
            date=day,
            departments=["HEALTH", "SAMR"],
            items=both,
            minimums={"SAMR": 3},
            location="西湖乡",
        ),
    ]
    return Directory(officers), experts, visits
