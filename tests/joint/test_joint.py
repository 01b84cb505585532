"""Joint inspections: plans and their merging, coordinated draws, visits, reports, verification."""

from __future__ import annotations

import json
from datetime import date
from fractions import Fraction
from itertools import combinations
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from randsample import (
    InvalidInputError,
    InvalidTypeError,
    Population,
    SampleSizeError,
    Seed,
    draw_stratified,
    make_record,
)
from randsample.joint import (
    Department,
    DrawnUnit,
    InspectionItem,
    JointDraw,
    MergedPlan,
    MergedVisit,
    Plan,
    Task,
    draw_joint,
    merge_drawn_units,
    merge_plan,
    verify_joint,
)
from randsample.reports import MetricTargets, burden, exclude_recent_in_scopes, plan_metrics
from tests.strategies import seeds

SEED = Seed.from_hex("6a09e667f3bcc908b2fb1367ea4a6fe5")
OTHER_SEED = Seed.from_hex("bb67ae8584caa73b84caa73b3c6ef372")
TIMESTAMP = "2026-10-08T02:00:00Z"
OFF_SITE_METHODS = ("written-review", "data-sharing", "online-monitoring", "video")


# -- builders ----------------------------------------------------------------------------------


def items_for(codes: list[str]) -> list[InspectionItem]:
    """One on-site and one written-review item per department: "<code>-on", "<code>-off"."""
    out = []
    for code in codes:
        out.append(InspectionItem(code, f"{code}-on", f"法规 {code} 第一条", "现场", "on-site"))
        out.append(
            InspectionItem(code, f"{code}-off", f"法规 {code} 第二条", "书面", "written-review")
        )
    return out


def make_plan(
    tasks: list[Task], leads: dict[str, str] | None = None, codes: tuple[str, ...] = ()
) -> Plan:
    """A plan over the departments named by ``tasks`` (plus ``codes``), with their items."""
    names = sorted({t.department for t in tasks} | set(codes))
    return Plan(
        [Department(code, f"{code} 局") for code in names], items_for(names), tasks, leads or {}
    )


def task(
    task_id: str, department: str, scope: str = "餐饮", period: str = "2026-Q4", **design: Any
) -> Task:
    """A task over ``scope`` with the on-site item unless ``items`` is given."""
    items = design.pop("items", [f"{department}-on"])
    if not ({"rates", "sizes", "take_all"} & set(design)):
        design["rates"] = {"A": "10%", "B": "20%"}
    return Task(
        task_id=task_id, department=department, items=items, scope=scope, period=period, **design
    )


def county(prefix: str, counts: dict[str, int], ineligible: int = 0) -> Population:
    """A scope population: ``counts[h]`` units per stratum, the first ``ineligible`` excluded."""
    ids, strata = [], []
    for label, count in counts.items():
        ids += [f"{prefix}{label}{i:03d}" for i in range(count)]
        strata += [label] * count
    eligible = [i >= ineligible for i in range(len(ids))]
    return Population.from_columns(ids, strata=strata, eligible=eligible)


FOOD = county("F", {"A": 40, "B": 20, "C": 10, "D": 5})
DRUG = county("P", {"A": 30, "B": 10, "C": 6, "D": 4})


def three_department_plan() -> MergedPlan:
    """SAMR and HEALTH jointly over 餐饮 (SAMR leads), NMPA alone over 药店 (two tasks)."""
    tasks = [
        task("S1", "SAMR", rates={"A": "3%", "B": "5%", "C": "10%"}, take_all=["D"]),
        task(
            "S2",
            "SAMR",
            items=["SAMR-off"],
            rates={"A": "3%", "B": "5%", "C": "10%"},
            take_all=["D"],
        ),
        task("H1", "HEALTH", rates={"A": "10%", "B": "10%", "C": "20%", "D": "20%"}),
        task("N1", "NMPA", scope="药店", sizes={"A": 2, "B": 2, "C": 1, "D": 1}),
        task(
            "N2", "NMPA", scope="药店", items=["NMPA-off"], sizes={"A": 2, "B": 2, "C": 1, "D": 1}
        ),
    ]
    return merge_plan(make_plan(tasks, {"餐饮": "SAMR"}))


SCOPES = {"餐饮": FOOD, "药店": DRUG}


# -- hypothesis: random plans over disjoint scopes ---------------------------------------------


