"""Declared year plans: joint items and tasks, annual sizing, exclusion rules, bands and caps."""

from __future__ import annotations

import datetime
from fractions import Fraction
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
    make_record,
)
from randsample.joint import (
    COMPLAINT,
    PROBLEM_FOUND,
    AnnualCapError,
    Band,
    BandConflictError,
    Department,
    ExclusionRule,
    InspectionItem,
    InternalTask,
    JointItem,
    JointTask,
    PastInspection,
    Quota,
    YearPlan,
    allocate_over_periods,
    annual_check,
    apply_exclusions,
    draw_period,
    inspections_from,
    object_type_of,
    parse_quota,
    verify_period,
)
from tests.strategies import seeds

MONTHS = tuple(f"2026-{m:02d}" for m in range(1, 13))
DAY = datetime.date(2026, 1, 10)


def items() -> list[InspectionItem]:
    return [
        InspectionItem("SAMR", "S-01", "《食品安全法》", "食品安全", "on-site"),
        InspectionItem("SAMR", "S-02", "《特种设备安全法》", "特种设备", "on-site", "key"),
        InspectionItem("HEALTH", "H-01", "《公共场所卫生管理条例》", "卫生", "on-site"),
        InspectionItem("FIRE", "F-01", "《消防法》", "消防", "written-review"),
    ]


DEPARTMENTS = [
    Department("SAMR", "市场监管局"),
    Department("HEALTH", "卫健局"),
    Department("FIRE", "消防"),
]
J01 = JointItem(
    item_id="J-01",
    name="餐饮联合检查",
    initiator="SAMR",
    cooperating=["HEALTH", "FIRE"],
    level="county",
    items=["S-01", "H-01", "F-01"],
)


def joint_task(**changes: Any) -> JointTask:
    fields: dict[str, Any] = {
        "task_id": "T-01",
        "joint_item": "J-01",
        "initiator": "SAMR",
        "scope": "餐饮",
        "periods": MONTHS,
        "quotas": {"A": "10%", "B": "20%", "D": "全部"},
    }
    return JointTask(**(fields | changes))


def plan(*tasks: JointTask | InternalTask, **changes: Any) -> YearPlan:
    fields: dict[str, Any] = {
        "year": 2026,
        "periods": MONTHS,
        "departments": DEPARTMENTS,
        "items": items(),
        "joint_items": [J01],
        "tasks": tasks or [joint_task()],
    }
    return YearPlan(**(fields | changes))


def scope(counts: dict[str, int], prefix: str = "E") -> Population:
    ids, strata = [], []
    for label, count in counts.items():
        ids += [f"{prefix}{label}{i:04d}" for i in range(count)]
        strata += [label] * count
    return Population.from_columns(ids, strata=strata)


SCOPES = {"餐饮": scope({"A": 120, "B": 40, "D": 12})}


def run_year(year_plan: YearPlan, scopes: dict[str, Population], periods: int = 12) -> list:
    sizing = year_plan.sizing(scopes)
    draws: list = []
    history: list[PastInspection] = []
    for k, period in enumerate(year_plan.periods[:periods]):
        seed = Seed.from_bytes(bytes((k + i) % 256 for i in range(16, 32)))
        draw = draw_period(
            year_plan,
            period,
            seed,
            scopes,
            sizing=sizing,
            as_of=datetime.date(2026, k + 1, 10),
            history=history,
            earlier=draws,
        )
        draws.append(draw)
        history += inspections_from(draw)
    return draws


# -- the plan --------------------------------------------------------------------------------


def test_a_joint_task_must_run_a_declared_joint_item_of_its_initiator():
    """A joint task naming an unknown joint item, or not its initiator, names the task."""
    with pytest.raises(InvalidInputError, match=r"task 'T-01'\.joint_item: is not in the joint"):
        plan(joint_task(joint_item="J-99"))
    with pytest.raises(InvalidInputError) as info:
        plan(joint_task(initiator="HEALTH"))
    assert "task 'T-01'.initiator" == info.value.field
    assert "initiator of joint item 'J-01' (SAMR)" in str(info.value)


