"""From a joint draw to staffed teams without glue: visits_from_joint."""

from __future__ import annotations

import datetime

import pytest

from randsample import assign_inspectors, draw_joint, merge_plan
from randsample.errors import InvalidInputError, InvalidTypeError
from randsample.examples import (
    demo_joint_directory,
    demo_joint_plan,
    demo_population,
    demo_scopes,
    demo_seed,
)
from randsample.teams import Conflicts, visits_from_joint

DAY = datetime.date(2026, 12, 7)


@pytest.fixture(scope="module")
def joint():
    merged = merge_plan(demo_joint_plan("2026-12"))
    scopes = demo_scopes(demo_population(size=3000))
    return merged, draw_joint(merged, demo_seed(), scopes)


def test_every_on_site_visit_becomes_a_team_visit(joint):
    """Visits keep id, enterprise, departments and lead; items become the plan's categories."""
    merged, result = joint
    visits = visits_from_joint(result, merged, date=DAY)
    on_site = [v for v in result.visits if v.on_site]
    assert [v.visit_id for v in on_site] == [v.visit_id for v in visits]
    for merged_visit, visit in zip(on_site, visits, strict=True):
        assert merged_visit.enterprise == visit.enterprise_id
        assert merged_visit.departments == visit.departments
        assert merged_visit.lead == visit.lead
        assert set(visit.items) == set(visit.departments)
        assert all(cats == frozenset({"日常监管"}) for cats in visit.items.values())
        assert visit.team_size >= max(2, len(visit.departments))


def test_the_bridge_feeds_the_team_draw(joint):
    """draw_joint -> visits_from_joint -> assign_inspectors: every department on every visit."""
    merged, result = joint
    visits = visits_from_joint(result, merged, date=DAY)
    teams = assign_inspectors(
        demo_joint_directory(), visits, demo_seed(), conflicts=Conflicts(same_locality=False)
    )
    assert len(visits) == len(teams.teams)
    by_visit = {team.visit_id: dict(team.members) for team in teams.teams}
    for visit in visits:
        assert set(visit.departments) == set(by_visit[visit.visit_id])


def test_dates_and_regions_per_visit(joint):
    """Per-visit dates and an enterprise -> region mapping are taken; missing ones are named."""
    merged, result = joint
    first = next(v for v in result.visits if v.on_site)
    dates = {v.visit_id: DAY for v in result.visits}
    regions = {v.enterprise: "350102" for v in result.visits}
    visits = visits_from_joint(result, merged, date=dates, region=regions)
    assert {"350102"} == {v.enterprise_region for v in visits}
    with pytest.raises(InvalidInputError, match=r"^date: has no date"):
        visits_from_joint(result, merged, date={})
    with pytest.raises(InvalidInputError, match=f"region: has no region.*{first.enterprise}"):
        visits_from_joint(result, merged, date=DAY, region={})
    with pytest.raises(InvalidTypeError, match="date"):
        visits_from_joint(result, merged, date="2026-12-07")  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="plan"):
        visits_from_joint(result, result, date=DAY)  # type: ignore[arg-type]