@st.composite
def setups(draw: st.DrawFn, max_departments: int = 4) -> tuple[Plan, dict[str, Population]]:
    """A one-period plan of 2-4 departments over 1-3 disjoint scopes, with populations."""
    scope_names = draw(
        st.lists(st.sampled_from(["餐饮", "药店", "制造"]), min_size=1, max_size=3, unique=True)
    )
    scopes = {}
    for scope in scope_names:
        size = draw(st.integers(1, 30))
        strata = draw(st.lists(st.sampled_from("ABCD"), min_size=size, max_size=size))
        eligible = [True, *draw(st.lists(st.booleans(), min_size=size - 1, max_size=size - 1))]
        scopes[scope] = Population.from_columns(
            [f"{scope}{i}" for i in range(size)], strata=strata, eligible=eligible
        )
    codes = [f"D{i}" for i in range(draw(st.integers(2, max_departments)))]
    items = items_for(codes)
    for code in codes:  # sometimes a department works only off-site
        if draw(st.booleans()):
            method = draw(st.sampled_from(OFF_SITE_METHODS))
            items = [
                attrs.evolve(i, method=method) if i.item_id == f"{code}-on" else i for i in items
            ]
    tasks, leads = [], {}
    for scope, population in scopes.items():
        eligible = population.eligible_counts()
        present = draw(st.lists(st.sampled_from(codes), min_size=1, unique=True))
        if len(present) > 1:
            leads[scope] = draw(st.sampled_from(present))
        for code in present:
            rates, sizes, take_all = {}, {}, []
            for label, count in eligible.items():
                rule = draw(st.sampled_from(["rate", "size", "all"]))
                if rule == "rate":
                    rates[label] = Fraction(draw(st.integers(0, 20)), 20)
                elif rule == "size":
                    sizes[label] = draw(st.integers(0, count))
                else:
                    take_all.append(label)
            copies = draw(st.integers(1, 2))  # a second task of the same design is merged
            for copy in range(copies):
                tasks.append(
                    Task(
                        task_id=f"{code}-{scope}-{copy}",
                        department=code,
                        items=[f"{code}-on" if copy == 0 else f"{code}-off"],
                        scope=scope,
                        period="2026-Q4",
                        rates=rates,
                        sizes=sizes,
                        take_all=take_all,
                    )
                )
    names = [Department(code, code) for code in codes]
    return Plan(names, items, draw(st.permutations(tasks)), leads), scopes


def recovered(result: JointDraw) -> dict[tuple[str, str], set[tuple[str, int]]]:
    """Each department draw's (id, rank) pairs, read back from the visits and off-site checks."""
    out: dict[tuple[str, str], set[tuple[str, int]]] = {
        (d.task_id, d.department): set() for d in result.draws
    }
    for visit in result.visits + result.off_site_checks:
        for a in visit.drawn_units:
            out[a.task_id, a.department].add((a.enterprise, a.rank))
    return out


def flatten(result: JointDraw) -> list[DrawnUnit]:
    """All drawn_units of a period, as carried by its visits and off-site checks."""
    return [a for v in result.visits + result.off_site_checks for a in v.drawn_units]


# -- properties --------------------------------------------------------------------------------


@settings(max_examples=60)
@given(setups(), seeds)
def test_each_department_sample_is_recovered_from_the_visits(setup, seed):
    """Every department's sample (ids and ranks) is exactly what the visits carry for it."""
    plan, scopes = setup
    result = draw_joint(merge_plan(plan), seed, scopes)
    expected = {
        (d.task_id, d.department): {(u.id, u.rank) for u in d.sample.selection}
        for d in result.draws
    }
    assert expected == recovered(result)


