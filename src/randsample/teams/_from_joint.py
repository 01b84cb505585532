"""From a joint draw to the visits that need teams: the bridge between the two randoms.

A period's draw (:func:`randsample.joint.draw_period` or :func:`randsample.joint.draw_joint`)
gives one :class:`~randsample.joint.MergedVisit` per enterprise, listing every department and
item that drew it. Staffing a visit needs, per department, the *inspection categories* of its
items (from the plan's item list) and a date. :func:`team_visits_from_joint` builds the
:class:`TeamVisit` objects of team-assignment v2 (per-department minimums, the initiator as
lead, experts, the declared business location); :func:`visits_from_joint` builds version 1's
:class:`Visit` objects.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping

from .. import _validation as check
from ..errors import InvalidInputError, InvalidTypeError
from ..joint import JointDraw, MergedPlan, MergedVisit, YearPlan
from ._common import DEFAULT_TEAM_SIZE
from ._staffing import DEFAULT_MINIMUM, TeamVisit
from ._visit import Visit

__all__ = ["team_visits_from_joint", "visits_from_joint"]


def team_visits_from_joint(
    joint: JointDraw,
    plan: YearPlan | MergedPlan,
    *,
    date: datetime.date | Mapping[str, datetime.date],
    location: Mapping[str, str] | Callable[[str], str | None] | None = None,
    minimum: int = DEFAULT_MINIMUM,
    minimums: Mapping[str, int] | None = None,
    experts: Mapping[str, int] | None = None,
    expert_categories: Mapping[str, frozenset[str]] | None = None,
) -> list[TeamVisit]:
    """Return the on-site visits of ``joint`` as team-assignment v2 :class:`TeamVisit` objects.

    Each visit keeps its id, enterprise and departments; its lead is the visit's initiating
    department (:attr:`MergedVisit.lead <randsample.joint.MergedVisit.lead>`); each department
    sends ``minimums.get(department, minimum)`` officers (default 2 for every department) and
    inspects the categories of its items on the visit. ``experts`` maps a visit id to the
    experts it needs (with ``expert_categories``). ``location`` gives the enterprise's
    declared business location (a mapping or a function of the enterprise id), for the
    same-locality rule; omit it when the rule is off. Off-site checks need no team.

    Examples
    --------
    >>> import datetime
    >>> from randsample.examples import small_year
    >>> from randsample.joint import draw_period
    >>> plan, sizing, seed, scopes = small_year()
    >>> day = datetime.date(2026, 1, 10)
    >>> draw = draw_period(plan, "2026-01", seed, scopes, sizing=sizing, as_of=day)
    >>> visit = team_visits_from_joint(draw, plan, date=day)[0]
    >>> visit.departments, visit.lead, visit.minimum("HEALTH")
    (('HEALTH', 'SAMR'), 'SAMR', 2)
    """
    check.instance(joint, "joint", JointDraw)
    if not isinstance(plan, (YearPlan, MergedPlan)):
        raise InvalidTypeError("plan", plan, "a YearPlan or a MergedPlan")
    check.integer(minimum, "minimum", minimum=DEFAULT_MINIMUM)
    chosen = check.mapping(minimums or {}, "minimums", key=check.label)
    needs = check.mapping(experts or {}, "experts", key=check.label)
    kinds = check.mapping(expert_categories or {}, "expert_categories", key=check.label)
    where_of: Callable[[str], str | None]
    if location is None:
        where_of = _no_location
    elif isinstance(location, Mapping):
        where_of = _lookup(dict(location), "location")
    elif callable(location):
        where_of = location
    else:
        raise InvalidTypeError("location", location, "a mapping or a function of the id")
    out = []
    for visit in joint.visits:
        if not visit.on_site:
            continue
        categories = {
            department: frozenset(plan.item(item).category for item in items)
            for department, items in visit.items_by_department().items()
        }
        out.append(
            TeamVisit(
                visit_id=visit.visit_id,
                enterprise_id=visit.enterprise,
                date=check.date(_day(visit, date), f"date[{visit.visit_id!r}]"),
                departments=visit.departments,
                items=categories,
                lead=visit.lead,
                minimums={d: chosen.get(d, minimum) for d in visit.departments},
                experts=needs.get(visit.visit_id, 0),
                expert_categories=kinds.get(visit.visit_id, frozenset()),
                location=where_of(visit.enterprise),
            )
        )
    return out


def _no_location(enterprise: str) -> None:
    return None


def _day(visit: MergedVisit, date: datetime.date | Mapping[str, datetime.date]) -> object:
    if isinstance(date, Mapping):
        if visit.visit_id not in date:
            raise InvalidInputError("date", visit.visit_id, "has no date for this visit")
        return date[visit.visit_id]
    return date


def visits_from_joint(
    joint: JointDraw,
    plan: YearPlan | MergedPlan,
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
        region or a function of the enterprise id, from a declared business-location field
        (never characters 3-8 of the credit code: that is the registering authority's
        division). When omitted the region is ``"unknown"``; leave the same-locality rule off
        then (it is off by default).
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
    if not isinstance(plan, (YearPlan, MergedPlan)):
        raise InvalidTypeError("plan", plan, "a YearPlan or a MergedPlan")
    check.integer(team_size, "team_size", minimum=DEFAULT_TEAM_SIZE)
    region_of: Callable[[str], str]
    if region is None:
        region_of = _unknown_region
    elif isinstance(region, Mapping):
        region_of = _lookup(dict(region), "region")
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


def _lookup(regions: dict[str, str], field: str) -> Callable[[str], str]:
    def region_of(enterprise: str) -> str:
        if enterprise not in regions:
            raise InvalidInputError(field, enterprise, f"has no {field} for this enterprise")
        return regions[enterprise]

    return region_of


def _visit(
    visit: MergedVisit,
    plan: YearPlan | MergedPlan,
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