def test_joint_items_are_checked():
    """Unknown departments and items, items of absent departments, a silent department."""
    with pytest.raises(InvalidInputError, match="is not a department"):
        plan(joint_items=[attrs.evolve(J01, cooperating=("HEALTH", "TAX"))])
    with pytest.raises(InvalidInputError, match="has no item of 'FIRE'"):
        plan(joint_items=[attrs.evolve(J01, items=("S-01", "H-01"))])
    with pytest.raises(InvalidInputError, match="which takes no part"):
        plan(joint_items=[attrs.evolve(J01, cooperating=("HEALTH",))])
    with pytest.raises(InvalidInputError, match="cannot cooperate"):
        JointItem(
            item_id="J", name="x", initiator="A", cooperating=["A"], level="city", items=["i"]
        )
    with pytest.raises(InvalidInputError, match="level"):
        JointItem(
            item_id="J", name="x", initiator="A", cooperating=["B"], level="town", items=["i"]
        )


def test_internal_tasks_use_their_own_items_and_plan_periods():
    """An internal task over another department's item, or a period outside the plan."""
    own = InternalTask(
        task_id="T-9",
        department="SAMR",
        items=["S-01"],
        scope="餐饮",
        periods=["2026-01"],
        quotas={"A": "5%"},
    )
    with pytest.raises(InvalidInputError, match="is not an item of 'SAMR'"):
        plan(attrs.evolve(own, items=("H-01",)))
    with pytest.raises(InvalidInputError, match="is not a plan period"):
        plan(attrs.evolve(own, periods=("2027-01",)))


def test_quotas_read_as_county_plans_write_them():
    """'10%（20户）' is a rate with a minimum; counts, take-all and bounds in both forms."""
    assert Quota(Fraction(1, 10), minimum=20) == parse_quota("10%（20户）")
    assert Quota(Fraction(1, 10), minimum=20, maximum=50) == parse_quota("10%(20~50户)")
    assert Quota(Fraction(1, 20), maximum=9) == parse_quota("5%（≤9户）")
    assert Quota(count=7) == parse_quota("7户")
    assert Quota(take_all=True) == parse_quota("全部")
    with pytest.raises(InvalidTypeError, match="quota"):
        parse_quota(7)
    with pytest.raises(InvalidInputError, match="below the minimum"):
        parse_quota("10%（50-20户）")


def test_a_minimum_count_raises_a_small_class_and_a_missing_rule_is_refused():
    """'10%（20户）' on 40 units gives 20 a year; '（50户）' on 40 units means all 40."""
    sizing = plan(joint_task(quotas={"A": "10%", "B": "10%（20户）", "D": "全部"})).sizing(SCOPES)
    rows = {row.stratum: row for row in sizing.rows_of("T-01")}
    assert (12, 20, 12) == (rows["A"].annual, rows["B"].annual, rows["D"].annual)
    sizing = plan(joint_task(quotas={"A": "10%", "B": "10%（50户）", "D": "全部"})).sizing(SCOPES)
    rows = {row.stratum: row for row in sizing.rows_of("T-01")}
    assert (40, "minimum") == (rows["B"].annual, rows["B"].bound)
    with pytest.raises(SampleSizeError, match="task 'T-01'"):
        plan(joint_task(quotas={"A": "10%", "B": "50户", "D": "全部"})).sizing(SCOPES)
    with pytest.raises(InvalidInputError, match="gives no quota to"):
        plan(joint_task(quotas={"A": "10%", "B": "5%"})).sizing(SCOPES)