@settings(max_examples=60)
@given(setups(), seeds, st.randoms(use_true_random=False))
def test_merging_visits_is_idempotent_and_order_independent(setup, seed, rnd):
    """Re-merging the visits' drawn_units, shuffled and with repeats, gives the same visits."""
    plan, scopes = setup
    result = draw_joint(merge_plan(plan), seed, scopes)
    drawn_units = flatten(result)
    again = drawn_units + drawn_units[: len(drawn_units) // 2]
    rnd.shuffle(again)
    assert (result.visits, result.off_site_checks) == merge_drawn_units(result.period, again)


@settings(max_examples=40)
@given(setups(), seeds, st.randoms(use_true_random=False))
def test_plan_merging_is_independent_of_task_order(setup, seed, rnd):
    """Shuffling the plan's tasks changes neither the merged plan nor the visits."""
    plan, scopes = setup
    shuffled = list(plan.tasks)
    rnd.shuffle(shuffled)
    other = attrs.evolve(plan, tasks=shuffled)
    assert merge_plan(plan) == merge_plan(other)
    first = draw_joint(merge_plan(plan), seed, scopes)
    second = draw_joint(merge_plan(other), seed, scopes)
    assert (first.visits, first.off_site_checks) == (second.visits, second.off_site_checks)


@settings(max_examples=40)
@given(setups())
def test_plan_merging_is_idempotent(setup):
    """Merging the merged plan (as a plan) again keeps every task, part, item and design."""
    plan, _ = setup
    merged = merge_plan(plan)
    again = merge_plan(merged.as_plan())

    def shape(m: MergedPlan) -> list[tuple[object, ...]]:
        return [
            (t.task_id, t.kind, t.lead, [attrs.evolve(p, source_tasks=()) for p in t.parts])
            for t in m.tasks
        ]

    assert shape(merged) == shape(again)
    assert merge_plan(again.as_plan()) == again


@settings(max_examples=60)
@given(setups(), seeds)
def test_no_enterprise_gets_two_visits_in_a_period(setup, seed):
    """Visits and off-site checks together name each enterprise once; ids are sequential."""
    plan, scopes = setup
    result = draw_joint(merge_plan(plan), seed, scopes)
    everyone = [v.enterprise for v in result.visits + result.off_site_checks]
    assert len(set(everyone)) == len(everyone)
    assert [f"V-2026-Q4-{i:06d}" for i in range(1, len(result.visits) + 1)] == [
        v.visit_id for v in result.visits
    ]
    assert all(v.on_site for v in result.visits)
    assert not any(v.on_site for v in result.off_site_checks)


@settings(max_examples=40)
@given(setups(), seeds)
def test_a_visit_is_led_by_one_of_its_on_site_departments(setup, seed):
    """The lead of a visit drew the enterprise (on site, for a visit): it can lead the team;
    it is the scope's declared lead whenever that department drew the enterprise."""
    plan, scopes = setup
    merged = merge_plan(plan)
    result = draw_joint(merged, seed, scopes)
    for visit in result.visits:
        on_site = {a.department for a in visit.drawn_units if a.on_site_items}
        assert visit.lead in on_site
        declared = merged.task(visit.drawn_units[0].task_id).lead
        if len({a.task_id for a in visit.drawn_units}) == 1 and declared in on_site:
            assert declared == visit.lead
    for check in result.off_site_checks:
        assert check.lead in check.departments


@settings(max_examples=60)
@given(setups(), seeds)
def test_coordination_never_changes_a_department_draw(setup, seed):
    """Each coordinated draw equals the department's own draw alone: sizes, ids, pi."""
    plan, scopes = setup
    merged = merge_plan(plan)
    result = draw_joint(merged, seed, scopes)
    for d in result.draws:
        population = scopes[d.scope]
        design = merged.task(d.task_id).part(d.department).design
        sizes = dict(design.resolve(population.eligible_counts()))
        assert sizes == d.sample.sizes
        assert draw_stratified(population, sizes, seed) == d.sample


@settings(max_examples=60)
@given(setups(), seeds)
def test_coordinated_counts_equal_the_theoretical_minimum(setup, seed):
    """Samples nest, so visits (and enterprises drawn) equal the per-stratum maxima, summed;
    pairwise overlaps are the smaller samples; independence could only need more."""
    plan, scopes = setup
    report = draw_joint(merge_plan(plan), seed, scopes).report
    assert report.visits_minimum == report.visits
    assert report.enterprises_minimum == report.enterprises
    for cell in report.cells:
        assert cell.visits_minimum == cell.visits
        assert cell.enterprises_minimum == cell.enterprises
    assert report.visits_independent >= report.visits
    assert report.enterprises_independent >= report.enterprises
    assert 0 == report.shared_enterprises
    for pair in report.pairs:
        sizes = [dict(c.sizes) for c in report.cells]
        nested = sum(
            min(s.get(pair.departments[0], 0), s.get(pair.departments[1], 0)) for s in sizes
        )
        assert nested == pair.overlap


@settings(max_examples=40)
@given(setups(), seeds)
def test_samples_nest_within_a_stratum(setup, seed):
    """Within one stratum, a smaller department sample is contained in every larger one."""
    plan, scopes = setup
    result = draw_joint(merge_plan(plan), seed, scopes)
    for a, b in combinations(result.draws, 2):
        if a.scope != b.scope:
            continue
        for label in a.sample.sizes:
            small, large = sorted(
                ({u.id for u in d.sample.selection if u.stratum == label} for d in (a, b)),
                key=len,
            )
            assert small <= large


# -- examples ----------------------------------------------------------------------------------


def test_joint_and_internal_tasks_are_merged_with_explanations():
    """Two departments over 餐饮 make a joint task; NMPA's two 药店 tasks one internal task."""
    merged = three_department_plan()
    # Merged tasks follow (period, scope) in code point order: 药 (U+836F) before 餐 (U+9910).
    assert [
        ("internal/2026-Q4/药店", "internal", "NMPA", ("NMPA",)),
        ("joint/2026-Q4/餐饮", "joint", "SAMR", ("HEALTH", "SAMR")),
    ] == [(t.task_id, t.kind, t.lead, t.departments) for t in merged.tasks]
    samr = merged.task("joint/2026-Q4/餐饮").part("SAMR")
    assert (("S1", "S2"), ("SAMR-off", "SAMR-on"), ("SAMR-on",)) == (
        samr.source_tasks,
        samr.items,
        samr.on_site_items,
    )
    text = merged.explain()
    assert "5 input tasks -> 2 merged tasks (1 joint, 1 internal)" in text
    assert "SAMR: from S1, S2 (merged: same department, scope and period)" in text
    assert "only NMPA draws scope '药店' in 2026-Q4: an internal task" in text


def test_expected_independent_visits_are_exact():
    """N_h (1 - prod_d (1 - n_dh / N_h)) per stratum, as exact fractions, and the pair overlap."""
    result = draw_joint(three_department_plan(), SEED, SCOPES)
    food = {c.stratum: c for c in result.report.cells if c.scope == "餐饮"}
    # A: SAMR ceil(3% of 40) = 2, HEALTH 4 -> 40 (1 - (38/40)(36/40)).
    assert Fraction(40) * (1 - Fraction(38, 40) * Fraction(36, 40)) == food["A"].visits_independent
    assert (("HEALTH", 4), ("SAMR", 2)) == food["A"].sizes
    assert 4 == food["A"].visits
    # D: SAMR takes all 5, HEALTH 1: every unit is visited either way.
    assert Fraction(5) == food["D"].visits_independent
    pair = next(p for p in result.report.pairs if p.departments == ("HEALTH", "SAMR"))
    expected = sum(
        Fraction(dict(c.sizes)["HEALTH"] * dict(c.sizes)["SAMR"], c.eligible) for c in food.values()
    )
    assert expected == pair.independent
    assert sum(min(dict(c.sizes).values()) for c in food.values()) == pair.overlap


def test_off_site_only_draws_become_off_site_checks():
    """A department drawing only for written review gets off-site checks, not visits, except
    where an on-site department drew the same enterprise (its items ride along)."""
    tasks = [
        task("S1", "SAMR", sizes={"A": 2, "B": 1, "C": 1, "D": 1}),
        task("T1", "TAX", items=["TAX-off"], sizes={"A": 6, "B": 3, "C": 1, "D": 1}),
    ]
    result = draw_joint(merge_plan(make_plan(tasks, {"餐饮": "SAMR"})), SEED, {"餐饮": FOOD})
    assert 5 == len(result.visits)
    assert 11 - 5 == len(result.off_site_checks)
    assert all(v.departments == ("TAX",) for v in result.off_site_checks)
    assert all(v.visit_id.startswith("R-2026-Q4-") for v in result.off_site_checks)
    assert all(v.departments == ("SAMR", "TAX") for v in result.visits)
    assert ("SAMR-on", "TAX-off") == result.visits[0].items
    assert (5, 5, 11) == (
        result.report.visits,
        result.report.visits_minimum,
        result.report.enterprises,
    )


def test_enterprise_in_two_scopes_gets_one_visit():
    """Shared tickets coordinate across scopes too; an enterprise in both gets one visit."""
    ids = [f"E{i}" for i in range(12)]
    scopes = {
        "食品": Population.from_columns(ids, strata="A"),
        "计量": Population.from_columns(ids[:6], strata="A"),
    }
    tasks = [
        task("S1", "SAMR", scope="食品", sizes={"A": 12}),
        task("M1", "METRO", scope="计量", sizes={"A": 6}),
    ]
    result = draw_joint(merge_plan(make_plan(tasks)), SEED, scopes)
    assert 12 == len(result.visits)
    assert 6 == result.report.shared_enterprises
    shared = [v for v in result.visits if len(v.departments) == 2]
    assert 6 == len(shared)
    assert "食品" == shared[0].drawn_units[0].scope or "计量" == shared[0].drawn_units[0].scope
    assert all(v.lead in v.departments for v in result.visits)


def test_visit_ids_follow_scope_stratum_id_order():
    """MergedVisit numbers follow (scope, stratum, enterprise id) in code point order."""
    result = draw_joint(three_department_plan(), SEED, SCOPES)
    keys = [(v.drawn_units[0].scope, v.drawn_units[0].stratum, v.enterprise) for v in result.visits]
    assert sorted(keys) == keys
    assert "V-2026-Q4-000001" == result.visits[0].visit_id


def test_summary_lists_cells_totals_and_pairs():
    """The summary shows per-stratum and total figures and the pairs that share a scope."""
    text = draw_joint(three_department_plan(), SEED, SCOPES).report.summary()
    assert text.startswith("period 2026-Q4:")
    assert "HEALTH+SAMR" in text
    assert "HEALTH+NMPA" not in text
    assert "total" in text


# -- across periods ----------------------------------------------------------------------------


def two_periods() -> tuple[MergedPlan, list[Task]]:
    """The same joint task over 餐饮 in two quarters."""
    tasks = [
        task(f"S{q}", "SAMR", period=f"2026-Q{q}", sizes={"A": 10, "B": 5, "C": 3, "D": 2})
        for q in (3, 4)
    ] + [
        task(f"H{q}", "HEALTH", period=f"2026-Q{q}", sizes={"A": 5, "B": 5, "C": 2, "D": 1})
        for q in (3, 4)
    ]
    return merge_plan(make_plan(tasks, {"餐饮": "SAMR"})), tasks


def test_exclusion_between_periods_prevents_repeat_visits():
    """Q3's visited enterprises, excluded in Q4 (fresh seed), are not visited again; the
    exclusion report states the raised probabilities."""
    merged, _ = two_periods()
    q3 = draw_joint(merged, SEED, {"餐饮": FOOD}, period="2026-Q3")
    last = {v.enterprise: date(2026, 9, 15) for v in q3.visits}
    scopes, reports = exclude_recent_in_scopes(
        {"餐饮": FOOD}, last, as_of=date(2026, 10, 1), days=180
    )
    q4 = draw_joint(merged, OTHER_SEED, scopes, period="2026-Q4")
    report = burden([q3, q4])
    assert 1 == max(e.total_visits for e in report.enterprises)
    assert len(q3.visits) + len(q4.visits) == len(report.enterprises)
    assert () == report.reused_seeds
    before, after = reports["餐饮"].inclusion_probabilities({"A": 10})["A"]
    assert (Fraction(10, 40), Fraction(10, 30)) == (before, after)


def test_without_exclusion_the_burden_counts_repeats_and_departments():
    """Burden per enterprise: visits per period, cumulative, and by department."""
    merged, _ = two_periods()
    q3 = draw_joint(merged, SEED, {"餐饮": FOOD}, period="2026-Q3")
    q4 = draw_joint(merged, OTHER_SEED, {"餐饮": FOOD}, period="2026-Q4")
    report = burden([q3, q4])
    both = [e for e in report.enterprises if e.total_visits == 2]
    assert {v.enterprise for v in q3.visits} & {v.enterprise for v in q4.visits} == {
        e.enterprise for e in both
    }
    for entry in report.enterprises:
        assert entry.cumulative_visits[-1] == entry.total_visits
        assert entry.department_inspections == sum(n for _, n in entry.by_department)
    assert (0, 0) == report.of("nobody").visits
    assert "inspections by department" in report.summary()


def test_reusing_a_seed_across_periods_is_reported():
    """The same seed in two periods draws the same enterprises: the burden report says so."""
    merged, _ = two_periods()
    q3 = draw_joint(merged, SEED, {"餐饮": FOOD}, period="2026-Q3")
    q4 = draw_joint(merged, SEED, {"餐饮": FOOD}, period="2026-Q4")
    report = burden([q3, q4])
    assert (("2026-Q3", "2026-Q4"),) == report.reused_seeds
    assert "WARNING" in report.summary()
    assert {v.enterprise for v in q3.visits} == {v.enterprise for v in q4.visits}


# -- plan metrics ------------------------------------------------------------------------------


def test_plan_metrics_count_tasks_enterprises_and_credit_risk_draws():
    """1 joint of 2 tasks; enterprises drawn by both SAMR and HEALTH in the joint task over all
    drawn (not every enterprise of the joint task); 3 of 3 draws have class-differing rates."""
    result = draw_joint(three_department_plan(), SEED, SCOPES)
    metrics = plan_metrics([result])
    assert (1, 2, Fraction(1, 2), False) == (
        metrics.joint_tasks.numerator,
        metrics.joint_tasks.denominator,
        metrics.joint_tasks.value,
        metrics.joint_tasks.passed,
    )
    everyone = result.visits + result.off_site_checks
    both = {v.enterprise for v in everyone if {"SAMR", "HEALTH"} <= set(v.departments)}
    on_joint_task = {v.enterprise for v in everyone if v.drawn_units[0].scope == "餐饮"}
    assert both < on_joint_task  # HEALTH's D 20% is a subset of SAMR's take-all D, ...
    assert (len(both), len(everyone)) == (
        metrics.joint_enterprises.numerator,
        metrics.joint_enterprises.denominator,
    )
    assert (3, 3, True) == (
        metrics.credit_risk_draws.numerator,
        metrics.credit_risk_draws.denominator,
        metrics.credit_risk_draws.passed,
    )
    assert "joint tasks / all tasks" in metrics.summary()


def test_credit_risk_flag_defaults_from_strata_and_can_be_set():
    """Strata that are not credit classes default to False; an explicit flag wins."""
    scopes = {"餐饮": Population.from_columns(["a", "b", "c"], strata=["x", "x", "y"])}
    tasks = [
        task("S1", "SAMR", sizes={"x": 1, "y": 1}),
        task("H1", "HEALTH", sizes={"x": 1, "y": 0}, uses_credit_risk=True),
    ]
    result = draw_joint(merge_plan(make_plan(tasks, {"餐饮": "SAMR"})), SEED, scopes)
    assert [("HEALTH", True), ("SAMR", False)] == [
        (d.department, d.uses_credit_risk) for d in result.draws
    ]
    metric = plan_metrics([result]).credit_risk_draws
    assert (Fraction(1, 2), False) == (metric.value, metric.passed)


def test_metric_targets_are_settable_and_checked():
    """Targets accept rates such as '70%'; a target above 1 names its field."""
    result = draw_joint(three_department_plan(), SEED, SCOPES)
    metrics = plan_metrics([result], targets=MetricTargets(joint_tasks="50%"))
    assert (Fraction(1, 2), True) == (metrics.joint_tasks.target, metrics.joint_tasks.passed)
    with pytest.raises(InvalidInputError, match=r"targets\.joint_enterprises"):
        MetricTargets(joint_enterprises="150%")


def test_metrics_with_nothing_counted_are_undefined():
    """A ratio over zero draws has no value and neither passes nor fails."""
    metrics = plan_metrics([])
    assert (None, None) == (metrics.joint_tasks.value, metrics.joint_tasks.passed)
    assert "n/a" in metrics.summary()


# -- verification ------------------------------------------------------------------------------


def records_of(result: JointDraw) -> dict[tuple[str, str], Any]:
    """Seal every department draw of ``result`` as that department's record."""
    return {
        (d.task_id, d.department): make_record(
            d.sample, authority=d.department, draw_id=d.task_id, timestamp=TIMESTAMP
        )
        for d in result.draws
    }


def test_verify_joint_accepts_the_published_draws_and_visits():
    """Records and visits made by draw_joint re-derive exactly (also from JSON text)."""
    merged = three_department_plan()
    result = draw_joint(merged, SEED, SCOPES)
    records = {key: r.to_json() for key, r in records_of(result).items()}
    report = verify_joint(
        merged, SEED, SCOPES, records, visits=result.visits, off_site_checks=result.off_site_checks
    )
    assert report.ok, str(report)
    assert result == report.expected
    assert str(report).startswith("VERIFIED")


def test_verify_joint_flags_an_uncoordinated_draw():
    """A department that drew with its own seed verifies on its own but breaks coordination."""
    merged = three_department_plan()
    result = draw_joint(merged, SEED, SCOPES)
    records = records_of(result)
    rogue = result.draw("joint/2026-Q4/餐饮", "HEALTH")
    records[rogue.task_id, rogue.department] = make_record(
        draw_stratified(FOOD, rogue.sample.sizes, OTHER_SEED),
        authority="HEALTH",
        draw_id="x",
        timestamp=TIMESTAMP,
    )
    report = verify_joint(merged, SEED, SCOPES, records)
    assert not report.ok
    assert ("records['joint/2026-Q4/餐饮', 'HEALTH'].seed.value",) == report.fields


def test_verify_joint_flags_wrong_sizes_edits_and_extra_records():
    """Other sizes than the plan's, an edited record and a record of no planned draw."""
    merged = three_department_plan()
    result = draw_joint(merged, SEED, SCOPES)
    records = records_of(result)
    key = ("internal/2026-Q4/药店", "NMPA")
    records[key] = make_record(
        draw_stratified(DRUG, {"A": 3, "B": 2, "C": 1, "D": 1}, SEED),
        authority="NMPA",
        draw_id="x",
        timestamp=TIMESTAMP,
    )
    edited = records_of(result)["joint/2026-Q4/餐饮", "SAMR"].content
    edited["draw_id"] = "changed"
    records["joint/2026-Q4/餐饮", "SAMR"] = json.dumps(edited)
    records["joint/2026-Q4/餐饮", "TAX"] = records[key]
    fields = verify_joint(merged, SEED, SCOPES, records).fields
    assert "records['internal/2026-Q4/药店', 'NMPA'].design.strata['A'].sample_size" in fields
    assert "records[('joint/2026-Q4/餐饮', 'TAX')]" in fields
    assert "records['joint/2026-Q4/餐饮', 'SAMR'].record_digest" in fields


def test_verify_joint_compares_published_visits():
    """A dropped visit, a visit given to the wrong departments and an invented one are found."""
    merged = three_department_plan()
    result = draw_joint(merged, SEED, SCOPES)
    visits = list(result.visits)
    dropped = visits.pop(0)
    joint = next(i for i, v in enumerate(visits) if len(v.departments) == 2)
    visits[joint] = attrs.evolve(visits[joint], drawn_units=visits[joint].drawn_units[:1])
    invented = attrs.evolve(visits[0].drawn_units[0], enterprise="INVENTED")
    visits.append(attrs.evolve(visits[0], enterprise="INVENTED", drawn_units=(invented,)))
    off_site = [*result.off_site_checks, result.visits[1]]
    fields = verify_joint(
        merged, SEED, SCOPES, records_of(result), visits=visits, off_site_checks=off_site
    ).fields
    assert (
        f"visits[{dropped.enterprise!r}]",
        f"visits[{visits[joint].enterprise!r}]",
        "visits['INVENTED']",
        f"off_site_checks[{result.visits[1].enterprise!r}]",
    ) == fields


# -- bad input ---------------------------------------------------------------------------------


def error_of(fn: Any, *args: Any, **kwargs: Any) -> tuple[str, object]:
    """Call ``fn``; return the raised InvalidInputError's (field, value)."""
    with pytest.raises(InvalidInputError) as info:
        fn(*args, **kwargs)
    return info.value.field, info.value.value


def test_task_naming_unknown_department_or_item_is_refused():
    """Unknown department, unknown item, another department's item: each named."""
    assert ("tasks[0].department", "GHOST") == error_of(
        Plan, [Department("SAMR", "s")], items_for(["SAMR"]), [task("X", "GHOST")]
    )
    assert ("tasks[0].items", "NOPE") == error_of(make_plan, [task("X", "SAMR", items=["NOPE"])])
    field, value = error_of(make_plan, [task("X", "SAMR", items=["HEALTH-on"])], {}, ("HEALTH",))
    assert ("tasks[0].items", "HEALTH-on") == (field, value)


def test_conflicting_designs_of_one_department_are_refused():
    """Two tasks of SAMR over 餐饮 in one period with different rates: a typed error."""
    tasks = [
        task("S1", "SAMR", rates={"A": "3%", "B": "5%"}),
        task("S2", "SAMR", rates={"A": "0.03", "B": "6%"}),
    ]
    with pytest.raises(InvalidInputError, match=r"conflicts with task 'S1'") as info:
        make_plan(tasks)
    assert ("tasks[1].design", "A 3/100, B 3/50 (rounding ceiling)") == (
        info.value.field,
        info.value.value,
    )
    same = [
        task("S1", "SAMR", rates={"A": "3%", "B": "5%"}),
        task("S2", "SAMR", rates={"B": 0.05, "A": "3/100"}),
    ]
    assert 1 == len(merge_plan(make_plan(same)).tasks)


def test_joint_scope_needs_a_participating_lead():
    """No lead declared, or a lead that takes no part: typed errors naming the scope."""
    tasks = [task("S1", "SAMR"), task("H1", "HEALTH")]
    assert ("industry_leads", {}) == error_of(make_plan, tasks)
    assert ("industry_leads['餐饮']", "TAX") == error_of(
        make_plan, tasks, {"餐饮": "TAX"}, ("TAX",)
    )
    assert ("industry_leads['餐饮']", "GHOST") == error_of(make_plan, tasks, {"餐饮": "GHOST"})


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: Department(" SAMR", "x"), "department.code"),
        (lambda: InspectionItem("SAMR", "I1", "法", "类", "phone"), "item 'I1'.method"),
        (lambda: task("T", "SAMR", items=[]), "task 'T'.items"),
        (lambda: task("T", "SAMR", items=["a", "a"]), "task 'T'.items[1]"),
        (lambda: task("T", "SAMR", rates={"A": "120%"}), "task 'T'.rates['A']"),
        (lambda: task("T", "SAMR", sizes={"A": -1}), "task 'T'.sizes['A']"),
        (lambda: task("T", "SAMR", rates={"A": "1%"}, sizes={"A": 1}), "task 'T'.design"),
        (lambda: task("T", "SAMR", rates={"A": "1%"}, rounding="up"), "task 'T'.rounding"),
        (lambda: make_plan([task("T", "SAMR"), task("T", "SAMR")]), "tasks[1].task_id"),
        (
            lambda: Plan([Department("S", "a"), Department("S", "b")], [], []),
            "departments[1].code",
        ),
        (
            lambda: Plan([], [InspectionItem("S", "I", "l", "c", "video")], []),
            "items[0].department",
        ),
    ],
)
def test_bad_plan_parts_are_refused_with_the_field(build, field):
    """Every malformed part of a plan raises a typed error naming the field."""
    with pytest.raises(InvalidInputError) as info:
        build()
    assert field == info.value.field


