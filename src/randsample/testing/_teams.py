"""Strategies for inspector directories and the visits they staff."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from hypothesis import strategies as st

from ..teams import Directory, Inspector, Visit
from ._units import REGIONS, unit_ids

__all__ = ["inspector_directories", "visits_for"]


#: The first day of the dates that visits and days off fall on (a two-week window).
FIRST_DAY = datetime.date(2026, 3, 2)


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
