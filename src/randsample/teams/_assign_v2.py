"""Team-assignment version 2: per-department minimums, a team leader, experts (spec section 12).

**Model.** Each department ``D`` of visit ``p`` sends ``m_pD`` of its own certified officers
(:meth:`TeamVisit.minimum <randsample.teams.TeamVisit.minimum>`, default 2): every department
inspects under its own authority, so there is no "one per department, the rest from the lead".
The experts requested by a visit come from the expert pool, a pool of its own. Each pool (each
department, and the experts) is an independent bipartite b-matching problem, exactly as in
version 1; the leader is then the initiating department's member of the team with the smallest
pair ticket.

**Algorithm** ``team-assignment`` **version 2** (``docs/spec.md`` section 12 has the bytes):
the pair tickets, visit order, greedy pass and augmenting-path repair of version 1 (section
11.3-11.4), run per pool with demand ``m_pD`` for a department and ``experts_p`` for the
expert pool; eligibility as in version 1 with the visit's declared ``location`` in place of
``enterprise_region`` (the same-locality rule needs it and is off unless set); the leader of
``p`` is the first member of ``team(p, lead_p)`` in ``pref(p, lead_p)`` order.

Version 1 (:func:`~randsample.teams.assign_inspectors`) is unchanged and stays verifiable.

>>> from randsample import Seed
>>> from randsample.examples import small_team_inputs
>>> directory, experts, visits = small_team_inputs()
>>> result = assign_teams(directory, visits, Seed.from_bytes(bytes(range(16))), experts=experts)
>>> team = result.team("V-1")
>>> team.leader in team.of("SAMR"), [len(team.of(d)) for d in ("HEALTH", "SAMR")], len(team.experts)
(True, [2, 2], 1)
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence

import attrs

from .. import _validation as check
from .._text import Column, Tabular
from ..core import PURPOSE_INSPECTORS, Seed, canonical_json
from ..errors import InvalidIdentifierError, InvalidInputError
from ._assignment import InspectorLoad, WorkloadReport
from ._common import CONFLICT_ORDER, NOT_QUALIFIED, RELATION_KINDS, SAME_LOCALITY, UNAVAILABLE
from ._conflicts import Conflicts, _DepartmentIndex, _Member
from ._directory import Directory
from ._feasibility import (
    DepartmentBalance,
    FeasibilityReport,
    InfeasibleAssignmentError,
    VisitShortage,
    _bottleneck,
    _Flow,
    _max_flow,
)
from ._matching import _DepartmentSolution, _preferences, _solve_department, _visit_ranks
from ._problem import _DepartmentProblem
from ._staffing import EXPERTS, ExpertPool, TeamVisit

__all__ = ["ALGORITHM_VERSION_2", "Shortfall", "StaffedTeam", "TeamAssignment", "assign_teams"]

#: The version of ``team-assignment`` this module implements.
ALGORITHM_VERSION_2 = 2
_INPUT_FORMAT = "randsample.assignment-input/2"


@attrs.frozen
class StaffedTeam:
    """One visit's team: the leader, the officers by department, and the experts."""

    visit_id: str
    leader: str | None
    members: tuple[tuple[str, tuple[str, ...]], ...]
    experts: tuple[str, ...]

    def of(self, department: str) -> tuple[str, ...]:
        """Return the officers of ``department`` on the team (sorted; empty if none)."""
        return dict(self.members).get(department, ())

    @property
    def officers(self) -> tuple[str, ...]:
        """Every officer on the team, sorted (experts not included)."""
        return tuple(sorted(i for _, ids in self.members for i in ids))


@attrs.frozen
class Shortfall:
    """A visit on which a department (None: the expert pool) is short in partial mode."""

    visit_id: str
    department: str | None
    needed: int
    assigned: int


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
    [TeamVisit.to_json() sorted by visit_id]}`` (spec section 12.5).
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
            for category in sorted(visit.items[department]):
                if category not in directory.categories[department]:
                    raise InvalidInputError(
                        f"{where}.items[{department!r}]",
                        category,
                        f"is not an inspection category of department {department!r}",
                    )
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


# -- the result ------------------------------------------------------------------------------


def _members_text(team: StaffedTeam) -> str:
    return "; ".join(f"{d}: {', '.join(ids)}" for d, ids in team.members)


@attrs.frozen(eq=False)
class TeamAssignment(Tabular):
    """The teams drawn by :func:`assign_teams` (a table: one row per visit), with its digests."""

    seed: Seed
    subkey: bytes
    teams: tuple[StaffedTeam, ...]
    shortfalls: tuple[Shortfall, ...]
    workload: WorkloadReport
    capacity_binding: bool
    directory_digest: str
    directory_size: int
    experts_digest: str
    experts_size: int
    input_digest: str
    conflicts_digest: str
    visit_count: int
    report: FeasibilityReport | None = None

    def __repr__(self) -> str:
        return (
            f"TeamAssignment(visits={self.visit_count}, complete={self.complete}, "
            f"officers={sum(len(t.officers) for t in self.teams)}, "
            f"experts={sum(len(t.experts) for t in self.teams)})"
        )

    @property
    def complete(self) -> bool:
        """Whether every visit has every department's minimum and its experts."""
        return not self.shortfalls

    def team(self, visit_id: str) -> StaffedTeam:
        """Return the team of ``visit_id``."""
        for team in self.teams:
            if team.visit_id == visit_id:
                return team
        raise InvalidInputError("visit_id", visit_id, "is not a visit of this assignment")

    def _columns(self) -> list[Column]:
        return [
            Column("visit_id", "visit", align="<"),
            Column("leader", "leader", lambda v: v or "-", "<"),
            Column("members", "officers by department", align="<"),
            Column("experts", "experts", lambda v: ", ".join(v) or "-", "<"),
        ]

    def _items(self) -> list[dict[str, object]]:
        return [
            {
                "visit_id": t.visit_id,
                "leader": t.leader,
                "members": _members_text(t),
                "experts": t.experts,
            }
            for t in self.teams
        ]