def test_annual_sizing_is_not_a_ceiling_per_month():
    """30 A-class enterprises at 1% a year: 1 draw in the year, not 1 a month (40%)."""
    sizing = plan(joint_task(quotas={"A": "1%"})).sizing({"餐饮": scope({"A": 30})})
    (row,) = sizing.rows
    assert 1 == row.annual
    assert (1,) + (0,) * 11 == tuple(n for _, n in row.periods)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(0, 5000),
    st.lists(st.integers(1, 40), min_size=1, max_size=12),
)
def test_allocation_adds_up_exactly_and_never_decreases(total, weights):
    """Sainte-Laguë: the periods add up to the annual count; one more never lowers a period."""
    counts = allocate_over_periods(total, weights)
    assert total == sum(counts)
    assert all(
        b >= a for a, b in zip(counts, allocate_over_periods(total + 1, weights), strict=True)
    )
    if len(set(weights)) == 1:
        assert max(counts) - min(counts) <= 1


@settings(max_examples=40, deadline=None)
@given(
    st.dictionaries(st.sampled_from("ABCD"), st.integers(1, 300), min_size=1),
    st.sampled_from(["1%", "3%", "10%", "10%（5户）", "全部"]),
)
def test_annual_sizing_over_twelve_periods_equals_the_annual_count(counts, rate):
    """For every (task, stratum) the twelve monthly counts add up to the annual count."""
    population = scope(counts)
    quotas = dict.fromkeys(counts, rate)
    try:
        sizing = plan(joint_task(quotas=quotas)).sizing({"餐饮": population})
    except SampleSizeError:  # a minimum above a small class: refused, never clipped
        assert "户" in rate
        return
    for row in sizing.rows:
        assert 12 == len(row.periods)
        assert row.annual == sum(n for _, n in row.periods)


# -- drawing a year --------------------------------------------------------------------------


def test_every_cooperating_department_inspects_exactly_the_initiators_list():
    """One list per joint task: the cooperating departments' units are the initiator's."""
    draw = draw_period(
        plan(),
        "2026-01",
        Seed.from_bytes(bytes(range(16))),
        SCOPES,
        sizing=plan().sizing(SCOPES),
        as_of=DAY,
    )
    initiator = draw.draw("T-01", "SAMR")
    assert initiator.is_draw
    assert (None, "SAMR", "SAMR") == (
        initiator.drawn_by,
        draw.draw("T-01", "HEALTH").drawn_by,
        draw.draw("T-01", "FIRE").drawn_by,
    )
    listed = set(initiator.sample.ids)
    for department in ("HEALTH", "FIRE"):
        inspected = {
            u.enterprise for v in draw.visits for u in v.drawn_units if u.department == department
        }
        assert listed == inspected
    assert 1 == len(draw.own_draws)
    assert all(
        v.lead == "SAMR" and set(v.departments) == {"SAMR", "HEALTH", "FIRE"} for v in draw.visits
    )


@st.composite
def year_setups(draw: st.DrawFn) -> tuple[YearPlan, dict[str, Population]]:
    """Random small declared plans: 1-3 joint tasks and maybe an internal one, 1-2 scopes."""
    scopes = {}
    for name in draw(st.lists(st.sampled_from(["餐饮", "药店"]), min_size=1, unique=True)):
        counts = draw(st.dictionaries(st.sampled_from("ABC"), st.integers(1, 40), min_size=1))
        scopes[name] = scope(counts, prefix=name)
    tasks: list[JointTask | InternalTask] = []
    for k, name in enumerate(scopes):
        labels = sorted(scopes[name].stratum_labels())
        rates = draw(
            st.lists(
                st.sampled_from(["5%", "20%", "50%"]), min_size=len(labels), max_size=len(labels)
            )
        )
        tasks.append(
            joint_task(task_id=f"T-{k}", scope=name, quotas=dict(zip(labels, rates, strict=True)))
        )
        if draw(st.booleans()):
            tasks.append(
                InternalTask(
                    task_id=f"I-{k}",
                    department="HEALTH",
                    items=["H-01"],
                    scope=name,
                    periods=MONTHS[:3],
                    quotas=dict.fromkeys(labels, "10%"),
                )
            )
    return plan(*tasks), scopes


