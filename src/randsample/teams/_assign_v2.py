"""Team-assignment version 2: per-department minimums, a team leader, experts (spec section 19).

**Model.** Each department ``D`` of visit ``p`` sends ``m_pD`` of its own certified officers
(:meth:`TeamVisit.minimum <randsample.teams.TeamVisit.minimum>`, default 2): every department
inspects under its own authority, so there is no "one per department, the rest from the lead".
The experts requested by a visit come from the expert pool, a pool of its own. Each pool (each
department, and the experts) is an independent bipartite b-matching problem, exactly as in
version 1; the leader is then the initiating department's member of the team with the smallest
pair ticket.

**Algorithm** ``team-assignment`` **version 2** (``docs/spec.md`` section 19 has the bytes):
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

from collections.abc import Sequence

import attrs

from .. import _validation as check
from .._text import Column, Tabular
from ..core import PURPOSE_INSPECTORS, Seed
from ..errors import InvalidInputError
from ._assignment import InspectorLoad, WorkloadReport
from ._conflicts import Conflicts
from ._directory import Directory
from ._feasibility import FeasibilityReport, InfeasibleAssignmentError, _max_flow
from ._matching import _DepartmentSolution, _preferences, _solve_department, _visit_ranks
from ._problem_v2 import _explain_v2, _prepare_v2, _Prepared, input_digest_v2
from ._staffing import EXPERTS, ExpertPool, TeamVisit

__all__ = ["ALGORITHM_VERSION_2", "Shortfall", "StaffedTeam", "TeamAssignment", "assign_teams"]

#: The version of ``team-assignment`` this module implements.
ALGORITHM_VERSION_2 = 2


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


# -- the result ------------------------------------------------------------------------------


def _members_text(team: StaffedTeam) -> str:
    return "; ".join(f"{d}: {', '.join(ids)}" for d, ids in team.members)


@attrs.frozen(eq=False)
class TeamAssignment(Tabular):
    """The teams drawn by :func:`assign_teams` (a table: one row per visit), with its digests.

    >>> from randsample.examples import small_team_inputs
    >>> directory, experts, visits = small_team_inputs()
    >>> teams = assign_teams(directory, visits, Seed.from_bytes(bytes(range(16))),
    ...                      experts=experts)
    >>> teams
    TeamAssignment(visits=3, complete=True, officers=11, experts=1)
    """

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

    Examples
    --------
    >>> from randsample.examples import small_team_inputs
    >>> directory, experts, visits = small_team_inputs()
    >>> result = assign_teams(directory, visits, Seed.from_bytes(bytes(range(16))),
    ...                       experts=experts)
    >>> result.complete, [len(result.team("V-3").of(d)) for d in ("HEALTH", "SAMR")]
    (True, [2, 3])
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
