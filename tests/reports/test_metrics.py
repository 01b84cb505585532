"""The plan's three metrics, with the issue's two counter-examples (issue #10)."""

from __future__ import annotations

import datetime
from fractions import Fraction

import pytest

from randsample import InvalidTypeError, Population, Seed
from randsample.joint import (
    FIVE_CLASSES,
    CreditScheme,
    Department,
    InspectionItem,
    Plan,
    Task,
    credit_risk_based,
    draw_joint,
    draw_period,
    merge_plan,
)
from randsample.reports import MetricTargets, plan_metrics

SEED = Seed.from_hex("6a09e667f3bcc908b2fb1367ea4a6fe5")
DEPARTMENTS = [Department("SAMR", "市场监管局"), Department("HEALTH", "卫健局")]
ITEMS = [
    InspectionItem("SAMR", "S-01", "《食品安全法》", "食品安全", "on-site"),
    InspectionItem("HEALTH", "H-01", "《公共场所卫生管理条例》", "卫生", "on-site"),
]


def population(counts: dict[str, int], prefix: str) -> Population:
    ids, strata = [], []
    for label, count in counts.items():
        ids += [f"{prefix}{label}{i:05d}" for i in range(count)]
        strata += [label] * count
    return Population.from_columns(ids, strata=strata)


def task(task_id: str, department: str, scope: str, **design: object) -> Task:
    item = "S-01" if department == "SAMR" else "H-01"
    return Task(
        task_id=task_id,
        department=department,
        items=[item],
        scope=scope,
        period="2026-10",
        **design,
    )


def test_joint_inspected_counts_enterprises_inspected_by_two_departments():
    """Counter-example 1: SAMR at A 3% (and B 5%) and HEALTH at A 1% on one scope, plus an
    internal task. The old metric counted every enterprise of the joint task: 253/500 = 50.6%,
    "met". Only 61 of them are inspected by two departments: 19.2%, not met."""
    scopes = {
        "餐饮": population({"A": 6100, "B": 1400}, "F"),
        "药店": population({"A": 4940}, "P"),
    }
    plan = Plan(
        DEPARTMENTS,
        ITEMS,
        [
            task("S1", "SAMR", "餐饮", rates={"A": "3%", "B": "5%"}),
            task("H1", "HEALTH", "餐饮", rates={"A": "1%"}, sizes={"B": 0}),
            task("S2", "SAMR", "药店", rates={"A": "5%"}),
        ],
        {"餐饮": "SAMR"},
    )
    result = draw_joint(merge_plan(plan), SEED, scopes)
    everyone = result.visits + result.off_site_checks
    on_joint_task = [v for v in everyone if v.drawn_units[0].task_id.startswith("joint/")]
    assert (253, 500) == (len(on_joint_task), len(everyone))  # the old figure: 50.6%
    metric = plan_metrics([result]).joint_enterprises
    assert (61, 500) == (metric.numerator, metric.denominator)
    assert Fraction(122, 1000) == metric.value
    assert metric.passed is False


def _credit_flag(rates: dict[str, str], counts: dict[str, int], **plan: object) -> bool:
    scopes = {"餐饮": population(counts, "E")}
    result = draw_joint(
        merge_plan(
            Plan(DEPARTMENTS[:1], ITEMS[:1], [task("S1", "SAMR", "餐饮", rates=rates)], **plan)
        ),
        SEED,
        scopes,
    )
    (draw,) = result.draws
    metric = plan_metrics([result]).credit_risk_draws
    assert (int(draw.uses_credit_risk), 1) == (metric.numerator, metric.denominator)
    return draw.uses_credit_risk


def test_uniform_rates_are_not_credit_risk_based():
    """Counter-example 2: a uniform 5% over A-D is stratified by class but not risk-based."""
    counts = {"A": 200, "B": 100, "C": 40, "D": 20}
    assert _credit_flag(dict.fromkeys("ABCD", "5%"), counts) is False
    assert _credit_flag({"A": "3%", "B": "5%", "C": "10%", "D": "30%"}, counts) is True