@settings(max_examples=25, deadline=None)
@given(year_setups(), seeds)
def test_property_cooperating_departments_inspect_exactly_the_initiators_list(setup, seed):
    """For random plans: every cooperating department of every joint task inspects exactly the
    list its initiator drew, and nothing else for that task."""
    year_plan, scopes = setup
    sizing = year_plan.sizing(scopes)
    draw = draw_period(year_plan, "2026-01", seed, scopes, sizing=sizing, as_of=DAY)
    for task in draw.tasks:
        lists = {
            d.department: {
                u.enterprise
                for v in draw.visits + draw.off_site_checks
                for u in v.drawn_units
                if u.task_id == task.task_id and u.department == d.department
            }
            for d in draw.draws
            if d.task_id == task.task_id
        }
        initiator = draw.draw(task.task_id, task.lead)
        for department, inspected in lists.items():
            assert set(initiator.sample.ids) == inspected, (task.task_id, department)


def test_a_year_meets_its_annual_counts_without_repeats():
    """With a 'this year' rule every class's count over the year is drawn, each once."""
    rule = ExclusionRule(name="this year", window="year", departments="task")
    year_plan = plan(exclusions=[rule])
    draws = run_year(year_plan, SCOPES)
    drawn = [e for d in draws for e in d.draw("T-01", "SAMR").sample.ids]
    assert len(drawn) == len(set(drawn)) == 12 + 8 + 12
    report = annual_check(year_plan, year_plan.sizing(SCOPES), draws)
    assert {"A": 12, "B": 8, "D": 12} == {
        c.credit_class: c.enterprises for c in report.classes if c.enterprises
    }


def test_a_draw_that_breaks_the_annual_cap_fails_before_any_record():
    """Without a rule keeping them out, a second inspection over the cap is refused, naming
    the enterprise; with the rule the year completes."""
    capped = plan(joint_task(quotas={"A": "10%", "B": "20%", "D": "全部"}), annual_cap=1)
    with pytest.raises(AnnualCapError) as info:
        run_year(capped, SCOPES)
    assert info.value.field.startswith("annual_cap[E")
    ruled = attrs.evolve(
        capped, exclusions=[ExclusionRule(name="cap", window="year", keep_if_last_outcome=())]
    )
    assert annual_check(ruled, ruled.sizing(SCOPES), run_year(ruled, SCOPES)).ok


def test_a_class_above_its_band_fails_naming_the_class():
    """Two tasks each within the D band together inspect more of class D than its maximum:
    the period that would cross it is refused, naming the class. (Within one period tasks
    share tickets and coincide; here they draw in different halves of the year.)"""
    rule = ExclusionRule(name="this year", window="year", departments="task")
    extra = InternalTask(
        task_id="T-02",
        department="HEALTH",
        items=["H-01"],
        scope="餐饮",
        periods=MONTHS[6:],
        quotas={"A": "0%", "B": "0%", "D": "40%"},
    )
    banded = plan(
        joint_task(quotas={"A": "10%", "B": "20%", "D": "40%"}, periods=MONTHS[:6]),
        extra,
        bands=[Band("D", "0%", "50%")],
        exclusions=[rule],
    )
    with pytest.raises(AnnualCapError) as info:
        run_year(banded, SCOPES)
    assert "band[D]" == info.value.field
    assert "above its band maximum 50.00%" in str(info.value)


def test_bands_that_contradict_the_rates_name_the_class():
    """A task above a band maximum, or a plan that cannot reach a minimum: BandConflictError."""
    with pytest.raises(BandConflictError) as info:
        plan(bands=[Band("A", "0%", "5%")]).sizing(SCOPES)
    assert "band[A]" == info.value.field
    assert "T-01" in str(info.value)
    with pytest.raises(BandConflictError, match="below the band minimum"):
        plan(bands=[Band("B", "50%", "100%")]).sizing(SCOPES)
    with pytest.raises(InvalidInputError, match="is not a class"):
        plan(bands=[Band("E", "0%", "5%")])
    with pytest.raises(InvalidInputError, match="below the minimum"):
        Band("A", "20%", "5%")


