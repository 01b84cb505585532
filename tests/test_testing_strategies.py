"""Every strategy of randsample.testing produces inputs the library accepts."""

from __future__ import annotations

import subprocess
import sys

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from randsample import (
    Directory,
    Population,
    Seed,
    Task,
    assign_inspectors,
    draw_joint,
    draw_stratified,
    merge_plan,
)
from randsample.core import check_id
from randsample.design import sizes_from_rates
from randsample.joint import Plan
from randsample.population import CREDIT_CLASSES
from randsample.reports import monthly_report
from randsample.testing import (
    credit_classes,
    designs,
    feasible_sizes,
    inspector_directories,
    plans,
    populations,
    seeds,
    unit_ids,
    visits_for,
)
from randsample.testing._units import REGIONS

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(unit_ids(), credit_classes())
def test_ids_and_classes_are_accepted(ident: str, label: str) -> None:
    assert check_id(ident) == ident
    assert label in CREDIT_CLASSES
    assert len(Population.from_columns([ident], strata=label)) == 1


@FAST
@given(data=st.data(), population=populations(), seed=seeds())
def test_populations_sizes_and_seeds_draw(
    data: st.DataObject, population: Population, seed: Seed
) -> None:
    sizes = data.draw(feasible_sizes(population))
    sample = draw_stratified(population, sizes, seed)
    assert sample.sizes == sizes
    assert not seed.low_entropy_allowed


@FAST
@given(
    population=populations(min_size=4, strata=CREDIT_CLASSES, with_weights=True),
    design=designs(),
)
def test_designs_fit_populations_with_their_strata(
    population: Population, design: dict[str, str]
) -> None:
    assert population.stratum_labels() == CREDIT_CLASSES
    assert population.weights is not None
    sizes = sizes_from_rates(population.eligible_counts(), design)
    assert list(sizes) == list(CREDIT_CLASSES)
    task = Task(task_id="T", department="D", items=["I"], scope="s", period="p", rates=design)
    assert [label for label, _ in task.rates] == list(CREDIT_CLASSES)


@FAST
@given(populations(strata=["x"], with_weights=False, all_eligible=True, max_size=5))
def test_population_options_are_honoured(population: Population) -> None:
    assert population.stratum_labels() == ("x",)
    assert population.weights is None
    assert population.eligible.all()


@FAST
@given(data=st.data(), directory=inspector_directories(), seed=seeds())
def test_directories_and_visits_are_assignable(
    data: st.DataObject, directory: Directory, seed: Seed
) -> None:
    visits = data.draw(visits_for(directory, max_size=5))
    assignment = assign_inspectors(directory, visits, seed, partial=True)
    assert assignment is not None
    assert all(v.enterprise_region in REGIONS for v in visits)


@FAST
@given(data=st.data(), plan=plans(), seed=seeds())
def test_plans_merge_draw_and_report(data: st.DataObject, plan: Plan, seed: Seed) -> None:
    merged = merge_plan(plan)
    scopes = {task.scope for task in merged.tasks}
    draws = []
    for period in merged.periods:
        populations_of = {
            scope: data.draw(
                populations(min_size=4, max_size=20, strata=CREDIT_CLASSES, all_eligible=True)
            )
            for scope in sorted(scopes)
        }
        draws.append(draw_joint(merged, seed, populations_of, period=period))
    report = monthly_report(draws, {})
    # The report's counting rules, on random plans.
    total = report.row(None, "all")
    assert total.inspections == len(merged.tasks)
    joint, internal = report.row(None, "joint"), report.row(None, "internal")
    assert joint.inspections + internal.inspections == total.inspections
    assert max(joint.enterprises_drawn, internal.enterprises_drawn) <= total.enterprises_drawn
    assert sum(report.row(d, "all").inspections for d in report.departments) == sum(
        len(r.draws) for r in draws
    )
    assert total.enterprises_completed == 0
    metrics = report.metrics
    assert (metrics.joint_tasks.numerator, metrics.joint_tasks.denominator) == (
        joint.inspections,
        total.inspections,
    )
    # Joint-inspected enterprises (two or more departments of one joint task) are among the
    # enterprises drawn in joint tasks (the report's joint row), over all drawn.
    assert metrics.joint_enterprises.denominator == total.enterprises_drawn
    assert metrics.joint_enterprises.numerator <= joint.enterprises_drawn
    assert metrics.credit_risk_draws.numerator == sum(
        report.row(d, "credit-risk").inspections for d in report.departments
    )


def test_the_package_does_not_import_the_testing_module() -> None:
    code = (
        "import sys, randsample; "
        "assert 'randsample.testing' not in sys.modules; "
        "assert 'hypothesis' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
