"""From a joint draw to the visits that need teams: the bridge between the two randoms.

A joint draw (:func:`randsample.joint.draw_joint`) gives one :class:`~randsample.joint.MergedVisit`
per enterprise, listing every department and item that drew it. Staffing a visit needs, per
department, the *inspection categories* of its items (from the plan's item list), a date and a
team size. :func:`visits_from_joint` builds exactly those :class:`Visit` objects, so a caller
goes from ``draw_joint`` to ``assign_inspectors`` without glue code.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping

from .. import _validation as check
from ..errors import InvalidInputError, InvalidTypeError
from ..joint import JointDraw, MergedPlan, MergedVisit
from ._common import DEFAULT_TEAM_SIZE
from ._visit import Visit

__all__ = ["visits_from_joint"]


def visits_from_joint(
    joint: JointDraw,
    plan: MergedPlan,
    *,
    date: datetime.date | Mapping[str, datetime.date],
    region: Callable[[str], str] | Mapping[str, str] | None = None,
    team_size: int = DEFAULT_TEAM_SIZE,
) -> list[Visit]:
    """Return the on-site visits of ``joint`` as team-assignment :class:`Visit` objects.

    Off-site checks (written review, data sharing, ...) need no team and are left out. Each
    visit keeps its id, enterprise, departments and lead; each department's ``items`` are the
    categories of its items on the visit, looked up in ``plan``.

    Parameters
    ----------
    joint
        The period's joint draw.
    plan
        The merged plan the draw was made from (for the items' categories).
    date
        The visit date: one date for every visit, or a mapping visit id -> date.
    region
        The enterprise's region, for the same-locality conflict rule: a mapping enterprise id ->
        region or a function of the enterprise id. When omitted the region is ``"unknown"``;
        leave the same-locality rule off then (``Conflicts(same_locality=False)``).
    team_size
        Members per visit, at least 2. A visit with more departments than ``team_size`` gets
        one member per department (the v1 team model: one from each department, the rest
        from the lead).

    Examples
    --------
    >>> import datetime
    >>> from randsample.examples import small_joint, small_joint_draw
    >>> merged, _, _ = small_joint()
    >>> visits = visits_from_joint(small_joint_draw(), merged, date=datetime.date(2026, 10, 12))
    >>> v = visits[0]
    >>> v.visit_id, v.departments, v.lead
    ('V-2026-Q4-000001', ('HEALTH', 'SAMR'), 'SAMR')
    >>> {department: sorted(categories) for department, categories in v.items.items()}
    {'HEALTH': ['卫生'], 'SAMR': ['广告', '食品安全']}
    """
    check.instance(joint, "joint", JointDraw)
    check.instance(plan, "plan", MergedPlan)
    check.integer(team_size, "team_size", minimum=DEFAULT_TEAM_SIZE)
    region_of: Callable[[str], str]
    if region is None:
        region_of = _unknown_region
    elif isinstance(region, Mapping):
        region_of = _lookup(dict(region))
    elif callable(region):
        region_of = region
    else:
        raise InvalidTypeError("region", region, "a mapping or a function of the id")
    return [
        _visit(visit, plan, date=date, region=region_of(visit.enterprise), team_size=team_size)
        for visit in joint.visits
        if visit.on_site
    ]


def _unknown_region(enterprise: str) -> str:
    return "unknown"


def _lookup(regions: dict[str, str]) -> Callable[[str], str]:
    def region_of(enterprise: str) -> str:
        if enterprise not in regions:
            raise InvalidInputError("region", enterprise, "has no region for this enterprise")
        return regions[enterprise]

    return region_of


def _visit(
    visit: MergedVisit,
    plan: MergedPlan,
    *,
    date: datetime.date | Mapping[str, datetime.date],
    region: str,
    team_size: int,
) -> Visit:
    if isinstance(date, Mapping):
        if visit.visit_id not in date:
            raise InvalidInputError("date", visit.visit_id, "has no date for this visit")
        day = date[visit.visit_id]
    else:
        day = date
    categories = {
        department: frozenset(plan.item(item).category for item in items)
        for department, items in visit.items_by_department().items()
    }
    return Visit(
        visit_id=visit.visit_id,
        enterprise_id=visit.enterprise,
        enterprise_region=region,
        date=check.date(day, f"date[{visit.visit_id!r}]"),
        departments=visit.departments,
        items=categories,
        team_size=max(team_size, len(visit.departments)),
        lead=visit.lead,
    )