def test_wrong_types_are_typed_errors():
    """A plan of the wrong things, a non-Seed, a non-Plan: InvalidTypeError."""
    with pytest.raises(InvalidTypeError, match=r"tasks\[0\]"):
        Plan([], [], ["not a task"])
    with pytest.raises(InvalidTypeError, match="seed"):
        draw_joint(three_department_plan(), "seed", SCOPES)
    with pytest.raises(InvalidTypeError, match="plan"):
        merge_plan("plan")
    with pytest.raises(InvalidTypeError, match="items"):
        task("T", "SAMR", items="SAMR-on")
    with pytest.raises(InvalidTypeError, match=r"task\.rates"):
        task("T", "SAMR", rates=3)
    with pytest.raises(InvalidInputError, match=r"task\.sizes: is given twice, got 'A'"):
        task("T", "SAMR", sizes=[("A", 1), ("A", 2)])


def test_missing_or_empty_population_is_refused():
    """A scope without a population, or with no eligible unit: typed errors naming it."""
    merged = three_department_plan()
    assert ("scopes", "药店") == error_of(draw_joint, merged, SEED, {"餐饮": FOOD})
    empty = county("P", {"A": 3}, ineligible=3)
    assert ("scopes['药店']", 3) == error_of(
        draw_joint, merged, SEED, {"餐饮": FOOD, "药店": empty}
    )


