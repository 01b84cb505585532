"""Hypothesis strategies for property tests of code built on randsample.

This module needs the optional ``testing`` extra (it imports :mod:`hypothesis` at the top);
``import randsample`` never imports it. Every strategy produces inputs the library
*accepts*: a population :func:`~randsample.draw_stratified` can draw from with
:func:`feasible_sizes`, a directory and visits :func:`~randsample.assign_inspectors` takes
(``partial=True``, since a random directory need not be able to staff every visit), a plan
:func:`~randsample.merge_plan` merges.

Use them in your own tests::

    from hypothesis import given
    from randsample import draw_stratified
    from randsample.testing import feasible_sizes, populations, seeds

    @given(data=st.data(), population=populations(), seed=seeds())
    def test_my_pipeline(data, population, seed):
        sample = draw_stratified(population, data.draw(feasible_sizes(population)), seed)
        ...

``strategy.example()`` shows a value in an interactive session (for exploration only: it is
random, and hypothesis warns when it is used inside tests), e.g. ``populations().example()``
or ``plans().example().tasks``.

>>> from hypothesis import given, settings
>>> @settings(max_examples=5, database=None)
... @given(designs(strata=("A", "B")))
... def check(design):
...     assert sorted(design) == ["A", "B"] and all(r.endswith("%") for r in design.values())
>>> check()
"""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Sequence
from typing import Any

from hypothesis import strategies as st

from .core import MIN_SEED_BYTES, Seed
from .joint import METHODS, Department, InspectionItem, Plan, Task
from .population import CREDIT_CLASSES, Population
from .teams import Directory, Inspector, Visit

__all__ = [
    "credit_classes",
    "designs",
    "feasible_sizes",
    "inspector_directories",
    "plans",
    "populations",
    "seeds",
    "unit_ids",
    "visits_for",
]

_ID_ALPHABET = st.characters(
    codec="utf-8",
    categories=("Lu", "Ll", "Lo", "Nd", "Pd", "Pc"),  # letters (incl. CJK), digits, - and _
)
#: A few regions, so that the same-locality conflict rule actually applies sometimes.
REGIONS: tuple[str, ...] = ("north", "south", "east", "城关镇")
#: The first day of the dates that visits and days off fall on (a two-week window).
FIRST_DAY = datetime.date(2026, 3, 2)


def _acceptable(text: str) -> bool:
    return (
        bool(text)
        and text == text.strip()
        and text.isprintable()
        and unicodedata.is_normalized("NFC", text)
    )


def unit_ids(*, max_size: int = 24) -> st.SearchStrategy[str]:
    """Return a strategy for valid identifiers (unit ids, labels), CJK included.

    Identifiers are what :func:`randsample.core.check_id` accepts: non-empty, NFC,
    printable, no surrounding whitespace.

    >>> from randsample.core import check_id
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=20, database=None)
    ... @given(unit_ids())
    ... def check(ident):
    ...     assert check_id(ident) == ident
    >>> check()
    """
    return st.text(_ID_ALPHABET, min_size=1, max_size=max_size).filter(_acceptable)


def credit_classes() -> st.SearchStrategy[str]:
    """Return a strategy for the credit-risk classes ``"A"`` (low risk) to ``"D"`` (high).

    >>> sorted(set(CREDIT_CLASSES))
    ['A', 'B', 'C', 'D']
    """
    return st.sampled_from(CREDIT_CLASSES)


