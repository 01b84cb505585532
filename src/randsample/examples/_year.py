"""A year of the example county as bureaus run it: declared joint tasks, teams, annual checks.

Six departments, a joint item list of four entries (county and city level), four monthly or
quarterly joint tasks over the county's industries and two internal tasks (one over a key
item), annual class rates within the example bands, exclusion rules as data, and per-month
teams of officers from every participating department with a leader and experts.
:func:`run_demo_year` runs the year end to end; ``randsample demo`` prints it and
``benchmarks/bench_year.py`` times it at 200,000 enterprises.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Mapping, Sequence
from fractions import Fraction

import attrs

from ..core import Seed
from ..joint import (
    PROBLEM_FOUND,
    AnnualReport,
    AnnualSizing,
    Band,
    Department,
    ExclusionRule,
    InspectionItem,
    InternalTask,
    JointDraw,
    JointItem,
    JointTask,
    PastInspection,
    YearPlan,
    annual_check,
    draw_period,
    inspections_from,
)
from ..population import Population
from ..reports import PlanMetrics, plan_metrics
from ..teams import (
    Conflicts,
    Directory,
    Expert,
    ExpertPool,
    Inspector,
    TeamAssignment,
    TeamVisit,
    assign_teams,
    team_visits_from_joint,
)
from ._county import TOWNSHIPS, _stream, _uniform_below, demo_location

#: Example annual bands, from the 林甸 county table (PRACTICE.md): A at most 5% of the class a
#: year and at most once per enterprise; B 5-20%, once; C 21-60%, at most twice; D 61-100%.
#: ("less than twice a year" is read as at most twice.) Bands are local rules: this is an
#: example, not a default.
LINDIAN_BANDS = (
    Band("A", "0%", "5%", per_enterprise=1),
    Band("B", "5%", "20%", per_enterprise=1),
    Band("C", "21%", "60%", per_enterprise=2),
    Band("D", "61%", "100%"),
)

#: Department code -> (name, officers, capacity per month, item categories).
YEAR_DEPARTMENTS: dict[str, tuple[str, int, int, tuple[str, ...]]] = {
    "SAMR": ("市场监督管理局", 40, 18, ("食品安全", "特种设备", "计量")),
    "HEALTH": ("卫生健康局", 24, 18, ("公共卫生",)),
    "NMPA": ("药品监督管理局", 10, 20, ("药品经营",)),
    "EMERG": ("应急管理局", 12, 15, ("安全生产",)),
    "FIRE": ("消防救援大队", 20, 18, ("消防安全",)),
    "ECO": ("生态环境分局", 8, 15, ("排污监测",)),
}
_ITEMS = (
    ("SAMR", "S-食品", "《食品安全法》第八十七条", "食品安全", "on-site", "general"),
    ("SAMR", "S-特设", "《特种设备安全法》第五十七条", "特种设备", "on-site", "key"),
    ("SAMR", "S-计量", "《计量法》第十八条", "计量", "on-site", "general"),
    ("HEALTH", "H-卫生", "《公共场所卫生管理条例》", "公共卫生", "on-site", "general"),
    ("NMPA", "N-药品", "《药品管理法》第九十九条", "药品经营", "on-site", "general"),
    ("EMERG", "E-安全", "《安全生产法》第六十五条", "安全生产", "on-site", "general"),
    ("FIRE", "F-消防", "《消防法》第五十三条", "消防安全", "on-site", "general"),
    ("ECO", "C-排污", "《排污许可管理条例》", "排污监测", "online-monitoring", "general"),
)


#: Below this many enterprises the example's county rules (the class bands, the annual cap and
#: the exclusion rules) are left out: one inspection is already more than 5% of a class of fewer
#: than 20 enterprises, and excluding the year's enterprises can leave a tiny class with none.
BANDS_FROM = 2000


_DEMO_EXCLUSIONS = (
    ExclusionRule(
        name="A/B once a year", window="year", classes={"A", "B"}, keep_if_last_outcome=()
    ),
    ExclusionRule(name="annual cap", window="year", at_least=2, keep_if_last_outcome=()),
    ExclusionRule(name="same departments", window="year", departments="task"),
)


def demo_year_plan(*, year: int = 2026, bands: bool = True) -> YearPlan:
    """Return the example county's year plan (monthly periods ``<year>-01`` ... ``-12``).

    ``bands=False`` leaves out :data:`LINDIAN_BANDS`, the annual cap and the exclusion rules
    (for counties too small for them).

    >>> plan = demo_year_plan()
    >>> [(t.task_id, t.kind) for t in plan.tasks]  # doctest: +NORMALIZE_WHITESPACE
    [('T-01', 'joint'), ('T-02', 'joint'), ('T-03', 'joint'), ('T-04', 'joint'),
     ('T-05', 'internal'), ('T-06', 'internal')]
    >>> plan.is_key(plan.task("T-05"))
    True
    """
    months = tuple(f"{year}-{m:02d}" for m in range(1, 13))
    quarters, even = months[2::3], months[1::2]

    def joint(task_id: str, item: str, scope: str, periods: Sequence[str], rates: str) -> JointTask:
        initiator = {"J-03": "NMPA", "J-04": "EMERG"}.get(item, "SAMR")
        quotas = dict(zip("ABCD", rates.split(), strict=True))
        return JointTask(
            task_id=task_id,
            joint_item=item,
            initiator=initiator,
            scope=scope,
            periods=periods,
            quotas=quotas,
            targeting="directed",
        )

    return YearPlan(
        year=year,
        periods=months,
        departments=[Department(code, entry[0]) for code, entry in YEAR_DEPARTMENTS.items()],
        items=[InspectionItem(*entry) for entry in _ITEMS],  # type: ignore[arg-type]
        joint_items=[
            JointItem(
                item_id="J-01",
                name="餐饮服务联合检查",
                initiator="SAMR",
                cooperating=["HEALTH", "FIRE"],
                level="county",
                items=["S-食品", "H-卫生", "F-消防"],
            ),
            JointItem(
                item_id="J-02",
                name="食品销售联合检查",
                initiator="SAMR",
                cooperating=["HEALTH"],
                level="county",
                items=["S-食品", "H-卫生"],
            ),
            JointItem(
                item_id="J-03",
                name="药品零售联合检查",
                initiator="NMPA",
                cooperating=["FIRE", "SAMR"],
                level="city",
                items=["N-药品", "F-消防", "S-计量"],
            ),
            JointItem(
                item_id="J-04",
                name="工业企业安全生产联合检查",
                initiator="EMERG",
                cooperating=["ECO", "SAMR"],
                level="county",
                items=["E-安全", "C-排污", "S-特设"],
            ),
        ],
        tasks=[
            joint("T-01", "J-01", "餐饮", months, "3% 8% 22% 65%"),
            joint("T-02", "J-02", "食品销售", months, "3% 8% 22% 65%"),
            joint("T-03", "J-03", "药品零售", quarters, "4% 10% 25% 70%"),
            joint("T-04", "J-04", "制造业", months, "2% 6% 22% 62%"),
            InternalTask(
                task_id="T-05",
                department="SAMR",
                items=["S-特设"],
                scope="制造业",
                periods=quarters,
                quotas={"A": "1%", "B": "3%", "C": "10%", "D": "20%（5户）"},
            ),
            InternalTask(
                task_id="T-06",
                department="HEALTH",
                items=["H-卫生"],
                scope="餐饮",
                periods=even,
                quotas={"A": "1%", "B": "2%", "C": "5%（10户）", "D": "10%"},
            ),
        ],
        bands=LINDIAN_BANDS if bands else (),
        annual_cap=2 if bands else None,
        exclusions=_DEMO_EXCLUSIONS if bands else (),
    )


def demo_year_directory(*, scale: int = 1) -> Directory:
    """Return the officers of :func:`demo_year_plan`'s six departments (capacities per month).

    ``scale`` multiplies every department's officers (for larger counties).

    >>> len(demo_year_directory()), sorted(demo_year_directory().departments)[:3]
    (114, ['ECO', 'EMERG', 'FIRE'])
    """
    officers = []
    for code, (_, count, capacity, categories) in YEAR_DEPARTMENTS.items():
        for i in range(count * scale):
            held = set(categories)
            if code == "SAMR":  # every SAMR officer: food safety and one of the other two
                held = {"食品安全", ("特种设备", "计量")[i % 2]} | (
                    {"计量"} if i % 5 == 0 else set()
                )
            officers.append(
                Inspector(
                    id=f"{code}-{i:02d}" if scale == 1 else f"{code}-{i:04d}",
                    department=code,
                    certified=True,
                    categories=held,
                    home_region=TOWNSHIPS[_stream(f"year home {code}", i) % len(TOWNSHIPS)],
                    capacity=capacity,
                )
            )
    return Directory(officers, categories={c: e[3] for c, e in YEAR_DEPARTMENTS.items()})


def demo_experts(*, scale: int = 1) -> ExpertPool:
    """Return the example expert pool: eight special-equipment experts (特种设备) per ``scale``."""
    return ExpertPool(
        [
            Expert(
                id=f"专家-{i}", categories={"特种设备"}, home_region=TOWNSHIPS[i % 6], capacity=8
            )
            for i in range(8 * scale)
        ]
    )


def demo_period_seed(period: str) -> Seed:
    """Return an example seed for ``period``.

    Example material: real seeds come from public sources published at each period's draw.
    """
    return Seed.from_bytes(hashlib.sha256(f"randsample example seed {period}".encode()).digest())


def _outcomes(draw: JointDraw) -> dict[tuple[str, str], str]:
    # About 15% of inspections find a problem (deterministic, from SHA-256 of the id).
    return {
        (draw.period, visit.enterprise): (
            PROBLEM_FOUND
            if _uniform_below(
                "year problem", f"{draw.period}/{visit.enterprise}", Fraction(15, 100)
            )
            else "no-problem"
        )
        for visit in (*draw.visits, *draw.off_site_checks)
    }


@attrs.frozen(eq=False)
class DemoYear:
    """The example year: the plan, its sizing, every period's draw and teams, the checks.

    ``history[k]`` is what period ``k``'s draw knew of past inspections and ``visits[k]`` the
    visits its teams staffed (what a verifier needs to re-derive them).
    """

    plan: YearPlan
    sizing: AnnualSizing
    draws: tuple[JointDraw, ...]
    teams: tuple[TeamAssignment, ...]
    annual: AnnualReport
    metrics: PlanMetrics
    history: tuple[tuple[PastInspection, ...], ...]
    visits: tuple[tuple[TeamVisit, ...], ...]

    def __repr__(self) -> str:
        return f"DemoYear(periods={len(self.draws)}, annual ok={self.annual.ok}, {self.metrics!r})"


def run_demo_year(
    scopes: Mapping[str, Population],
    *,
    plan: YearPlan | None = None,
    directory: Directory | None = None,
    experts: ExpertPool | None = None,
) -> DemoYear:
    """Run the example year on ``scopes``: size, draw each month, staff it, check the year.

    Each month: the period's draw (:func:`~randsample.joint.draw_period`, the history so far
    feeding the exclusion rules, the year so far the caps), then teams for every on-site visit
    (:func:`~randsample.teams.assign_teams`, two officers of every participating department,
    the initiator's leader, one special-equipment expert on industrial visits, the opt-in
    same-locality rule over the declared business locations); results (about 15% with a
    problem found) join the history. Then the annual check and the plan's metrics.
    """
    plan = demo_year_plan() if plan is None else plan
    directory = demo_year_directory() if directory is None else directory
    experts = demo_experts() if experts is None else experts
    sizing = plan.sizing(scopes)
    conflicts = Conflicts(same_locality=True)
    history: list[PastInspection] = []
    draws: list[JointDraw] = []
    teams: list[TeamAssignment] = []
    known: list[tuple[PastInspection, ...]] = []
    staffed: list[tuple[TeamVisit, ...]] = []
    for index, period in enumerate(plan.periods):
        day = datetime.date(plan.year, index % 12 + 1, 10)
        seed = demo_period_seed(period)
        known.append(tuple(history))
        draw = draw_period(
            plan, period, seed, scopes, sizing=sizing, as_of=day, history=history, earlier=draws
        )
        industrial = {
            v.visit_id: 1 for v in draw.visits if any(u.task_id == "T-04" for u in v.drawn_units)
        }
        visits = team_visits_from_joint(
            draw,
            plan,
            date=day,
            location=demo_location,
            experts=industrial,
            expert_categories={v: frozenset({"特种设备"}) for v in industrial},
        )
        staffed.append(tuple(visits))
        teams.append(assign_teams(directory, visits, seed, experts=experts, conflicts=conflicts))
        history.extend(inspections_from(draw, outcomes=_outcomes(draw)))
        draws.append(draw)
    return DemoYear(
        plan,
        sizing,
        tuple(draws),
        tuple(teams),
        annual_check(plan, sizing, draws),
        plan_metrics(draws),
        tuple(known),
        tuple(staffed),
    )