def test_key_item_tasks_carry_no_ratio_cap():
    """A task over key items only may exceed a band maximum; it does not count in the share."""
    key = InternalTask(
        task_id="T-K",
        department="SAMR",
        items=["S-02"],
        scope="餐饮",
        periods=MONTHS,
        quotas={"A": "30%", "B": "0%", "D": "0%"},
    )
    year_plan = plan(joint_task(), key, bands=[Band("A", "0%", "20%")])
    assert year_plan.is_key(key)
    assert not year_plan.is_key(year_plan.task("T-01"))
    report = annual_check(year_plan, year_plan.sizing(SCOPES), run_year(year_plan, SCOPES, 3))
    (a,) = [c for c in report.classes if c.credit_class == "A"]
    assert a.inspections > a.enterprises  # key-task inspections counted, not in the share


def test_windows_and_object_types():
    """A draw outside the task's window names the task; object types leave others out."""
    windowed = plan(joint_task(start=datetime.date(2026, 3, 1)))
    with pytest.raises(InvalidInputError, match=r"task 'T-01'\.window"):
        draw_period(
            windowed,
            "2026-01",
            Seed.from_bytes(bytes(range(16))),
            SCOPES,
            sizing=windowed.sizing(SCOPES),
            as_of=DAY,
        )
    with pytest.raises(InvalidInputError, match="before start"):
        joint_task(start=datetime.date(2026, 3, 1), end=datetime.date(2026, 2, 1))
    ids = ["91350100A", "92350100B", "93350100C", "91350100D"]
    mixed = {"餐饮": Population.from_columns(ids, strata="A")}
    typed = plan(joint_task(quotas={"A": "全部"}, object_types=["enterprise"]))
    sizing = typed.sizing(mixed)
    assert 2 == sizing.rows[0].annual  # take-all of the enterprises only
    draw = draw_period(
        typed, "2026-01", Seed.from_bytes(bytes(range(16))), mixed, sizing=sizing, as_of=DAY
    )
    (summary,) = [s for _, s in draw.exclusions]
    assert (2,) == summary.by_type
    assert {"enterprise"} == {object_type_of(i) for i in draw.draw("T-01", "SAMR").sample.ids}
    assert ("other", "cooperative") == (object_type_of("E1"), object_type_of("93350100C"))


# -- exclusion rules -------------------------------------------------------------------------


def test_exclusion_rules_by_class_trigger_department_and_outcome():
    """Each criterion of a rule is applied: class, trigger, department, window, outcome."""
    population = Population.from_columns(
        ["a1", "a2", "a3", "a4", "a5", "d1"], strata=["A"] * 5 + ["D"]
    )
    history = [
        PastInspection(enterprise="a1", date=datetime.date(2026, 5, 1), department="SAMR"),
        PastInspection(
            enterprise="a2", date=datetime.date(2026, 5, 1), department="SAMR", trigger=COMPLAINT
        ),
        PastInspection(enterprise="a3", date=datetime.date(2026, 5, 1), department="TAX"),
        PastInspection(enterprise="a4", date=datetime.date(2025, 5, 1), department="SAMR"),
        PastInspection(
            enterprise="a5",
            date=datetime.date(2026, 5, 1),
            department="SAMR",
            outcome=PROBLEM_FOUND,
        ),
        PastInspection(enterprise="d1", date=datetime.date(2026, 5, 1), department="SAMR"),
    ]
    rule = ExclusionRule(name="r", window=180, classes={"A"}, departments="task")
    new, summary = apply_exclusions(
        population, [rule], history, as_of=datetime.date(2026, 6, 1), departments=["SAMR"]
    )
    assert (("a1", "r"),) == summary.excluded
    assert ("a5",) == summary.kept
    assert {"A": 4, "D": 1} == new.eligible_counts()
    rows = {row["stratum"]: row for row in summary.to_rows()}
    assert (5, 1, 1, 4) == (
        rows["A"]["before"],
        rows["A"]["rule:r"],
        rows["A"]["kept"],
        rows["A"]["after"],
    )
    probabilities = summary.inclusion_probabilities({"A": 2})
    assert (Fraction(2, 5), Fraction(2, 4)) == probabilities["A"]
    with pytest.raises(InvalidInputError, match="is after as_of"):
        apply_exclusions(population, [rule], history, as_of=datetime.date(2026, 4, 1))


