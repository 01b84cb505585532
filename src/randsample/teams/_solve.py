"""Inspector teams: qualified, conflict-free, complete, random and fair (algorithm v1).

This is the second "random" of double-random supervision: which officers inspect each visit.
The inputs (:class:`~randsample.teams.Directory`, a list of
:class:`~randsample.teams.Visit`, :class:`~randsample.teams.Conflicts`) are
described in :mod:`randsample.teams` and :mod:`randsample.teams`; every random
choice comes from the ``inspectors`` sub-key of the seed (``Seed.subkey("inspectors")``),
through SHA-256 tickets, in integers only.

**Model.** Department ``D`` of visit ``p`` supplies ``c_pD`` inspectors (one, plus the
remainder ``team_size - len(departments)`` for the lead department) from ``E_pD``, its members
eligible for ``p``: qualified for *every* category of ``D``'s items on ``p``, available on the
date, without conflict. Inspector ``r`` serves at most ``capacity_r`` visits. Since every
inspector belongs to one department, each department is an independent bipartite b-matching
problem, and "does a complete assignment exist?" is a max-flow question with an exact answer.

**Algorithm** ``team-assignment`` **version 1**, per department (``docs/spec.md`` has the bytes):

1. *Pair tickets*: ``t(p, r) = SHA-256(subkey || lp(UTF-8(visit_id)) || lp(UTF-8(inspector_id)))``;
   each visit's eligible inspectors sorted by pair ticket (ties, which need a SHA-256
   collision, by the inspector id's UTF-8 bytes) form a uniformly random order per visit.
2. *Visit order*: visits in ticket order (spec section 3) under the derived key
   ``SHA-256("randsample/v1/visit-order" || 0x00 || subkey)``.
3. *Greedy*: in visit order, each visit takes, in its pair-ticket order, the first ``c_pD``
   eligible inspectors that still have capacity.
4. *Repair*: for each short visit in visit order, breadth-first search for an augmenting path
   in the residual graph (another visit gives up an inspector and takes a different eligible
   one, and so on, until an inspector with spare capacity is reached), neighbours explored in
   pair-ticket order and visits in visit order. This is Ford-Fulkerson started from the greedy
   flow: a complete assignment is found whenever one exists. If none exists the assignment
   stops with an explanation (:class:`~randsample.teams.FeasibilityReport`), or with
   ``partial=True`` returns a largest partial assignment and lists the unstaffed visits.

``scipy.sparse.csgraph.maximum_flow`` gives the feasibility verdict up front (and the minimum
cut used to explain infeasibility); the greedy pass and the repair are the specified selection.

**Fairness.** When no capacity can bind (every inspector's capacity is at least the number of
visits he or she is eligible for; ``MarginalTargets.capacity_binding`` is false), each visit
gets the ``c_pD`` eligible inspectors with the smallest pair tickets: a simple random sample,
so each eligible inspector is on the visit with probability exactly ``c_pD / |E_pD|``.
Nothing an inspector controls (the directory order, days off on other dates) changes that
chance for a particular visit. When capacities bind, the greedy order and the repair make the
marginals depart from uniform; :mod:`randsample.teams` says so
(``target_marginals``) and measures them over many seeds (``estimate_marginals``). The
optional anti-steering probability cap ``q`` of Jecmen et al. (NeurIPS 2020) is *not*
implemented in version 1.

**Record.** :mod:`randsample.teams` seals the result (format
``randsample.assignment-record/1``) with the seed, the sub-key, the digests of the directory
and of the visits and conflicts (``make_assignment_record``), and re-derives it from data only
(``verify_assignment``).

>>> import datetime
>>> from randsample import Seed
>>> from randsample.teams import Directory, Inspector, Visit
>>> directory = Directory([Inspector(id=f"I-{i}", department="food", certified=True,
...                                  categories={"catering"}, home_region="north", capacity=2)
...                        for i in range(4)])
>>> visits = [Visit(visit_id=f"V-{n}", enterprise_id=f"E-{n}", enterprise_region="south",
...                 date=datetime.date(2026,3,2), departments=["food"],
...                 items={"food": {"catering"}}) for n in range(3)]
>>> result = assign_inspectors(directory, visits, Seed.from_bytes(bytes(range(16))))
>>> [team.inspector_ids for team in result.teams]
[('I-2', 'I-3'), ('I-0', 'I-1'), ('I-1', 'I-3')]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..core import PURPOSE_INSPECTORS, Seed
from ..errors import (
    InvalidTypeError,
)
from ..records import TEAM_ASSIGNMENT, TEAM_ASSIGNMENT_VERSION
from ._assignment import Assignment, InspectorLoad, Team, Unstaffed, WorkloadReport
from ._conflicts import Conflicts
from ._directory import Directory
from ._feasibility import (
    FeasibilityReport,
    InfeasibleAssignmentError,
    _explain,
    _Flow,
    _flows,
)
from ._matching import _binding, _DepartmentSolution, _solve
from ._problem import (
    _prepare,
    _Problem,
    input_digest,
)
from ._visit import Visit

__all__ = [
    "ALGORITHM",
    "ALGORITHM_VERSION",
    "Assignment",
    "InspectorLoad",
    "Team",
    "Unstaffed",
    "WorkloadReport",
    "assign_inspectors",
]

#: The algorithm's name and version, as assignment records state them (spec section 11).
ALGORITHM = TEAM_ASSIGNMENT
ALGORITHM_VERSION = TEAM_ASSIGNMENT_VERSION


# -- the draw --------------------------------------------------------------------------------


def assign_inspectors(
    directory: Directory,
    visits: Sequence[Visit],
    seed: Seed,
    *,
    conflicts: Conflicts | None = None,
    partial: bool = False,
) -> Assignment:
    """Draw a team for every visit (algorithm ``team-assignment`` v1); see the module doc.

    Parameters
    ----------
    directory : Directory
        The inspector directory.
    visits : sequence of Visit
        The visits to staff; their order does not matter.
    seed : Seed
        The seed; its ``inspectors`` sub-key drives every random choice.
    conflicts : Conflicts, optional
        The conflict rules (default: none; the same-locality rule is off unless set).
    partial : bool
        If no complete assignment exists, return a largest partial one (maximum number of
        filled slots) with the unstaffed visits listed and the explanation in ``report``,
        instead of raising :class:`InfeasibleAssignmentError`.

    Returns
    -------
    Assignment

    Raises
    ------
    InfeasibleAssignmentError
        When some visit cannot be staffed and ``partial`` is false; ``.report`` says why.
    """
    if not isinstance(seed, Seed):
        raise InvalidTypeError("seed", seed, "a Seed")
    if not isinstance(partial, bool):
        raise InvalidTypeError("partial", partial, "a bool")
    problem = _prepare(directory, visits, conflicts)
    flows = _flows(problem)
    report: FeasibilityReport | None = None
    if any(flows[d].value < dp.total_demand for d, dp in problem.departments.items()):
        report = _explain(problem, flows)
        if not partial:
            raise InfeasibleAssignmentError(report)
    subkey = seed.subkey(PURPOSE_INSPECTORS)
    solutions = _solve(problem, subkey)
    return _result(problem, seed, subkey=subkey, solutions=solutions, flows=flows, report=report)


def _result(
    problem: _Problem,
    seed: Seed,
    *,
    subkey: bytes,
    solutions: Mapping[str, _DepartmentSolution],
    flows: Mapping[str, _Flow],
    report: FeasibilityReport | None,
) -> Assignment:
    members: dict[str, list[tuple[str, tuple[str, ...]]]] = {v.visit_id: [] for v in problem.visits}
    unstaffed: list[Unstaffed] = []
    loads: list[InspectorLoad] = []
    for department, dp in problem.departments.items():
        solution = solutions[department]
        filled = sum(len(t) for t in solution.teams)
        if filled != flows[department].value:  # pragma: no cover - would be a bug
            raise AssertionError(
                f"department {department}: the repair filled {filled} slots but the "
                f"maximum flow is {flows[department].value}"
            )
        ids = dp.inspector_ids
        for j, p in enumerate(dp.visits):
            visit_id = problem.visits[p].visit_id
            team = tuple(sorted(ids[r] for r in solution.teams[j]))
            members[visit_id].append((department, team))
            if len(team) < dp.demand[j]:
                unstaffed.append(Unstaffed(visit_id, department, dp.demand[j], len(team)))
        loads.extend(
            InspectorLoad(ids[r], department, solution.loads[r], dp.capacities[r])
            for r in range(len(ids))
        )
    for department in sorted(problem.directory.departments - set(problem.departments)):
        loads.extend(
            InspectorLoad(m.id, department, 0, m.capacity)
            for m in problem.directory.members(department)
        )
    loads.sort(key=lambda e: (e.department, e.inspector_id))
    teams = tuple(Team(visit_id, tuple(sorted(members[visit_id]))) for visit_id in sorted(members))
    unstaffed.sort(key=lambda u: (u.visit_id, u.department))
    return Assignment(
        seed=seed,
        subkey=subkey,
        teams=teams,
        unstaffed=tuple(unstaffed),
        workload=WorkloadReport(tuple(loads)),
        greedy_shortfall=sum(s.greedy_shortfall for s in solutions.values()),
        repaired=sum(s.repaired for s in solutions.values()),
        capacity_binding=bool(_binding(problem)),
        directory_digest=problem.directory.digest(),
        directory_size=len(problem.directory),
        input_digest=input_digest(problem.visits, problem.conflicts),
        conflicts_digest=problem.conflicts.digest(),
        visit_count=len(problem.visits),
        report=report,
    )
