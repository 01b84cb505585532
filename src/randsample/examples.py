"""Built-in example data: a synthetic county for the demo, the tutorial and the tests.

The county is generated deterministically from a SHA-256 counter stream (no numpy or Python
random state), so every machine and every version produces the same enterprises. The seed
material here is *example* material: a real draw uses public sources published after the
population is frozen, and a secret committed to in advance.
"""

from __future__ import annotations

import datetime
import hashlib
from fractions import Fraction
from typing import Any

from .core import PublicSource, Seed, commitment_for
from .design import StratifiedSample
from .joint import (
    AnnualSizing,
    Department,
    ExclusionRule,
    InspectionItem,
    InternalTask,
    JointDraw,
    JointItem,
    JointTask,
    MergedPlan,
    Method,
    Plan,
    Task,
    YearPlan,
    draw_joint,
    merge_plan,
)
from .population import Population
from .population.uscc import organization_code_check_character, uscc_check_character
from .reports import MonthlyReport, Outcome, monthly_report
from .teams import Directory, Expert, ExpertPool, Inspector, TeamVisit, Visit

__all__ = [
    "CLASS_MIX",
    "DEMO_RATES",
    "ceil_size",
    "demo_directory",
    "demo_joint_plan",
    "demo_outcomes",
    "demo_population",
    "demo_scopes",
    "demo_seed",
    "demo_sizes",
    "demo_visits",
]

#: Share of each credit-risk class in the synthetic county (A low risk ... D high risk).
CLASS_MIX = {
    "A": Fraction(55, 100),
    "B": Fraction(30, 100),
    "C": Fraction(10, 100),
    "D": Fraction(5, 100),
}
#: Example per-class sampling rates (every real rate is a local parameter).
DEMO_RATES = {
    "A": Fraction(3, 100),
    "B": Fraction(5, 100),
    "C": Fraction(10, 100),
    "D": Fraction(30, 100),
}
#: Share of enterprises that cannot be drawn (deregistered, under investigation).
_INELIGIBLE = Fraction(2, 100)
_ORG_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # positions 9-16 drawn from the USCC alphabet
_REGIONS = ("350102", "350103", "350104", "350105", "350111", "350121")