@st.composite
def histories(draw: st.DrawFn) -> list[PastInspection]:
    out = []
    for ident in ("e0", "e1", "e2", "e3", "e4", "e5"):
        for _ in range(draw(st.integers(0, 3))):
            out.append(
                PastInspection(
                    enterprise=ident,
                    date=datetime.date(2026, 1, 1)
                    + datetime.timedelta(days=draw(st.integers(0, 150))),
                    department=draw(st.sampled_from(["SAMR", "HEALTH"])),
                    trigger=draw(st.sampled_from(["random", COMPLAINT])),
                    outcome=draw(st.sampled_from([None, PROBLEM_FOUND, "no-problem"])),
                )
            )
    return out


@settings(max_examples=100, deadline=None)
@given(histories(), st.integers(1, 200), st.integers(1, 3))
def test_property_a_problem_found_last_time_is_never_excluded(history, window, at_least):
    """When rules keep 'problem-found', no enterprise whose last known outcome found a
    problem is excluded, whatever the windows, thresholds and triggers."""
    population = Population.from_columns([f"e{i}" for i in range(6)], strata="C")
    rules = [
        ExclusionRule(name="recent", window=window, at_least=at_least),
        ExclusionRule(name="year", window="year", triggers={"random", COMPLAINT}),
    ]
    as_of = datetime.date(2026, 6, 1)
    _, summary = apply_exclusions(population, rules, history, as_of=as_of)
    for enterprise, _ in summary.excluded:
        known = [i for i in history if i.enterprise == enterprise and i.outcome is not None]
        if known:
            last = max(i.date for i in known)
            assert PROBLEM_FOUND not in {i.outcome for i in known if i.date == last}


def test_rules_are_validated():
    """Bad windows, thresholds, empty triggers and duplicate names are typed errors."""
    with pytest.raises(InvalidInputError, match="window"):
        ExclusionRule(name="r", window=0)
    with pytest.raises(InvalidTypeError, match="window"):
        ExclusionRule(name="r", window="month")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="triggers"):
        ExclusionRule(name="r", window=10, triggers=())
    with pytest.raises(InvalidInputError, match="used twice"):
        apply_exclusions(scope({"A": 2}), [ExclusionRule(name="r", window=9)] * 2, [], as_of=DAY)


# -- verification ----------------------------------------------------------------------------


def test_verify_period_checks_every_initiators_record():
    """The records of a period verify; a record of another size or a missing one is named."""
    rule = ExclusionRule(name="this year", window="year", departments="task")
    year_plan = plan(exclusions=[rule])
    sizing = year_plan.sizing(SCOPES)
    first, second = run_year(year_plan, SCOPES, 2)
    history = inspections_from(first)

    def records(draw: Any) -> dict:
        return {
            (d.task_id, d.department): make_record(
                d.sample,
                authority=d.department,
                draw_id=f"{d.task_id}/{draw.period}",
                timestamp="2026-02-10T02:00:00Z",
            )
            for d in draw.own_draws
        }

    common = {"sizing": sizing, "as_of": datetime.date(2026, 2, 10), "earlier": [first]}
    ok = verify_period(
        year_plan,
        "2026-02",
        second.seed,
        SCOPES,
        records(second),
        history=history,
        visits=second.visits,
        **common,
    )
    assert ok.ok, str(ok)
    stale = verify_period(year_plan, "2026-02", second.seed, SCOPES, records(second), **common)
    assert not stale.ok  # without the history the exclusions differ: population digest
    assert any("population" in f for f in stale.fields)
    missing = verify_period(
        year_plan, "2026-02", second.seed, SCOPES, {}, history=history, **common
    )
    assert ("records['T-01', 'SAMR']",) == missing.fields