def test_design_that_does_not_fit_the_population_names_the_task():
    """A stratum without a rule, or a size above the eligible units, names task and department."""
    merged = three_department_plan()
    other = county("P", {"A": 3, "B": 3, "C": 3, "D": 3, "E": 3})
    field, _ = error_of(draw_joint, merged, SEED, {"餐饮": FOOD, "药店": other})
    assert field.startswith("task 'internal/2026-Q4/药店' department 'NMPA'.stratum 'E'")
    small = county("P", {"A": 1, "B": 3, "C": 3, "D": 3})
    with pytest.raises(SampleSizeError, match=r"department 'NMPA'\.counts\['A'\]"):
        draw_joint(merged, SEED, {"餐饮": FOOD, "药店": small})


def test_period_must_be_given_when_the_plan_has_several():
    """With two periods, draw_joint needs one; an unknown period is named."""
    merged, _ = two_periods()
    assert ("period", None) == error_of(draw_joint, merged, SEED, {"餐饮": FOOD})
    assert ("period", "2027-Q1") == error_of(
        draw_joint, merged, SEED, {"餐饮": FOOD}, period="2027-Q1"
    )


def test_contradictory_assignments_and_repeated_periods_are_refused():
    """Two different drawn_units of one (task, department, enterprise); a period given twice."""
    a = DrawnUnit("t", "SAMR", "SAMR", "s", "A", "e1", 1, ("i",), ("i",))
    assert ("drawn_units[1]", attrs.evolve(a, rank=2)) == error_of(
        merge_drawn_units, "Q4", [a, attrs.evolve(a, rank=2)]
    )
    result = draw_joint(three_department_plan(), SEED, SCOPES)
    assert ("results[1].period", "2026-Q4") == error_of(burden, [result, result])
    assert ("last_inspected", "ghost") == error_of(
        exclude_recent_in_scopes, SCOPES, {"ghost": None}, as_of=date(2026, 1, 1), days=30
    )


def test_visit_accessors():
    """A visit lists departments and items; a declared lead that did not draw the enterprise
    gives way to the first on-site department; categories come from the item list."""
    a = DrawnUnit("t2", "TAX", "TAX", "b", "A", "e1", 1, ("x",), ())
    b = DrawnUnit("t1", "SAMR", "HEALTH", "c", "A", "e1", 3, ("y", "z"), ("y",))
    (visit,), () = merge_drawn_units("Q4", [a, b])
    assert isinstance(visit, MergedVisit)
    assert (("SAMR", "TAX"), ("x", "y", "z"), "SAMR") == (
        visit.departments,
        visit.items,
        visit.lead,
    )
    assert {"SAMR": ("y", "z"), "TAX": ("x",)} == visit.items_by_department()
    merged = three_department_plan()
    result = draw_joint(merged, SEED, SCOPES)
    joint = next(v for v in result.visits if len(v.departments) == 2)
    categories = {
        d: {merged.item(i).category for i in items}
        for d, items in joint.items_by_department().items()
    }
    assert {"HEALTH": {"现场"}, "SAMR": {"现场", "书面"}} == categories