def _stream(label: str, index: int | str) -> int:
    digest = hashlib.sha256(f"randsample/examples/v1/{label}/{index}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def _uniform_below(label: str, index: int | str, bound: Fraction) -> bool:
    # Exact comparison of a 64-bit value with a rational threshold: no floats.
    return _stream(label, index) * bound.denominator < bound.numerator * 2**64


def _demo_uscc(index: int) -> str:
    value = _stream("id", index)
    org = "".join(_ORG_CHARS[(value >> (5 * k)) % 31] for k in range(8))
    org += organization_code_check_character(org)
    first17 = "91" + _REGIONS[index % len(_REGIONS)] + org
    return first17 + uscc_check_character(first17)


def _credit_class(index: int) -> str:
    point = Fraction(_stream("class", index), 2**64)
    cumulative = Fraction(0)
    for label, share in CLASS_MIX.items():
        cumulative += share
        if point < cumulative:
            return label
    return "D"


def demo_population(*, size: int = 30_000) -> Population:
    """Return the synthetic county: ``size`` enterprises with valid USCC ids and classes A-D.

    About 2% are ineligible; the weight is a complaint count (0-3), unused by equal-probability
    designs but covered by the population digest.

    >>> pop = demo_population(size=1000)
    >>> len(pop), pop.stratum_labels(), pop.id_scheme
    (1000, ('A', 'B', 'C', 'D'), 'uscc')
    """
    ids: dict[str, None] = {}
    index = 0
    while len(ids) < size:  # a duplicate id (2**-40 per pair) is simply skipped
        ids.setdefault(_demo_uscc(index))
        index += 1
    id_list = list(ids)
    return Population.from_columns(
        id_list,
        strata=[_credit_class(i) for i in range(size)],
        eligible=[not _uniform_below("ineligible", i, _INELIGIBLE) for i in range(size)],
        weights=[float(_stream("complaints", i) % 4) for i in range(size)],
        id_scheme="uscc",
    )


def ceil_size(units: int, rate: Fraction) -> int:
    """Return ``ceil(units * rate)`` exactly (never ``int(rate * units)``).

    >>> ceil_size(77, Fraction(10, 77)), ceil_size(101, Fraction(3, 100))
    (10, 4)
    """
    return -(-units * rate.numerator // rate.denominator)


def demo_sizes(
    population: Population, *, rates: dict[str, Fraction] | None = None
) -> dict[str, int]:
    """Per-class sample sizes: the class rate times its eligible units, rounded up.

    >>> demo_sizes(demo_population(size=1000))
    {'A': 16, 'B': 15, 'C': 10, 'D': 17}
    """
    rates = DEMO_RATES if rates is None else rates
    return {label: ceil_size(m, rates[label]) for label, m in population.eligible_counts().items()}


#: Example public sources (illustrative values, not real draws).
DEMO_SOURCES = (
    PublicSource("example lottery A, draw 2026-134", [3, 11, 19, 24, 30, 33, 7]),
    PublicSource("example lottery B, draw 2026-311", [5, 8, 2]),
    PublicSource("example index close x100, 2026-11-26", [332718]),
    PublicSource.from_hex(
        "example beacon pulse 2026-11-27T00:00Z",
        "6c4f1d0e2a9b3c5d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f",
    ),
)
#: Example authority secret; its commitment would be published before the sources exist.
DEMO_SECRET = bytes.fromhex("d2a94c1e8b7f3065a1c4e9b2d7f08e36")


def demo_seed() -> Seed:
    """Return the example seed: the example sources plus the committed example secret."""
    return Seed.from_sources(
        DEMO_SOURCES, secret=DEMO_SECRET, commitment=commitment_for(DEMO_SECRET)
    )


#: The demo's one department and the inspection categories of its officers.
DEMO_DEPARTMENT = "市场监管"
_SPECIALTIES = ("食品", "特种设备", "计量", "价格")


def demo_directory(*, size: int = 150) -> Directory:
    """Return the example inspector directory: ``size`` certified officers of one department.

    Every officer holds the general category ``"综合"`` and one specialty; home regions are
    the county's districts (so the same-locality conflict rule applies), capacities 20-29.

    >>> directory = demo_directory(size=20)
    >>> len(directory.inspectors), sorted(directory.inspectors[0].categories)
    (20, ['综合', '食品'])
    """
    return Directory(
        [
            Inspector(
                id=f"执法-{i:03d}",
                department=DEMO_DEPARTMENT,
                certified=True,
                categories={"综合", _SPECIALTIES[i % len(_SPECIALTIES)]},
                home_region=_REGIONS[_stream("home", i) % len(_REGIONS)],
                capacity=20 + _stream("capacity", i) % 10,
            )
            for i in range(size)
        ]
    )


def demo_visits(sample: StratifiedSample, date: datetime.date) -> list[Visit]:
    """Turn each drawn enterprise into a visit on ``date`` needing a team of two generalists.

    The enterprise's region is the administrative-division code in its credit code
    (characters 3-8), which the same-locality conflict rule compares with officers' homes.
    """
    return [
        Visit(
            visit_id=f"V-{index:05d}",
            enterprise_id=unit.id,
            enterprise_region=unit.id[2:8],
            date=date,
            departments=[DEMO_DEPARTMENT],
            items={DEMO_DEPARTMENT: {"综合"}},
        )
        for index, unit in enumerate(sample.selection, start=1)
    ]


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
    ``"日常监管"``, based in the county's districts, capacities 20-29.

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
                home_region=_REGIONS[_stream(f"home {code}", i) % len(_REGIONS)],
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
        TeamVisit(visit_id="V-1", enterprise_id="E-1", date=day, departments=["SAMR", "HEALTH"],
                  items=both, experts=1, expert_categories={"特种设备"}, location="城关镇"),
        TeamVisit(visit_id="V-2", enterprise_id="E-2", date=day, departments=["SAMR"],
                  items={"SAMR": {"广告"}}, location="东关街道"),
        TeamVisit(visit_id="V-3", enterprise_id="E-3", date=day, departments=["HEALTH", "SAMR"],
                  items=both, minimums={"SAMR": 3}, location="西湖乡"),
    ]  # fmt: skip
    return Directory(officers), experts, visits


def small_monthly_report() -> MonthlyReport:
    """Return the monthly report of :func:`small_joint_draw` with two outcomes."""
    draw = small_joint_draw()
    first, second = (visit.enterprise for visit in draw.visits[:2])
    outcomes = {
        ("2026-Q4", first): Outcome(completed=True, problem_found=True),
        ("2026-Q4", second): Outcome(completed=True),
    }
    return monthly_report([draw], outcomes)