@st.composite
def populations(
    draw: st.DrawFn,
    *,
    min_size: int = 1,
    max_size: int = 60,
    strata: Sequence[str] | None = None,
    with_weights: bool | None = None,
    all_eligible: bool = False,
) -> Population:
    """Return a strategy for populations: unique ids, a few strata, eligibility, weights.

    Parameters
    ----------
    min_size, max_size : int
        Bounds on the number of units (``min_size`` at least 1).
    strata : sequence of str, optional
        Labels to use. Every label is given to at least one unit when there are enough units
        (so a design naming every label fits the population if ``min_size >= len(strata)``).
        Default: a few labels, credit classes or arbitrary identifiers.
    with_weights : bool, optional
        True: always weights (finite, >= 0); False: never; None (default): either.
    all_eligible : bool
        Make every unit eligible (default: some units may be ineligible).

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10, database=None)
    ... @given(populations(min_size=4, strata=CREDIT_CLASSES, with_weights=False))
    ... def check(population):
    ...     assert population.stratum_labels() == CREDIT_CLASSES
    ...     assert population.weights is None
    >>> check()
    """
    if strata is None:
        labels = draw(
            st.lists(
                st.one_of(credit_classes(), unit_ids(max_size=8)),
                min_size=1,
                max_size=4,
                unique=True,
            )
        )
    else:
        labels = list(strata)
    ids = draw(
        st.lists(
            unit_ids(), min_size=max(min_size, 1), max_size=max(max_size, min_size), unique=True
        )
    )
    n = len(ids)
    # The first units take every label in turn, so that each label is used when n allows.
    assigned = [labels[i] for i in range(min(n, len(labels)))]
    assigned += [draw(st.sampled_from(labels)) for _ in range(n - len(assigned))]
    eligible = [True] * n if all_eligible else draw(st.lists(st.booleans(), min_size=n, max_size=n))
    weighted = draw(st.booleans()) if with_weights is None else with_weights
    weights = (
        draw(st.lists(st.floats(0, 1e6, allow_nan=False), min_size=n, max_size=n))
        if weighted
        else None
    )
    return Population.from_columns(ids, strata=assigned, eligible=eligible, weights=weights)


@st.composite
def feasible_sizes(draw: st.DrawFn, population: Population) -> dict[str, int]:
    """Return a strategy for sample sizes: per stratum, 0 to its eligible count.

    >>> from hypothesis import given, settings
    >>> pop = Population.from_columns(["a", "b", "c"], strata=["A", "A", "B"])
    >>> @settings(max_examples=10, database=None)
    ... @given(feasible_sizes(pop))
    ... def check(sizes):
    ...     assert 0 <= sizes["A"] <= 2 and 0 <= sizes["B"] <= 1
    >>> check()
    """
    return {label: draw(st.integers(0, m)) for label, m in population.eligible_counts().items()}


def seeds() -> st.SearchStrategy[Seed]:
    """Return a strategy for seeds of 16 to 32 distinct random bytes (never low-entropy).

    >>> Seed.from_bytes(bytes(range(16))).value.hex()
    '000102030405060708090a0b0c0d0e0f'
    """
    return st.lists(
        st.integers(0, 255), min_size=MIN_SEED_BYTES, max_size=2 * MIN_SEED_BYTES, unique=True
    ).map(lambda values: Seed.from_bytes(bytes(values)))


def _percent(hundredths: int) -> str:
    whole, part = divmod(hundredths, 100)
    return f"{whole}%" if not part else f"{whole}.{part:02d}".rstrip("0") + "%"


def designs(
    strata: Sequence[str] = CREDIT_CLASSES, *, max_rate: int = 100
) -> st.SearchStrategy[dict[str, str]]:
    """Return a strategy for per-stratum rates written as the plan writes them (``"3%"``).

    Rates are multiples of 0.01% between 0% and ``max_rate``%; every label of ``strata``
    gets one. The result is accepted by ``Task(rates=...)`` and
    :func:`randsample.design.sizes_from_rates` for a population with exactly these strata.

    >>> _percent(300), _percent(250), _percent(5), _percent(10000)
    ('3%', '2.5%', '0.05%', '100%')
    """
    rate = st.integers(0, 100 * max_rate).map(_percent)
    return st.fixed_dictionaries(dict.fromkeys(strata, rate))


