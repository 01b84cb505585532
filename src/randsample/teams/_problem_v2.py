"""Inputs of team-assignment v2: validation, pools, eligibility, the input digest, explanations.

The byte layouts are in ``docs/spec.md`` section 12.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence

import attrs

from .. import _validation as check
from ..core import canonical_json
from ..errors import InvalidIdentifierError, InvalidInputError
from ._common import CONFLICT_ORDER, NOT_QUALIFIED, RELATION_KINDS, SAME_LOCALITY, UNAVAILABLE
from ._conflicts import Conflicts, _DepartmentIndex, _Member
from ._directory import Directory
from ._feasibility import (
    DepartmentBalance,
    FeasibilityReport,
    VisitShortage,
    _bottleneck,
    _Flow,
)
from ._problem import _check_categories, _DepartmentProblem
from ._staffing import EXPERTS, ExpertPool, TeamVisit

__all__ = ["input_digest_v2"]

_INPUT_FORMAT = "randsample.assignment-input/2"


@attrs.frozen(eq=False)
class _Prepared:
    directory: Directory
    experts: ExpertPool
    visits: tuple[TeamVisit, ...]
    conflicts: Conflicts
    pools: dict[str, _DepartmentProblem]  # departments by code, then EXPERTS if requested


def input_digest_v2(visits: Sequence[TeamVisit], conflicts: Conflicts) -> str:
    """Return the v2 input digest: SHA-256 of the canonical JSON of the visits and conflicts.

    ``{"conflicts_digest", "format": "randsample.assignment-input/2", "visits":
    [TeamVisit.to_json() sorted by visit_id]}`` (spec section 19.5).
    """
    content = {
        "conflicts_digest": conflicts.digest(),
        "format": _INPUT_FORMAT,
        "visits": [v.to_json() for v in sorted(visits, key=lambda v: v.visit_id)],
    }
    return hashlib.sha256(canonical_json(content)).hexdigest()


def _prepare_v2(directory: object, visits: object, conflicts: object, experts: object) -> _Prepared:
    return _build(
        check.instance(directory, "directory", Directory),
        visits,
        check.instance(Conflicts() if conflicts is None else conflicts, "conflicts", Conflicts),
        check.instance(ExpertPool() if experts is None else experts, "experts", ExpertPool),
    )


def _build(
    directory: Directory, visits: object, conflicts: Conflicts, pool: ExpertPool
) -> _Prepared:
    for expert in pool.experts:
        if expert.id in directory:
            raise InvalidIdentifierError(
                "experts", expert.id, "is also an officer's id in the directory"
            )
    for name in sorted(conflicts.named_inspectors()):
        if name not in directory and name not in pool.ids():
            raise InvalidInputError("conflicts", name, "names nobody in the directory or pool")
    batch = _check_visits(directory, visits, conflicts, pool)
    pools: dict[str, _DepartmentProblem] = {}
    for department in sorted({d for v in batch for d in v.departments}):
        taking = [p for p, v in enumerate(batch) if department in v.departments]
        members = directory.members(department)
        pools[department] = _pool(
            department,
            members,
            batch,
            taking=taking,
            demand=[batch[p].minimum(department) for p in taking],
            needs=[batch[p].items[department] for p in taking],
            conflicts=conflicts,
        )
    asking = [p for p, v in enumerate(batch) if v.experts]
    if asking:
        pools[EXPERTS] = _pool(
            EXPERTS,
            pool.experts,
            batch,
            taking=asking,
            demand=[batch[p].experts for p in asking],
            needs=[batch[p].expert_categories for p in asking],
            conflicts=conflicts,
        )
    return _Prepared(directory, pool, batch, conflicts, pools)


def _pool(
    name: str,
    members: Sequence[_Member],
    batch: tuple[TeamVisit, ...],
    *,
    taking: list[int],
    demand: list[int],
    needs: list[frozenset[str]],
    conflicts: Conflicts,
) -> _DepartmentProblem:
    index = _DepartmentIndex(members, conflicts.same_locality)
    eligible = [
        index.eligible_for(
            need, batch[p].date, batch[p].location, batch[p].enterprise_id, conflicts
        )
        for p, need in zip(taking, needs, strict=True)
    ]
    return _DepartmentProblem(
        department=name,
        inspector_ids=tuple(m.id for m in members),
        capacities=[m.capacity for m in members],
        visits=taking,
        demand=demand,
        eligible=eligible,
    )


def _check_visits(
    directory: Directory, visits: object, conflicts: Conflicts, pool: ExpertPool
) -> tuple[TeamVisit, ...]:
    batch = check.sequence(visits, "visits", what="a sequence of TeamVisit")
    seen: dict[str, int] = {}
    sizes = {d: len(directory.members(d)) for d in directory.departments}
    for index, visit in enumerate(batch):
        check.instance(visit, f"visits[{index}]", TeamVisit)
        where = f"visit {visit.visit_id!r}"
        if visit.visit_id in seen:
            raise InvalidIdentifierError(
                f"visits[{index}].visit_id",
                visit.visit_id,
                f"duplicate of visits[{seen[visit.visit_id]}]",
            )
        seen[visit.visit_id] = index
        if conflicts.same_locality and visit.location is None:
            raise InvalidInputError(
                f"{where}.location",
                None,
                "is needed: the same-locality rule is on; declare the business location or "
                "turn the rule off",
            )
        for department in visit.departments:
            if department not in directory.departments:
                raise InvalidInputError(
                    f"{where}.departments", department, "is not a department of the directory"
                )
            if not sizes[department]:
                raise InvalidInputError(
                    f"department {department!r}",
                    visit.visit_id,
                    "takes part in the visit but has no officers in the directory",
                )
            if visit.minimum(department) > sizes[department]:
                raise InvalidInputError(
                    f"{where}.minimums[{department!r}]",
                    visit.minimum(department),
                    f"cannot be met: department {department!r} has only "
                    f"{sizes[department]} officers",
                )
            _check_categories(directory, department, visit.items[department], visit.visit_id)
        if visit.experts > len(pool):
            raise InvalidInputError(
                f"{where}.experts", visit.experts, f"the expert pool has {len(pool)} experts"
            )
    return batch


# -- explanations ---------------------------------------------------------------------------


def _reasons(member: _Member, need: frozenset[str], visit: TeamVisit, conflicts: Conflicts) -> str:
    """Return the first reason (attribution order of version 1) ``member`` is not eligible."""
    if not need <= member.categories:
        return NOT_QUALIFIED
    if visit.date in member.days_off:
        return UNAVAILABLE
    declared = conflicts.declared(visit.enterprise_id).get(member.id, ())
    local = conflicts.same_locality and member.home_region == visit.location
    merged: list[str] = [r for r in declared if r in RELATION_KINDS]
    merged += [SAME_LOCALITY] if local else []
    merged += [r for r in declared if r not in RELATION_KINDS]
    return merged[0] if merged else ""


def _explain_v2(prepared: _Prepared, flows: Mapping[str, _Flow]) -> FeasibilityReport:
    ids = [v.visit_id for v in prepared.visits]
    shortages, balances, bottlenecks = [], [], []
    for name, dp in prepared.pools.items():
        members: Sequence[_Member] = (
            prepared.experts.experts if name == EXPERTS else prepared.directory.members(name)
        )
        balances.append(
            DepartmentBalance(name, dp.total_demand, sum(dp.capacities), flows[name].value)
        )
        for j, p in enumerate(dp.visits):
            if len(dp.eligible[j]) >= dp.demand[j]:
                continue
            visit = prepared.visits[p]
            need = visit.expert_categories if name == EXPERTS else visit.items[name]
            counts: dict[str, int] = {}
            for member in members:
                reason = _reasons(member, need, visit, prepared.conflicts)
                if reason:
                    counts[reason] = counts.get(reason, 0) + 1
            rank = {r: i for i, r in enumerate((NOT_QUALIFIED, UNAVAILABLE, *CONFLICT_ORDER))}
            shortages.append(
                VisitShortage(
                    visit_id=visit.visit_id,
                    enterprise_id=visit.enterprise_id,
                    department=name,
                    needed=dp.demand[j],
                    eligible=len(dp.eligible[j]),
                    members=len(members),
                    excluded=tuple(
                        sorted(counts.items(), key=lambda kv: (rank.get(kv[0], 99), kv[0]))
                    ),
                    date=visit.date.isoformat(),
                )
            )
        if flows[name].value < dp.total_demand:
            bottlenecks.append(_bottleneck(ids, dp, flows[name]))
    shortages.sort(key=lambda s: (s.visit_id, s.department))
    return FeasibilityReport(
        demand=sum(dp.total_demand for dp in prepared.pools.values()),
        assignable=sum(f.value for f in flows.values()),
        visits=tuple(shortages),
        departments=tuple(balances),
        bottlenecks=tuple(bottlenecks),
    )