def test_crossed_strata_with_rates_differing_by_class_are_credit_risk_based():
    """'C|餐饮' at 10% and 'A|餐饮' at 3% is credit-risk-based; rates that differ by industry
    only are not."""
    counts = {"A|餐饮": 100, "C|餐饮": 50, "A|小餐饮": 100, "C|小餐饮": 50}
    by_class = {"A|餐饮": "3%", "C|餐饮": "10%", "A|小餐饮": "3%", "C|小餐饮": "10%"}
    by_industry = {"A|餐饮": "3%", "C|餐饮": "3%", "A|小餐饮": "10%", "C|小餐饮": "10%"}
    assert _credit_flag(by_class, counts) is True
    assert _credit_flag(by_industry, counts) is False


def test_five_class_schemes_are_understood():
    """E-class rates differing from A-D: not credit-based under A-D, credit-based under A-E;
    plan_metrics can re-derive the flag under another scheme."""
    counts = dict.fromkeys("ABCDE", 60)
    rates = dict.fromkeys("ABCD", "5%") | {"E": "30%"}
    assert _credit_flag(rates, counts) is False
    assert _credit_flag(rates, counts, credit_classes=FIVE_CLASSES) is True
    result = draw_joint(
        merge_plan(Plan(DEPARTMENTS[:1], ITEMS[:1], [task("S1", "SAMR", "餐饮", rates=rates)])),
        SEED,
        {"餐饮": population(counts, "E")},
    )
    assert 0 == plan_metrics([result]).credit_risk_draws.numerator
    assert 1 == plan_metrics([result], credit_classes=FIVE_CLASSES).credit_risk_draws.numerator


def test_credit_rule_details():
    """Counts compare as n_h/M_h, take-all as 1; unclassed strata take no part; a label with
    two classes is refused; schemes are validated."""
    assert credit_risk_based({"A": Fraction(1, 10), "个体户": Fraction(1, 2)}) is False
    assert credit_risk_based({"A": Fraction(1, 10), "D": Fraction(1)}) is True
    with pytest.raises(ValueError, match="more than one credit class"):
        CreditScheme().class_of("A|B")
    with pytest.raises(ValueError, match="at least two"):
        CreditScheme(("A",))
    with pytest.raises(ValueError, match="separator"):
        CreditScheme(("A|1", "B"))
    with pytest.raises(InvalidTypeError, match="credit_classes"):
        plan_metrics([], credit_classes="A-E")  # type: ignore[arg-type]


def test_declared_year_counts_tasks_per_period_and_draws_of_initiators_only():
    """Joint tasks count once per period; cooperating departments make no draw; every
    enterprise of a declared joint task is inspected by its two departments."""
    from randsample.examples import small_year

    plan, sizing, _, scopes = small_year()
    draws = []
    for k, period in enumerate(plan.periods[:3]):
        draws.append(
            draw_period(
                plan,
                period,
                Seed.from_bytes(bytes(range(k, k + 16))),
                scopes,
                sizing=sizing,
                as_of=datetime.date(2026, k + 1, 10),
                earlier=draws,
            )
        )
    metrics = plan_metrics(draws)
    assert (3, 4) == (metrics.joint_tasks.numerator, metrics.joint_tasks.denominator)
    assert (4, 4) == (metrics.credit_risk_draws.numerator, metrics.credit_risk_draws.denominator)
    joint = {
        v.enterprise
        for d in draws
        for v in d.visits
        if any(u.task_id == "T-01" for u in v.drawn_units)
    }
    assert metrics.joint_enterprises.numerator >= len(joint) > 0


def test_the_metrics_table():
    """Rows carry exact values; summary shows numerator and denominator; repr is short."""
    metrics = plan_metrics([], targets=MetricTargets(joint_tasks="70%"))
    rows = metrics.to_rows()
    assert ["joint tasks / all tasks", 0, 0, None, Fraction(7, 10), None] == list(rows[0].values())
    assert "numerator  denominator" in metrics.summary()
    assert "PlanMetrics(0/0 n/a, 0/0 n/a, 0/0 n/a)" == repr(metrics)