@st.composite
def inspector_directories(
    draw: st.DrawFn,
    *,
    departments: Sequence[str] | None = None,
    max_inspectors: int = 4,
    max_categories: int = 3,
) -> Directory:
    """Return a strategy for valid inspector directories.

    Every department has 1 to ``max_inspectors`` certified inspectors, each qualified for
    some of the department's 1 to ``max_categories`` categories, with a home region among
    :data:`REGIONS`, a capacity of 1 to 3 and maybe days off in the two weeks from
    :data:`FIRST_DAY`. Departments default to one to three identifiers.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10, database=None)
    ... @given(inspector_directories(departments=["SAMR", "HEALTH"]))
    ... def check(directory):
    ...     assert directory.departments == {"SAMR", "HEALTH"}
    ...     assert all(directory.members(d) for d in directory.departments)
    >>> check()
    """
    codes = (
        list(departments)
        if departments is not None
        else draw(st.lists(unit_ids(max_size=8), min_size=1, max_size=3, unique=True))
    )
    days = st.integers(0, 13).map(lambda k: FIRST_DAY + datetime.timedelta(days=k))
    staff: list[Inspector] = []
    for index, code in enumerate(codes):
        categories = [f"{code}-c{k}" for k in range(draw(st.integers(1, max_categories)))]
        for number in range(draw(st.integers(1, max_inspectors))):
            staff.append(
                Inspector(
                    id=f"I{index}-{number}",
                    department=code,
                    certified=True,
                    categories=draw(st.sets(st.sampled_from(categories), min_size=1)),
                    home_region=draw(st.sampled_from(REGIONS)),
                    capacity=draw(st.integers(1, 3)),
                    days_off=draw(st.sets(days, max_size=3)),
                )
            )
    return Directory(staff, departments=codes)


@st.composite
def visits_for(
    draw: st.DrawFn, directory: Directory, *, min_size: int = 0, max_size: int = 6
) -> list[Visit]:
    """Return a strategy for visits that fit ``directory``.

    Each visit names departments of the directory, categories those departments hold, a
    date in the two weeks from :data:`FIRST_DAY`, a region among :data:`REGIONS`, a team
    size from ``max(2, departments)`` to two more, and a lead among its departments. Whether
    every visit can be staffed is left to chance: use ``assign_inspectors(..., partial=True)``.

    >>> from hypothesis import given, settings
    >>> from randsample import Seed, assign_inspectors
    >>> directory = Directory([Inspector(id="I-1", department="food", certified=True,
    ...                                  categories={"catering"}, home_region="north", capacity=2),
    ...                        Inspector(id="I-2", department="food", certified=True,
    ...                                  categories={"catering"}, home_region="south", capacity=2)])
    >>> @settings(max_examples=5, database=None)
    ... @given(visits_for(directory, max_size=2))
    ... def check(visits):
    ...     seed = Seed.from_bytes(bytes(range(16)))
    ...     assign_inspectors(directory, visits, seed, partial=True)
    >>> check()
    """
    usable = sorted(d for d in directory.departments if directory.categories[d])
    count = draw(st.integers(min_size, max_size))
    visits = []
    for number in range(count):
        departments = draw(st.lists(st.sampled_from(usable), min_size=1, unique=True))
        items = {
            d: draw(st.sets(st.sampled_from(sorted(directory.categories[d])), min_size=1))
            for d in departments
        }
        smallest = max(2, len(departments))
        visits.append(
            Visit(
                visit_id=f"V-{number + 1:04d}",
                enterprise_id=draw(unit_ids()),
                enterprise_region=draw(st.sampled_from(REGIONS)),
                date=FIRST_DAY + datetime.timedelta(days=draw(st.integers(0, 13))),
                departments=tuple(departments),
                items=items,
                team_size=draw(st.integers(smallest, smallest + 2)),
                lead=draw(st.sampled_from(departments)),
            )
        )
    return visits


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
    design: dict[str, Any] = {"rates": draw(designs(strata, max_rate=20))}
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