def assign_teams(
    directory: Directory,
    visits: Sequence[TeamVisit],
    seed: Seed,
    *,
    experts: ExpertPool | None = None,
    conflicts: Conflicts | None = None,
    partial: bool = False,
) -> TeamAssignment:
    """Draw a team for every visit (algorithm ``team-assignment`` v2; see the module doc).

    Parameters
    ----------
    directory : Directory
        The officers.
    visits : sequence of TeamVisit
        The visits; their order does not matter.
    seed : Seed
        Its ``inspectors`` sub-key drives every choice.
    experts : ExpertPool, optional
        The expert pool (needed when a visit asks for experts).
    conflicts : Conflicts, optional
        Conflict rules (default: none; the same-locality rule is off unless switched on).
    partial : bool
        Return a largest partial assignment instead of raising when no complete one exists.

    Raises
    ------
    InvalidInputError
        Before any draw: a participating department without officers, a minimum larger than
        a department, more experts than the pool, a visit without location under the
        same-locality rule (each naming the visit and the department).
    InfeasibleAssignmentError
        When the visits cannot all be staffed and ``partial`` is false.
    """
    check.instance(seed, "seed", Seed)
    check.boolean(partial, "partial")
    prepared = _prepare_v2(directory, visits, conflicts, experts)
    flows = {name: _max_flow(dp) for name, dp in prepared.pools.items()}
    report = None
    if any(flows[n].value < dp.total_demand for n, dp in prepared.pools.items()):
        report = _explain_v2(prepared, flows)
        if not partial:
            raise InfeasibleAssignmentError(report)
    subkey = seed.subkey(PURPOSE_INSPECTORS)
    return _result(prepared, seed, subkey, report)


def _solve_v2(
    prepared: _Prepared, subkey: bytes
) -> dict[str, tuple[_DepartmentSolution, list[list[int]]]]:
    ids = [v.visit_id for v in prepared.visits]
    rank = _visit_ranks(ids, subkey)
    out = {}
    for name, dp in prepared.pools.items():
        prefs = _preferences(ids, dp, subkey)
        out[name] = (_solve_department(dp, prefs, rank), prefs)
    return out


def _result(
    prepared: _Prepared, seed: Seed, subkey: bytes, report: FeasibilityReport | None
) -> TeamAssignment:
    solved = _solve_v2(prepared, subkey)
    members: dict[int, list[tuple[str, tuple[str, ...]]]] = {
        p: [] for p in range(len(prepared.visits))
    }
    chosen_experts: dict[int, tuple[str, ...]] = {}
    leaders: dict[int, str | None] = dict.fromkeys(range(len(prepared.visits)))
    shortfalls: list[Shortfall] = []
    loads: list[InspectorLoad] = []
    binding = False
    for name, dp in prepared.pools.items():
        solution, prefs = solved[name]
        ids = dp.inspector_ids
        for j, p in enumerate(dp.visits):
            team = solution.teams[j]
            visit = prepared.visits[p]
            picked = tuple(sorted(ids[r] for r in team))
            if name == EXPERTS:
                chosen_experts[p] = picked
            else:
                members[p].append((name, picked))
                if name == visit.lead:
                    leaders[p] = next((ids[r] for r in prefs[j] if r in team), None)
            if len(team) < dp.demand[j]:
                shortfalls.append(
                    Shortfall(
                        visit.visit_id, None if name == EXPERTS else name, dp.demand[j], len(team)
                    )
                )
        loads.extend(
            InspectorLoad(ids[r], name, solution.loads[r], dp.capacities[r])
            for r in range(len(ids))
        )
        degree = [0] * len(ids)
        for eligible in dp.eligible:
            for r in eligible:
                degree[r] += 1
        binding = binding or any(d > c for d, c in zip(degree, dp.capacities, strict=True))
    teams = tuple(
        sorted(
            (
                StaffedTeam(
                    visit.visit_id, leaders[p], tuple(sorted(members[p])), chosen_experts.get(p, ())
                )
                for p, visit in enumerate(prepared.visits)
            ),
            key=lambda t: t.visit_id,
        )
    )
    return TeamAssignment(
        seed=seed,
        subkey=subkey,
        teams=teams,
        # Unstaffed: by visit, departments in code point order, the expert pool last.
        shortfalls=tuple(
            sorted(
                shortfalls,
                key=lambda s: (s.visit_id, s.department is None, s.department or ""),
            )
        ),
        workload=WorkloadReport(tuple(sorted(loads, key=lambda e: (e.department, e.inspector_id)))),
        capacity_binding=binding,
        directory_digest=prepared.directory.digest(),
        directory_size=len(prepared.directory),
        experts_digest=prepared.experts.digest(),
        experts_size=len(prepared.experts),
        input_digest=input_digest_v2(prepared.visits, prepared.conflicts),
        conflicts_digest=prepared.conflicts.digest(),
        visit_count=len(prepared.visits),
        report=report,
    )
